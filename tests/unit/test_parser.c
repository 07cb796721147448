/* test_parser.c — the lexer (grammar/lexer.l) and parser (grammar/parser.y).
 *
 * Covers: the AST that wz_ast_print() shows for small policies; the Chinese
 * keyword spelling giving the same tree as the English one; Chinese and
 * soft-keyword names; comments, numbers, percentages, dates and strings;
 * every lexical error (bad date, bad escape, unterminated string, full-width
 * punctuation, stray characters, bad UTF-8, over-long numbers) and syntax
 * errors with their exact "expecting …" text; error recovery; operator
 * precedence; and that mangled versions of the shipped policy never crash
 * the parser (run under ASan+UBSan, which also catches leaks).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_util.h"

#include <string.h>

#include "ast.h"
#include "diag.h"
#include "parse.h"

#include "parser.h"
#define YYSTYPE WZYYSTYPE
#define YYLTYPE WZYYLTYPE
#include "lexer.h"

/* ---- helpers ---------------------------------------------------------------- */

typedef struct parsed {
    wz_source *src;
    wz_diags *diags;
    wz_node *root;
} parsed;

static parsed parse_text(const char *text)
{
    parsed p;
    p.src = wz_source_new("t.wz", text, strlen(text));
    p.diags = wz_diags_new(0);
    p.root = wz_parse(p.src, p.diags);
    return p;
}

static void parsed_free(parsed *p)
{
    wz_node_free(p->root);
    wz_diags_free(p->diags);   /* diagnostics point into the source: free them first */
    wz_source_free(p->src);
}

/* The S-expression of a policy that must parse without errors. */
static char *ast_of(const char *text)
{
    parsed p = parse_text(text);
    for (guint i = 0; i < p.diags->items->len; i++) {
        char *r = wz_diag_render(g_ptr_array_index(p.diags->items, i));
        print_error("unexpected diagnostic: %s\n", r);
        g_free(r);
    }
    assert_int_equal(p.diags->errors, 0);
    assert_non_null(p.root);
    GString *out = g_string_new(NULL);
    wz_ast_print(out, p.root, 0);
    parsed_free(&p);
    return g_string_free(out, FALSE);
}

/* The S-expression of the one expression in "let x = EXPR;". */
static char *expr_ast(const char *expr)
{
    char *text = g_strdup_printf("let x = %s;", expr);
    parsed p = parse_text(text);
    g_free(text);
    assert_int_equal(p.diags->errors, 0);
    assert_non_null(p.root);
    assert_int_equal(wz_node_nkids(p.root), 1);
    GString *out = g_string_new(NULL);
    wz_ast_print(out, wz_node_kid(wz_node_kid(p.root, 0), 0), 0);
    parsed_free(&p);
    return g_string_free(out, FALSE);
}

static void assert_ast(const char *text, const char *expected)
{
    char *got = ast_of(text);
    assert_string_equal(got, expected);
    g_free(got);
}

static void assert_expr(const char *expr, const char *expected)
{
    char *got = expr_ast(expr);
    assert_string_equal(got, expected);
    g_free(got);
}


/* text fails to parse with exactly n_errors errors, the first being first. */
static void assert_parse_error(const char *text, guint n_errors, const char *first)
{
    parsed p = parse_text(text);
    assert_null(p.root);
    assert_int_equal(p.diags->errors, n_errors);
    char *got = test_diag_line(p.diags, 0);
    assert_string_equal(got, first);
    g_free(got);
    parsed_free(&p);
}

/* ---- valid input and the AST ------------------------------------------------ */

static void test_minimal_policy_parses(void **state)
{
    (void)state;
    parsed p = parse_text("policy \"P\";\nfact staff persons key id { id: text; }\n");
    assert_int_equal(p.diags->errors, 0);
    assert_non_null(p.root);
    assert_int_equal(p.root->kind, WZ_N_POLICY);
    assert_int_equal(wz_node_nkids(p.root), 2);
    assert_int_equal(wz_node_kid(p.root, 0)->kind, WZ_N_HEADER);
    assert_string_equal(wz_node_kid(p.root, 0)->text, "P");
    assert_int_equal(wz_node_kid(p.root, 1)->kind, WZ_N_FACT);
    parsed_free(&p);
}

