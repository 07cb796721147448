/* policytest.c — running the `test` blocks of a *.test.wz file (policytest.h).
 *
 * The test file is loaded as a policy: its `import` brings the tested policy
 * in, header and all (module.c allows that for a file with tests), and the
 * checker ignores the TEST items.  Each test then gets a temporary facts
 * directory — the `from` directory's files, with the facts it writes inline
 * replaced — a run of the engine with its params, and its expectations
 * compared with the result exactly: numbers as exact decimals, labels,
 * tiers, dates and truth values as the policy spells them.
 */
#include "policytest.h"

#include <glib/gstdio.h>
#include <string.h>

#include "check.h"
#include "engine.h"
#include "i18n.h"
#include "output.h"

/* The text a node was written as (a cell, a param's value, an expected value):
 * a string literal without its quotes, anything else as in the file. */
static char *written(const wz_node *n) {
    if (n->kind == WZ_N_STRING) return g_strdup(n->text);
    if (n->kind == WZ_N_IDENT) return g_strdup(n->name);
    return g_strndup(n->span.src->text + n->span.start, n->span.end - n->span.start);
}

static char *where(const wz_span *sp) {
    uint32_t line = 0, col = 0;
    wz_source_position(sp->src, sp->start, &line, &col);
    const char *slash = strrchr(sp->src->name, '/');
    return g_strdup_printf("%s:%u:%u", slash ? slash + 1 : sp->src->name, line, col);
}

static void remove_tree(const char *dir) {
    GDir *d = g_dir_open(dir, 0, NULL);
    for (const char *name; d && (name = g_dir_read_name(d));) {
        char *path = g_build_filename(dir, name, NULL);
        if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) remove_tree(path);
        else g_remove(path);
        g_free(path);
    }
    if (d) g_dir_close(d);
    g_rmdir(dir);
}

/* Copies the regular files of from (not its subdirectories) into to. */
static bool copy_facts(const char *from, const char *to, const wz_span *at, wz_diags *diags) {
    GError *err = NULL;
    GDir *d = g_dir_open(from, 0, &err);
    if (!d) {
        wz_diag_at(diags, WZ_SEV_ERROR, *at, "cannot read the facts directory %s: %s", from, err->message);
        g_error_free(err);
        return false;
    }
    bool ok = true;
    for (const char *name; ok && (name = g_dir_read_name(d));) {
        char *src = g_build_filename(from, name, NULL), *dst = g_build_filename(to, name, NULL), *text = NULL;
        gsize len = 0;
        if (g_file_test(src, G_FILE_TEST_IS_REGULAR)) {
            ok = g_file_get_contents(src, &text, &len, NULL) && g_file_set_contents(dst, text, (gssize)len, NULL);
            if (!ok) wz_diag_at(diags, WZ_SEV_ERROR, *at, "cannot copy %s into a test's facts", src);
        }
        g_free(text);
        g_free(src);
        g_free(dst);
    }
    g_dir_close(d);
    return ok;
}

/* rows FACT { … }: FACT.csv in dir, a header of the fact's fields and a line per row. */
static bool write_rows(const wz_policy *p, const wz_node *rows, const char *dir, wz_diags *diags) {
    int f = wz_policy_find_fact(p, rows->name);
    if (f < 0) {
        wz_diag_at(diags, WZ_SEV_ERROR, rows->span, "the policy has no fact '%s'", rows->name);
        return false;
    }
    const wz_fact_schema *s = g_ptr_array_index(p->facts, (guint)f);
    GString *csv = g_string_new(NULL);
    for (guint i = 0; i < s->fields->len; i++) {
        if (i) g_string_append_c(csv, ',');
        wz_csv_field(csv, ((const wz_field_schema *)g_ptr_array_index(s->fields, i))->name);
    }
    g_string_append_c(csv, '\n');
    bool ok = true;
    for (guint r = 0; r < wz_node_nkids(rows); r++) {
        const wz_node *row = wz_node_kid(rows, r);
        if (wz_node_nkids(row) != s->fields->len) {
            char *fields = g_strdup("");
            for (guint i = 0; i < s->fields->len; i++) {
                char *more = g_strdup_printf("%s%s%s", fields, i ? ", " : "", ((const wz_field_schema *)g_ptr_array_index(s->fields, i))->name);
                g_free(fields);
                fields = more;
            }
            wz_diag_at(diags, WZ_SEV_ERROR, row->span, "a row of '%s' has %u cells, expecting %u: %s", rows->name,
                       wz_node_nkids(row), s->fields->len, fields);
            g_free(fields);
            ok = false;
            continue;
        }
        for (guint i = 0; i < wz_node_nkids(row); i++) {
            char *cell = written(wz_node_kid(row, i));
            if (i) g_string_append_c(csv, ',');
            wz_csv_field(csv, cell);
            g_free(cell);
        }
        g_string_append_c(csv, '\n');
    }
    char *name = g_strdup_printf("%s.csv", rows->name), *path = g_build_filename(dir, name, NULL);
    char *jsonl = g_strdup_printf("%s/%s.jsonl", dir, rows->name);
    g_remove(jsonl);   /* the inline rows are the fact's only file */
    if (ok && !g_file_set_contents(path, csv->str, (gssize)csv->len, NULL)) {
        wz_diag_at(diags, WZ_SEV_ERROR, rows->span, "cannot write %s", path);
        ok = false;
    }
    g_free(jsonl);
    g_free(name);
    g_free(path);
    g_string_free(csv, TRUE);
    return ok;
}

