/* engine_params.c — every param's value for a run, and where it came from:
 * --param over params.csv over the policy's default; a value must parse as
 * the param's type, and a limit param must be a share from 0 to 1. */
#include "engine_internal.h"

#include "sha256.h"

#include <string.h>

bool wz_param_parse(wz_type_kind type, const char *text, wz_value *out) {
    size_t len = strlen(text);
    switch (type) {
    case WZ_T_NUMBER: case WZ_T_INT: {
        wz_dec d;
        if (wz_dec_parse(text, len, &d) != WZ_DEC_OK) return false;
        if (type == WZ_T_INT && !wz_dec_is_integer(d)) return false;
        *out = wz_num(d);
        return true;
    }
    case WZ_T_DATE: {
        wz_date d;
        if (!wz_date_parse(text, len, &d)) return false;
        *out = wz_tagged(WZ_V_DATE, d);
        return true;
    }
    case WZ_T_BOOL:
        if (!strcmp(text, "true") || !strcmp(text, "1") || !strcmp(text, "是")) *out = wz_tagged(WZ_V_BOOL, 1);
        else if (!strcmp(text, "false") || !strcmp(text, "0") || !strcmp(text, "否")) *out = wz_tagged(WZ_V_BOOL, 0);
        else return false;
        return true;
    case WZ_T_TEXT:
        *out = (wz_value){.tag = WZ_V_STR, .s = text};   /* caller keeps text alive */
        return true;
    default:
        return false;
    }
}

/* A number read with more places than arithmetic carries (WZ_DEC_READ_PLACES). */
static bool too_precise(const wz_value *v) {
    return v->tag == WZ_V_NUM && !wz_dec_terminates_within(v->d, WZ_DEC_READ_PLACES);
}

static const char *expected_for(wz_type_kind t) {
    switch (t) {
    case WZ_T_NUMBER: return "a decimal number";
    case WZ_T_INT: return "a whole number";
    case WZ_T_DATE: return "a date (YYYY-MM-DD)";
    case WZ_T_BOOL: return "true or false";
    default: return "text";
    }
}

/* A copy of a param's text owned by the result, so text values may point at it. */
static const char *keep_text(wz_result *r, const char *text) {
    if (!r->texts) r->texts = g_ptr_array_new_with_free_func(g_free);
    char *copy = g_strdup(text);
    g_ptr_array_add(r->texts, copy);
    return copy;
}

static int find_param(const wz_policy *p, const char *name) {
    for (guint i = 0; i < p->params->len; i++)
        if (!strcmp(((wz_param_decl *)g_ptr_array_index(p->params, i))->name, name)) return (int)i;
    return -1;
}

