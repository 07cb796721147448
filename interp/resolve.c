/* resolve.c — the checked tree lowered to the resolved policy.
 *
 * The checker annotates the syntax tree as it proves things (a name's index
 * in ref_index, a label's member in ref_index2, a rounding spelled in either
 * language normalised in a node's label).  This pass reads those annotations
 * once and writes them into the typed structures of check.h, so that the VM,
 * the engine, the outputs — and explain, diff and lint — never walk the tree
 * by child position or compare a name again.  It runs only on a policy that
 * checked without errors, so every index it reads is valid.
 */
#include "check_internal.h"

#include <string.h>

/* The member names of an enum: a TYPE's IDENT kids or a CLASSIFY's CASE kids. */
static GPtrArray *member_names(const wz_node *type_ref) {
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < wz_node_nkids(type_ref); i++) g_ptr_array_add(names, g_strdup(wz_node_kid(type_ref, i)->name));
    return names;
}

static int duty_index(const wz_role *role, int64_t number) {
    for (guint i = 0; i < role->duties->len; i++)
        if (g_array_index(role->duties, wz_duty, i).number == number) return (int)i;
    return -1;
}

/* BLAME: kids DUTY (name = role, ival = number) and RESPONSIBLE (name =
 * role, or fact with text = field; ival = WZ_RESP_*; op = 1 with a share in num). */
static wz_blame *resolve_blame(const wz_policy *p, const wz_node *bn) {
    wz_blame *b = g_new0(wz_blame, 1);
    b->span = bn->span;
    b->items = g_array_new(FALSE, FALSE, sizeof(wz_blame_item));
    for (guint i = 0; i < wz_node_nkids(bn); i++) {
        const wz_node *n = wz_node_kid(bn, i);
        wz_blame_item it = {.role = -1, .tier = -1, .own_def = -1, .fact = -1, .field = -1, .duty_index = -1, .span = n->span};
        if (n->kind == WZ_N_DUTY) {
            it.duty = true;
            it.role = n->ref_index;
            it.as = WZ_RESP_PLAIN;
            it.duty_index = duty_index(g_ptr_array_index(p->roles, (guint)it.role), n->ival);
        } else {
            it.as = (int)n->ival;
            it.has_share = n->op != 0;
            it.share = n->num;
            if (wz_node_kid(n, 0)) it.tier = wz_node_kid(n, 0)->ref_index2;   /* `tier T` */
            for (guint d = 0; wz_node_kid(n, 1) && d < p->defs->len; d++) {   /* `= EXPR`: the def the checker made of it */
                const wz_def *own = g_ptr_array_index(p->defs, d);
                if (own->kind == WZ_DEF_OWN_AMOUNT && own->node == wz_node_kid(n, 1)) it.own_def = (int)d;
            }
            if (n->text) {   /* FACT.FIELD: the role or the person each entity's row names */
                const wz_fact_schema *fs = g_ptr_array_index(p->facts, (guint)n->ref_index);
                it.fact = n->ref_index;
                it.field = n->ref_index2;
                it.field_name = n->text;
                it.names_person = ((const wz_field_schema *)g_ptr_array_index(fs->fields, (guint)it.field))->type != WZ_FT_ENUM;
            } else {
                it.role = n->ref_index;
            }
        }
        g_array_append_val(b->items, it);
    }
    return b;
}

