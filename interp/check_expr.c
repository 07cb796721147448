/* check_expr.c — the checker's expressions: types, names and field refs,
 * operators, aggregates, calls, decide, classify quotas and exists() guards.
 *
 * check_expr() types an expression in the checker's current context (the def
 * collecting dependencies, the aggregate row, the window, the exists() guards)
 * and resolves each name in it to an index; a value it reads is checked first,
 * on demand, through check_def().
 */
#include "check_internal.h"

#include <string.h>

#include "suggest.h"

/* ---- what an expression reads --------------------------------------------- */

/* The def being checked reads a value of entity kind `kind` directly (a
 * fact's rows, or the entity's own key); kinds reached through other defs
 * are joined after checking, in check_propagate_kinds(). */
static void use_kind(checker *c, int kind, const wz_span *sp) {
    if (c->cur_def < 0 || kind < 0) return;
    wz_def *d = check_def_at(c, c->cur_def);
    if (d->entity < 0) d->entity = kind;
    else if (d->entity != kind && g_hash_table_add(c->kind_errors, GINT_TO_POINTER(c->cur_def + 1)))
        ERR(*sp, "'%s' reads %s values here but %s values elsewhere; a value belongs to one kind of entity",
            d->name, check_kind_name(c, kind), check_kind_name(c, d->entity));
}

static char *field_list(const wz_fact_schema *s) {
    GString *g = g_string_new(NULL);
    for (guint i = 0; i < s->fields->len; i++)
        g_string_append_printf(g, "%s%s", i ? ", " : "", ((wz_field_schema *)g_ptr_array_index(s->fields, i))->name);
    return g_string_free(g, FALSE);
}

static wz_type_kind field_type(const wz_field_schema *fs) {
    switch (fs->type) {
    case WZ_FT_TEXT: return WZ_T_TEXT;
    case WZ_FT_INT: return WZ_T_INT;
    case WZ_FT_DECIMAL: return WZ_T_NUMBER;
    case WZ_FT_DATE: return WZ_T_DATE;
    case WZ_FT_BOOL: return WZ_T_BOOL;
    case WZ_FT_ENUM: return WZ_T_ENUM;
    case WZ_FT_PERSON: return WZ_T_PERSON;
    }
    return WZ_T_UNKNOWN;
}

/* ---- types ---------------------------------------------------------------- */

bool check_is_num(wz_type_kind t) { return t == WZ_T_NUMBER || t == WZ_T_INT; }

void check_set_type(wz_node *n, wz_type_kind t, const wz_node *ref) {
    n->type = t;
    n->type_ref = ref;
}

/* Members of an enum type: TYPE (kids IDENT) or CLASSIFY (kids CASE). */
int check_member_index(const wz_node *type_ref, const char *name) {
    for (guint i = 0; i < wz_node_nkids(type_ref); i++)
        if (strcmp(wz_node_kid(type_ref, i)->name, name) == 0) return (int)i;
    return -1;
}

char *check_member_list(const wz_node *type_ref) {
    GString *g = g_string_new(NULL);
    for (guint i = 0; i < wz_node_nkids(type_ref); i++)
        g_string_append_printf(g, "%s%s", i ? ", " : "", wz_node_kid(type_ref, i)->name);
    return g_string_free(g, FALSE);
}

/* Resolves a bare name against an enum type: true if n became a label. */
static bool resolve_label(checker *c, wz_node *n, const wz_node *type_ref, bool report) {
    if (n->kind != WZ_N_IDENT || !type_ref) return false;
    int m = check_member_index(type_ref, n->name);
    if (m < 0) {
        if (report) {
            char *list = check_member_list(type_ref), *hint = check_hint_member(type_ref, n->name);
            ERR(n->span, "'%s' is not one of the values %s%s", n->name, list, hint);
            g_free(list);
            g_free(hint);
        }
        return false;
    }
    n->ref_kind = WZ_REF_LABEL;
    n->ref_index2 = m;
    check_set_type(n, WZ_T_ENUM, type_ref);
    return true;
}

static bool is_unbound_ident(checker *c, const wz_node *n) {
    return n && n->kind == WZ_N_IDENT && !check_lookup(c, n->name) &&
           !(c->row_fact >= 0 && (check_field_index(check_fact_at(c, c->row_fact), n->name) >= 0 ||
                                  check_find_row_value(c, c->row_fact, n->name) >= 0));
}

/* Whether bound name `n` is an enum value among whose members is `member`
 * (so in `member == n`, member is read as a label). */
static bool names_member_of(checker *c, const wz_node *n, const char *member) {
    name_entry *e = check_lookup(c, n->name);
    if (!e || e->kind != NAME_DEF) return false;
    check_def(c, e->index);
    const wz_def *d = check_def_at(c, e->index);
    return d->type == WZ_T_ENUM && d->type_ref && check_member_index(d->type_ref, member) >= 0;
}

/* Checks an operand that may be a bare enum label, given the other side's enum type. */
static wz_type_kind check_operand(checker *c, wz_node *n, const wz_node *enum_ref) {
    if (enum_ref && n->kind == WZ_N_IDENT && check_member_index(enum_ref, n->name) >= 0) {
        resolve_label(c, n, enum_ref, false);
        return WZ_T_ENUM;
    }
    if (enum_ref && is_unbound_ident(c, n)) {
        resolve_label(c, n, enum_ref, true);
        return WZ_T_UNKNOWN;
    }
    return check_expr(c, n);
}

static bool same_type(const wz_node *a, const wz_node *b) {
    if (a->type == WZ_T_UNKNOWN || b->type == WZ_T_UNKNOWN) return true;
    if (check_is_num(a->type) && check_is_num(b->type)) return true;
    if (a->type != b->type) return false;
    if (a->type == WZ_T_ENUM) return a->type_ref == b->type_ref;
    return true;
}

static const char *type_desc(const wz_node *n) {
    switch (n->type) {
    case WZ_T_NUMBER: case WZ_T_INT: return _("a number");
    case WZ_T_BOOL: return _("a condition (true/false)");
    case WZ_T_DATE: return _("a date");
    case WZ_T_TEXT: return _("text");
    case WZ_T_ENUM: return _("a choice among listed values");
    case WZ_T_PERSON: return _("a person");
    default: return _("an unknown value");
    }
}

void check_expect_type(checker *c, wz_node *n, wz_type_kind want, const char *what) {
    wz_type_kind t = check_expr(c, n);
    if (t == WZ_T_UNKNOWN) return;
    bool ok = want == WZ_T_NUMBER ? check_is_num(t) : t == want;
    if (!ok) ERR(n->span, "%s must be %s, found %s", _(what), want == WZ_T_NUMBER ? _("a number") : want == WZ_T_BOOL ? _("a condition (true/false)") : want == WZ_T_DATE ? _("a date") : wz_type_name(want), type_desc(n));
    if (n->maybe)
        ERR(n->span, "%s may be missing here (an optional fact, or min/max/avg of nothing); write 'X ?? default' or guard it with exists()", _(what));
}

/* ---- expressions ---------------------------------------------------------- */

static wz_type_kind check_ident(checker *c, wz_node *n);

/* Whether a checked expression is a constant: literals, params, labels, arithmetic,
 * comparisons, if, ??, value functions of those (not exists, cut or excluded), table
 * lookups, and lets that are constants themselves — nothing per entity, nothing that
 * reports a finding (decide). */
/* A call whose value follows from its arguments alone: a table, or a value builtin that
 * reads nothing of the entity's (not exists, cut, excluded). */
static bool is_pure_call(const wz_node *n) {
    return n->ref_kind == WZ_REF_TABLE ||
           (n->builtin != WZ_B_NONE && wz_builtins[n->builtin].family == WZ_BF_VALUE && n->builtin != WZ_B_EXISTS &&
            n->builtin != WZ_B_CUT && n->builtin != WZ_B_EXCLUDED);
}

