/* check_internal.h — what the checker's files share, private to them.
 *
 * check.c checks the annotated tree; resolve.c then lowers what it proved
 * into the resolved structures of check.h that every later stage reads.
 */
#ifndef WZ_CHECK_INTERNAL_H
#define WZ_CHECK_INTERNAL_H

#include "check.h"

/* Fills the resolved fields of a policy that checked without errors: def
 * spans, words, signs, aggregate functions, limits, enum members and blame;
 * param defaults as values; split spans; ladder tiers with their effects;
 * role duties; the distribute's shares and rounding; the history use.
 * Everything it makes is owned by the policy. */
void wz_policy_resolve(wz_policy *p);

#endif
