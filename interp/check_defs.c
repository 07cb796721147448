/* check_defs.c — pass 2 of the checker: each computed value (a def), on demand.
 *
 * check_def() types a def's expressions in a fresh context; a def met again
 * while it is being checked is a cycle.  Here too what defs need besides their
 * expressions: who answers for a sanction or an award (check_blame) and the
 * pool's distribution (check_distribute).
 */
#include "check_internal.h"

#include <string.h>

/* ---- defs ----------------------------------------------------------------- */

check_scope check_scope_enter(checker *c, int cur_def, int row_fact, int row_value) {
    check_scope saved = {c->cur_def, c->row_fact, c->row_value, c->window, c->global, c->guards};
    c->cur_def = cur_def;
    c->row_fact = row_fact;
    c->row_value = row_value;
    c->window = NULL;
    c->global = false;
    c->guards = g_array_new(FALSE, FALSE, sizeof(int));
    return saved;
}

void check_scope_leave(checker *c, check_scope saved) {
    g_array_free(c->guards, TRUE);
    c->cur_def = saved.cur_def;
    c->row_fact = saved.row_fact;
    c->row_value = saved.row_value;
    c->window = saved.window;
    c->global = saved.global;
    c->guards = saved.guards;
}

static void check_in_def(checker *c, int d, wz_node *expr, wz_type_kind want, const char *what) {
    if (!expr) return;
    int saved = c->cur_def;
    c->cur_def = d;
    if (want == WZ_T_UNKNOWN) check_expr(c, expr);
    else check_expect_type(c, expr, want, what);
    c->cur_def = saved;
}

/* Resolves `tier T` against ladder lad (ref_index2 = the tier's index), or says
 * which tiers there are. */
static void check_tier_of(checker *c, const wz_ladder *lad, wz_node *tier) {
    tier->ref_index2 = check_member_index(lad->node, tier->name);
    if (tier->ref_index2 < 0) {
        char *list = check_member_list(lad->node), *hint = check_hint_member(lad->node, tier->name);
        ERR(tier->span, "'%s' is not a tier of ladder '%s' (its tiers: %s)%s", tier->name, lad->name, list, hint);
        g_free(list);
        g_free(hint);
    }
}

/* `duty ROLE.N` names a duty that exists; `responsible` names roles, or the
 * role or person fields of the unit's own row, with shares that are all given
 * and add up to 100% (an award's split its amount; a sanction's record each
 * one's part of the responsibility: "各承担50%责任"), and the measure the rule
 * gives a role itself: on a sanction a tier of its ladder (`tier 诫勉谈话`), on
 * an award an amount of its own (`first 校长 = -2 * staff.monthly_merit_pay`),
 * a hidden per-person value (WZ_DEF_OWN_AMOUNT) checked like a let, which the
 * run computes for each holder.  A role with an amount of its own takes no
 * share: the shares split the award's amount among the others. */
