/* policy.c — a checked policy's life: new and free, and loading one from text
 * or a file (parse, imports, check).  The checking itself is check*.c.
 */
#include "check_internal.h"

#include <string.h>

#include "module.h"
#include "parse.h"
#include "readfile.h"

static void kind_free(gpointer p) {
    wz_entity_kind *k = p;
    g_free(k->name);
    g_free(k->label);
    g_free(k);
}

static void row_value_free(gpointer p) {
    wz_row_value *v = p;
    g_free(v->name);
    g_array_free(v->deps, TRUE);
    if (v->members) g_ptr_array_free(v->members, TRUE);
    g_free(v);
}

static void def_free(gpointer p) {
    wz_def *d = p;
    g_free(d->name);
    g_free(d->text);
    if (d->members) g_ptr_array_free(d->members, TRUE);
    if (d->member_spans) g_array_free(d->member_spans, TRUE);
    if (d->blame) {
        g_array_free(d->blame->items, TRUE);
        g_free(d->blame);
    }
    g_array_free(d->deps, TRUE);
    g_array_free(d->keys, TRUE);
    g_free(d);
}
static void param_free(gpointer p) {
    wz_param_decl *d = p;
    g_free(d->name);
    g_free(d->default_text);
    g_free(d);
}
static void window_free(gpointer p) {
    wz_window_group *w = p;
    g_free(w->name);
    if (w->split_spans) g_array_free(w->split_spans, TRUE);
    g_free(w);
}
static void table_free(gpointer p) {
    wz_table *t = p;
    g_free(t->name);
    g_free(t->values);
    g_free(t->diffs);
    g_free(t->bands);
    g_free(t->value_exprs);
    if (t->text_keys) g_ptr_array_free(t->text_keys, TRUE);
    g_free(t);
}
static void ladder_free(gpointer p) {
    wz_ladder *l = p;
    g_free(l->name);
    for (guint t = 0; t < l->ntiers; t++) {
        g_free(l->tiers[t].name);
        g_free(l->tiers[t].text);
    }
    g_free(l->tiers);
    g_free(l);
}
static void role_free(gpointer p) {
    wz_role *r = p;
    g_free(r->name);
    g_free(r->text);
    for (guint i = 0; i < r->duties->len; i++) g_free(g_array_index(r->duties, wz_duty, i).text);
    g_array_free(r->duties, TRUE);
    g_free(r);
}
static void decide_free(gpointer p) {
    wz_decide *d = p;
    g_strfreev(d->names);
    for (guint i = 0; i < d->n; i++) g_free(d->texts[i]);
    g_free(d->texts);
    g_free(d->over);
    g_free(d);
}
static void distribute_free(gpointer data) {
    wz_distribute *d = data;
    if (!d) return;
    g_free(d->name);
    g_free(d->text);
    if (d->shares) g_array_free(d->shares, TRUE);
    g_free(d);
}

/* A new, empty policy over ast and src, owning both (as wz_check() says);
 * free it with wz_policy_free(). */
wz_policy *check_policy_new(wz_node *ast, wz_source *src) {
    wz_policy *p = g_new0(wz_policy, 1);
    p->src = src;
    p->ast = ast;
    p->display_places = 4;
    p->params = g_ptr_array_new_with_free_func(param_free);
    p->facts = g_ptr_array_new_with_free_func((GDestroyNotify)wz_fact_schema_free);
    p->fact_nodes = g_ptr_array_new();
    p->population = -1;
    p->windows = g_ptr_array_new_with_free_func(window_free);
    p->ladders = g_ptr_array_new_with_free_func(ladder_free);
    p->defs = g_ptr_array_new_with_free_func(def_free);
    p->order = g_array_new(FALSE, FALSE, sizeof(int));
    p->sections = g_array_new(FALSE, FALSE, sizeof(int));
    p->total_def = -1;
    p->grade_def = -1;
    p->basis_def = -1;
    p->stipend_def = -1;
    p->parts = g_ptr_array_new_with_free_func(distribute_free);
    p->roles = g_ptr_array_new_with_free_func(role_free);
    p->decides = g_ptr_array_new_with_free_func(decide_free);
    p->holders = -1;
    p->holders_unit_field = g_array_new(FALSE, FALSE, sizeof(int));
    p->tables = g_ptr_array_new_with_free_func(table_free);
    p->kinds = g_ptr_array_new_with_free_func(kind_free);
    p->awards = g_array_new(FALSE, FALSE, sizeof(int));
    p->kept = g_array_new(FALSE, FALSE, sizeof(int));
    p->row_values = g_ptr_array_new_with_free_func(row_value_free);
    return p;
}

