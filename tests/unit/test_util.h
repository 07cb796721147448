/* test_util.h — helpers shared by the cmocka unit tests (header-only).
 * Include after <cmocka.h>. */
#ifndef WZ_TEST_UTIL_H
#define WZ_TEST_UTIL_H

#include <glib.h>
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

#endif
