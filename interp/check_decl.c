/* check_decl.c — pass 1 of the checker: declarations.
 *
 * check_declare_item() registers each top-level item in the name table, in file
 * order: fact schemas with their fields' types and ranges, params with literal
 * defaults, lookup tables (and their 'and so on'), ladders, roles, sections
 * and their rules, and one def per computed value, to be checked in pass 2.
 */
#include "check_internal.h"

#include <string.h>

#include "suggest.h"

/* ---- facts ---------------------------------------------------------------- */

wz_fact_schema *check_fact_at(checker *c, int f) { return g_ptr_array_index(c->p->facts, f); }

int check_field_index(const wz_fact_schema *s, const char *name) {
    for (guint i = 0; i < s->fields->len; i++)
        if (strcmp(((wz_field_schema *)g_ptr_array_index(s->fields, i))->name, name) == 0) return (int)i;
    return -1;
}

/* A literal number for a field range: NUMBER or -NUMBER. */
bool check_literal_number(const wz_node *n, wz_dec *out) {
    if (!n) return false;
    if (n->kind == WZ_N_NUMBER) { *out = n->num; return true; }
    if (n->kind == WZ_N_UNARY && n->op == WZ_OP_NEG && check_literal_number(wz_node_kid(n, 0), out)) {
        *out = wz_dec_neg(*out);
        return true;
    }
    return false;
}

/* The enum of role names, built once from every ROLE of the policy (imported ones included). */
static const wz_node *role_type(checker *c) {
    if (!c->p->role_type) {
        wz_node *t = wz_node_new(WZ_N_TYPE, (wz_span){c->p->src, 0, 0});
        t->ival = WZ_T_ENUM;
        for (guint i = 0; i < wz_node_nkids(c->p->ast); i++) {
            const wz_node *r = wz_node_kid(c->p->ast, i);
            if (r->kind != WZ_N_ROLE) continue;
            wz_node *m = wz_node_new(WZ_N_IDENT, r->span);
            m->name = g_strdup(r->name);
            wz_node_add(t, m);
        }
        c->p->role_type = t;
    }
    return c->p->role_type;
}

