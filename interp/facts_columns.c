/* facts_columns.c — columnar storage of the loaded facts.
 *
 * One array per field (int64 for every type but DECIMAL), a missing-cell
 * bitmap allocated on the first missing cell, and text interned once into
 * the wz_facts string chunk (id 0 is always "").  Here are the columns'
 * life cycle and public accessors, interning, sizing a table's columns for
 * one file, and freeing a wz_facts.  Setting a cell missing or not, which
 * the cell parser does for every cell, is inline in facts_internal.h.
 */
#include "facts_internal.h"

#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

void *wz_facts_alloc_big(size_t bytes)
{
    void *p = g_malloc(bytes);
#if defined(MADV_HUGEPAGE)
    /* Only the whole pages inside the block; the kernel may say no (THP
     * off), which changes nothing but the speed. */
    if (bytes >= ((size_t)4 << 20)) {
        uintptr_t a = ((uintptr_t)p + 4095) & ~(uintptr_t)4095, e = ((uintptr_t)p + bytes) & ~(uintptr_t)4095;
        if (e > a)
            (void)madvise((void *)a, e - a, MADV_HUGEPAGE);
    }
#endif
    return p;
}

/* struct wz_column is in facts_internal.h. */

static wz_column *column_new(const wz_field_schema *f, uint32_t cap)
{
    wz_column *c = g_new0(wz_column, 1);
    c->type = f->type;
    c->narrow = column_narrow(f);
    if (cap > 0) {
        if (f->type == WZ_FT_DECIMAL)
            c->decs = wz_facts_alloc_big(sizeof(wz_dec) * cap);
        else if (c->narrow)
            c->i32 = wz_facts_alloc_big(sizeof(int32_t) * cap);
        else
            c->ints = wz_facts_alloc_big(sizeof(int64_t) * cap);
    }
    return c;
}

static void column_free(wz_column *c)
{
    if (c == NULL)
        return;
    g_free(c->ints);
    g_free(c->i32);
    g_free(c->decs);
    g_free(c->missing);
    g_free(c);
}

bool wz_column_is_missing(const wz_column *c, uint32_t row)
{
    if (c == NULL || row >= c->n)
        return true;
    return c->missing && (c->missing[row >> 3] >> (row & 7)) & 1;
}

int64_t wz_column_int(const wz_column *c, uint32_t row)
{
    if (c == NULL || row >= c->n)
        return 0;
    if (c->type == WZ_FT_DECIMAL) {
        int64_t v;
        return wz_dec_to_int64(c->decs[row], &v) ? v : 0;
    }
    return column_get(c, row);
}

const int64_t *wz_column_ints(const wz_column *c)
{
    return c && c->type != WZ_FT_DECIMAL && !c->narrow ? c->ints : NULL;
}

const int32_t *wz_column_i32(const wz_column *c)
{
    return c && c->narrow ? c->i32 : NULL;
}

bool wz_column_has_missing(const wz_column *c)
{
    return c && c->missing != NULL;
}

wz_dec wz_column_dec(const wz_column *c, uint32_t row)
{
    if (c == NULL || row >= c->n)
        return WZ_DEC_ZERO;
    if (c->type == WZ_FT_DECIMAL)
        return c->decs[row];
    return wz_dec_from_int(column_get(c, row));
}

const char *wz_facts_string(const wz_facts *f, uint32_t id)
{
    if (f == NULL || id >= f->strings->len)
        return "";
    return g_ptr_array_index(f->strings, id);
}

const char *wz_facts_person_id(const wz_facts *f, uint32_t p)
{
    if (f == NULL || p >= f->npersons)
        return NULL;
    if (f->population < 0)
        return f->keys ? f->keys[p] : NULL;
    const wz_fact_table *t = g_ptr_array_index(f->tables, f->population);
    int key = t->schema->key_field;
    if (p >= t->nrows || key < 0)
        return NULL;
    return wz_facts_string(f, (uint32_t)wz_column_int(t->columns[key], p));
}

int wz_facts_table_index(const wz_facts *f, const char *name)
{
    if (f == NULL || name == NULL)
        return -1;
    for (guint i = 0; i < f->tables->len; i++) {
        const wz_fact_table *t = g_ptr_array_index(f->tables, i);
        if (strcmp(t->schema->name, name) == 0)
            return (int)i;
    }
    return -1;
}

void wz_facts_table_free(gpointer p)
{
    wz_fact_table *t = p;
    if (t->columns) {
        for (guint i = 0; i < t->schema->fields->len; i++)
            column_free(t->columns[i]);
        g_free(t->columns);
    }
    g_free(t->file);
    g_free(t->sheet);
    if (t->ignored_columns)
        g_ptr_array_unref(t->ignored_columns);
    g_free(t->line);
    g_free(t->by_person_start);
    g_free(t);
}

void wz_facts_release_rows(wz_facts *f)
{
    for (guint ti = 0; ti < f->tables->len; ti++) {
        wz_fact_table *t = g_ptr_array_index(f->tables, ti);
        if ((int)ti == f->population || t->columns == NULL)
            continue;
        for (guint i = 0; i < t->schema->fields->len; i++)
            column_free(t->columns[i]);
        g_clear_pointer(&t->columns, g_free);
        g_clear_pointer(&t->line, g_free);
        g_clear_pointer(&t->by_person_start, g_free);
        t->nrows = 0;
    }
}

void wz_facts_free(wz_facts *f)
{
    if (f == NULL)
        return;
    g_ptr_array_unref(f->tables);
    g_ptr_array_unref(f->strings);
    g_hash_table_unref(f->string_ids);
    g_string_chunk_free(f->chunk);
    g_free(f->dir);
    g_free(f->keys);
    g_free(f);
}

uint32_t wz_facts_intern(fx_loader *L, const char *p, size_t len)
{
    wz_facts *f = L->f;
    gpointer v = g_hash_table_lookup(f->string_ids, tmp_text(L, p, len));
    if (v)
        return GPOINTER_TO_UINT(v) - 1;
    char *s = g_string_chunk_insert_len(f->chunk, p, (gssize)len);
    uint32_t id = f->strings->len;
    g_ptr_array_add(f->strings, s);
    g_hash_table_insert(f->string_ids, s, GUINT_TO_POINTER(id + 1));
    return id;
}

void wz_facts_alloc_columns(fx_table *T, uint32_t cap)
{
    fx_loader *L = T->L;
    wz_fact_table *t = T->t;
    T->cap = cap;
    for (guint fi = 0; fi < T->nfields; fi++) {
        const wz_field_schema *f = g_ptr_array_index(T->s->fields, fi);
        t->columns[fi] = column_new(f, cap);
    }
    t->line = cap ? wz_facts_alloc_big(sizeof(uint32_t) * cap) : NULL;
    if (T->person_col >= 0 && L->persons_known && !L->discover)
        T->first_line = g_new0(uint32_t, (gsize)L->f->npersons + 1);
    if (T->s->is_population && T->key_col >= 0)
        T->keys = g_hash_table_new(g_direct_hash, g_direct_equal);
}
