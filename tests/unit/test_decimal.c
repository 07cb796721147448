/* Unit tests for decimal.c: exactness, normalisation, overflow detection,
 * rounding modes and display formatting. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib.h>
#include <string.h>

#include "decimal.h"

typedef unsigned __int128 u128;

#define I128_MAX ((wz_i128)(((u128)1 << 127) - 1))

static wz_i128 p10(int k)
{
    wz_i128 v = 1;
    while (k-- > 0)
        v *= 10;
    return v;
}

/* Parses a literal the test relies on being valid. */
static wz_dec D(const char *s)
{
    wz_dec v = WZ_DEC_ZERO;
    wz_dec_status st = wz_dec_parse(s, strlen(s), &v);
    if (st != WZ_DEC_OK)
        fail_msg("test literal \"%s\" did not parse: %s", s, wz_dec_status_message(st));
    return v;
}

/* A raw 128-bit integer, for operands beyond the 36-digit parse limit. */
static wz_i128 I(const char *s)
{
    u128 v = 0;
    for (; *s; s++)
        v = v * 10 + (u128)(*s - '0');
    return (wz_i128)v;
}

static wz_dec Q(wz_i128 num, wz_i128 den)
{
    return (wz_dec){num, den};
}

static void assert_normalised(wz_dec v)
{
    assert_true(v.den > 0);
    u128 a = v.num < 0 ? -(u128)v.num : (u128)v.num, b = (u128)v.den;
    while (b != 0) {
        u128 t = a % b;
        a = b;
        b = t;
    }
    assert_true(a == 1 || (v.num == 0 && v.den == 1));
}

#define ASSERT_FRAC(v, want)                               \
    do {                                                   \
        char *f_ = wz_dec_to_fraction_string(v);           \
        assert_string_equal(f_, want);                     \
        g_free(f_);                                        \
    } while (0)

#define ASSERT_FMT(v, minp, maxp, want)                    \
    do {                                                   \
        char b_[256];                                      \
        size_t n_ = wz_dec_format(v, minp, maxp, b_, sizeof b_); \
        assert_string_equal(b_, want);                     \
        assert_int_equal(n_, strlen(want));                \
    } while (0)

#define ASSERT_DEC_EQ(a, b) assert_int_equal(wz_dec_cmp(a, b), 0)

/* ---- parsing ---------------------------------------------------------- */

static void test_parse_accepts_plain_decimals(void **state)
{
    (void)state;
    ASSERT_FRAC(D("12"), "12");
    ASSERT_FRAC(D("-0.5"), "-1/2");
    ASSERT_FRAC(D("+3.25"), "13/4");
    ASSERT_FRAC(D("007"), "7");
    ASSERT_FRAC(D("00.10"), "1/10");
    ASSERT_FRAC(D("0.000123"), "123/1000000");
    ASSERT_FRAC(D("100.5"), "201/2");
    ASSERT_FRAC(D("1.50000000000000000000000000000000000000000"), "3/2");
    ASSERT_FRAC(D("0.00000000000000000000000000000000000001"),
                "1/100000000000000000000000000000000000000");
    ASSERT_FRAC(D("999999999999999999999999999999999999"),
                "999999999999999999999999999999999999");
    ASSERT_FRAC(D("-99999999999999999999999999999999999.9"),
                "-999999999999999999999999999999999999/10");
}

static void test_parse_zero_forms_are_normalised_zero(void **state)
{
    (void)state;
    const char *zeros[] = {"0", "-0", "+0", "0.0", "-0.000", "000"};
    for (size_t i = 0; i < G_N_ELEMENTS(zeros); i++) {
        wz_dec v = D(zeros[i]);
        assert_true(v.num == 0 && v.den == 1);
        assert_int_equal(wz_dec_sign(v), 0);
    }
}

static void test_parse_reads_only_len_bytes(void **state)
{
    (void)state;
    wz_dec v;
    assert_int_equal(wz_dec_parse("12.5abc", 4, &v), WZ_DEC_OK);
    ASSERT_FRAC(v, "25/2");
    assert_int_equal(wz_dec_parse("12.5abc", 2, &v), WZ_DEC_OK);
    ASSERT_FRAC(v, "12");
    assert_int_equal(wz_dec_parse("12.5abc", 5, &v), WZ_DEC_SYNTAX);
}

static void test_parse_rejects_malformed(void **state)
{
    (void)state;
    const char *bad[] = {".5", "5.", "", "-", "+", "1e3", "1E3", " 1", "1 ", "1,000",
                         "--1", "+-1", "1.2.3", "0x10", "1.-5", "1..2", "-.5", "abc",
                         "1_000", "\xef\xbc\x91", "NaN", "inf"};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        wz_dec v = WZ_DEC_ONE;
        wz_dec_status st = wz_dec_parse(bad[i], strlen(bad[i]), &v);
        if (st != WZ_DEC_SYNTAX)
            fail_msg("\"%s\" gave status %d, want WZ_DEC_SYNTAX", bad[i], (int)st);
    }
    wz_dec v;
    assert_int_equal(wz_dec_parse("5.", 2, &v), WZ_DEC_SYNTAX);
    assert_int_equal(wz_dec_parse("5.25", 2, &v), WZ_DEC_SYNTAX);   /* "5." */
    assert_int_equal(wz_dec_parse("1\0" "2", 3, &v), WZ_DEC_SYNTAX);  /* embedded NUL */
}

