/* test_policytest.c — wz_policy_tests_run(): a policy's tests in the language.
 *
 * A small policy, a test file importing it, and the report and counts: a
 * passing test, a failing expectation with its place and both values, rows
 * written inline replacing a fact, a param set, coverage, and what a person is
 * paid by an award they answer for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <string.h>

#include "policytest.h"
#include "test_util.h"

static const char POLICY[] =
    "policy \"t\" version \"1\";\n"
    "param rate: decimal = 0.5;\n"
    "fact staff persons key id { id: text; }\n"
    "fact leave { id: person; days: decimal; }\n"
    "section att \"考勤\" points 10 floor 0 {\n"
    "    deduct sick \"病假\" (rate) per sum(leave.days);\n"
    "    bonus never \"从不\" 1 per 0;\n"
    "}\n";

static char *dir;

static void put(const char *name, const char *text) {
    char *path = g_build_filename(dir, name, NULL);
    assert_true(g_file_set_contents(path, text, -1, NULL));
    g_free(path);
}

static int setup(void **state) {
    dir = g_dir_make_tmp("wz-policytest-XXXXXX", NULL);
    if (!dir) return -1;
    put("p.wz", POLICY);
    char *facts = g_build_filename(dir, "facts", NULL);
    g_mkdir(facts, 0700);
    g_free(facts);
    put("facts/staff.csv", "id\nA\nB\n");
    put("facts/leave.csv", "id,days\nA,1\n");
    return 0;
}

static int teardown(void **state) {
    const char *files[] = {"p.wz", "t.test.wz", "facts/staff.csv", "facts/leave.csv", "u.wz", "ufacts/staff.csv", "ufacts/incident.csv"};
    for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
        char *path = g_build_filename(dir, files[i], NULL);
        g_remove(path);
        g_free(path);
    }
    for (guint i = 0; i < 2; i++) {
        char *facts = g_build_filename(dir, i ? "ufacts" : "facts", NULL);
        g_rmdir(facts);
        g_free(facts);
    }
    g_rmdir(dir);
    g_free(dir);
    return 0;
}

static GString *run_test_file(const char *text, bool coverage, wz_test_counts *counts, bool *ok) {
    put("t.test.wz", text);
    char *path = g_build_filename(dir, "t.test.wz", NULL);
    wz_diags *d = wz_diags_new(0);
    GString *report = g_string_new(NULL);
    *ok = wz_policy_tests_run(path, coverage, report, counts, d);
    if (!*ok) test_print_diags(d);
    wz_diags_free(d);
    g_free(path);
    return report;
}

/* A's 1 day of leave × 0.5 = 0.5 off 10; rows replacing leave: 4 days × 0.5 = 2; rate 1: 4. */
static void test_pass_fail_rows_and_params(void **state) {
    wz_test_counts counts = {0};
    bool ok = false;
    GString *r = run_test_file("import \"p.wz\";\n"
                           "test \"as given\" { from \"facts\"; expect A att == 9.5; expect B att.sick == 0; }\n"
                           "test \"rows\" { from \"facts\"; rows leave { A, 4; } expect A att.sick == -2; }\n"
                           "test \"param\" { from \"facts\"; rows leave { A, 4; } param rate = 1;\n"
                           "    expect A att == 6; expect A att == 7; }\n",
                           false, &counts, &ok);
    assert_true(ok);
    assert_string_equal(r->str, "ok - as given\n"
                                "ok - rows\n"
                                "FAIL - param\n"
                                "    t.test.wz:5:24: expect A att == 7, got 6\n");
    assert_int_equal(counts.passed, 2);
    assert_int_equal(counts.failed, 1);
    g_string_free(r, TRUE);
}

static void test_coverage_lists_rules_never_fired(void **state) {
    wz_test_counts counts = {0};
    bool ok = false;
    GString *r = run_test_file("import \"p.wz\";\ntest \"one\" { from \"facts\"; expect A att == 9.5; }\n", true, &counts, &ok);
    assert_true(ok);
    assert_string_equal(r->str, "ok - one\n"
                                "coverage: rules no test fired:\n"
                                "    p.wz:7 att.never 从不\n");
    g_string_free(r, TRUE);
}

static void test_a_file_without_tests_is_an_error(void **state) {
    wz_test_counts counts = {0};
    bool ok = true;
    GString *r = run_test_file("import \"p.wz\";\n", false, &counts, &ok);
    assert_false(ok);
    assert_int_equal(counts.passed + counts.failed, 0);
    g_string_free(r, TRUE);
}

/* A school's fine answered for by its class teachers (whole) and its principal
 * (two months of his own pay, from his own row): `expect PERSON AWARD` is what
 * awards.csv gives the person; an award that names no one pays no person. */
static void test_what_a_person_is_paid_by_an_award(void **state) {
    put("u.wz", "policy \"u\" version \"1\";\n"
                "role 校长 { duty 1 \"全面负责\"; }\n"
                "role 班主任 reports_to 校长 { duty 1 \"班级安全\"; }\n"
                "entity school \"学校\";\n"
                "fact staff persons key id { id: text; post: role; school: school; monthly: decimal; }\n"
                "fact incident for school { school: school; }\n"
                "award fine \"罚款\" = -100 when count(incident) > 0 responsible direct 班主任, first 校长 = -2 * staff.monthly;\n"
                "award plain \"学校罚款\" = -50 when count(incident) > 0;\n");
    char *facts = g_build_filename(dir, "ufacts", NULL);
    g_mkdir(facts, 0700);
    g_free(facts);
    put("ufacts/staff.csv", "id,post,school,monthly\nA,校长,S1,3000\nB,班主任,S1,2000\nC,班主任,S1,1000\nD,班主任,S2,1000\n");
    put("ufacts/incident.csv", "school\nS1\n");
    wz_test_counts counts = {0};
    bool ok = false;
    GString *r = run_test_file("import \"u.wz\";\n"
                               "test \"paid\" { from \"ufacts\"; expect A fine == -6000; expect B fine == -100; expect C fine == -100;\n"
                               "    expect D fine == 0; expect S1 fine == -100; expect S1 plain == -50; }\n"
                               "test \"misused\" { from \"ufacts\"; expect A plain == 0; expect A fine == -100; }\n",
                               false, &counts, &ok);
    assert_true(ok);
    assert_string_equal(r->str, "ok - paid\n"
                                "FAIL - misused\n"
                                "    t.test.wz:4:33: expect A plain: 'plain' is paid to each school and names no person who answers for it "
                                "(no 'responsible' or 'duty'), so it pays no person: expect it of a school, not of 'A'\n"
                                "    t.test.wz:4:54: expect A fine == -100, got -6000\n");
    assert_int_equal(counts.passed, 1);
    assert_int_equal(counts.failed, 1);
    g_string_free(r, TRUE);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pass_fail_rows_and_params, setup, teardown),
        cmocka_unit_test_setup_teardown(test_coverage_lists_rules_never_fired, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_file_without_tests_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_what_a_person_is_paid_by_an_award, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
