/* test_fmt.c — the formatter (interp/fmt.c): `wenze fmt`'s layout, diff and write.
 *
 * Covers: the spacing of every kind of token; indentation of blocks, continuation
 * lines and comment lines; blank lines; a second top-level item on a line; tables
 * aligned by display width (CJK keys) in one column or in a grid; trailing comments
 * keeping their column; Chinese keywords kept; syntax errors; and, for every .wz file
 * of the repository, that formatting is idempotent, keeps the tree (wz_ast_print, which
 * shows no positions) and the comments, and leaves the shipped files as they are.
 * The diff's hunks and the atomic write are tested at the bottom.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_util.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ast.h"
#include "diag.h"
#include "fmt.h"
#include "parse.h"

/* ---- helpers ---- */

/* TEXT formatted; fails the test on any diagnostic. Caller frees. */
static char *fmt_text(const char *text) {
    wz_source *src = wz_source_new("t.wz", text, strlen(text));
    wz_diags *d = wz_diags_new(0);
    char *out = wz_fmt(src, d);
    for (guint i = 0; i < d->items->len; i++) {
        char *r = wz_diag_render(g_ptr_array_index(d->items, i));
        print_error("unexpected diagnostic: %s\n", r);
        g_free(r);
    }
    assert_int_equal(d->items->len, 0);
    assert_non_null(out);
    wz_diags_free(d);
    wz_source_free(src);
    return out;
}

static void expect_fmt(const char *in, const char *want) {
    char *out = fmt_text(in);
    if (strcmp(out, want) != 0) print_error("input:\n%s\n", in);
    assert_string_equal(out, want);
    char *again = fmt_text(out);   /* every expected layout is a fixed point */
    assert_string_equal(again, out);
    g_free(again);
    g_free(out);
}

/* The S-expression of TEXT's tree (no positions in it). Caller frees. */
static char *ast_of(const char *text) {
    wz_source *src = wz_source_new("t.wz", text, strlen(text));
    wz_diags *d = wz_diags_new(0);
    wz_node *root = wz_parse(src, d);
    assert_non_null(root);
    GString *s = g_string_new(NULL);
    wz_ast_print(s, root, 0);
    wz_node_free(root);
    wz_diags_free(d);
    wz_source_free(src);
    return g_string_free(s, FALSE);
}

/* The comments of TEXT, one a line, trailing white space removed (none of the texts
 * tested has a '#' or "//" inside a string). */
static char *comments_of(const char *text) {
    GString *s = g_string_new(NULL);
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        const char *end = nl ? nl : p + strlen(p);
        const char *c = NULL;
        for (const char *q = p; q < end && !c; q++)
            if (*q == '#' || (q[0] == '/' && q[1] == '/')) c = q;
        if (c) {
            const char *e = end;
            while (e > c && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) e--;
            g_string_append_len(s, c, e - c);
            g_string_append_c(s, '\n');
        }
        p = nl ? nl + 1 : end;
    }
    return g_string_free(s, FALSE);
}

/* TEXT with every line's indentation replaced by a pseudo-random one and trailing white
 * space added: the same tokens and comments, laid out badly. */
static char *scramble(const char *text) {
    static const char *const indents[] = {"", " ", "  ", "\t", "      ", "\t  "};
    GString *s = g_string_new(NULL);
    guint n = 0;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        const char *end = nl ? nl : p + strlen(p);
        while (p < end && (*p == ' ' || *p == '\t')) p++;
        if (p < end) g_string_append(s, indents[n % G_N_ELEMENTS(indents)]);
        g_string_append_len(s, p, end - p);
        if (n % 3 == 0) g_string_append(s, "  ");
        g_string_append_c(s, '\n');
        if (n % 7 == 0) g_string_append_c(s, '\n');
        n++;
        p = nl ? nl + 1 : end;
    }
    return g_string_free(s, FALSE);
}

/* ---- spacing ---- */