static void test_parse_limits_significant_digits(void **state)
{
    (void)state;
    wz_dec v;
    const char *too_long[] = {
        "1234567890123456789012345678901234567",        /* 37 digits */
        "-1000000000000000000000000000000000000",       /* 37 digits */
        "1.000000000000000000000000000000000001",       /* 37 significant */
        "0.000000000000000000000000000000000000001",    /* 10^-39 */
        "100000000000000000000000000000000000000000000",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(too_long); i++) {
        wz_dec_status st = wz_dec_parse(too_long[i], strlen(too_long[i]), &v);
        if (st != WZ_DEC_OVERFLOW)
            fail_msg("\"%s\" gave status %d, want WZ_DEC_OVERFLOW", too_long[i], (int)st);
    }
    /* Leading zeros do not count as significant. */
    assert_int_equal(wz_dec_parse("0000000000123456789012345678901234567890123456",
                                  46, &v), WZ_DEC_OK);
}

/* ---- arithmetic ------------------------------------------------------- */

static void test_add_point_one_point_two_is_exactly_point_three(void **state)
{
    (void)state;
    wz_dec r;
    assert_int_equal(wz_dec_add(D("0.1"), D("0.2"), &r), WZ_DEC_OK);
    assert_true(r.num == 3 && r.den == 10);
    ASSERT_DEC_EQ(r, D("0.3"));
    assert_int_equal(wz_dec_sub(r, D("0.3"), &r), WZ_DEC_OK);
    assert_true(r.num == 0 && r.den == 1);
}

static void test_add_sub_mixed_denominators(void **state)
{
    (void)state;
    wz_dec r;
    assert_int_equal(wz_dec_add(Q(1, 6), Q(1, 10), &r), WZ_DEC_OK);
    ASSERT_FRAC(r, "4/15");
    assert_int_equal(wz_dec_add(Q(1, 6), Q(1, 3), &r), WZ_DEC_OK);
    ASSERT_FRAC(r, "1/2");
    assert_int_equal(wz_dec_sub(Q(1, 4), Q(3, 4), &r), WZ_DEC_OK);
    ASSERT_FRAC(r, "-1/2");
    assert_int_equal(wz_dec_add(Q(-5, 1), Q(7, 1), &r), WZ_DEC_OK);
    ASSERT_FRAC(r, "2");
    assert_int_equal(wz_dec_add(Q(3, 4), Q(1, 4), &r), WZ_DEC_OK);
    ASSERT_FRAC(r, "1");
    assert_int_equal(wz_dec_add(Q(0, 1), Q(-3, 7), &r), WZ_DEC_OK);
    ASSERT_FRAC(r, "-3/7");
    assert_int_equal(wz_dec_sub(Q(-3, 7), Q(-3, 7), &r), WZ_DEC_OK);
    assert_true(r.num == 0 && r.den == 1);
    assert_int_equal(wz_dec_sub(D("100.25"), D("0.255"), &r), WZ_DEC_OK);
    ASSERT_DEC_EQ(r, D("99.995"));
}

static void test_mul_div_are_exact(void **state)
{
    (void)state;
    wz_dec third, r;
    assert_int_equal(wz_dec_div(WZ_DEC_ONE, wz_dec_from_int(3), &third), WZ_DEC_OK);
    ASSERT_FRAC(third, "1/3");
    assert_int_equal(wz_dec_mul(third, wz_dec_from_int(3), &r), WZ_DEC_OK);
    assert_true(r.num == 1 && r.den == 1);
    assert_true(wz_dec_is_integer(r));

    assert_int_equal(wz_dec_mul(D("1.5"), D("-0.4"), &r), WZ_DEC_OK);
    ASSERT_FRAC(r, "-3/5");
    assert_int_equal(wz_dec_div(D("-1"), D("-0.25"), &r), WZ_DEC_OK);
    ASSERT_FRAC(r, "4");
    assert_int_equal(wz_dec_div(wz_dec_from_int(1), wz_dec_from_int(-2), &r), WZ_DEC_OK);
    assert_true(r.num == -1 && r.den == 2);
    assert_int_equal(wz_dec_mul(Q(2, 3), Q(9, 4), &r), WZ_DEC_OK);
    ASSERT_FRAC(r, "3/2");
    assert_int_equal(wz_dec_mul(Q(0, 1), Q(-9, 4), &r), WZ_DEC_OK);
    assert_true(r.num == 0 && r.den == 1);
    assert_int_equal(wz_dec_div(Q(0, 1), Q(-9, 4), &r), WZ_DEC_OK);
    assert_true(r.num == 0 && r.den == 1);
}

