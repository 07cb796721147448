/* check.c — name resolution, typing and evaluation order of a policy.
 *
 * Pass 1 (declare) walks the top-level items in order, builds fact schemas and
 * registers every name.  Pass 2 (check_def) types each computed value on
 * demand, so a value may use one declared further down; a value met again
 * while it is being checked is a cycle, which a total language must reject.
 * Pass 3 (order) sorts the defs so that each comes after everything it reads,
 * population aggregates after the per-person values they sum.
 *
 * This file is the driver, wz_check(), and the name table; each pass has
 * its own file (check_internal.h says which holds what).
 */
#include "check_internal.h"

#include <string.h>

#include "suggest.h"

/* ---- names ---------------------------------------------------------------- */

uint32_t check_line_of(const wz_span *sp) {
    uint32_t line = 0, col = 0;
    if (sp->src) wz_source_position(sp->src, sp->start, &line, &col);
    return line;
}

bool check_declare(checker *c, const char *name, name_kind kind, int index, const wz_node *node) {
    GHashTable *table = kind == NAME_FACT ? c->fact_names : c->names;
    name_entry *old = g_hash_table_lookup(table, name);
    if (old) {
        ERR(node->span, "'%s' is already defined at line %u; every name must be unique", name,
            check_line_of(&old->node->span));
        return false;
    }
    name_entry *e = g_new(name_entry, 1);
    *e = (name_entry){kind, index, node};
    g_hash_table_insert(table, g_strdup(name), e);
    return true;
}

name_entry *check_lookup(checker *c, const char *name) { return g_hash_table_lookup(c->names, name); }
name_entry *check_lookup_fact(checker *c, const char *name) { return g_hash_table_lookup(c->fact_names, name); }

int check_add_def(checker *c, wz_def_kind kind, const char *name, const wz_node *node) {
    wz_def *d = g_new0(wz_def, 1);
    d->kind = kind;
    d->name = g_strdup(name);
    d->node = node;
    d->section = -1;
    d->ladder = -1;
    d->entity = -1;
    d->group = -1;
    d->each_fact = -1;
    d->each_window = -1;
    d->keys = g_array_new(FALSE, FALSE, sizeof(wz_sort_key));
    d->deps = g_array_new(FALSE, FALSE, sizeof(int));
    g_ptr_array_add(c->p->defs, d);
    def_state s = DEF_UNCHECKED;
    g_array_append_val(c->state, s);
    return (int)c->p->defs->len - 1;
}

wz_def *check_def_at(checker *c, int i) { return g_ptr_array_index(c->p->defs, i); }

void check_add_dep(checker *c, int on) {
    /* inside a row value's expression: the row value's, handed on to each def that reads it */
    if (c->row_value >= 0) {
        GArray *deps = ((wz_row_value *)g_ptr_array_index(c->p->row_values, c->row_value))->deps;
        for (guint i = 0; i < deps->len; i++)
            if (g_array_index(deps, int, i) == on) return;
        g_array_append_val(deps, on);
        return;
    }
    if (c->cur_def < 0) return;
    GArray *deps = check_def_at(c, c->cur_def)->deps;
    for (guint i = 0; i < deps->len; i++)
        if (g_array_index(deps, int, i) == on) return;
    g_array_append_val(deps, on);
}

/* ---- did you mean -------------------------------------------------------- */

char *check_hint_name(checker *c, const char *name, unsigned kinds) {
    wz_suggest s;
    wz_suggest_begin(&s, name);
    for (int t = 0; t < 2; t++) {
        GHashTable *table = t == 0 ? c->names : c->fact_names;
        GHashTableIter it;
        gpointer key, value;
        g_hash_table_iter_init(&it, table);
        while (g_hash_table_iter_next(&it, &key, &value)) {
            const name_entry *e = value;
            /* a rule's SECTION.RULE is written as a field reference, never as one name */
            if ((kinds & (1u << e->kind)) && !strchr(key, '.')) wz_suggest_consider(&s, key);
        }
    }
    return wz_suggest_hint(wz_suggest_end(&s));
}

char *check_hint_member(const wz_node *members, const char *name) {
    wz_suggest s;
    wz_suggest_begin(&s, name);
    for (guint i = 0; i < wz_node_nkids(members); i++) wz_suggest_consider(&s, wz_node_kid(members, i)->name);
    return wz_suggest_hint(wz_suggest_end(&s));
}

char *check_hint_field(const wz_fact_schema *fs, const char *name) {
    wz_suggest s;
    wz_suggest_begin(&s, name);
    for (guint i = 0; i < fs->fields->len; i++) wz_suggest_consider(&s, ((wz_field_schema *)g_ptr_array_index(fs->fields, i))->name);
    return wz_suggest_hint(wz_suggest_end(&s));
}

