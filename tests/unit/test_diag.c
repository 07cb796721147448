/* test_diag.c — positions in sources, and how diagnostics are rendered. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "diag.h"

static wz_source *src_of(const char *text)
{
    return wz_source_new("p.wz", text, strlen(text));
}

static void assert_render(const wz_diag *d, const char *expected)
{
    char *got = wz_diag_render(d);
    assert_string_equal(got, expected);
    g_free(got);
}

static wz_diag *item(wz_diags *d, guint i)
{
    assert_true(i < d->items->len);
    return g_ptr_array_index(d->items, i);
}

static void test_source_copies_and_lines(void **state)
{
    (void)state;
    char buf[] = "one\ntwo\n";
    wz_source *s = wz_source_new("x.wz", buf, strlen(buf));
    buf[0] = 'X'; /* the source holds its own copy */
    assert_string_equal(s->text, "one\ntwo\n");
    assert_int_equal(s->len, 8);
    assert_int_equal(s->line_starts->len, 3);
    assert_int_equal(g_array_index(s->line_starts, guint32, 1), 4);
    assert_int_equal(g_array_index(s->line_starts, guint32, 2), 8);
    wz_source_free(s);
}

static void test_position_ascii(void **state)
{
    (void)state;
    wz_source *s = src_of("ab\ncd\n\nef");
    uint32_t line, col;
    wz_source_position(s, 0, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 1);
    wz_source_position(s, 2, &line, &col); /* the first '\n' */
    assert_int_equal(line, 1);
    assert_int_equal(col, 3);
    wz_source_position(s, 4, &line, &col); /* 'd' */
    assert_int_equal(line, 2);
    assert_int_equal(col, 2);
    wz_source_position(s, 6, &line, &col); /* the empty line */
    assert_int_equal(line, 3);
    assert_int_equal(col, 1);
    wz_source_position(s, 8, &line, &col); /* 'f' */
    assert_int_equal(line, 4);
    assert_int_equal(col, 2);
    wz_source_position(s, 1000, &line, &col); /* clamped to the end */
    assert_int_equal(line, 4);
    assert_int_equal(col, 3);
    wz_source_free(s);
}

static void test_position_cjk(void **state)
{
    (void)state;
    /* "中文 x": 中 and 文 are three bytes each, so 'x' is byte 7 of line 2. */
    wz_source *s = src_of("a\n中文 x\n");
    uint32_t line, col;
    wz_source_position(s, 2 + 3, &line, &col); /* 文 */
    assert_int_equal(line, 2);
    assert_int_equal(col, 2);
    wz_source_position(s, 2 + 7, &line, &col); /* x */
    assert_int_equal(line, 2);
    assert_int_equal(col, 4);
    wz_source_free(s);
}

static void test_source_line(void **state)
{
    (void)state;
    wz_source *s = src_of("first\r\nsecond\nthird");
    size_t len;
    const char *l = wz_source_line(s, 1, &len);
    assert_int_equal(len, 5); /* the '\r' of CRLF is not shown */
    assert_memory_equal(l, "first", 5);
    l = wz_source_line(s, 2, &len);
    assert_int_equal(len, 6);
    assert_memory_equal(l, "second", 6);
    l = wz_source_line(s, 3, &len);
    assert_int_equal(len, 5);
    assert_memory_equal(l, "third", 5);
    l = wz_source_line(s, 4, &len);
    assert_int_equal(len, 0);
    assert_non_null(l);
    l = wz_source_line(s, 0, &len);
    assert_int_equal(len, 0);
    wz_source_free(s);
}

static void test_render_policy_ascii(void **state)
{
    (void)state;
    wz_source *s = src_of("rule a = 1\nrule b = oops + 2\n");
    wz_diags *d = wz_diags_new(0);
    uint32_t start = 11 + 9; /* "oops" on line 2 */
    wz_diag_at(d, WZ_SEV_ERROR, (wz_span){s, start, start + 4}, "unknown name '%s'", "oops");
    assert_int_equal(item(d, 0)->line, 2);
    assert_int_equal(item(d, 0)->col, 10);
    assert_int_equal(item(d, 0)->kind, WZ_DIAG_POLICY);
    assert_render(item(d, 0), "p.wz:2:10: error: unknown name 'oops'\n"
                              "    2 | rule b = oops + 2\n"
                              "      |          ^~~~");
    wz_diags_free(d);
    wz_source_free(s);
}

static void test_render_policy_cjk(void **state)
{
    (void)state;
    /* 规 则 甲 are wide: the caret must move two columns for each. */
    const char *text = "# 注释\n规则 甲 = 坏值\n";
    wz_source *s = src_of(text);
    const char *bad = strstr(text, "坏值");
    uint32_t start = (uint32_t)(bad - text);
    wz_diags *d = wz_diags_new(0);
    wz_diag_at(d, WZ_SEV_WARNING, (wz_span){s, start, start + (uint32_t)strlen("坏值")}, "odd value");
    assert_int_equal(item(d, 0)->line, 2);
    assert_int_equal(item(d, 0)->col, 8);
    assert_render(item(d, 0), "p.wz:2:8: warning: odd value\n"
                              "    2 | 规则 甲 = 坏值\n"
                              "      |           ^~~~");
    wz_diags_free(d);
    wz_source_free(s);
}

