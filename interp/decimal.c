/* decimal.c — exact rational arithmetic for points and money.
 *
 * Values are num/den in __int128.  Internally most work is done on unsigned
 * magnitudes plus a sign, because that makes overflow checks simple and keeps
 * every negation well defined.  The representable range deliberately
 * excludes INT128_MIN as a numerator, so wz_dec_neg() and wz_dec_abs() can
 * never overflow; any result that would need it reports WZ_DEC_OVERFLOW.
 *
 * Where an intermediate product may exceed 128 bits while the final,
 * reduced result still fits (cross products in comparisons and additions,
 * scaled values in rounding), a small 256-bit unsigned type is used so that
 * WZ_DEC_OVERFLOW is reported only when the exact result really does not fit.
 *
 * No floating point is used anywhere in this file.
 */
#include "decimal.h"

#include <glib.h>
#include <string.h>

typedef unsigned __int128 wz_u128;

#define U128_ONE   ((wz_u128)1)
#define I128_MAX_U ((U128_ONE << 127) - 1)   /* largest magnitude we accept */
#define I128_MIN   (-(wz_i128)I128_MAX_U - 1)

/* Display can clamp places here: no terminating value with den < 2^127 needs
 * more than 126 fractional digits, so 128 always shows exact values fully. */
#define FORMAT_MAX_PLACES 128

/* Rounding works with 10^places held in 128 bits; 10^38 < 2^127 is the
 * largest power of ten that fits. */
#define ROUND_MAX_PLACES 38

/* 10^0 .. 10^38.  Entries above 10^19 are built from 64-bit literals because
 * C has no 128-bit integer literals. */
#define P19 ((wz_u128)10000000000000000000ULL)
static const wz_u128 pow10_tab[ROUND_MAX_PLACES + 1] = {
    1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
    10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
    100000000000ULL, 1000000000000ULL, 10000000000000ULL,
    100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
    100000000000000000ULL, 1000000000000000000ULL, P19,
    P19 * 10ULL, P19 * 100ULL, P19 * 1000ULL, P19 * 10000ULL,
    P19 * 100000ULL, P19 * 1000000ULL, P19 * 10000000ULL,
    P19 * 100000000ULL, P19 * 1000000000ULL, P19 * 10000000000ULL,
    P19 * 100000000000ULL, P19 * 1000000000000ULL,
    P19 * 10000000000000ULL, P19 * 100000000000000ULL,
    P19 * 1000000000000000ULL, P19 * 10000000000000000ULL,
    P19 * 100000000000000000ULL, P19 * 1000000000000000000ULL, P19 * P19,
};

/* ------------------------------------------------------------------------
 * Small helpers on 128-bit magnitudes
 * ---------------------------------------------------------------------- */

/* Negating through the unsigned type is defined even for INT128_MIN. */
static inline wz_u128 u128_abs(wz_i128 x)
{
    return x < 0 ? -(wz_u128)x : (wz_u128)x;
}