static void test_empty_source_is_an_empty_policy(void **state)
{
    (void)state;
    assert_ast("", "(policy)\n");
    assert_ast("  # only a comment\n", "(policy)\n");
}

static void test_ast_print_of_small_policy(void **state)
{
    (void)state;
    assert_ast("policy \"P\" version \"1\";\n"
               "fact staff persons key id { id: text; }\n"
               "let x = 1 + 2 * 3;\n"
               "section s \"S\" = x;\n",
               "(policy\n"
               "  (header 1 \"P\")\n"
               "  (fact staff \"id\" 1\n"
               "    (field id 0\n"
               "      (type 5)\n"
               "      -\n"
               "      -\n"
               "    )\n"
               "  )\n"
               "  (let x\n"
               "    (binary +\n"
               "      (num 1)\n"
               "      (binary *\n"
               "        (num 2)\n"
               "        (num 3)\n"
               "      )\n"
               "    )\n"
               "  )\n"
               "  (section s \"S\"\n"
               "    -\n"
               "    -\n"
               "    -\n"
               "    (id x)\n"
               "  )\n"
               ")\n");
}

/* The same policy twice, keyword for keyword. */
static const char en_policy[] =
    "policy \"P\" version \"1\" effective 2019-09-01 to 2020-08-31;\n"
    "param p: decimal = 1;\n"
    "period yr from 2019-09-01 to 2020-07-15;\n"
    "split yr into w at 2020-02-17;\n"
    "fact staff persons key id { id: text; k: enum(a, b); }\n"
    "fact leave dated by date { id: person; date: date; n: int in 0 .. 9 optional; }\n"
    "fact extra one per person optional { id: person; v: bool; }\n"
    "let x = if p > 1 and not (p < 0) or true then 1 else 2;\n"
    "section s \"S\" points 10 floor 0 cap 20 {\n"
    "    deduct r 0.5 per sum(leave.n where n > 1) free 2 per w when x in (1, 2);\n"
    "    bonus b (x) for each w where x > 1;\n"
    "}\n"
    "ladder L { t1: cut 20%; t2: grade C, exclude; }\n"
    "sanction d ladder L tier t1 when false;\n"
    "notice n \"msg\" when all w (count(leave) > 0);\n"
    "let c = classify { a when any w (x == 1); b otherwise; };\n"
    "total = round(s, 2);\n"
    "grade = classify { C otherwise; };\n"
    "distribute p by c round 2 { stipend = 0; a: 1; b: 1 by x; }\n";
static const char zh_policy[] =
    "方案 \"P\" 版本 \"1\" 生效 2019-09-01 至 2020-08-31;\n"
    "参数 p: 数值 = 1;\n"
    "期间 yr 从 2019-09-01 至 2020-07-15;\n"
    "划分 yr 为 w 于 2020-02-17;\n"
    "事实 staff 名单 主键 id { id: 文本; k: 枚举(a, b); }\n"
    "事实 leave 计日 按 date { id: 人员; date: 日期; n: 整数 属于 0 .. 9 可选; }\n"
    "事实 extra 唯一 每 人员 可选 { id: 人员; v: 布尔; }\n"
    "设 x = 如果 p > 1 且 非 (p < 0) 或 是 则 1 否则 2;\n"
    "项目 s \"S\" 分值 10 保底 0 封顶 20 {\n"
    "    扣 r 0.5 每 sum(leave.n 其中 n > 1) 免 2 每 w 当 x 属于 (1, 2);\n"
    "    加 b (x) 逐条 w 其中 x > 1;\n"
    "}\n"
    "阶梯 L { t1: 扣减 20%; t2: 等次 C, 不参与分配; }\n"
    "处理 d 阶梯 L 档 t1 当 否;\n"
    "提示 n \"msg\" 当 全体 w (count(leave) > 0);\n"
    "设 c = 分类 { a 当 任一 w (x == 1); b 其余; };\n"
    "总分 = round(s, 2);\n"
    "等次 = 分类 { C 其余; };\n"
    "分配 p 按 c 保留 2 { 津贴 = 0; a: 1; b: 1 按 x; }\n";