void wz_policy_free(wz_policy *p) {
    if (!p) return;
    g_ptr_array_free(p->tables, TRUE);
    g_ptr_array_free(p->defs, TRUE);
    g_ptr_array_free(p->kinds, TRUE);
    wz_node_free(p->role_type);
    g_array_free(p->holders_unit_field, TRUE);
    g_array_free(p->awards, TRUE);
    g_array_free(p->kept, TRUE);
    g_ptr_array_free(p->row_values, TRUE);
    g_ptr_array_free(p->params, TRUE);
    g_ptr_array_free(p->facts, TRUE);
    g_ptr_array_free(p->fact_nodes, TRUE);
    g_ptr_array_free(p->windows, TRUE);
    g_ptr_array_free(p->ladders, TRUE);
    g_ptr_array_free(p->roles, TRUE);
    g_ptr_array_free(p->decides, TRUE);
    g_ptr_array_free(p->parts, TRUE);   /* p->distribute is parts[0] */
    g_array_free(p->order, TRUE);
    g_array_free(p->sections, TRUE);
    g_free(p->title);
    g_free(p->version);
    wz_node_free(p->ast);
    wz_source_free(p->src);
    if (p->imported) g_ptr_array_free(p->imported, TRUE);
    g_free(p);
}

int wz_policy_find_def(const wz_policy *p, const char *name) {
    for (guint i = 0; i < p->defs->len; i++)
        if (!strcmp(((wz_def *)g_ptr_array_index(p->defs, i))->name, name)) return (int)i;
    return -1;
}

int wz_policy_find_fact(const wz_policy *p, const char *name) {
    for (guint f = 0; f < p->facts->len; f++)
        if (!strcmp(((const wz_fact_schema *)g_ptr_array_index(p->facts, f))->name, name)) return (int)f;
    return -1;
}

wz_policy *wz_policy_load_text(const char *name, const char *text, size_t len, wz_diags *diags) {
    wz_source *src = wz_source_new(name, text, len);
    if (!g_utf8_validate(src->text, (gssize)src->len, NULL)) {
        const char *end = NULL;
        g_utf8_validate(src->text, (gssize)src->len, &end);
        wz_diag_at(diags, WZ_SEV_ERROR, wz_span_of(src, (uint32_t)(end - src->text), (uint32_t)(end - src->text) + 1),
                   "the policy is not valid UTF-8 here; save it as UTF-8");
        wz_diags_adopt_source(diags, src);
        return NULL;
    }
    wz_node *ast = wz_parse(src, diags);
    if (!ast) {
        wz_diags_adopt_source(diags, src);
        return NULL;
    }
    GPtrArray *imported = g_ptr_array_new();
    wz_policy *p = NULL;
    if (wz_resolve_imports(ast, src, imported, diags)) {
        p = wz_check(ast, src, diags);
    } else {
        wz_node_free(ast);
        wz_diags_adopt_source(diags, src);
    }
    if (p) {
        g_ptr_array_set_free_func(imported, (GDestroyNotify)wz_source_free);
        p->imported = imported;
    } else {   /* the messages may point into the imported files: the diagnostics keep them */
        for (guint i = 0; i < imported->len; i++) wz_diags_adopt_source(diags, g_ptr_array_index(imported, i));
        g_ptr_array_free(imported, TRUE);
    }
    return p;
}

wz_policy *wz_policy_load(const char *path, wz_diags *diags) {
    char *text = NULL;
    gsize len = 0;
    GError *err = NULL;
    if (!wz_file_get_contents(path, &text, &len, &err)) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, path, "cannot read the policy: %s", err->message);
        g_error_free(err);
        return NULL;
    }
    wz_policy *p = wz_policy_load_text(path, text, len, diags);
    g_free(text);
    return p;
}