static void test_results_are_normalised(void **state)
{
    (void)state;
    wz_dec vals[] = {D("0.50"), D("-2.500"), Q(1, 6), Q(-7, 10), D("3"), Q(5, 12), D("0")};
    for (size_t i = 0; i < G_N_ELEMENTS(vals); i++) {
        for (size_t j = 0; j < G_N_ELEMENTS(vals); j++) {
            wz_dec r;
            assert_int_equal(wz_dec_add(vals[i], vals[j], &r), WZ_DEC_OK);
            assert_normalised(r);
            assert_int_equal(wz_dec_sub(vals[i], vals[j], &r), WZ_DEC_OK);
            assert_normalised(r);
            assert_int_equal(wz_dec_mul(vals[i], vals[j], &r), WZ_DEC_OK);
            assert_normalised(r);
            if (!wz_dec_is_zero(vals[j])) {
                assert_int_equal(wz_dec_div(vals[i], vals[j], &r), WZ_DEC_OK);
                assert_normalised(r);
            }
        }
    }
    ASSERT_FRAC(D("0.50"), "1/2");
    ASSERT_FRAC(D("-2.500"), "-5/2");
}

static void test_div_by_zero_is_reported(void **state)
{
    (void)state;
    wz_dec r = WZ_DEC_ONE;
    assert_int_equal(wz_dec_div(WZ_DEC_ONE, WZ_DEC_ZERO, &r), WZ_DEC_DIV_ZERO);
    assert_int_equal(wz_dec_div(WZ_DEC_ZERO, WZ_DEC_ZERO, &r), WZ_DEC_DIV_ZERO);
    assert_int_equal(wz_dec_div(D("-0.5"), D("-0.0"), &r), WZ_DEC_DIV_ZERO);
}

static void test_overflow_is_reported_not_wrapped(void **state)
{
    (void)state;
    wz_dec r;
    wz_dec big = Q(I128_MAX, 1);
    assert_int_equal(wz_dec_mul(big, wz_dec_from_int(2), &r), WZ_DEC_OVERFLOW);
    assert_int_equal(wz_dec_mul(Q(p10(20), 1), Q(p10(20), 1), &r), WZ_DEC_OVERFLOW);
    assert_int_equal(wz_dec_mul(Q(p10(20), 3), Q(p10(20), 7), &r), WZ_DEC_OVERFLOW);
    assert_int_equal(wz_dec_add(big, WZ_DEC_ONE, &r), WZ_DEC_OVERFLOW);
    assert_int_equal(wz_dec_add(big, big, &r), WZ_DEC_OVERFLOW);
    /* -I128_MAX - 1 would be INT128_MIN, which is kept out of range so that
     * negation can never overflow. */
    assert_int_equal(wz_dec_sub(wz_dec_neg(big), WZ_DEC_ONE, &r), WZ_DEC_OVERFLOW);
    assert_int_equal(wz_dec_mul(wz_dec_neg(big), Q(3, 1), &r), WZ_DEC_OVERFLOW);
    /* Dividing by a tiny value. */
    assert_int_equal(wz_dec_div(D("1000000000000000000000000000000"),
                                D("0.000000000000000000000000000001"), &r),
                     WZ_DEC_OVERFLOW);
    /* Coprime huge denominators: 2^100 * 3^60 does not fit. */
    wz_i128 two100 = (wz_i128)1 << 100, three60 = 1;
    for (int i = 0; i < 60; i++)
        three60 *= 3;
    assert_int_equal(wz_dec_add(Q(1, two100), Q(1, three60), &r), WZ_DEC_OVERFLOW);
    assert_int_equal(wz_dec_mul(Q(1, two100), Q(1, three60), &r), WZ_DEC_OVERFLOW);
    assert_int_equal(wz_dec_div(Q(1, two100), Q(three60, 1), &r), WZ_DEC_OVERFLOW);
    /* M/3 + y/5 sums to 3*2^128 + 5: the low 128 bits alone look small. */
    wz_dec y5 = Q(I("56713727820156410577229101238628035246"), 5);
    assert_int_equal(wz_dec_add(Q(I128_MAX, 3), y5, &r), WZ_DEC_OVERFLOW);
    /* Fits exactly at the edge. */
    assert_int_equal(wz_dec_sub(big, WZ_DEC_ONE, &r), WZ_DEC_OK);
    assert_true(r.num == I128_MAX - 1 && r.den == 1);
    assert_int_equal(wz_dec_mul(wz_dec_neg(big), WZ_DEC_ONE, &r), WZ_DEC_OK);
    assert_true(r.num == -I128_MAX && r.den == 1);
}

/* Intermediate sums wider than 128 bits must not be reported as overflow
 * when the reduced result fits. */