static void resolve_def(wz_policy *p, wz_def *def) {
    const wz_node *n = def->node;
    def->span = n ? n->span : (wz_span){p->src, 0, 0};
    if (!def->span.src) def->span.src = p->src;
    def->limit_param = -1;
    def->window = -1;
    switch (def->kind) {
    case WZ_DEF_RULE:   /* kids: [amount, per, free, window(IDENT), cap, when, EACH] */
        def->sign = n->ival < 0 ? -1 : 1;
        def->amount_expr = wz_node_kid(n, 0);
        def->quantity_expr = wz_node_kid(n, 1);
        def->free_expr = wz_node_kid(n, 2);
        def->window = wz_node_kid(n, 3) ? wz_node_kid(n, 3)->ref_index : -1;
        def->cap_expr = wz_node_kid(n, 4);
        def->when_expr = wz_node_kid(n, 5);
        G_GNUC_FALLTHROUGH;
    case WZ_DEF_SECTION: case WZ_DEF_SANCTION: case WZ_DEF_NOTICE: case WZ_DEF_AWARD:
        def->text = g_strdup(n->text);
        /* the parts explain --why-not shows: a sanction's condition (and the tier number
         * of `at N`), a notice's condition, an award's amount and condition */
        if (def->each_fact >= 0 || (def->each_window >= 0 && def->kind != WZ_DEF_RULE)) {
            /* per incident (window): its parts are read on each row (window), never for the entity as a whole */
        } else if (def->kind == WZ_DEF_SANCTION && n->ival != WZ_SANCTION_FROM_FIELD) {
            def->when_expr = wz_node_kid(n, 2);
            if (n->ival == WZ_SANCTION_AT) def->quantity_expr = wz_node_kid(n, 1);
        } else if (def->kind == WZ_DEF_NOTICE) {
            def->when_expr = wz_node_kid(n, 0);
        } else if (def->kind == WZ_DEF_AWARD) {
            def->amount_expr = wz_node_kid(n, 0);
            def->when_expr = wz_node_kid(n, 1);
        }
        break;
    case WZ_DEF_QUOTA: {   /* the CASE: its label, and a literal or param limit */
        const wz_node *limit = wz_node_kid(n, 1);
        def->text = g_strdup(n->name);
        def->limit_span = limit->span;
        if (limit->kind == WZ_N_IDENT && limit->ref_kind == WZ_REF_PARAM) def->limit_param = limit->ref_index;
        break;
    }
    case WZ_DEF_POP_AGG:
        def->agg = (wz_agg)n->op;
        break;
    default:
        break;
    }
    if (def->type == WZ_T_ENUM && def->type_ref) {
        def->members = member_names(def->type_ref);
        def->member_spans = g_array_new(FALSE, FALSE, sizeof(wz_span));
        for (guint i = 0; i < wz_node_nkids(def->type_ref); i++) g_array_append_val(def->member_spans, wz_node_kid(def->type_ref, i)->span);
    }
    if (def->blame_node) def->blame = resolve_blame(p, def->blame_node);
}

/* A param's literal default (the checker allowed nothing else). */
static void resolve_param(wz_param_decl *pd) {
    pd->span = pd->node->span;
    const wz_node *e = pd->default_expr;
    if (!e) return;
    pd->has_default = true;
    if (e->kind == WZ_N_NUMBER) pd->default_value = wz_num(e->num);
    else if (e->kind == WZ_N_UNARY) pd->default_value = wz_num(wz_dec_neg(wz_node_kid(e, 0)->num));
    else if (e->kind == WZ_N_DATE) pd->default_value = wz_tagged(WZ_V_DATE, e->date);
    else if (e->kind == WZ_N_BOOL) pd->default_value = wz_tagged(WZ_V_BOOL, e->ival);
    else {
        pd->default_text = g_strdup(e->text);
        pd->default_value = (wz_value){.tag = WZ_V_STR, .s = pd->default_text};
    }
}

/* LADDER: kids TIER (name, text; kids EFFECT: CUT with [amount], GRADE with
 * the grade label's member in ref_index2, EXCLUDE). */