static void test_chinese_keywords_give_the_same_ast_as_english(void **state)
{
    (void)state;
    char *en = ast_of(en_policy);
    char *zh = ast_of(zh_policy);
    assert_string_equal(zh, en);
    /* and the tree is the full one, not an empty policy */
    assert_non_null(strstr(en, "(distribute 2\n"));
    assert_non_null(strstr(en, "(windowed w any\n"));
    g_free(en);
    g_free(zh);
}

static void test_chinese_identifiers(void **state)
{
    (void)state;
    assert_ast("设 考勤分 = 教师.出生日期 + 扣分;\n",
               "(policy\n"
               "  (let 考勤分\n"
               "    (binary +\n"
               "      (field-ref 教师 \"出生日期\")\n"
               "      (id 扣分)\n"
               "    )\n"
               "  )\n"
               ")\n");
}

static void test_keyword_must_be_separated_from_a_following_name(void **state)
{
    (void)state;
    /* 设x is one identifier, not 设 + x: the item does not start with a keyword */
    assert_parse_error("设x = 1;", 1, "t.wz:1:1: error: syntax error: unexpected '设x', expecting a declaration such as 设, "
                                     "项目, 事实 or 参数; did you mean '设'?");
}

static void test_soft_keywords_as_names(void **state)
{
    (void)state;
    assert_ast("fact leave dated by date { id: person; date: date; text: text; }\n"
               "let v = leave.date;\n"
               "let u = total + grade * stipend - key / round + cut;\n",
               "(policy\n"
               "  (fact leave :date 2\n"
               "    (field id 0\n"
               "      (type 7)\n"
               "      -\n"
               "      -\n"
               "    )\n"
               "    (field date 0\n"
               "      (type 4)\n"
               "      -\n"
               "      -\n"
               "    )\n"
               "    (field text 0\n"
               "      (type 5)\n"
               "      -\n"
               "      -\n"
               "    )\n"
               "  )\n"
               "  (let v\n"
               "    (field-ref leave \"date\")\n"
               "  )\n"
               "  (let u\n"
               "    (binary +\n"
               "      (binary -\n"
               "        (binary +\n"
               "          (id total)\n"
               "          (binary *\n"
               "            (id grade)\n"
               "            (id stipend)\n"
               "          )\n"
               "        )\n"
               "        (binary /\n"
               "          (id key)\n"
               "          (id round)\n"
               "        )\n"
               "      )\n"
               "      (id cut)\n"
               "    )\n"
               "  )\n"
               ")\n");
}

static void test_comments_are_ignored(void **state)
{
    (void)state;
    assert_ast("# a comment line\n"
               "let a = 1; # after an item\n"
               "// a C++-style comment\n"
               "let b = \"x#y//z\"; // a string keeps its # and //\n",
               "(policy\n"
               "  (let a\n"
               "    (num 1)\n"
               "  )\n"
               "  (let b\n"
               "    (str \"x#y//z\")\n"
               "  )\n"
               ")\n");
}

/* ---- literals --------------------------------------------------------------- */

static void test_numbers_and_percentages(void **state)
{
    (void)state;
    assert_expr("007", "(num 7)\n");
    assert_expr("1.50", "(num 3/2)\n");
    assert_expr("20%", "(num 1/5 (percent))\n");
    assert_expr("12.5%", "(num 1/8 (percent))\n");
    assert_expr("0%", "(num 0 (percent))\n");
}

static void test_too_long_number_is_an_error(void **state)
{
    (void)state;
    assert_parse_error("let x = 1234567890123456789012345678901234567;", 1,
                       "t.wz:1:9: error: number '1234567890123456789012345678901234567' is too long (at most 36 digits)");
}

static void test_date_literals(void **state)
{
    (void)state;
    assert_expr("2019-09-01", "(date 2019-09-01)\n");
    assert_expr("2020-02-29", "(date 2020-02-29)\n");   /* leap day */
}

static void test_invalid_date_literal_is_an_error(void **state)
{
    (void)state;
    assert_parse_error("param d: date = 2019-02-30;", 1,
                       "t.wz:1:17: error: invalid date '2019-02-30', expecting a real calendar date YYYY-MM-DD");
    assert_parse_error("let d = 2019-02-29;", 1,
                       "t.wz:1:9: error: invalid date '2019-02-29', expecting a real calendar date YYYY-MM-DD");
}

