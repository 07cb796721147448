/* diff.c — what changed between two versions of a policy, and whom it changes (diff.h).
 *
 * Items are matched by name.  Two expressions are the same when their trees
 * print the same (ast.c's printer shows no positions), so a policy laid out
 * anew, commented or reordered compares equal; a change is shown as each
 * file writes it, with both files' lines.
 */
#include "diff.h"

#include <string.h>

#include "output.h"

typedef struct detail {
    char *what, *before, *after;
} detail;

typedef struct entry {
    const char *kind;    /* "param", "fact", "value", "section", "rule", … */
    char *name;
    const char *change;  /* "added", "removed", "changed", "renamed" */
    GPtrArray *details;  /* detail* */
    char *old_src, *new_src;
} entry;

static void detail_free(gpointer p) {
    detail *d = p;
    g_free(d->what);
    g_free(d->before);
    g_free(d->after);
    g_free(d);
}

static void entry_free(gpointer p) {
    entry *e = p;
    g_free(e->name);
    g_ptr_array_free(e->details, TRUE);
    g_free(e->old_src);
    g_free(e->new_src);
    g_free(e);
}

typedef struct differ {
    const wz_policy *a, *b;
    GPtrArray *entries;
} differ;

/* The tree of an expression (positions left out), or "-" for none. */
static char *tree(const wz_node *n) {
    GString *s = g_string_new(NULL);
    wz_ast_print(s, n, 0);
    return g_string_free(s, FALSE);
}

static bool same_tree(const wz_node *x, const wz_node *y) {
    char *a = tree(x), *b = tree(y);
    bool same = !strcmp(a, b);
    g_free(a);
    g_free(b);
    return same;
}

