/* explain.h — why one person or entity got what it got.
 *
 * wz_explain() walks the resolved policy and a finished run (wz_result) for
 * one entity: each section with its rules (applied or not, their points and
 * the fact rows they cite), the values they read (population aggregates
 * with how many entities they were computed over), the total and grade,
 * sanctions with their tier's effects, notices, awards, who answers for each
 * finding (and what this person answers for), and the pay with the pool's
 * arithmetic.  Text for a terminal (columns aligned by display width, CJK
 * counted as two) or JSON for tools, with exact numbers as strings.
 *
 * Ownership: returns a new GString (free with g_string_free), or NULL after
 * adding a diagnostic (no such entity) to diags.  Never prints.
 */
#ifndef WZ_EXPLAIN_H
#define WZ_EXPLAIN_H

#include <glib.h>

#include "engine.h"

typedef enum wz_explain_format { WZ_EXPLAIN_TEXT, WZ_EXPLAIN_JSON } wz_explain_format;

typedef struct wz_explain_options {
    const char *id;             /* the person's id or the entity's key, as in the facts */
    wz_explain_format format;
    bool zh;                    /* headings and words in Chinese */
    const char *why_not;        /* a rule (deduction, bonus, sanction, notice, award) to show in full: each part's value */
} wz_explain_options;

GString *wz_explain(const wz_result *r, const wz_explain_options *opts, wz_diags *diags);

/* Whether the policy is written with Chinese keywords (it opens with 方案, not
 * policy): explain then speaks Chinese unless told otherwise. */
bool wz_explain_policy_in_chinese(const wz_policy *p);

#endif