static void check_blame(checker *c, wz_def *def, const wz_node *blame, bool award, const wz_ladder *lad) {
    def->blame_node = blame;
    if (!blame) return;
    guint nshares = 0, nitems = 0;
    wz_dec total = WZ_DEC_ZERO;
    bool has_duty = false, chain = false, named_first = false, named_direct = false, needs_holders = false;
    for (guint i = 0; i < wz_node_nkids(blame); i++) {
        wz_node *b = wz_node_kid(blame, i);
        if (b->kind == WZ_N_RESPONSIBLE && b->text) {   /* FACT.FIELD: the role or person each entity's row names */
            name_entry *e = check_lookup_fact(c, b->name);
            const wz_fact_schema *fs = e && e->kind == NAME_FACT ? check_fact_at(c, e->index) : NULL;
            int fi = fs ? check_field_index(fs, b->text) : -1;
            const wz_node *ft = fi >= 0 ? check_field_type_node(c, e->index, fi) : NULL;
            bool is_role = ft && ft == c->p->role_type;
            bool is_person = ft && ft->kind == WZ_N_TYPE && ft->ival == WZ_T_PERSON;
            if (!fs || fi < 0 || !(is_role || is_person) || !fs->one_per_person || fs->entity == 0) {
                ERR(b->span, "'%s.%s' does not name a role or a person: expecting a field of type role or person of a "
                             "'one per KIND' fact, as in 'fact goals every goal { goal: goal; lead: role; }'", b->name, b->text);
                continue;
            }
            b->ref_index = e->index;
            b->ref_index2 = fi;
            needs_holders |= is_role;
        } else {
            const wz_role *found = check_find_role(c, b->name);
            const wz_node *role = found ? found->node : NULL;
            if (!role) {
                char *hint = check_hint_name(c, b->name, 1u << NAME_ROLE);
                ERR(b->span, "'%s' is not a role, expecting one declared with 'role %s { duty 1 \"…\"; }'%s", b->name, b->name, hint);
                g_free(hint);
                continue;
            }
            b->ref_index = check_lookup(c, b->name)->index;   /* the role's index, for the run */
            needs_holders = true;
            if (b->kind == WZ_N_DUTY) {
                bool found = false;
                for (guint k = 0; k < wz_node_nkids(role); k++) found |= wz_node_kid(role, k)->ival == b->ival;
                if (!found || !wz_dec_is_integer(b->num))
                    ERR(b->span, "role '%s' has no duty %" PRId64, b->name, b->ival);
                has_duty = true;
                chain = role->label != NULL;
                continue;
            }
            for (guint j = 0; j < i; j++) {
                const wz_node *other = wz_node_kid(blame, j);
                if (other->kind == WZ_N_RESPONSIBLE && !other->text && !strcmp(other->name, b->name)) {
                    ERR(b->span, "role '%s' is named twice; each responsible role once", b->name);
                    break;
                }
            }
        }
        /* a responsible item, a named role or a field naming one; with an
         * amount of its own (`= EXPR`) it is outside the shares */
        wz_node *own = wz_node_kid(b, 1);
        if (!own || b->op) nitems++;
        named_first |= b->ival == WZ_RESP_FIRST;
        named_direct |= b->ival == WZ_RESP_DIRECT;
        if (b->op) {
            nshares++;
            wz_dec_add(total, b->num, &total);
        }
        wz_node *tier = wz_node_kid(b, 0);   /* `tier T`: the measure the rule gives this role itself */
        if (tier && award) {
            ERR(tier->span, "a tier is a sanction's measure; on an award give '%s' a share of its amount, as in '%s 50%%', "
                            "or an amount of its own, as in '%s = -200'", b->name, b->name, b->name);
        } else if (tier && lad) {
            check_tier_of(c, lad, tier);
        }
        if (!own) continue;
        char *who = b->text ? g_strdup_printf("%s.%s", b->name, b->text) : g_strdup(b->name);
        if (!award) {
            ERR(own->span, "an amount of its own is an award's measure, money: on a sanction give '%s' a tier of the ladder, "
                           "as in '%s tier T', and write the money as an award of its own", who, who);
        } else if (b->op) {
            ERR(own->span, "'%s' has a share and an amount of its own; give one: a share is a part of the award's amount, "
                           "an amount of its own is instead of it", who);
        } else {
            char *name = g_strdup_printf("%s.%s", def->name, who);
            check_add_def(c, WZ_DEF_OWN_AMOUNT, name, own);   /* checked in its turn, after this rule */
            g_free(name);
        }
        g_free(who);
    }
    if (nshares && (nshares != nitems || wz_dec_cmp(total, WZ_DEC_ONE) != 0))
        ERR(blame->span, "the shares of the responsible must all be given and add up to 100%%");
    /* a duty brings a direct responsible (and the top of its chain as first)
     * unless named: with shares, every one who answers must have a share */
    if (nshares && has_duty && (!named_direct || (chain && !named_first)))
        ERR(blame->span, "with shares, the duty's responsible persons need theirs too: write "
                         "'responsible first ROLE P%%, direct ROLE P%%' beside the duty");
    if (needs_holders && c->p->holders < 0)
        ERR(blame->span, "to name who is responsible, the policy needs a person fact with a field of type role (who holds which post), "
                         "as in 'fact posts for person { id: person; post: role; }'");
}