static wz_u128 u128_gcd(wz_u128 a, wz_u128 b)
{
    while (b != 0) {
        wz_u128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Writes the decimal digits of v (no NUL) and returns how many; out needs
 * room for 39 bytes. */
static size_t u128_to_digits(wz_u128 v, char *out)
{
    char tmp[40];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v != 0);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

/* Builds a normalised value from a sign and coprime magnitudes, refusing
 * magnitudes that do not fit the signed representation. */
static wz_dec_status make_dec(bool negative, wz_u128 num, wz_u128 den, wz_dec *out)
{
    if (num > I128_MAX_U || den > I128_MAX_U)
        return WZ_DEC_OVERFLOW;
    if (num == 0) {
        *out = WZ_DEC_ZERO;
        return WZ_DEC_OK;
    }
    wz_i128 n = (wz_i128)num;
    out->num = negative ? -n : n;
    out->den = (wz_i128)den;
    return WZ_DEC_OK;
}

/* ------------------------------------------------------------------------
 * 256-bit unsigned helper type
 * ---------------------------------------------------------------------- */

typedef struct u256 {
    wz_u128 hi, lo;
} u256;

static inline u256 u256_from(wz_u128 v)
{
    return (u256){0, v};
}

static inline bool u256_is_zero(u256 a)
{
    return a.hi == 0 && a.lo == 0;
}

static inline int u256_cmp(u256 a, u256 b)
{
    if (a.hi != b.hi)
        return a.hi < b.hi ? -1 : 1;
    if (a.lo != b.lo)
        return a.lo < b.lo ? -1 : 1;
    return 0;
}

/* Full 128x128 -> 256 product by 64-bit limbs. */
static u256 u256_mul(wz_u128 a, wz_u128 b)
{
    const wz_u128 mask = ((wz_u128)1 << 64) - 1;
    wz_u128 a0 = a & mask, a1 = a >> 64;
    wz_u128 b0 = b & mask, b1 = b >> 64;
    if (a1 == 0 && b1 == 0)
        return u256_from(a0 * b0);

    wz_u128 p00 = a0 * b0;
    wz_u128 p01 = a0 * b1;
    wz_u128 p10 = a1 * b0;
    wz_u128 p11 = a1 * b1;

    /* Sum of the middle column; each term < 2^64, so no overflow. */
    wz_u128 mid = (p00 >> 64) + (p01 & mask) + (p10 & mask);
    u256 r;
    r.lo = (p00 & mask) | (mid << 64);
    r.hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    return r;
}

/* Callers guarantee the sum fits (operands stay far below 2^255). */
static inline u256 u256_add(u256 a, u256 b)
{
    u256 r;
    r.lo = a.lo + b.lo;
    r.hi = a.hi + b.hi + (r.lo < a.lo);
    return r;
}

/* Requires a >= b. */
static inline u256 u256_sub(u256 a, u256 b)
{
    u256 r;
    r.lo = a.lo - b.lo;
    r.hi = a.hi - b.hi - (a.lo < b.lo);
    return r;
}

static inline u256 u256_shl1(u256 a)
{
    return (u256){(a.hi << 1) | (a.lo >> 127), a.lo << 1};
}

/* Schoolbook binary long division.  Only used on rare wide paths (values
 * near the 128-bit limit); the common case where both fit in 128 bits goes
 * straight to the native division.  Requires d != 0 and d < 2^255 so the
 * shifted remainder cannot lose its top bit; callers divide by at most
 * den * 10^38 < 2^254. */
static void u256_divmod(u256 n, u256 d, u256 *q, u256 *r)
{
    if (n.hi == 0 && d.hi == 0) {
        *q = u256_from(n.lo / d.lo);
        *r = u256_from(n.lo % d.lo);
        return;
    }
    u256 quo = {0, 0}, rem = {0, 0};
    for (int i = 255; i >= 0; i--) {
        wz_u128 bit = i >= 128 ? (n.hi >> (i - 128)) & 1 : (n.lo >> i) & 1;
        rem = u256_shl1(rem);
        rem.lo |= bit;
        if (u256_cmp(rem, d) >= 0) {
            rem = u256_sub(rem, d);
            if (i >= 128)
                quo.hi |= U128_ONE << (i - 128);
            else
                quo.lo |= U128_ONE << i;
        }
    }
    *q = quo;
    *r = rem;
}

/* ------------------------------------------------------------------------
 * Construction and parsing
 * ---------------------------------------------------------------------- */

wz_dec wz_dec_from_int(int64_t v)
{
    return (wz_dec){v, 1};
}

/* The 36-significant-digit limit keeps the mantissa below 10^36 < 2^120, so
 * it is accumulated without overflow checks. */
#define PARSE_MAX_DIGITS 36

wz_dec_status wz_dec_parse(const char *s, size_t len, wz_dec *out)
{
    size_t i = 0;
    bool negative = false;
    if (s == NULL || len == 0)
        return WZ_DEC_SYNTAX;
    if (s[0] == '+' || s[0] == '-') {
        negative = s[0] == '-';
        i = 1;
    }

    size_t int_start = i;
    while (i < len && g_ascii_isdigit(s[i]))
        i++;
    size_t int_end = i;
    if (int_end == int_start)
        return WZ_DEC_SYNTAX;

    size_t frac_start = i, frac_end = i;
    if (i < len && s[i] == '.') {
        frac_start = ++i;
        while (i < len && g_ascii_isdigit(s[i]))
            i++;
        frac_end = i;
        if (frac_end == frac_start)
            return WZ_DEC_SYNTAX;
    }
    if (i != len)
        return WZ_DEC_SYNTAX;

    /* Trailing fractional zeros carry no value; dropping them first keeps
     * "1.5000…0" from demanding a denominator of 10^k that cannot fit. */
    while (frac_end > frac_start && s[frac_end - 1] == '0')
        frac_end--;
    /* Leading zeros likewise. */
    size_t first = int_start;
    while (first < int_end && s[first] == '0')
        first++;

    size_t frac_digits = frac_end - frac_start;
    if (frac_digits > ROUND_MAX_PLACES)
        return WZ_DEC_OVERFLOW;

    wz_u128 mant = 0;
    size_t sig = 0;
    for (size_t k = first; k < int_end; k++) {
        if (++sig > PARSE_MAX_DIGITS)
            return WZ_DEC_OVERFLOW;
        mant = mant * 10u + (wz_u128)(s[k] - '0');
    }
    for (size_t k = frac_start; k < frac_end; k++) {
        /* Zeros between the point and the first nonzero digit of a pure
         * fraction are position, not precision. */
        if (mant == 0 && s[k] == '0')
            continue;
        if (++sig > PARSE_MAX_DIGITS)
            return WZ_DEC_OVERFLOW;
        mant = mant * 10u + (wz_u128)(s[k] - '0');
    }

    wz_u128 den = pow10_tab[frac_digits];
    wz_u128 g = u128_gcd(mant, den);
    return make_dec(negative, mant / g, den / g, out);
}

/* ------------------------------------------------------------------------
 * Arithmetic
 * ---------------------------------------------------------------------- */

wz_dec_status wz_dec_add(wz_dec a, wz_dec b, wz_dec *out)
{
    if (a.den == 1 && b.den == 1) {
        wz_i128 s;
        if (!__builtin_add_overflow(a.num, b.num, &s) && s != I128_MIN) {
            *out = (wz_dec){s, 1};
            return WZ_DEC_OK;
        }
        /* fall through: the general path reports the overflow */
    }
    if (a.num == 0) {
        *out = b;
        return WZ_DEC_OK;
    }
    if (b.num == 0) {
        *out = a;
        return WZ_DEC_OK;
    }
    if (a.den == b.den) {
        wz_i128 s;
        if (!__builtin_add_overflow(a.num, b.num, &s) && s != I128_MIN) {
            wz_u128 g = u128_gcd(u128_abs(s), (wz_u128)a.den);
            return make_dec(s < 0, u128_abs(s) / g, (wz_u128)a.den / g, out);
        }
    }

    /* Knuth 4.5.1: with g = gcd(b, d), t = a(d/g) + c(b/g) and g2 = gcd(t, g),
     * the sum is (t/g2) / ((b/g)(d/g2)) and already in lowest terms, so a
     * denominator overflow here is a genuine one.  t is formed in 256 bits
     * because it may exceed 128 bits even when t/g2 fits. */
    wz_u128 an = u128_abs(a.num), bn = u128_abs(b.num);
    wz_u128 ad = (wz_u128)a.den, bd = (wz_u128)b.den;
    wz_u128 g = u128_gcd(ad, bd);
    wz_u128 ad1 = ad / g, bd1 = bd / g;
    u256 p = u256_mul(an, bd1);
    u256 q = u256_mul(bn, ad1);
    bool a_neg = a.num < 0, b_neg = b.num < 0;
    bool neg;
    u256 t;
    if (a_neg == b_neg) {
        t = u256_add(p, q);
        neg = a_neg;
    } else {
        int c = u256_cmp(p, q);
        if (c == 0) {
            *out = WZ_DEC_ZERO;
            return WZ_DEC_OK;
        }
        t = c > 0 ? u256_sub(p, q) : u256_sub(q, p);
        neg = c > 0 ? a_neg : b_neg;
    }

    wz_u128 g2 = 1;
    if (g != 1) {
        u256 quo, rem;
        u256_divmod(t, u256_from(g), &quo, &rem);
        g2 = u128_gcd(rem.lo, g);
    }
    u256 num, rem;
    u256_divmod(t, u256_from(g2), &num, &rem);
    if (num.hi != 0)
        return WZ_DEC_OVERFLOW;
    wz_u128 den;
    if (__builtin_mul_overflow(ad1, bd / g2, &den))
        return WZ_DEC_OVERFLOW;
    return make_dec(neg, num.lo, den, out);
}

wz_dec_status wz_dec_sub(wz_dec a, wz_dec b, wz_dec *out)
{
    return wz_dec_add(a, wz_dec_neg(b), out);
}

/* Multiplies magnitudes n1/d1 * n2/d2 (each pair coprime).  Cross-reducing
 * first leaves the two products coprime, so an overflow in either is real. */
static wz_dec_status mul_mag(bool negative, wz_u128 n1, wz_u128 d1, wz_u128 n2, wz_u128 d2,
                             wz_dec *out)
{
    if (n1 == 0 || n2 == 0) {
        *out = WZ_DEC_ZERO;
        return WZ_DEC_OK;
    }
    wz_u128 g1 = u128_gcd(n1, d2);
    wz_u128 g2 = u128_gcd(n2, d1);
    wz_u128 num, den;
    if (__builtin_mul_overflow(n1 / g1, n2 / g2, &num) ||
        __builtin_mul_overflow(d1 / g2, d2 / g1, &den))
        return WZ_DEC_OVERFLOW;
    return make_dec(negative, num, den, out);
}

wz_dec_status wz_dec_mul(wz_dec a, wz_dec b, wz_dec *out)
{
    if (a.den == 1 && b.den == 1) {
        wz_i128 p;
        if (__builtin_mul_overflow(a.num, b.num, &p) || p == I128_MIN)
            return WZ_DEC_OVERFLOW;
        *out = (wz_dec){p, 1};
        return WZ_DEC_OK;
    }
    return mul_mag((a.num < 0) != (b.num < 0), u128_abs(a.num), (wz_u128)a.den,
                   u128_abs(b.num), (wz_u128)b.den, out);
}

wz_dec_status wz_dec_div(wz_dec a, wz_dec b, wz_dec *out)
{
    if (b.num == 0)
        return WZ_DEC_DIV_ZERO;
    return mul_mag((a.num < 0) != (b.num < 0), u128_abs(a.num), (wz_u128)a.den,
                   (wz_u128)b.den, u128_abs(b.num), out);
}

wz_dec wz_dec_neg(wz_dec a)
{
    return (wz_dec){-a.num, a.den};
}

wz_dec wz_dec_abs(wz_dec a)
{
    return a.num < 0 ? wz_dec_neg(a) : a;
}

/* ------------------------------------------------------------------------
 * Comparison and predicates
 * ---------------------------------------------------------------------- */

int wz_dec_sign(wz_dec a)
{
    return (a.num > 0) - (a.num < 0);
}

bool wz_dec_is_zero(wz_dec a)
{
    return a.num == 0;
}

bool wz_dec_is_integer(wz_dec a)
{
    return a.den == 1;
}

int wz_dec_cmp(wz_dec a, wz_dec b)
{
    if (a.den == b.den)
        return (a.num > b.num) - (a.num < b.num);
    int sa = wz_dec_sign(a), sb = wz_dec_sign(b);
    if (sa != sb)
        return sa < sb ? -1 : 1;
    if (sa == 0)
        return 0;
    /* Same nonzero sign: compare |a.num|*b.den with |b.num|*a.den, each up
     * to 254 bits, and flip the answer for negatives. */
    u256 l = u256_mul(u128_abs(a.num), (wz_u128)b.den);
    u256 r = u256_mul(u128_abs(b.num), (wz_u128)a.den);
    int c = u256_cmp(l, r);
    return sa < 0 ? -c : c;
}

bool wz_dec_to_int64(wz_dec a, int64_t *out)
{
    wz_i128 q = a.num / a.den;   /* C division truncates toward zero */
    if (q < INT64_MIN || q > INT64_MAX)
        return false;
    *out = (int64_t)q;
    return true;
}

/* Number of fractional digits in the exact expansion, or -1 when the
 * expansion does not terminate (den has a prime factor other than 2 and 5). */
static int terminating_places(wz_u128 den)
{
    int twos = 0, fives = 0;
    while ((den & 1) == 0) {
        den >>= 1;
        twos++;
    }
    while (den % 5 == 0) {
        den /= 5;
        fives++;
    }
    if (den != 1)
        return -1;
    return twos > fives ? twos : fives;
}

bool wz_dec_terminates_within(wz_dec a, int max_places)
{
    if (a.den <= 0)
        return false;
    int p = terminating_places((wz_u128)a.den);
    return p >= 0 && p <= max_places;
}

/* ------------------------------------------------------------------------
 * Rounding
 * ---------------------------------------------------------------------- */

/* Whether the truncated magnitude q (with fractional remainder rem/div,
 * rem != 0) moves one unit away from zero under the mode. */
static bool round_away(wz_round_mode mode, bool negative, u256 q, u256 rem, u256 div)
{
    switch (mode) {
    case WZ_ROUND_DOWN:
        return false;
    case WZ_ROUND_UP:
        return true;
    case WZ_ROUND_FLOOR:
        return negative;
    case WZ_ROUND_CEIL:
        return !negative;
    case WZ_ROUND_HALF_UP:
    case WZ_ROUND_HALF_EVEN: {
        /* rem < div < 2^254, so doubling cannot overflow 256 bits. */
        int c = u256_cmp(u256_shl1(rem), div);
        if (c != 0)
            return c > 0;
        return mode == WZ_ROUND_HALF_UP || (q.lo & 1) != 0;
    }
    }
    return false;
}

wz_dec_status wz_dec_round(wz_dec a, int places, wz_round_mode mode, wz_dec *out)
{
    /* Already representable: nothing to round, and this also covers large
     * `places` whose power of ten would not fit. */
    if (places >= 0 && wz_dec_terminates_within(a, places)) {
        *out = a;
        return WZ_DEC_OK;
    }
    /* A rounding unit of 10^±39 or beyond cannot be expressed in 128 bits. */
    if (places > ROUND_MAX_PLACES || places < -ROUND_MAX_PLACES)
        return WZ_DEC_OVERFLOW;

    bool negative = a.num < 0;
    wz_u128 n = u128_abs(a.num), d = (wz_u128)a.den;
    wz_u128 scale = pow10_tab[places >= 0 ? places : -places];

    /* |a| * 10^places = x / div; its integer part and remainder decide. */
    u256 x = places >= 0 ? u256_mul(n, scale) : u256_from(n);
    u256 div = places >= 0 ? u256_from(d) : u256_mul(d, scale);
    u256 q, rem;
    u256_divmod(x, div, &q, &rem);
    if (!u256_is_zero(rem) && round_away(mode, negative, q, rem, div))
        q = u256_add(q, u256_from(1));
    if (u256_is_zero(q)) {
        *out = WZ_DEC_ZERO;
        return WZ_DEC_OK;
    }

    if (places < 0) {
        wz_u128 num;
        if (q.hi != 0 || __builtin_mul_overflow(q.lo, scale, &num))
            return WZ_DEC_OVERFLOW;
        return make_dec(negative, num, 1, out);
    }
    /* q / 10^places, reduced; q may exceed 128 bits before reduction. */
    u256 qq, r;
    u256_divmod(q, u256_from(scale), &qq, &r);
    wz_u128 g = u128_gcd(r.lo, scale);
    u256_divmod(q, u256_from(g), &qq, &r);
    if (qq.hi != 0)
        return WZ_DEC_OVERFLOW;
    return make_dec(negative, qq.lo, scale / g, out);
}

/* ------------------------------------------------------------------------
 * Formatting
 * ---------------------------------------------------------------------- */

/* Copies len bytes plus NUL into buf as far as cap allows (snprintf-like). */
static size_t emit(const char *src, size_t len, char *buf, size_t cap)
{
    if (buf != NULL && cap > 0) {
        size_t n = len < cap - 1 ? len : cap - 1;
        memcpy(buf, src, n);
        buf[n] = '\0';
    }
    return len;
}

/* Sign, 39 integer digits, point, digits, NUL. */
#define FORMAT_BUF (1 + 39 + 1 + FORMAT_MAX_PLACES + 1)

size_t wz_dec_format(wz_dec a, int min_places, int max_places, char *buf, size_t cap)
{
    if (min_places < 0)
        min_places = 0;
    if (min_places > FORMAT_MAX_PLACES)
        min_places = FORMAT_MAX_PLACES;
    if (max_places > FORMAT_MAX_PLACES)
        max_places = FORMAT_MAX_PLACES;
    if (max_places < min_places)
        max_places = min_places;

    wz_u128 n = u128_abs(a.num), d = (wz_u128)a.den;
    wz_u128 ip = n / d, r = n % d;
    char frac[FORMAT_MAX_PLACES];

    /* Long division digit by digit.  With a denominator below 2^59 (every
     * money and score value in practice) 10*r fits in 64 bits; a terminating
     * value stops as soon as nothing is left. */
    int i0 = 0;
    if (d < ((wz_u128)1 << 59)) {
        uint64_t r64 = (uint64_t)r, d64 = (uint64_t)d;
        for (; i0 < max_places; i0++) {
            if (r64 == 0) {
                memset(frac + i0, '0', (size_t)(max_places - i0));
                i0 = max_places;
                break;
            }
            r64 *= 10;
            frac[i0] = (char)('0' + r64 / d64);
            r64 %= d64;
        }
        r = r64;
    }
    /* Otherwise 10*r could exceed 128 bits when d is close to 2^127, so the
     * digit is found by ten modular additions. */
    for (int i = i0; i < max_places; i++) {
        wz_u128 acc = 0;
        int digit = 0;
        for (int k = 0; k < 10; k++) {
            if (acc >= d - r) {
                acc -= d - r;
                digit++;
            } else {
                acc += r;
            }
        }
        frac[i] = (char)('0' + digit);
        r = acc;
    }
    /* Half-up at the last shown digit: r/d >= 1/2 without forming 2r. */
    if (r != 0 && r >= d - r) {
        int i = max_places - 1;
        while (i >= 0 && frac[i] == '9')
            frac[i--] = '0';
        if (i >= 0)
            frac[i]++;
        else
            ip++;   /* ip <= 2^127 - 1, so this stays within 128 bits */
    }

    int shown = max_places;
    while (shown > min_places && frac[shown - 1] == '0')
        shown--;

    bool all_zero = ip == 0;
    for (int i = 0; i < shown && all_zero; i++)
        all_zero = frac[i] == '0';

    char out[FORMAT_BUF];
    size_t len = 0;
    if (a.num < 0 && !all_zero)
        out[len++] = '-';
    len += u128_to_digits(ip, out + len);
    if (shown > 0) {
        out[len++] = '.';
        memcpy(out + len, frac, (size_t)shown);
        len += (size_t)shown;
    }
    return emit(out, len, buf, cap);
}

char *wz_dec_to_string(wz_dec a, int min_places, int max_places)
{
    char tmp[FORMAT_BUF];
    wz_dec_format(a, min_places, max_places, tmp, sizeof tmp);
    return g_strdup(tmp);
}

char *wz_dec_to_fraction_string(wz_dec a)
{
    char tmp[1 + 39 + 1 + 39 + 1];
    size_t len = 0;
    if (a.num < 0)
        tmp[len++] = '-';
    len += u128_to_digits(u128_abs(a.num), tmp + len);
    if (a.den != 1) {
        tmp[len++] = '/';
        len += u128_to_digits(u128_abs(a.den), tmp + len);
    }
    tmp[len] = '\0';
    return g_strdup(tmp);
}

const char *wz_dec_status_message(wz_dec_status st)
{
    switch (st) {
    case WZ_DEC_OK:
        return "ok";
    case WZ_DEC_OVERFLOW:
        return "number too large for exact arithmetic";
    case WZ_DEC_DIV_ZERO:
        return "division by zero";
    case WZ_DEC_SYNTAX:
        return "not a plain decimal number";
    }
    return "unknown decimal error";
}
