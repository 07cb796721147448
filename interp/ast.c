/* ast.c — construction, destruction and printing of policy syntax trees. */
#include "ast.h"

static const char *const node_kind_names[] = {
#define WZ_X(kind, str) str,
    WZ_NODE_KINDS(WZ_X)
#undef WZ_X
};

wz_node *wz_node_new(wz_node_kind kind, wz_span span) {
    wz_node *n = g_new0(wz_node, 1);
    n->kind = kind;
    n->depth = 1;
    n->span = span;
    n->num = WZ_DEC_ZERO;
    n->ref_kind = -1;
    n->ref_index = -1;
    n->ref_index2 = -1;
    return n;
}

void wz_node_add(wz_node *parent, wz_node *kid) {
    if (!parent->kids) parent->kids = g_ptr_array_new();
    g_ptr_array_add(parent->kids, kid);
    if (kid && kid->depth >= parent->depth) parent->depth = kid->depth + 1;
}

wz_node *wz_node_kid(const wz_node *n, guint i) {
    if (!n || !n->kids || i >= n->kids->len) return NULL;
    return g_ptr_array_index(n->kids, i);
}

guint wz_node_nkids(const wz_node *n) { return n && n->kids ? n->kids->len : 0; }

static void node_free_one(wz_node *n) {
    if (n->kids) g_ptr_array_free(n->kids, TRUE);
    g_free(n->name);
    g_free(n->text);
    g_free(n->label);
    g_free(n->owner);
    g_free(n);
}

/* With an explicit stack: a left-associative chain of 50 000 terms is 50 000 levels deep,
 * and the parser frees what it built even when the tree is too deep to check. */
void wz_node_free(wz_node *n) {
    if (!n) return;
    GPtrArray *stack = g_ptr_array_new();
    g_ptr_array_add(stack, n);
    while (stack->len) {
        wz_node *t = g_ptr_array_steal_index_fast(stack, stack->len - 1);
        for (guint i = 0; t->kids && i < t->kids->len; i++)
            if (g_ptr_array_index(t->kids, i)) g_ptr_array_add(stack, g_ptr_array_index(t->kids, i));
        node_free_one(t);
    }
    g_ptr_array_free(stack, TRUE);
}

static bool is_expression(const wz_node *n) { return n->kind >= WZ_N_NUMBER && n->kind <= WZ_N_COALESCE; }

const wz_node *wz_node_too_deep(const wz_node *root, guint limit) {
    typedef struct { const wz_node *n, *top; guint depth; } entry;
    if (!root) return NULL;
    GArray *stack = g_array_new(FALSE, FALSE, sizeof(entry));
    entry e0 = {root, is_expression(root) ? root : NULL, 1};
    g_array_append_val(stack, e0);
    const wz_node *found = NULL;
    while (stack->len && !found) {
        entry e = g_array_index(stack, entry, stack->len - 1);
        g_array_set_size(stack, stack->len - 1);
        if (e.depth > limit) {
            found = e.top ? e.top : e.n;
            break;
        }
        for (guint i = 0; e.n->kids && i < e.n->kids->len; i++) {
            const wz_node *k = g_ptr_array_index(e.n->kids, i);
            if (!k) continue;
            entry ke = {k, e.top ? e.top : is_expression(k) ? k : NULL, e.depth + 1};
            g_array_append_val(stack, ke);
        }
    }
    g_array_free(stack, TRUE);
    return found;
}

const char *wz_node_kind_name(wz_node_kind kind) {
    return kind < WZ_N__COUNT ? node_kind_names[kind] : "?";
}

const char *wz_op_name(int op) {
    static const char *const names[] = {"+", "-", "*", "/", "neg", "==", "!=", "<", "<=", ">", ">=",
                                        "and", "or", "not"};
    return op >= 0 && op < (int)G_N_ELEMENTS(names) ? names[op] : "?";
}

const char *wz_type_name(wz_type_kind t) {
    switch (t) {
    case WZ_T_NUMBER: return "number";
    case WZ_T_INT: return "int";
    case WZ_T_BOOL: return "bool";
    case WZ_T_DATE: return "date";
    case WZ_T_TEXT: return "text";
    case WZ_T_ENUM: return "enum";
    case WZ_T_PERSON: return "person";
    case WZ_T_ENTITY: return "entity";
    case WZ_T_LABEL: return "label";
    default: return "unknown";
    }
}