static void test_render_policy_edges(void **state)
{
    (void)state;
    const char *text = "\tx = 1\nabc\n";
    wz_source *s = src_of(text);
    wz_diags *d = wz_diags_new(0);
    /* An empty span still gets a caret; a tab indents as a tab. */
    wz_diag_at(d, WZ_SEV_NOTE, (wz_span){s, 1, 1}, "here");
    /* A span running past its line is underlined to the end of the line. */
    wz_diag_at(d, WZ_SEV_ERROR, (wz_span){s, 5, 10}, "to the end");
    /* A span at the newline itself points just past the last character. */
    wz_diag_at(d, WZ_SEV_ERROR, (wz_span){s, 10, 11}, "after abc");
    assert_render(item(d, 0), "p.wz:1:2: note: here\n"
                              "    1 | \tx = 1\n"
                              "      | \t^");
    assert_render(item(d, 1), "p.wz:1:6: error: to the end\n"
                              "    1 | \tx = 1\n"
                              "      | \t    ^");
    assert_render(item(d, 2), "p.wz:2:4: error: after abc\n"
                              "    2 | abc\n"
                              "      |    ^");
    wz_diags_free(d);
    wz_source_free(s);
}

static void test_render_wide_gutter(void **state)
{
    (void)state;
    GString *t = g_string_new(NULL);
    for (int i = 1; i < 123456; i++)
        g_string_append_c(t, '\n');
    g_string_append(t, "bad");
    wz_source *s = wz_source_new("big.wz", t->str, t->len);
    wz_diags *d = wz_diags_new(0);
    wz_diag_at(d, WZ_SEV_ERROR, (wz_span){s, (uint32_t)t->len - 3, (uint32_t)t->len}, "x");
    assert_render(item(d, 0), "big.wz:123456:1: error: x\n"
                              "123456 | bad\n"
                              "       | ^~~");
    wz_diags_free(d);
    wz_source_free(s);
    g_string_free(t, TRUE);
}

static void test_render_facts(void **state)
{
    (void)state;
    wz_diags *d = wz_diags_new(0);
    wz_diag_fact(d, WZ_SEV_ERROR, "f/leave.csv", 7, 2, "expected a date (YYYY-MM-DD), found \"%s\"", "2019-13-01");
    wz_diag_fact(d, WZ_SEV_ERROR, "f/leave.csv", 3, 0, "expected %d fields, found %d", 5, 4);
    wz_diag_fact(d, WZ_SEV_WARNING, "f/leave.csv", 0, 0, "no row for person %s", "T017");
    wz_diag_fact(d, WZ_SEV_ERROR, NULL, 4, 1, "no file");
    assert_int_equal(item(d, 0)->kind, WZ_DIAG_FACTS);
    assert_render(item(d, 0), "f/leave.csv:7:2: error: expected a date (YYYY-MM-DD), found \"2019-13-01\"");
    assert_render(item(d, 1), "f/leave.csv:3: error: expected 5 fields, found 4");
    assert_render(item(d, 2), "f/leave.csv: warning: no row for person T017");
    assert_render(item(d, 3), "error: no file");
    assert_int_equal(d->errors, 3);
    wz_diags_free(d);
}

static void test_render_plain(void **state)
{
    (void)state;
    wz_diags *d = wz_diags_new(0);
    wz_diag_plain(d, WZ_DIAG_IO, WZ_SEV_ERROR, "out/x.csv", "cannot write: %s", "disk full");
    wz_diag_plain(d, WZ_DIAG_USAGE, WZ_SEV_ERROR, NULL, "unknown option --%s", "frob");
    wz_diag_plain(d, WZ_DIAG_USAGE, WZ_SEV_NOTE, NULL, "try --help");
    assert_int_equal(item(d, 0)->kind, WZ_DIAG_IO);
    assert_int_equal(item(d, 1)->kind, WZ_DIAG_USAGE);
    assert_render(item(d, 0), "out/x.csv: error: cannot write: disk full");
    assert_render(item(d, 1), "error: unknown option --frob");
    assert_render(item(d, 2), "note: try --help");
    wz_diags_free(d);
}

static void test_limit(void **state)
{
    (void)state;
    wz_diags *d = wz_diags_new(2);
    assert_false(wz_diags_has_errors(d));
    wz_diag_plain(d, WZ_DIAG_FACTS, WZ_SEV_WARNING, NULL, "w1");
    assert_false(wz_diags_has_errors(d));
    for (int i = 0; i < 5; i++)
        wz_diag_fact(d, WZ_SEV_ERROR, "f.csv", (uint32_t)i + 2, 1, "e%d", i);
    wz_diag_plain(d, WZ_DIAG_FACTS, WZ_SEV_WARNING, NULL, "w2");
    assert_true(wz_diags_has_errors(d));
    assert_int_equal(d->errors, 2);
    assert_int_equal(d->dropped, 3);
    assert_int_equal(d->items->len, 4); /* w1, e0, e1, w2 */
    assert_string_equal(item(d, 1)->message, "e0");
    assert_string_equal(item(d, 2)->message, "e1");
    assert_string_equal(item(d, 3)->message, "w2");
    wz_diags_free(d);

    d = wz_diags_new(0); /* 0 = no limit */
    for (int i = 0; i < 100; i++)
        wz_diag_plain(d, WZ_DIAG_FACTS, WZ_SEV_ERROR, NULL, "e");
    assert_int_equal(d->errors, 100);
    assert_int_equal(d->dropped, 0);
    wz_diags_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_source_copies_and_lines),
        cmocka_unit_test(test_position_ascii),
        cmocka_unit_test(test_position_cjk),
        cmocka_unit_test(test_source_line),
        cmocka_unit_test(test_render_policy_ascii),
        cmocka_unit_test(test_render_policy_cjk),
        cmocka_unit_test(test_render_policy_edges),
        cmocka_unit_test(test_render_wide_gutter),
        cmocka_unit_test(test_render_facts),
        cmocka_unit_test(test_render_plain),
        cmocka_unit_test(test_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
