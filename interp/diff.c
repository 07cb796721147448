/* diff.c — what changed between two versions of a policy, and whom it changes (diff.h).
 *
 * Items are matched by name.  Two expressions are the same when their trees
 * print the same (ast.c's printer shows no positions), so a policy laid out
 * anew, commented or reordered compares equal; a change is shown as each
 * file writes it, with both files' lines.
 */
#include "diff_internal.h"

#include <string.h>

#include "output.h"

static void detail_free(gpointer p) {
    wz_diff_detail *d = p;
    g_free(d->what);
    g_free(d->before);
    g_free(d->after);
    g_free(d);
}

static void entry_free(gpointer p) {
    wz_diff_entry *e = p;
    g_free(e->name);
    g_free(e->title);
    g_ptr_array_free(e->details, TRUE);
    g_free(e->old_src);
    g_free(e->new_src);
    g_free(e);
}

/* The tree of an expression (positions left out), or "-" for none. */
static char *tree(const wz_node *n) {
    GString *s = g_string_new(NULL);
    wz_ast_print_canonical(s, n);
    return g_string_free(s, FALSE);
}

static bool same_tree(const wz_node *x, const wz_node *y) {
    char *a = tree(x), *b = tree(y);
    bool same = !strcmp(a, b);
    g_free(a);
    g_free(b);
    return same;
}

/* A def's tree with its label left out (a label is compared on its own). */
static char *tree_unlabelled(const wz_def *d) {
    char *t = tree(d->node);
    if (!d->node || !d->node->text) return t;
    GString *q = g_string_new(" \"");
    for (const char *c = d->node->text; *c; c++) {
        if (*c == '"' || *c == '\\') g_string_append_c(q, '\\');
        if (*c == '\n') g_string_append(q, "\\n");
        else g_string_append_c(q, *c);
    }
    g_string_append_c(q, '"');
    char *at = strstr(t, q->str);
    if (at) memmove(at, at + q->len, strlen(at + q->len) + 1);
    g_string_free(q, TRUE);
    return t;
}

static bool same_but_label(const wz_def *x, const wz_def *y) {
    char *a = tree_unlabelled(x), *b = tree_unlabelled(y);
    bool same = !strcmp(a, b);
    g_free(a);
    g_free(b);
    return same;
}