void check_def(checker *c, int d) {
    def_state *st = &g_array_index(c->state, def_state, d);
    wz_def *def = check_def_at(c, d);
    if (*st == DEF_DONE) return;
    if (*st == DEF_CHECKING) {
        ERR(def->node->span, "'%s' depends on itself; a policy's values must not go round in a circle", def->name);
        def->type = WZ_T_UNKNOWN;
        *st = DEF_DONE;
        return;
    }
    *st = DEF_CHECKING;
    check_scope saved = check_scope_enter(c, c->cur_def, -1, -1);
    const wz_node *n = def->node;
    switch (def->kind) {
    case WZ_DEF_TOTAL:
        if (!n) {   /* no `total =`: the sum of the sections */
            for (guint s = 0; s < c->p->sections->len; s++) {
                int sec = g_array_index(c->p->sections, int, s);
                check_def(c, sec);
                int saved = c->cur_def;
                c->cur_def = d;
                check_add_dep(c, sec);
                c->cur_def = saved;
            }
            def->type = WZ_T_NUMBER;
            break;
        }
        /* fall through: `total = EXPR;` is checked like a let */
        G_GNUC_FALLTHROUGH;
    case WZ_DEF_LET: case WZ_DEF_GRADE: case WZ_DEF_STIPEND: case WZ_DEF_PRORATA: {
        wz_node *e = def->kind == WZ_DEF_LET || def->kind == WZ_DEF_TOTAL || def->kind == WZ_DEF_GRADE
                         ? wz_node_kid(n, 0) : (wz_node *)n;
        if (def->kind == WZ_DEF_TOTAL || def->kind == WZ_DEF_STIPEND || def->kind == WZ_DEF_PRORATA)
            check_in_def(c, d, e, WZ_T_NUMBER, def->kind == WZ_DEF_TOTAL ? N_("total") : def->kind == WZ_DEF_STIPEND ? N_("the stipend") : N_("a pro-rata value"));
        else
            check_in_def(c, d, e, WZ_T_UNKNOWN, NULL);
        if (def->kind == WZ_DEF_GRADE && e->kind != WZ_N_CLASSIFY)
            ERR(e->span, "grade must be a classify { … } of grade labels");
        if (def->kind == WZ_DEF_LET && e->maybe)
            ERR(e->span, "'%s' may be missing (an optional fact, or min/max/avg of nothing); write 'X ?? default' or guard it with exists()", def->name);
        if (def->kind == WZ_DEF_LET && e->type == WZ_T_LABEL)
            check_unknown_name(c, e);
        def->type = check_is_num(e->type) ? WZ_T_NUMBER : e->type;
        def->type_ref = e->type_ref;
        break;
    }
    case WZ_DEF_RULE: {
        const char *what[] = {N_("a rule's amount"), N_("the quantity after 'per'"), N_("the free allowance"), NULL, N_("a rule's cap"), N_("a rule's 'when' condition")};
        wz_node *win = wz_node_kid(n, 3), *each = wz_node_nkids(n) > 6 ? wz_node_kid(n, 6) : NULL;
        if (each) {   /* `for each W`: amount, quantity, allowance and condition per window; the cap on their sum */
            check_each(c, d, each);
            c->window = NULL;
            if (win && def->each_window >= 0 && strcmp(win->name, each->name))
                ERR(win->span, "a rule given for each '%s' takes its allowance in each of those windows, expecting 'free N per %s'",
                    each->name, each->name);
        }
        for (int i = 0; i < 6; i++) {
            wz_node *k = wz_node_kid(n, i);
            if (!k || i == 3) continue;
            /* with 'free N per W' the quantity is counted once per window of W */
            c->window = def->each_window >= 0 && i != 4 ? each->name : i == 1 && win ? win->name : NULL;
            check_in_def(c, d, k, i == 5 ? WZ_T_BOOL : WZ_T_NUMBER, what[i]);
            c->window = NULL;
        }
        wz_node *w = wz_node_kid(n, 3);
        if (w) {
            name_entry *e = check_lookup(c, w->name);
            if (!e || e->kind != NAME_WINDOWS) {
                char *hint = check_hint_name(c, w->name, 1u << NAME_WINDOWS);
                ERR(w->span, "'%s' is not a window group; declare one with 'split PERIOD into %s at DATE;'%s", w->name, w->name, hint);
                g_free(hint);
            } else w->ref_index = e->index;
            if (!wz_node_kid(n, 1)) ERR(w->span, "a per-window allowance needs a quantity, expecting 'per QUANTITY free N per %s'", w->name);
        }
        def->type = WZ_T_NUMBER;
        break;
    }
    case WZ_DEF_SECTION: {
        for (int i = 0; i < 3; i++)
            if (wz_node_kid(n, i)) {
                c->global = true;
                check_in_def(c, -1, wz_node_kid(n, i), WZ_T_NUMBER, i == 0 ? N_("a section's points") : i == 1 ? N_("a section's floor") : N_("a section's cap"));
                c->global = false;
            }
        wz_node *formula = wz_node_kid(n, 3);
        if (formula) check_in_def(c, d, formula, WZ_T_NUMBER, "a section's formula");
        for (guint i = 0; i < c->p->defs->len; i++)
            if (check_def_at(c, i)->kind == WZ_DEF_RULE && check_def_at(c, i)->section == d) {
                check_def(c, (int)i);
                check_add_dep(c, (int)i);   /* recorded on behalf of the section below */
                GArray *deps = def->deps;
                gboolean have = FALSE;
                for (guint k = 0; k < deps->len; k++) have |= g_array_index(deps, int, k) == (int)i;
                if (!have) g_array_append_val(deps, i);
            }
        if (!formula && wz_node_nkids(n) <= 4 && !wz_node_kid(n, 0))
            ERR(n->span, "section '%s' has neither points nor rules nor a formula", n->name);
        def->type = WZ_T_NUMBER;
        break;
    }
    case WZ_DEF_SANCTION: {
        wz_node *ln = wz_node_kid(n, 0);
        wz_ladder *lad = def->ladder >= 0 ? g_ptr_array_index(c->p->ladders, def->ladder) : NULL;
        if (!lad) {
            char *hint = check_hint_name(c, ln->name, 1u << NAME_LADDER);
            ERR(ln->span, "unknown ladder '%s'%s", ln->name, hint);
            g_free(hint);
            break;
        }
        if (n->ival == WZ_SANCTION_FROM_FIELD) {
            wz_node *src = wz_node_kid(n, 1);
            name_entry *e = check_lookup_fact(c, src->name);
            if (!e) {
                char *hint = check_hint_name(c, src->name, 1u << NAME_FACT);
                ERR(src->span, "'%s' is not a fact%s", src->name, hint);
                g_free(hint);
                break;
            }
            c->row_fact = e->index;
            c->cur_def = d;
            check_field_ref(c, src);
            if (wz_node_kid(n, 2)) check_expect_type(c, wz_node_kid(n, 2), WZ_T_BOOL, "a 'where' filter");
            c->cur_def = -1;
            c->row_fact = -1;
            if (src->type == WZ_T_ENUM) {
                for (guint i = 0; i < wz_node_nkids(src->type_ref); i++) {
                    const char *m = wz_node_kid(src->type_ref, i)->name;
                    if (check_member_index(lad->node, m) < 0)
                        ERR(src->span, "value '%s' of %s.%s is not a tier of ladder '%s'", m, src->name, src->text, lad->name);
                }
            } else if (src->type != WZ_T_UNKNOWN)
                ERR(src->span, "'%s.%s' must be an enum whose values name tiers of '%s'", src->name, src->text, lad->name);
            wz_node *each = wz_node_kid(n, 4);
            if (each) {   /* per incident: the rows are those `from` reads */
                def->each_fact = check_each(c, d, each);
                c->row_fact = -1;
                c->window = NULL;
                if (def->each_fact >= 0 && def->each_fact != e->index)
                    ERR(each->span, "'for each %s' must name the fact that 'from %s.%s' reads, expecting 'for each %s'",
                        each->name, src->name, src->text, src->name);
                if (def->each_window >= 0 && check_fact_at(c, e->index)->date_field < 0)
                    ERR(each->span, "fact '%s' is not dated, so its rows cannot be split into '%s' windows; declare it 'dated by FIELD'",
                        src->name, each->name);
            }
        } else if (n->ival == WZ_SANCTION_AT) {
            if (wz_node_kid(n, 4) && check_lookup_fact(c, wz_node_kid(n, 4)->name) == NULL)
                ERR(wz_node_kid(n, 4)->span, "'at N' escalates one tier per person from a count, so it is not given per window; "
                                             "count in N, or give each window its tier with 'tier T when C for each %s'",
                    wz_node_kid(n, 4)->name);
            else if (wz_node_kid(n, 4))
                ERR(wz_node_kid(n, 4)->span, "'at N' escalates one tier per person from a count, so it has no incidents; "
                                             "count them in N (at count(%s where …)), or give each incident its tier with "
                                             "'tier T when C for each %s'", wz_node_kid(n, 4)->name, wz_node_kid(n, 4)->name);
            check_in_def(c, d, wz_node_kid(n, 1), WZ_T_NUMBER, "the tier number after 'at'");
            check_in_def(c, d, wz_node_kid(n, 2), WZ_T_BOOL, "a sanction's 'when' condition");
        } else {
            /* per incident: the condition is read on each row of the fact */
            if (wz_node_kid(n, 4)) def->each_fact = check_each(c, d, wz_node_kid(n, 4));
            check_tier_of(c, lad, wz_node_kid(n, 1));
            check_in_def(c, d, wz_node_kid(n, 2), WZ_T_BOOL, "a sanction's 'when' condition");
            c->row_fact = -1;
            c->window = NULL;
        }
        check_blame(c, def, wz_node_kid(n, 3), false, lad);
        def->type = WZ_T_INT;
        break;
    }
    case WZ_DEF_NOTICE:
        check_in_def(c, d, wz_node_kid(n, 0), WZ_T_BOOL, "a notice's 'when' condition");
        def->type = WZ_T_BOOL;
        break;
    case WZ_DEF_AWARD: {
        wz_node *amount = wz_node_kid(n, 0), *when = wz_node_kid(n, 1);
        check_blame(c, def, wz_node_kid(n, 2), true, NULL);
        /* per incident: the condition and the amount are read on each row of the fact */
        if (wz_node_kid(n, 3)) def->each_fact = check_each(c, d, wz_node_kid(n, 3));
        check_in_def(c, d, when, WZ_T_BOOL, "an award's 'when' condition");
        /* the amount is only computed when the condition holds: it may use
         * what the condition proves present */
        guint saved = c->guards->len;
        if (when) check_collect_guards(c, when, c->guards);
        check_in_def(c, d, amount, WZ_T_NUMBER, "an award's amount");
        g_array_set_size(c->guards, saved);
        c->row_fact = -1;
        c->window = NULL;
        def->type = WZ_T_NUMBER;
        break;
    }
    case WZ_DEF_KEY: {
        wz_node *e = (wz_node *)n;
        check_in_def(c, d, e, WZ_T_UNKNOWN, NULL);
        if (e->type == WZ_T_LABEL) check_unknown_name(c, e);
        else if (e->type == WZ_T_PERSON) ERR(e->span, "a person cannot be ordered; order by a value of theirs");
        def->type = check_is_num(e->type) ? WZ_T_NUMBER : e->type;
        def->type_ref = e->type_ref;
        break;
    }
    case WZ_DEF_QUOTA: {   /* the CASE: its condition says who may get the label */
        check_in_def(c, d, wz_node_kid(n, 0), WZ_T_BOOL, "a 'when' condition");
        def->type = WZ_T_BOOL;
        break;
    }
    case WZ_DEF_OWN_AMOUNT:   /* `first 校长 = EXPR`: a number for each person who may answer, never missing */
        check_in_def(c, d, (wz_node *)n, WZ_T_NUMBER, N_("a responsible person's own amount"));
        def->type = WZ_T_NUMBER;
        break;
    case WZ_DEF_RANK:
    case WZ_DEF_POP_AGG:
        break;
    }
    /* a rule per window that reads no one's rows is still about each person, window by window */
    if (def->each_window >= 0 && def->entity < 0) def->entity = 0;
    check_scope_leave(c, saved);
    g_array_index(c->state, def_state, d) = DEF_DONE;
}

