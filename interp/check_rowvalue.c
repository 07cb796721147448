/* check_rowvalue.c — per-incident values: row values and `for each` items.
 *
 * Accident, 师德 and safety rules grade each incident on its own: its level from
 * its kind, the minutes late, the share of students affected.  A row value,
 * `let accident.level = classify { … };`, names such a value of each row of a
 * many-rows fact; it can then be read wherever a field of that fact can (inside an
 * aggregate over the fact, a sanction's `from`, a `for each` item), bare or as
 * `accident.level`.  It is typed once here, in the context of one row of its
 * fact, and compiled into each reader as its expression on the reader's row.
 *
 * A sanction or an award with `for each FACT [where C]` applies per row of FACT:
 * one finding (and one line of sanctions.csv or awards.csv) per incident.
 */
#include "check_internal.h"

#include <string.h>

static wz_row_value *rv_at(checker *c, int i) { return g_ptr_array_index(c->p->row_values, i); }

void check_declare_row_value(checker *c, wz_node *n) {
    wz_row_value *v = g_new0(wz_row_value, 1);
    v->name = g_strdup(n->name);
    v->fact = -1;   /* facts may be declared further down: looked up in check_row_values() */
    v->node = n;
    v->span = n->span;
    v->deps = g_array_new(FALSE, FALSE, sizeof(int));
    g_ptr_array_add(c->p->row_values, v);
    def_state st = DEF_UNCHECKED;
    g_array_append_val(c->row_state, st);
}

int check_find_row_value(checker *c, int f, const char *name) {
    for (guint i = 0; i < c->p->row_values->len; i++) {
        const wz_row_value *v = rv_at(c, (int)i);
        if (v->fact == f && !strcmp(v->name, name)) return (int)i;
    }
    return -1;
}

/* Types row value i's expression in the context of one row of its fact: its
 * fields bare or qualified, the person's own values, params and constants; no
 * aggregate (it is itself inside one), no other fact's rows. */
static void check_row_value(checker *c, int i) {
    wz_row_value *v = rv_at(c, i);
    def_state *st = &g_array_index(c->row_state, def_state, i);
    if (*st == DEF_DONE || v->fact < 0) return;
    if (*st == DEF_CHECKING) {
        ERR(v->span, "row value '%s.%s' depends on itself; a policy's values must not go round in a circle",
            check_fact_at(c, v->fact)->name, v->name);
        v->type = WZ_T_UNKNOWN;
        *st = DEF_DONE;
        return;
    }
    *st = DEF_CHECKING;
    /* cur_def -1: what it reads goes to v->deps (check_add_dep), and on to its readers */
    check_scope saved = check_scope_enter(c, -1, v->fact, i);
    wz_node *e = wz_node_kid(v->node, 0);
    wz_type_kind t = check_expr(c, e);
    if (t == WZ_T_LABEL) {
        check_unknown_name(c, e);
        t = WZ_T_UNKNOWN;
    } else if (t == WZ_T_PERSON) {
        ERR(e->span, "a row value is a number, a condition, a date, text or a label, not a person");
        t = WZ_T_UNKNOWN;
    }
    check_scope_leave(c, saved);
    /* the cycle report above may have finished it already */
    st = &g_array_index(c->row_state, def_state, i);
    if (*st == DEF_DONE) return;
    v->type = check_is_num(t) ? WZ_T_NUMBER : t;
    v->type_ref = e->type_ref;
    v->maybe = e->maybe;
    *st = DEF_DONE;
}

void check_row_values(checker *c) {
    for (guint i = 0; i < c->p->row_values->len; i++) {
        wz_row_value *v = rv_at(c, (int)i);
        const wz_node *n = v->node;
        name_entry *e = check_lookup_fact(c, n->label);
        if (!e || e->kind != NAME_FACT) {
            char *hint = check_hint_name(c, n->label, 1u << NAME_FACT);
            ERR(n->span, "'%s' is not a fact, expecting 'let FACT.NAME = …;' for a value of each row of a fact%s", n->label, hint);
            g_free(hint);
            continue;
        }
        const wz_fact_schema *s = check_fact_at(c, e->index);
        if (s->is_population || s->one_per_person) {
            ERR(n->span, "fact '%s' has one row per %s, so a value of its row is a plain 'let %s = …;'; "
                         "'let %s.%s' is for a fact with many rows (incidents)",
                s->name, s->is_population ? "person" : check_kind_name(c, s->entity), n->name, s->name, n->name);
            continue;
        }
        if (check_field_index(s, n->name) >= 0) {
            ERR(n->span, "'%s.%s' is already a field of fact '%s'; a row value needs a name of its own", s->name, n->name, s->name);
            continue;
        }
        int twice = check_find_row_value(c, e->index, n->name);
        if (twice >= 0) {
            ERR(n->span, "row value '%s.%s' is defined twice (first at line %u)", s->name, n->name,
                check_line_of(&rv_at(c, twice)->span));
            continue;
        }
        v->fact = e->index;
    }
    for (guint i = 0; i < c->p->row_values->len; i++) check_row_value(c, (int)i);
}

