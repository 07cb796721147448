/* value.h — run-time values of the VM.
 *
 * A value is a small tagged struct passed by copy; it never owns memory
 * (text is an interned string id, enums are member indices).
 */
#ifndef WZ_VALUE_H
#define WZ_VALUE_H

#include <stdint.h>

#include "decimal.h"

typedef enum wz_value_tag {
    WZ_V_MISSING = 0,   /* no row, an empty optional cell, min() of no rows */
    WZ_V_NUM,           /* d */
    WZ_V_BOOL,          /* i: 0 or 1 */
    WZ_V_DATE,          /* i: days since 1970-01-01 */
    WZ_V_ENUM,          /* i: member index */
    WZ_V_TEXT,          /* i: interned string id (facts) */
    WZ_V_STR,           /* s: a string of the policy (a literal) or of a text param */
    WZ_V_PERSON,        /* i: person index */
    WZ_V_TIER,          /* i: tier index on a ladder, -1 = none */
} wz_value_tag;

typedef struct wz_value {
    wz_value_tag tag;
    int64_t i;
    wz_dec d;
    const char *s;      /* WZ_V_STR: borrowed from the policy's AST or the run's params */
} wz_value;

static inline wz_value wz_num(wz_dec d) { return (wz_value){.tag = WZ_V_NUM, .d = d}; }
static inline wz_value wz_tagged(wz_value_tag tag, int64_t i) { return (wz_value){.tag = tag, .i = i}; }
static inline wz_value wz_missing(void) { return (wz_value){.tag = WZ_V_MISSING}; }

#endif