static void test_spacing(void **state) {
    (void)state;
    expect_fmt("let x=-1+2*(3-  -4) ;\n", "let x = -1 + 2 * (3 - -4);\n");
    expect_fmt("let y = sum( staff.score where score>5 )??0;\n", "let y = sum(staff.score where score > 5) ?? 0;\n");
    expect_fmt("fact f { a:int ; b : enum( x , y ) ; }\n", "fact f { a: int; b: enum(x, y); }\n");
    expect_fmt("fact f { s: decimal in 0..100; }\n", "fact f { s: decimal in 0 .. 100; }\n");
    expect_fmt("let z = if a then -1 else - b;\n", "let z = if a then -1 else -b;\n");
    expect_fmt("award a = -( 3 - 1 ) when x;\n", "award a = -(3 - 1) when x;\n");
    expect_fmt("ladder L { a : cut 20 % , exclude ; }\n", "ladder L { a: cut 20%, exclude; }\n");
    expect_fmt("sanction p ladder L at 1 duty 校长 . 1;\n", "sanction p ladder L at 1 duty 校长.1;\n");
    expect_fmt("award s = 1 responsible first 校长 40 %, direct goals . lead;\n",
               "award s = 1 responsible first 校长 40%, direct goals.lead;\n");
    expect_fmt("award s = -1 responsible direct 班主任, first 校长=-2*( merit . m??3000 );\n",   /* the leader's own amount */
               "award s = -1 responsible direct 班主任, first 校长 = -2 * (merit.m ?? 3000);\n");
    /* a call has no space before its '('; a window group and a rule's name keep theirs */
    expect_fmt("let m = any semester(x) and count (all) > 0 and round (x, 2) > 0;\n",
               "let m = any semester (x) and count(all) > 0 and round(x, 2) > 0;\n");
    expect_fmt("section s { deduct late(5*x) when x>0; bonus b(1); }\n",
               "section s { deduct late (5 * x) when x > 0; bonus b (1); }\n");
    expect_fmt("let k = x in(a,b) and not(y);\n", "let k = x in (a, b) and not (y);\n");
    expect_fmt("let c = count(all:x where y) + cut(处分);\n", "let c = count(all: x where y) + cut(处分);\n");
    /* `and so on` is one token: its inner spaces become one each */
    expect_fmt("table t { 1: 2;\n and\tso  on;\n}\n", "table t { 1: 2;\n    and so on;\n}\n");
}

/* ---- lines and indentation ---- */

static void test_layout(void **state) {
    (void)state;
    /* blank lines: none at the ends or inside braces' edges, runs become one; a second
     * top-level item on a line moves to a line of its own */
    expect_fmt("\n\npolicy \"x\";  param a: date;\n\n\n\nfact f {\n\n  a: int;\n\n}\n\n",
               "policy \"x\";\nparam a: date;\n\nfact f {\n    a: int;\n}\n");
    /* a continuation line keeps its indentation relative to the statement's first
     * line, and gets at least 4 */
    expect_fmt("let z = if x\n  then 1\n        else 2;\n", "let z = if x\n    then 1\n        else 2;\n");
    expect_fmt("  section s {\n      deduct a 1\n      when x;\n  }\n", "section s {\n    deduct a 1\n        when x;\n}\n");
    /* blocks in expressions: the statement goes on after the closing brace */
    expect_fmt("grade = classify {\n优 when total >= 90;\n  不合格 otherwise;\n  };\n",
               "grade = classify {\n    优 when total >= 90;\n    不合格 otherwise;\n};\n");
    expect_fmt("let w = decide {\n  a \"A\": 1;\n        b: 2 when x overrides a;\n} ?? 0;\nlet v = 1;\n",
               "let w = decide {\n    a \"A\": 1;\n    b: 2 when x overrides a;\n} ?? 0;\nlet v = 1;\n");
    expect_fmt("let w = 1 +\n  classify {\n  a otherwise;\n  };\n",
               "let w = 1 +\n    classify {\n        a otherwise;\n    };\n");
    /* a brace on a line of its own stays with its statement */
    expect_fmt("fact f\n{\na: int;\n}\n", "fact f\n{\n    a: int;\n}\n");
    /* tabs, carriage returns, a missing final newline */
    expect_fmt("fact f {\r\n\ta: int;\r\n}", "fact f {\n    a: int;\n}\n");
    expect_fmt("", "");
    expect_fmt("\n\n  \n", "");
}

/* ---- comments ---- */

static void test_comments(void **state) {
    (void)state;
    /* a comment line is indented like the code around it; a trailing comment keeps its
     * distance from the code */
    expect_fmt("# top   \nfact f {   # c1\n  a: int;    # c2\n      # inside\n}\n  // end\n",
               "# top\nfact f {   # c1\n    a: int;    # c2\n    # inside\n}\n// end\n");
    /* comments that shared a column share one again: the nearest that keeps every distance */
    expect_fmt("let a=1; # x\nlet b=2; # y\n", "let a = 1; # x\nlet b = 2; # y\n");
    expect_fmt("let a = 1;   # x\nlet bcd=1+2; # y\n\nlet c = 1;   # z\n",
               "let a = 1;       # x\nlet bcd = 1 + 2; # y\n\nlet c = 1;   # z\n");
    /* a comment inside a statement is a continuation line */
    expect_fmt("let a = 1\n# why\n  + 2;\n", "let a = 1\n    # why\n    + 2;\n");
    /* a comment's own text is never touched */
    expect_fmt("#   四.1   (line 14)  校长:\tx\n", "#   四.1   (line 14)  校长:\tx\n");
    /* CJK code before a trailing comment is measured in display columns */
    expect_fmt("let 考勤=1;   # a\nlet 考=22;    # b\n", "let 考勤 = 1;   # a\nlet 考 = 22;    # b\n");
}