static void test_string_escapes(void **state)
{
    (void)state;
    parsed p = parse_text("notice n \"a\\\"b\\\\c\\nd\\te\" when true;");
    assert_int_equal(p.diags->errors, 0);
    assert_non_null(p.root);
    assert_string_equal(wz_node_kid(p.root, 0)->text, "a\"b\\c\nd\te");
    parsed_free(&p);
}

static void test_unknown_escape_is_an_error(void **state)
{
    (void)state;
    assert_parse_error("policy \"P\\q\";", 1,
                       "t.wz:1:8: error: unknown escape in string \"P\\q\", expecting \\\" \\\\ \\n or \\t");
}

static void test_unterminated_string(void **state)
{
    (void)state;
    /* one error: the next line is parsed normally after recovery */
    assert_parse_error("notice n \"abc when true;\nlet x = 1;\n", 1,
                       "t.wz:1:10: error: unterminated string \"abc when true;, expecting a closing '\"' on the same line");
}

static void test_full_width_punctuation_is_rejected(void **state)
{
    (void)state;
    assert_parse_error("policy \"P\"；", 1,
                       "t.wz:1:11: error: full-width punctuation '；' is not allowed here; use the ASCII form (, : ; ( ) \")");
    assert_parse_error("let x = round（1, 2）;", 2,
                       "t.wz:1:14: error: full-width punctuation '（' is not allowed here; use the ASCII form (, : ; ( ) \")");
    assert_parse_error("fact f { id： person; }", 1,
                       "t.wz:1:12: error: full-width punctuation '：' is not allowed here; use the ASCII form (, : ; ( ) \")");
    assert_parse_error("let x = min(1，2);", 1,
                       "t.wz:1:14: error: full-width punctuation '，' is not allowed here; use the ASCII form (, : ; ( ) \")");
}

static void test_full_width_caret_covers_two_columns(void **state)
{
    (void)state;
    parsed p = parse_text("policy \"P\"；");
    assert_int_equal(p.diags->errors, 1);
    char *r = wz_diag_render(g_ptr_array_index(p.diags->items, 0));
    assert_string_equal(r,
                        "t.wz:1:11: error: full-width punctuation '；' is not allowed here; use the ASCII form (, : ; ( ) \")\n"
                        "    1 | policy \"P\"；\n"
                        "      |           ^~");
    g_free(r);
    parsed_free(&p);
}

static void test_stray_characters_and_bad_utf8(void **state)
{
    (void)state;
    assert_parse_error("let x = 1 @ 2;", 1, "t.wz:1:11: error: unexpected character '@'");
    assert_parse_error("let x = \xff;", 1, "t.wz:1:9: error: invalid UTF-8 byte in the source");
}

/* ---- syntax errors ---------------------------------------------------------- */

static void test_unexpected_token_lists_what_was_expected(void **state)
{
    (void)state;
    assert_parse_error("policy \"P\" version;", 1,
                       "t.wz:1:19: error: syntax error: unexpected ';', expecting string");
    assert_parse_error("fact f { id: 3; }", 1,
                       "t.wz:1:14: error: syntax error: unexpected '3', expecting person, text, int, decimal, date, bool, enum, role or name");
    assert_parse_error("ladder L { a: cut 10%, frob; }", 1,
                       "t.wz:1:24: error: syntax error: unexpected 'frob', expecting cut, grade or exclude");
}

/* A policy written with the Chinese keywords is told what was expected in them. */
static void test_expected_keywords_in_the_policys_language(void **state)
{
    (void)state;
    assert_parse_error("方案 \"P\" 版本 \"1\";\n事实 staff 人员 主键 id { id: 文本; }\n", 1,
                       "t.wz:2:10: error: syntax error: unexpected '人员', expecting 名单, 计日, 唯一, 人人, 可选, 属 or '{'");
    assert_parse_error("# 注释\n项目 a 分值 10 { 扣分 x 1; }\n", 1,
                       "t.wz:2:14: error: syntax error: unexpected '扣分', expecting 扣, 加 or '}'; did you mean '扣'?");
    /* the same slip in an English policy: English names */
    assert_parse_error("section a points 10 { dedcut x 1; }\n", 1,
                       "t.wz:1:23: error: syntax error: unexpected 'dedcut', expecting deduct, bonus or '}'; did you mean 'deduct'?");
}

