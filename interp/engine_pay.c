/* engine_pay.c — what sanctions do to grades, and the pool shared exactly:
 * stipends first, then units by basis (fixed or pro rata), each part rounded
 * as the policy says, the residue stated so that parts + residue = pool. */
#include "engine_internal.h"

#include <string.h>

/* Sanctions whose tier carries `grade X` force that grade; the most severe wins. */
void wz_engine_apply_grades(wz_result *r) {
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
            wz_diag_at(diags, WZ_SEV_ERROR, dist->span, "distributing the pool: %s",          \
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

bool wz_engine_distribute(wz_result *r, wz_diags *diags) {
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
    bool *zero_none = g_new0(bool, nmembers);   /* `, zero exclude`: a person whose `by` value is 0 takes no unit */
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
        zero_none[sh->member] = sh->prorata_def >= 0 && sh->zero == WZ_ZERO_EXCLUDE;
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
        if (prorata[row->basis] >= 0) {
            wz_value by = wz_vm_value(r->vm, prorata[row->basis], i);
            if (zero_none[row->basis] && wz_dec_is_zero(by.d)) continue;   /* no unit: nothing to add */
            DEC_OR_FAIL(wz_dec_add(group_units[row->basis], weight[row->basis], &group_units[row->basis]));
            DEC_OR_FAIL(wz_dec_add(group_by[row->basis], by.d, &group_by[row->basis]));
        }
        DEC_OR_FAIL(wz_dec_add(units, weight[row->basis], &units));
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
        } else if (prorata[row->basis] >= 0 && zero_none[row->basis]) {
            reward = WZ_DEC_ZERO;   /* the whole group is at 0 and took no units */
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
    /* the arithmetic stays with the result, for explain */
    r->units = units;
    r->unit = unit;
    r->basis_prorata = g_new0(bool, nmembers ? nmembers : 1);
    for (guint m = 0; m < nmembers; m++) r->basis_prorata[m] = prorata[m] >= 0;
    r->basis_weight = weight;
    r->group_units = group_units;
    r->group_by = group_by;
    weight = group_units = group_by = NULL;
    ok = true;
out:
    g_free(remainders);
    g_free(order);
    g_free(weight);
    g_free(prorata);
    g_free(zero_none);
    g_free(group_units);
    g_free(group_by);
    return ok;
}
