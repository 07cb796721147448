/* test_lint.c — wz_lint(): for each lint, a small policy that warns (its first
 * rendered line asserted exactly) and one close to it that must not warn at
 * all.  Every policy reads all it declares, so the only warning is the one
 * the test is about. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check.h"
#include "lint.h"
#include "test_util.h"

#define HEADER "policy \"t\" version \"1\";\n"
/* line 2: the persons, with a number in 0 .. 100 */
#define STAFF "fact staff persons key id { id: text; x: decimal in 0 .. 100; }\n"
/* line 3: many rows per person, each with n in 1 .. 10 */
#define LATE "fact late { id: person; n: int in 1 .. 10; }\n"

/* Lints TEXT (which must check cleanly); returns the number of warnings and,
 * in *first, the first one's first line (NULL when none; caller frees). */
static guint lint(const char *text, char **first) {
    wz_diags *d = wz_diags_new(0);
    wz_policy *p = wz_policy_load_text("t.wz", text, strlen(text), d);
    if (!p) test_print_diags(d);
    assert_non_null(p);
    guint before = d->items->len;
    wz_lint(p, d);
    guint n = d->items->len - before;
    for (guint i = before; i < d->items->len; i++)
        assert_int_equal(((const wz_diag *)g_ptr_array_index(d->items, i))->severity, WZ_SEV_WARNING);
    assert_false(wz_diags_has_errors(d));
    *first = n ? test_diag_line(d, before) : NULL;
    if (n > 1) {   /* say what else there was, to make a failing count readable */
        for (guint i = before + 1; i < d->items->len; i++) {
            char *m = test_diag_line(d, i);
            print_message("also: %s\n", m);
            g_free(m);
        }
    }
    wz_policy_free(p);
    wz_diags_free(d);
    return n;
}

static void expect_warning(const char *text, const char *want) {
    char *first = NULL;
    guint n = lint(text, &first);
    assert_int_equal(n, 1);
    assert_string_equal(first, want);
    g_free(first);
}

static void expect_clean(const char *text) {
    char *first = NULL;
    guint n = lint(text, &first);
    if (n) print_error("unexpected: %s\n", first);
    g_free(first);
    assert_int_equal(n, 0);
}

/* ---- sections against their points, floor and cap ---- */

static void test_section_without_floor(void **state) {
    (void)state;
    expect_warning(HEADER STAFF LATE "let r = staff.x;\nsection s points 10 { deduct late 5 per sum(late.n); }\n",
                   "t.wz:5:9: warning: section 's' has no floor, and its deductions have no limit: it can fall below 0; "
                   "add 'floor 0' to the section, or cap the rules");
    expect_warning(HEADER STAFF LATE "let r = staff.x;\nsection s points 10 { deduct late 5 per sum(late.n) cap 15; }\n",
                   "t.wz:5:9: warning: section 's' has no floor, and its deductions can take it from 10 points down to -5; "
                   "add 'floor 0' to the section, or cap the rules");
    /* 扣完为止: a floor, or deductions that cannot exceed the points */
    expect_clean(HEADER STAFF LATE "let r = staff.x;\nsection s points 10 floor 0 { deduct late 5 per sum(late.n); }\n");
    expect_clean(HEADER STAFF LATE "let r = staff.x;\nsection s points 10 { deduct late 5 per sum(late.n) cap 10; }\n");
}

static void test_section_above_points(void **state) {
    (void)state;
    expect_warning(HEADER STAFF LATE "let r = sum(late.n);\nsection s points 10 floor 0 { bonus good 2 when staff.x > 50; }\n",
                   "t.wz:5:9: warning: section 's' has no cap, and its bonuses can take it above its 10 points, up to 12; "
                   "add 'cap 10' to the section, or cap the rules");
    expect_clean(HEADER STAFF LATE "let r = sum(late.n);\nsection s points 10 floor 0 cap 10 { bonus good 2 when staff.x > 50; }\n");
    /* a section that starts at 0 and only adds has no points to exceed */
    expect_clean(HEADER STAFF LATE "let r = sum(late.n);\nsection s { bonus good 2 when staff.x > 50; }\n");
}

/* ---- a divisor that can be 0 ---- */

