/* engine_blame.c — who answers for a finding: the holders of the roles a
 * rule names (`duty ROLE.N`, `responsible first R, direct R`), in the
 * finding's unit, and the persons the unit's own row names (`responsible
 * direct accident.class_teacher 50%`), each with the measure they get: a
 * unit's measure whole, a person's own measure only to that person, a role's
 * own tier or own amount (read from each holder's own facts), an award's
 * amount split by the shares given. */
#include "engine_internal.h"
#include "i18n.h"

#include <string.h>

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

/* The role (or, for a person field, the text id of the person) that entity
 * e's row of a one-per fact names in field FACT.FIELD (`responsible direct
 * goals.lead`), or -1 when it has no row or an empty cell. */
static int64_t named_by_row(const wz_kind_run *run, const wz_blame_item *item, uint32_t e) {
    const wz_fact_table *t = g_ptr_array_index(run->facts->tables, (guint)item->fact);
    if (!t->by_person_start || e >= run->facts->npersons || t->by_person_start[e] == t->by_person_start[e + 1]) return -1;
    uint32_t row = t->by_person_start[e];
    const wz_column *col = t->columns[item->field];
    return wz_column_is_missing(col, row) ? -1 : wz_column_int(col, row);
}

/* A unit a finding is answered for in: an entity of a kind, by its key. */
typedef struct unit_ref {
    int kind;
    const char *key;
} unit_ref;
#define WZ_MAX_UNITS 16   /* nesting deeper than school ⊃ 年级组 ⊃ 备课组 … is cut here */

/* Entity `key`'s index among its kind's run, or -1 (a unit no fact of its
 * own kind names). */
static int64_t entity_index(const wz_kind_run *run, const char *key) {
    for (uint32_t e = 0; e < run->facts->npersons; e++)
        if (!strcmp(wz_facts_person_id(run->facts, e), key)) return e;
    return -1;
}

/* The unit `key` of `kind` and the units it is in (`entity group in school`),
 * innermost first, read from each kind's one-per fact naming its enclosing
 * unit; the chain stops at a unit whose row names none.  Returns how many. */
static guint unit_chain(const wz_result *r, int kind, const char *key, unit_ref *out) {
    guint n = 0;
    while (n < WZ_MAX_UNITS) {
        out[n++] = (unit_ref){kind, key};
        const wz_entity_kind *kd = g_ptr_array_index(r->policy->kinds, (guint)kind);
        if (kd->parent < 0) break;
        const wz_kind_run *run = g_ptr_array_index(r->runs, (guint)kind);
        const wz_fact_table *t = g_ptr_array_index(run->facts->tables, (guint)kd->parent_fact);
        int64_t e = entity_index(run, key);
        if (e < 0 || !t->by_person_start || t->by_person_start[e] == t->by_person_start[e + 1]) break;
        uint32_t row = t->by_person_start[e];
        const wz_column *col = t->columns[kd->parent_field];
        if (wz_column_is_missing(col, row)) break;
        key = wz_facts_string(run->facts, (uint32_t)wz_column_int(col, row));
        kind = kd->parent;
    }
    return n;
}

/* How many `in` steps a kind is from the outermost unit (a school 0, its 教研组 1). */
static guint unit_depth(const wz_policy *p, int kind) {
    guint d = 0;
    for (int up = ((const wz_entity_kind *)g_ptr_array_index(p->kinds, (guint)kind))->parent; up > 0 && d < WZ_MAX_UNITS; d++)
        up = ((const wz_entity_kind *)g_ptr_array_index(p->kinds, (guint)up))->parent;
    return d;
}

/* A person's units: the innermost unit their holders row names (their
 * 教研组 before their school; of two at one depth, the kind declared first),
 * then the units it is in. */