static void test_unexpected_end_of_file(void **state)
{
    (void)state;
    assert_parse_error("policy \"P\"\n", 1,
                       "t.wz:1:11: error: syntax error: unexpected end of file, expecting version, effective or ';'");
    /* Regression (was a bug): without trailing white space the end-of-file error points at the
     * last token ("P", 1:8) instead of the end of the text (1:11): the
     * scanner does not set the location of the end-of-file token. */
    assert_parse_error("policy \"P\"", 1,
                       "t.wz:1:11: error: syntax error: unexpected end of file, expecting version, effective or ';'");
}

static void test_missing_semicolon_after_expression(void **state)
{
    (void)state;
    /* the ';' is missing at the end of line 2, not at the start of line 3 */
    assert_parse_error("policy \"P\";\nlet x = 1 + 2\nlet y = 3;\n", 1,
                       "t.wz:2:14: error: syntax error: expecting ';' at the end of this line");
    assert_parse_error("policy \"P\";\nlet x = 1 + 2   # a comment\n\n  let y = 3;\n", 1,
                       "t.wz:2:14: error: syntax error: expecting ';' at the end of this line");
    assert_parse_error("fact staff persons key id {\n  id: text\n  gender: text;\n}\n", 1,
                       "t.wz:2:11: error: syntax error: expecting ';' at the end of this line");
    assert_parse_error("项目 s {\n  扣 r 1 每 count(leave)\n  扣 w 2;\n}\n", 1,
                       "t.wz:2:23: error: syntax error: expecting ';' at the end of this line");
    /* on the same line it is the token that is unexpected */
    assert_parse_error("let x = 1 + 2 let y = 3;\n", 1,
                       "t.wz:1:15: error: syntax error: unexpected 'let', expecting ';' (or an operator to continue the expression)");
    assert_parse_error("let x = (1 + 2;", 1,
                       "t.wz:1:15: error: syntax error: unexpected ';', expecting ')' (or an operator to continue the expression)");
}

static void test_error_recovery_reports_errors_in_two_items(void **state)
{
    (void)state;
    parsed p = parse_text("policy \"P\";\n"
                          "fact f { id person; }\n"
                          "let ok = 2;\n"
                          "section s { deduct r 1 pre x; }\n"
                          "let fine = 3;\n");
    assert_null(p.root);
    assert_int_equal(p.diags->errors, 2);
    char *a = test_diag_line(p.diags, 0), *b = test_diag_line(p.diags, 1);
    assert_string_equal(a, "t.wz:2:13: error: syntax error: unexpected 'person', expecting ':'");
    assert_string_equal(b, "t.wz:4:24: error: syntax error: unexpected 'pre', expecting per, cap, free, when, for each or ';'; did you mean 'per'?");
    g_free(a);
    g_free(b);
    parsed_free(&p);
}

/* A misspelt keyword is a name the grammar does not expect: the closest keyword that may come
 * there is suggested, in the policy's own spelling (Chinese for a Chinese name). */
static void test_misspelt_keyword_suggests_the_keyword(void **state)
{
    (void)state;
    assert_parse_error("section s points 10 { dedcut r 1; }", 1,
                       "t.wz:1:23: error: syntax error: unexpected 'dedcut', expecting deduct, bonus or '}'; did you mean 'deduct'?");
    assert_parse_error("lte x = 1;", 1,
                       "t.wz:1:1: error: syntax error: unexpected 'lte', expecting a declaration such as let, section, fact or param; "
                       "did you mean 'let'?");
    assert_parse_error("policy \"P\" verison \"1\";", 1,
                       "t.wz:1:12: error: syntax error: unexpected 'verison', expecting version, effective or ';'; did you mean 'version'?");
    assert_parse_error("let a = sum(leave.days whre kind == 1);", 1,
                       "t.wz:1:24: error: syntax error: unexpected 'whre', expecting ')' (or an operator to continue the expression); "
                       "did you mean 'where'?");
    /* 扣分 is one name, not 扣 + 分: a keyword must be followed by a space */
    assert_parse_error("项目 s 分值 10 { 扣分 r 1; }", 1,
                       "t.wz:1:14: error: syntax error: unexpected '扣分', expecting 扣, 加 or '}'; did you mean '扣'?");
    assert_parse_error("项目 s 分值 10 { deduct r 1 当当 true; }", 1,
                       "t.wz:1:25: error: syntax error: unexpected '当当', expecting 每, 封顶, 免, 当, 逐条 or ';'; did you mean '当'?");
    /* nothing close: no guess */
    assert_parse_error("section s points 10 { frobnicate r 1; }", 1,
                       "t.wz:1:23: error: syntax error: unexpected 'frobnicate', expecting deduct, bonus or '}'");
}