static bool is_constant_expr(checker *c, const wz_node *n, int depth) {
    if (!n) return true;
    if (depth > 64) return false;
    switch (n->kind) {
    case WZ_N_NUMBER: case WZ_N_STRING: case WZ_N_DATE: case WZ_N_BOOL:
        return true;
    case WZ_N_IDENT:
        if (n->ref_kind == WZ_REF_PARAM || n->ref_kind == WZ_REF_LABEL) return true;
        if (n->ref_kind != WZ_REF_DEF && n->ref_kind != WZ_REF_CONST) return false;
        {
            const wz_def *d = check_def_at(c, n->ref_index);
            if (d->kind != WZ_DEF_LET || d->type == WZ_T_UNKNOWN) return false;
            return is_constant_expr(c, wz_node_kid(d->node, 0), depth + 1);
        }
    case WZ_N_CALL:
        if (!is_pure_call(n)) return false;
        G_GNUC_FALLTHROUGH;
    case WZ_N_UNARY: case WZ_N_BINARY: case WZ_N_IF: case WZ_N_IN: case WZ_N_COALESCE:
        for (guint i = 0; i < wz_node_nkids(n); i++)
            if (!is_constant_expr(c, wz_node_kid(n, i), depth + 1)) return false;
        return true;
    default:
        return false;
    }
}

/* The first part of a `sharing … where` condition that is not the group row's own: the
 * condition is tested on each row of the group, anyone's, so the current person's values
 * and one-per rows (a let over their rows, exists, a section) would answer for someone
 * else.  Allowed: the row's fields, constants (params, tables, literals, constant lets)
 * and a nested `sharing`, which reads the row too.  NULL when all is the row's. */
static const wz_node *not_of_row(checker *c, const wz_node *n) {
    if (!n) return NULL;
    switch (n->kind) {
    case WZ_N_IDENT: case WZ_N_FIELD_REF:
        if (n->ref_kind == WZ_REF_ROW_FIELD) return NULL;
        if (n->ref_kind == WZ_REF_ROW_VALUE) {   /* compiled as its expression on the row: of the row when that is */
            const wz_row_value *v = g_ptr_array_index(c->p->row_values, (guint)n->ref_index2);
            return not_of_row(c, wz_node_kid(v->node, 0)) ? n : NULL;
        }
        return is_constant_expr(c, n, 0) ? NULL : n;
    case WZ_N_SHARING: return NULL;
    case WZ_N_CALL:
        if (!is_pure_call(n)) return n;
        G_GNUC_FALLTHROUGH;
    case WZ_N_UNARY: case WZ_N_BINARY: case WZ_N_IF: case WZ_N_IN: case WZ_N_COALESCE:
        for (guint i = 0; i < wz_node_nkids(n); i++) {
            const wz_node *bad = not_of_row(c, wz_node_kid(n, i));
            if (bad) return bad;
        }
        return NULL;
    default:
        return is_constant_expr(c, n, 0) ? NULL : n;
    }
}

wz_type_kind check_field_ref(checker *c, wz_node *n) {
    name_entry *e = check_lookup_fact(c, n->name);
    if (!e) {   /* SECTION.RULE: a rule's points, by its qualified name */
        char *qname = g_strdup_printf("%s.%s", n->name, n->text);
        name_entry *r = check_lookup(c, qname);
        if (r && r->kind == NAME_DEF) {
            n->kind = WZ_N_IDENT;
            g_free(n->name);
            g_free(n->text);
            n->name = qname;
            n->text = NULL;
            return check_ident(c, n);
        }
        g_free(qname);
    }
    if (!e || e->kind != NAME_FACT) {
        char *hint = check_hint_name(c, n->name, 1u << NAME_FACT);
        ERR(n->span, "'%s' is not a fact, expecting FACT.FIELD%s", n->name, hint);
        g_free(hint);
        return WZ_T_UNKNOWN;
    }
    const wz_fact_schema *s = check_fact_at(c, e->index);
    int fi = check_field_index(s, n->text);
    int rv = fi < 0 ? check_find_row_value(c, e->index, n->text) : -1;
    if (rv >= 0) return check_row_value_ref(c, n, rv);
    if (fi < 0) {
        char *list = field_list(s), *hint = check_hint_field(s, n->text);
        ERR(n->span, "fact '%s' has no field '%s' (its fields: %s)%s", n->name, n->text, list, hint);
        g_free(list);
        g_free(hint);
        return WZ_T_UNKNOWN;
    }
    n->ref_index = e->index;
    n->ref_index2 = fi;
    const wz_field_schema *fs = g_ptr_array_index(s->fields, fi);
    if (e->index == c->row_fact) {
        n->ref_kind = WZ_REF_ROW_FIELD;
        n->maybe = fs->optional;
        use_kind(c, s->entity, &n->span);
    } else if (s->is_population || s->one_per_person) {
        use_kind(c, s->entity, &n->span);
        /* a finding that reads this value cites the row (the population's
         * rows only say who someone is) */
        if (!s->is_population && c->cur_def >= 0) check_def_at(c, c->cur_def)->cites_rows = true;
        if (c->global) {
            ERR(n->span, "'%s.%s' is a per-person value and cannot be used here", n->name, n->text);
            return WZ_T_UNKNOWN;
        }
        n->ref_kind = WZ_REF_PERSON_FIELD;
        bool guarded = false;
        for (guint i = 0; i < c->guards->len; i++)
            if (g_array_index(c->guards, int, i) == e->index) guarded = true;
        n->maybe = fs->optional || (!s->is_population && !s->every_person && !guarded);
    } else if (c->row_value >= 0) {
        const wz_row_value *v = g_ptr_array_index(c->p->row_values, c->row_value);
        ERR(n->span, "row value '%s.%s' is computed on one row of '%s' at a time, and '%s.%s' is in the rows of another fact; "
                     "aggregate it in a let (let n = count(%s where …);) and read that",
            check_fact_at(c, v->fact)->name, v->name, check_fact_at(c, v->fact)->name, n->name, n->text, n->name);
        return WZ_T_UNKNOWN;
    } else {
        ERR(n->span, "'%s' has many rows per person; use an aggregate such as sum(%s.%s) or count(%s where …)",
            n->name, n->name, n->text, n->name);
        return WZ_T_UNKNOWN;
    }
    wz_type_kind t = field_type(fs);
    check_set_type(n, t, t == WZ_T_ENUM ? check_field_type_node(c, e->index, fi) : NULL);
    return t;
}

