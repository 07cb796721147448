/* module.c — resolving `import` items (see module.h). */
#include "module.h"

#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "readfile.h"

/* Generated from the stdlib .wz files at build time (scripts/embed_stdlib.cmake). */
extern const struct wz_stdlib_file {
    const char *name;
    const char *text;
} wz_stdlib_files[];

const char *wz_stdlib_text(const char *name) {
    for (const struct wz_stdlib_file *f = wz_stdlib_files; f->name; f++) {
        size_t n = strlen(name);
        if (!strcmp(f->name, name) || (strlen(f->name) == n + 3 && !strncmp(f->name, name, n) && !strcmp(f->name + n, ".wz")))
            return f->text;
    }
    return NULL;
}

static char *stdlib_list(void) {
    GString *g = g_string_new(NULL);
    for (const struct wz_stdlib_file *f = wz_stdlib_files; f->name; f++) {
        g_string_append_printf(g, "%s%.*s", g->len ? ", " : "", (int)(strlen(f->name) - 3), f->name);
    }
    return g_string_free(g, FALSE);
}

typedef struct resolver {
    GPtrArray *sources;
    GPtrArray *stack;     /* char*: keys of the files being imported, outermost first */
    GHashTable *done;     /* keys already spliced in */
    wz_diags *diags;
    bool ok;
    bool tests;           /* the outermost file is a policy test: it imports the policy, header and all */
    char *root;           /* the outermost file's directory, links resolved: imports stay under it */
} resolver;

static void splice(resolver *R, wz_node *root, const wz_source *src);

/* Reads the file an import names; *key identifies it, *shown is what messages call it. */
static char *read_import(resolver *R, const wz_node *imp, const wz_source *from, char **key, char **shown, size_t *len) {
    const char *name = imp->text;
    const char *text = strchr(name, '/') || g_str_has_suffix(name, ".wz") ? NULL : wz_stdlib_text(name);
    if (text) {
        *key = g_strdup_printf("<stdlib>/%s.wz", name);
        *shown = g_strdup(*key);
        *len = strlen(text);
        return g_strdup(text);
    }
    char *dir = g_path_get_dirname(from->name);
    char *path = g_path_is_absolute(name) ? g_strdup(name) : g_build_filename(dir, name, NULL);
    g_free(dir);
    /* Only .wz files under the outermost policy's own directory (links resolved): a policy
     * from elsewhere must not make wenze read, and echo in a syntax error, any file it can
     * reach ("../../../etc/passwd"). */
    char *real = realpath(path, NULL);
    bool inside = g_str_has_suffix(name, ".wz") && !g_path_is_absolute(name) &&
                  (!real || (g_str_has_prefix(real, R->root) && real[strlen(R->root)] == '/'));
    free(real);
    if (!inside && !strchr(name, '/') && !g_str_has_suffix(name, ".wz")) {
        char *list = stdlib_list();
        wz_diag_at(R->diags, WZ_SEV_ERROR, imp->span,
                   "cannot import \"%s\": no standard module of that name (they are: %s); a file is imported by "
                   "its .wz name", name, list);
        g_free(list);
        g_free(path);
        return NULL;
    }
    if (!inside) {
        char *list = stdlib_list();
        wz_diag_at(R->diags, WZ_SEV_ERROR, imp->span,
                   "cannot import \"%s\": an import names a .wz file under the policy's own directory (%s) "
                   "or a standard module (they are: %s)", name, R->root, list);
        g_free(list);
        g_free(path);
        return NULL;
    }
    char *contents = NULL;
    gsize n = 0;
    if (!wz_file_get_contents(path, &contents, &n, NULL)) {
        char *list = stdlib_list();
        wz_diag_at(R->diags, WZ_SEV_ERROR, imp->span,
                   "cannot import \"%s\": no file %s, and no standard module of that name (they are: %s)", name, path,
                   list);
        g_free(list);
        g_free(path);
        return NULL;
    }
    *key = path;
    *shown = g_strdup(path);
    *len = n;
    return contents;
}