/* The table of Chinese spellings in grammar/parser.y (for the suggestions) says what
 * grammar/lexer.l scans: each pair is one token, and not a name. */
static void test_keyword_spellings_match_the_lexer(void **state)
{
    (void)state;
    const char *en, *zh;
    unsigned i = 0;
    for (; wz_keyword_at(i, &en, &zh); i++) {
        int tok[2];
        char *words[2] = {g_strconcat(en, " ;", NULL), g_strconcat(zh, " ;", NULL)};   /* `and so on` needs what follows */
        for (int k = 0; k < 2; k++) {
            wz_source *src = wz_source_new("t.wz", words[k], strlen(words[k]));
            g_free(words[k]);
            wz_diags *d = wz_diags_new(0);
            wz_parse_ctx ctx = {.src = src, .diags = d};
            yyscan_t sc;
            assert_int_equal(wzyylex_init_extra(&ctx, &sc), 0);
            YY_BUFFER_STATE buf = wzyy_scan_bytes(src->text, (int)src->len, sc);
            WZYYSTYPE v = {0};
            WZYYLTYPE l;
            tok[k] = wzyylex(&v, &l, sc);
            wzyy_delete_buffer(buf, sc);
            wzyylex_destroy(sc);
            if (tok[k] == IDENT) g_free(v.str);
            assert_int_not_equal(tok[k], IDENT);
            wz_diags_free(d);
            wz_source_free(src);
        }
        if (tok[0] != tok[1]) print_error("'%s' and '%s' scan as different tokens\n", en, zh);
        assert_int_equal(tok[0], tok[1]);
    }
    assert_int_equal(i, 89);   /* every keyword of docs/LANGUAGE.md's table */
}

/* A single '=' where a comparison may go: `when kind = 病假`, `if a = 1 then …`. */
static void test_single_equals_in_a_condition_says_use_double(void **state)
{
    (void)state;
    assert_parse_error("section s points 10 { deduct r 1 when staff.post = 校长; }", 1,
                       "t.wz:1:50: error: syntax error: unexpected '=', use '==' to compare");
    assert_parse_error("let a = count(leave where kind = 病假);", 1,
                       "t.wz:1:32: error: syntax error: unexpected '=', use '==' to compare");
    assert_parse_error("let a = if b = 1 then 2 else 3;", 1, "t.wz:1:14: error: syntax error: unexpected '=', use '==' to compare");
    assert_parse_error("设 a = 如果 b = 1 则 2 否则 3;", 1, "t.wz:1:12: error: syntax error: unexpected '=', use '==' to compare");
    /* where '=' belongs it is not an error */
    parsed p = parse_text("let a = 1;\nsection s points 10 = a;\ntotal = s;\n");
    assert_non_null(p.root);
    parsed_free(&p);
}

static void test_missing_operand_is_an_error(void **state)
{
    (void)state;
    parsed p = parse_text("let x = 1 +;");
    assert_null(p.root);
    assert_int_equal(p.diags->errors, 1);
    char *got = test_diag_line(p.diags, 0);
    assert_non_null(strstr(got, "t.wz:1:12: error: syntax error: unexpected ';'"));
    g_free(got);
    parsed_free(&p);
    /* Regression (was a bug): where an expression is expected the message says only
     * "syntax error: unexpected ';'", with no "expecting …" at all (the
     * expected set is large and contains neither ';' nor ')'). */
    assert_parse_error("let x = 1 +;", 1, "t.wz:1:12: error: syntax error: unexpected ';', expecting an expression");
}

