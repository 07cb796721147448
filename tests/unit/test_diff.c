/* test_diff.c — wz_diff_policies(): two versions compared item by item. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "diff.h"
#include "test_util.h"

#define HEAD "policy \"t\" version \"1\";\nparam pool: decimal = 100;\nfact staff persons key id { id: text; n: int; }\n"

static wz_policy *load(const char *name, const char *text) {
    wz_diags *d = wz_diags_new(0);
    wz_policy *p = wz_policy_load_text(name, text, strlen(text), d);
    if (!p) test_print_diags(d);
    wz_diags_free(d);
    assert_non_null(p);
    return p;
}

static char *diff(const char *a, const char *b, guint *n) {
    wz_policy *x = load("a.wz", a), *y = load("b.wz", b);
    GString *out = g_string_new(NULL);
    *n = wz_diff_policies(x, y, false, out);
    wz_policy_free(x);
    wz_policy_free(y);
    return g_string_free(out, FALSE);
}

static void test_constants_before_and_after(void **state) {
    guint n = 0;
    char *s = diff(HEAD "ladder L { 警告: cut 10%; 记过: cut 50%; }\n"
                        "section s points 10 { deduct late \"迟到\" 0.5 per staff.n; }\n",
                   HEAD "ladder L { 警告: cut 20%; 记过: cut 50%; 开除: exclude; }\n"
                        "section s points 12 { deduct late \"迟到\" 0.6 per staff.n cap 3; }\n",
                   &n);
    assert_int_equal(n, 3);
    assert_non_null(strstr(s, "~ rule s.late  (a.wz:5 → b.wz:5)\n    amount: 0.5 → 0.6\n    cap: — → 3\n"));
    assert_non_null(strstr(s, "~ section s  (a.wz:5 → b.wz:5)\n    points: 10 → 12\n"));
    assert_non_null(strstr(s, "~ ladder L  (a.wz:4 → b.wz:4)\n    tier 警告 cut: 10% → 20%\n    tier 开除: — → present\n"));
    assert_non_null(strstr(s, "changes through what they read: total\n"));
    g_free(s);
}

static void test_params_added_removed_and_defaults(void **state) {
    guint n = 0;
    char *s = diff(HEAD "param rate: decimal = 0.5;\nsection s = staff.n * rate;\n",
                   HEAD "param rate: decimal = 0.75;\nparam extra: int = 1;\nsection s = staff.n * rate + extra;\n", &n);
    assert_non_null(strstr(s, "~ param rate  (a.wz:4 → b.wz:4)\n    default: 0.5 → 0.75\n"));
    assert_non_null(strstr(s, "+ param extra  (b.wz:5)\n"));
    assert_non_null(strstr(s, "~ section s  (a.wz:5 → b.wz:6)\n    formula: staff.n * rate → staff.n * rate + extra\n"));
    assert_int_equal(n, 3);
    g_free(s);
}

/* Layout and comments are no change; nor is declaring a value further down. */
static void test_layout_is_no_change(void **state) {
    guint n = 0;
    char *s = diff(HEAD "let k = 2;\nsection s = staff.n * k;\n",
                   HEAD "section   s =\n    staff.n*k;   # the same\nlet k = 2;\n", &n);
    assert_int_equal(n, 0);
    assert_string_equal(s, "no change in meaning\n");
    g_free(s);
}

/* A value alike but for its name is renamed, not removed and added. */
static void test_rename_detected(void **state) {
    guint n = 0;
    char *s = diff(HEAD "let base = staff.n * 2;\nsection s = base;\n", HEAD "let basic = staff.n * 2;\nsection s = basic;\n", &n);
    assert_non_null(strstr(s, "~ value basic  (a.wz:4 → b.wz:4)\n    name: base → basic\n"));
    assert_null(strstr(s, "+ value"));
    assert_null(strstr(s, "- value"));
    g_free(s);
}

/* A classify is compared case by case, by label, and by the order of its cases;
 * comments inside it are not shown. */
static void test_classify_case_by_case(void **state) {
    guint n = 0;
    char *s = diff(HEAD "let basis = classify {\n    # first\n    a when staff.n > 5;\n    b when staff.n > 2;\n    c otherwise;\n};\nsection s = staff.n;\n",
                   HEAD "let basis = classify {\n    b when staff.n > 2;\n    a when staff.n > 6;   # raised\n    d when staff.n > 1;\n    c otherwise;\n};\nsection s = staff.n;\n",
                   &n);
    assert_int_equal(n, 1);
    assert_non_null(strstr(s, "    case a: a when staff.n > 5; → a when staff.n > 6;\n"));
    assert_non_null(strstr(s, "    case d: — → d when staff.n > 1;\n"));
    assert_non_null(strstr(s, "    order of cases: a, b, c → b, a, c\n"));
    assert_null(strstr(s, "#"));
    g_free(s);
}

/* Each part of a pool in parts is compared with the part of the same name. */
static void test_pool_parts_matched_by_name(void **state) {
    guint n = 0;
#define PARTS(W, S) HEAD "let on = classify { yes otherwise; };\n" \
    "distribute a \"甲\": pool * 60% by on { yes: 1; }\n" \
    "distribute b \"乙\": pool * " W " by on { yes: 1 by staff.n" S "; }\n"
    char *s = diff(PARTS("40%", ""), PARTS("40%", ", zero exclude"), &n);
    assert_int_equal(n, 1);
    assert_non_null(strstr(s, "    share yes when 0: takes a unit → takes no unit\n"));
    g_free(s);
    s = diff(PARTS("40%", ""), PARTS("40%", ", zero counts"), &n);
    assert_int_equal(n, 0);   /* saying what was meant all along is no change */
    g_free(s);
    s = diff(PARTS("40%", ""), PARTS("30%", ""), &n);
    assert_int_equal(n, 1);
    assert_non_null(strstr(s, "~ pool b  (a.wz:6 → b.wz:6)\n    pool: pool * 40% → pool * 30%\n"));
    assert_null(strstr(s, "pool a"));
    g_free(s);
#undef PARTS
}