static void declare_fact(checker *c, wz_node *n) {
    wz_fact_schema *s = wz_fact_schema_new(n->name);
    int id = (int)c->p->facts->len;
    g_ptr_array_add(c->p->facts, s);
    g_ptr_array_add(c->p->fact_nodes, n);
    check_declare(c, n->name, NAME_FACT, id, n);
    s->is_population = (n->ival & WZ_FACT_PERSONS) != 0;
    s->one_per_person = (n->ival & WZ_FACT_ONE_PER_PERSON) != 0;
    s->every_person = (n->ival & WZ_FACT_EVERY_PERSON) != 0;
    s->file_required = (n->ival & WZ_FACT_OPTIONAL) == 0;
    /* Whose rows these are: `for K` / `one per K` / `every K`, else the kind
     * of its only person or entity field. */
    int owner = -1;
    bool reported = false;   /* an error above explains a missing owner field */
    if (s->is_population) owner = 0;
    if (n->owner) {
        owner = check_kind_index(c, n->owner);
        if (owner < 0) {
            char *hint = check_hint_name(c, n->owner, 1u << NAME_KIND);
            ERR(n->span, "unknown entity kind '%s', expecting one declared with 'entity %s;'%s", n->owner, n->owner, hint);
            g_free(hint);
        }
        reported = owner < 0;
    } else if (!s->is_population) {
        for (guint i = 0; i < wz_node_nkids(n); i++) {
            const wz_node *t = wz_node_kid(wz_node_kid(n, i), 0);
            int k = t->ival == WZ_T_PERSON ? 0 : t->ival == WZ_T_ENTITY ? check_kind_index(c, t->name) : -1;
            if (k < 0 || k == owner) continue;
            if (owner >= 0) {
                ERR(n->span, "fact '%s' has fields of two entity kinds (%s, %s); say whose rows they are, as in 'fact %s for %s { … }'",
                    n->name, check_kind_name(c, owner), check_kind_name(c, k), n->name, check_kind_name(c, k));
                break;
            }
            owner = k;
        }
    }
    s->entity = owner < 0 ? 0 : owner;
    s->entity_name = s->entity > 0 ? check_kind_name(c, s->entity) : NULL;
    for (guint i = 0; i < wz_node_nkids(n); i++) {
        wz_node *f = wz_node_kid(n, i);
        wz_node *t = wz_node_kid(f, 0);
        int fkind = -1;   /* person or entity field: its kind */
        if (t->ival == WZ_T_PERSON) fkind = 0;
        bool is_role = t->ival == WZ_T_ENTITY && !strcmp(t->name, "role") && check_kind_index(c, "role") < 0;
        if (t->ival == WZ_T_ENTITY && !is_role) {
            fkind = check_kind_index(c, t->name);
            if (fkind < 0) {
                wz_suggest s;   /* the type words and the declared kinds */
                wz_suggest_begin(&s, t->name);
                static const char *const types[] = {"text", "int", "decimal", "date", "bool", "enum", "person", "role",
                                                    "文本", "整数", "数值", "日期", "布尔", "枚举", "人员", "角色"};
                for (size_t k = 0; k < G_N_ELEMENTS(types); k++) wz_suggest_consider(&s, types[k]);
                for (guint k = 1; k < c->p->kinds->len; k++) wz_suggest_consider(&s, check_kind_name(c, (int)k));
                char *hint = wz_suggest_hint(wz_suggest_end(&s));
                ERR(t->span, "unknown type '%s', expecting text, int, decimal, date, bool, enum(…), person or an entity kind declared with 'entity %s;'%s",
                    t->name, t->name, hint);
                g_free(hint);
                reported = true;
                continue;
            }
        }
        if (check_field_index(s, f->name) >= 0) {
            ERR(f->span, "fact '%s' already has a field '%s'", n->name, f->name);
            continue;
        }
        static const wz_field_type map[] = {
            [WZ_T_NUMBER] = WZ_FT_DECIMAL, [WZ_T_INT] = WZ_FT_INT, [WZ_T_BOOL] = WZ_FT_BOOL,
            [WZ_T_DATE] = WZ_FT_DATE, [WZ_T_TEXT] = WZ_FT_TEXT, [WZ_T_ENUM] = WZ_FT_ENUM,
            [WZ_T_PERSON] = WZ_FT_PERSON,
        };
        /* the owner's field says whose row it is; another kind's is just its key */
        wz_field_type ft = is_role ? WZ_FT_ENUM : fkind < 0 ? map[t->ival] : fkind == owner && !s->is_population ? WZ_FT_PERSON : WZ_FT_TEXT;
        if (fkind == 0 && s->is_population) ft = WZ_FT_PERSON;
        wz_field_schema *fs = wz_fact_schema_add_field(s, f->name, ft);
        fs->optional = f->ival != 0;
        if (is_role) {   /* who holds which post: the policy's role names */
            fs->enum_values = g_ptr_array_new_with_free_func(g_free);
            const wz_node *rt = role_type(c);
            for (guint k = 0; k < wz_node_nkids(rt); k++) g_ptr_array_add(fs->enum_values, g_strdup(wz_node_kid(rt, k)->name));
            if (wz_node_nkids(rt) == 0) ERR(t->span, "a field of type role needs the policy to declare roles ('role NAME { duty 1 \"…\"; }')");
            /* on a person's fact: who holds which post; on another kind's (a goal's
             * lead post), a role its rules may name as responsible */
            if (owner == 0 && c->p->holders >= 0 && c->p->holders != id)
                ERR(f->span, "fact '%s' already says who holds which role; one fact does", check_fact_at(c, c->p->holders)->name);
            else if (owner == 0) {
                c->p->holders = id;
                c->p->holders_role_field = (int)s->fields->len - 1;
            }
        } else if (t->ival == WZ_T_ENUM) {
            fs->enum_values = g_ptr_array_new_with_free_func(g_free);
            for (guint k = 0; k < wz_node_nkids(t); k++) {
                const char *m = wz_node_kid(t, k)->name;
                for (guint j = 0; j < fs->enum_values->len; j++)
                    if (strcmp(g_ptr_array_index(fs->enum_values, j), m) == 0)
                        ERR(wz_node_kid(t, k)->span, "enum value '%s' is listed twice", m);
                g_ptr_array_add(fs->enum_values, g_strdup(m));
            }
        }
        wz_node *lo = wz_node_kid(f, 1), *hi = wz_node_kid(f, 2);
        if (lo || hi) {
            if (t->ival != WZ_T_NUMBER && t->ival != WZ_T_INT)
                ERR(f->span, "a range 'in A .. B' is only allowed on int and decimal fields");
            else if (!check_literal_number(lo, &fs->min) || !check_literal_number(hi, &fs->max))
                ERR(lo ? lo->span : f->span, "a field range needs literal numbers, expecting 'in 0 .. 40'");
            else if (wz_dec_cmp(fs->min, fs->max) > 0)
                ERR(f->span, "empty range: the minimum is greater than the maximum");
            else
                fs->has_min = fs->has_max = true;
        }
        if (ft == WZ_FT_PERSON) {
            if (s->is_population)
                ERR(f->span, "the persons fact itself cannot have a person field");
            else if (s->person_field >= 0)
                ERR(f->span, "fact '%s' already has a person field '%s'", n->name,
                    ((wz_field_schema *)g_ptr_array_index(s->fields, s->person_field))->name);
            else
                s->person_field = (int)s->fields->len - 1;
        }
    }
    if (s->is_population) {
        s->key_field = check_field_index(s, n->text);
        if (s->key_field < 0)
            ERR(n->span, "persons key '%s' is not a field of '%s'", n->text, n->name);
        else if (((wz_field_schema *)g_ptr_array_index(s->fields, s->key_field))->type != WZ_FT_TEXT)
            ERR(n->span, "persons key '%s' must be a text field", n->text);
        if (s->one_per_person) ERR(n->span, "the persons fact cannot also be 'one per person'");
    } else if (reported) {
        s->entity = -1;   /* belongs to no kind: nothing more to say about it */
    } else if (s->person_field < 0) {
        ERR(n->span, "fact '%s' needs a field saying whose row it is, expecting e.g. 'id: person;' or 'school: school;' (a kind declared with 'entity')", n->name);
    }
    if (n->ival & WZ_FACT_DATED) {
        s->date_field = check_field_index(s, n->label);
        if (s->date_field < 0)
            ERR(n->span, "'dated by %s': fact '%s' has no such field", n->label, n->name);
        else if (((wz_field_schema *)g_ptr_array_index(s->fields, s->date_field))->type != WZ_FT_DATE)
            ERR(n->span, "'dated by %s': the field must be of type date", n->label);
    }
    if (s->every_person && (n->ival & WZ_FACT_OPTIONAL))
        ERR(n->span, "a fact cannot be both 'every %s' and 'optional'", s->entity > 0 ? check_kind_name(c, s->entity) : "person");
}