/* What a value reads as in a test: an exact number, a label, a tier, a date. */
static char *value_text(const wz_result *r, const wz_kind_run *run, const wz_def *def, wz_value v) {
    switch (v.tag) {
    case WZ_V_NUM: return wz_dec_to_string(v.d, 0, 30);
    case WZ_V_BOOL: return g_strdup(v.i ? "true" : "false");
    case WZ_V_DATE: {
        char buf[11];
        wz_date_format((wz_date)v.i, buf);
        return g_strdup(buf);
    }
    case WZ_V_ENUM:
        return g_strdup(def && def->members && v.i >= 0 && (guint)v.i < def->members->len ? (char *)g_ptr_array_index(def->members, (guint)v.i) : "?");
    case WZ_V_TEXT: return g_strdup(wz_facts_string(run->facts, (uint32_t)v.i));
    case WZ_V_STR: return g_strdup(v.s);
    case WZ_V_PERSON: return g_strdup(wz_facts_person_id(((const wz_kind_run *)g_ptr_array_index(r->runs, 0))->facts, (uint32_t)v.i));
    case WZ_V_TIER:
        if (def && def->kind == WZ_DEF_SANCTION && v.i >= 0)
            return g_strdup(((const wz_ladder *)g_ptr_array_index(r->policy->ladders, (guint)def->ladder))->tiers[v.i].name);
        return g_strdup("none");
    default: return g_strdup("missing");
    }
}

/* Whether the written expected value and the actual one are the same: numbers
 * exactly (0.50 is 0.5), everything else as spelled. */
static bool same(const char *expected, const char *actual) {
    wz_dec a, b;
    if (wz_dec_parse(expected, strlen(expected), &a) == WZ_DEC_OK && wz_dec_parse(actual, strlen(actual), &b) == WZ_DEC_OK)
        return wz_dec_cmp(a, b) == 0;
    return !strcmp(expected, actual);
}

static char *pay_figure(const wz_result *r, uint32_t e, const char *what) {
    const wz_pay_row *row = &r->pay[e];
    if (!strcmp(what, "basis")) {
        const wz_def *basis = g_ptr_array_index(r->policy->defs, r->policy->distribute->basis_def);
        return g_strdup(g_ptr_array_index(basis->members, (guint)row->basis));
    }
    wz_dec d = !strcmp(what, "reward") ? row->reward : !strcmp(what, "stipend") ? row->stipend : row->amount;
    return wz_dec_to_string(d, 0, 30);
}