char *check_hint_bare_field(checker *c, const char *name) {
    GPtrArray *found = g_ptr_array_new_with_free_func(g_free);
    for (guint f = 0; f < c->p->facts->len; f++)
        if (check_field_index(check_fact_at(c, (int)f), name) >= 0)
            g_ptr_array_add(found, g_strdup_printf("'%s.%s'", check_fact_at(c, (int)f)->name, name));
    GString *g = g_string_new(NULL);
    for (guint i = 0; i < found->len; i++)
        g_string_append_printf(g, "%s%s", i == 0 ? "; did you mean " : i + 1 == found->len ? " or " : ", ",
                               (char *)g_ptr_array_index(found, i));
    if (found->len) g_string_append_c(g, '?');
    g_ptr_array_free(found, TRUE);
    return g_string_free(g, FALSE);
}

void check_unknown_name(checker *c, const wz_node *n) {
    char *hint = NULL;
    if (c->row_fact >= 0) {   /* inside an aggregate: a misspelt field of its rows comes first */
        hint = check_hint_field(check_fact_at(c, c->row_fact), n->name);
        if (!*hint) g_clear_pointer(&hint, g_free);
    }
    if (!hint) {
        hint = check_hint_bare_field(c, n->name);
        if (!*hint) g_clear_pointer(&hint, g_free);
    }
    if (!hint) hint = check_hint_name(c, n->name, 1u << NAME_PARAM | 1u << NAME_DEF | 1u << NAME_KIND);
    ERR(n->span, "unknown name '%s'%s", n->name, hint);
    g_free(hint);
}

/* ---- entity kinds --------------------------------------------------------- */

/* After an error a kind may be unresolved (-1): a message about it must not index by it. */
const char *check_kind_name(checker *c, int k) {
    if (k < 0 || (guint)k >= c->p->kinds->len) return "?";
    return ((wz_entity_kind *)g_ptr_array_index(c->p->kinds, k))->name;
}

/* The kind named `name` ("person" or a declared entity), or -1. */
int check_kind_index(checker *c, const char *name) {
    if (!strcmp(name, "person")) return 0;
    name_entry *e = check_lookup(c, name);
    return e && e->kind == NAME_KIND ? e->index : -1;
}

const wz_role *check_find_role(checker *c, const char *name) {
    name_entry *e = check_lookup(c, name);
    return e && e->kind == NAME_ROLE ? g_ptr_array_index(c->p->roles, e->index) : NULL;
}

/* ---- entry points --------------------------------------------------------- */