static void test_add_wide_intermediate_that_reduces(void **state)
{
    (void)state;
    wz_dec r;
    /* I128_MAX is the Mersenne prime 2^127 - 1, coprime to everything here. */
    assert_int_equal(wz_dec_add(Q(I128_MAX, 2), Q(I128_MAX, 2), &r), WZ_DEC_OK);
    assert_true(r.num == I128_MAX && r.den == 1);
    assert_int_equal(wz_dec_add(Q(I128_MAX, 6), Q(I128_MAX, 3), &r), WZ_DEC_OK);
    assert_true(r.num == I128_MAX && r.den == 2);
    assert_int_equal(wz_dec_add(Q(-I128_MAX, 6), Q(-I128_MAX, 3), &r), WZ_DEC_OK);
    assert_true(r.num == -I128_MAX && r.den == 2);
    assert_int_equal(wz_dec_sub(Q(I128_MAX, 3), Q(-I128_MAX, 6), &r), WZ_DEC_OK);
    assert_true(r.num == I128_MAX && r.den == 2);
    /* Opposite signs of huge magnitude cancel without overflow. */
    assert_int_equal(wz_dec_add(Q(I128_MAX, 7), Q(-(I128_MAX - 1), 7), &r), WZ_DEC_OK);
    assert_true(r.num == 1 && r.den == 7);
}

static void test_cmp_huge_values_without_overflow(void **state)
{
    (void)state;
    /* M/(M-1) vs (M-1)/(M-2): both just above 1, cross products ~2^254. */
    wz_dec a = Q(I128_MAX, I128_MAX - 1);
    wz_dec b = Q(I128_MAX - 1, I128_MAX - 2);
    assert_int_equal(wz_dec_cmp(a, b), -1);
    assert_int_equal(wz_dec_cmp(b, a), 1);
    assert_int_equal(wz_dec_cmp(a, a), 0);
    assert_int_equal(wz_dec_cmp(wz_dec_neg(a), wz_dec_neg(b)), 1);
    assert_int_equal(wz_dec_cmp(wz_dec_neg(b), wz_dec_neg(a)), -1);
    assert_int_equal(wz_dec_cmp(a, WZ_DEC_ONE), 1);

    /* Opposite signs. */
    wz_dec c = Q(I128_MAX, 3), d = Q(-I128_MAX, 7);
    assert_int_equal(wz_dec_cmp(c, d), 1);
    assert_int_equal(wz_dec_cmp(d, c), -1);
    assert_int_equal(wz_dec_cmp(d, WZ_DEC_ZERO), -1);
    assert_int_equal(wz_dec_cmp(WZ_DEC_ZERO, c), -1);
    assert_int_equal(wz_dec_cmp(WZ_DEC_ZERO, WZ_DEC_ZERO), 0);

    /* Cross products whose low 128 bits order the opposite way. */
    wz_dec e = Q(I("140123260428870333650100758642883027103"),
                 I("101191386451940253113244965283248157024"));
    wz_dec f = Q(I("65948183194413054563388028001433475104"),
                 I("72639207356859121585692864344822460553"));
    assert_int_equal(wz_dec_cmp(e, f), 1);
    assert_int_equal(wz_dec_cmp(f, e), -1);
    assert_int_equal(wz_dec_cmp(wz_dec_neg(e), wz_dec_neg(f)), -1);

    /* Huge integer against a huge fraction. */
    assert_int_equal(wz_dec_cmp(Q(I128_MAX, 1), Q(I128_MAX - 1, 1)), 1);
    assert_int_equal(wz_dec_cmp(Q(I128_MAX / 2, 1), Q(I128_MAX, 2)), -1);
    assert_int_equal(wz_dec_cmp(Q(I128_MAX / 2 + 1, 1), Q(I128_MAX, 2)), 1);

    assert_int_equal(wz_dec_cmp(D("0.1"), D("0.10")), 0);
    assert_int_equal(wz_dec_cmp(Q(1, 3), D("0.333333333333333333333333333333333333")), 1);
    assert_true(wz_dec_cmp(wz_dec_min(D("2"), D("-3")), D("-3")) == 0);
    assert_true(wz_dec_cmp(wz_dec_max(D("2"), D("-3")), D("2")) == 0);
}

static void test_neg_abs_sign_predicates(void **state)
{
    (void)state;
    ASSERT_FRAC(wz_dec_neg(D("2.5")), "-5/2");
    ASSERT_FRAC(wz_dec_neg(D("-2.5")), "5/2");
    ASSERT_FRAC(wz_dec_abs(D("-2.5")), "5/2");
    ASSERT_FRAC(wz_dec_abs(D("2.5")), "5/2");
    wz_dec nz = wz_dec_neg(WZ_DEC_ZERO);
    assert_true(nz.num == 0 && nz.den == 1);
    assert_int_equal(wz_dec_sign(D("-0.001")), -1);
    assert_int_equal(wz_dec_sign(D("0.001")), 1);
    assert_int_equal(wz_dec_sign(WZ_DEC_ZERO), 0);
    assert_true(wz_dec_is_zero(D("0.000")));
    assert_false(wz_dec_is_zero(D("0.001")));
    assert_true(wz_dec_is_integer(D("12.000")));
    assert_false(wz_dec_is_integer(D("12.001")));
    ASSERT_FRAC(wz_dec_from_int(INT64_MIN), "-9223372036854775808");
    ASSERT_FRAC(wz_dec_from_int(INT64_MAX), "9223372036854775807");
}