/* The actual value an `expect WHO WHAT == …` reads, or NULL with *why set. */
static char *actual_of(const wz_result *r, const wz_node *ex, char **why) {
    const wz_policy *p = r->policy;
    guint k = 0;
    uint32_t e = 0;
    if (!wz_result_find_entity(r, ex->text, &k, &e)) {
        *why = g_strdup_printf(_("no person or entity '%s' in the test's facts"), ex->text);
        return NULL;
    }
    const wz_kind_run *run = g_ptr_array_index(r->runs, k);
    const char *what = ex->name;
    bool pay_word = !strcmp(what, "pay") || !strcmp(what, "reward") || !strcmp(what, "stipend") || !strcmp(what, "basis");
    if (pay_word) {
        if (!r->has_pay || k != 0) {
            *why = g_strdup_printf(_("'%s' is paid nothing: the policy distributes no pool to it"), ex->text);
            return NULL;
        }
        return pay_figure(r, e, what);
    }
    if (!strcmp(what, "grade") && k == 0 && p->grade_def >= 0)   /* the grade after sanctions' caps, as scores.csv has it */
        return g_strdup(r->grade[e] >= 0 ? (char *)g_ptr_array_index(((const wz_def *)g_ptr_array_index(p->defs, p->grade_def))->members, (guint)r->grade[e]) : "missing");
    int d = wz_policy_find_def(p, what);
    if (d < 0) {
        *why = g_strdup_printf(_("the policy has no value '%s'"), what);
        return NULL;
    }
    const wz_def *def = g_ptr_array_index(p->defs, (guint)d);
    /* a person and an award: what awards.csv and pay.csv give the person — with
     * `responsible` or `duty`, what they answer for (a leader's own amount, a
     * share, a unit's amount whole), else the person's own amount */
    if (def->kind == WZ_DEF_AWARD && k == 0 && (def->entity == 0 || def->blame)) {
        wz_dec *paid = wz_award_paid(r, d);
        char *s = wz_dec_to_string(paid[e], 0, 30);
        g_free(paid);
        return s;
    }
    /* a person and a sanction that names who answers for it: the most severe tier
     * sanctions.csv gives the person under it (a leader's `tier T`, a unit's tier whole),
     * or none — as the award's figure is what awards.csv pays them */
    if (def->kind == WZ_DEF_SANCTION && k == 0 && def->blame) {
        int tier = -1;
        for (guint b = 0; r->blame && b < r->blame->len; b++) {
            const wz_blame_line *line = &g_array_index(r->blame, wz_blame_line, b);
            const wz_kind_run *lr = g_ptr_array_index(r->runs, line->run);
            const wz_finding *f = g_ptr_array_index(lr->vm->findings, line->finding);
            if (f->def == d && line->person == e && line->measured && line->tier > tier) tier = line->tier;
        }
        return value_text(r, run, def, wz_tagged(WZ_V_TIER, tier));
    }
    if (def->kind == WZ_DEF_AWARD && k == 0 && def->entity > 0) {
        *why = g_strdup_printf(_("'%s' is paid to each %s and names no person who answers for it (no 'responsible' or 'duty'), so it pays "
                                 "no person: expect it of a %s, not of '%s'"),
                               what, ((const wz_entity_kind *)g_ptr_array_index(p->kinds, (guint)def->entity))->name,
                               ((const wz_entity_kind *)g_ptr_array_index(p->kinds, (guint)def->entity))->name, ex->text);
        return NULL;
    }
    if (def->entity >= 0 && def->entity != (int)k) {
        *why = g_strdup_printf(_("'%s' is computed for each %s, and '%s' is a %s"), what,
                               ((const wz_entity_kind *)g_ptr_array_index(p->kinds, (guint)def->entity))->name, ex->text,
                               ((const wz_entity_kind *)g_ptr_array_index(p->kinds, k))->name);
        return NULL;
    }
    wz_value v = wz_vm_value(run->vm, d, e);
    if (def->kind == WZ_DEF_RULE && v.tag == WZ_V_NUM && def->sign < 0) v.d = wz_dec_neg(v.d);   /* a deduction is negative, as in findings */
    return value_text(r, run, def, v);
}

