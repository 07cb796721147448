/* diff.h — what changed between two versions of a policy, and whom it changes.
 *
 * wz_diff_new() compares two checked policies item by item, matched by
 * name: params (type, default), facts and their fields, every value, section
 * and rule (each part of a rule: amount, quantity, allowance, cap, condition),
 * sanctions, awards and notices, ladders and their tiers (cut, grade,
 * exclusion), the pool (rounding, places, each basis's share), lookup
 * tables, roles and duties.  Expressions are compared as trees, with built-in
 * functions by what they are, not how they are spelled, so layout, comments,
 * the order of items and the keyword language (合计 or sum) make no
 * difference; what changed is shown as written in each file.  Then the
 * values that change only because something they read changed are listed.
 *
 * wz_diff_apply_alone() writes the old policy's text with one change made,
 * so that its effect can be measured by itself.
 *
 * wz_diff_measure() runs the old and the new version, and each change alone,
 * on the same facts; wz_impact_render() lists, per person or entity, each
 * total, grade, sanction and pay that differs, largest change first, which
 * change caused how much of it, and a summary.
 *
 * Ownership: a wz_diff borrows both policies (they must outlive it); a
 * wz_impact owns what it keeps (no result is kept).  Reports are appended
 * to the caller's GString; nothing is printed.
 */
#ifndef WZ_DIFF_H
#define WZ_DIFF_H

#include <glib.h>

#include "check.h"
#include "engine.h"

typedef struct wz_diff wz_diff;
typedef struct wz_impact wz_impact;

wz_diff *wz_diff_new(const wz_policy *old, const wz_policy *new_);
void wz_diff_free(wz_diff *d);
/* How many items changed. */
guint wz_diff_count(const wz_diff *d);
/* "rule attendance.sick": change k's kind and name. */
const char *wz_diff_title(const wz_diff *d, guint k);
/* Appends the changes, as text or JSON. */
void wz_diff_render(const wz_diff *d, bool json, GString *out);
/* wz_diff_new + wz_diff_render; returns the count. */
guint wz_diff_policies(const wz_policy *old, const wz_policy *new_, bool json, GString *out);

/* What change k is when it changes no value ("a new name"), else NULL. */
const char *wz_diff_changes_no_value(const wz_diff *d, guint k);
/* The old policy's source with change k made and nothing else: a new string;
 * NULL, with *why set (a new string), when the change cannot be made alone
 * (it sits in an imported file) or changes no value (a rename, the header). */
char *wz_diff_apply_alone(const wz_diff *d, guint k, char **why);
/* The same with the n changes ks made together. */
char *wz_diff_apply(const wz_diff *d, const guint *ks, guint n, char **why);
/* An added item (not among have) that a checker message names in quotes
 * ("unknown name 'late_rate'"), or G_MAXUINT. */
guint wz_diff_added_named(const wz_diff *d, const char *message, const guint *have, guint n);

/* Runs old and new on facts_dir, and each change alone (its runs' problems
 * are kept as the reason it could not be measured, not reported).  NULL, with
 * the problem in diags, when old or new cannot run. */
wz_impact *wz_diff_measure(const wz_diff *d, const char *facts_dir, const wz_engine_options *opts, wz_diags *diags);
/* The impact of two results alone, with no attribution. */
wz_impact *wz_impact_new(const wz_result *old, const wz_result *new_);
void wz_impact_free(wz_impact *m);
/* Appends the impact: text, or one JSON object. */
void wz_impact_render(const wz_impact *m, bool json, GString *out);
/* One row per person or entity that changes: the columns of impact.csv. */
void wz_impact_render_csv(const wz_impact *m, GString *out);
/* Writes impact.csv and impact.json into dir (made when missing), each
 * atomically; refuses to replace files an earlier diff did not write. */
bool wz_impact_write(const wz_impact *m, const char *dir, wz_diags *diags);

#endif