static wz_type_kind check_ident(checker *c, wz_node *n) {
    if (c->row_fact >= 0) {
        int fi = check_field_index(check_fact_at(c, c->row_fact), n->name);
        if (fi >= 0 || check_find_row_value(c, c->row_fact, n->name) >= 0) {
            n->kind = WZ_N_FIELD_REF;
            n->text = n->name;
            n->name = g_strdup(check_fact_at(c, c->row_fact)->name);
            return check_field_ref(c, n);
        }
    }
    name_entry *e = check_lookup(c, n->name);
    if (!e) {
        if (check_lookup_fact(c, n->name))
            ERR(n->span, "'%s' is a fact, not a value", n->name);
        else
            check_unknown_name(c, n);
        return WZ_T_UNKNOWN;
    }
    switch (e->kind) {
    case NAME_PARAM: {
        wz_param_decl *pd = g_ptr_array_index(c->p->params, e->index);
        n->ref_kind = WZ_REF_PARAM;
        n->ref_index = e->index;
        check_set_type(n, pd->type, NULL);
        return pd->type;
    }
    case NAME_DEF: {
        wz_def *d = check_def_at(c, e->index);
        if (c->global) {   /* no entity here: only a let of params and literals, a constant */
            if (d->kind == WZ_DEF_LET) check_def(c, e->index);
            if (d->kind != WZ_DEF_LET || !is_constant_expr(c, wz_node_kid(d->node, 0), 0)) {
                ERR(n->span, "'%s' is a per-person value and cannot be used here", n->name);
                return WZ_T_UNKNOWN;
            }
            n->ref_kind = WZ_REF_CONST;
            n->ref_index = e->index;
            check_set_type(n, d->type, d->type_ref);
            return d->type;
        }
        check_def(c, e->index);
        check_add_dep(c, e->index);
        if (d->uses_rows && c->cur_def >= 0) check_def_at(c, c->cur_def)->uses_rows = true;
        if ((d->cites_rows || d->uses_rows) && c->cur_def >= 0) check_def_at(c, c->cur_def)->cites_rows = true;
        if (c->window && d->uses_rows && c->cur_def >= 0 && check_def_at(c, c->cur_def)->each_window >= 0) {
            ERR(n->span, "'%s' sums rows over the whole period, so in a rule given 'for each %s' it would not change per "
                         "window; write the aggregate itself here", n->name, c->window);
            return WZ_T_UNKNOWN;
        }
        if (c->window && d->uses_rows) {
            ERR(n->span, "'%s' sums rows over the whole period, so inside '… %s (…)' it would not change per window; "
                         "write the aggregate itself here", n->name, c->window);
            return WZ_T_UNKNOWN;
        }
        n->ref_kind = WZ_REF_DEF;
        n->ref_index = e->index;
        check_set_type(n, d->type, d->type_ref);
        return d->type;
    }
    case NAME_KIND:   /* the current entity's key: `school` in a school's rule is its name */
        if (c->global) {
            ERR(n->span, "'%s' is the current %s's key and cannot be used here", n->name, n->name);
            return WZ_T_UNKNOWN;
        }
        n->ref_kind = WZ_REF_PERSON_ID;
        n->ref_index = e->index;
        use_kind(c, e->index, &n->span);
        check_set_type(n, WZ_T_TEXT, NULL);
        return WZ_T_TEXT;
    default:
        ERR(n->span, "'%s' is a %s, not a value", n->name,
            e->kind == NAME_TABLE ? _("table (write NAME(KEY))") : e->kind == NAME_FACT ? _("fact") : e->kind == NAME_WINDOWS ? _("window group") :
            e->kind == NAME_LADDER ? _("ladder") : e->kind == NAME_ROLE ? _("role") : _("period"));
        return WZ_T_UNKNOWN;
    }
}

static wz_type_kind check_binary(checker *c, wz_node *n) {
    wz_node *a = wz_node_kid(n, 0), *b = wz_node_kid(n, 1);
    switch (n->op) {
    case WZ_OP_AND: case WZ_OP_OR: {
        check_expect_type(c, a, WZ_T_BOOL, n->op == WZ_OP_AND ? N_("each side of 'and'") : N_("each side of 'or'"));
        /* 'and' evaluates its right side only when the left holds: exists() there guards it */
        guint saved = c->guards->len;
        if (n->op == WZ_OP_AND) check_collect_guards(c, a, c->guards);
        check_expect_type(c, b, WZ_T_BOOL, n->op == WZ_OP_AND ? N_("each side of 'and'") : N_("each side of 'or'"));
        g_array_set_size(c->guards, saved);
        check_set_type(n, WZ_T_BOOL, NULL);
        return WZ_T_BOOL;
    }
    case WZ_OP_EQ: case WZ_OP_NE: case WZ_OP_LT: case WZ_OP_LE: case WZ_OP_GT: case WZ_OP_GE: {
        /* Type the side that is not a bare label first, so `kind == 病假` reads 病假 as a value of kind. */
        if (is_unbound_ident(c, a) && is_unbound_ident(c, b)) {
            check_unknown_name(c, a);   /* one message, not two */
            check_set_type(n, WZ_T_BOOL, NULL);
            return WZ_T_BOOL;
        }
        bool a_label = is_unbound_ident(c, a) ||
                       (a->kind == WZ_N_IDENT && b->kind != WZ_N_IDENT) ||
                       (a->kind == WZ_N_IDENT && b->kind == WZ_N_IDENT && names_member_of(c, b, a->name));
        wz_node *first = a_label ? b : a, *second = a_label ? a : b;
        check_expr(c, first);
        check_operand(c, second, first->type == WZ_T_ENUM ? first->type_ref : NULL);
        if (!same_type(a, b))
            ERR(n->span, "cannot compare %s with %s", type_desc(a), type_desc(b));
        else if (n->op != WZ_OP_EQ && n->op != WZ_OP_NE && (a->type == WZ_T_BOOL || a->type == WZ_T_TEXT ||
                                                            a->type == WZ_T_PERSON))
            ERR(n->span, "'%s' needs numbers, dates or ordered values, found %s", wz_op_name(n->op), type_desc(a));
        if (a->maybe || b->maybe)
            ERR(n->span, "a side of this comparison may be missing (an optional fact, or min/max/avg of nothing); write 'X ?? default' or guard it with exists()");
        check_set_type(n, WZ_T_BOOL, NULL);
        return WZ_T_BOOL;
    }
    default: {
        static const char *verbs[] = {N_("add"), N_("subtract"), N_("multiply"), N_("divide")};
        check_expr(c, a);
        check_expr(c, b);
        if (a->type != WZ_T_UNKNOWN && b->type != WZ_T_UNKNOWN && (!check_is_num(a->type) || !check_is_num(b->type))) {
            if (a->type == WZ_T_DATE && b->type == WZ_T_DATE && n->op == WZ_OP_SUB)
                ERR(n->span, "cannot subtract dates directly; use days_between(a, b) or full_years(a, b)");
            else
                ERR(n->span, "cannot %s %s and %s; arithmetic needs numbers", _(verbs[n->op]), type_desc(a), type_desc(b));
        }
        if (a->maybe || b->maybe)
            ERR(a->maybe ? a->span : b->span, "this value may be missing (an optional fact, or min/max/avg of nothing); write 'X ?? default' or guard it with exists()");
        /* after an error the result's type is unknown, so no second message follows from it */
        wz_type_kind t = check_is_num(a->type) && check_is_num(b->type) ? WZ_T_NUMBER : WZ_T_UNKNOWN;
        check_set_type(n, t, NULL);
        return t;
    }
    }
}

/* Facts of multi-row field references inside an aggregate's argument. */
static void collect_row_facts(checker *c, const wz_node *n, GArray *out) {
    if (!n) return;
    if (n->kind == WZ_N_AGG || n->kind == WZ_N_WINDOWED) return;   /* own scope */
    if (n->kind == WZ_N_FIELD_REF || (n->kind == WZ_N_IDENT)) {
        name_entry *e = check_lookup_fact(c, n->name);
        if (e && e->kind == NAME_FACT) {
            const wz_fact_schema *s = check_fact_at(c, e->index);
            if (!s->is_population && !s->one_per_person) {
                for (guint i = 0; i < out->len; i++)
                    if (g_array_index(out, int, i) == e->index) return;
                g_array_append_val(out, e->index);
            }
        }
    }
    for (guint i = 0; i < wz_node_nkids(n); i++) collect_row_facts(c, wz_node_kid(n, i), out);
}