/* --param over params.csv over the default; every param must end with a value. */
bool wz_engine_resolve_params(wz_result *r, const char *dir, GPtrArray *overrides, wz_diags *diags) {
    const wz_policy *p = r->policy;
    guint np = p->params->len;
    bool ok = true;
    r->params = g_new0(wz_value, np ? np : 1);
    r->param_sources = g_new0(char *, np + 1);
    for (guint i = 0; i < np; i++) {
        const wz_param_decl *pd = g_ptr_array_index(p->params, i);
        if (pd->has_default) {
            r->params[i] = pd->default_value;
            r->param_sources[i] = g_strdup("default");
        }
    }
    GPtrArray *entries = wz_params_load(dir, diags);
    if (!entries) return false;
    {   /* summary.json records what params.csv held, as it does each fact file */
        char *path = g_build_filename(dir, "params.csv", NULL), *text = NULL;
        gsize len = 0;
        if (g_file_get_contents(path, &text, &len, NULL)) wz_sha256_hex(text, len, r->params_sha256);
        g_free(text);
        g_free(path);
    }
    for (guint k = 0; k < entries->len; k++) {
        const wz_param_entry *en = g_ptr_array_index(entries, k);
        int i = find_param(p, en->name);
        if (i < 0) {
            GString *names = g_string_new(NULL);
            for (guint j = 0; j < p->params->len; j++)
                g_string_append_printf(names, "%s%s", j ? ", " : "", ((wz_param_decl *)g_ptr_array_index(p->params, j))->name);
            wz_diag_fact(diags, WZ_SEV_ERROR, en->file, en->row, 1, "unknown param \"%s\", expecting one of %s", en->name,
                         p->params->len ? names->str : "(the policy declares none)");
            g_string_free(names, TRUE);
            ok = false;
            continue;
        }
        const wz_param_decl *pd = g_ptr_array_index(p->params, i);
        if (!wz_param_parse(pd->type, keep_text(r, en->value), &r->params[i])) {
            wz_diag_fact(diags, WZ_SEV_ERROR, en->file, en->row, 2, "param %s expects %s, found \"%s\"", en->name,
                         expected_for(pd->type), en->value);
            ok = false;
            continue;
        }
        if (too_precise(&r->params[i])) {
            wz_diag_fact(diags, WZ_SEV_ERROR, en->file, en->row, 2, "param %s expects at most %d decimal places (more "
                         "precision than exact arithmetic can carry), found \"%s\"", en->name, WZ_DEC_READ_PLACES, en->value);
            ok = false;
            continue;
        }
        g_free(r->param_sources[i]);
        r->param_sources[i] = g_strdup_printf("params.csv:%u", en->row);
    }
    g_ptr_array_unref(entries);
    for (guint k = 0; overrides && k < overrides->len; k++) {
        const char *kv = g_ptr_array_index(overrides, k);
        const char *eq = strchr(kv, '=');
        char *name = eq ? g_strndup(kv, (gsize)(eq - kv)) : g_strdup(kv);
        int i = find_param(p, name);
        if (!eq || i < 0) {
            wz_diag_plain(diags, WZ_DIAG_USAGE, WZ_SEV_ERROR, NULL, "--param %s: %s", kv,
                          !eq ? "expecting NAME=VALUE" : "the policy declares no such param");
            ok = false;
        } else {
            const wz_param_decl *pd = g_ptr_array_index(p->params, i);
            if (!wz_param_parse(pd->type, keep_text(r, eq + 1), &r->params[i])) {
                wz_diag_plain(diags, WZ_DIAG_USAGE, WZ_SEV_ERROR, NULL, "--param %s: %s expects %s, found \"%s\"", kv,
                              name, expected_for(pd->type), eq + 1);
                ok = false;
            } else if (too_precise(&r->params[i])) {
                wz_diag_plain(diags, WZ_DIAG_USAGE, WZ_SEV_ERROR, NULL, "--param %s: %s expects at most %d decimal places "
                              "(more precision than exact arithmetic can carry), found \"%s\"", kv, name,
                              WZ_DEC_READ_PLACES, eq + 1);
                ok = false;
            } else {
                g_free(r->param_sources[i]);
                r->param_sources[i] = g_strdup("--param");
            }
        }
        g_free(name);
    }
    for (guint i = 0; ok && i < np; i++)
        if (!r->param_sources[i]) {
            const wz_param_decl *pd = g_ptr_array_index(p->params, i);
            char *file = g_build_filename(dir, "params.csv", NULL);
            wz_diag_fact(diags, WZ_SEV_ERROR, file, 0, 0,
                         "param %s has no value: the policy gives no default, so add a row \"%s,VALUE\" or pass --param %s=VALUE",
                         pd->name, pd->name, pd->name);
            g_free(file);
            ok = false;
        }
    return ok;
}

/* A classify limit set by a param is a share from 0 to 1: a value outside
 * is bad input (params.csv or --param), reported where it came from. */
bool wz_engine_check_limit_params(const wz_result *r, wz_diags *diags) {
    const wz_policy *p = r->policy;
    bool ok = true;
    for (guint d = 0; d < p->defs->len; d++) {
        const wz_def *def = g_ptr_array_index(p->defs, d);
        if (def->kind != WZ_DEF_QUOTA || def->limit_param < 0) continue;
        const wz_param_decl *limit = g_ptr_array_index(p->params, (guint)def->limit_param);
        const wz_value *v = &r->params[def->limit_param];
        if (v->tag == WZ_V_NUM && wz_dec_sign(v->d) >= 0 && wz_dec_cmp(v->d, WZ_DEC_ONE) <= 0) continue;
        char *got = v->tag == WZ_V_NUM ? wz_dec_to_string(v->d, 0, 30) : g_strdup("nothing");
        uint32_t line = 0, col = 0;
        wz_source_position(def->limit_span.src, def->limit_span.start, &line, &col);
        wz_diag_plain(diags, WZ_DIAG_FACTS, WZ_SEV_ERROR, r->param_sources[def->limit_param],
                      "param %s is the limit of '%s' (%s:%u:%u), a share from 0 to 1 (0%% to 100%%); found %s", limit->name,
                      def->text, def->limit_span.src->name, line, col, got);
        g_free(got);
        ok = false;
    }
    return ok;
}
