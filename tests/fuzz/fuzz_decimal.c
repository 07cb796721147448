/* fuzz_decimal.c — the decimal module against GMP's rationals (differential).
 *
 * The input is a little program for a stack machine: push a literal built from the bytes,
 * or add, subtract, multiply, divide, compare or round the top values.  Every value is kept
 * twice, as a wz_dec and as an mpq_t; after each step:
 *   - a wz_dec result of WZ_DEC_OK equals GMP's exactly;
 *   - WZ_DEC_OVERFLOW only when GMP's exact result does not fit 128-bit num/den;
 *   - WZ_DEC_DIV_ZERO exactly when the divisor is 0;
 *   - wz_dec_cmp agrees with mpq_cmp; wz_dec_round with rounding done in GMP;
 *   - a literal parses (wz_dec_parse) to what GMP reads from the same digits.
 * Seeds: tests/fuzz/corpus/decimal. */
#include <stdio.h>   /* before gmp.h: gmp_fprintf */

#include <gmp.h>

#include "decimal.h"
#include "fuzz_util.h"

#define STACK 8

static void to_mpq(mpq_t q, wz_dec d) {
    char *s = wz_dec_to_fraction_string(d);
    if (mpq_set_str(q, s, 10) != 0) abort();
    mpq_canonicalize(q);
    g_free(s);
}

/* Whether an exact rational fits wz_dec: |num| and den at most 2^127 - 1. */
static bool fits(const mpq_t q) {
    mpz_t lim;
    mpz_init(lim);
    mpz_setbit(lim, 127);
    mpz_sub_ui(lim, lim, 1);
    bool ok = mpz_cmpabs(mpq_numref(q), lim) <= 0 && mpz_cmp(mpq_denref(q), lim) <= 0;
    mpz_clear(lim);
    return ok;
}

static void check_same(wz_dec d, const mpq_t want, const char *what) {
    mpq_t got;
    mpq_init(got);
    to_mpq(got, d);
    if (!mpq_equal(got, want)) {
        gmp_fprintf(stderr, "%s: wz %Qd, gmp %Qd\n", what, got, want);
        abort();
    }
    mpq_clear(got);
}

