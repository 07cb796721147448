/* test_util.h — helpers shared by the cmocka unit tests (header-only).
 * Include after <cmocka.h>. */
#ifndef WZ_TEST_UTIL_H
#define WZ_TEST_UTIL_H

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "diag.h"

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
