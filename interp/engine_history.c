/* engine_history.c — earlier periods' kept values (--history) handed to a
 * run's VM, for previous() and streak(). */
#include "engine_internal.h"

#include <string.h>

#include "history.h"

/* Parses a kept.csv value back into def d's type. */
static bool kept_value(const wz_def *d, const char *text, wz_value *out) {
    if (d->type == WZ_T_BOOL) {
        if (strcmp(text, "true") && strcmp(text, "false")) return false;
        *out = wz_tagged(WZ_V_BOOL, !strcmp(text, "true"));
        return true;
    }
    if (d->type == WZ_T_TEXT) {
        *out = (wz_value){.tag = WZ_V_STR, .s = text};
        return true;
    }
    /* a number: exact decimal, or n/d for one that does not terminate */
    const char *slash = strchr(text, '/');
    wz_dec a, b;
    if (!slash) return wz_dec_parse(text, strlen(text), &a) == WZ_DEC_OK && (*out = wz_num(a), true);
    if (wz_dec_parse(text, (size_t)(slash - text), &a) != WZ_DEC_OK || wz_dec_parse(slash + 1, strlen(slash + 1), &b) != WZ_DEC_OK ||
        wz_dec_div(a, b, &a) != WZ_DEC_OK)
        return false;
    *out = wz_num(a);
    return true;
}

/* Hands run's vm the earlier periods' values of every kept def of its kind
 * that previous() or streak() reads, one per entity of this run (by key). */
bool wz_engine_give_history(wz_result *r, wz_kind_run *run, wz_diags *diags) {
    const wz_policy *p = r->policy;
    const wz_history *h = r->history;
    guint np = h->periods->len;
    uint32_t n = run->facts->npersons;
    const char *kind = ((wz_entity_kind *)g_ptr_array_index(p->kinds, (guint)run->kind))->name;
    bool ok = true;
    for (guint i = 0; i < p->kept->len; i++) {
        int d = g_array_index(p->kept, int, i);
        const wz_def *def = g_ptr_array_index(p->defs, d);
        if (!def->read_back || def->entity != run->kind) continue;
        wz_value *vals = g_new0(wz_value, (gsize)np * n + 1);
        uint32_t *rows = g_new0(uint32_t, (gsize)np * n + 1);
        for (guint k = 0; k < np; k++) {   /* k periods back, minus one: the latest first */
            const wz_history_period *per = g_ptr_array_index(h->periods, np - 1 - k);
            if (!wz_history_has(per, kind, def->name)) {
                wz_diag_plain(diags, WZ_DIAG_FACTS, WZ_SEV_ERROR, per->file,
                              "no %s has a kept '%s' in this period; the policy that ran it did not keep it", kind,
                              def->name);
                ok = false;
                continue;
            }
            for (uint32_t e = 0; e < n; e++) {
                const wz_kept_cell *c = wz_history_cell(per, kind, wz_facts_person_id(run->facts, e), def->name);
                if (c) rows[(gsize)k * n + e] = c->row;
                if (c && c->value[0] && !kept_value(def, c->value, &vals[(gsize)k * n + e])) {
                    wz_diag_fact(diags, WZ_SEV_ERROR, per->file, c->row, 4, "expected %s for the kept '%s', found \"%s\"",
                                 def->type == WZ_T_BOOL ? "true or false" : "a number", def->name, c->value);
                    ok = false;
                }
            }
        }
        wz_vm_set_history(run->vm, d, np, vals, rows);
    }
    return ok;
}