/* ---- rounding --------------------------------------------------------- */

typedef struct round_case {
    const char *in;
    int places;
    wz_round_mode mode;
    const char *want;
} round_case;

static const round_case round_cases[] = {
    /* HALF_UP: ties away from zero (四舍五入). */
    {"2.345", 2, WZ_ROUND_HALF_UP, "2.35"},
    {"-2.345", 2, WZ_ROUND_HALF_UP, "-2.35"},
    {"2.3449", 2, WZ_ROUND_HALF_UP, "2.34"},
    {"-2.3449", 2, WZ_ROUND_HALF_UP, "-2.34"},
    {"2.5", 0, WZ_ROUND_HALF_UP, "3"},
    {"-2.5", 0, WZ_ROUND_HALF_UP, "-3"},
    {"0.5", 0, WZ_ROUND_HALF_UP, "1"},
    {"-0.004", 2, WZ_ROUND_HALF_UP, "0"},
    {"9.995", 2, WZ_ROUND_HALF_UP, "10"},
    /* HALF_EVEN: ties to the even neighbour. */
    {"2.345", 2, WZ_ROUND_HALF_EVEN, "2.34"},
    {"2.355", 2, WZ_ROUND_HALF_EVEN, "2.36"},
    {"-2.345", 2, WZ_ROUND_HALF_EVEN, "-2.34"},
    {"-2.355", 2, WZ_ROUND_HALF_EVEN, "-2.36"},
    {"2.3451", 2, WZ_ROUND_HALF_EVEN, "2.35"},
    {"2.5", 0, WZ_ROUND_HALF_EVEN, "2"},
    {"3.5", 0, WZ_ROUND_HALF_EVEN, "4"},
    {"-2.5", 0, WZ_ROUND_HALF_EVEN, "-2"},
    {"-0.5", 0, WZ_ROUND_HALF_EVEN, "0"},
    /* DOWN / UP: toward / away from zero. */
    {"2.349", 2, WZ_ROUND_DOWN, "2.34"},
    {"-2.349", 2, WZ_ROUND_DOWN, "-2.34"},
    {"2.341", 2, WZ_ROUND_UP, "2.35"},
    {"-2.341", 2, WZ_ROUND_UP, "-2.35"},
    {"2.34", 2, WZ_ROUND_UP, "2.34"},
    {"0.0000001", 3, WZ_ROUND_UP, "0.001"},
    /* FLOOR / CEIL: toward -inf / +inf. */
    {"2.349", 2, WZ_ROUND_FLOOR, "2.34"},
    {"-2.341", 2, WZ_ROUND_FLOOR, "-2.35"},
    {"2.341", 2, WZ_ROUND_CEIL, "2.35"},
    {"-2.349", 2, WZ_ROUND_CEIL, "-2.34"},
    {"-2.34", 2, WZ_ROUND_FLOOR, "-2.34"},
    /* Negative places: tens, hundreds, millions. */
    {"1234.5", -1, WZ_ROUND_HALF_UP, "1230"},
    {"1235", -1, WZ_ROUND_HALF_UP, "1240"},
    {"-1235", -1, WZ_ROUND_HALF_UP, "-1240"},
    {"1225", -1, WZ_ROUND_HALF_EVEN, "1220"},
    {"1235", -1, WZ_ROUND_HALF_EVEN, "1240"},
    {"-1225", -1, WZ_ROUND_HALF_EVEN, "-1220"},
    {"1250", -2, WZ_ROUND_HALF_EVEN, "1200"},
    {"1250.0001", -2, WZ_ROUND_HALF_EVEN, "1300"},
    {"1201", -2, WZ_ROUND_UP, "1300"},
    {"1299.99", -2, WZ_ROUND_DOWN, "1200"},
    {"-1201", -2, WZ_ROUND_FLOOR, "-1300"},
    {"-1299", -2, WZ_ROUND_CEIL, "-1200"},
    {"999999", -6, WZ_ROUND_DOWN, "0"},
    {"1", -6, WZ_ROUND_UP, "1000000"},
    {"-500000", -6, WZ_ROUND_HALF_UP, "-1000000"},
    {"-500000", -6, WZ_ROUND_HALF_EVEN, "0"},
    /* Exact values are untouched whatever the mode. */
    {"1.25", 2, WZ_ROUND_UP, "1.25"},
    {"-7", 0, WZ_ROUND_FLOOR, "-7"},
    {"1200", -2, WZ_ROUND_UP, "1200"},
};

static void test_round_all_modes(void **state)
{
    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(round_cases); i++) {
        const round_case *c = &round_cases[i];
        wz_dec r;
        wz_dec_status st = wz_dec_round(D(c->in), c->places, c->mode, &r);
        if (st != WZ_DEC_OK)
            fail_msg("round(%s, %d, mode %d) failed: %d", c->in, c->places, (int)c->mode,
                     (int)st);
        if (wz_dec_cmp(r, D(c->want)) != 0) {
            char *got = wz_dec_to_fraction_string(r);
            fail_msg("round(%s, %d, mode %d) = %s, want %s", c->in, c->places,
                     (int)c->mode, got, c->want);
        }
        assert_normalised(r);
    }
}