static wz_type_kind check_agg(checker *c, wz_node *n) {
    int fn = wz_agg_find(n->name);
    wz_node *arg = wz_node_kid(n, 0), *where = wz_node_kid(n, 1);
    if (fn < 0) {
        ERR(n->span, "'%s' is not an aggregate, expecting sum, count, min, max or avg", n->name);
        return WZ_T_UNKNOWN;
    }
    n->op = fn;
    if (n->ival) {   /* over all persons: a population aggregate, its own def (also allowed in the pool) */
        if (c->row_fact >= 0 || c->window) {
            ERR(n->span, "an aggregate over all persons cannot be nested inside a per-row or per-window expression");
            return WZ_T_UNKNOWN;
        }
        if (fn != WZ_AGG_COUNT && !arg) {
            ERR(n->span, "%s(all: …) needs a value, expecting %s(all: EXPR)", n->name, n->name);
            return WZ_T_UNKNOWN;
        }
        char *name = g_strdup_printf("%s(all)@%u", n->name, check_line_of(&n->span));
        int d = check_add_def(c, WZ_DEF_POP_AGG, name, n);
        g_free(name);
        int saved_def = c->cur_def;
        bool saved_global = c->global;
        check_add_dep(c, d);
        c->cur_def = d;
        c->global = false;
        g_array_index(c->state, def_state, d) = DEF_CHECKING;
        if (arg) check_expect_type(c, arg, WZ_T_NUMBER, "the aggregated value");
        if (where) check_expect_type(c, where, WZ_T_BOOL, "a 'where' filter");
        g_array_index(c->state, def_state, d) = DEF_DONE;
        check_def_at(c, d)->type = WZ_T_NUMBER;
        c->cur_def = saved_def;
        c->global = saved_global;
        n->ref_kind = WZ_REF_DEF;
        n->ref_index = d;
        check_set_type(n, WZ_T_NUMBER, NULL);
        /* min, max and avg over nobody have no value */
        n->maybe = fn == WZ_AGG_MIN || fn == WZ_AGG_MAX || fn == WZ_AGG_AVG;
        return WZ_T_NUMBER;
    }
    if (c->global) {
        ERR(n->span, "a per-person aggregate cannot be used here");
        return WZ_T_UNKNOWN;
    }
    if (c->row_fact >= 0) {
        const wz_def *cur = c->cur_def >= 0 ? check_def_at(c, c->cur_def) : NULL;
        if (c->row_value >= 0 || (cur && cur->each_fact >= 0))   /* one row of the fact is in scope, not the entity */
            ERR(n->span, "%s is read on one row of '%s' at a time, so it cannot aggregate rows; aggregate them in a let "
                         "(let n = %s(…);) and read that", c->row_value >= 0 ? "a row value" : "a 'for each' rule",
                check_fact_at(c, c->row_fact)->name, n->name);
        else
            ERR(n->span, "aggregates cannot be nested inside another aggregate's rows");
        return WZ_T_UNKNOWN;
    }
    GArray *facts = g_array_new(FALSE, FALSE, sizeof(int));
    collect_row_facts(c, arg, facts);
    if (facts->len != 1) {
        if (facts->len == 0) {
            char *hint = arg && arg->kind == WZ_N_IDENT && !check_lookup(c, arg->name) ? check_hint_bare_field(c, arg->name) : g_strdup("");
            ERR(n->span, "%s(…) needs rows to aggregate, expecting %s%s",
                n->name, fn == WZ_AGG_COUNT ? "count(FACT) or count(FACT where …)" : "a field of a many-rows fact, as in sum(FACT.FIELD where …)",
                hint);
            g_free(hint);
        } else
            ERR(n->span, "%s(…) mixes rows of different facts; aggregate one fact at a time", n->name);
        g_array_free(facts, TRUE);
        return WZ_T_UNKNOWN;
    }
    int f = g_array_index(facts, int, 0);
    g_array_free(facts, TRUE);
    use_kind(c, check_fact_at(c, f)->entity, &n->span);
    if (c->cur_def >= 0) check_def_at(c, c->cur_def)->uses_rows = true;
    if (c->window && check_fact_at(c, f)->date_field < 0) {
        ERR(n->span, "fact '%s' is not dated, so its rows cannot be split into '%s' windows; declare it 'dated by FIELD'",
            check_fact_at(c, f)->name, c->window);
        return WZ_T_UNKNOWN;
    }
    n->ref_kind = WZ_REF_FACT;
    n->ref_index = f;
    c->row_fact = f;
    if (fn == WZ_AGG_COUNT) {
        if (arg->kind != WZ_N_IDENT || strcmp(arg->name, check_fact_at(c, f)->name) != 0)
            ERR(arg->span, "count(…) counts rows: expecting count(%s) or count(%s where …)", check_fact_at(c, f)->name,
                check_fact_at(c, f)->name);
        arg->ref_kind = WZ_REF_FACT;
        arg->ref_index = f;
    } else {
        check_expect_type(c, arg, WZ_T_NUMBER, "the aggregated value");
    }
    if (where) check_expect_type(c, where, WZ_T_BOOL, "a 'where' filter");
    c->row_fact = -1;
    check_set_type(n, WZ_T_NUMBER, NULL);
    /* min, max and avg of no rows have no value */
    n->maybe = fn == WZ_AGG_MIN || fn == WZ_AGG_MAX || fn == WZ_AGG_AVG;
    return WZ_T_NUMBER;
}

/* A hidden def computing expr per entity, for a rank or a quota to order by. */
static int add_key_def(checker *c, wz_node *expr, const char *owner, guint i) {
    char *name = g_strdup_printf("%s.key%u", owner, i + 1);
    int d = check_add_def(c, WZ_DEF_KEY, name, expr);
    g_free(name);
    check_def(c, d);
    return d;
}