static void test_comparisons_do_not_chain(void **state)
{
    (void)state;
    parsed p = parse_text("let a = 1 < 2 == true;");
    assert_null(p.root);
    assert_int_equal(p.diags->errors, 1);
    parsed_free(&p);
    /* Regression (was a bug): the message reads "unexpected '==', expecting ';' (or an operator
     * to continue the expression)" — but '==' is an operator; it should say
     * that comparisons cannot be chained. */
    assert_parse_error("let a = 1 < 2 == true;", 1,
                       "t.wz:1:15: error: syntax error: comparisons cannot be chained; use 'and'");
}

/* ---- precedence ------------------------------------------------------------- */

static void test_multiplication_binds_tighter_than_addition(void **state)
{
    (void)state;
    assert_expr("a + b * c",
                "(binary +\n  (id a)\n  (binary *\n    (id b)\n    (id c)\n  )\n)\n");
    assert_expr("(a + b) * c",
                "(binary *\n  (binary +\n    (id a)\n    (id b)\n  )\n  (id c)\n)\n");
    assert_expr("a - b - c",   /* left associative */
                "(binary -\n  (binary -\n    (id a)\n    (id b)\n  )\n  (id c)\n)\n");
}

static void test_not_binds_tighter_than_and_which_binds_tighter_than_or(void **state)
{
    (void)state;
    assert_expr("not a and b or c",
                "(binary or\n"
                "  (binary and\n"
                "    (unary not\n      (id a)\n    )\n"
                "    (id b)\n"
                "  )\n"
                "  (id c)\n"
                ")\n");
    assert_expr("a or b and c",
                "(binary or\n  (id a)\n  (binary and\n    (id b)\n    (id c)\n  )\n)\n");
    /* a comparison is one operand of 'not' */
    assert_expr("not a == b",
                "(unary not\n  (binary ==\n    (id a)\n    (id b)\n  )\n)\n");
}

static void test_unary_minus(void **state)
{
    (void)state;
    assert_expr("-a * b",
                "(binary *\n  (unary neg\n    (id a)\n  )\n  (id b)\n)\n");
    assert_expr("- - c",
                "(unary neg\n  (unary neg\n    (id c)\n  )\n)\n");
    assert_expr("a - -b",
                "(binary -\n  (id a)\n  (unary neg\n    (id b)\n  )\n)\n");
}

static void test_coalesce_in_and_if(void **state)
{
    (void)state;
    assert_expr("x ?? 0 + 1",   /* '??' binds looser than arithmetic */
                "(coalesce\n  (id x)\n  (binary +\n    (num 0)\n    (num 1)\n  )\n)\n");
    assert_expr("k in (a, b) and c",
                "(binary and\n  (in\n    (id k)\n    (id a)\n    (id b)\n  )\n  (id c)\n)\n");
    assert_expr("if a then 1 else 2 + 3",   /* the else branch extends to the right */
                "(if\n  (id a)\n  (num 1)\n  (binary +\n    (num 2)\n    (num 3)\n  )\n)\n");
}

/* ---- robustness ------------------------------------------------------------- */

/* One random edit of text: delete, insert punctuation or keywords, overwrite
 * a byte with any value, truncate, or copy a slice elsewhere. */
static void mangle(GString *g, GRand *r)
{
    static const char punct[] = "{}();:,.=\"#%-+*/<>?\n";
    static const char *const words[] = {"section", "let", "fact", "any", "all", "classify", "sum(all: ",
                                        "exists(", "??", "if", "then", "else", "ladder", "cut", "2019-02-30",
                                        "100%", "\"", "//", "（", "，", "设", "扣", "\\q"};
    if (g->len == 0) return;
    guint pos = (guint)g_rand_int_range(r, 0, (gint32)g->len);
    switch (g_rand_int_range(r, 0, 6)) {
    case 0: {
        gssize n = g_rand_int_range(r, 1, 40);
        g_string_erase(g, pos, MIN(n, (gssize)(g->len - pos)));
        break;
    }
    case 1: g_string_insert_c(g, pos, punct[g_rand_int_range(r, 0, sizeof punct - 1)]); break;
    case 2: g->str[pos] = (char)g_rand_int_range(r, 1, 256); break;
    case 3: g_string_truncate(g, pos); break;
    case 4: g_string_insert(g, pos, words[g_rand_int_range(r, 0, G_N_ELEMENTS(words))]); break;
    default: {
        guint from = (guint)g_rand_int_range(r, 0, (gint32)g->len);
        char *slice = g_strndup(g->str + from, MIN(60u, (guint)(g->len - from)));
        g_string_insert(g, pos, slice);
        g_free(slice);
    }
    }
}