static guint person_units(const wz_result *r, const holders_view *h, uint32_t person, unit_ref *out) {
    const wz_policy *p = r->policy;
    int best = -1;
    const char *key = NULL;
    for (guint u = 1; u < p->holders_unit_field->len; u++) {
        int col = g_array_index(p->holders_unit_field, int, u);
        if (col < 0 || (best >= 0 && unit_depth(p, (int)u) <= unit_depth(p, best))) continue;
        for (uint32_t row = 0; row < h->t->nrows; row++)
            if (holder_person(h, row) == (int64_t)person && !wz_column_is_missing(h->t->columns[col], row)) {
                best = (int)u;
                key = wz_facts_string(h->facts, (uint32_t)wz_column_int(h->t->columns[col], row));
                break;
            }
    }
    return best < 0 ? 0 : unit_chain(r, best, key, out);
}

/* Adds a line for every holder of `role` in the unit (unit_col/unit: the
 * holder rows whose unit field names it; unit_col -1: anywhere). */
static guint add_holders(wz_result *r, const holders_view *h, int role, int as, int unit_col, const char *unit,
                         wz_blame_line proto) {
    guint added = 0;
    for (uint32_t row = 0; row < h->t->nrows; row++) {
        if (wz_column_is_missing(h->t->columns[h->role_col], row) || wz_column_int(h->t->columns[h->role_col], row) != role)
            continue;   /* an empty post is no post */
        if (unit_col >= 0 && (wz_column_is_missing(h->t->columns[unit_col], row) ||   /* no unit of that kind: not there */
                              strcmp(wz_facts_string(h->facts, (uint32_t)wz_column_int(h->t->columns[unit_col], row)), unit)))
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

/* The leader's own amount (`first 校长 = EXPR` on an award): EXPR for the
 * person of `line`, exactly, with the fact rows it read. */
static bool own_amount(wz_result *r, int own, const wz_def *def, const wz_kind_run *run, const wz_finding *f,
                       wz_blame_line *line, wz_diags *diags) {
    const wz_kind_run *persons = g_ptr_array_index(r->runs, 0);
    wz_value v;
    line->own_def = own;
    if (!wz_vm_eval_own(persons->vm, own, line->person, &v, &line->rows, diags)) return false;
    if (v.tag != WZ_V_NUM) {   /* the checker proved it never missing; a decide's conflict can still leave it so */
        const wz_def *od = g_ptr_array_index(r->policy->defs, (guint)own);
        wz_diag_at(diags, WZ_SEV_ERROR, od->span, "%s's own amount for the finding of rule '%s' for %s has no value",
                   wz_facts_person_id(persons->facts, line->person), def->name, wz_facts_person_id(run->facts, f->person));
        return false;
    }
    line->amount = v.d;
    return true;
}

/* Every finding of a rule with `duty` or `responsible` is answered for by
 * the persons holding the roles named — in the finding's unit when the
 * holders fact names units of its kind: the direct responsible (the duty's
 * role, or the person who failed it) and the first (the top of the
 * reports_to chain).  An award's amount goes to each of them whole ("同奖
 * 同罚") or by the shares given, split evenly among a role's holders.  A
 * role that no one holds is an error: a finding is never left unanswered. */
bool wz_engine_attribute(wz_result *r, wz_diags *diags) {
    const wz_policy *p = r->policy;
    r->blame = g_array_new(FALSE, FALSE, sizeof(wz_blame_line));
    for (guint d = 0; d < p->defs->len; d++) r->has_blame |= ((wz_def *)g_ptr_array_index(p->defs, d))->blame != NULL;
    if (!r->has_blame) return true;
    const wz_kind_run *persons = g_ptr_array_index(r->runs, 0);
    /* without a holders fact (a policy whose rules name only the persons a
     * row names) no role is looked up: an empty view */
    const wz_fact_table *ht = p->holders >= 0 ? g_ptr_array_index(persons->facts->tables, p->holders) : NULL;
    const wz_fact_schema *hs = ht ? ht->schema : NULL;
    holders_view h = {ht, persons->facts, p->holders_role_field, !hs || hs->is_population ? -1 : hs->person_field};
    GHashTable *person_index = NULL;   /* person id → index + 1, for the persons a row names */
    bool ok = true;
    for (guint k = 0; k < r->runs->len; k++) {
        const wz_kind_run *run = g_ptr_array_index(r->runs, k);
        for (guint i = 0; i < run->vm->findings->len; i++) {
            const wz_finding *f = g_ptr_array_index(run->vm->findings, i);
            const wz_def *def = g_ptr_array_index(p->defs, f->def);
            if (!def->blame || f->decide >= 0) continue;
            /* the units the holders are looked up in, innermost first: the
             * finding's own and those it is in; a person's finding, the
             * person's own innermost unit (their 教研组, then their school) */
            unit_ref chain[WZ_MAX_UNITS];
            guint nunits = 0;
            if (k > 0) nunits = unit_chain(r, (int)k, wz_facts_person_id(run->facts, f->person), chain);
            else if (ht) nunits = person_units(r, &h, f->person, chain);
            wz_blame_line proto = {.run = k, .finding = i, .own_def = -1};
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
                int role, as, tier;
                int own;                    /* the role's own amount (an OWN_AMOUNT def), or -1 */
                bool has_share, own_duty;   /* own_duty: the person who failed it, for a person's finding */
                wz_dec share;
                int64_t person;             /* a person the unit's row names (role -1), else -1 */
                const char *name;           /* the role's name or the person field's */
            } wanted;
            GArray *want = g_array_new(FALSE, FALSE, sizeof(wanted));
            bool named_first = false, named_direct = false;
            for (guint b = 0; b < items->len; b++) {
                const wz_blame_item *item = &g_array_index(items, wz_blame_item, b);
                if (item->duty) continue;
                int64_t named = item->fact >= 0 ? named_by_row(run, item, f->person) : item->role;
                int64_t person = -1;
                if (named >= 0 && item->names_person) {   /* the person the row names, by their id */
                    if (!person_index) {
                        person_index = g_hash_table_new(g_str_hash, g_str_equal);
                        for (uint32_t q = 0; q < persons->facts->npersons; q++)
                            g_hash_table_insert(person_index, (gpointer)wz_facts_person_id(persons->facts, q), GUINT_TO_POINTER(q + 1));
                    }
                    const char *id = wz_facts_string(run->facts, (uint32_t)named);
                    person = (int64_t)GPOINTER_TO_UINT(g_hash_table_lookup(person_index, id)) - 1;
                    if (person < 0) {
                        const wz_fact_table *t = g_ptr_array_index(run->facts->tables, (guint)item->fact);
                        wz_diag_plain(diags, WZ_DIAG_FACTS, WZ_SEV_ERROR, t->file ? t->file : t->schema->name,
                                      "%s's %s in %s is '%s', who is not one of the persons, so no one answers for the finding of rule '%s'",
                                      wz_facts_person_id(run->facts, f->person), item->field_name, t->schema->name, id, def->name);
                        ok = false;
                        continue;
                    }
                }
                if (named < 0) {   /* the entity's row names no role or no person */
                    const wz_fact_table *t = g_ptr_array_index(run->facts->tables, (guint)item->fact);
                    wz_diag_plain(diags, WZ_DIAG_FACTS, WZ_SEV_ERROR, t->file ? t->file : t->schema->name,
                                  "%s has no %s in %s, so no one answers for the finding of rule '%s'",
                                  wz_facts_person_id(run->facts, f->person), item->field_name, t->schema->name, def->name);
                    ok = false;
                    continue;
                }
                int role = item->names_person ? -1 : (int)named;
                const char *name = role >= 0 ? ((const wz_role *)g_ptr_array_index(p->roles, (guint)role))->name : item->field_name;
                wanted w = {role, item->as, item->tier, item->own_def, item->has_share, false, item->share, person, name};
                g_array_append_val(want, w);
                named_first |= item->as == WZ_RESP_FIRST;
                named_direct |= item->as == WZ_RESP_DIRECT;
            }
            if (duty_role >= 0 && !named_direct) {
                wanted direct = {duty_role, WZ_RESP_DIRECT, -1, -1, false, true, WZ_DEC_ZERO, -1,
                                 ((const wz_role *)g_ptr_array_index(p->roles, (guint)duty_role))->name};
                g_array_append_val(want, direct);
            }
            int top = duty_role >= 0 ? chain_top(p, duty_role) : -1;
            if (duty_role >= 0 && !named_first && top != duty_role) {
                wanted first = {top, WZ_RESP_FIRST, -1, -1, false, false, WZ_DEC_ZERO, -1,
                                ((const wz_role *)g_ptr_array_index(p->roles, (guint)top))->name};
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
                if ((k == 0 && x->own_duty) || x->person >= 0) {   /* a person who failed their own duty; one a row names */
                    /* named twice by one row as the same kind of responsible (she
                     * teaches her own class: the 任课教师 is the 班主任): one line,
                     * the first field's, with both shares — 50% and 50% are her 全部责任 */
                    wz_blame_line *same = NULL;
                    for (guint j = finding_start; j < r->blame->len && x->person >= 0 && !same; j++) {
                        wz_blame_line *b = &g_array_index(r->blame, wz_blame_line, j);
                        if (b->person == (uint32_t)x->person && b->as == x->as && b->role < 0) same = b;
                    }
                    if (same) {
                        wz_dec part;
                        if (x->has_share && wz_dec_add(same->share, x->share, &same->share) != WZ_DEC_OK) ok = false;
                        if (def->kind == WZ_DEF_AWARD && x->has_share &&
                            (wz_dec_mul(f->points, x->share, &part) != WZ_DEC_OK || wz_dec_add(same->amount, part, &same->amount) != WZ_DEC_OK))
                            ok = false;
                        continue;
                    }
                    wz_blame_line line = proto;
                    line.person = x->person >= 0 ? (uint32_t)x->person : f->person;
                    line.role = x->role;
                    line.as = x->as;
                    g_array_append_val(r->blame, line);
                    n = 1;
                } else if (!ht) {
                    n = 0;
                } else {
                    /* a post held at an enclosing unit answers for the units
                     * inside it: the first unit, innermost first, where someone
                     * holds it; with no unit the holders fact can name, anywhere */
                    n = 0;
                    bool looked = false;
                    for (guint u = 0; u < nunits && n == 0; u++) {
                        int col = g_array_index(p->holders_unit_field, int, (guint)chain[u].kind);
                        if (col < 0) continue;
                        looked = true;
                        n = add_holders(r, &h, x->role, x->as, col, chain[u].key, proto);
                    }
                    if (!looked) n = add_holders(r, &h, x->role, x->as, -1, NULL, proto);
                }
                if (n == 0) {
                    const wz_role *role = g_ptr_array_index(p->roles, (guint)x->role);
                    GString *where = g_string_new(NULL);   /* " at 数学组 or at 牙六小": every unit looked in */
                    for (guint u = 0; u < nunits; u++)
                        if (g_array_index(p->holders_unit_field, int, (guint)chain[u].kind) >= 0)
                            g_string_append_printf(where, where->len ? _(" or at %s") : _(" at %s"), chain[u].key);
                    wz_diag_plain(diags, WZ_DIAG_FACTS, WZ_SEV_ERROR, !ht ? p->src->name : ht->file ? ht->file : hs->name,
                                  "no one holds the role %s%s, so the finding of rule '%s' for %s has no %s responsible person",
                                  role->name, where->str, def->name, wz_facts_person_id(run->facts, f->person),
                                  x->as == WZ_RESP_FIRST ? _("first") : x->as == WZ_RESP_DIRECT ? _("direct") : _("named"));
                    g_string_free(where, TRUE);
                    ok = false;
                    continue;
                }
                /* The measure: a unit's finding gives its measure to each
                 * whole ("同奖同罚"), or the award's share split among the
                 * role's holders; a person's own finding gives it to that
                 * person and to those the rule names as direct (or plain)
                 * responsible — the author said they bear it — while a
                 * leader who answers as first responsible gets their role's
                 * own tier, own amount or share, or no measure.  An own amount
                 * is each holder's, read from their own facts; the offender
                 * keeps the rule's amount. */
                for (guint j = start; j < r->blame->len; j++) {
                    wz_blame_line *line = &g_array_index(r->blame, wz_blame_line, j);
                    line->role_name = x->name;
                    bool own = x->own >= 0 && !(k == 0 && line->person == f->person);
                    line->measured = k > 0 || line->person == f->person || x->tier >= 0 || own || x->as != WZ_RESP_FIRST ||
                                     (def->kind == WZ_DEF_AWARD && x->has_share);
                    line->tier = x->tier >= 0 ? x->tier : line->measured ? f->tier : -1;
                    line->amount = line->measured ? f->points : WZ_DEC_ZERO;
                    if (own && !own_amount(r, x->own, def, run, f, line, diags)) ok = false;
                    line->has_share = x->has_share;
                    if (!x->has_share) continue;
                    wz_dec part;
                    if (wz_dec_div(x->share, wz_dec_from_int(n), &line->share) != WZ_DEC_OK || !wz_dec_terminates_within(line->share, 8)) {
                        wz_diag_at(diags, WZ_SEV_ERROR, def->blame->span,
                                   "the share of rule '%s' for %s does not come to an exact part among %u holders; "
                                   "give shares that divide evenly",
                                   def->name, wz_facts_person_id(run->facts, f->person), n);
                        ok = false;
                        break;
                    }
                    if (def->kind != WZ_DEF_AWARD) continue;
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
                /* an award's first share goes with them: the shares still add up
                 * to the amount; the leader's own tier or own amount does not
                 * (one person is not measured twice for one finding) */
                if (def->kind == WZ_DEF_AWARD && fa->has_share && wz_dec_add(direct->amount, fa->amount, &direct->amount) != WZ_DEC_OK)
                    ok = false;
                if (fa->has_share && wz_dec_add(direct->share, fa->share, &direct->share) != WZ_DEC_OK) ok = false;
                if (fa->rows) g_array_free(fa->rows, TRUE);
                g_array_remove_index(r->blame, a--);
            }
        }
    }
    if (person_index) g_hash_table_destroy(person_index);
    return ok;
}

/* What each person is paid by award d, as awards.csv gives it: the rule's
 * amount to the person it is about; when the rule names who answers for it,
 * the sum of the person's lines — the offender's amount, a leader's own amount
 * (`first 校长 = …`), a share — over every finding of the rule, a unit's too.
 * pay.csv's award column, a test's `expect P1 accident_fine` and diff's impact
 * all read this one sum. */
wz_dec *wz_award_paid(const wz_result *r, int d) {
    const wz_def *def = g_ptr_array_index(r->policy->defs, (guint)d);
    const wz_kind_run *persons = g_ptr_array_index(r->runs, 0);
    uint32_t n = persons->facts->npersons;
    wz_dec *a = g_new(wz_dec, MAX(n, 1));
    for (uint32_t i = 0; i < n; i++) {
        wz_value v = def->entity == 0 && !def->blame ? wz_vm_value(persons->vm, d, i) : wz_missing();
        a[i] = v.tag == WZ_V_NUM ? v.d : WZ_DEC_ZERO;
    }
    for (guint b = 0; def->blame && r->blame && b < r->blame->len; b++) {
        const wz_blame_line *line = &g_array_index(r->blame, wz_blame_line, b);
        if (!line->measured) continue;
        const wz_kind_run *run = g_ptr_array_index(r->runs, line->run);
        const wz_finding *f = g_ptr_array_index(run->vm->findings, line->finding);
        if (f->def == d && wz_dec_add(a[line->person], line->amount, &a[line->person]) != WZ_DEC_OK)
            a[line->person] = WZ_DEC_ZERO;   /* money of 36 digits: not reached */
    }
    return a;
}