/* ---- Chinese keywords ---- */

static void test_chinese_keywords(void **state) {
    (void)state;
    expect_fmt("方案 \"中文\"  版本 \"1\";\n参数 起:日期;\n设  中=如果 起>0 则 1 否则 2 ;\n"
               "事实 名册 名单 主键 编号 { 编号: 文本; }\n",
               "方案 \"中文\" 版本 \"1\";\n参数 起: 日期;\n设 中 = 如果 起 > 0 则 1 否则 2;\n"
               "事实 名册 名单 主键 编号 { 编号: 文本; }\n");
    expect_fmt("对照表 t {\n  1: 2;\n  依此类推;\n  其余: 0;\n}\n", "对照表 t {\n    1: 2;\n    依此类推;\n    其余: 0;\n}\n");
}

/* ---- tables ---- */

static void test_tables(void **state) {
    (void)state;
    /* one row a line: the values in one column, measured in display columns */
    expect_fmt("table t {\n  甲: 1;\n  乙乙: 2;\n  otherwise: 3;\n}\n",
               "table t {\n    甲:        1;\n    乙乙:      2;\n    otherwise: 3;\n}\n");
    expect_fmt("table t {\n  - 5: 1;\n  \"文本\": 2;\n}\n", "table t {\n    -5:     1;\n    \"文本\": 2;\n}\n");
    /* several rows a line: the rows in columns (the shape of township-2019.wz's team_place) */
    expect_fmt("table t {\n    1: 1;    2: 1;\n    5: 0.75; 6: 0.75;\n    13: 0.25; 14: 0.25;\n    otherwise: 0;\n}\n",
               "table t {\n    1: 1;     2: 1;\n    5: 0.75;  6: 0.75;\n    13: 0.25; 14: 0.25;\n    otherwise: 0;\n}\n");
    /* a blank line, a comment line or a row over two lines ends an aligned run */
    expect_fmt("table t {\n  1: 1;\n\n  100: 2;\n  # c\n  1000: 3;\n  2: (1 +\n    2);\n  30: 4;\n}\n",
               "table t {\n    1: 1;\n\n    100: 2;\n    # c\n    1000: 3;\n    2: (1 +\n        2);\n    30: 4;\n}\n");
    /* a one-line table is not aligned; nor are rows outside tables */
    expect_fmt("table t { 1: 1; 22: 2; otherwise: 0; }\n", "table t { 1: 1; 22: 2; otherwise: 0; }\n");
    expect_fmt("ladder L {\n  a: cut 1%;\n  bbb: cut 2%;\n}\n", "ladder L {\n    a: cut 1%;\n    bbb: cut 2%;\n}\n");
    /* trailing comments move with the aligned values */
    expect_fmt("table t {\n  1: 1;  # a\n  100: 2;  # b\n}\n", "table t {\n    1:   1;  # a\n    100: 2;  # b\n}\n");
}

/* ---- errors ---- */

static void test_syntax_error(void **state) {
    (void)state;
    const char *text = "let x = ;\n";
    wz_source *src = wz_source_new("t.wz", text, strlen(text));
    wz_diags *d = wz_diags_new(0);
    assert_null(wz_fmt(src, d));
    assert_int_equal(d->items->len, 1);
    char *line = test_diag_line(d, 0);
    assert_string_equal(line, "t.wz:1:9: error: syntax error: unexpected ';', expecting an expression");
    g_free(line);
    wz_diags_free(d);
    wz_source_free(src);
}

/* ---- every policy of the repository ---- */

static GPtrArray *repo_policies(void) {
    GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);
    const char *const dirs[] = {WZ_SOURCE_DIR "/policies", WZ_SOURCE_DIR "/stdlib", WZ_SOURCE_DIR "/tests/policies"};
    for (size_t i = 0; i < G_N_ELEMENTS(dirs); i++) {
        GDir *dir = g_dir_open(dirs[i], 0, NULL);
        assert_non_null(dir);
        for (const char *name; (name = g_dir_read_name(dir));)
            if (g_str_has_suffix(name, ".wz")) g_ptr_array_add(paths, g_build_filename(dirs[i], name, NULL));
        g_dir_close(dir);
    }
    assert_true(paths->len >= 11);
    return paths;
}

/* Formatting keeps the tree and the comments and is idempotent, for each file as it is
 * and scrambled; the shipped files are formatted already (township-2019.wz but its grid). */
