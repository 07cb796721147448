/* test_builtins.c — the builtin and aggregate tables (interp/builtins.c) and
 * the checker's resolution of a call to a row of them, which the compiler
 * then dispatches on (never on the name). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "builtins.h"
#include "check.h"

static void test_every_row_is_named_and_found_by_both_names(void **state)
{
    (void)state;
    assert_null(wz_builtins[WZ_B_NONE].name);
    for (int b = WZ_B_NONE + 1; b < WZ_B__COUNT; b++) {
        const wz_builtin_info *bi = &wz_builtins[b];
        assert_non_null(bi->name);
        assert_non_null(bi->meaning);
        assert_true(bi->min_args >= 1 && bi->min_args <= bi->max_args);
        assert_int_equal(wz_builtin_find(bi->name), b);
        if (bi->zh) assert_int_equal(wz_builtin_find(bi->zh), b);
        for (int k = WZ_B_NONE + 1; k < b; k++) assert_string_not_equal(bi->name, wz_builtins[k].name);
    }
    for (int a = 0; a < WZ_AGG__COUNT; a++) {
        assert_int_equal(wz_agg_find(wz_aggs[a].name), a);
        assert_int_equal(wz_agg_find(wz_aggs[a].zh), a);
    }
    assert_int_equal(wz_builtin_find("四舍五入"), WZ_B_ROUND);
    assert_int_equal(wz_builtins[WZ_B_ROUND_DOWN].round, WZ_ROUND_DOWN);
    assert_int_equal(wz_builtins[WZ_B_RANK_ASC].dir, +1);
    assert_true(wz_builtins[WZ_B_DENSE_RANK_DESC].dense);
    assert_int_equal(wz_agg_find("平均"), WZ_AGG_AVG);
    assert_int_equal(wz_builtin_find("sum"), WZ_B_NONE);   /* an aggregate only */
    assert_int_equal(wz_agg_find("round"), -1);
}

/* The unknown-function message lists the value functions, then the aggregates not named yet. */
static void test_hint_lists_value_functions_then_aggregates(void **state)
{
    (void)state;
    char *hint = wz_builtin_hint();
    assert_string_equal(hint, "min, max, round, round_half_even, round_down, abs, full_years, days_between, full_months, exists, cut, "
                              "excluded, sum, count, avg");
    g_free(hint);
}

static const wz_node *def_expr(const wz_policy *p, const char *name)
{
    int d = wz_policy_find_def(p, name);
    assert_true(d >= 0);
    return wz_node_kid(((const wz_def *)g_ptr_array_index(p->defs, d))->node, 0);
}

/* A call written in either language resolves to its row, and takes its English name. */
static void test_checker_resolves_calls_to_rows(void **state)
{
    (void)state;
    static const char text[] =
        "policy \"t\" version \"1\";\n"
        "fact staff persons key id { id: text; n: decimal; }\n"
        "fact leave { id: person; days: decimal; }\n"
        "let a = 四舍五入(staff.n, 1);\n"
        "let b = 最大(1, staff.n, 3);\n"
        "let c = 合计(leave.days);\n"
        "let d = 最大(leave.days) ?? 0;\n"
        "let r = 名次(staff.n);\n";
    wz_diags *diags = wz_diags_new(0);
    wz_policy *p = wz_policy_load_text("t.wz", text, strlen(text), diags);
    assert_non_null(p);
    const wz_node *a = def_expr(p, "a"), *b = def_expr(p, "b"), *c = def_expr(p, "c"), *d = wz_node_kid(def_expr(p, "d"), 0),
                  *r = def_expr(p, "r");
    assert_int_equal(a->kind, WZ_N_CALL);
    assert_int_equal(a->builtin, WZ_B_ROUND);
    assert_string_equal(a->name, "round");
    assert_int_equal(b->builtin, WZ_B_MAX);
    assert_int_equal(c->kind, WZ_N_AGG);      /* one argument: the aggregate */
    assert_int_equal(c->op, WZ_AGG_SUM);
    assert_int_equal(d->kind, WZ_N_AGG);
    assert_int_equal(d->op, WZ_AGG_MAX);
    assert_int_equal(r->builtin, WZ_B_RANK_DESC);
    wz_policy_free(p);
    wz_diags_free(diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_row_is_named_and_found_by_both_names),
        cmocka_unit_test(test_hint_lists_value_functions_then_aggregates),
        cmocka_unit_test(test_checker_resolves_calls_to_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