static void test_divisor_can_be_zero(void **state) {
    (void)state;
    expect_warning(HEADER STAFF LATE "let r = staff.x / sum(late.n);\n",
                   "t.wz:4:19: warning: the divisor 'sum(late.n)' can be 0 here (it is at least 0), which stops the run for "
                   "that person; guard it (if sum(late.n) > 0 then … else …), or divide by max(sum(late.n), 1)");
    /* guarded by the rows' existence, a sum of positive values is positive */
    expect_clean(HEADER STAFF LATE "let r = if count(late) > 0 then staff.x / sum(late.n) else 0;\n");
    expect_clean(HEADER STAFF LATE "let r = staff.x / max(sum(late.n), 1);\n");
    expect_clean(HEADER STAFF LATE "let r = if staff.x > 0 then sum(late.n) / staff.x else 0;\n");
    /* the same for everyone (a population average): a zero fails the whole run at once */
    expect_clean(HEADER STAFF LATE "let r = sum(late.n) / (sum(all: staff.x) / count(all));\n");
}

/* ---- conditions that never or always hold ---- */

static void test_condition_never_or_always(void **state) {
    (void)state;
    expect_warning(HEADER STAFF LATE "let r = sum(late.n);\nnotice big \"x\" when staff.x > 100;\n",
                   "t.wz:5:21: warning: this notice's 'when' 'staff.x > 100' never holds: 'staff.x' is from 0 to 100 here; "
                   "the notice is never given; correct the condition, or remove what it guards");
    expect_warning(HEADER STAFF LATE "let r = if count(late) >= 0 then staff.x else sum(late.n);\n",
                   "t.wz:4:12: warning: the condition 'count(late) >= 0' always holds: 'count(late)' is at least 0 here; "
                   "the 'else' branch is never taken; drop the condition, or correct it");
    expect_clean(HEADER STAFF LATE "let r = sum(late.n);\nnotice big \"x\" when staff.x > 90;\n");
    /* the right of `and` knows the left holds: not "always" */
    expect_clean(HEADER STAFF LATE "let r = sum(late.n);\nnotice big \"x\" when staff.x > 90 and staff.x < 95;\n");
}

/* ---- classify cases that can never be chosen ---- */

static void test_unreachable_cases(void **state) {
    (void)state;
    expect_warning(HEADER STAFF "let b = classify { hi when staff.x >= 50; again when staff.x >= 50; lo otherwise; };\n",
                   "t.wz:3:43: warning: case 'again' can never be chosen: case 'hi' on line 3 has the same condition; "
                   "correct one of them, or remove this case");
    expect_warning(HEADER STAFF "let b = classify { hi when staff.x >= 50; mid when staff.x >= 0; lo otherwise; };\n",
                   "t.wz:3:66: warning: case 'lo' can never be chosen: case 'mid' on line 3 ('staff.x >= 0') always holds "
                   "before it; correct that condition, or remove this case");
    expect_warning(HEADER STAFF "let b = classify { hi when staff.x >= 50; mid when staff.x > 60; lo otherwise; };\n",
                   "t.wz:3:43: warning: case 'mid' can never be chosen: 'staff.x > 60' never holds for whom the cases above "
                   "leave; correct the condition, or remove the case");
    expect_clean(HEADER STAFF "let b = classify { hi when staff.x >= 50; mid when staff.x >= 20; lo otherwise; };\n");
}

/* ---- a `by X` share whose X can be 0 ---- */

#define POOL(by)                                                                                  \
    HEADER "fact staff persons key id { id: text; x: decimal in " by "; }\nparam pool: decimal;\n" \
           "let basis = classify { score otherwise; };\n"                                         \
           "distribute pool by basis { score: 1 by staff.x; }\n"

static void test_share_by_zero(void **state) {
    (void)state;
    expect_warning(POOL("0 .. 100"),
                   "t.wz:5:40: warning: 'staff.x' can be 0 for a person with share 'score' (it is from 0 to 100): that "
                   "person still takes a unit of the share's group, which goes to the others in proportion to 'staff.x'; "
                   "say which is meant: 'by staff.x, zero counts' (the unit stays) or 'by staff.x, zero exclude' (such a person "
                   "takes no unit)");
    expect_clean(POOL("1 .. 100"));
}

/* Issue 15.7: the policy says what a 0 does, and the warning is answered. */
#define POOL_SAID(choice)                                                                         \
    HEADER "fact staff persons key id { id: text; x: decimal in 0 .. 100; }\nparam pool: decimal;\n" \
           "let basis = classify { score otherwise; };\n"                                         \
           "distribute pool by basis { score: 1 by staff.x" choice "; }\n"