/* An expression as its file writes it, comments left out and white space collapsed; "—" for none. */
static char *written(const wz_node *n) {
    if (!n) return g_strdup("—");
    GString *s = g_string_new(NULL);
    bool space = false, quoted = false;
    const char *t = n->span.src->text;
    for (uint32_t i = n->span.start; i < n->span.end; i++) {
        char c = t[i];
        if (!quoted && (c == '#' || (c == '/' && i + 1 < n->span.end && t[i + 1] == '/'))) {
            while (i + 1 < n->span.end && t[i + 1] != '\n') i++;
            space = s->len > 0;
        } else if (!quoted && (c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
            space = s->len > 0;
        } else {
            if (space) g_string_append_c(s, ' ');
            space = false;
            g_string_append_c(s, c);
            if (c == '"') quoted = !quoted;
            else if (c == '\\' && quoted && i + 1 < n->span.end) g_string_append_c(s, t[++i]);
        }
    }
    return g_string_free(s, FALSE);
}

static wz_diff_entry *add_entry(wz_diff *D, const char *kind, const char *name, const char *change, const wz_policy *pa, wz_span *sa,
                                const wz_policy *pb, wz_span *sb) {
    wz_diff_entry *e = g_new0(wz_diff_entry, 1);
    e->kind = kind;
    e->name = g_strdup(name);
    e->change = change;
    e->details = g_ptr_array_new_with_free_func(detail_free);
    e->title = g_strdup_printf("%s %s", kind, name);
    if (sa) {
        e->old_src = wz_output_source(pa, *sa, false);
        e->has_a = true;
        e->sa = *sa;
    }
    if (sb) {
        e->new_src = wz_output_source(pb, *sb, false);
        e->has_b = true;
        e->sb = *sb;
    }
    g_ptr_array_add(D->entries, e);
    return e;
}

static void add_detail(wz_diff_entry *e, const char *what, char *before, char *after) {
    wz_diff_detail *d = g_new0(wz_diff_detail, 1);
    d->what = g_strdup(what);
    d->before = before;
    d->after = after;
    g_ptr_array_add(e->details, d);
}

/* A part that may differ: an expression compared as a tree, shown as written. */
static void part(wz_diff_entry **e, wz_diff *D, const char *kind, const char *name, wz_span sa, wz_span sb, const char *what,
                 const wz_node *x, const wz_node *y) {
    if (same_tree(x, y)) return;
    if (!*e) *e = add_entry(D, kind, name, "changed", D->a, &sa, D->b, &sb);
    add_detail(*e, what, written(x), written(y));
}

static void text_part(wz_diff_entry **e, wz_diff *D, const char *kind, const char *name, wz_span sa, wz_span sb, const char *what,
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

static const wz_node *case_named(const wz_node *classify, const char *name) {
    for (guint i = 0; i < wz_node_nkids(classify); i++)
        if (!g_strcmp0(wz_node_kid(classify, i)->name, name)) return wz_node_kid(classify, i);
    return NULL;
}

/* The order of the cases that both classifies have (an added or removed case is a change of its own). */
static char *case_order(const wz_node *classify, const wz_node *other) {
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < wz_node_nkids(classify); i++) {
        const char *name = wz_node_kid(classify, i)->name;
        if (case_named(other, name)) g_string_append_printf(s, "%s%s", s->len ? ", " : "", name);
    }
    return g_string_free(s, FALSE);
}

/* A classify, case by case (matched by label), and the order of its cases (the first that holds wins). */
static void diff_cases(wz_diff_entry **e, wz_diff *D, const char *kind, const char *name, wz_span sa, wz_span sb, const wz_node *x,
                       const wz_node *y) {
    for (guint i = 0; i < wz_node_nkids(x); i++) {
        const wz_node *cx = wz_node_kid(x, i), *cy = case_named(y, cx->name);
        char *what = g_strdup_printf("case %s", cx->name);
        part(e, D, kind, name, sa, sb, what, cx, cy);
        g_free(what);
    }
    for (guint i = 0; i < wz_node_nkids(y); i++) {
        const wz_node *cy = wz_node_kid(y, i);
        if (case_named(x, cy->name)) continue;
        char *what = g_strdup_printf("case %s", cy->name);
        part(e, D, kind, name, sa, sb, what, NULL, cy);
        g_free(what);
    }
    char *ox = case_order(x, y), *oy = case_order(y, x);
    text_part(e, D, kind, name, sa, sb, "order of cases", ox, oy);
    g_free(ox);
    g_free(oy);
}

/* The `where` of a rule's `for each W where C`, or NULL. */
static const wz_node *rule_each_where(const wz_def *rule) {
    const wz_node *each = wz_node_nkids(rule->node) > 6 ? wz_node_kid(rule->node, 6) : NULL;
    return each ? wz_node_kid(each, 0) : NULL;
}

static void diff_def(wz_diff *D, const wz_def *x, const wz_def *y, guint8 *changed_b) {
    const char *kind = kind_word(x->kind);
    wz_diff_entry *e = NULL;
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
        text_part(&e, D, kind, x->name, sa, sb, "for each",
                  x->each_window >= 0 ? ((const wz_window_group *)g_ptr_array_index(D->a->windows, (guint)x->each_window))->name : NULL,
                  y->each_window >= 0 ? ((const wz_window_group *)g_ptr_array_index(D->b->windows, (guint)y->each_window))->name : NULL);
        part(&e, D, kind, x->name, sa, sb, "where", rule_each_where(x), rule_each_where(y));
        break;
    case WZ_DEF_SECTION: {
        static const char *const parts[] = {"points", "floor", "cap", "formula"};
        for (guint i = 0; x->kind == WZ_DEF_SECTION && i < 4; i++)
            part(&e, D, kind, x->name, sa, sb, parts[i], wz_node_kid(x->node, i), wz_node_kid(y->node, i));
        break;
    }
    case WZ_DEF_SANCTION: case WZ_DEF_NOTICE: case WZ_DEF_AWARD: {
        if (x->kind != y->kind || same_but_label(x, y)) break;
        /* the parts the resolved program names; what else differs (a ladder, a tier, who answers) as the whole rule */
        guint before = e ? e->details->len : 0;
        part(&e, D, kind, x->name, sa, sb, "amount", x->amount_expr, y->amount_expr);
        part(&e, D, kind, x->name, sa, sb, "at", x->quantity_expr, y->quantity_expr);
        part(&e, D, kind, x->name, sa, sb, "when", x->when_expr, y->when_expr);
        if ((e ? e->details->len : 0) == before) part(&e, D, kind, x->name, sa, sb, "rule", x->node, y->node);
        break;
    }
    default: {
        const wz_node *vx = value_expr(x), *vy = value_expr(y);
        if (vx && vy && vx->kind == WZ_N_CLASSIFY && vy->kind == WZ_N_CLASSIFY) diff_cases(&e, D, kind, x->name, sa, sb, vx, vy);
        else part(&e, D, kind, x->name, sa, sb, "=", vx, vy);
        break;
    }
    }
    if (e) {
        e->def_a = x;
        e->def_b = y;
        changed_b[wz_policy_find_def(D->b, y->name)] = 1;
    }
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

static void diff_defs(wz_diff *D, guint8 *changed_b) {
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
            wz_diff_entry *e = add_entry(D, kind_word(x->kind), y->name, "renamed", D->a, &sa, D->b, &sb);
            add_detail(e, "name", g_strdup(x->name), g_strdup(y->name));
            e->def_a = x;
            e->def_b = y;
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
        add_entry(D, kind_word(x->kind), x->name, "removed", D->a, &sa, NULL, NULL)->def_a = x;
    }
    for (guint i = 0; i < added->len; i++) {
        const wz_def *y = g_ptr_array_index(added, i);
        if (!y) continue;
        wz_span sb = y->span;
        add_entry(D, kind_word(y->kind), y->name, "added", NULL, NULL, D->b, &sb)->def_b = y;
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

static void diff_params(wz_diff *D) {
    for (guint i = 0; i < D->a->params->len; i++) {
        const wz_param_decl *x = g_ptr_array_index(D->a->params, i), *y = param_named(D->b, x->name);
        wz_span sa = x->span;
        if (!y) {
            add_entry(D, "param", x->name, "removed", D->a, &sa, NULL, NULL);
            continue;
        }
        wz_diff_entry *e = NULL;
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
int wz_diff_field_named(const wz_fact_schema *s, const char *name) {
    for (guint i = 0; i < s->fields->len; i++)
        if (!strcmp(((const wz_field_schema *)g_ptr_array_index(s->fields, i))->name, name)) return (int)i;
    return -1;
}

static wz_span fact_span(const wz_policy *p, int f) { return ((const wz_node *)g_ptr_array_index(p->fact_nodes, (guint)f))->span; }

static void diff_facts(wz_diff *D) {
    for (guint f = 0; f < D->a->facts->len; f++) {
        const wz_fact_schema *x = g_ptr_array_index(D->a->facts, f);
        int g = wz_policy_find_fact(D->b, x->name);
        wz_span sa = fact_span(D->a, (int)f);
        if (g < 0) {
            add_entry(D, "fact", x->name, "removed", D->a, &sa, NULL, NULL);
            continue;
        }
        const wz_fact_schema *y = g_ptr_array_index(D->b->facts, (guint)g);
        wz_diff_entry *e = NULL;
        wz_span sb = fact_span(D->b, g);
        for (guint i = 0; i < x->fields->len; i++) {
            const wz_field_schema *fx = g_ptr_array_index(x->fields, i);
            int j = wz_diff_field_named(y, fx->name);
            char *what = g_strdup_printf("field %s", fx->name);
            if (j < 0) text_part(&e, D, "fact", x->name, sa, sb, what, wz_field_type_name(fx->type), NULL);
            else text_part(&e, D, "fact", x->name, sa, sb, what, wz_field_type_name(fx->type),
                           wz_field_type_name(((const wz_field_schema *)g_ptr_array_index(y->fields, (guint)j))->type));
            g_free(what);
        }
        for (guint j = 0; j < y->fields->len; j++) {
            const wz_field_schema *fy = g_ptr_array_index(y->fields, j);
            if (wz_diff_field_named(x, fy->name) >= 0) continue;
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

const char *wz_diff_grade_label(const wz_policy *p, int g) {
    if (g < 0 || p->grade_def < 0) return NULL;
    const wz_def *d = g_ptr_array_index(p->defs, (guint)p->grade_def);
    return d->members && (guint)g < d->members->len ? g_ptr_array_index(d->members, (guint)g) : NULL;
}

static void diff_ladders(wz_diff *D) {
    for (guint i = 0; i < D->a->ladders->len; i++) {
        const wz_ladder *x = g_ptr_array_index(D->a->ladders, i), *y = ladder_named(D->b, x->name);
        wz_span sa = x->span;
        if (!y) {
            add_entry(D, "ladder", x->name, "removed", D->a, &sa, NULL, NULL);
            continue;
        }
        wz_diff_entry *e = NULL;
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
                text_part(&e, D, "ladder", x->name, x->span, y->span, w, wz_diff_grade_label(D->a, tx->grade), wz_diff_grade_label(D->b, ty->grade));
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

static const wz_share *share_for(const wz_policy *p, const wz_distribute *d, const char *basis) {
    const wz_def *bd = g_ptr_array_index(p->defs, (guint)d->basis_def);
    for (guint s = 0; s < d->shares->len; s++) {
        const wz_share *sh = &g_array_index(d->shares, wz_share, s);
        if (!strcmp(g_ptr_array_index(bd->members, (guint)sh->member), basis)) return sh;
    }
    return NULL;
}

/* The part called name (NULL: the one unnamed pool), or NULL. */
static const wz_distribute *part_named(const wz_policy *p, const char *name) {
    for (guint i = 0; p->parts && i < p->parts->len; i++) {
        const wz_distribute *d = g_ptr_array_index(p->parts, i);
        if (!g_strcmp0(d->name, name)) return d;
    }
    return NULL;
}

static void diff_part(wz_diff *D, const wz_distribute *x, const wz_distribute *y, const char *name) {
    wz_diff_entry *e = NULL;
    text_part(&e, D, "pool", name, x->span, y->span, "label", x->text, y->text);
    part(&e, D, "pool", name, x->span, y->span, "pool", x->pool_expr, y->pool_expr);
    char *pa = g_strdup_printf("%d", x->places), *pb = g_strdup_printf("%d", y->places);
    text_part(&e, D, "pool", name, x->span, y->span, "round", pa, pb);
    g_free(pa);
    g_free(pb);
    text_part(&e, D, "pool", name, x->span, y->span, "rounding",
              x->rounding == WZ_DIST_LARGEST_REMAINDER ? "largest_remainder" : "half_up",
              y->rounding == WZ_DIST_LARGEST_REMAINDER ? "largest_remainder" : "half_up");
    const wz_def *bx = g_ptr_array_index(D->a->defs, (guint)x->basis_def), *by = g_ptr_array_index(D->b->defs, (guint)y->basis_def);
    for (guint m = 0; m < bx->members->len; m++) {
        const char *basis = g_ptr_array_index(bx->members, m);
        const wz_share *sx = share_for(D->a, x, basis), *sy = share_for(D->b, y, basis);
        char *what = g_strdup_printf("share %s", basis);
        if (sx && !sy) text_part(&e, D, "pool", name, x->span, y->span, what, "present", NULL);
        if (sx && sy) {
            part(&e, D, "pool", name, x->span, y->span, what, sx->weight_expr, sy->weight_expr);
            const wz_node *bx_by = sx->prorata_def >= 0 ? ((const wz_def *)g_ptr_array_index(D->a->defs, (guint)sx->prorata_def))->node : NULL;
            const wz_node *by_by = sy->prorata_def >= 0 ? ((const wz_def *)g_ptr_array_index(D->b->defs, (guint)sy->prorata_def))->node : NULL;
            char *w = g_strdup_printf("%s by", what);
            part(&e, D, "pool", name, x->span, y->span, w, bx_by, by_by);
            g_free(w);
            /* a person whose `by` value is 0: takes a unit (counts, or not said) or none (exclude) */
            w = g_strdup_printf("%s when 0", what);
            if (bx_by && by_by)
                text_part(&e, D, "pool", name, x->span, y->span, w, sx->zero == WZ_ZERO_EXCLUDE ? "takes no unit" : "takes a unit",
                          sy->zero == WZ_ZERO_EXCLUDE ? "takes no unit" : "takes a unit");
            g_free(w);
        }
        g_free(what);
    }
    for (guint m = 0; m < by->members->len; m++) {
        const char *basis = g_ptr_array_index(by->members, m);
        char *what = g_strdup_printf("share %s", basis);
        if (!share_for(D->a, x, basis) && share_for(D->b, y, basis)) text_part(&e, D, "pool", name, x->span, y->span, what, NULL, "present");
        g_free(what);
    }
}


/* The pool, or each of its parts matched by name: "pool distribute" or "pool post". */
static void diff_pool(wz_diff *D) {
    for (guint i = 0; D->a->parts && i < D->a->parts->len; i++) {
        const wz_distribute *x = g_ptr_array_index(D->a->parts, i), *y = part_named(D->b, x->name);
        wz_span sa = x->span;
        if (!y) add_entry(D, "pool", x->name ? x->name : "distribute", "removed", D->a, &sa, NULL, NULL);
        else diff_part(D, x, y, x->name ? x->name : "distribute");
    }
    for (guint i = 0; D->b->parts && i < D->b->parts->len; i++) {
        const wz_distribute *y = g_ptr_array_index(D->b->parts, i);
        wz_span sb = y->span;
        if (!part_named(D->a, y->name)) add_entry(D, "pool", y->name ? y->name : "distribute", "added", NULL, NULL, D->b, &sb);
    }
}

static const wz_table *table_named(const wz_policy *p, const char *name) {
    for (guint i = 0; i < p->tables->len; i++)
        if (!strcmp(((const wz_table *)g_ptr_array_index(p->tables, i))->name, name)) return g_ptr_array_index(p->tables, i);
    return NULL;
}

static void diff_tables(wz_diff *D) {
    for (guint i = 0; i < D->a->tables->len; i++) {
        const wz_table *x = g_ptr_array_index(D->a->tables, i), *y = table_named(D->b, x->name);
        wz_span sa = x->node->span;
        if (!y) add_entry(D, "table", x->name, "removed", D->a, &sa, NULL, NULL);
        else {
            wz_diff_entry *e = NULL;
            part(&e, D, "table", x->name, x->node->span, y->node->span, "rows", x->node, y->node);
        }
    }
    for (guint i = 0; i < D->b->tables->len; i++) {
        const wz_table *y = g_ptr_array_index(D->b->tables, i);
        wz_span sb = y->node->span;
        if (!table_named(D->a, y->name)) add_entry(D, "table", y->name, "added", NULL, NULL, D->b, &sb);
    }
}

/* Row values (`let accident.level = …`), matched by fact and name: "accident.level". */
static const wz_row_value *row_value_named(const wz_policy *p, const char *fact, const char *name) {
    for (guint i = 0; i < p->row_values->len; i++) {
        const wz_row_value *v = g_ptr_array_index(p->row_values, i);
        if (!strcmp(v->name, name) && !strcmp(((const wz_fact_schema *)g_ptr_array_index(p->facts, (guint)v->fact))->name, fact))
            return v;
    }
    return NULL;
}

static void diff_row_values(wz_diff *D) {
    for (int side = 0; side < 2; side++) {
        const wz_policy *p = side ? D->b : D->a, *q = side ? D->a : D->b;
        for (guint i = 0; i < p->row_values->len; i++) {
            const wz_row_value *x = g_ptr_array_index(p->row_values, i);
            const char *fact = ((const wz_fact_schema *)g_ptr_array_index(p->facts, (guint)x->fact))->name;
            const wz_row_value *y = row_value_named(q, fact, x->name);
            char *name = g_strdup_printf("%s.%s", fact, x->name);
            wz_span sx = x->span;
            if (!y) add_entry(D, "row value", name, side ? "added" : "removed", side ? NULL : D->a, side ? NULL : &sx,
                              side ? D->b : NULL, side ? &sx : NULL);
            else if (!side) {
                wz_diff_entry *e = NULL;
                const wz_node *vx = wz_node_kid(x->node, 0), *vy = wz_node_kid(y->node, 0);
                if (vx->kind == WZ_N_CLASSIFY && vy->kind == WZ_N_CLASSIFY) diff_cases(&e, D, "row value", name, x->span, y->span, vx, vy);
                else part(&e, D, "row value", name, x->span, y->span, "=", vx, vy);
            }
            g_free(name);
        }
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

static void diff_roles(wz_diff *D) {
    for (guint i = 0; i < D->a->roles->len; i++) {
        const wz_role *x = g_ptr_array_index(D->a->roles, i), *y = role_named(D->b, x->name);
        wz_span sa = x->span;
        if (!y) {
            add_entry(D, "role", x->name, "removed", D->a, &sa, NULL, NULL);
            continue;
        }
        wz_diff_entry *e = NULL;
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

static void render_text(GString *out, const wz_diff *D, const GPtrArray *through) {
    for (guint i = 0; i < D->entries->len; i++) {
        const wz_diff_entry *e = g_ptr_array_index(D->entries, i);
        char sign = !strcmp(e->change, "added") ? '+' : !strcmp(e->change, "removed") ? '-' : '~';
        g_string_append_printf(out, "%c %s %s", sign, e->kind, e->name);
        if (e->old_src && e->new_src) g_string_append_printf(out, "  (%s → %s)", e->old_src, e->new_src);
        else if (e->old_src || e->new_src) g_string_append_printf(out, "  (%s)", e->old_src ? e->old_src : e->new_src);
        g_string_append_c(out, '\n');
        for (guint k = 0; k < e->details->len; k++) {
            const wz_diff_detail *d = g_ptr_array_index(e->details, k);
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

void wz_diff_json_field(GString *out, const char *key, const char *value, bool comma) {
    g_string_append_printf(out, "%s\"%s\":", comma ? "," : "", key);
    if (value) wz_json_string(out, value);
    else g_string_append(out, "null");
}

static void render_json(GString *out, const wz_diff *D, const GPtrArray *through) {
    g_string_append(out, "{\"changes\":[");
    for (guint i = 0; i < D->entries->len; i++) {
        const wz_diff_entry *e = g_ptr_array_index(D->entries, i);
        g_string_append(out, i ? ",{" : "{");
        wz_diff_json_field(out, "kind", e->kind, false);
        wz_diff_json_field(out, "name", e->name, true);
        wz_diff_json_field(out, "change", e->change, true);
        wz_diff_json_field(out, "old_source", e->old_src, true);
        wz_diff_json_field(out, "new_source", e->new_src, true);
        g_string_append(out, ",\"details\":[");
        for (guint k = 0; k < e->details->len; k++) {
            const wz_diff_detail *d = g_ptr_array_index(e->details, k);
            g_string_append(out, k ? ",{" : "{");
            wz_diff_json_field(out, "what", d->what, false);
            wz_diff_json_field(out, "before", d->before, true);
            wz_diff_json_field(out, "after", d->after, true);
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

/* "2019-09-01 to 2020-08-31", or NULL when the header gives no dates. */
static char *effective(const wz_policy *p) {
    if (!p->has_effective) return NULL;
    char a[11], b[11];
    wz_date_format(p->effective_from, a);
    wz_date_format(p->effective_to, b);
    return g_strdup_printf("%s to %s", a, b);
}

wz_diff *wz_diff_new(const wz_policy *old, const wz_policy *new_) {
    wz_diff *D = g_new0(wz_diff, 1);
    D->a = old;
    D->b = new_;
    D->entries = g_ptr_array_new_with_free_func(entry_free);
    D->through = g_ptr_array_new();
    guint8 *changed = g_new0(guint8, new_->defs->len + 1);
    wz_diff_entry *head = NULL;
    text_part(&head, D, "policy", "header", (wz_span){old->src, 0, 0}, (wz_span){new_->src, 0, 0}, "name", old->title, new_->title);
    text_part(&head, D, "policy", "header", (wz_span){old->src, 0, 0}, (wz_span){new_->src, 0, 0}, "version", old->version, new_->version);
    char *ea = effective(old), *eb = effective(new_);
    text_part(&head, D, "policy", "header", (wz_span){old->src, 0, 0}, (wz_span){new_->src, 0, 0}, "effective", ea, eb);
    g_free(ea);
    g_free(eb);
    diff_params(D);
    diff_facts(D);
    diff_defs(D, changed);
    diff_ladders(D);
    diff_pool(D);
    diff_tables(D);
    diff_row_values(D);
    diff_roles(D);
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
    for (guint d = 0; d < new_->defs->len; d++) {
        const wz_def *def = g_ptr_array_index(new_->defs, d);
        if (affected[d] && !changed[d] && compared_kind(def->kind)) g_ptr_array_add(D->through, def->name);
    }
    g_free(changed);
    g_free(affected);
    return D;
}

void wz_diff_free(wz_diff *D) {
    if (!D) return;
    g_ptr_array_free(D->entries, TRUE);
    g_ptr_array_free(D->through, TRUE);
    g_free(D);
}

guint wz_diff_count(const wz_diff *D) { return D->entries->len; }

const char *wz_diff_title(const wz_diff *D, guint k) { return ((const wz_diff_entry *)g_ptr_array_index(D->entries, k))->title; }

void wz_diff_render(const wz_diff *D, bool json, GString *out) {
    if (json) render_json(out, D, D->through);
    else render_text(out, D, D->through);
}

guint wz_diff_policies(const wz_policy *old, const wz_policy *new_, bool json, GString *out) {
    wz_diff *D = wz_diff_new(old, new_);
    wz_diff_render(D, json, out);
    guint n = wz_diff_count(D);
    wz_diff_free(D);
    return n;
}
