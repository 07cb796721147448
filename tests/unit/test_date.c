/* Unit tests for date.c: day-number conversions, ISO parsing and age logic. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib.h>
#include <string.h>

#include "date.h"

static wz_date P(const char *s)
{
    wz_date d = 0;
    if (!wz_date_parse(s, strlen(s), &d))
        fail_msg("test date \"%s\" did not parse", s);
    return d;
}

static bool parses(const char *s)
{
    wz_date d;
    return wz_date_parse(s, strlen(s), &d);
}

static void test_known_day_numbers(void **state)
{
    (void)state;
    assert_int_equal(wz_date_from_ymd(1970, 1, 1), 0);
    assert_int_equal(wz_date_from_ymd(1969, 12, 31), -1);
    assert_int_equal(wz_date_from_ymd(1970, 1, 2), 1);
    assert_int_equal(wz_date_from_ymd(2000, 3, 1), 11017);
    assert_int_equal(wz_date_from_ymd(2019, 9, 2), 18141);
    assert_int_equal(wz_date_from_ymd(1900, 1, 1), -25567);
    assert_int_equal(wz_date_from_ymd(2100, 12, 31), 47846);
    assert_int_equal(wz_date_from_ymd(1000, 1, 1), -354285);
    assert_int_equal(wz_date_from_ymd(9999, 12, 31), 2932896);
    assert_int_equal(P("2019-09-02"), 18141);
}

/* Walks every day 1900..2100 with an independent calendar counter and checks
 * the conversions and the text round trip against it. */