/* The TYPE node declaring the members of an enum field. */
const wz_node *check_field_type_node(checker *c, int fact, int field) {
    const wz_node *fn = g_ptr_array_index(c->p->fact_nodes, fact);
    const wz_node *f = NULL;
    const wz_fact_schema *s = check_fact_at(c, fact);
    const char *name = ((wz_field_schema *)g_ptr_array_index(s->fields, field))->name;
    for (guint i = 0; i < wz_node_nkids(fn); i++)
        if (strcmp(wz_node_kid(fn, i)->name, name) == 0) f = wz_node_kid(fn, i);
    const wz_node *t = f ? wz_node_kid(f, 0) : NULL;
    if (t && t->ival == WZ_T_ENTITY) return c->p->role_type;   /* a `role` field */
    return t;
}

/* ---- declarations --------------------------------------------------------- */

static void declare_param(checker *c, wz_node *n) {
    wz_param_decl *pd = g_new0(wz_param_decl, 1);
    pd->name = g_strdup(n->name);
    pd->node = n;
    wz_node *t = wz_node_kid(n, 0);
    pd->type = (wz_type_kind)t->ival;
    pd->default_expr = wz_node_kid(n, 1);
    if (pd->type == WZ_T_ENUM || pd->type == WZ_T_PERSON) ERR(t->span, "a param must be text, int, decimal, date or bool");
    int idx = (int)c->p->params->len;
    g_ptr_array_add(c->p->params, pd);
    check_declare(c, n->name, NAME_PARAM, idx, n);
    const wz_node *dflt = pd->default_expr;
    if (dflt) {
        bool ok = false;
        wz_dec tmp;
        switch (pd->type) {
        case WZ_T_NUMBER: ok = check_literal_number(dflt, &tmp); break;
        case WZ_T_INT: ok = check_literal_number(dflt, &tmp) && wz_dec_is_integer(tmp); break;
        case WZ_T_DATE: ok = dflt->kind == WZ_N_DATE; break;
        case WZ_T_TEXT: ok = dflt->kind == WZ_N_STRING; break;
        case WZ_T_BOOL: ok = dflt->kind == WZ_N_BOOL; break;
        default: break;
        }
        if (!ok) ERR(dflt->span, "the default of param '%s' must be a literal %s", n->name, wz_type_name(pd->type));
    }
}

