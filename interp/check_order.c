/* check_order.c — pass 3 of the checker: evaluation order and entity kinds.
 *
 * check_compute_order() sorts the defs so that each comes after everything it
 * reads, in strata: population aggregates after the per-person values they sum.
 * check_propagate_kinds() then settles which kind of entity each def is for.
 */
#include "check_internal.h"

/* ---- evaluation order ----------------------------------------------------- */

static void visit(checker *c, int d, GArray *mark, GArray *order) {
    if (g_array_index(mark, int, d)) return;
    g_array_index(mark, int, d) = 1;
    wz_def *def = check_def_at(c, d);
    int stratum = 0;
    for (guint i = 0; i < def->deps->len; i++) {
        int dep = g_array_index(def->deps, int, i);
        visit(c, dep, mark, order);
        int s = check_def_at(c, dep)->stratum;
        if (s > stratum) stratum = s;
    }
    /* a population aggregate needs every person's inputs first: one stratum later */
    if (def->kind == WZ_DEF_POP_AGG) stratum++;
    def->stratum = stratum;
    g_array_append_val(order, d);
}

void check_compute_order(checker *c) {
    GArray *mark = g_array_new(FALSE, TRUE, sizeof(int));
    g_array_set_size(mark, c->p->defs->len);
    GArray *topo = g_array_new(FALSE, FALSE, sizeof(int));
    for (guint d = 0; d < c->p->defs->len; d++) visit(c, (int)d, mark, topo);
    /* stable by stratum: every def after all its deps, strata in increasing order */
    int max_stratum = 0;
    for (guint i = 0; i < topo->len; i++) {
        int s = check_def_at(c, g_array_index(topo, int, i))->stratum;
        if (s > max_stratum) max_stratum = s;
    }
    for (int s = 0; s <= max_stratum; s++)
        for (guint i = 0; i < topo->len; i++) {
            int d = g_array_index(topo, int, i);
            if (check_def_at(c, d)->stratum == s) g_array_append_val(c->p->order, d);
        }
    g_array_free(topo, TRUE);
    g_array_free(mark, TRUE);
}

/* Each def is computed for the entity kind of what it reads: its own
 * fact references (recorded by use_kind) joined with its dependencies'
 * kinds, in evaluation order so dependencies are settled first.  Reading two
 * kinds is an error; person-only constructs (sections, total, grade, pay)
 * must not read another kind; a sanction, notice or award that reads no fact
 * is about persons. */
void check_propagate_kinds(checker *c) {
    wz_policy *p = c->p;
    for (guint i = 0; i < p->order->len; i++) {
        int d = g_array_index(p->order, int, i);
        wz_def *def = check_def_at(c, d);
        for (guint k = 0; k < def->deps->len; k++) {
            const wz_def *dep = check_def_at(c, g_array_index(def->deps, int, k));
            if (dep->entity < 0 || dep->entity == def->entity) continue;
            if (def->entity < 0) def->entity = dep->entity;
            else if (def->node && g_hash_table_add(c->kind_errors, GINT_TO_POINTER(d + 1))) {
                ERR(def->node->span, "'%s' reads %s values and %s values (through '%s'); a value belongs to one kind of entity",
                    def->name, check_kind_name(c, def->entity), check_kind_name(c, dep->entity), dep->name);
                break;
            }
        }
        switch (def->kind) {
        case WZ_DEF_SECTION: case WZ_DEF_RULE: case WZ_DEF_TOTAL: case WZ_DEF_GRADE: case WZ_DEF_STIPEND:
        case WZ_DEF_PRORATA:
            if (def->entity > 0 && def->node)
                ERR(def->node->span, "'%s' reads %s values, but sections, the total, grades and pay are per person",
                    def->name, check_kind_name(c, def->entity));
            break;
        case WZ_DEF_SANCTION: case WZ_DEF_NOTICE: case WZ_DEF_AWARD: case WZ_DEF_RANK: case WZ_DEF_QUOTA:
            if (def->entity < 0) def->entity = 0;
            break;
        case WZ_DEF_POP_AGG:   /* count(all) reads no fact: it counts the entities of each run's kind */
            break;
        case WZ_DEF_OWN_AMOUNT:   /* each holder's, from the holder's own facts and values: a person's */
            if (def->entity > 0)
                ERR(def->node->span, "the own amount '%s' reads %s values, but it is each responsible person's own, "
                                     "read from that person's facts and values, as in '= -2 * staff.monthly_merit_pay'",
                    def->name, check_kind_name(c, def->entity));
            if (def->entity < 0) def->entity = 0;
            break;
        default:
            break;
        }
    }
    for (guint d = 0; d < p->defs->len; d++) {   /* a role or a person named by a fact's field: the finding's own row */
        const wz_def *def = check_def_at(c, (int)d);
        for (guint i = 0; def->blame_node && i < wz_node_nkids(def->blame_node); i++) {
            const wz_node *b = wz_node_kid(def->blame_node, i);
            if (b->kind != WZ_N_RESPONSIBLE || !b->text || b->ref_index < 0) continue;
            int fk = check_fact_at(c, b->ref_index)->entity;
            if (fk < 0) continue;   /* the fact's kind did not resolve: reported where it is declared */
            if (fk != def->entity && def->node)
                ERR(b->span, "'%s.%s' names who answers for each %s, but '%s' is about %ss", b->name, b->text, check_kind_name(c, fk),
                    def->name, check_kind_name(c, def->entity < 0 ? 0 : def->entity));
        }
    }
    for (guint i = 0; i < p->parts->len; i++) {
        const wz_distribute *d = g_ptr_array_index(p->parts, i);
        if (d->basis_def >= 0 && check_def_at(c, d->basis_def)->entity > 0)
            ERR(d->node->span, "the pool is shared among persons, but the basis '%s' reads %s values",
                check_def_at(c, d->basis_def)->name, check_kind_name(c, check_def_at(c, d->basis_def)->entity));
    }
}
