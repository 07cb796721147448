/* lint.h — warnings about a policy that checked: what cannot be right.
 *
 * wz_lint() reads a resolved policy (and, for expressions, the annotated
 * tree, read-only) and appends WZ_SEV_WARNING diagnostics, each at the
 * policy text it is about and ending with a suggested fix:
 *   - a section with points whose deductions can take it below 0 with no
 *     floor, or whose bonuses can take it above its points with no cap;
 *   - a divisor that can be 0 for some person (not one that is the same for
 *     everyone: params, population aggregates and literals);
 *   - a condition that never holds or always holds;
 *   - a classify case that can never be chosen;
 *   - a `by X` share whose X can be 0 (that person still takes a unit);
 *   - params, facts and number or bool fields declared and never read;
 *   - names that differ only by full-width/half-width forms or a look-alike
 *     CJK variant (敎/教).
 * It rests on an interval analysis of every value (facts' declared ranges,
 * literals, arithmetic, aggregates), refined inside `if`, `when`, `where`
 * and `and`/`or` by what their conditions prove.  Every claim it makes
 * ("never holds", "can be 0") holds for the intervals, which over-approximate
 * the values: a warning may be about a combination the data never shows,
 * never about one the policy rules out.
 *
 * The warnings are appended in source order (file, then offset).  A policy's
 * errors are never touched: call it on a policy wz_check() accepted.
 *
 * Ownership: nothing is kept; the diagnostics belong to diags and point
 * into the policy's sources, so print them before freeing the policy.
 */
#ifndef WZ_LINT_H
#define WZ_LINT_H

#include "check.h"
#include "diag.h"

void wz_lint(const wz_policy *p, wz_diags *diags);

#endif