static void test_repo_policies(void **state) {
    (void)state;
    GPtrArray *paths = repo_policies();
    for (guint i = 0; i < paths->len; i++) {
        const char *path = g_ptr_array_index(paths, i);
        char *text = NULL;
        assert_true(g_file_get_contents(path, &text, NULL, NULL));
        char *scrambled = scramble(text);
        const char *inputs[] = {text, scrambled};
        for (size_t k = 0; k < G_N_ELEMENTS(inputs); k++) {
            char *out = fmt_text(inputs[k]);
            char *again = fmt_text(out);
            if (strcmp(again, out) != 0) print_error("%s (input %zu): not idempotent\n", path, k);
            assert_string_equal(again, out);
            char *t1 = ast_of(inputs[k]), *t2 = ast_of(out);
            assert_string_equal(t1, t2);
            char *c1 = comments_of(inputs[k]), *c2 = comments_of(out);
            assert_string_equal(c1, c2);
            if (k == 0 && !g_str_has_suffix(path, "/township-2019.wz")) {
                if (strcmp(out, text) != 0) print_error("%s: not formatted (wenze fmt %s)\n", path, path);
                assert_string_equal(out, text);
            }
            g_free(t1), g_free(t2), g_free(c1), g_free(c2);
            g_free(again);
            g_free(out);
        }
        g_free(scrambled);
        g_free(text);
    }
    g_ptr_array_free(paths, TRUE);
}

/* ---- the diff ---- */

static void test_diff(void **state) {
    (void)state;
    assert_null(wz_fmt_diff("t.wz", "a\nb\n", "a\nb\n"));
    char *d = wz_fmt_diff("t.wz", "a\nb\nc\n", "a\nB\nc\n");
    assert_string_equal(d, "--- a/t.wz\n+++ b/t.wz\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
    g_free(d);
    d = wz_fmt_diff("t.wz", "a", "a\n");
    assert_string_equal(d, "--- a/t.wz\n+++ b/t.wz\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n");
    g_free(d);
    d = wz_fmt_diff("t.wz", "\n\na\n", "a\n");
    assert_string_equal(d, "--- a/t.wz\n+++ b/t.wz\n@@ -1,3 +1 @@\n-\n-\n a\n");
    g_free(d);
    /* changes 10 lines apart: two hunks with 3 lines of context each */
    GString *a = g_string_new(NULL), *b = g_string_new(NULL);
    for (int i = 1; i <= 20; i++) {
        g_string_append_printf(a, "%d\n", i);
        g_string_append_printf(b, i == 2 || i == 13 ? "x%d\n" : "%d\n", i);
    }
    d = wz_fmt_diff("t.wz", a->str, b->str);
    assert_string_equal(d, "--- a/t.wz\n+++ b/t.wz\n"
                           "@@ -1,5 +1,5 @@\n 1\n-2\n+x2\n 3\n 4\n 5\n"
                           "@@ -10,7 +10,7 @@\n 10\n 11\n 12\n-13\n+x13\n 14\n 15\n 16\n");
    g_free(d);
    g_string_free(a, TRUE);
    g_string_free(b, TRUE);
}

/* ---- the write ---- */

static void test_write_file(void **state) {
    (void)state;
    char *dir = g_dir_make_tmp("wz-fmt-XXXXXX", NULL);
    assert_non_null(dir);
    char *path = g_build_filename(dir, "p.wz", NULL);
    assert_true(g_file_set_contents(path, "let a=1;\n", -1, NULL));
    assert_int_equal(g_chmod(path, 0640), 0);
    wz_diags *d = wz_diags_new(0);
    assert_true(wz_fmt_write_file(path, "let a = 1;\n", 11, d));
    assert_int_equal(d->items->len, 0);
    char *text = NULL;
    assert_true(g_file_get_contents(path, &text, NULL, NULL));
    assert_string_equal(text, "let a = 1;\n");
    g_free(text);
    struct stat st;
    assert_int_equal(g_stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    GDir *gd = g_dir_open(dir, 0, NULL);   /* no temporary file is left */
    assert_string_equal(g_dir_read_name(gd), "p.wz");
    assert_null(g_dir_read_name(gd));
    g_dir_close(gd);
    /* a file that is not there: an I/O error, nothing created */
    char *missing = g_build_filename(dir, "none.wz", NULL);
    assert_false(wz_fmt_write_file(missing, "x", 1, d));
    assert_int_equal(d->items->len, 1);
    assert_int_equal(((wz_diag *)g_ptr_array_index(d->items, 0))->kind, WZ_DIAG_IO);
    assert_false(g_file_test(missing, G_FILE_TEST_EXISTS));
    wz_diags_free(d);
    g_unlink(path);
    g_rmdir(dir);
    g_free(missing);
    g_free(path);
    g_free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spacing),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_comments),
        cmocka_unit_test(test_chinese_keywords),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_syntax_error),
        cmocka_unit_test(test_repo_policies),
        cmocka_unit_test(test_diff),
        cmocka_unit_test(test_write_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