static void test_every_day_1900_to_2100_round_trips(void **state)
{
    (void)state;
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = 1900, m = 1, d = 1;
    wz_date first = wz_date_from_ymd(1900, 1, 1);
    wz_date last = wz_date_from_ymd(2100, 12, 31);
    int count = 0;
    for (wz_date day = first; day <= last; day++, count++) {
        int yy, mm, dd;
        assert_int_equal(wz_date_from_ymd(y, m, d), day);
        wz_date_to_ymd(day, &yy, &mm, &dd);
        if (yy != y || mm != m || dd != d)
            fail_msg("day %d: got %04d-%02d-%02d, want %04d-%02d-%02d", (int)day, yy, mm,
                     dd, y, m, d);

        char buf[11], want[32];
        wz_date_format(day, buf);
        g_snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
        assert_string_equal(buf, want);
        wz_date back = -12345678;
        assert_true(wz_date_parse(buf, 10, &back));
        assert_int_equal(back, day);

        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        int len = dim[m - 1] + (m == 2 && leap);
        if (++d > len) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    assert_int_equal(y, 2101);
    assert_int_equal(count, 73414);   /* 201 years incl. 49 leap days */
}

static void test_format_parse_round_trip_full_year_range(void **state)
{
    (void)state;
    wz_date first = P("1000-01-01"), last = P("9999-12-31");
    for (wz_date day = first; day <= last; day += 7) {
        char buf[11];
        wz_date back;
        wz_date_format(day, buf);
        assert_int_equal(strlen(buf), 10);
        assert_true(wz_date_parse(buf, 10, &back));
        assert_int_equal(back, day);
    }
    char buf[11];
    wz_date_format(last, buf);
    assert_string_equal(buf, "9999-12-31");
    wz_date_format(first, buf);
    assert_string_equal(buf, "1000-01-01");
}

static void test_parse_rejects_invalid_dates(void **state)
{
    (void)state;
    const char *bad[] = {
        "2019-02-29", "2019-13-01", "2019-1-01", "2019/01/01", "2019-00-10",
        "2019-01-00", "2019-04-31", "2019-06-31", "2019-01-32", "0999-12-31",
        "0000-01-01", "20190101", "2019-01-011", "2019-01-0a", "+019-01-01",
        "-019-01-01", " 2019-01-01", "2019-01-01 ", "2019-1-1", "19-01-01",
        "", "2019-01", "2019_01_01", "2019-0１-01",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        if (parses(bad[i]))
            fail_msg("\"%s\" was accepted", bad[i]);
    }
    wz_date d;
    assert_false(wz_date_parse("2019-01-01", 9, &d));
    assert_false(wz_date_parse("2019-01\0" "01", 10, &d));
}

static void test_parse_reads_only_len_bytes(void **state)
{
    (void)state;
    wz_date d = 0;
    assert_true(wz_date_parse("2019-09-02T10:00", 10, &d));
    assert_int_equal(d, 18141);
    assert_false(wz_date_parse("2019-09-02T10:00", 11, &d));
}

static void test_leap_years(void **state)
{
    (void)state;
    assert_true(parses("2000-02-29"));    /* divisible by 400 */
    assert_false(parses("1900-02-29"));   /* divisible by 100 only */
    assert_false(parses("2100-02-29"));
    assert_true(parses("2400-02-29"));
    assert_true(parses("2004-02-29"));
    assert_true(parses("2020-02-29"));
    assert_false(parses("2019-02-29"));
    assert_false(parses("2000-02-30"));
    assert_int_equal(P("2000-03-01") - P("2000-02-28"), 2);
    assert_int_equal(P("1900-03-01") - P("1900-02-28"), 1);
    assert_int_equal(P("2001-01-01") - P("2000-01-01"), 366);
    assert_int_equal(P("1901-01-01") - P("1900-01-01"), 365);
}

static void test_from_ymd_carries_out_of_range_fields(void **state)
{
    (void)state;
    assert_int_equal(wz_date_from_ymd(2019, 13, 1), P("2020-01-01"));
    assert_int_equal(wz_date_from_ymd(2019, 0, 1), P("2018-12-01"));
    assert_int_equal(wz_date_from_ymd(2019, -11, 1), P("2018-01-01"));
    assert_int_equal(wz_date_from_ymd(2019, 2, 29), P("2019-03-01"));
    assert_int_equal(wz_date_from_ymd(2019, 3, 0), P("2019-02-28"));
    assert_int_equal(wz_date_from_ymd(2019, 1, 365), P("2019-12-31"));
}

static void test_format_out_of_range_year_is_placeholder(void **state)
{
    (void)state;
    char buf[11];
    wz_date_format(wz_date_from_ymd(10000, 1, 1), buf);
    assert_string_equal(buf, "XXXX-XX-XX");
    wz_date_format(wz_date_from_ymd(-1, 12, 31), buf);
    assert_string_equal(buf, "XXXX-XX-XX");
    wz_date_format(INT32_MAX, buf);
    assert_string_equal(buf, "XXXX-XX-XX");
    wz_date_format(INT32_MIN, buf);
    assert_string_equal(buf, "XXXX-XX-XX");
    wz_date_format(wz_date_from_ymd(0, 1, 1), buf);
    assert_string_equal(buf, "0000-01-01");
}

static void test_extreme_day_numbers_convert_without_overflow(void **state)
{
    (void)state;
    wz_date extremes[] = {INT32_MIN, INT32_MIN + 1, -1, 0, INT32_MAX - 1, INT32_MAX};
    for (size_t i = 0; i < G_N_ELEMENTS(extremes); i++) {
        int y, m, d;
        wz_date_to_ymd(extremes[i], &y, &m, &d);
        assert_in_range(m, 1, 12);
        assert_in_range(d, 1, 31);
        assert_int_equal(wz_date_from_ymd(y, m, d), extremes[i]);
    }
}

static void test_full_years_birthday_logic(void **state)
{
    (void)state;
    wz_date born = P("1964-09-02");
    assert_int_equal(wz_date_full_years(born, P("2019-09-01")), 54);
    assert_int_equal(wz_date_full_years(born, P("2019-09-02")), 55);
    assert_int_equal(wz_date_full_years(born, P("2019-12-31")), 55);
    assert_int_equal(wz_date_full_years(born, born), 0);
    assert_int_equal(wz_date_full_years(born, P("1965-09-01")), 0);
    assert_int_equal(wz_date_full_years(born, P("1965-09-02")), 1);
    assert_int_equal(wz_date_full_years(P("2000-03-01"), P("2019-02-28")), 18);
    assert_int_equal(wz_date_full_years(P("2000-03-01"), P("2019-03-01")), 19);
    assert_int_equal(wz_date_full_years(P("2000-01-31"), P("2000-12-31")), 0);
    assert_int_equal(wz_date_full_years(P("1999-12-31"), P("2000-01-01")), 0);
}

static void test_full_years_feb29_birthday_ticks_on_mar1(void **state)
{
    (void)state;
    wz_date leapling = P("2000-02-29");
    assert_int_equal(wz_date_full_years(leapling, P("2001-02-28")), 0);
    assert_int_equal(wz_date_full_years(leapling, P("2001-03-01")), 1);
    assert_int_equal(wz_date_full_years(leapling, P("2004-02-28")), 3);
    assert_int_equal(wz_date_full_years(leapling, P("2004-02-29")), 4);
    assert_int_equal(wz_date_full_years(leapling, P("2100-02-28")), 99);
    assert_int_equal(wz_date_full_years(leapling, P("2100-03-01")), 100);
    /* Born Feb 28: a leap year's Feb 29 is already past the birthday. */
    assert_int_equal(wz_date_full_years(P("2003-02-28"), P("2004-02-28")), 1);
    assert_int_equal(wz_date_full_years(P("2003-02-28"), P("2004-02-27")), 0);
}

static void test_full_years_is_antisymmetric_when_reversed(void **state)
{
    (void)state;
    wz_date born = P("1964-09-02");
    assert_int_equal(wz_date_full_years(P("2019-09-02"), born), -55);
    assert_int_equal(wz_date_full_years(P("2019-09-01"), born), -54);
    assert_int_equal(wz_date_full_years(P("1965-09-01"), born), 0);
    for (wz_date a = P("1999-01-01"); a < P("2001-01-01"); a += 13)
        for (wz_date b = P("1996-06-01"); b < P("2004-06-01"); b += 29)
            assert_int_equal(wz_date_full_years(a, b), -wz_date_full_years(b, a));
}

static void test_full_months_counts_like_full_years(void **state)
{
    (void)state;
    assert_int_equal(wz_date_full_months(P("2019-09-01"), P("2020-07-15")), 10);
    assert_int_equal(wz_date_full_months(P("2019-11-20"), P("2020-07-15")), 7);
    assert_int_equal(wz_date_full_months(P("2019-11-20"), P("2020-07-20")), 8);
    assert_int_equal(wz_date_full_months(P("2020-01-31"), P("2020-02-29")), 0);   /* the 31st never comes in February */
    assert_int_equal(wz_date_full_months(P("2020-01-31"), P("2020-03-31")), 2);
    assert_int_equal(wz_date_full_months(P("2019-12-15"), P("2020-01-15")), 1);   /* across the year */
    assert_int_equal(wz_date_full_months(P("2019-12-15"), P("2019-12-15")), 0);
    for (wz_date a = P("2019-01-01"); a < P("2020-06-01"); a += 11)
        for (wz_date b = P("2018-06-01"); b < P("2021-06-01"); b += 17) {
            assert_int_equal(wz_date_full_months(a, b), -wz_date_full_months(b, a));
            /* twelve whole months are a whole year */
            if (b >= a) assert_int_equal(wz_date_full_months(a, b) / 12, wz_date_full_years(a, b));
        }
}

static void test_next_month_and_next_monday(void **state)
{
    (void)state;
    assert_int_equal(wz_date_next_month(P("2019-09-01")), P("2019-10-01"));
    assert_int_equal(wz_date_next_month(P("2019-12-31")), P("2020-01-01"));
    assert_int_equal(wz_date_next_month(P("2020-02-29")), P("2020-03-01"));
    assert_int_equal(wz_date_next_monday(P("2019-09-01")), P("2019-09-02"));   /* a Sunday */
    assert_int_equal(wz_date_next_monday(P("2019-09-02")), P("2019-09-09"));   /* a Monday: the next one */
    assert_int_equal(wz_date_next_monday(P("1969-12-31")), P("1970-01-05"));   /* before day 0 */
    for (wz_date d = P("1960-01-01"); d < P("2040-01-01"); d += 37) {
        wz_date m = wz_date_next_monday(d);
        assert_true(m > d && m - d <= 7);
        assert_int_equal(((int64_t)m + 3) % 7, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_day_numbers),
        cmocka_unit_test(test_every_day_1900_to_2100_round_trips),
        cmocka_unit_test(test_format_parse_round_trip_full_year_range),
        cmocka_unit_test(test_parse_rejects_invalid_dates),
        cmocka_unit_test(test_parse_reads_only_len_bytes),
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_from_ymd_carries_out_of_range_fields),
        cmocka_unit_test(test_format_out_of_range_year_is_placeholder),
        cmocka_unit_test(test_extreme_day_numbers_convert_without_overflow),
        cmocka_unit_test(test_full_years_birthday_logic),
        cmocka_unit_test(test_full_years_feb29_birthday_ticks_on_mar1),
        cmocka_unit_test(test_full_years_is_antisymmetric_when_reversed),
        cmocka_unit_test(test_full_months_counts_like_full_years),
        cmocka_unit_test(test_next_month_and_next_monday),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