static wz_type_kind check_call(checker *c, wz_node *n) {
    guint argc = wz_node_nkids(n);
    name_entry *te = check_lookup(c, n->name);
    if (te && te->kind == NAME_TABLE) {   /* table(key) */
        if (argc != 1) {
            ERR(n->span, "table '%s' takes one key, found %u", n->name, argc);
            return WZ_T_UNKNOWN;
        }
        const wz_table *tb = g_ptr_array_index(c->p->tables, te->index);
        wz_node *key = wz_node_kid(n, 0);
        if (tb->text_keys) {   /* text, or an enum whose members name the keys */
            wz_type_kind kt = check_expr(c, key);
            if (kt == WZ_T_ENUM) {
                for (guint m = 0; m < wz_node_nkids(key->type_ref); m++) {
                    const char *member = wz_node_kid(key->type_ref, m)->name;
                    bool found = false;
                    for (guint k = 0; k < tb->text_keys->len; k++) found |= !strcmp(g_ptr_array_index(tb->text_keys, k), member);
                    if (!found && !tb->has_default)
                        ERR(key->span, "table '%s' has no row for '%s', a value of this key, and no 'otherwise' row", n->name, member);
                }
            } else if (kt != WZ_T_UNKNOWN) {
                check_expect_type(c, key, WZ_T_TEXT, "a table's key");
            }
        } else {
            check_expect_type(c, key, WZ_T_NUMBER, "a table's key");
        }
        n->ref_kind = WZ_REF_TABLE;
        n->ref_index = te->index;
        check_set_type(n, WZ_T_NUMBER, NULL);
        return WZ_T_NUMBER;
    }
    wz_builtin b = wz_builtin_find(n->name);
    const wz_builtin_info *bi = &wz_builtins[b];
    /* previous(V[, K]): V's value K periods back (default 1); streak(V): the
     * periods in a row, ending with this one, in which V held.  V must be kept,
     * so that earlier runs recorded it. */
    if (bi->family == WZ_BF_HISTORY) {
        bool streak = b == WZ_B_STREAK;
        g_free(n->name);
        n->name = g_strdup(bi->name);
        n->builtin = b;
        if ((int)argc < bi->min_args || (int)argc > bi->max_args) {
            ERR(n->span, streak ? "streak(…) takes one kept value, as in streak(last)" : "previous(…) takes a kept value and how many periods back, as in previous(last) or previous(last, 2)");
            return WZ_T_UNKNOWN;
        }
        if (c->global) {
            ERR(n->span, "%s(…) reads an entity's earlier periods and cannot be used here", n->name);
            return WZ_T_UNKNOWN;
        }
        wz_node *a = wz_node_kid(n, 0);
        name_entry *e = a->kind == WZ_N_IDENT ? check_lookup(c, a->name) : NULL;
        if (!e || e->kind != NAME_DEF || !check_def_at(c, e->index)->kept) {
            ERR(a->span, "%s(…) reads a value earlier runs recorded; '%s' is not kept, expecting a name listed in 'keep NAME;'",
                n->name, a->kind == WZ_N_IDENT ? a->name : "this");
            return WZ_T_UNKNOWN;
        }
        int64_t back = 1;
        if (argc == 2) {
            wz_node *k = wz_node_kid(n, 1);
            if (k->kind != WZ_N_NUMBER || !wz_dec_is_integer(k->num) || !wz_dec_to_int64(k->num, &back) || back < 1 || back > 100)
                ERR(k->span, "how many periods back must be a whole number from 1 to 100, as in previous(last, 2)");
            check_set_type(k, WZ_T_NUMBER, NULL);
        }
        check_def(c, e->index);
        check_add_dep(c, e->index);
        wz_def *v = check_def_at(c, e->index);
        v->read_back = true;
        a->ref_kind = WZ_REF_DEF;
        a->ref_index = e->index;
        check_set_type(a, v->type, v->type_ref);
        n->ref_index = e->index;
        n->op = (int)back;
        if (!c->p->history_use) c->p->history_use = n;
        if (streak) {
            if (v->type != WZ_T_BOOL && v->type != WZ_T_UNKNOWN)
                ERR(a->span, "streak(…) counts periods in which a condition held; '%s' is %s, not a condition", a->name, type_desc(a));
            check_set_type(n, WZ_T_NUMBER, NULL);
            return WZ_T_NUMBER;
        }
        check_set_type(n, v->type, v->type_ref);
        n->maybe = true;   /* no value when the entity was not there then, or the history is shorter */
        return v->type;
    }
    /* rank_desc(V[, G]): 1 for the highest V among the entities of V's kind
     * (within each value of G); ties share a place, the next skips (1, 2, 2, 4);
     * dense_rank_… does not skip (1, 2, 2, 3).  An entity without V has no place. */
    if (bi->family == WZ_BF_RANK) {
        n->builtin = b;
        if ((int)argc < bi->min_args || (int)argc > bi->max_args) {
            ERR(n->span, "%s(…) takes the value to rank and, optionally, the group to rank within, as in %s(total, staff.school)",
                bi->name, bi->name);
            return WZ_T_UNKNOWN;
        }
        if (c->global || c->row_fact >= 0 || c->window) {
            ERR(n->span, "%s(…) ranks whole entities and cannot be used %s", bi->name,
                c->global ? _("here") : _("inside a per-row or per-window expression"));
            return WZ_T_UNKNOWN;
        }
        char *name = g_strdup_printf("%s@%u", bi->name, check_line_of(&n->span));
        int d = check_add_def(c, WZ_DEF_RANK, name, n);
        g_free(name);
        wz_def *rd = check_def_at(c, d);
        rd->dense = bi->dense;
        rd->type = WZ_T_NUMBER;
        int saved = c->cur_def;
        c->cur_def = d;
        g_array_index(c->state, def_state, d) = DEF_CHECKING;
        wz_sort_key k = {add_key_def(c, wz_node_kid(n, 0), rd->name, 0), bi->dir};
        g_array_append_val(check_def_at(c, d)->keys, k);
        check_add_dep(c, k.def);
        if (argc == 2) {
            check_def_at(c, d)->group = add_key_def(c, wz_node_kid(n, 1), rd->name, 1);
            check_add_dep(c, check_def_at(c, d)->group);
        }
        g_array_index(c->state, def_state, d) = DEF_DONE;
        c->cur_def = saved;
        check_add_dep(c, d);
        /* a finding that reads a place cites the rows its value came from */
        const wz_def *key = check_def_at(c, k.def);
        if ((key->uses_rows || key->cites_rows) && c->cur_def >= 0) check_def_at(c, c->cur_def)->cites_rows = true;
        n->ref_kind = WZ_REF_DEF;
        n->ref_index = d;
        check_set_type(n, WZ_T_NUMBER, NULL);
        n->maybe = wz_node_kid(n, 0)->maybe;
        return WZ_T_NUMBER;
    }
    /* sum(x), count(f), avg(x), min(x), max(x) with one argument are aggregates */
    int fn = wz_agg_find(n->name);
    if (fn >= 0 && (argc == 1 || fn == WZ_AGG_SUM || fn == WZ_AGG_COUNT || fn == WZ_AGG_AVG)) {
        if (argc != 1) {
            ERR(n->span, "%s(…) takes one value to aggregate, found %u", n->name, argc);
            return WZ_T_UNKNOWN;
        }
        n->kind = WZ_N_AGG;
        wz_node_add(n, NULL);
        return check_agg(c, n);
    }
    if (b == WZ_B_NONE) {
        char *hint = wz_builtin_hint();
        wz_suggest s;   /* the builtins and aggregates by either name, and the tables */
        wz_suggest_begin(&s, n->name);
        for (int i = WZ_B_NONE + 1; i < WZ_B__COUNT; i++) {
            wz_suggest_consider(&s, wz_builtins[i].name);
            wz_suggest_consider(&s, wz_builtins[i].zh);
        }
        for (int i = 0; i < WZ_AGG__COUNT; i++) {
            wz_suggest_consider(&s, wz_aggs[i].name);
            wz_suggest_consider(&s, wz_aggs[i].zh);
        }
        for (guint i = 0; i < c->p->tables->len; i++) wz_suggest_consider(&s, ((wz_table *)g_ptr_array_index(c->p->tables, i))->name);
        char *mean = wz_suggest_hint(wz_suggest_end(&s));
        ERR(n->span, "unknown function '%s', expecting one of %s%s", n->name, hint, mean);
        g_free(mean);
        g_free(hint);
        return WZ_T_UNKNOWN;
    }
    n->builtin = b;
    if ((int)argc < bi->min_args || (int)argc > bi->max_args) {
        ERR(n->span, "%s(…) takes %d argument%s, found %u", bi->name, bi->min_args, bi->min_args == 1 ? "" : "s", argc);
        return WZ_T_UNKNOWN;
    }
    g_free(n->name);
    n->name = g_strdup(bi->name);
    const char *nm = bi->name;
    if (b == WZ_B_MIN || b == WZ_B_MAX) {
        wz_type_kind t = WZ_T_UNKNOWN;
        for (guint i = 0; i < argc; i++) {
            wz_node *a = wz_node_kid(n, i);
            wz_type_kind at = check_expr(c, a);
            if (a->maybe) ERR(a->span, "this value may be missing; write 'X ?? default'");
            if (at == WZ_T_UNKNOWN) continue;
            if (!check_is_num(at) && at != WZ_T_DATE) ERR(a->span, "%s(…) needs numbers or dates, found %s", nm, type_desc(a));
            else if (t != WZ_T_UNKNOWN && (check_is_num(t) != check_is_num(at))) ERR(a->span, "%s(…) cannot mix numbers and dates", nm);
            else t = check_is_num(at) ? WZ_T_NUMBER : at;
        }
        check_set_type(n, t, NULL);
        return t;
    }
    if (b == WZ_B_ROUND || b == WZ_B_ROUND_HALF_EVEN || b == WZ_B_ROUND_DOWN) {
        check_expect_type(c, wz_node_kid(n, 0), WZ_T_NUMBER, "the value to round");
        wz_node *places = wz_node_kid(n, 1);
        int64_t v;
        if (places->kind != WZ_N_NUMBER || !wz_dec_to_int64(places->num, &v) || !wz_dec_is_integer(places->num) || v > 30)
            ERR(places->span, "decimal places must be a whole number from 0 to 30, as in round(x, 2)");
        check_set_type(places, WZ_T_NUMBER, NULL);
        check_set_type(n, WZ_T_NUMBER, NULL);
        return WZ_T_NUMBER;
    }
    if (b == WZ_B_ABS) {
        check_expect_type(c, wz_node_kid(n, 0), WZ_T_NUMBER, "abs(…)'s argument");
        check_set_type(n, WZ_T_NUMBER, NULL);
        return WZ_T_NUMBER;
    }
    if (b == WZ_B_FULL_YEARS || b == WZ_B_DAYS_BETWEEN || b == WZ_B_FULL_MONTHS) {
        check_expect_type(c, wz_node_kid(n, 0), WZ_T_DATE, "the first date");
        check_expect_type(c, wz_node_kid(n, 1), WZ_T_DATE, "the second date");
        check_set_type(n, WZ_T_NUMBER, NULL);
        return WZ_T_NUMBER;
    }
    wz_node *a = wz_node_kid(n, 0);
    name_entry *e = a->kind == WZ_N_IDENT ? check_lookup(c, a->name) : NULL;
    if (b == WZ_B_EXISTS) {
        e = a->kind == WZ_N_IDENT ? check_lookup_fact(c, a->name) : NULL;
        if (!e || e->kind != NAME_FACT || !check_fact_at(c, e->index)->one_per_person) {
            ERR(a->span, "exists(…) takes the name of a 'one per person' fact");
            return WZ_T_UNKNOWN;
        }
        if (c->global) ERR(n->span, "exists(…) is a per-person value and cannot be used here");
        a->ref_kind = WZ_REF_FACT;
        a->ref_index = e->index;
        check_set_type(n, WZ_T_BOOL, NULL);
        return WZ_T_BOOL;
    }
    /* cut(L), excluded(L) */
    if (!e || e->kind != NAME_LADDER) {
        ERR(a->span, "%s(…) takes the name of a ladder", nm);
        return WZ_T_UNKNOWN;
    }
    a->ref_kind = WZ_REF_LADDER;
    a->ref_index = e->index;
    for (guint i = 0; i < c->p->defs->len; i++)
        if (check_def_at(c, i)->kind == WZ_DEF_SANCTION && check_def_at(c, i)->ladder == e->index) {
            check_def(c, (int)i);
            check_add_dep(c, (int)i);
        }
    wz_type_kind t = b == WZ_B_CUT ? WZ_T_NUMBER : WZ_T_BOOL;
    check_set_type(n, t, NULL);
    return t;
}