/* Runs one test; appends its line(s) to report.  *fired collects the defs whose findings it met. */
static bool run_test(const wz_policy *p, const wz_node *t, const char *base, GString *report, guint8 *fired,
                     wz_test_counts *counts, wz_diags *diags) {
    char *dir = g_dir_make_tmp("wenze-test-XXXXXX", NULL);
    if (!dir) {
        wz_diag_at(diags, WZ_SEV_ERROR, t->span, "cannot make a temporary facts directory");
        return false;
    }
    bool ok = true;
    GPtrArray *overrides = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; ok && i < wz_node_nkids(t); i++) {
        const wz_node *it = wz_node_kid(t, i);
        if (it->kind == WZ_N_TEST_FROM) {
            char *from = g_path_is_absolute(it->text) ? g_strdup(it->text) : g_build_filename(base, it->text, NULL);
            ok = copy_facts(from, dir, &it->span, diags);
            g_free(from);
        }
    }
    for (guint i = 0; ok && i < wz_node_nkids(t); i++) {
        const wz_node *it = wz_node_kid(t, i);
        if (it->kind == WZ_N_ROWS) ok = write_rows(p, it, dir, diags);
        if (it->kind == WZ_N_TEST_PARAM) {
            char *v = written(wz_node_kid(it, 0));
            g_ptr_array_add(overrides, g_strdup_printf("%s=%s", it->name, v));
            g_free(v);
        }
    }
    if (!ok) {
        g_ptr_array_free(overrides, TRUE);
        remove_tree(dir);
        g_free(dir);
        return false;
    }
    char *history = NULL;
    for (guint i = 0; i < wz_node_nkids(t); i++) {
        const wz_node *it = wz_node_kid(t, i);
        if (it->kind != WZ_N_TEST_HISTORY) continue;
        g_free(history);
        history = g_path_is_absolute(it->text) ? g_strdup(it->text) : g_build_filename(base, it->text, NULL);
    }
    wz_diags *run_diags = wz_diags_new(1);
    wz_engine_options opts = {.overrides = overrides, .threads = 1, .history_dir = history};
    wz_result *r = wz_engine_run_opts(p, dir, &opts, run_diags);
    GString *why = g_string_new(NULL);
    if (!r) {
        char *msg = run_diags->items->len ? wz_diag_render(g_ptr_array_index(run_diags->items, 0)) : g_strdup(_("the run failed"));
        char *nl = strchr(msg, '\n');
        if (nl) *nl = '\0';
        /* the temporary directory's name means nothing to the reader */
        char *shown = g_strdup(msg);
        if (g_str_has_prefix(shown, dir)) {
            g_free(shown);
            shown = g_strdup_printf("(facts)%s", msg + strlen(dir));
        }
        g_string_append_printf(why, _("    the run failed: %s\n"), shown);
        g_free(shown);
        g_free(msg);
    } else {
        for (guint k = 0; k < r->runs->len; k++) {
            const wz_kind_run *run = g_ptr_array_index(r->runs, k);
            for (guint i = 0; i < run->vm->findings->len; i++) fired[((const wz_finding *)g_ptr_array_index(run->vm->findings, i))->def] = 1;
        }
        for (guint i = 0; i < wz_node_nkids(t); i++) {
            const wz_node *ex = wz_node_kid(t, i);
            if (ex->kind != WZ_N_EXPECT) continue;
            char *reason = NULL, *actual = actual_of(r, ex, &reason);
            char *expected = written(wz_node_kid(ex, 0)), *at = where(&ex->span);
            if (!actual) g_string_append_printf(why, _("    %s: expect %s %s: %s\n"), at, ex->text, ex->name, reason);
            else if (!same(expected, actual))
                g_string_append_printf(why, _("    %s: expect %s %s == %s, got %s\n"), at, ex->text, ex->name, expected, actual);
            g_free(reason);
            g_free(actual);
            g_free(expected);
            g_free(at);
        }
    }
    if (why->len) {
        g_string_append_printf(report, "FAIL - %s\n%s", t->text, why->str);
        counts->failed++;
    } else {
        g_string_append_printf(report, "ok - %s\n", t->text);
        counts->passed++;
    }
    g_string_free(why, TRUE);
    g_free(history);
    wz_result_free(r);
    wz_diags_free(run_diags);
    g_ptr_array_free(overrides, TRUE);
    remove_tree(dir);
    g_free(dir);
    return true;
}

bool wz_policy_tests_run(const char *path, bool coverage, GString *report, wz_test_counts *counts, wz_diags *diags) {
    wz_policy *p = wz_policy_load(path, diags);
    if (!p) return false;
    char *base = g_path_get_dirname(path);
    guint8 *fired = g_new0(guint8, p->defs->len + 1);
    bool ok = true;
    guint tests = 0;
    for (guint i = 0; ok && i < wz_node_nkids(p->ast); i++) {
        const wz_node *t = wz_node_kid(p->ast, i);
        if (t->kind != WZ_N_TEST) continue;
        tests++;
        ok = run_test(p, t, base, report, fired, counts, diags);
    }
    if (ok && !tests) {
        wz_diag_plain(diags, WZ_DIAG_POLICY, WZ_SEV_ERROR, path, "no test in this file, expecting 'test \"NAME\" { … }'");
        ok = false;
    }
    if (ok && coverage) {   /* the rules no test fired */
        GString *never = g_string_new(NULL);
        for (guint d = 0; d < p->defs->len; d++) {
            const wz_def *def = g_ptr_array_index(p->defs, d);
            bool rule = def->kind == WZ_DEF_RULE || def->kind == WZ_DEF_SANCTION || def->kind == WZ_DEF_NOTICE || def->kind == WZ_DEF_AWARD;
            if (!rule || fired[d]) continue;
            char *src = wz_output_source(p, def->span, false);
            g_string_append_printf(never, "    %s %s%s%s\n", src, def->name, def->text ? " " : "", def->text ? def->text : "");
            g_free(src);
        }
        if (never->len) g_string_append_printf(report, _("coverage: rules no test fired:\n%s"), never->str);
        else g_string_append(report, _("coverage: every rule fired in some test\n"));
        g_string_free(never, TRUE);
    }
    g_free(fired);
    g_free(base);
    /* diagnostics may point into the policy's source: keep it alive with them */
    if (!ok) {
        wz_diags_adopt_source(diags, p->src);
        p->src = NULL;
        for (guint i = 0; p->imported && i < p->imported->len; i++) wz_diags_adopt_source(diags, g_ptr_array_index(p->imported, i));
        if (p->imported) g_ptr_array_set_free_func(p->imported, NULL);
    }
    wz_policy_free(p);
    return ok;
}
