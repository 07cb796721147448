/* decimal.h — exact numbers for points and money.
 *
 * A wz_dec is an exact rational number num/den held in two 128-bit integers,
 * always normalised: den > 0 and gcd(|num|, den) == 1 (zero is 0/1).  Every
 * decimal literal, fact value and intermediate result is exact; nothing is
 * ever held in binary floating point.  Addition, subtraction, multiplication
 * and division never round: the only rounding is wz_dec_round(), which a
 * policy asks for explicitly, and the display formatting of wz_dec_format().
 *
 * An operation whose exact result does not fit in 128-bit num/den returns
 * WZ_DEC_OVERFLOW instead of a wrong value; callers turn that into an error.
 *
 * Ownership: wz_dec is a plain value type; nothing here allocates except
 * wz_dec_to_string(), whose result the caller frees with g_free().
 */
#ifndef WZ_DECIMAL_H
#define WZ_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef __int128 wz_i128;

typedef struct wz_dec {
    wz_i128 num;
    wz_i128 den;   /* > 0 */
} wz_dec;

typedef enum wz_dec_status {
    WZ_DEC_OK = 0,
    WZ_DEC_OVERFLOW,    /* exact result does not fit */
    WZ_DEC_DIV_ZERO,    /* division by zero */
    WZ_DEC_SYNTAX,      /* wz_dec_parse: not a plain decimal */
} wz_dec_status;

/* Rounding modes for wz_dec_round().  HALF_UP is 四舍五入: ties go away from
 * zero (2.345 → 2.35, −2.345 → −2.35).  HALF_EVEN is banker's rounding.
 * DOWN truncates toward zero, UP rounds away from zero, FLOOR and CEIL toward
 * −∞ and +∞. */
typedef enum wz_round_mode {
    WZ_ROUND_HALF_UP = 0,
    WZ_ROUND_HALF_EVEN,
    WZ_ROUND_DOWN,
    WZ_ROUND_UP,
    WZ_ROUND_FLOOR,
    WZ_ROUND_CEIL,
} wz_round_mode;

#define WZ_DEC_ZERO ((wz_dec){0, 1})
#define WZ_DEC_ONE  ((wz_dec){1, 1})

wz_dec wz_dec_from_int(int64_t v);

/* The most decimal places a number read from a facts file or a param may have.  Exact
 * arithmetic multiplies denominators: two values of 18 places multiply within 10^36 <
 * 2^127, so every product and quotient of read values fits, while a value of 37 places (a
 * denominator of 10^37) overflows the first time it meets another fraction, far from the
 * cell that brought it.  The loaders reject more places where they read them. */
#define WZ_DEC_READ_PLACES 18

/* Parses a plain decimal: optional sign ('+' or '-'), digits, optional '.'
 * followed by at least one digit ("12", "-0.5", "+3.25", ".5" is rejected,
 * "5." is rejected).  No exponent, no spaces, no thousands separators.  At
 * most 36 significant digits.  len is the number of bytes of s to read (s
 * need not be NUL-terminated). */
wz_dec_status wz_dec_parse(const char *s, size_t len, wz_dec *out);

wz_dec_status wz_dec_add(wz_dec a, wz_dec b, wz_dec *out);
wz_dec_status wz_dec_sub(wz_dec a, wz_dec b, wz_dec *out);
wz_dec_status wz_dec_mul(wz_dec a, wz_dec b, wz_dec *out);
wz_dec_status wz_dec_div(wz_dec a, wz_dec b, wz_dec *out);
wz_dec wz_dec_neg(wz_dec a);
wz_dec wz_dec_abs(wz_dec a);

/* −1, 0 or 1.  Never overflows (uses a 256-bit cross product). */
int wz_dec_cmp(wz_dec a, wz_dec b);
int wz_dec_sign(wz_dec a);
bool wz_dec_is_zero(wz_dec a);
bool wz_dec_is_integer(wz_dec a);
static inline wz_dec wz_dec_min(wz_dec a, wz_dec b) { return wz_dec_cmp(a, b) <= 0 ? a : b; }
static inline wz_dec wz_dec_max(wz_dec a, wz_dec b) { return wz_dec_cmp(a, b) >= 0 ? a : b; }

/* Rounds to `places` fractional digits (0..30) in the given mode.
 * Negative places round to tens, hundreds… (−1 → nearest 10). */
wz_dec_status wz_dec_round(wz_dec a, int places, wz_round_mode mode, wz_dec *out);

/* Integer part toward zero, when it fits in int64 (returns false if not). */
bool wz_dec_to_int64(wz_dec a, int64_t *out);

/* True when a has a finite decimal expansion with at most max_places digits. */
bool wz_dec_terminates_within(wz_dec a, int max_places);

/* Formats a in plain notation (never an exponent) into buf (cap bytes incl.
 * NUL).  Shows at least min_places fractional digits (padding with zeros)
 * and at most max_places: a value whose exact expansion is longer is rounded
 * half-up at max_places for display.  Trailing zeros beyond min_places are
 * dropped; "-0" is never printed.  Returns the length written, or the length
 * needed (like snprintf) when cap is too small.
 * Examples: (2.5, 0, 6) → "2.5"; (2.5, 2, 2) → "2.50"; (1/3, 0, 4) → "0.3333";
 * (2/3, 0, 4) → "0.6667"; (−0.00001, 0, 2) → "0". */
size_t wz_dec_format(wz_dec a, int min_places, int max_places, char *buf, size_t cap);

/* Same as wz_dec_format into a new string; caller frees with g_free(). */
char *wz_dec_to_string(wz_dec a, int min_places, int max_places);

/* Exact form "num/den" (or "num" when den == 1), for debugging and the
 * bytecode printer; caller frees with g_free(). */
char *wz_dec_to_fraction_string(wz_dec a);

const char *wz_dec_status_message(wz_dec_status st);

#endif
