/* test_util.h — helpers shared by the cmocka unit tests (header-only).
 * Include after <cmocka.h>. */
#ifndef WZ_TEST_UTIL_H
#define WZ_TEST_UTIL_H

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "diag.h"
#include "facts.h"

/* The first line (up to '\n') of rendered diagnostic i; caller frees. */
static inline char *test_diag_line(const wz_diags *d, guint i)
{
    assert_true(i < d->items->len);
    char *r = wz_diag_render(g_ptr_array_index(d->items, i));
    char *nl = strchr(r, '\n');
    if (nl) *nl = '\0';
    return r;
}

/* Prints every diagnostic of d (for a test that expected none). */
static inline void test_print_diags(const wz_diags *d)
{
    for (guint i = 0; i < d->items->len; i++) {
        char *m = test_diag_line(d, i);
        print_error("%s\n", m);
        g_free(m);
    }
}

/* Asserts that two loads of the same facts hold the same: strings, tables, every
 * cell (decimals exactly), line numbers and the rows by person (two ways of
 * loading — threads, the fast CSV path — must not differ in anything). */
static inline void test_assert_same_facts(const wz_facts *a, const wz_facts *b)
{
    assert_int_equal(a->npersons, b->npersons);
    assert_int_equal(a->population, b->population);
    assert_int_equal(a->strings->len, b->strings->len);
    for (guint i = 0; i < a->strings->len; i++)
        assert_string_equal(wz_facts_string(a, i), wz_facts_string(b, i));
    assert_int_equal(a->tables->len, b->tables->len);
    for (guint ti = 0; ti < a->tables->len; ti++) {
        const wz_fact_table *ta = g_ptr_array_index(a->tables, ti), *tb = g_ptr_array_index(b->tables, ti);
        assert_string_equal(ta->file, tb->file);
        assert_string_equal(ta->sha256, tb->sha256);
        assert_int_equal(ta->present, tb->present);
        assert_int_equal(ta->nrows, tb->nrows);
        assert_int_equal(ta->rows_read, tb->rows_read);
        assert_int_equal(ta->rows_ignored, tb->rows_ignored);
        assert_int_equal(ta->rows_blank, tb->rows_blank);
        uint32_t n = ta->nrows;
        for (guint fi = 0; fi < ta->schema->fields->len; fi++) {
            const wz_field_schema *f = g_ptr_array_index(ta->schema->fields, fi);
            const wz_column *ca = ta->columns[fi], *cb = tb->columns[fi];
            for (uint32_t r = 0; r < n; r++) {
                if (wz_column_is_missing(ca, r) != wz_column_is_missing(cb, r))
                    fail_msg("table %u field %u row %u: missing differs", ti, fi, r);
                if (f->type == WZ_FT_DECIMAL) {
                    wz_dec va = wz_column_dec(ca, r), vb = wz_column_dec(cb, r);
                    if (va.num != vb.num || va.den != vb.den)
                        fail_msg("table %u field %u row %u: value differs", ti, fi, r);
                } else if (wz_column_int(ca, r) != wz_column_int(cb, r)) {
                    fail_msg("table %u field %u row %u: %lld != %lld", ti, fi, r,
                             (long long)wz_column_int(ca, r), (long long)wz_column_int(cb, r));
                }
            }
        }
        if (n > 0)
            assert_memory_equal(ta->line, tb->line, sizeof(uint32_t) * n);
        assert_true((ta->by_person_start == NULL) == (tb->by_person_start == NULL));
        if (ta->by_person_start) {
            assert_memory_equal(ta->by_person_start, tb->by_person_start, sizeof(uint32_t) * (a->npersons + 1));
        }
    }
}

/* Asserts that two lists hold the same diagnostics, rendered, in the same order
 * (two ways of loading the same facts must say the same things). */
static inline void test_assert_same_diags(const wz_diags *a, const wz_diags *b)
{
    assert_int_equal(a->errors, b->errors);
    assert_int_equal(a->dropped, b->dropped);
    assert_int_equal(a->items->len, b->items->len);
    for (guint i = 0; i < a->items->len; i++) {
        char *ra = wz_diag_render(g_ptr_array_index(a->items, i));
        char *rb = wz_diag_render(g_ptr_array_index(b->items, i));
        assert_string_equal(ra, rb);
        g_free(ra);
        g_free(rb);
    }
}

/* Removes dir and everything in it (a test's scratch directory). */
static inline void test_remove_tree(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d)) != NULL) {
        char *path = g_build_filename(dir, name, NULL);
        if (g_file_test(path, G_FILE_TEST_IS_DIR)) test_remove_tree(path);
        else g_remove(path);
        g_free(path);
    }
    if (d) g_dir_close(d);
    g_rmdir(dir);
}

/* Writes len bytes of data as dir/name. */
static inline void test_put_file(const char *dir, const char *name, const char *data, size_t len)
{
    char *path = g_build_filename(dir, name, NULL);
    assert_true(g_file_set_contents(path, data, (gssize)len, NULL));
    g_free(path);
}

#endif
