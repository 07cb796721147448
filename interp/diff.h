/* diff.h — what changed between two versions of a policy, and whom it changes.
 *
 * wz_diff_policies() compares two checked policies item by item, matched by
 * name: params (type, default), facts and their fields, every value, section
 * and rule (each part of a rule: amount, quantity, allowance, cap, condition),
 * sanctions, awards and notices, ladders and their tiers (cut, grade,
 * exclusion), the pool (rounding, places, each basis's share), lookup
 * tables, roles and duties.  Expressions are compared as trees, so layout,
 * comments and the order of items make no difference; what changed is shown
 * as written in each file.  Then the values that change only because
 * something they read changed are listed.
 *
 * wz_diff_impact() runs both on the same facts and lists, per person or
 * entity, each total, grade, sanction and pay that differs, largest change
 * first, with a summary.
 *
 * Ownership: the report is appended to the caller's GString; nothing is
 * printed.  The policies and results are borrowed.
 */
#ifndef WZ_DIFF_H
#define WZ_DIFF_H

#include <glib.h>

#include "check.h"
#include "engine.h"

/* Appends the changes (text, or JSON when json) and returns how many items changed. */
guint wz_diff_policies(const wz_policy *old, const wz_policy *new_, bool json, GString *out);

/* Appends the impact of the change on the facts both runs read. */
void wz_diff_impact(const wz_result *old, const wz_result *new_, bool json, GString *out);

#endif
