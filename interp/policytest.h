/* policytest.h — a policy's tests, written in the language (*.test.wz).
 *
 * A test file imports the policy it tests (header and all) and says, per
 * `test "NAME" { … }`, which facts to start from (`from "DIR";`) and which
 * earlier periods (`history "DIR";`, as --history gives them), which
 * facts to replace with rows written inline (`rows leave { T1, 2019-10-08,
 * 病假, 3; }`, cells in the fact's field order), which params to set
 * (`param pool = 100000;`), and what must come out (`expect T1 attendance
 * == 9.4;` — any value, section, rule, total or sanction of a person or an
 * entity, or `grade`, `basis`, `reward`, `stipend`, `pay` of a person), each
 * compared exactly.  Each test runs the whole engine on its own copy of the
 * facts, in a temporary directory that is removed afterwards.
 *
 * Ownership: the report is appended to the caller's GString; nothing is
 * printed.
 */
#ifndef WZ_POLICYTEST_H
#define WZ_POLICYTEST_H

#include <glib.h>

#include "diag.h"

typedef struct wz_test_counts {
    guint passed, failed;
} wz_test_counts;

/* Runs every test of the file at path, appending "ok - NAME" or "FAIL - NAME" with
 * each unmet expectation (file:line:col, expected and actual) to report; with
 * coverage, then the rules (deductions, bonuses, sanctions, notices, awards)
 * that no test of the file fired.  Adds the counts to *counts.  Returns false
 * when the file cannot be loaded or a test names what the policy lacks (a
 * fact, a field count): diags say where. */
bool wz_policy_tests_run(const char *path, bool coverage, GString *report, wz_test_counts *counts, wz_diags *diags);

#endif
