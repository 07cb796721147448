/* test_suggest.c — "did you mean" (interp/suggest.c).
 *
 * The edit distance on code points (a swap of neighbours is one edit, a
 * Chinese character one character, not three bytes); which candidates are
 * close enough for their length; that two equally close candidates are a
 * guess, not a suggestion; and the hint's wording.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "suggest.h"

static const char *best_of(const char *word, const char *const *cands)
{
    wz_suggest s;
    wz_suggest_begin(&s, word);
    for (; *cands; cands++) wz_suggest_consider(&s, *cands);
    return wz_suggest_end(&s);
}

static void test_edit_distance_counts_code_points(void **state)
{
    (void)state;
    assert_int_equal(wz_edit_distance("deduct", "deduct"), 0);
    assert_int_equal(wz_edit_distance("dedcut", "deduct"), 1);   /* a swap of neighbours */
    assert_int_equal(wz_edit_distance("dedct", "deduct"), 1);
    assert_int_equal(wz_edit_distance("deducts", "deduct"), 1);
    assert_int_equal(wz_edit_distance("bonus", "deduct"), 5);   /* b→d, o→e, n→d, s→c, +t */
    assert_int_equal(wz_edit_distance("", "abc"), 3);
    assert_int_equal(wz_edit_distance("病价", "病假"), 1);          /* one character, not three bytes */
    assert_int_equal(wz_edit_distance("假病", "病假"), 1);
    assert_int_equal(wz_edit_distance("扣分", "扣"), 1);
}

static void test_suggests_the_closest_candidate(void **state)
{
    (void)state;
    const char *const keywords[] = {"deduct", "bonus", "section", NULL};
    assert_string_equal(best_of("dedcut", keywords), "deduct");
    assert_string_equal(best_of("bonsu", keywords), "bonus");
    assert_string_equal(best_of("sectoin", keywords), "section");
    const char *const kinds[] = {"病假", "事假", "旷工", NULL};
    assert_string_equal(best_of("旷功", kinds), "旷工");
    const char *const ids[] = {"leave.days", "days", "day_count", NULL};
    assert_string_equal(best_of("dayz", ids), "days");
}

static void test_nothing_close_enough_is_no_suggestion(void **state)
{
    (void)state;
    const char *const names[] = {"age", "total", "pool", NULL};
    assert_null(best_of("xyzzy", names));
    assert_null(best_of("ag", (const char *const[]){"ab", NULL}));    /* two letters: too short to guess */
    assert_null(best_of("total", (const char *const[]){"total", NULL}));   /* the word itself */
    assert_null(best_of("病", (const char *const[]){"事", NULL}));   /* one Chinese character */
    assert_null(best_of("病假", (const char *const[]){"旷工", NULL}));
}

static void test_limit_grows_with_length(void **state)
{
    (void)state;
    assert_int_equal(wz_suggest_limit(2, false), 0);
    assert_int_equal(wz_suggest_limit(3, false), 1);
    assert_int_equal(wz_suggest_limit(6, false), 2);
    assert_int_equal(wz_suggest_limit(1, true), 0);
    assert_int_equal(wz_suggest_limit(2, true), 1);
    assert_int_equal(wz_suggest_limit(9, true), 3);
}

static void test_two_equally_close_candidates_are_no_suggestion(void **state)
{
    (void)state;
    assert_null(best_of("cat", (const char *const[]){"car", "bat", NULL}));
    assert_null(best_of("cat", (const char *const[]){"bat", "car", NULL}));
    assert_null(best_of("婚假", (const char *const[]){"病假", "事假", NULL}));   /* a real value, not a slip */
    assert_string_equal(best_of("cat", (const char *const[]){"car", "car", NULL}), "car");   /* the same name twice */
    assert_string_equal(best_of("catt", (const char *const[]){"bat", "cat", NULL}), "cat");   /* one closer */
}

static void test_hint_text(void **state)
{
    (void)state;
    char *h = wz_suggest_hint("deduct");
    assert_string_equal(h, "; did you mean 'deduct'?");
    g_free(h);
    h = wz_suggest_hint(NULL);
    assert_string_equal(h, "");
    g_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edit_distance_counts_code_points),
        cmocka_unit_test(test_suggests_the_closest_candidate),
        cmocka_unit_test(test_nothing_close_enough_is_no_suggestion),
        cmocka_unit_test(test_limit_grows_with_length),
        cmocka_unit_test(test_two_equally_close_candidates_are_no_suggestion),
        cmocka_unit_test(test_hint_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