/* table NAME { 1: 500; 2: 1200; 3: 2100; and so on; }: the keys are consecutive
 * whole numbers and the values literal numbers; "and so on" continues the
 * table by the lowest order of differences that the listed values show
 * constant (700, 900, 1100 … rise by 200: order 2), and needs at least two
 * equal differences of that order to show it — never a guess. */
/* distribute [NAME ["label"]:] AMOUNT by BASIS { … }: one unnamed pool, or
 * several parts each with a name (its pay.csv column, its lines in summary.json).
 * An unnamed part's stipend is the value 'stipend'; a named part's is its own,
 * 'NAME.stipend', which nothing else reads. */
static void declare_part(checker *c, wz_node *n) {
    wz_policy *p = c->p;
    const char *example = "as in 'distribute post \"岗位\": pool * 40% by basis { … }'";
    for (guint i = 0; i < p->parts->len; i++) {
        const wz_distribute *o = g_ptr_array_index(p->parts, i);
        if (!n->name && !o->node->name) {
            ERR(n->span, "a policy distributes one pool unless each part has a name, %s; the pool is distributed at line %u",
                example, check_line_of(&o->node->span));
            return;
        }
        if (!n->name || !o->node->name) {
            const wz_node *unnamed = n->name ? o->node : n;
            ERR(unnamed->span, "this part of the pay has no name, but the policy distributes several parts: name each, %s", example);
            return;
        }
        if (!strcmp(n->name, o->node->name)) {
            ERR(n->span, "part '%s' is distributed twice", n->name);
            return;
        }
    }
    wz_distribute *d = g_new0(wz_distribute, 1);
    d->node = n;
    d->basis_def = -1;
    d->stipend_def = -1;
    g_ptr_array_add(p->parts, d);
    p->distribute = g_ptr_array_index(p->parts, 0);
    if (wz_node_kid(n, 2)) {
        char *name = n->name ? g_strdup_printf("%s.stipend", n->name) : g_strdup("stipend");
        d->stipend_def = check_add_def(c, WZ_DEF_STIPEND, name, wz_node_kid(n, 2));
        if (!n->name) check_declare(c, "stipend", NAME_DEF, d->stipend_def, n);
        g_free(name);
        if (p->stipend_def < 0) p->stipend_def = d->stipend_def;
    }
}