static void resolve_ladder(wz_ladder *l) {
    const wz_node *n = l->node;
    l->span = n->span;
    l->ntiers = wz_node_nkids(n);
    l->tiers = g_new0(wz_tier, l->ntiers);   /* NULL for a ladder with no tiers: nothing to index */
    for (guint i = 0; i < l->ntiers; i++) {
        const wz_node *t = wz_node_kid(n, i);
        wz_tier *tier = &l->tiers[i];
        tier->name = g_strdup(t->name);
        tier->text = g_strdup(t->text);
        tier->span = t->span;
        tier->cut = WZ_DEC_ZERO;
        tier->grade = -1;
        for (guint k = 0; k < wz_node_nkids(t); k++) {
            const wz_node *ef = wz_node_kid(t, k);
            if (ef->ival == WZ_EFFECT_CUT) tier->cut = wz_node_kid(ef, 0)->num;
            else if (ef->ival == WZ_EFFECT_EXCLUDE) tier->excluded = true;
            else if (ef->ival == WZ_EFFECT_GRADE && ef->ref_index2 > tier->grade) tier->grade = ef->ref_index2;   /* the lowest grade named */
        }
    }
}

static void resolve_role(wz_role *r) {
    for (guint i = 0; i < wz_node_nkids(r->node); i++) {
        const wz_node *d = wz_node_kid(r->node, i);
        wz_duty duty = {d->ival, g_strdup(d->text), d->span};
        g_array_append_val(r->duties, duty);
    }
}

/* DISTRIBUTE (name, text: a named part's): kids [pool, basis, stipend-or-NULL] + SHARE (ref_index2 = the
 * basis member; kids [weight, by-or-NULL], ref_index = the by's PRORATA def);
 * ival = places; label = NULL (half up) or "largest_remainder", as the checker
 * normalised either language's spelling. */
static void resolve_distribute(wz_distribute *d) {
    const wz_node *n = d->node;
    const wz_node *pool = wz_node_kid(n, 0);
    d->span = n->span;
    d->pool_span = pool->span;
    d->pool_expr = pool;
    d->pool_param = pool->kind == WZ_N_IDENT && pool->ref_kind == WZ_REF_PARAM ? pool->ref_index : -1;
    d->places = (int)n->ival;
    d->rounding = n->label && !strcmp(n->label, "largest_remainder") ? WZ_DIST_LARGEST_REMAINDER : WZ_DIST_HALF_UP;
    d->name = g_strdup(n->name);   /* basis_def and stipend_def: set by the checker */
    d->text = g_strdup(n->text);
    d->shares = g_array_new(FALSE, FALSE, sizeof(wz_share));
    for (guint i = 3; i < wz_node_nkids(n); i++) {
        const wz_node *sh = wz_node_kid(n, i);
        wz_share share = {sh->ref_index2, wz_node_kid(sh, 1) ? sh->ref_index : -1, (int)sh->ival, sh->span, wz_node_kid(sh, 0)};
        g_array_append_val(d->shares, share);
    }
}

void wz_policy_resolve(wz_policy *p) {
    for (guint i = 0; i < p->roles->len; i++) resolve_role(g_ptr_array_index(p->roles, i));
    for (guint i = 0; i < p->defs->len; i++) resolve_def(p, g_ptr_array_index(p->defs, i));
    for (guint i = 0; i < p->params->len; i++) resolve_param(g_ptr_array_index(p->params, i));
    for (guint i = 0; i < p->ladders->len; i++) resolve_ladder(g_ptr_array_index(p->ladders, i));
    for (guint i = 0; i < p->windows->len; i++) {
        wz_window_group *w = g_ptr_array_index(p->windows, i);
        w->split_spans = g_array_new(FALSE, FALSE, sizeof(wz_span));
        for (guint k = 0; k < wz_node_nkids(w->node); k++) g_array_append_val(w->split_spans, wz_node_kid(w->node, k)->span);
    }
    for (guint i = 0; i < p->parts->len; i++) resolve_distribute(g_ptr_array_index(p->parts, i));
    for (guint i = 0; i < p->row_values->len; i++) {   /* a row value's labels, for explain */
        wz_row_value *v = g_ptr_array_index(p->row_values, i);
        if (v->type == WZ_T_ENUM && v->type_ref) v->members = member_names(v->type_ref);
    }
    if (p->history_use) {
        p->history_fn = p->history_use->name;
        p->history_span = p->history_use->span;
    }
}
