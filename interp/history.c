/* history.c — reading earlier runs' kept.csv files (see history.h). */
#include "history.h"

#include <string.h>

#include "facts.h"

static void period_free(gpointer data) {
    wz_history_period *p = data;
    g_free(p->name);
    g_free(p->file);
    if (p->cells) g_hash_table_destroy(p->cells);
    if (p->names) g_hash_table_destroy(p->names);
    if (p->chunk) g_string_chunk_free(p->chunk);
    g_free(p);
}

static gint by_name(gconstpointer a, gconstpointer b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* kept.csv is read with the facts loader, so its rows get the same checks
 * and FILE:ROW:COL messages as any fact. */
static bool load_period(wz_history_period *p, const char *dir, wz_diags *diags) {
    wz_fact_schema *s = wz_fact_schema_new("kept");
    const char *cols[] = {"kind", "entity", "name", "value"};
    for (guint i = 0; i < G_N_ELEMENTS(cols); i++) wz_fact_schema_add_field(s, cols[i], WZ_FT_TEXT);
    ((wz_field_schema *)g_ptr_array_index(s->fields, 3))->optional = true;
    s->file_required = true;
    GPtrArray *schemas = g_ptr_array_new();
    g_ptr_array_add(schemas, s);
    wz_period_filter none = {0};
    wz_facts *f = wz_facts_load(schemas, dir, none, diags);
    bool ok = f != NULL;
    if (ok) {
        const wz_fact_table *t = g_ptr_array_index(f->tables, 0);
        p->file = g_strdup(t->file);
        memcpy(p->sha256, t->sha256, sizeof p->sha256);
        p->cells = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
        p->names = g_hash_table_new(g_str_hash, g_str_equal);
        p->chunk = g_string_chunk_new(4096);
        GString *key = g_string_new(NULL);
        for (uint32_t r = 0; r < t->nrows && ok; r++) {
            const char *kind = wz_facts_string(f, (uint32_t)wz_column_int(t->columns[0], r));
            const char *entity = wz_facts_string(f, (uint32_t)wz_column_int(t->columns[1], r));
            const char *name = wz_facts_string(f, (uint32_t)wz_column_int(t->columns[2], r));
            const char *value = wz_facts_string(f, (uint32_t)wz_column_int(t->columns[3], r));
            g_string_printf(key, "%s\037%s\037%s", kind, entity, name);
            if (g_hash_table_contains(p->cells, key->str)) {
                wz_diag_fact(diags, WZ_SEV_ERROR, t->file, t->line[r], 2, "%s %s's '%s' is listed twice", kind, entity, name);
                ok = false;
                break;
            }
            wz_kept_cell *c = g_new(wz_kept_cell, 1);
            c->value = g_string_chunk_insert_const(p->chunk, value);
            c->row = t->line[r];
            g_hash_table_insert(p->cells, g_string_chunk_insert_const(p->chunk, key->str), c);
            g_string_printf(key, "%s\037%s", kind, name);
            g_hash_table_add(p->names, g_string_chunk_insert_const(p->chunk, key->str));
        }
        g_string_free(key, TRUE);
    }
    wz_facts_free(f);
    g_ptr_array_free(schemas, TRUE);
    wz_fact_schema_free(s);
    return ok;
}

wz_history *wz_history_load(const char *dir, wz_diags *diags) {
    GError *err = NULL;
    GDir *d = g_dir_open(dir, 0, &err);
    if (!d) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, dir, "cannot read the history directory: %s", err->message);
        g_error_free(err);
        return NULL;
    }
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *entry;
    while ((entry = g_dir_read_name(d)) != NULL) {
        char *path = g_build_filename(dir, entry, NULL);
        if (entry[0] != '.' && g_file_test(path, G_FILE_TEST_IS_DIR)) g_ptr_array_add(names, g_strdup(entry));
        g_free(path);
    }
    g_dir_close(d);
    g_ptr_array_sort(names, by_name);   /* the periods' order: their names, oldest first */
    wz_history *h = g_new0(wz_history, 1);
    h->dir = g_strdup(dir);
    h->periods = g_ptr_array_new_with_free_func(period_free);
    bool ok = true;
    for (guint i = 0; i < names->len; i++) {
        wz_history_period *p = g_new0(wz_history_period, 1);
        p->name = g_strdup(g_ptr_array_index(names, i));
        g_ptr_array_add(h->periods, p);
        char *pdir = g_build_filename(dir, p->name, NULL);
        ok &= load_period(p, pdir, diags);
        g_free(pdir);
    }
    g_ptr_array_free(names, TRUE);
    if (!ok) {
        wz_history_free(h);
        return NULL;
    }
    return h;
}

void wz_history_free(wz_history *h) {
    if (!h) return;
    g_free(h->dir);
    g_ptr_array_free(h->periods, TRUE);
    g_free(h);
}

const wz_kept_cell *wz_history_cell(const wz_history_period *p, const char *kind, const char *entity, const char *name) {
    char *key = g_strdup_printf("%s\037%s\037%s", kind, entity, name);
    const wz_kept_cell *c = g_hash_table_lookup(p->cells, key);
    g_free(key);
    return c;
}

gboolean wz_history_has(const wz_history_period *p, const char *kind, const char *name) {
    char *key = g_strdup_printf("%s\037%s", kind, name);
    gboolean has = g_hash_table_contains(p->names, key);
    g_free(key);
    return has;
}