static void declare_table(checker *c, wz_node *n) {
    wz_table *t = g_new0(wz_table, 1);
    t->name = g_strdup(n->name);
    t->node = n;
    t->order = -1;
    int idx = (int)c->p->tables->len;
    g_ptr_array_add(c->p->tables, t);
    check_declare(c, n->name, NAME_TABLE, idx, n);
    GArray *vals = g_array_new(FALSE, FALSE, sizeof(wz_dec));
    GPtrArray *exprs = g_ptr_array_new();   /* per value: its expression when not a literal, else NULL */
    GArray *bands = NULL;
    const wz_node *fallback_expr = NULL;
    bool ok = true;
    for (guint i = 0; i < wz_node_nkids(n); i++) {
        wz_node *row = wz_node_kid(n, i);
        wz_dec v = WZ_DEC_ZERO;
        /* a value that is not a literal is checked as a constant once every name is declared */
        wz_node *ve = wz_node_kid(row, 0);
        bool literal = check_literal_number(ve, &v);
        if (literal) check_set_type(ve, WZ_T_NUMBER, NULL);
        if (row->ival) {
            if (t->has_default) ERR(row->span, "table '%s' has two 'otherwise' rows", n->name);
            t->has_default = true;
            t->fallback = v;
            fallback_expr = literal ? NULL : ve;
            continue;
        }
        if (row->op || bands) {   /* bands: increasing upper keys, any decimals */
            if (!row->op || (!bands && vals->len > 0) || row->text) {
                ERR(row->span, "table '%s' mixes bands ('within K: V;') and keys; write every row as a band", n->name);
                ok = false;
                continue;
            }
            if (!bands) bands = g_array_new(FALSE, FALSE, sizeof(wz_dec));
            if (bands->len && wz_dec_cmp(row->num, g_array_index(bands, wz_dec, bands->len - 1)) <= 0) {
                char *prev = wz_dec_to_string(g_array_index(bands, wz_dec, bands->len - 1), 0, 30);
                ERR(row->span, "a table's bands must rise: this one must end above %s, where the band before it ends", prev);
                g_free(prev);
                ok = false;
                continue;
            }
            g_array_append_val(bands, row->num);
            g_array_append_val(vals, v);
            g_ptr_array_add(exprs, literal ? NULL : ve);
            continue;
        }
        if (row->text || t->text_keys) {   /* keyed by text: any order, no pattern */
            if (!row->text || (vals->len > 0 && !t->text_keys)) {
                ERR(row->span, "table '%s' mixes number keys and text keys; use one or the other", n->name);
                ok = false;
                continue;
            }
            if (!t->text_keys) t->text_keys = g_ptr_array_new();
            for (guint k = 0; k < t->text_keys->len; k++)
                if (!strcmp(g_ptr_array_index(t->text_keys, k), row->text)) {
                    ERR(row->span, "table '%s' lists the key '%s' twice", n->name, row->text);
                    ok = false;
                }
            g_ptr_array_add(t->text_keys, row->text);
            g_array_append_val(vals, v);
            g_ptr_array_add(exprs, literal ? NULL : ve);
            continue;
        }
        int64_t key = 0;
        if (!wz_dec_is_integer(row->num) || !wz_dec_to_int64(row->num, &key)) {
            ERR(row->span, "a table's keys must be whole numbers");
            ok = false;
            continue;
        }
        if (vals->len == 0) t->first = key;
        else if (key != t->first + (int64_t)vals->len) {
            ERR(row->span, "table keys must be consecutive whole numbers: expected %" PRId64 " here, found %" PRId64,
                t->first + (int64_t)vals->len, key);
            ok = false;
            continue;
        }
        g_array_append_val(vals, v);
        g_ptr_array_add(exprs, literal ? NULL : ve);
    }
    t->n = vals->len;
    t->values = (wz_dec *)g_array_free(vals, FALSE);
    if (bands) t->bands = (wz_dec *)g_array_free(bands, FALSE);
    g_ptr_array_add(exprs, (gpointer)fallback_expr);
    bool computed = false;
    for (guint i = 0; i < exprs->len; i++) computed |= g_ptr_array_index(exprs, i) != NULL;
    if (computed) t->value_exprs = (const wz_node **)g_ptr_array_free(exprs, FALSE);
    else g_ptr_array_free(exprs, TRUE);
    if (computed && n->ival) {
        ERR(n->span, "'and so on' continues literal values; a value of table '%s' is an expression", n->name);
        return;
    }
    if (t->bands && n->ival) {
        ERR(n->span, "'and so on' continues whole-number keys; table '%s' has bands", n->name);
        return;
    }
    if (t->n == 0) {
        ERR(n->span, "table '%s' lists no values, expecting rows such as '1: 500;'", n->name);
        return;
    }
    if (n->ival && t->text_keys) {
        ERR(n->span, "'and so on' continues whole-number keys; table '%s' is keyed by text", n->name);
        return;
    }
    if (!ok || !n->ival) return;
    /* difference table: d[j][i] = Δ^j f(first + i) */
    guint m = t->n;
    wz_dec *d = g_new(wz_dec, m);
    memcpy(d, t->values, m * sizeof(wz_dec));
    wz_dec *lead = g_new(wz_dec, m);
    for (guint j = 0; j + 1 < m; j++) {
        lead[j] = d[0];
        guint len = m - j;   /* entries of the j-th differences */
        bool constant = len >= 2;
        for (guint i = 1; i < len && constant; i++) constant = wz_dec_cmp(d[i], d[0]) == 0;
        if (constant) {
            t->order = (int)j;
            break;
        }
        for (guint i = 0; i + 1 < len; i++)
            if (wz_dec_sub(d[i + 1], d[i], &d[i]) != WZ_DEC_OK) { constant = false; break; }
    }
    if (t->order < 0) {
        ERR(n->span, "'and so on' needs the listed values to show a steady pattern (values, differences, or "
                     "differences of differences … that repeat), and those of table '%s' do not; list more values",
            n->name);
        g_free(lead);
    } else {
        t->diffs = lead;
    }
    g_free(d);
}