static void import_one(resolver *R, wz_node *imp, const wz_source *from, GPtrArray *into) {
    char *key = NULL, *shown = NULL;
    size_t len = 0;
    char *text = read_import(R, imp, from, &key, &shown, &len);
    if (!text) {
        R->ok = false;
        return;
    }
    for (guint i = 0; i < R->stack->len; i++)
        if (!strcmp(g_ptr_array_index(R->stack, i), key)) {
            GString *chain = g_string_new(NULL);
            for (guint k = i; k < R->stack->len; k++) g_string_append_printf(chain, "%s → ", (char *)g_ptr_array_index(R->stack, k));
            g_string_append(chain, key);
            wz_diag_at(R->diags, WZ_SEV_ERROR, imp->span, "import cycle: %s", chain->str);
            g_string_free(chain, TRUE);
            R->ok = false;
            goto out;
        }
    if (g_hash_table_contains(R->done, key)) goto out;   /* already spliced in: once is enough */
    wz_source *isrc = wz_source_new(shown, text, len);
    g_ptr_array_add(R->sources, isrc);
    if (!g_utf8_validate(isrc->text, (gssize)isrc->len, NULL)) {
        wz_diag_at(R->diags, WZ_SEV_ERROR, imp->span, "\"%s\" is not valid UTF-8", shown);
        R->ok = false;
        goto out;
    }
    wz_node *iroot = wz_parse(isrc, R->diags);
    if (!iroot) {
        R->ok = false;
        goto out;
    }
    g_ptr_array_add(R->stack, g_strdup(key));
    splice(R, iroot, isrc);
    g_free(g_ptr_array_steal_index(R->stack, R->stack->len - 1));
    g_hash_table_add(R->done, g_strdup(key));
    for (guint i = 0; i < wz_node_nkids(iroot); i++) {
        wz_node *item = wz_node_kid(iroot, i);
        if (item->kind == WZ_N_HEADER && !R->tests) {
            wz_diag_at(R->diags, WZ_SEV_ERROR, item->span,
                       "an imported file is a library: it cannot have its own 'policy' header");
            R->ok = false;
            wz_node_free(item);
            continue;
        }
        g_ptr_array_add(into, item);
    }
    if (iroot->kids) g_ptr_array_set_size(iroot->kids, 0);
    wz_node_free(iroot);
out:
    g_free(text);
    g_free(key);
    g_free(shown);
}

/* Rebuilds root's items with every import replaced by what it brings, in place. */
static void splice(resolver *R, wz_node *root, const wz_source *src) {
    if (!root->kids) return;
    GPtrArray *items = g_ptr_array_new();
    for (guint i = 0; i < root->kids->len; i++) {
        wz_node *k = g_ptr_array_index(root->kids, i);
        if (!k || k->kind != WZ_N_IMPORT) {
            g_ptr_array_add(items, k);
            continue;
        }
        import_one(R, k, src, items);
        wz_node_free(k);
    }
    g_ptr_array_free(root->kids, TRUE);
    root->kids = items;
}

bool wz_resolve_imports(wz_node *root, const wz_source *src, GPtrArray *sources, wz_diags *diags) {
    resolver R = {.sources = sources, .stack = g_ptr_array_new_with_free_func(g_free),
                  .done = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL), .diags = diags, .ok = true};
    g_ptr_array_add(R.stack, g_strdup(src->name));
    char *dir = g_path_get_dirname(src->name);
    R.root = realpath(dir, NULL);
    if (!R.root) R.root = g_strdup(dir);   /* a policy given as text only: its name's directory */
    else {
        char *r = g_strdup(R.root);   /* realpath's malloc'd string, kept as a GLib one */
        free(R.root);
        R.root = r;
    }
    g_free(dir);
    if (!strcmp(R.root, "/")) R.root[0] = '\0';   /* "/" + "/x.wz": the prefix test needs no doubled slash */
    for (guint i = 0; i < wz_node_nkids(root); i++) R.tests |= wz_node_kid(root, i)->kind == WZ_N_TEST;
    splice(&R, root, src);
    g_ptr_array_free(R.stack, TRUE);
    g_hash_table_destroy(R.done);
    g_free(R.root);
    return R.ok;
}