static void test_garbage_inputs_never_crash(void **state)
{
    (void)state;
    char *text = NULL;
    gsize len = 0;
    assert_true(g_file_get_contents(WZ_SOURCE_DIR "/policies/dongliu-2019.wz", &text, &len, NULL));

    /* the original parses */
    wz_source *orig = wz_source_new("t.wz", text, len);
    wz_diags *od = wz_diags_new(0);
    wz_node *root = wz_parse(orig, od);
    assert_non_null(root);
    assert_int_equal(od->errors, 0);
    wz_node_free(root);
    wz_diags_free(od);
    wz_source_free(orig);

    GRand *r = g_rand_new_with_seed(20190901);
    guint broken = 0;
    for (int i = 0; i < 60; i++) {
        GString *g = g_string_new_len(text, (gssize)len);
        int edits = g_rand_int_range(r, 1, 6);
        for (int k = 0; k < edits; k++) mangle(g, r);
        wz_source *src = wz_source_new("t.wz", g->str, g->len);
        wz_diags *d = wz_diags_new(0);
        wz_node *n = wz_parse(src, d);
        /* either a tree and no errors, or no tree and errors */
        assert_true((n != NULL) == (d->errors == 0));
        if (!n) broken++;
        for (guint k = 0; k < d->items->len; k++) g_free(wz_diag_render(g_ptr_array_index(d->items, k)));
        wz_node_free(n);
        wz_diags_free(d);
        wz_source_free(src);
        g_string_free(g, TRUE);
    }
    assert_true(broken > 30);   /* the edits really did break most variants */
    g_rand_free(r);
    g_free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal_policy_parses),
        cmocka_unit_test(test_empty_source_is_an_empty_policy),
        cmocka_unit_test(test_ast_print_of_small_policy),
        cmocka_unit_test(test_chinese_keywords_give_the_same_ast_as_english),
        cmocka_unit_test(test_chinese_identifiers),
        cmocka_unit_test(test_keyword_must_be_separated_from_a_following_name),
        cmocka_unit_test(test_soft_keywords_as_names),
        cmocka_unit_test(test_comments_are_ignored),
        cmocka_unit_test(test_numbers_and_percentages),
        cmocka_unit_test(test_too_long_number_is_an_error),
        cmocka_unit_test(test_date_literals),
        cmocka_unit_test(test_invalid_date_literal_is_an_error),
        cmocka_unit_test(test_string_escapes),
        cmocka_unit_test(test_unknown_escape_is_an_error),
        cmocka_unit_test(test_unterminated_string),
        cmocka_unit_test(test_full_width_punctuation_is_rejected),
        cmocka_unit_test(test_full_width_caret_covers_two_columns),
        cmocka_unit_test(test_stray_characters_and_bad_utf8),
        cmocka_unit_test(test_unexpected_token_lists_what_was_expected),
        cmocka_unit_test(test_expected_keywords_in_the_policys_language),
        cmocka_unit_test(test_unexpected_end_of_file),
        cmocka_unit_test(test_missing_semicolon_after_expression),
        cmocka_unit_test(test_error_recovery_reports_errors_in_two_items),
        cmocka_unit_test(test_misspelt_keyword_suggests_the_keyword),
        cmocka_unit_test(test_keyword_spellings_match_the_lexer),
        cmocka_unit_test(test_single_equals_in_a_condition_says_use_double),
        cmocka_unit_test(test_missing_operand_is_an_error),
        cmocka_unit_test(test_comparisons_do_not_chain),
        cmocka_unit_test(test_multiplication_binds_tighter_than_addition),
        cmocka_unit_test(test_not_binds_tighter_than_and_which_binds_tighter_than_or),
        cmocka_unit_test(test_unary_minus),
        cmocka_unit_test(test_coalesce_in_and_if),
        cmocka_unit_test(test_garbage_inputs_never_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