void check_distribute(checker *c, wz_distribute *part) {
    wz_policy *p = c->p;
    wz_node *n = (wz_node *)part->node;
    check_global_expr(c, wz_node_kid(n, 0), WZ_T_NUMBER, n->name ? N_("a part's amount") : N_("the pool"));
    if (n->name) {   /* pay.csv has a column named by the part, beside these and the awards' */
        static const char *const taken[] = {"id", "basis", "reward", "stipend", "amount", "pay"};
        for (size_t i = 0; i < G_N_ELEMENTS(taken); i++)
            if (!strcmp(n->name, taken[i])) ERR(n->span, "a part cannot be named '%s', a column pay.csv already has", n->name);
        name_entry *e = check_lookup(c, n->name);
        if (e && e->kind == NAME_DEF && check_def_at(c, e->index)->kind == WZ_DEF_AWARD)
            ERR(n->span, "part '%s' has the name of an award, and pay.csv would have two columns '%s'", n->name, n->name);
    }
    if (n->ival < 0 || n->ival > 8)
        ERR(n->span, "distribute rounds to 0 to 8 decimal places, as in 'round 2'");
    if (n->label && !strcmp(n->label, "最大余额")) {   /* the Chinese spellings */
        g_free(n->label);
        n->label = g_strdup("largest_remainder");
    } else if (n->label && !strcmp(n->label, "四舍五入")) {
        g_free(n->label);
        n->label = g_strdup("half_up");
    }
    if (n->label && strcmp(n->label, "half_up") && strcmp(n->label, "largest_remainder")) {
        ERR(n->span, "unknown rounding '%s' for distribute, expecting half_up or largest_remainder", n->label);
    } else if (n->label && !strcmp(n->label, "half_up")) {
        g_free(n->label);   /* the default, said explicitly */
        n->label = NULL;
    }
    wz_node *basis = wz_node_kid(n, 1);
    name_entry *e = check_lookup(c, basis->name);
    if (!e || e->kind != NAME_DEF || check_def_at(c, e->index)->kind != WZ_DEF_LET) {
        ERR(basis->span, "'%s' must be a 'let' whose value is a classify { … } of pay bases", basis->name);
        return;
    }
    check_def(c, e->index);
    wz_def *bd = check_def_at(c, e->index);
    if (bd->type != WZ_T_ENUM || !bd->type_ref || bd->type_ref->kind != WZ_N_CLASSIFY) {
        ERR(basis->span, "'%s' must be a classify { … } of pay bases", basis->name);
        return;
    }
    part->basis_def = e->index;
    if (part == p->distribute) p->basis_def = e->index;
    const wz_node *members = bd->type_ref;
    GArray *seen = g_array_new(FALSE, TRUE, sizeof(int));
    g_array_set_size(seen, wz_node_nkids(members));
    for (guint i = 3; i < wz_node_nkids(n); i++) {
        wz_node *sh = wz_node_kid(n, i);
        int m = check_member_index(members, sh->name);
        if (m < 0) {
            char *list = check_member_list(members), *hint = check_hint_member(members, sh->name);
            ERR(sh->span, "'%s' is not a basis of '%s' (its values: %s)%s", sh->name, basis->name, list, hint);
            g_free(list);
            g_free(hint);
            continue;
        }
        if (g_array_index(seen, int, m)) ERR(sh->span, "basis '%s' has two shares", sh->name);
        g_array_index(seen, int, m) = 1;
        sh->ref_index2 = m;
        check_global_expr(c, wz_node_kid(sh, 0), WZ_T_NUMBER, "a share's weight");
        wz_node *by = wz_node_kid(sh, 1);
        if (by) {
            char *name = n->name ? g_strdup_printf("%s.share.%s.by", n->name, sh->name) : g_strdup_printf("share.%s.by", sh->name);
            int d = check_add_def(c, WZ_DEF_PRORATA, name, by);
            g_free(name);
            sh->ref_index = d;
            check_def(c, d);
        }
    }
    for (guint m = 0; m < seen->len; m++)
        if (!g_array_index(seen, int, m))
            ERR(n->span, "basis '%s' of '%s' has no share, expecting '%s: WEIGHT;'", wz_node_kid(members, m)->name,
                basis->name, wz_node_kid(members, m)->name);
    g_array_free(seen, TRUE);
}