/* exists(f) conjuncts of a condition: facts known present when it holds.
 * Called once cond is checked, so each exists() call carries its builtin id
 * (check_call sets it) and a table that happens to be named exists does not. */
void check_collect_guards(checker *c, const wz_node *cond, GArray *out) {
    if (!cond) return;
    if (cond->kind == WZ_N_BINARY && cond->op == WZ_OP_AND) {
        check_collect_guards(c, wz_node_kid(cond, 0), out);
        check_collect_guards(c, wz_node_kid(cond, 1), out);
    } else if (cond->kind == WZ_N_CALL && cond->builtin == WZ_B_EXISTS) {
        const wz_node *a = wz_node_kid(cond, 0);
        if (a && a->ref_kind == WZ_REF_FACT) g_array_append_val(out, a->ref_index);
    }
}

/* decide { LABEL: VALUE [when COND] [overrides LABEL, …]; … }: of the options
 * whose condition holds, those overridden (directly or through a chain) by
 * another that holds drop out; the one left gives the value.  Two options that
 * can both hold without either overriding the other are a conflict: an error
 * here when it is certain (both unconditional, or the same condition), else a
 * `conflict` finding at run time and no value — never a silent pick. */
static void check_decide(checker *c, wz_node *n) {
    guint k = wz_node_nkids(n);
    guint8 *over = g_new0(guint8, (gsize)k * k);   /* over[j * k + i]: j overrides i */
    wz_node *first = NULL;
    bool unconditional = false;
    for (guint i = 0; i < k; i++) {
        wz_node *opt = wz_node_kid(n, i);
        for (guint j = 0; j < i; j++)
            if (!strcmp(wz_node_kid(n, j)->name, opt->name)) ERR(opt->span, "option '%s' is listed twice", opt->name);
        wz_node *value = wz_node_kid(opt, 0), *when = wz_node_kid(opt, 1), *overridden = wz_node_kid(opt, 2);
        if (when) check_expect_type(c, when, WZ_T_BOOL, "an option's 'when' condition");
        else unconditional = true;
        guint saved = c->guards->len;   /* the value is read only when the condition holds */
        if (when) check_collect_guards(c, when, c->guards);
        check_expr(c, value);
        g_array_set_size(c->guards, saved);
        if (value->type == WZ_T_LABEL && first && first->type == WZ_T_ENUM) check_operand(c, value, first->type_ref);
        if (!first && value->type != WZ_T_UNKNOWN) first = value;
        else if (first && value->type != WZ_T_UNKNOWN && !same_type(first, value))
            ERR(value->span, "the options of 'decide' differ: %s and %s", type_desc(first), type_desc(value));
        for (guint o = 0; overridden && o < wz_node_nkids(overridden); o++) {
            wz_node *id = wz_node_kid(overridden, o);
            guint target = k;
            for (guint j = 0; j < k; j++)
                if (!strcmp(wz_node_kid(n, j)->name, id->name)) target = j;
            if (target == k) ERR(id->span, "'%s' is not an option of this decide", id->name);
            else if (target == i) ERR(id->span, "option '%s' cannot override itself", id->name);
            else {
                id->ref_index = (int)target;
                over[i * k + target] = 1;
            }
        }
    }
    /* the chains: j overrides i through others */
    for (guint m = 0; m < k; m++)
        for (guint a = 0; a < k; a++)
            for (guint b = 0; b < k; b++)
                if (over[a * k + m] && over[m * k + b]) over[a * k + b] = 1;
    bool maybe = !unconditional;
    for (guint i = 0; i < k; i++) {
        if (over[i * k + i]) {
            ERR(wz_node_kid(n, i)->span, "option '%s' overrides itself through a chain of 'overrides'", wz_node_kid(n, i)->name);
            break;
        }
        for (guint j = i + 1; j < k; j++) {
            if (over[i * k + j] || over[j * k + i]) continue;
            const wz_node *a = wz_node_kid(n, i), *b = wz_node_kid(n, j);
            const wz_node *wa = wz_node_kid(a, 1), *wb = wz_node_kid(b, 1);
            bool same = !wa && !wb;
            if (wa && wb) {
                GString *ta = g_string_new(NULL), *tb = g_string_new(NULL);
                wz_ast_print(ta, wa, 0);
                wz_ast_print(tb, wb, 0);
                same = !strcmp(ta->str, tb->str);
                g_string_free(ta, TRUE);
                g_string_free(tb, TRUE);
            }
            if (same)
                ERR(b->span, "options '%s' and '%s' both apply %s and neither overrides the other; say which wins with 'overrides'",
                    a->name, b->name, wa ? _("under the same condition") : _("always"));
            else
                maybe = true;   /* they may both hold: a conflict finding at run time */
        }
    }
    wz_decide *dc = g_new0(wz_decide, 1);   /* the resolved decide, for the run and its findings */
    dc->span = n->span;
    dc->n = k;
    dc->over = over;
    dc->names = g_new0(char *, k + 1);
    dc->texts = g_new0(char *, k + 1);
    for (guint i = 0; i < k; i++) {
        dc->names[i] = g_strdup(wz_node_kid(n, i)->name);
        dc->texts[i] = g_strdup(wz_node_kid(n, i)->text);
    }
    n->ref_index = (int)c->p->decides->len;
    g_ptr_array_add(c->p->decides, dc);
    check_set_type(n, first ? (check_is_num(first->type) ? WZ_T_NUMBER : first->type) : WZ_T_UNKNOWN, first ? first->type_ref : NULL);
    n->maybe = maybe;
    for (guint i = 0; i < k; i++) n->maybe |= wz_node_kid(wz_node_kid(n, i), 0)->maybe;
}

