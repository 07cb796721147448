/* test_rowvalue.c — per-incident values (interp/check_rowvalue.c, issue 15.2).
 *
 * Table-driven: each bad policy with its error count and the exact first line of the
 * rendered message (file:line:col: error: …), one per kind of mistake with a row value
 * (`let FACT.NAME = …`) or a `for each FACT` rule; then the forms that must check, and
 * what the resolved program holds for them (each def's fact, the row values' types and
 * labels, the dependencies a row value hands on to its reader).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_util.h"

#include <string.h>

#include "check.h"

/* Lines 1–9 of every case; the text under test starts on line 10. */
#define BASE                                                                                                      \
    "policy \"T\" version \"1\";\n"                                                                               \
    "param start: date = 2019-09-01;\n"                                                                           \
    "param stop: date = 2020-07-15;\n"                                                                            \
    "period year from start to stop;\n"                                                                           \
    "ladder L { warning: cut 10%; demerit: cut 30%; dismissal: cut 100%; }\n"                                     \
    "fact staff persons key id { id: text; minutes_ok: int; }\n"                                                  \
    "fact accident dated by date { id: person; date: date; kind: enum(late, absent, safety); minutes: int in 0 .. 45; " \
    "injured: int; }\n"                                                                                           \
    "fact lapse { id: person; what: text; }\n"                                                                    \
    "fact extra one per person optional { id: person; amount: decimal; }\n"

#define LEVEL "let accident.level = classify { dismissal when injured > 0; demerit when minutes > 10; warning otherwise; };\n"

static wz_policy *load(const char *body, wz_diags *d) {
    char *text = g_strconcat(BASE, body, NULL);
    wz_policy *p = wz_policy_load_text("t.wz", text, strlen(text), d);
    g_free(text);
    return p;
}

/* ---- errors ------------------------------------------------------------------ */