/* An expression as its file writes it, white space collapsed; "—" for none. */
static char *written(const wz_node *n) {
    if (!n) return g_strdup("—");
    GString *s = g_string_new(NULL);
    bool space = false;
    for (uint32_t i = n->span.start; i < n->span.end; i++) {
        char c = n->span.src->text[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') space = s->len > 0;
        else {
            if (space) g_string_append_c(s, ' ');
            space = false;
            g_string_append_c(s, c);
        }
    }
    return g_string_free(s, FALSE);
}

static entry *add_entry(differ *D, const char *kind, const char *name, const char *change, const wz_policy *pa, wz_span *sa,
                        const wz_policy *pb, wz_span *sb) {
    entry *e = g_new0(entry, 1);
    e->kind = kind;
    e->name = g_strdup(name);
    e->change = change;
    e->details = g_ptr_array_new_with_free_func(detail_free);
    if (sa) e->old_src = wz_output_source(pa, *sa, false);
    if (sb) e->new_src = wz_output_source(pb, *sb, false);
    g_ptr_array_add(D->entries, e);
    return e;
}

static void add_detail(entry *e, const char *what, char *before, char *after) {
    detail *d = g_new0(detail, 1);
    d->what = g_strdup(what);
    d->before = before;
    d->after = after;
    g_ptr_array_add(e->details, d);
}

/* A part that may differ: an expression compared as a tree, shown as written. */
static void part(entry **e, differ *D, const char *kind, const char *name, wz_span sa, wz_span sb, const char *what,
                 const wz_node *x, const wz_node *y) {
    if (same_tree(x, y)) return;
    if (!*e) *e = add_entry(D, kind, name, "changed", D->a, &sa, D->b, &sb);
    add_detail(*e, what, written(x), written(y));
}

static void text_part(entry **e, differ *D, const char *kind, const char *name, wz_span sa, wz_span sb, const char *what,
                      const char *x, const char *y) {
    if (!g_strcmp0(x, y)) return;
    if (!*e) *e = add_entry(D, kind, name, "changed", D->a, &sa, D->b, &sb);
    add_detail(*e, what, g_strdup(x ? x : "—"), g_strdup(y ? y : "—"));
}

/* ---- values, sections, rules ------------------------------------------------------ */

static bool compared_kind(wz_def_kind k) {
    return k == WZ_DEF_LET || k == WZ_DEF_RULE || k == WZ_DEF_SECTION || k == WZ_DEF_SANCTION || k == WZ_DEF_NOTICE ||
           k == WZ_DEF_TOTAL || k == WZ_DEF_GRADE || k == WZ_DEF_STIPEND || k == WZ_DEF_AWARD;
}

static const char *kind_word(wz_def_kind k) {
    switch (k) {
    case WZ_DEF_RULE: return "rule";
    case WZ_DEF_SECTION: return "section";
    case WZ_DEF_SANCTION: return "sanction";
    case WZ_DEF_NOTICE: return "notice";
    case WZ_DEF_AWARD: return "award";
    default: return "value";
    }
}

static const wz_def *def_named(const wz_policy *p, const char *name) {
    int d = wz_policy_find_def(p, name);
    return d >= 0 ? g_ptr_array_index(p->defs, (guint)d) : NULL;
}

/* The expression a let, total, grade or stipend stands for. */
static const wz_node *value_expr(const wz_def *d) {
    if (!d->node) return NULL;
    return d->kind == WZ_DEF_STIPEND ? d->node : wz_node_kid(d->node, 0);
}

static void diff_def(differ *D, const wz_def *x, const wz_def *y, guint8 *changed_b) {
    const char *kind = kind_word(x->kind);
    entry *e = NULL;
    wz_span sa = x->span, sb = y->span;
    if (x->kind != y->kind) {
        e = add_entry(D, kind, x->name, "changed", D->a, &sa, D->b, &sb);
        add_detail(e, "kind", g_strdup(kind_word(x->kind)), g_strdup(kind_word(y->kind)));
    }
    text_part(&e, D, kind, x->name, sa, sb, "label", x->text, y->text);
    switch (y->kind) {
    case WZ_DEF_RULE:
        if (x->kind != WZ_DEF_RULE) break;
        text_part(&e, D, kind, x->name, sa, sb, "kind", x->sign < 0 ? "deduct" : "bonus", y->sign < 0 ? "deduct" : "bonus");
        part(&e, D, kind, x->name, sa, sb, "amount", x->amount_expr, y->amount_expr);
        part(&e, D, kind, x->name, sa, sb, "per", x->quantity_expr, y->quantity_expr);
        part(&e, D, kind, x->name, sa, sb, "free", x->free_expr, y->free_expr);
        text_part(&e, D, kind, x->name, sa, sb, "free per",
                  x->window >= 0 ? ((const wz_window_group *)g_ptr_array_index(D->a->windows, (guint)x->window))->name : NULL,
                  y->window >= 0 ? ((const wz_window_group *)g_ptr_array_index(D->b->windows, (guint)y->window))->name : NULL);
        part(&e, D, kind, x->name, sa, sb, "cap", x->cap_expr, y->cap_expr);
        part(&e, D, kind, x->name, sa, sb, "when", x->when_expr, y->when_expr);
        break;
    case WZ_DEF_SECTION: {
        static const char *const parts[] = {"points", "floor", "cap", "formula"};
        for (guint i = 0; x->kind == WZ_DEF_SECTION && i < 4; i++)
            part(&e, D, kind, x->name, sa, sb, parts[i], wz_node_kid(x->node, i), wz_node_kid(y->node, i));
        break;
    }
    case WZ_DEF_SANCTION: case WZ_DEF_NOTICE: case WZ_DEF_AWARD:
        if (!same_tree(x->node, y->node)) part(&e, D, kind, x->name, sa, sb, "rule", x->node, y->node);
        break;
    default:
        part(&e, D, kind, x->name, sa, sb, "=", value_expr(x), value_expr(y));
        break;
    }
    if (e) changed_b[wz_policy_find_def(D->b, y->name)] = 1;
}

/* A def's tree with its own name left out: two defs the same but for the name
 * are a rename.  The name is the first word after the node kind. */
static char *tree_unnamed(const wz_def *d) {
    char *t = tree(d->node);
    char *sp = strchr(t, ' ');
    if (sp && d->node && d->node->name && g_str_has_prefix(sp + 1, d->node->name)) {
        char *rest = g_strdup(sp + 1 + strlen(d->node->name));
        sp[1] = '\0';
        char *u = g_strconcat(t, "_", rest, NULL);
        g_free(rest);
        g_free(t);
        t = u;
    }
    return t;
}

static void diff_defs(differ *D, guint8 *changed_b) {
    GPtrArray *removed = g_ptr_array_new(), *added = g_ptr_array_new();
    for (guint i = 0; i < D->a->defs->len; i++) {
        const wz_def *x = g_ptr_array_index(D->a->defs, i);
        if (!compared_kind(x->kind)) continue;
        const wz_def *y = def_named(D->b, x->name);
        if (!y || !compared_kind(y->kind)) g_ptr_array_add(removed, (gpointer)x);
        else diff_def(D, x, y, changed_b);
    }
    for (guint i = 0; i < D->b->defs->len; i++) {
        const wz_def *y = g_ptr_array_index(D->b->defs, i);
        if (!compared_kind(y->kind)) continue;
        const wz_def *x = def_named(D->a, y->name);
        if (!x || !compared_kind(x->kind)) g_ptr_array_add(added, (gpointer)y);
    }
    /* a removed and an added item alike but for the name: renamed */
    for (guint i = 0; i < removed->len; i++) {
        const wz_def *x = g_ptr_array_index(removed, i);
        char *tx = tree_unnamed(x);
        for (guint k = 0; k < added->len; k++) {
            const wz_def *y = g_ptr_array_index(added, k);
            if (!y || y->kind != x->kind) continue;
            char *ty = tree_unnamed(y);
            bool same = !strcmp(tx, ty);
            g_free(ty);
            if (!same) continue;
            wz_span sa = x->span, sb = y->span;
            entry *e = add_entry(D, kind_word(x->kind), y->name, "renamed", D->a, &sa, D->b, &sb);
            add_detail(e, "name", g_strdup(x->name), g_strdup(y->name));
            changed_b[wz_policy_find_def(D->b, y->name)] = 1;   /* what reads it now reads another name */
            g_ptr_array_index(removed, i) = NULL;
            g_ptr_array_index(added, k) = NULL;
            break;
        }
        g_free(tx);
    }
    for (guint i = 0; i < removed->len; i++) {
        const wz_def *x = g_ptr_array_index(removed, i);
        if (!x) continue;
        wz_span sa = x->span;
        add_entry(D, kind_word(x->kind), x->name, "removed", D->a, &sa, NULL, NULL);
    }
    for (guint i = 0; i < added->len; i++) {
        const wz_def *y = g_ptr_array_index(added, i);
        if (!y) continue;
        wz_span sb = y->span;
        add_entry(D, kind_word(y->kind), y->name, "added", NULL, NULL, D->b, &sb);
        changed_b[wz_policy_find_def(D->b, y->name)] = 1;
    }
    g_ptr_array_free(removed, TRUE);
    g_ptr_array_free(added, TRUE);
}

/* ---- params, facts, ladders, the pool, tables, roles ------------------------------- */

static const wz_param_decl *param_named(const wz_policy *p, const char *name) {
    for (guint i = 0; i < p->params->len; i++)
        if (!strcmp(((const wz_param_decl *)g_ptr_array_index(p->params, i))->name, name)) return g_ptr_array_index(p->params, i);
    return NULL;
}

static void diff_params(differ *D) {
    for (guint i = 0; i < D->a->params->len; i++) {
        const wz_param_decl *x = g_ptr_array_index(D->a->params, i), *y = param_named(D->b, x->name);
        wz_span sa = x->span;
        if (!y) {
            add_entry(D, "param", x->name, "removed", D->a, &sa, NULL, NULL);
            continue;
        }
        entry *e = NULL;
        text_part(&e, D, "param", x->name, x->span, y->span, "type", wz_type_name(x->type), wz_type_name(y->type));
        part(&e, D, "param", x->name, x->span, y->span, "default", x->default_expr, y->default_expr);
    }
    for (guint i = 0; i < D->b->params->len; i++) {
        const wz_param_decl *y = g_ptr_array_index(D->b->params, i);
        wz_span sb = y->span;
        if (!param_named(D->a, y->name)) add_entry(D, "param", y->name, "added", NULL, NULL, D->b, &sb);
    }
}

/* Field name of fact s, or -1. */
static int field_named(const wz_fact_schema *s, const char *name) {
    for (guint i = 0; i < s->fields->len; i++)
        if (!strcmp(((const wz_field_schema *)g_ptr_array_index(s->fields, i))->name, name)) return (int)i;
    return -1;
}

static wz_span fact_span(const wz_policy *p, int f) { return ((const wz_node *)g_ptr_array_index(p->fact_nodes, (guint)f))->span; }

static void diff_facts(differ *D) {
    for (guint f = 0; f < D->a->facts->len; f++) {
        const wz_fact_schema *x = g_ptr_array_index(D->a->facts, f);
        int g = wz_policy_find_fact(D->b, x->name);
        wz_span sa = fact_span(D->a, (int)f);
        if (g < 0) {
            add_entry(D, "fact", x->name, "removed", D->a, &sa, NULL, NULL);
            continue;
        }
        const wz_fact_schema *y = g_ptr_array_index(D->b->facts, (guint)g);
        entry *e = NULL;
        wz_span sb = fact_span(D->b, g);
        for (guint i = 0; i < x->fields->len; i++) {
            const wz_field_schema *fx = g_ptr_array_index(x->fields, i);
            int j = field_named(y, fx->name);
            char *what = g_strdup_printf("field %s", fx->name);
            if (j < 0) text_part(&e, D, "fact", x->name, sa, sb, what, wz_field_type_name(fx->type), NULL);
            else text_part(&e, D, "fact", x->name, sa, sb, what, wz_field_type_name(fx->type),
                           wz_field_type_name(((const wz_field_schema *)g_ptr_array_index(y->fields, (guint)j))->type));
            g_free(what);
        }
        for (guint j = 0; j < y->fields->len; j++) {
            const wz_field_schema *fy = g_ptr_array_index(y->fields, j);
            if (field_named(x, fy->name) >= 0) continue;
            char *what = g_strdup_printf("field %s", fy->name);
            text_part(&e, D, "fact", x->name, sa, sb, what, NULL, wz_field_type_name(fy->type));
            g_free(what);
        }
    }
    for (guint g = 0; g < D->b->facts->len; g++) {
        const wz_fact_schema *y = g_ptr_array_index(D->b->facts, g);
        wz_span sb = fact_span(D->b, (int)g);
        if (wz_policy_find_fact(D->a, y->name) < 0) add_entry(D, "fact", y->name, "added", NULL, NULL, D->b, &sb);
    }
}

static const wz_ladder *ladder_named(const wz_policy *p, const char *name) {
    for (guint i = 0; i < p->ladders->len; i++)
        if (!strcmp(((const wz_ladder *)g_ptr_array_index(p->ladders, i))->name, name)) return g_ptr_array_index(p->ladders, i);
    return NULL;
}

static char *percent(wz_dec d) {
    wz_dec pct;
    wz_dec_mul(d, wz_dec_from_int(100), &pct);
    char *n = wz_dec_to_string(pct, 0, 30), *s = g_strdup_printf("%s%%", n);
    g_free(n);
    return s;
}

static const char *grade_label(const wz_policy *p, int g) {
    if (g < 0 || p->grade_def < 0) return NULL;
    const wz_def *d = g_ptr_array_index(p->defs, (guint)p->grade_def);
    return d->members && (guint)g < d->members->len ? g_ptr_array_index(d->members, (guint)g) : NULL;
}

static void diff_ladders(differ *D) {
    for (guint i = 0; i < D->a->ladders->len; i++) {
        const wz_ladder *x = g_ptr_array_index(D->a->ladders, i), *y = ladder_named(D->b, x->name);
        wz_span sa = x->span;
        if (!y) {
            add_entry(D, "ladder", x->name, "removed", D->a, &sa, NULL, NULL);
            continue;
        }
        entry *e = NULL;
        for (guint t = 0; t < x->ntiers; t++) {
            const wz_tier *tx = &x->tiers[t], *ty = NULL;
            for (guint u = 0; u < y->ntiers; u++)
                if (!strcmp(y->tiers[u].name, tx->name)) ty = &y->tiers[u];
            char *what = g_strdup_printf("tier %s", tx->name);
            if (!ty) {
                text_part(&e, D, "ladder", x->name, x->span, y->span, what, "present", NULL);
            } else {
                char *ca = percent(tx->cut), *cb = percent(ty->cut), *w = g_strdup_printf("%s cut", what);
                text_part(&e, D, "ladder", x->name, x->span, y->span, w, ca, cb);
                g_free(w);
                w = g_strdup_printf("%s grade at most", what);
                text_part(&e, D, "ladder", x->name, x->span, y->span, w, grade_label(D->a, tx->grade), grade_label(D->b, ty->grade));
                g_free(w);
                w = g_strdup_printf("%s excluded from the pool", what);
                text_part(&e, D, "ladder", x->name, x->span, y->span, w, tx->excluded ? "yes" : "no", ty->excluded ? "yes" : "no");
                g_free(w);
                g_free(ca);
                g_free(cb);
            }
            g_free(what);
        }
        for (guint u = 0; u < y->ntiers; u++) {
            bool had = false;
            for (guint t = 0; t < x->ntiers; t++) had |= !strcmp(x->tiers[t].name, y->tiers[u].name);
            char *what = g_strdup_printf("tier %s", y->tiers[u].name);
            if (!had) text_part(&e, D, "ladder", x->name, x->span, y->span, what, NULL, "present");
            g_free(what);
        }
    }
    for (guint i = 0; i < D->b->ladders->len; i++) {
        const wz_ladder *y = g_ptr_array_index(D->b->ladders, i);
        wz_span sb = y->span;
        if (!ladder_named(D->a, y->name)) add_entry(D, "ladder", y->name, "added", NULL, NULL, D->b, &sb);
    }
}

static const wz_share *share_for(const wz_policy *p, const char *basis) {
    const wz_def *bd = g_ptr_array_index(p->defs, (guint)p->distribute->basis_def);
    for (guint s = 0; s < p->distribute->shares->len; s++) {
        const wz_share *sh = &g_array_index(p->distribute->shares, wz_share, s);
        if (!strcmp(g_ptr_array_index(bd->members, (guint)sh->member), basis)) return sh;
    }
    return NULL;
}

static void diff_pool(differ *D) {
    const wz_distribute *x = D->a->distribute, *y = D->b->distribute;
    if (!x && !y) return;
    if (!x || !y) {
        wz_span s = x ? x->span : y->span;
        add_entry(D, "pool", "distribute", x ? "removed" : "added", x ? D->a : NULL, x ? &s : NULL, y ? D->b : NULL, y ? &s : NULL);
        return;
    }
    entry *e = NULL;
    part(&e, D, "pool", "distribute", x->span, y->span, "pool", x->pool_expr, y->pool_expr);
    char *pa = g_strdup_printf("%d", x->places), *pb = g_strdup_printf("%d", y->places);
    text_part(&e, D, "pool", "distribute", x->span, y->span, "round", pa, pb);
    g_free(pa);
    g_free(pb);
    text_part(&e, D, "pool", "distribute", x->span, y->span, "rounding",
              x->rounding == WZ_DIST_LARGEST_REMAINDER ? "largest_remainder" : "half_up",
              y->rounding == WZ_DIST_LARGEST_REMAINDER ? "largest_remainder" : "half_up");
    const wz_def *bx = g_ptr_array_index(D->a->defs, (guint)x->basis_def), *by = g_ptr_array_index(D->b->defs, (guint)y->basis_def);
    for (guint m = 0; m < bx->members->len; m++) {
        const char *basis = g_ptr_array_index(bx->members, m);
        const wz_share *sx = share_for(D->a, basis), *sy = share_for(D->b, basis);
        char *what = g_strdup_printf("share %s", basis);
        if (sx && !sy) text_part(&e, D, "pool", "distribute", x->span, y->span, what, "present", NULL);
        if (sx && sy) {
            part(&e, D, "pool", "distribute", x->span, y->span, what, sx->weight_expr, sy->weight_expr);
            const wz_node *bx_by = sx->prorata_def >= 0 ? ((const wz_def *)g_ptr_array_index(D->a->defs, (guint)sx->prorata_def))->node : NULL;
            const wz_node *by_by = sy->prorata_def >= 0 ? ((const wz_def *)g_ptr_array_index(D->b->defs, (guint)sy->prorata_def))->node : NULL;
            char *w = g_strdup_printf("%s by", what);
            part(&e, D, "pool", "distribute", x->span, y->span, w, bx_by, by_by);
            g_free(w);
        }
        g_free(what);
    }
    for (guint m = 0; m < by->members->len; m++) {
        const char *basis = g_ptr_array_index(by->members, m);
        char *what = g_strdup_printf("share %s", basis);
        if (!share_for(D->a, basis) && share_for(D->b, basis)) text_part(&e, D, "pool", "distribute", x->span, y->span, what, NULL, "present");
        g_free(what);
    }
}

static const wz_table *table_named(const wz_policy *p, const char *name) {
    for (guint i = 0; i < p->tables->len; i++)
        if (!strcmp(((const wz_table *)g_ptr_array_index(p->tables, i))->name, name)) return g_ptr_array_index(p->tables, i);
    return NULL;
}

static void diff_tables(differ *D) {
    for (guint i = 0; i < D->a->tables->len; i++) {
        const wz_table *x = g_ptr_array_index(D->a->tables, i), *y = table_named(D->b, x->name);
        wz_span sa = x->node->span;
        if (!y) add_entry(D, "table", x->name, "removed", D->a, &sa, NULL, NULL);
        else {
            entry *e = NULL;
            part(&e, D, "table", x->name, x->node->span, y->node->span, "rows", x->node, y->node);
        }
    }
    for (guint i = 0; i < D->b->tables->len; i++) {
        const wz_table *y = g_ptr_array_index(D->b->tables, i);
        wz_span sb = y->node->span;
        if (!table_named(D->a, y->name)) add_entry(D, "table", y->name, "added", NULL, NULL, D->b, &sb);
    }
}

static const wz_role *role_named(const wz_policy *p, const char *name) {
    for (guint i = 0; i < p->roles->len; i++)
        if (!strcmp(((const wz_role *)g_ptr_array_index(p->roles, i))->name, name)) return g_ptr_array_index(p->roles, i);
    return NULL;
}

static const char *duty_text(const wz_role *r, int64_t number) {
    for (guint i = 0; i < r->duties->len; i++)
        if (g_array_index(r->duties, wz_duty, i).number == number) return g_array_index(r->duties, wz_duty, i).text;
    return NULL;
}

static void diff_roles(differ *D) {
    for (guint i = 0; i < D->a->roles->len; i++) {
        const wz_role *x = g_ptr_array_index(D->a->roles, i), *y = role_named(D->b, x->name);
        wz_span sa = x->span;
        if (!y) {
            add_entry(D, "role", x->name, "removed", D->a, &sa, NULL, NULL);
            continue;
        }
        entry *e = NULL;
        text_part(&e, D, "role", x->name, x->span, y->span, "reports to",
                  x->reports_to >= 0 ? ((const wz_role *)g_ptr_array_index(D->a->roles, (guint)x->reports_to))->name : NULL,
                  y->reports_to >= 0 ? ((const wz_role *)g_ptr_array_index(D->b->roles, (guint)y->reports_to))->name : NULL);
        for (guint k = 0; k < x->duties->len + y->duties->len; k++) {
            const wz_duty *d = k < x->duties->len ? &g_array_index(x->duties, wz_duty, k) : &g_array_index(y->duties, wz_duty, k - x->duties->len);
            if (k >= x->duties->len && duty_text(x, d->number)) continue;   /* compared already */
            char *what = g_strdup_printf("duty %" G_GINT64_FORMAT, d->number);
            text_part(&e, D, "role", x->name, x->span, y->span, what, duty_text(x, d->number), duty_text(y, d->number));
            g_free(what);
        }
    }
    for (guint i = 0; i < D->b->roles->len; i++) {
        const wz_role *y = g_ptr_array_index(D->b->roles, i);
        wz_span sb = y->span;
        if (!role_named(D->a, y->name)) add_entry(D, "role", y->name, "added", NULL, NULL, D->b, &sb);
    }
}

/* ---- rendering ------------------------------------------------------------------------- */

static void render_text(GString *out, const differ *D, const GPtrArray *through) {
    for (guint i = 0; i < D->entries->len; i++) {
        const entry *e = g_ptr_array_index(D->entries, i);
        char sign = !strcmp(e->change, "added") ? '+' : !strcmp(e->change, "removed") ? '-' : '~';
        g_string_append_printf(out, "%c %s %s", sign, e->kind, e->name);
        if (e->old_src && e->new_src) g_string_append_printf(out, "  (%s → %s)", e->old_src, e->new_src);
        else if (e->old_src || e->new_src) g_string_append_printf(out, "  (%s)", e->old_src ? e->old_src : e->new_src);
        g_string_append_c(out, '\n');
        for (guint k = 0; k < e->details->len; k++) {
            const detail *d = g_ptr_array_index(e->details, k);
            g_string_append_printf(out, "    %s: %s → %s\n", d->what, d->before, d->after);
        }
    }
    if (through->len) {
        g_string_append(out, "changes through what they read:");
        for (guint i = 0; i < through->len; i++) g_string_append_printf(out, "%s %s", i ? "," : "", (const char *)g_ptr_array_index(through, i));
        g_string_append_c(out, '\n');
    }
    if (!D->entries->len) g_string_append(out, "no change in meaning\n");
}

static void json_field(GString *out, const char *key, const char *value, bool comma) {
    g_string_append_printf(out, "%s\"%s\":", comma ? "," : "", key);
    if (value) wz_json_string(out, value);
    else g_string_append(out, "null");
}

static void render_json(GString *out, const differ *D, const GPtrArray *through) {
    g_string_append(out, "{\"changes\":[");
    for (guint i = 0; i < D->entries->len; i++) {
        const entry *e = g_ptr_array_index(D->entries, i);
        g_string_append(out, i ? ",{" : "{");
        json_field(out, "kind", e->kind, false);
        json_field(out, "name", e->name, true);
        json_field(out, "change", e->change, true);
        json_field(out, "old_source", e->old_src, true);
        json_field(out, "new_source", e->new_src, true);
        g_string_append(out, ",\"details\":[");
        for (guint k = 0; k < e->details->len; k++) {
            const detail *d = g_ptr_array_index(e->details, k);
            g_string_append(out, k ? ",{" : "{");
            json_field(out, "what", d->what, false);
            json_field(out, "before", d->before, true);
            json_field(out, "after", d->after, true);
            g_string_append_c(out, '}');
        }
        g_string_append(out, "]}");
    }
    g_string_append(out, "],\"changes_through\":[");
    for (guint i = 0; i < through->len; i++) {
        if (i) g_string_append_c(out, ',');
        wz_json_string(out, g_ptr_array_index(through, i));
    }
    g_string_append(out, "]}\n");
}

guint wz_diff_policies(const wz_policy *old, const wz_policy *new_, bool json, GString *out) {
    differ D = {old, new_, g_ptr_array_new_with_free_func(entry_free)};
    guint8 *changed = g_new0(guint8, new_->defs->len + 1);
    entry *head = NULL;
    text_part(&head, &D, "policy", "header", (wz_span){old->src, 0, 0}, (wz_span){new_->src, 0, 0}, "name", old->title, new_->title);
    text_part(&head, &D, "policy", "header", (wz_span){old->src, 0, 0}, (wz_span){new_->src, 0, 0}, "version", old->version, new_->version);
    diff_params(&D);
    diff_facts(&D);
    diff_defs(&D, changed);
    diff_ladders(&D);
    diff_pool(&D);
    diff_tables(&D);
    diff_roles(&D);
    /* what changes only through what it reads: in the new version's order, a def
     * reading a changed or affected one (ladders feed the sanctions' cut() readers) */
    guint8 *affected = g_new0(guint8, new_->defs->len + 1);
    for (guint i = 0; i < new_->order->len; i++) {
        int d = g_array_index(new_->order, int, i);
        const wz_def *def = g_ptr_array_index(new_->defs, (guint)d);
        for (guint k = 0; k < def->deps->len && !affected[d]; k++) {
            int r = g_array_index(def->deps, int, k);
            affected[d] = changed[r] || affected[r];
        }
    }
    GPtrArray *through = g_ptr_array_new();
    for (guint d = 0; d < new_->defs->len; d++) {
        const wz_def *def = g_ptr_array_index(new_->defs, d);
        if (affected[d] && !changed[d] && compared_kind(def->kind)) g_ptr_array_add(through, def->name);
    }
    if (json) render_json(out, &D, through);
    else render_text(out, &D, through);
    guint n = D.entries->len;
    g_ptr_array_free(through, TRUE);
    g_free(changed);
    g_free(affected);
    g_ptr_array_free(D.entries, TRUE);
    return n;
}

/* ---- impact ---------------------------------------------------------------------------------- */

typedef struct impact {
    char *id, *name;
    wz_dec total_a, total_b, pay_a, pay_b;
    bool has_total, has_pay, has_a, has_b;
    char *grade_a, *grade_b, *sanctions_a, *sanctions_b;
} impact;

static void impact_free(gpointer p) {
    impact *m = p;
    g_free(m->id);
    g_free(m->name);
    g_free(m->grade_a);
    g_free(m->grade_b);
    g_free(m->sanctions_a);
    g_free(m->sanctions_b);
    g_free(m);
}

/* A person's sanctions, "rule:tier" joined, in the policy's order. */
static char *sanctions_of(const wz_result *r, uint32_t e) {
    GString *s = g_string_new(NULL);
    for (guint d = 0; d < r->policy->defs->len; d++) {
        const wz_def *def = g_ptr_array_index(r->policy->defs, d);
        if (def->kind != WZ_DEF_SANCTION || (def->entity >= 0 && def->entity != 0)) continue;
        wz_value v = wz_vm_value(r->vm, (int)d, e);
        if (v.tag != WZ_V_TIER || v.i < 0) continue;
        const wz_ladder *l = g_ptr_array_index(r->policy->ladders, (guint)def->ladder);
        g_string_append_printf(s, "%s%s:%s", s->len ? ", " : "", def->name, l->tiers[v.i].name);
    }
    return g_string_free(s, FALSE);
}

static uint32_t person_index(const wz_result *r, const char *id, bool *found) {
    for (uint32_t i = 0; i < r->facts->npersons; i++)
        if (!strcmp(wz_facts_person_id(r->facts, i), id)) {
            *found = true;
            return i;
        }
    *found = false;
    return 0;
}

/* A name column of the persons fact ("name", "姓名"), for the reader. */
static const char *name_of(const wz_result *r, uint32_t i) {
    const wz_policy *p = r->policy;
    if (p->population < 0) return NULL;
    const wz_fact_schema *s = g_ptr_array_index(p->facts, (guint)p->population);
    int f = field_named(s, "name");
    if (f < 0) f = field_named(s, "姓名");
    if (f < 0 || ((const wz_field_schema *)g_ptr_array_index(s->fields, (guint)f))->type != WZ_FT_TEXT) return NULL;
    const wz_fact_table *t = g_ptr_array_index(r->facts->tables, (guint)p->population);
    return wz_column_is_missing(t->columns[f], i) ? NULL : wz_facts_string(r->facts, (uint32_t)wz_column_int(t->columns[f], i));
}

static void fill(impact *m, const wz_result *r, uint32_t i, bool b) {
    const wz_policy *p = r->policy;
    wz_value t = wz_vm_value(r->vm, p->total_def, i);
    char *grade = r->grade && r->grade[i] >= 0 ? g_strdup(grade_label(p, r->grade[i])) : NULL;
    if (b) {
        m->has_b = true;
        m->total_b = t.tag == WZ_V_NUM ? t.d : WZ_DEC_ZERO;
        m->pay_b = r->has_pay ? r->pay[i].amount : WZ_DEC_ZERO;
        m->grade_b = grade;
        m->sanctions_b = sanctions_of(r, i);
    } else {
        m->has_a = true;
        m->total_a = t.tag == WZ_V_NUM ? t.d : WZ_DEC_ZERO;
        m->pay_a = r->has_pay ? r->pay[i].amount : WZ_DEC_ZERO;
        m->grade_a = grade;
        m->sanctions_a = sanctions_of(r, i);
    }
    m->has_pay |= r->has_pay;
}

static gint by_change(gconstpointer x, gconstpointer y) {
    const impact *a = *(impact *const *)x, *b = *(impact *const *)y;
    wz_dec da, db;
    wz_dec_sub(a->pay_b, a->pay_a, &da);
    wz_dec_sub(b->pay_b, b->pay_a, &db);
    int c = wz_dec_cmp(wz_dec_abs(db), wz_dec_abs(da));
    if (c) return c;
    wz_dec_sub(a->total_b, a->total_a, &da);
    wz_dec_sub(b->total_b, b->total_a, &db);
    c = wz_dec_cmp(wz_dec_abs(db), wz_dec_abs(da));
    return c ? c : strcmp(a->id, b->id);
}

static char *signed_dec(wz_dec d, int places) {
    char *s = wz_dec_to_string(d, places, places > 0 ? places : 4);
    char *r = wz_dec_sign(d) > 0 ? g_strdup_printf("+%s", s) : g_strdup(s);
    g_free(s);
    return r;
}

void wz_diff_impact(const wz_result *old, const wz_result *new_, bool json, GString *out) {
    GPtrArray *rows = g_ptr_array_new_with_free_func(impact_free);
    for (uint32_t i = 0; i < old->facts->npersons; i++) {
        impact *m = g_new0(impact, 1);
        m->id = g_strdup(wz_facts_person_id(old->facts, i));
        m->name = g_strdup(name_of(old, i));
        fill(m, old, i, false);
        bool found;
        uint32_t j = person_index(new_, m->id, &found);
        if (found) fill(m, new_, j, true);
        g_ptr_array_add(rows, m);
    }
    for (uint32_t j = 0; j < new_->facts->npersons; j++) {
        bool found;
        person_index(old, wz_facts_person_id(new_->facts, j), &found);
        if (found) continue;
        impact *m = g_new0(impact, 1);
        m->id = g_strdup(wz_facts_person_id(new_->facts, j));
        m->name = g_strdup(name_of(new_, j));
        fill(m, new_, j, true);
        g_ptr_array_add(rows, m);
    }
    int places = new_->has_pay ? new_->policy->distribute->places : old->has_pay ? old->policy->distribute->places : 2;
    GPtrArray *changed = g_ptr_array_new();
    guint gain = 0, lose = 0, grade_changed = 0, sanction_changed = 0;
    wz_dec moved = WZ_DEC_ZERO;
    for (guint k = 0; k < rows->len; k++) {
        impact *m = g_ptr_array_index(rows, k);
        wz_dec dp;
        wz_dec_sub(m->pay_b, m->pay_a, &dp);
        bool pay = wz_dec_sign(dp) != 0, total = wz_dec_cmp(m->total_a, m->total_b) != 0;
        bool grade = g_strcmp0(m->grade_a, m->grade_b) != 0, sanctions = g_strcmp0(m->sanctions_a, m->sanctions_b) != 0;
        if (!(pay || total || grade || sanctions || m->has_a != m->has_b)) continue;
        g_ptr_array_add(changed, m);
        gain += wz_dec_sign(dp) > 0;
        lose += wz_dec_sign(dp) < 0;
        grade_changed += grade;
        sanction_changed += sanctions;
        if (wz_dec_sign(dp) > 0) wz_dec_add(moved, dp, &moved);
    }
    g_ptr_array_sort(changed, by_change);
    char *moved_s = wz_dec_to_string(moved, places, places);
    if (json) {
        g_string_append_printf(out, "{\"persons\":%u,\"changed\":%u,\"gain\":%u,\"lose\":%u,\"grade_changed\":%u,\"sanctions_changed\":%u,\"moved\":\"%s\",\"rows\":[",
                               rows->len, changed->len, gain, lose, grade_changed, sanction_changed, moved_s);
        for (guint k = 0; k < changed->len; k++) {
            const impact *m = g_ptr_array_index(changed, k);
            char *ta = wz_dec_to_string(m->total_a, 0, 30), *tb = wz_dec_to_string(m->total_b, 0, 30);
            char *pa = wz_dec_to_string(m->pay_a, places, places), *pb = wz_dec_to_string(m->pay_b, places, places);
            g_string_append(out, k ? ",{" : "{");
            json_field(out, "id", m->id, false);
            json_field(out, "name", m->name, true);
            json_field(out, "total_old", m->has_a ? ta : NULL, true);
            json_field(out, "total_new", m->has_b ? tb : NULL, true);
            json_field(out, "grade_old", m->grade_a, true);
            json_field(out, "grade_new", m->grade_b, true);
            json_field(out, "sanctions_old", m->sanctions_a, true);
            json_field(out, "sanctions_new", m->sanctions_b, true);
            json_field(out, "pay_old", m->has_pay && m->has_a ? pa : NULL, true);
            json_field(out, "pay_new", m->has_pay && m->has_b ? pb : NULL, true);
            g_string_append_c(out, '}');
            g_free(ta);
            g_free(tb);
            g_free(pa);
            g_free(pb);
        }
        g_string_append(out, "]}\n");
    } else {
        g_string_append_printf(out, "\n%u of %u persons change: %u gain, %u lose, %u change grade, %u change sanctions; %s moves to those who gain\n",
                               changed->len, rows->len, gain, lose, grade_changed, sanction_changed, moved_s);
        for (guint k = 0; k < changed->len; k++) {
            const impact *m = g_ptr_array_index(changed, k);
            wz_dec dt, dp;
            wz_dec_sub(m->total_b, m->total_a, &dt);
            wz_dec_sub(m->pay_b, m->pay_a, &dp);
            char *ta = wz_dec_to_string(m->total_a, 0, 4), *tb = wz_dec_to_string(m->total_b, 0, 4), *tds = signed_dec(dt, 0);
            g_string_append_printf(out, "  %s%s%s  total %s → %s (%s)", m->id, m->name ? " " : "", m->name ? m->name : "", ta, tb, tds);
            if (m->has_pay) {
                char *pa = wz_dec_to_string(m->pay_a, places, places), *pb = wz_dec_to_string(m->pay_b, places, places), *pds = signed_dec(dp, places);
                g_string_append_printf(out, ", pay %s → %s (%s)", pa, pb, pds);
                g_free(pa);
                g_free(pb);
                g_free(pds);
            }
            if (g_strcmp0(m->grade_a, m->grade_b)) g_string_append_printf(out, ", grade %s → %s", m->grade_a ? m->grade_a : "—", m->grade_b ? m->grade_b : "—");
            if (g_strcmp0(m->sanctions_a, m->sanctions_b))
                g_string_append_printf(out, ", sanctions %s → %s", m->sanctions_a && *m->sanctions_a ? m->sanctions_a : "none",
                                       m->sanctions_b && *m->sanctions_b ? m->sanctions_b : "none");
            if (!m->has_a || !m->has_b) g_string_append(out, m->has_a ? " (only in the old run)" : " (only in the new run)");
            g_string_append_c(out, '\n');
            g_free(ta);
            g_free(tb);
            g_free(tds);
        }
    }
    g_free(moved_s);
    g_ptr_array_free(changed, TRUE);
    g_ptr_array_free(rows, TRUE);
}