static void print_quoted(GString *out, const char *s) {
    g_string_append_c(out, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') g_string_append_c(out, '\\');
        if (*s == '\n') { g_string_append(out, "\\n"); continue; }
        g_string_append_c(out, *s);
    }
    g_string_append_c(out, '"');
}

/* A call's name as the language's tables spell it in English: 合计 is sum. */
static const char *canonical_name(const wz_node *n) {
    if (n->kind == WZ_N_AGG) {
        int a = wz_agg_find(n->name);
        if (a >= 0) return wz_aggs[a].name;
    }
    if (n->kind == WZ_N_CALL || n->kind == WZ_N_AGG) {
        wz_builtin b = wz_builtin_find(n->name);
        if (b != WZ_B_NONE) return wz_builtins[b].name;
    }
    return n->name;
}

static void print_node(GString *out, const wz_node *n, int indent, bool canonical) {
    for (int i = 0; i < indent; i++) g_string_append(out, "  ");
    if (!n) { g_string_append(out, "-\n"); return; }
    g_string_append_printf(out, "(%s", wz_node_kind_name(n->kind));
    if (n->name) g_string_append_printf(out, " %s", canonical ? canonical_name(n) : n->name);
    if (n->text) { g_string_append_c(out, ' '); print_quoted(out, n->text); }
    if (n->label) g_string_append_printf(out, " :%s", n->label);
    if (n->owner) g_string_append_printf(out, " :for %s", n->owner);
    switch (n->kind) {
    case WZ_N_TABLE_ROW:
        if (n->ival) {
            g_string_append(out, " otherwise");
            break;
        }
        if (n->text) break;   /* a text key, printed above */
        if (n->op) g_string_append(out, " within");
        G_GNUC_FALLTHROUGH;   /* a key row prints its key like a number */
    case WZ_N_NUMBER: {
        char *s = wz_dec_to_fraction_string(n->num);
        g_string_append_printf(out, " %s%s", s, n->kind == WZ_N_NUMBER && n->ival ? " (percent)" : "");
        g_free(s);
        break;
    }
    case WZ_N_DATE: {
        char buf[11];
        wz_date_format(n->date, buf);
        g_string_append_printf(out, " %s", buf);
        break;
    }
    case WZ_N_UNARY: case WZ_N_BINARY:
        g_string_append_printf(out, " %s", wz_op_name(n->op));
        break;
    case WZ_N_WINDOWED:
        g_string_append_printf(out, " %s", n->op == WZ_Q_ANY ? "any" : n->op == WZ_Q_ALL ? "all" : "each");
        break;
    case WZ_N_SHARE:   /* nothing printed when nothing is said, so older trees print as before */
        if (n->ival) g_string_append(out, n->ival == WZ_ZERO_EXCLUDE ? " zero exclude" : " zero counts");
        break;
    case WZ_N_BOOL: case WZ_N_FACT: case WZ_N_RULE: case WZ_N_EFFECT: case WZ_N_SANCTION:
    case WZ_N_DISTRIBUTE: case WZ_N_DUTY: case WZ_N_AGG: case WZ_N_TYPE: case WZ_N_DISPLAY: case WZ_N_FIELD:
    case WZ_N_TABLE:
        g_string_append_printf(out, " %" G_GINT64_FORMAT, n->ival);
        break;
    default:
        break;
    }
    if (!wz_node_nkids(n)) { g_string_append(out, ")\n"); return; }
    g_string_append_c(out, '\n');
    for (guint i = 0; i < n->kids->len; i++) print_node(out, g_ptr_array_index(n->kids, i), indent + 1, canonical);
    for (int i = 0; i < indent; i++) g_string_append(out, "  ");
    g_string_append(out, ")\n");
}

void wz_ast_print(GString *out, const wz_node *n, int indent) { print_node(out, n, indent, false); }

void wz_ast_print_canonical(GString *out, const wz_node *n) { print_node(out, n, 0, true); }