wz_policy *wz_check(wz_node *ast, wz_source *src, wz_diags *diags) {
    wz_policy *p = check_policy_new(ast, src);

    checker cc = {.p = p, .diags = diags, .cur_def = -1, .row_fact = -1, .row_value = -1};
    checker *c = &cc;
    c->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    c->fact_names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    c->state = g_array_new(FALSE, FALSE, sizeof(def_state));
    c->guards = g_array_new(FALSE, FALSE, sizeof(int));
    c->kind_errors = g_hash_table_new(g_direct_hash, g_direct_equal);
    c->keep_names = g_ptr_array_new();
    c->row_state = g_array_new(FALSE, TRUE, sizeof(def_state));
    guint errors_before = diags->errors + diags->dropped;

    /* entity kinds first: facts anywhere in the file may be of them */
    wz_entity_kind *person = g_new0(wz_entity_kind, 1);
    person->parent = person->parent_fact = person->parent_field = -1;
    person->name = g_strdup("person");
    person->label = g_strdup("人员");
    g_ptr_array_add(p->kinds, person);
    for (guint i = 0; i < wz_node_nkids(ast); i++) {
        wz_node *n = wz_node_kid(ast, i);
        if (n->kind != WZ_N_ENTITY) continue;
        if (!check_declare(c, n->name, NAME_KIND, (int)p->kinds->len, n)) continue;
        wz_entity_kind *k = g_new0(wz_entity_kind, 1);
        k->parent = k->parent_fact = k->parent_field = -1;
        k->name = g_strdup(n->name);
        k->label = g_strdup(n->text);
        k->node = n;
        g_ptr_array_add(p->kinds, k);
    }
    int total_seen = 0;
    for (guint i = 0; i < wz_node_nkids(ast); i++) check_declare_item(c, wz_node_kid(ast, i), &total_seen);
    /* reports_to names a role, and the chain does not go round */
    for (guint i = 0; i < p->roles->len; i++) {
        wz_role *role = g_ptr_array_index(p->roles, i);
        const wz_node *r = role->node;
        name_entry *sup = r->label ? check_lookup(c, r->label) : NULL;
        role->reports_to = sup && sup->kind == NAME_ROLE ? sup->index : -1;
        if (!r->label) continue;
        if (!check_find_role(c, r->label)) {
            char *hint = check_hint_name(c, r->label, 1u << NAME_ROLE);
            ERR(r->span, "role '%s' reports to '%s', which is not a role%s", r->name, r->label, hint);
            g_free(hint);
            continue;
        }
        const wz_node *up = r;
        for (guint steps = 0; up && up->label; steps++) {
            const wz_role *next = check_find_role(c, up->label);
            up = next ? next->node : NULL;
            if (up == r || steps > p->roles->len) {
                ERR(r->span, "role '%s' reports to itself through 'reports_to'", r->name);
                break;
            }
        }
    }
    for (guint k = 0; k < p->kinds->len; k++) {   /* the holders fact's unit field per kind */
        int field = -1;
        if (k > 0 && p->holders >= 0) {
            const wz_node *fn = g_ptr_array_index(p->fact_nodes, p->holders);
            for (guint i = 0; i < wz_node_nkids(fn); i++) {
                const wz_node *t = wz_node_kid(wz_node_kid(fn, i), 0);
                if (t->ival == WZ_T_ENTITY && check_kind_index(c, t->name) == (int)k) field = (int)i;
            }
        }
        g_array_append_val(p->holders_unit_field, field);
    }
    check_units(c);   /* units inside units: `entity group in school;` */
    if (p->total_def < 0) {   /* total defaults to the sum of the sections */
        name_entry *taken = check_lookup(c, "total");
        if (taken)
            ERR(taken->node->span, "'total' is computed by the policy (the sum of its sections); choose another name");
        p->total_def = check_add_def(c, WZ_DEF_TOTAL, "total", NULL);
        if (!taken) check_declare(c, "total", NAME_DEF, p->total_def, ast);
    }
    /* kept values, known before any def is checked (previous() needs them) */
    for (guint i = 0; i < wz_node_nkids(ast); i++) {
        wz_node *n = wz_node_kid(ast, i);
        if (n->kind != WZ_N_KEEP) continue;
        for (guint k = 0; k < wz_node_nkids(n); k++) {
            wz_node *id = wz_node_kid(n, k);
            name_entry *e = check_lookup(c, id->name);
            if (!e || e->kind != NAME_DEF) {
                char *hint = check_hint_name(c, id->name, 1u << NAME_DEF);
                ERR(id->span, "keep: '%s' is not a value of the policy, expecting the name of a let, section, award or total%s", id->name, hint);
                g_free(hint);
                continue;
            }
            wz_def *d = check_def_at(c, e->index);
            if (d->kept) {
                ERR(id->span, "'%s' is kept twice", id->name);
                continue;
            }
            d->kept = true;
            g_ptr_array_add(c->keep_names, id);
            id->ref_kind = WZ_REF_DEF;
            id->ref_index = e->index;
            g_array_append_val(p->kept, e->index);
        }
    }
    /* A file with no header and nothing to run — no fact, section, total, grade, sanction,
     * notice, award, pool or kept value — is a module, a file of declarations to import
     * (stdlib/ladders.wz): checked on its own, it needs neither a header nor persons. */
    p->module = !p->title;
    for (guint i = 0; p->module && i < wz_node_nkids(ast); i++) {
        wz_node_kind k = wz_node_kid(ast, i)->kind;
        p->module = k != WZ_N_FACT && k != WZ_N_SECTION && k != WZ_N_TOTAL && k != WZ_N_GRADE && k != WZ_N_SANCTION &&
                    k != WZ_N_NOTICE && k != WZ_N_AWARD && k != WZ_N_DISTRIBUTE && k != WZ_N_KEEP;
    }
    if (!p->title && !p->module)
        wz_diag_at(diags, WZ_SEV_ERROR, wz_span_of(src, 0, 0),
                   "a policy must start with a header, expecting 'policy \"NAME\" version \"V\";'");
    for (guint f = 0; f < p->facts->len; f++)
        if (check_fact_at(c, f)->is_population) {
            if (p->population >= 0)
                ERR(((wz_node *)g_ptr_array_index(p->fact_nodes, f))->span,
                    "only one fact may list the persons; '%s' already does", check_fact_at(c, p->population)->name);
            else p->population = (int)f;
        }
    bool person_facts = false;   /* a policy about schools only needs no persons fact */
    for (guint f = 0; f < p->facts->len; f++) person_facts |= check_fact_at(c, f)->entity == 0;
    if (p->population < 0 && !p->module && (person_facts || p->kinds->len == 1))
        wz_diag_at(diags, WZ_SEV_ERROR, wz_span_of(src, 0, 0),
                   "no fact lists the persons, expecting e.g. 'fact staff persons key id { id: text; … }'");

    /* period bounds and window splits depend on params only */
    if (p->period) {
        check_global_expr(c, wz_node_kid(p->period, 0), WZ_T_DATE, "the period's start");
        check_global_expr(c, wz_node_kid(p->period, 1), WZ_T_DATE, "the period's end");
    }
    for (guint i = 0; i < p->windows->len; i++) {
        wz_window_group *w = g_ptr_array_index(p->windows, i);
        name_entry *e = check_lookup(c, w->node->text);
        if (!e || e->kind != NAME_PERIOD) ERR(w->node->span, "'%s' is not the policy's period", w->node->text);
        for (guint k = 0; k < wz_node_nkids(w->node); k++)
            check_global_expr(c, wz_node_kid(w->node, k), WZ_T_DATE, "a split date");
    }
    /* a table's values written as expressions: constants, of params and constant lets */
    for (guint i = 0; i < p->tables->len; i++) {
        const wz_table *t = g_ptr_array_index(p->tables, i);
        for (guint k = 0; t->value_exprs && k <= t->n; k++)
            if (t->value_exprs[k]) check_global_expr(c, (wz_node *)t->value_exprs[k], WZ_T_NUMBER, "a table's value");
    }
    for (guint f = 0; f < p->facts->len; f++)
        if (check_fact_at(c, f)->date_field >= 0 && !p->period)
            ERR(((wz_node *)g_ptr_array_index(p->fact_nodes, f))->span,
                "fact '%s' is dated but the policy declares no period, expecting 'period NAME from DATE to DATE;'",
                check_fact_at(c, f)->name);

    check_row_values(c);
    for (guint d = 0; d < p->defs->len; d++) check_def(c, (int)d);
    for (guint i = 0; i < p->parts->len; i++) check_distribute(c, g_ptr_array_index(p->parts, i));
    /* grade effects must name grade labels */
    for (guint l = 0; l < p->ladders->len; l++) {
        const wz_node *ln = ((wz_ladder *)g_ptr_array_index(p->ladders, l))->node;
        for (guint t = 0; t < wz_node_nkids(ln); t++)
            for (guint k = 0; k < wz_node_nkids(wz_node_kid(ln, t)); k++) {
                wz_node *ef = wz_node_kid(wz_node_kid(ln, t), k);
                if (ef->ival != WZ_EFFECT_GRADE) continue;
                if (p->grade_def < 0) ERR(ef->span, "'grade %s' needs the policy to define grade = classify { … }", ef->name);
                else {
                    const wz_node *g = check_def_at(c, p->grade_def)->type_ref;
                    ef->ref_index2 = g ? check_member_index(g, ef->name) : -1;
                    if (g && ef->ref_index2 < 0) {
                        char *hint = check_hint_member(g, ef->name);
                        ERR(ef->span, "'%s' is not a grade label%s", ef->name, hint);
                        g_free(hint);
                    }
                }
            }
    }
    check_compute_order(c);
    check_propagate_kinds(c);
    for (guint i = 0; i < p->kept->len; i++) {   /* kept.csv holds one value per entity, as text */
        wz_def *d = check_def_at(c, g_array_index(p->kept, int, i));
        const wz_span *at = &((const wz_node *)g_ptr_array_index(c->keep_names, i))->span;   /* the name after `keep` */
        if (d->kind == WZ_DEF_SANCTION)
            ERR(*at, "'%s' is a sanction; keep a condition or a number instead, as in "
                               "'let sanctioned = …; keep sanctioned;'", d->name);
        else if (d->type != WZ_T_BOOL && d->type != WZ_T_NUMBER && d->type != WZ_T_INT && d->type != WZ_T_TEXT && d->type != WZ_T_UNKNOWN)
            ERR(*at, "'%s' is kept, so it must be a condition, a number or text, not %s", d->name, wz_type_name(d->type));
        if (d->entity < 0)
            ERR(*at, "'%s' is kept but reads no fact: it is the same for everyone, so there is nothing to keep per entity", d->name);
    }

    g_hash_table_destroy(c->names);
    g_hash_table_destroy(c->fact_names);
    g_hash_table_destroy(c->kind_errors);
    g_ptr_array_free(c->keep_names, TRUE);
    g_array_free(c->row_state, TRUE);
    g_array_free(c->state, TRUE);
    g_array_free(c->guards, TRUE);
    if (diags->errors + diags->dropped > errors_before) {
        p->src = NULL;               /* the diagnostics point into it: they keep it */
        wz_diags_adopt_source(diags, src);
        wz_policy_free(p);
        return NULL;
    }
    wz_policy_resolve(p);
    return p;
}