/* LABEL when COND limit P by KEY …: a QUOTA def decides, over all entities
 * of the kind, which of those meeting COND get LABEL; the case then reads it. */
/* The quota def of a limited case also evaluates the classify's earlier
 * conditions (a candidate is one no earlier case took): it depends on what
 * they read, already checked in the classify's own def. */
static void note_reads(checker *c, const wz_node *n) {
    if (!n) return;
    if ((n->kind == WZ_N_IDENT || n->kind == WZ_N_AGG || n->kind == WZ_N_CALL || n->kind == WZ_N_CASE) &&
        n->ref_kind == WZ_REF_DEF && n->type != WZ_T_UNKNOWN)
        check_add_dep(c, n->ref_index);
    if (n->kind == WZ_N_FIELD_REF && (n->ref_kind == WZ_REF_PERSON_FIELD || n->ref_kind == WZ_REF_ROW_FIELD))
        use_kind(c, check_fact_at(c, n->ref_index)->entity, &n->span);
    for (guint i = 0; i < wz_node_nkids(n); i++) note_reads(c, wz_node_kid(n, i));
}

static void check_quota_case(checker *c, wz_node *cls, guint index) {
    wz_node *cs = wz_node_kid(cls, index);
    if (c->global || c->row_fact >= 0 || c->window) {
        ERR(cs->span, "a case with a limit compares whole entities and cannot be used %s",
            c->global ? _("here") : _("inside a per-row or per-window expression"));
        return;
    }
    wz_node *limit = wz_node_kid(cs, 1);
    wz_dec v = WZ_DEC_ZERO;
    if (check_literal_number(limit, &v)) {
        if (wz_dec_sign(v) < 0 || wz_dec_cmp(v, WZ_DEC_ONE) > 0) {
            ERR(limit->span, "a limit is a share of the entities from 0%% to 100%%, as in 'limit 15%%'");
            return;
        }
        check_set_type(limit, WZ_T_NUMBER, NULL);
    } else {   /* a param (the bureau sets the quota in params.csv): checked when the run has its value */
        name_entry *pe = limit->kind == WZ_N_IDENT ? check_lookup(c, limit->name) : NULL;
        if (!pe || pe->kind != NAME_PARAM) {
            ERR(limit->span, "a limit is a literal share such as 'limit 15%%' or a param, as in 'limit excellent_share'");
            return;
        }
        int saved_def = c->cur_def;
        check_global_expr(c, limit, WZ_T_NUMBER, "a limit");
        c->cur_def = saved_def;
    }
    char *name = g_strdup_printf("%s.limit@%u", cs->name, check_line_of(&cs->span));
    int d = check_add_def(c, WZ_DEF_QUOTA, name, cs);
    g_free(name);
    check_def_at(c, d)->limit = v;
    check_def_at(c, d)->type_ref = cls;   /* the classify: its earlier cases come first */
    check_def(c, d);
    int saved = c->cur_def;
    c->cur_def = d;
    for (guint i = 0; i < index; i++) note_reads(c, wz_node_kid(wz_node_kid(cls, i), 0));
    for (guint i = 2; i < wz_node_nkids(cs); i++) {
        wz_node *key = wz_node_kid(cs, i);
        wz_sort_key k = {add_key_def(c, wz_node_kid(key, 0), check_def_at(c, d)->name, i - 2), (int)key->ival};
        g_array_append_val(check_def_at(c, d)->keys, k);
        check_add_dep(c, k.def);
    }
    c->cur_def = saved;
    check_add_dep(c, d);
    cs->ref_kind = WZ_REF_DEF;
    cs->ref_index = d;
}