static const struct bad_case {
    const char *what;     /* the mistake */
    const char *body;     /* from line 10 */
    guint errors;
    const char *first;    /* the first message's first line */
} bad_cases[] = {
    {"a row value reads another fact's row", "let accident.x = lapse.what;\n", 1,
     "t.wz:10:18: error: row value 'accident.x' is computed on one row of 'accident' at a time, and 'lapse.what' is in the rows "
     "of another fact; aggregate it in a let (let n = count(lapse where …);) and read that"},
    {"a row value aggregates rows", "let accident.x = count(lapse);\n", 1,
     "t.wz:10:18: error: a row value is read on one row of 'accident' at a time, so it cannot aggregate rows; aggregate them "
     "in a let (let n = count(…);) and read that"},
    {"two row values read each other", "let accident.a = b + 1;\nlet accident.b = a * 2;\n", 1,
     "t.wz:10:1: error: row value 'accident.a' depends on itself; a policy's values must not go round in a circle"},
    {"a row value reads itself", "let accident.a = a + 1;\n", 1,
     "t.wz:10:1: error: row value 'accident.a' depends on itself; a policy's values must not go round in a circle"},
    {"a row value named like a field", "let accident.minutes = 1;\n", 1,
     "t.wz:10:1: error: 'accident.minutes' is already a field of fact 'accident'; a row value needs a name of its own"},
    {"a row value defined twice", "let accident.x = 1;\nlet accident.x = 2;\n", 1,
     "t.wz:11:1: error: row value 'accident.x' is defined twice (first at line 10)"},
    {"a row value used outside an aggregate", "let x = accident.level;\n" LEVEL, 1,
     "t.wz:10:9: error: 'accident.level' is a value of each row of 'accident'; read it inside an aggregate over its rows, "
     "as in count(accident where level …) or sum(accident.level), or in 'for each accident'"},
    {"a row value read in another fact's rows", LEVEL "let n = count(lapse where accident.level == demerit);\n", 2,
     "t.wz:11:27: error: 'accident.level' is a value of each row of 'accident'; read it inside an aggregate over its rows, "
     "as in count(accident where level …) or sum(accident.level), or in 'for each accident'"},
    {"a row value of a fact that does not exist", "let nope.x = 1;\n", 1,
     "t.wz:10:1: error: 'nope' is not a fact, expecting 'let FACT.NAME = …;' for a value of each row of a fact"},
    {"a row value of a one-per-person fact", "let extra.x = 1;\n", 1,
     "t.wz:10:1: error: fact 'extra' has one row per person, so a value of its row is a plain 'let x = …;'; "
     "'let extra.x' is for a fact with many rows (incidents)"},
    {"a row value that is a person", "let accident.who = id;\n", 1,
     "t.wz:10:20: error: a row value is a number, a condition, a date, text or a label, not a person"},
    {"for each over the persons fact", "award f = -10 for each staff;\n", 1,
     "t.wz:10:15: error: fact 'staff' has one row per person, so 'for each staff' would be one finding per person, as without "
     "it; 'for each' needs a fact with many rows (incidents)"},
    {"for each over an unknown fact", "award f = -10 for each nofact;\n", 1,
     "t.wz:10:15: error: 'nofact' is not a fact or a window group, expecting 'for each FACT' with a fact whose rows are incidents, "
     "or 'for each W' with a group declared by 'split PERIOD into W …;'"},
    {"escalation per incident", "sanction s ladder L at 1 for each accident;\n", 1,
     "t.wz:10:26: error: 'at N' escalates one tier per person from a count, so it has no incidents; count them in N "
     "(at count(accident where …)), or give each incident its tier with 'tier T when C for each accident'"},
    {"for each names another fact than from", LEVEL "sanction s ladder L from accident.level for each lapse;\n", 1,
     "t.wz:11:41: error: 'for each lapse' must name the fact that 'from accident.level' reads, expecting 'for each accident'"},
    {"a for each amount aggregates rows", "award f = -sum(accident.minutes) for each accident;\n", 1,
     "t.wz:10:12: error: a 'for each' rule is read on one row of 'accident' at a time, so it cannot aggregate rows; aggregate "
     "them in a let (let n = sum(…);) and read that"},
    {"a row value reading a whole-period let inside a window",
     "split year into term at 2020-02-01;\nlet lates = count(accident where kind == late);\nlet accident.x = lates + minutes;\n"
     "let y = any term (sum(accident.x) > 3);\n", 1,
     "t.wz:13:23: error: 'accident.x' reads 'lates', which sums rows over the whole period, so inside '… term (…)' it would not "
     "change per window; write the aggregate itself here"},
    {"a row value's labels that are not tiers", "let accident.k = kind;\nsanction s ladder L from accident.k for each accident;\n", 3,
     "t.wz:11:26: error: value 'late' of accident.k is not a tier of ladder 'L'"},
    {"a number row value as a sanction's source", "let accident.m = minutes * 2;\nsanction s ladder L from accident.m;\n", 1,
     "t.wz:11:26: error: 'accident.m' must be an enum whose values name tiers of 'L'"},
};

static void test_each_mistake_has_its_message(void **state) {
    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
        const struct bad_case *bc = &bad_cases[i];
        wz_diags *d = wz_diags_new(0);
        wz_policy *p = load(bc->body, d);
        if (d->errors != bc->errors) {
            print_error("case '%s':\n", bc->what);
            test_print_diags(d);
        }
        assert_null(p);
        assert_int_equal(d->errors, bc->errors);
        char *got = test_diag_line(d, 0);
        if (strcmp(got, bc->first)) print_error("case '%s'\n", bc->what);
        assert_string_equal(got, bc->first);
        g_free(got);
        wz_diags_free(d);
    }
}

/* ---- what checks, and what the resolved program holds ------------------------- */

static const char *const good_cases[] = {
    /* bare and qualified fields, another row value, a param, a one-per-person field */
    "let accident.x = staff.minutes_ok + minutes + accident.injured;\nlet accident.y = x * 2;\n"
    "let n = sum(accident.y where kind == late);\n",
    /* in where, in min/max, compared with its own labels */
    LEVEL "let n = count(accident where level == dismissal);\nlet m = max(accident.minutes where level != warning) ?? 0;\n",
    /* every per-incident form, Chinese spelling too */
    LEVEL "sanction a ladder L from accident.level where minutes > 1 for each accident where kind == late;\n"
          "sanction b ladder L tier demerit when injured > 0 for each accident;\n"
          "award c = -10 * minutes when kind == late for each accident where minutes > 5;\n"
          "奖惩 d = -1 逐条 accident;\n"
          "sanction e ladder L from accident.level;\n"
          "sanction f ladder L at count(accident where level == dismissal);\n",
};