wz_type_kind check_row_value_ref(checker *c, wz_node *n, int rv) {
    wz_row_value *v = rv_at(c, rv);
    const char *fact = check_fact_at(c, v->fact)->name;
    if (c->row_fact != v->fact) {
        ERR(n->span, "'%s.%s' is a value of each row of '%s'; read it inside an aggregate over its rows, "
                     "as in count(%s where %s …) or sum(%s.%s), or in 'for each %s'",
            fact, v->name, fact, fact, v->name, fact, v->name, fact);
        return WZ_T_UNKNOWN;
    }
    check_row_value(c, rv);
    n->ref_kind = WZ_REF_ROW_VALUE;
    n->ref_index = v->fact;   /* as a field's: the fact, then which of its values */
    n->ref_index2 = rv;
    n->maybe = v->maybe;
    /* its reader reads what it reads */
    for (guint i = 0; i < v->deps->len; i++) {
        int d = g_array_index(v->deps, int, i);
        check_add_dep(c, d);
        const wz_def *dep = check_def_at(c, d);
        if (c->window && dep->uses_rows) {   /* as for a let read in a window: it would not change per window */
            ERR(n->span, "'%s.%s' reads '%s', which sums rows over the whole period, so inside '… %s (…)' it would not "
                         "change per window; write the aggregate itself here", fact, v->name, dep->name, c->window);
            return WZ_T_UNKNOWN;
        }
        if (c->cur_def >= 0 && c->row_value < 0 && (dep->uses_rows || dep->cites_rows))
            check_def_at(c, c->cur_def)->cites_rows = true;
    }
    check_set_type(n, v->type, v->type_ref);
    return v->type;
}

/* `for each W`: one finding per window of group W, its parts read on the window's rows
 * (as inside `each W (…)`); c->window stays set for the caller's checks of them. */
static int check_each_window(checker *c, int d, wz_node *each, const name_entry *w) {
    wz_def *def = check_def_at(c, d);
    each->ref_kind = WZ_REF_WINDOWS;
    each->ref_index = w->index;
    def->each_window = w->index;
    if (def->kind != WZ_DEF_RULE) c->p->has_each = true;   /* sanctions.csv and awards.csv name the window */
    int saved = c->cur_def;
    c->cur_def = d;
    def->cites_rows = true;
    c->window = each->name;
    wz_node *where = wz_node_kid(each, 0);
    if (where) check_expect_type(c, where, WZ_T_BOOL, "a 'where' filter");
    c->cur_def = saved;
    return -1;
}

int check_each(checker *c, int d, wz_node *each) {
    name_entry *e = check_lookup_fact(c, each->name);
    if (!e) {
        name_entry *w = check_lookup(c, each->name);
        if (w && w->kind == NAME_WINDOWS) return check_each_window(c, d, each, w);
    }
    if (check_def_at(c, d)->kind == WZ_DEF_RULE) {
        char *hint = check_hint_name(c, each->name, 1u << NAME_WINDOWS);
        ERR(each->span, "'%s' is not a window group, expecting 'for each W' with a group declared by 'split PERIOD into W …;' "
                        "(a deduction or bonus is given per window; per incident, write an award or a sanction)%s", each->name, hint);
        g_free(hint);
        return -1;
    }
    if (!e || e->kind != NAME_FACT) {
        char *hint = check_hint_name(c, each->name, (1u << NAME_FACT) | (1u << NAME_WINDOWS));
        ERR(each->span, "'%s' is not a fact or a window group, expecting 'for each FACT' with a fact whose rows are incidents, "
                        "or 'for each W' with a group declared by 'split PERIOD into W …;'%s", each->name, hint);
        g_free(hint);
        return -1;
    }
    const wz_fact_schema *s = check_fact_at(c, e->index);
    if (s->is_population || s->one_per_person) {
        ERR(each->span, "fact '%s' has one row per %s, so 'for each %s' would be one finding per %s, as without it; "
                        "'for each' needs a fact with many rows (incidents)",
            s->name, s->is_population ? "person" : check_kind_name(c, s->entity), s->name,
            s->is_population ? "person" : check_kind_name(c, s->entity));
        return -1;
    }
    c->p->has_each = true;
    each->ref_kind = WZ_REF_FACT;
    each->ref_index = e->index;
    c->row_fact = e->index;
    /* its findings are about the entity whose rows these are, even when nothing else reads them */
    if (check_def_at(c, d)->entity < 0) check_def_at(c, d)->entity = s->entity;
    int saved = c->cur_def;
    c->cur_def = d;
    check_def_at(c, d)->uses_rows = true;
    check_def_at(c, d)->cites_rows = true;
    wz_node *where = wz_node_kid(each, 0);
    if (where) check_expect_type(c, where, WZ_T_BOOL, "a 'where' filter");
    c->cur_def = saved;
    return e->index;
}