static void test_share_by_zero_said_is_not_warned(void **state) {
    (void)state;
    expect_clean(POOL_SAID(", zero counts"));
    expect_clean(POOL_SAID(", zero exclude"));
    expect_clean(POOL_SAID(", 为零 占份"));
    expect_clean(POOL_SAID(", 为零 不参与分配"));
}

/* ---- params, facts and fields never read ---- */

static void test_unused_param(void **state) {
    (void)state;
    expect_warning(HEADER STAFF "param rate: decimal = 2;\nlet r = staff.x;\n",
                   "t.wz:3:7: warning: param 'rate' is declared but never read; use it where it was meant, or remove it");
    expect_clean(HEADER STAFF "param rate: decimal = 2;\nlet r = staff.x * rate;\n");
}

static void test_unused_fact_and_field(void **state) {
    (void)state;
    expect_warning(HEADER STAFF LATE "let r = staff.x;\n",
                   "t.wz:3:6: warning: fact 'late' is declared but never read (its file is still required and checked); use "
                   "it where it was meant, or remove it");
    expect_warning(HEADER STAFF LATE "let r = staff.x + count(late);\n",
                   "t.wz:3:25: warning: field 'late.n' is declared but never read; use it where it was meant, or drop it "
                   "from the fact and its file");
    expect_clean(HEADER STAFF LATE "let r = staff.x + sum(late.n);\n");
    /* a text field describes the row; the persons fact is read by existing */
    expect_clean(HEADER "fact staff persons key id { id: text; name: text; }\nlet r = 1;\n");
}

/* ---- look-alike names ---- */

static void test_look_alike_names(void **state) {
    (void)state;
    expect_warning(HEADER STAFF "let 教学 = staff.x;\nlet 敎学 = staff.x;\n",
                   "t.wz:4:5: warning: '敎学' looks like '教学' on line 3 but is a different name (full-width or variant "
                   "characters); write both the same way");
    /* a compatibility ideograph folds to its unified form (NFKC) */
    expect_warning(HEADER STAFF "let 金额 = staff.x;\nlet \xef\xa4\x8a额 = staff.x;\n",
                   "t.wz:4:5: warning: '\xef\xa4\x8a额' looks like '金额' on line 3 but is a different name (full-width or "
                   "variant characters); write both the same way");
    expect_clean(HEADER STAFF "let 教学 = staff.x;\nlet 数学 = staff.x;\n");
}

/* ---- every shipped policy's warnings are known ---- */

static void test_shipped_policies(void **state) {
    (void)state;
    static const struct { const char *file; guint warnings; } shipped[] = {
        {"policies/chengguan3-targets.wz", 0},
        {"policies/county-plan-2011.wz", 0},
        {"policies/dongliu-2019.wz", 1},   /* score: 1 by total — a total of 0 (a 100% cut) still takes a unit */
        {"policies/dongliu-2020.wz", 1},   /* the same */
        {"policies/junheng-accountability.wz", 0},
        {"policies/kashi10-milestones-2017.wz", 0},
        {"policies/songtao-grades.wz", 0},
        {"policies/songtao-grades-2021.wz", 0},
        {"policies/township-2019.wz", 1},  /* 0.5 / (count(research sharing project) - 1): a lone 成员 */
        {"policies/tuoluoao-2008.wz", 0},
        {"policies/tuoluoao-2008-rankings.wz", 0},
        {"policies/yaliu-accountability.wz", 0},
        {"tests/policies/threads_entities.wz", 0},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(shipped); i++) {
        char *path = g_build_filename(WZ_SOURCE_DIR, shipped[i].file, NULL);
        wz_diags *d = wz_diags_new(0);
        wz_policy *p = wz_policy_load(path, d);
        assert_non_null(p);
        wz_lint(p, d);
        if (d->items->len != shipped[i].warnings) print_error("%s: %u warnings\n", shipped[i].file, d->items->len);
        assert_int_equal(d->items->len, shipped[i].warnings);
        wz_policy_free(p);
        wz_diags_free(d);
        g_free(path);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_section_without_floor),
        cmocka_unit_test(test_section_above_points),
        cmocka_unit_test(test_divisor_can_be_zero),
        cmocka_unit_test(test_condition_never_or_always),
        cmocka_unit_test(test_unreachable_cases),
        cmocka_unit_test(test_share_by_zero),
        cmocka_unit_test(test_share_by_zero_said_is_not_warned),
        cmocka_unit_test(test_unused_param),
        cmocka_unit_test(test_unused_fact_and_field),
        cmocka_unit_test(test_look_alike_names),
        cmocka_unit_test(test_shipped_policies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