void check_declare_item(checker *c, wz_node *n, int *total_node_seen) {
    wz_policy *p = c->p;
    switch (n->kind) {
    case WZ_N_HEADER:
        if (p->title) ERR(n->span, "a policy has only one 'policy' header");
        g_free(p->title);
        g_free(p->version);
        p->title = g_strdup(n->text);
        p->version = g_strdup(n->name ? n->name : "");
        if (wz_node_nkids(n) == 2 && wz_node_kid(n, 0)->date > wz_node_kid(n, 1)->date)
            ERR(n->span, "the effective range ends before it starts");
        if (wz_node_nkids(n) == 2) {
            p->has_effective = true;
            p->effective_from = wz_node_kid(n, 0)->date;
            p->effective_to = wz_node_kid(n, 1)->date;
        }
        break;
    case WZ_N_DISPLAY:
        if (!wz_dec_is_integer(n->num) || n->ival < 0 || n->ival > 18)
            ERR(n->span, "display needs a whole number of decimal places from 0 to 18");
        else p->display_places = (int)n->ival;
        break;
    case WZ_N_IMPORT:   /* spliced in by wz_resolve_imports() before checking */
        break;
    case WZ_N_PARAM: declare_param(c, n); break;
    case WZ_N_PERIOD:
        if (p->period) ERR(n->span, "a policy has one period; '%s' was declared at line %u", p->period->name, check_line_of(&p->period->span));
        else p->period = n;
        check_declare(c, n->name, NAME_PERIOD, 0, n);
        break;
    case WZ_N_SPLIT: {
        wz_window_group *w = g_new0(wz_window_group, 1);
        w->name = g_strdup(n->name);
        w->node = n;
        if (n->label) {   /* every month | week, in either language */
            if (!strcmp(n->label, "month") || !strcmp(n->label, "月")) w->every = WZ_EVERY_MONTH;
            else if (!strcmp(n->label, "week") || !strcmp(n->label, "周")) w->every = WZ_EVERY_WEEK;
            else ERR(n->span, "split … every '%s': expecting month (月) or week (周)", n->label);
        }
        int idx = (int)p->windows->len;
        g_ptr_array_add(p->windows, w);
        check_declare(c, n->name, NAME_WINDOWS, idx, n);
        break;
    }
    case WZ_N_FACT: declare_fact(c, n); break;
    case WZ_N_LET: check_declare(c, n->name, NAME_DEF, check_add_def(c, WZ_DEF_LET, n->name, n), n); break;
    case WZ_N_SECTION: {
        int d = check_add_def(c, WZ_DEF_SECTION, n->name, n);
        check_declare(c, n->name, NAME_DEF, d, n);
        g_array_append_val(p->sections, d);
        for (guint i = 4; i < wz_node_nkids(n); i++) {
            wz_node *r = wz_node_kid(n, i);
            char *qname = g_strdup_printf("%s.%s", n->name, r->name);
            int rd = check_add_def(c, WZ_DEF_RULE, qname, r);
            check_def_at(c, rd)->section = d;
            check_declare(c, qname, NAME_DEF, rd, r);
            g_free(qname);
        }
        if (wz_node_kid(n, 3) && wz_node_nkids(n) > 4)
            ERR(n->span, "section '%s' has both a formula and rules; use one or the other", n->name);
        break;
    }
    case WZ_N_LADDER: {
        wz_ladder *l = g_new0(wz_ladder, 1);
        l->name = g_strdup(n->name);
        l->node = n;
        int idx = (int)p->ladders->len;
        g_ptr_array_add(p->ladders, l);
        check_declare(c, n->name, NAME_LADDER, idx, n);
        for (guint i = 0; i < wz_node_nkids(n); i++) {
            wz_node *t = wz_node_kid(n, i);
            for (guint j = 0; j < i; j++)
                if (!strcmp(wz_node_kid(n, j)->name, t->name)) ERR(t->span, "tier '%s' is listed twice", t->name);
            for (guint k = 0; k < wz_node_nkids(t); k++) {
                wz_node *ef = wz_node_kid(t, k);
                wz_dec v;
                if (ef->ival == WZ_EFFECT_CUT) {
                    if (!check_literal_number(wz_node_kid(ef, 0), &v) || wz_dec_sign(v) < 0 || wz_dec_cmp(v, WZ_DEC_ONE) > 0)
                        ERR(ef->span, "a cut must be a literal from 0%% to 100%%, as in 'cut 30%%'");
                    check_set_type(wz_node_kid(ef, 0), WZ_T_NUMBER, NULL);
                }
            }
        }
        break;
    }
    case WZ_N_SANCTION: {
        int d = check_add_def(c, WZ_DEF_SANCTION, n->name, n);
        check_declare(c, n->name, NAME_DEF, d, n);
        name_entry *e = check_lookup(c, wz_node_kid(n, 0)->name);
        check_def_at(c, d)->ladder = e && e->kind == NAME_LADDER ? e->index : -1;
        break;
    }
    case WZ_N_NOTICE: check_declare(c, n->name, NAME_DEF, check_add_def(c, WZ_DEF_NOTICE, n->name, n), n); break;
    case WZ_N_TOTAL:
        if (*total_node_seen) ERR(n->span, "'total' is defined twice");
        *total_node_seen = 1;
        p->total_def = check_add_def(c, WZ_DEF_TOTAL, "total", n);
        check_declare(c, "total", NAME_DEF, p->total_def, n);
        break;
    case WZ_N_GRADE:
        if (p->grade_def >= 0) ERR(n->span, "'grade' is defined twice");
        else {
            p->grade_def = check_add_def(c, WZ_DEF_GRADE, "grade", n);
            check_declare(c, "grade", NAME_DEF, p->grade_def, n);
        }
        break;
    case WZ_N_DISTRIBUTE: declare_part(c, n); break;
    case WZ_N_TABLE: declare_table(c, n); break;
    case WZ_N_ROW_LET: check_declare_row_value(c, n); break;
    case WZ_N_ENTITY:   /* declared before everything else, in wz_check() */
    case WZ_N_KEEP:     /* resolved once every name is declared, in wz_check() */
        break;
    case WZ_N_AWARD: {
        int d = check_add_def(c, WZ_DEF_AWARD, n->name, n);
        check_declare(c, n->name, NAME_DEF, d, n);
        g_array_append_val(p->awards, d);
        break;
    }
    case WZ_N_ROLE: {
        wz_role *role = g_new0(wz_role, 1);
        role->name = g_strdup(n->name);
        role->text = g_strdup(n->text);
        role->node = n;
        role->span = n->span;
        role->reports_to = -1;
        role->duties = g_array_new(FALSE, FALSE, sizeof(wz_duty));
        g_ptr_array_add(p->roles, role);
        check_declare(c, n->name, NAME_ROLE, (int)p->roles->len - 1, n);
        for (guint i = 0; i < wz_node_nkids(n); i++)
            for (guint j = 0; j < i; j++)
                if (wz_node_kid(n, i)->ival == wz_node_kid(n, j)->ival)
                    ERR(wz_node_kid(n, i)->span, "duty %" PRId64 " of role '%s' is numbered twice",
                        wz_node_kid(n, i)->ival, n->name);
        break;
    }
    default:
        break;
    }
}