static void test_round_non_terminating_values(void **state)
{
    (void)state;
    wz_dec r;
    assert_int_equal(wz_dec_round(Q(1, 3), 2, WZ_ROUND_HALF_UP, &r), WZ_DEC_OK);
    ASSERT_FRAC(r, "33/100");
    assert_int_equal(wz_dec_round(Q(2, 3), 2, WZ_ROUND_HALF_UP, &r), WZ_DEC_OK);
    ASSERT_FRAC(r, "67/100");
    assert_int_equal(wz_dec_round(Q(2, 3), 2, WZ_ROUND_DOWN, &r), WZ_DEC_OK);
    ASSERT_FRAC(r, "33/50");
    assert_int_equal(wz_dec_round(Q(-2, 3), 4, WZ_ROUND_HALF_UP, &r), WZ_DEC_OK);
    ASSERT_FRAC(r, "-6667/10000");
    assert_int_equal(wz_dec_round(Q(-2, 3), 4, WZ_ROUND_CEIL, &r), WZ_DEC_OK);
    ASSERT_FRAC(r, "-3333/5000");
    assert_int_equal(wz_dec_round(Q(1, 3), 30, WZ_ROUND_HALF_EVEN, &r), WZ_DEC_OK);
    ASSERT_FRAC(r, "333333333333333333333333333333/1000000000000000000000000000000");
    assert_int_equal(wz_dec_round(Q(1, 7), -1, WZ_ROUND_UP, &r), WZ_DEC_OK);
    ASSERT_FRAC(r, "10");
}

static void test_round_huge_values(void **state)
{
    (void)state;
    wz_dec r;
    /* M/3 at 0 places: integer part fits. */
    assert_int_equal(wz_dec_round(Q(I128_MAX, 3), 0, WZ_ROUND_HALF_UP, &r), WZ_DEC_OK);
    ASSERT_FRAC(r, "56713727820156410577229101238628035242");
    /* At 30 places the rounded value needs ~68 digits over 10^30. */
    assert_int_equal(wz_dec_round(Q(I128_MAX, 3), 30, WZ_ROUND_HALF_UP, &r), WZ_DEC_OVERFLOW);
    assert_int_equal(wz_dec_round(Q(I128_MAX, 2), 0, WZ_ROUND_UP, &r), WZ_DEC_OK);
    ASSERT_FRAC(r, "85070591730234615865843651857942052864");
    /* M/7 at 3 places needs a 41-digit numerator whose low 128 bits would
     * look like a valid value. */
    assert_int_equal(wz_dec_round(Q(I128_MAX, 7), 3, WZ_ROUND_HALF_UP, &r), WZ_DEC_OVERFLOW);
    /* Rounding up past the largest magnitude overflows. */
    assert_int_equal(wz_dec_round(Q(I128_MAX, 1), -1, WZ_ROUND_UP, &r), WZ_DEC_OVERFLOW);
    assert_int_equal(wz_dec_round(Q(I128_MAX, 1), -1, WZ_ROUND_DOWN, &r), WZ_DEC_OK);
    ASSERT_FRAC(r, "170141183460469231731687303715884105720");
    assert_int_equal(wz_dec_round(Q(-I128_MAX, 1), -38, WZ_ROUND_DOWN, &r), WZ_DEC_OK);
    ASSERT_FRAC(r, "-100000000000000000000000000000000000000");
    /* 1.7e38 rounds to 2e38, which does not fit. */
    assert_int_equal(wz_dec_round(Q(-I128_MAX, 1), -38, WZ_ROUND_HALF_UP, &r), WZ_DEC_OVERFLOW);

    /* v = 10^9 + 1/(10^29 + 1).  Scaled by 10^30 it exceeds 2^128, but the
     * rounded result 10^9 + 10^-29 = (10^38 + 1)/10^29 fits. */
    wz_i128 d = p10(29) + 1;
    wz_dec v = Q(p10(9) * d + 1, d);
    assert_int_equal(wz_dec_round(v, 30, WZ_ROUND_HALF_UP, &r), WZ_DEC_OK);
    assert_true(r.num == p10(38) + 1 && r.den == p10(29));
    assert_int_equal(wz_dec_round(v, 28, WZ_ROUND_HALF_UP, &r), WZ_DEC_OK);
    assert_true(r.num == p10(9) && r.den == 1);
    assert_int_equal(wz_dec_round(v, 28, WZ_ROUND_UP, &r), WZ_DEC_OK);
    assert_true(r.num == p10(37) + 1 && r.den == p10(28));
}

static void test_round_places_out_of_range(void **state)
{
    (void)state;
    wz_dec r;
    /* Terminating values need no rounding unit at all. */
    assert_int_equal(wz_dec_round(D("1.5"), 100, WZ_ROUND_HALF_UP, &r), WZ_DEC_OK);
    ASSERT_FRAC(r, "3/2");
    assert_int_equal(wz_dec_round(Q(1, 3), 39, WZ_ROUND_HALF_UP, &r), WZ_DEC_OVERFLOW);
    assert_int_equal(wz_dec_round(D("5"), -39, WZ_ROUND_HALF_UP, &r), WZ_DEC_OVERFLOW);
}