wz_type_kind check_expr(checker *c, wz_node *n) {
    switch (n->kind) {
    case WZ_N_NUMBER: check_set_type(n, WZ_T_NUMBER, NULL); break;
    case WZ_N_STRING: check_set_type(n, WZ_T_TEXT, NULL); break;
    case WZ_N_DATE: check_set_type(n, WZ_T_DATE, NULL); break;
    case WZ_N_BOOL: check_set_type(n, WZ_T_BOOL, NULL); break;
    case WZ_N_IDENT: return check_ident(c, n);
    case WZ_N_FIELD_REF: return check_field_ref(c, n);
    case WZ_N_UNARY:
        if (n->op == WZ_OP_NOT) {
            check_expect_type(c, wz_node_kid(n, 0), WZ_T_BOOL, "the operand of 'not'");
            check_set_type(n, WZ_T_BOOL, NULL);
        } else {
            check_expect_type(c, wz_node_kid(n, 0), WZ_T_NUMBER, "the operand of '-'");
            check_set_type(n, WZ_T_NUMBER, NULL);
        }
        break;
    case WZ_N_BINARY: return check_binary(c, n);
    case WZ_N_CALL: return check_call(c, n);
    case WZ_N_AGG: return check_agg(c, n);
    case WZ_N_IF: {
        wz_node *cond = wz_node_kid(n, 0), *a = wz_node_kid(n, 1), *b = wz_node_kid(n, 2);
        check_expect_type(c, cond, WZ_T_BOOL, "the condition of 'if'");
        guint saved = c->guards->len;
        /* exists(f) guards the then branch; not exists(f) guards the else branch */
        const wz_node *negated = cond->kind == WZ_N_UNARY && cond->op == WZ_OP_NOT ? wz_node_kid(cond, 0) : NULL;
        bool a_label = is_unbound_ident(c, a) && !is_unbound_ident(c, b);
        if (!negated) check_collect_guards(c, cond, c->guards);
        if (!a_label) check_expr(c, a);
        g_array_set_size(c->guards, saved);
        if (negated) check_collect_guards(c, negated, c->guards);
        if (a_label) {   /* `then 男 else staff.gender`: the else branch says which enum 男 is in */
            check_expr(c, b);
            check_operand(c, a, b->type == WZ_T_ENUM ? b->type_ref : NULL);
        } else {
            check_operand(c, b, a->type == WZ_T_ENUM ? a->type_ref : NULL);
        }
        g_array_set_size(c->guards, saved);
        if (!same_type(a, b))
            ERR(n->span, "the two branches of 'if' differ: %s and %s", type_desc(a), type_desc(b));
        check_set_type(n, check_is_num(a->type) ? WZ_T_NUMBER : a->type, a->type_ref ? a->type_ref : b->type_ref);
        n->maybe = a->maybe || b->maybe;
        break;
    }
    case WZ_N_CLASSIFY: {
        guint nk = wz_node_nkids(n);
        for (guint i = 0; i < nk; i++) {
            wz_node *cs = wz_node_kid(n, i);
            for (guint j = 0; j < i; j++)
                if (!strcmp(wz_node_kid(n, j)->name, cs->name)) ERR(cs->span, "label '%s' is listed twice", cs->name);
            wz_node *cond = wz_node_kid(cs, 0);
            if (cond && wz_node_nkids(cs) > 1) check_quota_case(c, n, i);
            else if (cond) check_expect_type(c, cond, WZ_T_BOOL, "a 'when' condition");
            else if (i != nk - 1) ERR(cs->span, "'otherwise' must be the last case");
        }
        bool has_otherwise = false;
        for (guint i = 0; i < nk; i++) has_otherwise |= wz_node_kid(wz_node_kid(n, i), 0) == NULL;
        if (!has_otherwise)   /* a misplaced otherwise was reported above */
            ERR(n->span, "classify needs a last case 'LABEL otherwise;' so that every person gets a label");
        check_set_type(n, WZ_T_ENUM, n);
        break;
    }
    case WZ_N_DECIDE: check_decide(c, n); break;
    case WZ_N_SHARING: {
        int fn = wz_agg_find(n->name);
        wz_node *arg = wz_node_kid(n, 0);
        /* count(1 sharing f): the argument is no name at all */
        bool named = arg->kind == WZ_N_IDENT || arg->kind == WZ_N_FIELD_REF;
        name_entry *e = named && arg->name ? check_lookup_fact(c, arg->name) : NULL;
        if (fn != WZ_AGG_COUNT && fn != WZ_AGG_SUM) {
            ERR(n->span, "'sharing' counts or sums rows, expecting count(FACT sharing FIELD) or sum(FACT.FIELD sharing FIELD)");
            return WZ_T_UNKNOWN;
        }
        if (!e || e->kind != NAME_FACT || (fn == WZ_AGG_COUNT) != (arg->kind == WZ_N_IDENT) ||
            (arg->kind != WZ_N_IDENT && arg->kind != WZ_N_FIELD_REF)) {
            ERR(arg->span, "expecting %s", fn == WZ_AGG_COUNT ? "count(FACT sharing FIELD)" : "sum(FACT.FIELD sharing FIELD)");
            return WZ_T_UNKNOWN;
        }
        if (c->row_fact != e->index) {
            ERR(n->span, "'%s sharing %s' compares with the current row of '%s', so it belongs inside an aggregate over its rows, "
                         "as in sum(… %s(%s sharing %s) …)", arg->name, n->label, arg->name, n->name, arg->name, n->label);
            return WZ_T_UNKNOWN;
        }
        const wz_fact_schema *s = check_fact_at(c, e->index);
        int key = check_field_index(s, n->label);
        if (key < 0) {
            char *list = field_list(s), *hint = check_hint_field(s, n->label);
            ERR(n->span, "fact '%s' has no field '%s' (its fields: %s)%s", arg->name, n->label, list, hint);
            g_free(list);
            g_free(hint);
            return WZ_T_UNKNOWN;
        }
        if (((wz_field_schema *)g_ptr_array_index(s->fields, key))->type == WZ_FT_DECIMAL) {
            ERR(n->span, "rows are grouped by a text, enum, whole-number, date or person field, not a decimal one");
            return WZ_T_UNKNOWN;
        }
        n->ref_index = e->index;
        n->ref_index2 = key;
        n->op = -1;
        /* a row without the key shares with no one: no count for it */
        n->maybe = ((wz_field_schema *)g_ptr_array_index(s->fields, key))->optional;
        if (fn == WZ_AGG_SUM) {
            int vf = check_field_index(s, arg->text);
            if (vf < 0) {
                char *hint = check_hint_field(s, arg->text);
                ERR(arg->span, "fact '%s' has no field '%s'%s", arg->name, arg->text, hint);
                g_free(hint);
                return WZ_T_UNKNOWN;
            }
            wz_type_kind vt = field_type(g_ptr_array_index(s->fields, vf));
            if (!check_is_num(vt)) {
                ERR(arg->span, "sum(…) needs a number field, and '%s.%s' is not one", arg->name, arg->text);
                return WZ_T_UNKNOWN;
            }
            n->op = vf;
        }
        wz_node *where = wz_node_kid(n, 1);
        if (where) {   /* each row of the group tested: no row without the key is in a group */
            n->maybe = false;
            check_expect_type(c, where, WZ_T_BOOL, "a 'where' filter");
            const wz_node *bad = where->type == WZ_T_BOOL ? not_of_row(c, where) : NULL;   /* else reported already */
            if (bad)
                ERR(bad->span, "the condition after 'where' in '%s sharing %s' is tested on each row of the group, anyone's, "
                               "so it cannot read the current person's values; expecting the row's fields, params, tables or constants",
                    arg->name, n->label);
        }
        use_kind(c, s->entity, &n->span);
        check_set_type(n, WZ_T_NUMBER, NULL);
        return WZ_T_NUMBER;
    }
    case WZ_N_WINDOWED: {
        name_entry *e = check_lookup(c, n->name);
        if (!e || e->kind != NAME_WINDOWS) {
            char *hint = check_hint_name(c, n->name, 1u << NAME_WINDOWS);
            ERR(n->span, "'%s' is not a window group; declare one with 'split PERIOD into %s at DATE;'%s", n->name, n->name, hint);
            g_free(hint);
            return WZ_T_UNKNOWN;
        }
        if (c->window && c->cur_def >= 0 && check_def_at(c, c->cur_def)->each_window >= 0) {
            ERR(n->span, "this rule is already read window by window ('for each %s'), so '%s (…)' cannot be used inside it; "
                         "write the condition on the window's rows directly", c->window, n->name);
            return WZ_T_UNKNOWN;
        }
        if (c->window) {
            ERR(n->span, "window expressions cannot be nested");
            return WZ_T_UNKNOWN;
        }
        n->ref_index = e->index;
        c->window = n->name;
        check_expect_type(c, wz_node_kid(n, 0), n->op == WZ_Q_EACH ? WZ_T_NUMBER : WZ_T_BOOL,
                    n->op == WZ_Q_EACH ? N_("the value summed over each window") : N_("the condition tested in each window"));
        c->window = NULL;
        check_set_type(n, n->op == WZ_Q_EACH ? WZ_T_NUMBER : WZ_T_BOOL, NULL);
        break;
    }
    case WZ_N_IN: {
        wz_node *lhs = wz_node_kid(n, 0);
        check_expr(c, lhs);
        if (lhs->maybe) ERR(lhs->span, "this value may be missing; write 'X ?? default'");
        for (guint i = 1; i < wz_node_nkids(n); i++) {
            wz_node *m = wz_node_kid(n, i);
            check_operand(c, m, lhs->type == WZ_T_ENUM ? lhs->type_ref : NULL);
            if (!same_type(lhs, m)) ERR(m->span, "cannot compare %s with %s", type_desc(lhs), type_desc(m));
        }
        check_set_type(n, WZ_T_BOOL, NULL);
        break;
    }
    case WZ_N_COALESCE: {
        wz_node *a = wz_node_kid(n, 0), *b = wz_node_kid(n, 1);
        check_expr(c, a);
        check_operand(c, b, a->type == WZ_T_ENUM ? a->type_ref : NULL);
        if (!a->maybe && a->type != WZ_T_UNKNOWN)
            ERR(n->span, "the left side of '?\?' is never missing, so the default is never used");
        if (!same_type(a, b)) ERR(n->span, "'?\?' default is %s but the value is %s", type_desc(b), type_desc(a));
        check_set_type(n, check_is_num(a->type) ? WZ_T_NUMBER : a->type, a->type_ref);
        n->maybe = b->maybe;
        break;
    }
    default:
        ERR(n->span, "this is not an expression");
        return WZ_T_UNKNOWN;
    }
    return n->type;
}

void check_global_expr(checker *c, wz_node *e, wz_type_kind want, const char *what) {
    c->global = true;
    c->cur_def = -1;
    check_expect_type(c, e, want, what);
    c->global = false;
}
