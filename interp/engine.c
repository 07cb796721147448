/* engine.c — from a checked policy and a facts directory to results. */
#include "engine.h"

#include "history.h"

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
static bool resolve_params(wz_result *r, const char *dir, GPtrArray *overrides, wz_diags *diags) {
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

/* Sanctions whose tier carries `grade X` force that grade; the most severe wins. */
static void apply_grades(wz_result *r) {
    const wz_policy *p = r->policy;
    uint32_t n = r->facts->npersons;
    r->grade = g_new(int, n ? n : 1);
    for (uint32_t i = 0; i < n; i++) {
        wz_value g = p->grade_def >= 0 ? wz_vm_value(r->vm, p->grade_def, i) : wz_missing();
        r->grade[i] = g.tag == WZ_V_ENUM ? (int)g.i : -1;
    }
    if (p->grade_def < 0) return;
    /* Per ladder, the most severe tier the person reached counts (as for cut);
     * its `grade G` caps the grade at G.  Grade labels are listed best first,
     * so capping means taking the later label: a sanction never raises a grade. */
    for (guint l = 0; l < p->ladders->len; l++) {
        const wz_ladder *lad = g_ptr_array_index(p->ladders, l);
        for (uint32_t i = 0; i < n; i++) {
            int64_t worst = -1;
            for (guint d = 0; d < p->defs->len; d++) {
                const wz_def *def = g_ptr_array_index(p->defs, d);
                if (def->kind != WZ_DEF_SANCTION || def->ladder != (int)l) continue;
                wz_value t = wz_vm_value(r->vm, (int)d, i);
                if (t.tag == WZ_V_TIER && t.i > worst) worst = t.i;
            }
            if (worst < 0) continue;
            int cap = lad->tiers[worst].grade;
            if (cap > r->grade[i]) r->grade[i] = cap;
        }
    }
}

/* Where the pool's value came from, for messages about it: the params.csv
 * row or --param that set the param the pool names, else the policy. */
static const char *pool_origin(const wz_result *r) {
    int param = r->policy->distribute->pool_param;
    if (param >= 0 && r->param_sources[param]) return r->param_sources[param];
    return r->policy->src->name;
}

#define DEC_OR_FAIL(call)                                                                     \
    do {                                                                                      \
        wz_dec_status st_ = (call);                                                           \
        if (st_ != WZ_DEC_OK) {                                                               \
            wz_diag_at(diags, WZ_SEV_ERROR, dist->span, "distributing the pool: %s",      \
                       wz_dec_status_message(st_));                                           \
            goto out;                                                                         \
        }                                                                                     \
    } while (0)

/* The pool, less stipends, is shared in units: a person on a fixed share gets
 * weight × the unit value; a pro-rata group's units (its headcount × weight)
 * are split in proportion to each member's `by` value.  Every reward is
 * rounded half-up to the stated places, or — with `largest_remainder` — cut
 * down to the places and the fen left over handed one each to the largest
 * cut-off parts (ties to the earlier person), so the rewards add up to what
 * was shared.  The residue states what rounding left over, so allocations +
 * residue = pool exactly. */
/* Largest remainder first; equal remainders in person order. */
static gint by_remainder(gconstpointer a, gconstpointer b, gpointer data) {
    const wz_dec *rem = data;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    int c = wz_dec_cmp(rem[y], rem[x]);
    return c ? c : (x < y ? -1 : x > y);
}

static bool distribute(wz_result *r, wz_diags *diags) {
    const wz_distribute *dist = r->policy->distribute;
    uint32_t n = r->facts->npersons;
    wz_value pool;
    if (!wz_vm_eval_global(r->vm, r->prog->pool, &pool, diags)) return false;
    if (pool.tag != WZ_V_NUM) {
        wz_diag_at(diags, WZ_SEV_ERROR, dist->pool_span, "the pool has no value");
        return false;
    }
    if (wz_dec_sign(pool.d) < 0) {
        char *v = wz_dec_to_string(pool.d, 0, 30);
        wz_diag_plain(diags, WZ_DIAG_FACTS, WZ_SEV_ERROR, pool_origin(r), "the pool must not be negative, found %s", v);
        g_free(v);
        return false;
    }
    guint nshares = dist->shares->len;
    guint nmembers = ((const wz_def *)g_ptr_array_index(r->policy->defs, dist->basis_def))->members->len;
    wz_dec *weight = g_new0(wz_dec, nmembers);
    int *prorata = g_new(int, nmembers);
    wz_dec *group_units = g_new0(wz_dec, nmembers), *group_by = g_new0(wz_dec, nmembers);
    wz_dec *remainders = NULL;
    uint32_t *order = NULL;
    bool ok = false;
    for (guint m = 0; m < nmembers; m++) prorata[m] = -1;
    for (guint s = 0; s < nshares; s++) {
        const wz_share *sh = &g_array_index(dist->shares, wz_share, s);
        wz_value w;
        if (!wz_vm_eval_global(r->vm, g_ptr_array_index(r->prog->share_weights, s), &w, diags)) goto out;
        if (w.tag != WZ_V_NUM || wz_dec_sign(w.d) < 0) {
            wz_diag_at(diags, WZ_SEV_ERROR, sh->span, "a share's weight must be a number of at least 0");
            goto out;
        }
        weight[sh->member] = w.d;
        prorata[sh->member] = sh->prorata_def;
    }
    r->has_pay = true;
    r->pay = g_new0(wz_pay_row, n ? n : 1);
    r->pool = pool.d;
    r->stipends = WZ_DEC_ZERO;
    wz_dec units = WZ_DEC_ZERO;
    for (uint32_t i = 0; i < n; i++) {
        wz_pay_row *row = &r->pay[i];
        row->basis = (int)wz_vm_value(r->vm, dist->basis_def, i).i;
        row->stipend = WZ_DEC_ZERO;
        if (dist->stipend_def >= 0) {
            wz_value s = wz_vm_value(r->vm, dist->stipend_def, i);
            if (s.tag == WZ_V_NUM) row->stipend = s.d;
        }
        DEC_OR_FAIL(wz_dec_add(r->stipends, row->stipend, &r->stipends));
        DEC_OR_FAIL(wz_dec_add(units, weight[row->basis], &units));
        if (prorata[row->basis] >= 0) {
            DEC_OR_FAIL(wz_dec_add(group_units[row->basis], weight[row->basis], &group_units[row->basis]));
            wz_value by = wz_vm_value(r->vm, prorata[row->basis], i);
            DEC_OR_FAIL(wz_dec_add(group_by[row->basis], by.d, &group_by[row->basis]));
        }
    }
    wz_dec rest;
    DEC_OR_FAIL(wz_dec_sub(r->pool, r->stipends, &rest));
    if (wz_dec_sign(rest) < 0) {
        char *a = wz_dec_to_string(r->stipends, 2, 30), *b = wz_dec_to_string(r->pool, 2, 30);
        wz_diag_plain(diags, WZ_DIAG_FACTS, WZ_SEV_ERROR, pool_origin(r),
                      "the stipends paid first (%s) exceed the pool (%s); nothing is left to distribute", a, b);
        g_free(a);
        g_free(b);
        goto out;
    }
    wz_dec unit = WZ_DEC_ZERO;
    if (!wz_dec_is_zero(units)) DEC_OR_FAIL(wz_dec_div(rest, units, &unit));
    int places = dist->places;
    bool largest_remainder = dist->rounding == WZ_DIST_LARGEST_REMAINDER;
    wz_dec fen;   /* one unit of the last place: 0.01 for round 2 */
    fen = WZ_DEC_ONE;
    for (int k = 0; k < places; k++) DEC_OR_FAIL(wz_dec_div(fen, wz_dec_from_int(10), &fen));
    if (largest_remainder) remainders = g_new(wz_dec, n ? n : 1);
    wz_dec shared = WZ_DEC_ZERO;   /* Σ rewards after rounding */
    for (uint32_t i = 0; i < n; i++) {
        wz_pay_row *row = &r->pay[i];
        wz_dec reward;
        DEC_OR_FAIL(wz_dec_mul(weight[row->basis], unit, &reward));
        if (prorata[row->basis] >= 0 && !wz_dec_is_zero(group_by[row->basis])) {
            wz_value by = wz_vm_value(r->vm, prorata[row->basis], i);
            DEC_OR_FAIL(wz_dec_mul(group_units[row->basis], unit, &reward));
            DEC_OR_FAIL(wz_dec_mul(reward, by.d, &reward));
            DEC_OR_FAIL(wz_dec_div(reward, group_by[row->basis], &reward));
        }
        if (largest_remainder) {
            DEC_OR_FAIL(wz_dec_round(reward, places, WZ_ROUND_DOWN, &row->reward));
            DEC_OR_FAIL(wz_dec_sub(reward, row->reward, &remainders[i]));
        } else {
            DEC_OR_FAIL(wz_dec_round(reward, places, WZ_ROUND_HALF_UP, &row->reward));
        }
        DEC_OR_FAIL(wz_dec_add(shared, row->reward, &shared));
    }
    if (largest_remainder && !wz_dec_is_zero(units)) {
        /* whole fen left of what was shared, one each to the largest remainders */
        wz_dec left, count_dec;
        DEC_OR_FAIL(wz_dec_sub(rest, shared, &left));
        DEC_OR_FAIL(wz_dec_div(left, fen, &count_dec));
        DEC_OR_FAIL(wz_dec_round(count_dec, 0, WZ_ROUND_DOWN, &count_dec));
        int64_t extra = 0;
        wz_dec_to_int64(count_dec, &extra);
        order = g_new(uint32_t, n ? n : 1);
        for (uint32_t i = 0; i < n; i++) order[i] = i;
        g_qsort_with_data(order, (gint)n, sizeof(uint32_t), by_remainder, remainders);
        for (int64_t k = 0; k < extra && k < (int64_t)n; k++)
            DEC_OR_FAIL(wz_dec_add(r->pay[order[k]].reward, fen, &r->pay[order[k]].reward));
    }
    r->distributed = WZ_DEC_ZERO;
    for (uint32_t i = 0; i < n; i++) {
        wz_pay_row *row = &r->pay[i];
        DEC_OR_FAIL(wz_dec_add(row->reward, row->stipend, &row->amount));
        DEC_OR_FAIL(wz_dec_add(r->distributed, row->amount, &r->distributed));
    }
    DEC_OR_FAIL(wz_dec_sub(r->pool, r->distributed, &r->residue));
    ok = true;
out:
    g_free(remainders);
    g_free(order);
    g_free(weight);
    g_free(prorata);
    g_free(group_units);
    g_free(group_by);
    return ok;
}

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
static bool give_history(wz_result *r, wz_kind_run *run, wz_diags *diags) {
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

/* ---- responsibility: who answers for a finding -------------------------------- */

/* The top of a role's reports_to chain (itself when it reports to no one). */
static int chain_top(const wz_policy *p, int role) {
    for (guint steps = 0; steps <= p->roles->len; steps++) {
        const wz_role *r = g_ptr_array_index(p->roles, role);
        if (r->reports_to < 0) break;
        role = r->reports_to;
    }
    return role;
}

typedef struct holders_view {
    const wz_fact_table *t;
    const wz_facts *facts;
    int role_col, person_col;   /* person_col -1: the persons fact itself (row = person) */
} holders_view;

static int64_t holder_person(const holders_view *h, uint32_t row) {
    return h->person_col < 0 ? (int64_t)row : wz_column_int(h->t->columns[h->person_col], row);
}

/* The role that entity e's row of a one-per fact names in field FACT.FIELD
 * (`responsible direct goals.lead`), or -1 when it has no row or an empty cell. */
static int role_named_by(const wz_kind_run *run, const wz_blame_item *item, uint32_t e) {
    const wz_fact_table *t = g_ptr_array_index(run->facts->tables, (guint)item->fact);
    if (!t->by_person_start || e >= run->facts->npersons || t->by_person_start[e] == t->by_person_start[e + 1]) return -1;
    uint32_t row = t->by_person_rows[t->by_person_start[e]];
    const wz_column *col = t->columns[item->field];
    return wz_column_is_missing(col, row) ? -1 : (int)wz_column_int(col, row);
}

/* Adds a line for every holder of `role` in the unit (unit_col/unit: the
 * holder rows whose unit field names it; unit_col -1: anywhere). */
static guint add_holders(wz_result *r, const holders_view *h, int role, int as, int unit_col, const char *unit,
                         wz_blame_line proto) {
    guint added = 0;
    for (uint32_t row = 0; row < h->t->nrows; row++) {
        if (wz_column_is_missing(h->t->columns[h->role_col], row) || wz_column_int(h->t->columns[h->role_col], row) != role)
            continue;   /* an empty post is no post */
        if (unit_col >= 0 && strcmp(wz_facts_string(h->facts, (uint32_t)wz_column_int(h->t->columns[unit_col], row)), unit))
            continue;
        int64_t person = holder_person(h, row);
        bool dup = false;   /* one line per person and role, even if listed twice */
        for (guint k = r->blame->len - added; k < r->blame->len; k++) {
            const wz_blame_line *b = &g_array_index(r->blame, wz_blame_line, k);
            dup |= b->person == (uint32_t)person && b->role == role;
        }
        if (person < 0 || dup) continue;
        wz_blame_line line = proto;
        line.person = (uint32_t)person;
        line.role = role;
        line.as = as;
        g_array_append_val(r->blame, line);
        added++;
    }
    return added;
}

/* Every finding of a rule with `duty` or `responsible` is answered for by
 * the persons holding the roles named — in the finding's unit when the
 * holders fact names units of its kind: the direct responsible (the duty's
 * role, or the person who failed it) and the first (the top of the
 * reports_to chain).  An award's amount goes to each of them whole ("同奖
 * 同罚") or by the shares given, split evenly among a role's holders.  A
 * role that no one holds is an error: a finding is never left unanswered. */
static bool attribute(wz_result *r, wz_diags *diags) {
    const wz_policy *p = r->policy;
    r->blame = g_array_new(FALSE, FALSE, sizeof(wz_blame_line));
    for (guint d = 0; d < p->defs->len; d++) r->has_blame |= ((wz_def *)g_ptr_array_index(p->defs, d))->blame != NULL;
    if (!r->has_blame || p->holders < 0) return true;
    const wz_kind_run *persons = g_ptr_array_index(r->runs, 0);
    const wz_fact_table *ht = g_ptr_array_index(persons->facts->tables, p->holders);
    const wz_fact_schema *hs = ht->schema;
    holders_view h = {ht, persons->facts, p->holders_role_field, hs->is_population ? -1 : hs->person_field};
    bool ok = true;
    for (guint k = 0; k < r->runs->len; k++) {
        const wz_kind_run *run = g_ptr_array_index(r->runs, k);
        int unit_col = g_array_index(p->holders_unit_field, int, k);
        for (guint i = 0; i < run->vm->findings->len; i++) {
            const wz_finding *f = g_ptr_array_index(run->vm->findings, i);
            const wz_def *def = g_ptr_array_index(p->defs, f->def);
            if (!def->blame || f->decide >= 0) continue;
            const char *unit = k > 0 ? wz_facts_person_id(run->facts, f->person) : NULL;
            int unit_field = k > 0 ? unit_col : -1;
            if (k == 0)   /* a person's finding: answered for within their own unit (their school) */
                for (guint u = 1; u < p->holders_unit_field->len && !unit; u++) {
                    int col = g_array_index(p->holders_unit_field, int, u);
                    for (uint32_t row = 0; col >= 0 && row < ht->nrows && !unit; row++)
                        if (holder_person(&h, row) == (int64_t)f->person) {
                            unit = wz_facts_string(h.facts, (uint32_t)wz_column_int(ht->columns[col], row));
                            unit_field = col;
                        }
                }
            wz_blame_line proto = {.run = k, .finding = i};
            const GArray *items = def->blame->items;
            int duty_role = -1;
            for (guint b = 0; b < items->len; b++) {
                const wz_blame_item *item = &g_array_index(items, wz_blame_item, b);
                if (item->duty) duty_role = item->role;
            }
            /* The roles to resolve: the `responsible` items as written; a duty
             * supplies the direct responsible (its role's holder, or the person
             * who failed it) and the first (the top of its chain) unless an item
             * names them.  First, then direct, then the others named. */
            typedef struct wanted {
                int role, as;
                bool has_share, own_duty;   /* own_duty: the person who failed it, for a person's finding */
                wz_dec share;
            } wanted;
            GArray *want = g_array_new(FALSE, FALSE, sizeof(wanted));
            bool named_first = false, named_direct = false, shared = false;
            for (guint b = 0; b < items->len; b++) {
                const wz_blame_item *item = &g_array_index(items, wz_blame_item, b);
                if (item->duty) continue;
                int role = item->fact >= 0 ? role_named_by(run, item, f->person) : item->role;
                if (role < 0) {   /* the entity's row names no role */
                    const wz_fact_table *t = g_ptr_array_index(run->facts->tables, (guint)item->fact);
                    wz_diag_plain(diags, WZ_DIAG_FACTS, WZ_SEV_ERROR, t->file ? t->file : t->schema->name,
                                  "%s has no %s in %s, so no one answers for the finding of rule '%s'",
                                  wz_facts_person_id(run->facts, f->person), item->field_name, t->schema->name, def->name);
                    ok = false;
                    continue;
                }
                wanted w = {role, item->as, item->has_share, false, item->share};
                g_array_append_val(want, w);
                named_first |= item->as == WZ_RESP_FIRST;
                named_direct |= item->as == WZ_RESP_DIRECT;
                shared |= w.has_share;   /* the award is split by shares (else each is paid whole) */
            }
            if (duty_role >= 0 && !named_direct) {
                wanted direct = {duty_role, WZ_RESP_DIRECT, false, true, WZ_DEC_ZERO};
                g_array_append_val(want, direct);
            }
            int top = duty_role >= 0 ? chain_top(p, duty_role) : -1;
            if (duty_role >= 0 && !named_first && top != duty_role) {
                wanted first = {top, WZ_RESP_FIRST, false, false, WZ_DEC_ZERO};
                g_array_append_val(want, first);
            }
            for (guint a = 1; a < want->len; a++)   /* a stable sort by kind of responsibility */
                for (guint b = a; b > 0; b--) {
                    wanted *x = &g_array_index(want, wanted, b - 1), *y = &g_array_index(want, wanted, b);
                    int rx = x->as == WZ_RESP_FIRST ? 0 : x->as == WZ_RESP_DIRECT ? 1 : 2;
                    int ry = y->as == WZ_RESP_FIRST ? 0 : y->as == WZ_RESP_DIRECT ? 1 : 2;
                    if (rx <= ry) break;
                    wanted t = *x;
                    *x = *y;
                    *y = t;
                }
            guint finding_start = r->blame->len;
            for (guint w = 0; w < want->len; w++) {
                const wanted *x = &g_array_index(want, wanted, w);
                guint start = r->blame->len;
                guint n;
                if (k == 0 && x->own_duty) {   /* a person who failed their own duty */
                    wz_blame_line line = proto;
                    line.person = f->person;
                    line.role = x->role;
                    line.as = x->as;
                    g_array_append_val(r->blame, line);
                    n = 1;
                } else {
                    n = add_holders(r, &h, x->role, x->as, unit_field, unit, proto);
                }
                if (n == 0) {
                    const wz_role *role = g_ptr_array_index(p->roles, (guint)x->role);
                    wz_diag_plain(diags, WZ_DIAG_FACTS, WZ_SEV_ERROR, ht->file ? ht->file : hs->name,
                                  "no one holds the role %s%s%s, so the finding of rule '%s' for %s has no %s responsible person",
                                  role->name, unit && unit_field >= 0 ? " at " : "", unit && unit_field >= 0 ? unit : "", def->name,
                                  wz_facts_person_id(run->facts, f->person),
                                  x->as == WZ_RESP_FIRST ? "first" : x->as == WZ_RESP_DIRECT ? "direct" : "named");
                    ok = false;
                    continue;
                }
                /* an award's part: whole each ("同奖同罚"), or the share split among the role's holders */
                for (guint j = start; j < r->blame->len; j++) {
                    wz_blame_line *line = &g_array_index(r->blame, wz_blame_line, j);
                    line->amount = f->points;
                    if (def->kind != WZ_DEF_AWARD || !x->has_share) continue;
                    wz_dec part;
                    if (wz_dec_mul(f->points, x->share, &part) != WZ_DEC_OK || wz_dec_div(part, wz_dec_from_int(n), &part) != WZ_DEC_OK ||
                        !wz_dec_terminates_within(part, 8)) {
                        wz_diag_at(diags, WZ_SEV_ERROR, def->blame->span,
                                   "the share of award '%s' for %s does not come to an exact amount among %u holders; "
                                   "give shares that divide evenly",
                                   def->name, wz_facts_person_id(run->facts, f->person), n);
                        ok = false;
                        break;
                    }
                    line->amount = part;
                }
            }
            g_array_free(want, TRUE);
            /* the principal who failed their own duty is its direct responsible
             * person, not also its first: one line each person */
            for (guint a = finding_start; a < r->blame->len; a++) {
                const wz_blame_line *fa = &g_array_index(r->blame, wz_blame_line, a);
                wz_blame_line *direct = NULL;
                for (guint b = finding_start; b < r->blame->len && fa->as == WZ_RESP_FIRST && !direct; b++) {
                    wz_blame_line *fb = &g_array_index(r->blame, wz_blame_line, b);
                    if (fb->person == fa->person && fb->as == WZ_RESP_DIRECT) direct = fb;
                }
                if (!direct) continue;
                /* an award's first share goes with them: the shares still add up to the amount */
                if (def->kind == WZ_DEF_AWARD && shared && wz_dec_add(direct->amount, fa->amount, &direct->amount) != WZ_DEC_OK)
                    ok = false;
                g_array_remove_index(r->blame, a--);
            }
        }
    }
    return ok;
}

/* A classify limit set by a param is a share from 0 to 1: a value outside
 * is bad input (params.csv or --param), reported where it came from. */
static bool check_limit_params(const wz_result *r, wz_diags *diags) {
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

static void kind_run_free(gpointer p) {
    wz_kind_run *run = p;
    wz_vm_free(run->vm);
    wz_facts_free(run->facts);
    g_free(run);
}

wz_result_counts wz_result_count(const wz_result *r) {
    wz_result_counts c = {0};
    for (guint k = 0; k < r->runs->len; k++) {
        const wz_kind_run *run = g_ptr_array_index(r->runs, k);
        for (guint t = 0; t < run->facts->tables->len; t++) {   /* another kind's tables are empty here */
            const wz_fact_table *ft = g_ptr_array_index(run->facts->tables, t);
            c.rows_read += ft->rows_read;
            c.rows_ignored += ft->rows_ignored;
        }
        c.findings += run->vm->findings->len;
        for (guint i = 0; i < run->vm->findings->len; i++) {
            const wz_finding *f = g_ptr_array_index(run->vm->findings, i);
            wz_def_kind dk = ((const wz_def *)g_ptr_array_index(r->policy->defs, f->def))->kind;
            c.conflicts += f->decide >= 0;
            c.sanctions += dk == WZ_DEF_SANCTION && f->decide < 0;
            c.awards += dk == WZ_DEF_AWARD && f->decide < 0;
        }
    }
    return c;
}

wz_result *wz_engine_run(const wz_policy *policy, const char *facts_dir, GPtrArray *overrides, GString *trace,
                         wz_diags *diags) {
    wz_engine_options opts = {.overrides = overrides, .trace = trace, .threads = 1};
    return wz_engine_run_opts(policy, facts_dir, &opts, diags);
}

wz_result *wz_engine_run_opts(const wz_policy *policy, const char *facts_dir, const wz_engine_options *opts,
                              wz_diags *diags) {
    GPtrArray *overrides = opts->overrides;
    GString *trace = opts->trace;
    int threads = opts->threads > 1 ? opts->threads : 1;
    wz_result *r = g_new0(wz_result, 1);
    r->policy = policy;
    if (!g_file_test(facts_dir, G_FILE_TEST_IS_DIR)) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, facts_dir,
                      g_file_test(facts_dir, G_FILE_TEST_EXISTS) ? "the facts path is not a directory"
                                                                : "the facts directory does not exist");
        goto fail;
    }
    if (!resolve_params(r, facts_dir, overrides, diags) || !check_limit_params(r, diags)) goto fail;
    if (policy->history_fn && !opts->history_dir) {
        uint32_t line = 0, col = 0;
        const wz_span *sp = &policy->history_span;
        wz_source_position(sp->src, sp->start, &line, &col);
        wz_diag_plain(diags, WZ_DIAG_USAGE, WZ_SEV_ERROR, NULL,
                      "the policy reads earlier periods (%s(…) at %s:%u:%u) but no --history DIR was given; "
                      "pass the directory holding earlier runs' outputs, one subdirectory per period",
                      policy->history_fn, sp->src->name, line, col);
        goto fail;
    }
    if (opts->history_dir && !(r->history = wz_history_load(opts->history_dir, diags))) goto fail;
    r->prog = wz_compile(policy);
    r->runs = g_ptr_array_new_with_free_func(kind_run_free);
    /* Each entity kind is loaded and computed on its own: its facts hold
     * only its rows, and its defs read nothing of another kind (the checker
     * proved it).  Persons first; their run is r->vm and r->facts. */
    int64_t us_facts = 0, us_vm = 0;
    for (guint k = 0; k < policy->kinds->len; k++) {
        wz_kind_run *run = g_new0(wz_kind_run, 1);
        run->kind = (int)k;
        g_ptr_array_add(r->runs, run);
        run->vm = wz_vm_new(r->prog, r->params);
        run->vm->kind = (int)k;
        run->vm->trace = trace != NULL;
        run->vm->trace_out = trace;
        run->vm->threads = threads;
        if (!wz_vm_eval_period(run->vm, diags)) goto fail;
        wz_period_filter period = {run->vm->has_period, run->vm->period_start, run->vm->period_end};
        int64_t t0 = g_get_monotonic_time();
        run->facts = wz_facts_load_kind(policy->facts, facts_dir, period, threads, (int)k, diags);
        if (!run->facts) goto fail;
        int64_t t1 = g_get_monotonic_time();
        if (r->history && !give_history(r, run, diags)) goto fail;
        if (!wz_vm_run(run->vm, run->facts, diags)) goto fail;
        us_facts += t1 - t0;
        us_vm += g_get_monotonic_time() - t1;
    }
    r->vm = ((wz_kind_run *)g_ptr_array_index(r->runs, 0))->vm;
    r->facts = ((wz_kind_run *)g_ptr_array_index(r->runs, 0))->facts;
    if (!attribute(r, diags)) goto fail;
    apply_grades(r);
    int64_t t2 = g_get_monotonic_time();
    if (policy->distribute && !distribute(r, diags)) goto fail;
    r->us_facts = us_facts;
    r->us_vm = us_vm;
    r->us_pay = g_get_monotonic_time() - t2;
    return r;
fail:
    wz_result_free(r);
    return NULL;
}

void wz_result_free(wz_result *r) {
    if (!r) return;
    if (r->runs) g_ptr_array_free(r->runs, TRUE);   /* the runs own r->vm and r->facts */
    wz_history_free(r->history);
    if (r->blame) g_array_free(r->blame, TRUE);
    wz_program_free(r->prog);
    g_free(r->params);
    if (r->param_sources)
        for (guint i = 0; i < r->policy->params->len; i++) g_free(r->param_sources[i]);
    g_free(r->param_sources);
    g_free(r->grade);
    g_free(r->pay);
    if (r->texts) g_ptr_array_free(r->texts, TRUE);
    g_free(r);
}