/* ---- formatting ------------------------------------------------------- */

static void test_format_header_examples(void **state)
{
    (void)state;
    ASSERT_FMT(D("2.5"), 0, 6, "2.5");
    ASSERT_FMT(D("2.5"), 2, 2, "2.50");
    ASSERT_FMT(Q(1, 3), 0, 4, "0.3333");
    ASSERT_FMT(Q(2, 3), 0, 4, "0.6667");
    ASSERT_FMT(D("-0.00001"), 0, 2, "0");
}

static void test_format_min_max_places(void **state)
{
    (void)state;
    ASSERT_FMT(D("42"), 0, 2, "42");
    ASSERT_FMT(D("42"), 2, 2, "42.00");
    ASSERT_FMT(D("1.10"), 0, 6, "1.1");
    ASSERT_FMT(D("1.10"), 3, 6, "1.100");
    ASSERT_FMT(D("0.125"), 0, 10, "0.125");
    ASSERT_FMT(D("0.125"), 0, 2, "0.13");
    ASSERT_FMT(D("0.125"), 0, 1, "0.1");
    ASSERT_FMT(D("0.125"), 0, 0, "0");
    ASSERT_FMT(D("0.5"), 0, 0, "1");
    ASSERT_FMT(D("0.995"), 0, 2, "1");
    ASSERT_FMT(D("0.995"), 2, 2, "1.00");
    ASSERT_FMT(D("9.9999"), 0, 3, "10");
    ASSERT_FMT(D("199.96"), 1, 1, "200.0");
    ASSERT_FMT(Q(1, 3), 2, 8, "0.33333333");
    ASSERT_FMT(D("0"), 0, 4, "0");
    ASSERT_FMT(D("0"), 3, 4, "0.000");
    /* max below min: min wins. */
    ASSERT_FMT(D("0.125"), 4, 2, "0.1250");
    /* Negative places arguments are treated as zero. */
    ASSERT_FMT(D("7.25"), -3, -1, "7");
}

static void test_format_negative_values(void **state)
{
    (void)state;
    ASSERT_FMT(D("-2.345"), 0, 2, "-2.35");
    ASSERT_FMT(D("-2.5"), 2, 4, "-2.50");
    ASSERT_FMT(D("-9.996"), 2, 2, "-10.00");
    ASSERT_FMT(D("-0.00001"), 2, 2, "0.00");
    ASSERT_FMT(D("-0.005"), 0, 2, "-0.01");
    ASSERT_FMT(D("-0.004"), 0, 2, "0");
    ASSERT_FMT(Q(-2, 3), 0, 3, "-0.667");
    ASSERT_FMT(D("-12"), 0, 0, "-12");
}

static void test_format_large_and_precise_values(void **state)
{
    (void)state;
    ASSERT_FMT(Q(p10(30), 1), 0, 2, "1000000000000000000000000000000");
    ASSERT_FMT(Q(p10(30), 1), 2, 2, "1000000000000000000000000000000.00");
    ASSERT_FMT(Q(I128_MAX, 1), 0, 2, "170141183460469231731687303715884105727");
    ASSERT_FMT(Q(-I128_MAX, 1), 0, 2, "-170141183460469231731687303715884105727");
    ASSERT_FMT(Q(I128_MAX, 2), 0, 2, "85070591730234615865843651857942052863.5");
    /* Rounding up the largest integer part still prints correctly. */
    ASSERT_FMT(Q(I128_MAX, 2), 0, 0, "85070591730234615865843651857942052864");
    ASSERT_FMT(Q(I128_MAX, I128_MAX - 1), 0, 40,
               "1.0000000000000000000000000000000000000059");
    ASSERT_FMT(Q(1, (wz_i128)1 << 126), 0, 200,
               "0.000000000000000000000000000000000000011754943508222875079687365372222"
               "456778186655567720875215087517062784172594547271728515625");
    ASSERT_FMT(Q(1, (wz_i128)1 << 126), 0, 5, "0");
}

static void test_format_reports_needed_length_like_snprintf(void **state)
{
    (void)state;
    char buf[4];
    memset(buf, 'x', sizeof buf);
    assert_int_equal(wz_dec_format(D("123.45"), 0, 2, buf, sizeof buf), 6);
    assert_string_equal(buf, "123");
    assert_int_equal(wz_dec_format(D("-123.45"), 0, 2, NULL, 0), 7);
    char one[1] = {'x'};
    assert_int_equal(wz_dec_format(D("5"), 0, 2, one, 1), 1);
    assert_int_equal(one[0], '\0');
}