static void test_per_incident_forms_check(void **state) {
    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(good_cases); i++) {
        wz_diags *d = wz_diags_new(0);
        wz_policy *p = load(good_cases[i], d);
        test_print_diags(d);
        assert_int_equal(d->errors, 0);
        assert_non_null(p);
        wz_policy_free(p);
        wz_diags_free(d);
    }
}

static const wz_def *def_named(const wz_policy *p, const char *name) {
    int d = wz_policy_find_def(p, name);
    assert_true(d >= 0);
    return g_ptr_array_index(p->defs, (guint)d);
}

static void test_resolved_program(void **state) {
    (void)state;
    wz_diags *d = wz_diags_new(0);
    wz_policy *p = load("let base = 5;\nlet lates = count(accident where kind == late);\n"
                        "let accident.fine = base * minutes + lates;\n" LEVEL
                        "award f = -fine for each accident;\n"
                        "award g = -sum(accident.fine);\n"
                        "sanction s ladder L from accident.level for each accident;\n"
                        "sanction t ladder L from accident.level;\n", d);
    test_print_diags(d);
    assert_non_null(p);
    int accident = wz_policy_find_fact(p, "accident");
    assert_int_equal(p->row_values->len, 2);
    const wz_row_value *fine = g_ptr_array_index(p->row_values, 0), *level = g_ptr_array_index(p->row_values, 1);
    assert_string_equal(fine->name, "fine");
    assert_int_equal(fine->fact, accident);
    assert_int_equal(fine->type, WZ_T_NUMBER);
    assert_null(fine->members);
    /* the lets it reads are its readers' dependencies too */
    assert_int_equal(fine->deps->len, 2);
    assert_string_equal(level->name, "level");
    assert_int_equal(level->type, WZ_T_ENUM);
    assert_int_equal(level->members->len, 3);
    assert_string_equal(g_ptr_array_index(level->members, 0), "dismissal");
    assert_true(p->has_each);
    assert_int_equal(def_named(p, "f")->each_fact, accident);
    assert_int_equal(def_named(p, "s")->each_fact, accident);
    assert_int_equal(def_named(p, "g")->each_fact, -1);
    assert_int_equal(def_named(p, "t")->each_fact, -1);
    /* a per-incident rule has no parts to probe for the whole entity */
    assert_null(def_named(p, "f")->amount_expr);
    assert_non_null(def_named(p, "g")->amount_expr);
    int late = wz_policy_find_def(p, "lates");
    for (const char *const *n = (const char *const[]){"f", "g", NULL}; *n; n++) {
        const wz_def *r = def_named(p, *n);
        bool reads_late = false;
        for (guint k = 0; k < r->deps->len; k++) reads_late |= g_array_index(r->deps, int, k) == late;
        assert_true(reads_late);
    }
    /* every def after what it reads, through the row value */
    guint at_late = 0, at_f = 0;
    for (guint i = 0; i < p->order->len; i++) {
        if (g_array_index(p->order, int, i) == late) at_late = i;
        if (g_array_index(p->order, int, i) == wz_policy_find_def(p, "f")) at_f = i;
    }
    assert_true(at_late < at_f);
    wz_policy_free(p);
    wz_diags_free(d);
}

static void test_policy_without_for_each_has_no_incident_column(void **state) {
    (void)state;
    wz_diags *d = wz_diags_new(0);
    wz_policy *p = load(LEVEL "let n = count(accident where level == dismissal);\nsanction s ladder L from accident.level;\n", d);
    assert_non_null(p);
    assert_false(p->has_each);
    wz_policy_free(p);
    wz_diags_free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_mistake_has_its_message),
        cmocka_unit_test(test_per_incident_forms_check),
        cmocka_unit_test(test_resolved_program),
        cmocka_unit_test(test_policy_without_for_each_has_no_incident_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