/* Change k of a → b made alone: the old text with that one edit (or NULL and why). */
static char *alone(const char *a, const char *b, const char *title, char **why) {
    wz_policy *x = load("a.wz", a), *y = load("b.wz", b);
    wz_diff *d = wz_diff_new(x, y);
    char *text = NULL;
    bool found = false;
    for (guint k = 0; k < wz_diff_count(d) && !found; k++)
        if (!strcmp(wz_diff_title(d, k), title)) {
            found = true;
            text = wz_diff_apply_alone(d, k, why);
        }
    assert_true(found);
    wz_diff_free(d);
    wz_policy_free(x);
    wz_policy_free(y);
    return text;
}

#define SEC_A "section s points 10 {\n    deduct late \"迟到\" 0.5 per staff.n;\n}\n"

/* Each change alone is the old text with one edit: a rule's text replaced, a
 * section's header only (its rules are changes of their own), an added rule
 * inserted into its section, a removed one deleted. */
static void test_apply_alone_edits_one_item(void **state) {
    const char *b = HEAD "section s points 12 {\n    deduct late \"迟到\" 0.6 per staff.n;\n    bonus good \"好\" 1 when staff.n > 3;\n}\n";
    char *why = NULL;
    char *t = alone(HEAD SEC_A, b, "rule s.late", &why);
    assert_string_equal(t, HEAD "section s points 10 {\n    deduct late \"迟到\" 0.6 per staff.n;\n}\n");
    g_free(t);
    t = alone(HEAD SEC_A, b, "section s", &why);
    assert_string_equal(t, HEAD "section s points 12 {\n    deduct late \"迟到\" 0.5 per staff.n;\n}\n");
    g_free(t);
    t = alone(HEAD SEC_A, b, "rule s.good", &why);
    assert_string_equal(t, HEAD "section s points 10 {\n    deduct late \"迟到\" 0.5 per staff.n;\n    bonus good \"好\" 1 when staff.n > 3;\n}\n");
    g_free(t);
    t = alone(b, HEAD SEC_A, "rule s.good", &why);   /* removed */
    assert_non_null(t);
    assert_null(strstr(t, "bonus good"));
    assert_non_null(strstr(t, "0.6 per staff.n"));
    g_free(t);
    /* every edit checks */
    wz_diags *dg = wz_diags_new(0);
    t = alone(HEAD SEC_A, b, "rule s.good", &why);
    wz_policy *p = wz_policy_load_text("x.wz", t, strlen(t), dg);
    assert_non_null(p);
    wz_policy_free(p);
    wz_diags_free(dg);
    g_free(t);
}

/* A rename and the header change no value: nothing to run. */
static void test_apply_alone_refuses_what_changes_no_value(void **state) {
    char *why = NULL;
    char *t = alone(HEAD "let base = staff.n * 2;\nsection s = base;\n", HEAD "let basic = staff.n * 2;\nsection s = basic;\n", "value basic", &why);
    assert_null(t);
    assert_string_equal(why, "it is only a new name: no value changes");
    g_free(why);
}

/* A new rule reading a new param: the checker's error names the param, which is then taken along. */
static void test_added_item_taken_along(void **state) {
    wz_policy *x = load("a.wz", HEAD SEC_A),
              *y = load("b.wz", HEAD "param r: decimal = 1;\nsection s points 10 {\n    deduct late \"迟到\" 0.5 per staff.n;\n"
                                      "    deduct more \"更多\" (r) per staff.n;\n}\n");
    wz_diff *d = wz_diff_new(x, y);
    guint rule = G_MAXUINT, param = G_MAXUINT;
    for (guint k = 0; k < wz_diff_count(d); k++) {
        if (!strcmp(wz_diff_title(d, k), "rule s.more")) rule = k;
        if (!strcmp(wz_diff_title(d, k), "param r")) param = k;
    }
    assert_int_not_equal(rule, G_MAXUINT);
    assert_int_equal(wz_diff_added_named(d, "unknown name 'r'", &rule, 1), param);
    assert_int_equal(wz_diff_added_named(d, "unknown name 'q'", &rule, 1), G_MAXUINT);
    guint both[2] = {rule, param};
    char *why = NULL, *t = wz_diff_apply(d, both, 2, &why);
    wz_diags *dg = wz_diags_new(0);
    wz_policy *p = wz_policy_load_text("x.wz", t, strlen(t), dg);
    assert_non_null(p);
    GString *rest = g_string_new(NULL);
    assert_int_equal(wz_diff_policies(p, y, false, rest), 0);   /* both made: the new version */
    g_string_free(rest, TRUE);
    wz_policy_free(p);
    wz_diags_free(dg);
    g_free(t);
    wz_diff_free(d);
    wz_policy_free(x);
    wz_policy_free(y);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_constants_before_and_after),
        cmocka_unit_test(test_params_added_removed_and_defaults),
        cmocka_unit_test(test_layout_is_no_change),
        cmocka_unit_test(test_rename_detected),
        cmocka_unit_test(test_classify_case_by_case),
        cmocka_unit_test(test_pool_parts_matched_by_name),
        cmocka_unit_test(test_apply_alone_edits_one_item),
        cmocka_unit_test(test_apply_alone_refuses_what_changes_no_value),
        cmocka_unit_test(test_added_item_taken_along),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