static void test_to_string_and_fraction_string(void **state)
{
    (void)state;
    char *s = wz_dec_to_string(Q(-1, 8), 2, 6);
    assert_string_equal(s, "-0.125");
    g_free(s);
    s = wz_dec_to_string(D("3"), 2, 6);
    assert_string_equal(s, "3.00");
    g_free(s);
    ASSERT_FRAC(D("-3.25"), "-13/4");
    ASSERT_FRAC(D("7"), "7");
    ASSERT_FRAC(WZ_DEC_ZERO, "0");
    ASSERT_FRAC(Q(-I128_MAX, I128_MAX - 1),
                "-170141183460469231731687303715884105727/"
                "170141183460469231731687303715884105726");
}

/* ---- other queries ---------------------------------------------------- */

static void test_terminates_within(void **state)
{
    (void)state;
    assert_true(wz_dec_terminates_within(D("0.125"), 3));
    assert_false(wz_dec_terminates_within(D("0.125"), 2));
    assert_true(wz_dec_terminates_within(D("-0.125"), 30));
    assert_false(wz_dec_terminates_within(Q(1, 3), 30));
    assert_false(wz_dec_terminates_within(Q(1, 6), 30));
    assert_true(wz_dec_terminates_within(D("5"), 0));
    assert_true(wz_dec_terminates_within(WZ_DEC_ZERO, 0));
    assert_false(wz_dec_terminates_within(D("5"), -1));
    assert_true(wz_dec_terminates_within(Q(1, 1024), 10));
    assert_false(wz_dec_terminates_within(Q(1, 1024), 9));
    assert_true(wz_dec_terminates_within(Q(1, 8 * 3125), 5));   /* 2^3 5^5 */
    assert_false(wz_dec_terminates_within(Q(1, 8 * 3125), 4));
    assert_true(wz_dec_terminates_within(Q(1, (wz_i128)1 << 126), 126));
    assert_false(wz_dec_terminates_within(Q(1, (wz_i128)1 << 126), 125));
}

static void test_to_int64_truncates_toward_zero(void **state)
{
    (void)state;
    int64_t v = 0;
    assert_true(wz_dec_to_int64(D("7.9"), &v));
    assert_int_equal(v, 7);
    assert_true(wz_dec_to_int64(D("-7.9"), &v));
    assert_int_equal(v, -7);
    assert_true(wz_dec_to_int64(D("-0.9"), &v));
    assert_int_equal(v, 0);
    assert_true(wz_dec_to_int64(D("9223372036854775807"), &v));
    assert_true(v == INT64_MAX);
    assert_true(wz_dec_to_int64(D("-9223372036854775808.5"), &v));
    assert_true(v == INT64_MIN);
    assert_false(wz_dec_to_int64(D("9223372036854775808"), &v));
    assert_false(wz_dec_to_int64(D("-9223372036854775809"), &v));
    assert_false(wz_dec_to_int64(Q(p10(20), 1), &v));
    assert_true(wz_dec_to_int64(Q(p10(20), p10(19) + 1), &v));
    assert_int_equal(v, 9);
}

static void test_status_messages_are_distinct(void **state)
{
    (void)state;
    wz_dec_status all[] = {WZ_DEC_OK, WZ_DEC_OVERFLOW, WZ_DEC_DIV_ZERO, WZ_DEC_SYNTAX};
    for (size_t i = 0; i < G_N_ELEMENTS(all); i++) {
        const char *m = wz_dec_status_message(all[i]);
        assert_non_null(m);
        assert_true(strlen(m) > 0);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(m, wz_dec_status_message(all[j]));
    }
    assert_non_null(wz_dec_status_message((wz_dec_status)99));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_accepts_plain_decimals),
        cmocka_unit_test(test_parse_zero_forms_are_normalised_zero),
        cmocka_unit_test(test_parse_reads_only_len_bytes),
        cmocka_unit_test(test_parse_rejects_malformed),
        cmocka_unit_test(test_parse_limits_significant_digits),
        cmocka_unit_test(test_add_point_one_point_two_is_exactly_point_three),
        cmocka_unit_test(test_add_sub_mixed_denominators),
        cmocka_unit_test(test_mul_div_are_exact),
        cmocka_unit_test(test_results_are_normalised),
        cmocka_unit_test(test_div_by_zero_is_reported),
        cmocka_unit_test(test_overflow_is_reported_not_wrapped),
        cmocka_unit_test(test_add_wide_intermediate_that_reduces),
        cmocka_unit_test(test_cmp_huge_values_without_overflow),
        cmocka_unit_test(test_neg_abs_sign_predicates),
        cmocka_unit_test(test_round_all_modes),
        cmocka_unit_test(test_round_non_terminating_values),
        cmocka_unit_test(test_round_huge_values),
        cmocka_unit_test(test_round_places_out_of_range),
        cmocka_unit_test(test_format_header_examples),
        cmocka_unit_test(test_format_min_max_places),
        cmocka_unit_test(test_format_negative_values),
        cmocka_unit_test(test_format_large_and_precise_values),
        cmocka_unit_test(test_format_reports_needed_length_like_snprintf),
        cmocka_unit_test(test_to_string_and_fraction_string),
        cmocka_unit_test(test_terminates_within),
        cmocka_unit_test(test_to_int64_truncates_toward_zero),
        cmocka_unit_test(test_status_messages_are_distinct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