/* GMP rounding of q to places in mode, the reference for wz_dec_round. */
static void ref_round(mpq_t out, const mpq_t q, int places, wz_round_mode mode) {
    mpz_t scale, n, r, half2;
    mpz_inits(scale, n, r, half2, NULL);
    mpz_ui_pow_ui(scale, 10, (unsigned long)places);
    mpq_t x;
    mpq_init(x);
    mpq_set(x, q);
    mpz_mul(mpq_numref(x), mpq_numref(x), scale);
    mpq_canonicalize(x);
    /* n = trunc(x), r = remainder; decide by mode */
    mpz_tdiv_qr(n, r, mpq_numref(x), mpq_denref(x));
    int sign = mpq_sgn(x);
    if (mpz_sgn(r) != 0) {
        /* compare 2|r| with den: < half, = half, > half */
        mpz_abs(half2, r);
        mpz_mul_2exp(half2, half2, 1);
        int c = mpz_cmp(half2, mpq_denref(x));
        bool away = false;
        switch (mode) {
        case WZ_ROUND_HALF_UP: away = c >= 0; break;
        case WZ_ROUND_HALF_EVEN: away = c > 0 || (c == 0 && mpz_odd_p(n)); break;
        case WZ_ROUND_DOWN: away = false; break;
        case WZ_ROUND_UP: away = true; break;
        case WZ_ROUND_FLOOR: away = sign < 0; break;
        case WZ_ROUND_CEIL: away = sign > 0; break;
        }
        if (away) {
            if (sign > 0) mpz_add_ui(n, n, 1);
            else mpz_sub_ui(n, n, 1);
        }
    }
    mpq_set_num(out, n);
    mpq_set_den(out, scale);
    mpq_canonicalize(out);
    mpq_clear(x);
    mpz_clears(scale, n, r, half2, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    wz_dec st[STACK];
    mpq_t q[STACK];
    for (int i = 0; i < STACK; i++) mpq_init(q[i]);
    int sp = 0;
    size_t i = 0;
    while (i < size) {
        uint8_t op = data[i++];
        switch (op % 8) {
        case 0: case 1: {   /* a literal: sign, digits, a point */
            if (sp == STACK || i >= size) break;
            uint8_t shape = data[i++];
            int ndig = 1 + shape % 40, point = (shape / 40) % 7;
            char buf[64];
            int k = 0;
            if (op & 8) buf[k++] = '-';
            for (int j = 0; j < ndig; j++) {
                uint8_t b = i < size ? data[i++] : 0;
                buf[k++] = (char)('0' + b % 10);
                if (j == ndig - 1 - point * 6 && j != ndig - 1 && point) buf[k++] = '.';
            }
            buf[k] = '\0';
            wz_dec d;
            wz_dec_status s = wz_dec_parse(buf, (size_t)k, &d);
            if (s != WZ_DEC_OK) break;
            /* GMP reads "int.frac" as (int frac) / 10^|frac| */
            char *dot = strchr(buf, '.');
            mpq_t ref;
            mpq_init(ref);
            if (dot) {
                char *digits = g_strdup_printf("%.*s%s", (int)(dot - buf), buf, dot + 1);
                mpz_set_str(mpq_numref(ref), digits, 10);
                mpz_ui_pow_ui(mpq_denref(ref), 10, strlen(dot + 1));
                mpq_canonicalize(ref);
                g_free(digits);
            } else {
                mpz_set_str(mpq_numref(ref), buf, 10);
            }
            check_same(d, ref, buf);
            st[sp] = d;
            mpq_set(q[sp], ref);
            sp++;
            mpq_clear(ref);
            break;
        }
        case 2: case 3: case 4: case 5: {   /* + - * / of the top two; the result replaces them */
            if (sp < 2) break;
            wz_dec a = st[sp - 2], b = st[sp - 1], r;
            mpq_t want;
            mpq_init(want);
            wz_dec_status s;
            const char *what;
            if (op % 8 == 2) { s = wz_dec_add(a, b, &r); mpq_add(want, q[sp - 2], q[sp - 1]); what = "add"; }
            else if (op % 8 == 3) { s = wz_dec_sub(a, b, &r); mpq_sub(want, q[sp - 2], q[sp - 1]); what = "sub"; }
            else if (op % 8 == 4) { s = wz_dec_mul(a, b, &r); mpq_mul(want, q[sp - 2], q[sp - 1]); what = "mul"; }
            else {
                s = wz_dec_div(a, b, &r);
                what = "div";
                if (mpq_sgn(q[sp - 1]) == 0) {
                    if (s != WZ_DEC_DIV_ZERO) abort();
                    mpq_clear(want);
                    break;
                }
                mpq_div(want, q[sp - 2], q[sp - 1]);
            }
            if (s == WZ_DEC_OK) {
                check_same(r, want, what);
                st[sp - 2] = r;
                mpq_set(q[sp - 2], want);
                sp--;
            } else if (s == WZ_DEC_OVERFLOW) {
                if (fits(want)) {
                    gmp_fprintf(stderr, "%s: overflow reported, but %Qd fits\n", what, want);
                    abort();
                }
            } else {
                abort();
            }
            mpq_clear(want);
            break;
        }
        case 6: {   /* compare the top two */
            if (sp < 2) break;
            int c = wz_dec_cmp(st[sp - 2], st[sp - 1]), w = mpq_cmp(q[sp - 2], q[sp - 1]);
            if ((c > 0) != (w > 0) || (c < 0) != (w < 0)) abort();
            if (wz_dec_sign(st[sp - 1]) != mpq_sgn(q[sp - 1])) abort();
            break;
        }
        case 7: {   /* round the top in place */
            if (sp < 1 || i >= size) break;
            uint8_t how = data[i++];
            int places = how % 8;
            wz_round_mode mode = (wz_round_mode)((how / 8) % 6);
            wz_dec r;
            wz_dec_status s = wz_dec_round(st[sp - 1], places, mode, &r);
            mpq_t want;
            mpq_init(want);
            ref_round(want, q[sp - 1], places, mode);
            if (s == WZ_DEC_OK) {
                check_same(r, want, "round");
                st[sp - 1] = r;
                mpq_set(q[sp - 1], want);
            } else if (s != WZ_DEC_OVERFLOW || fits(want)) {
                abort();
            }
            mpq_clear(want);
            break;
        }
        }
    }
    for (int k = 0; k < STACK; k++) mpq_clear(q[k]);
    return 0;
}
