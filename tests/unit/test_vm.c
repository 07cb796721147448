/* test_vm.c — what a policy computes, run end to end through wz_engine_run.
 *
 * Each test writes a small policy and fact CSVs into a temporary directory and
 * checks exact decimals: exact arithmetic, rules (per unit × quantity, free
 * allowance per window, cap, when), sections (points, floor, cap, formula),
 * classify, ??, exists(), in, population aggregates, full_years, rounding
 * modes, min/max, sanctions (most severe tier, cited rows, cut, tier-when),
 * notices, finding order, run-time errors, pay distribution (fixed and
 * pro-rata shares, stipends, exact conservation of the pool) and params
 * (default < params.csv < --param, and their errors).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <string.h>

#include "check.h"
#include "engine.h"

/* ---- fixture ---------------------------------------------------------------- */

typedef struct fx {
    char *dir;
    wz_diags *d;
    wz_policy *p;
    wz_result *r;
} fx;

static int setup(void **state)
{
    fx *x = g_new0(fx, 1);
    x->dir = g_dir_make_tmp("wz-vm-XXXXXX", NULL);
    if (!x->dir) return -1;
    x->d = wz_diags_new(0);
    *state = x;
    return 0;
}

static void reset_run(fx *x)
{
    wz_result_free(x->r);
    x->r = NULL;
    wz_diags_free(x->d);
    x->d = wz_diags_new(0);
}

static int teardown(void **state)
{
    fx *x = *state;
    GDir *dir = g_dir_open(x->dir, 0, NULL);
    const char *name;
    while (dir && (name = g_dir_read_name(dir))) {
        char *path = g_build_filename(x->dir, name, NULL);
        g_remove(path);
        g_free(path);
    }
    if (dir) g_dir_close(dir);
    g_rmdir(x->dir);
    g_free(x->dir);
    wz_result_free(x->r);
    wz_policy_free(x->p);
    wz_diags_free(x->d);
    g_free(x);
    return 0;
}

static char *diags_text(const wz_diags *d)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < d->items->len; i++) {
        char *r = wz_diag_render(g_ptr_array_index(d->items, i));
        g_string_append_printf(s, "%s\n", r);
        g_free(r);
    }
    return g_string_free(s, FALSE);
}

static void put(fx *x, const char *name, const char *text)
{
    char *path = g_build_filename(x->dir, name, NULL);
    assert_true(g_file_set_contents(path, text, -1, NULL));
    g_free(path);
}

static void policy(fx *x, const char *text)
{
    wz_policy_free(x->p);   /* a test may load a second policy */
    x->p = wz_policy_load_text("t.wz", text, strlen(text), x->d);
    if (!x->p) {
        char *msg = diags_text(x->d);
        fail_msg("policy rejected:\n%s", msg);
    }
}

static wz_result *run_with(fx *x, GPtrArray *overrides)
{
    x->r = wz_engine_run(x->p, x->dir, overrides, NULL, x->d);
    return x->r;
}

static wz_result *run(fx *x)
{
    if (!run_with(x, NULL)) {
        char *msg = diags_text(x->d);
        fail_msg("run failed:\n%s", msg);
    }
    return x->r;
}

static uint32_t person(const fx *x, const char *id)
{
    for (uint32_t i = 0; i < x->r->facts->npersons; i++)
        if (!strcmp(wz_facts_person_id(x->r->facts, i), id)) return i;
    fail_msg("no person %s", id);
    return 0;
}

static wz_value val(const fx *x, const char *def, const char *id)
{
    int d = wz_policy_find_def(x->p, def);
    if (d < 0) fail_msg("no def %s", def);
    return wz_vm_value(x->r->vm, d, person(x, id));
}

/* expected: a plain decimal, or "N/D" for a value with no finite expansion */
static void expect_dec(wz_dec got, const char *expected, const char *what)
{
    wz_dec want;
    const char *slash = strchr(expected, '/');
    if (slash) {
        wz_dec n, d;
        assert_int_equal(wz_dec_parse(expected, (size_t)(slash - expected), &n), WZ_DEC_OK);
        assert_int_equal(wz_dec_parse(slash + 1, strlen(slash + 1), &d), WZ_DEC_OK);
        assert_int_equal(wz_dec_div(n, d, &want), WZ_DEC_OK);
    } else {
        assert_int_equal(wz_dec_parse(expected, strlen(expected), &want), WZ_DEC_OK);
    }
    if (wz_dec_cmp(got, want) != 0) {
        char *s = wz_dec_to_fraction_string(got);
        fail_msg("%s: expected %s, got %s", what, expected, s);
    }
}

static void expect_num(const fx *x, const char *def, const char *id, const char *expected)
{
    wz_value v = val(x, def, id);
    char *what = g_strdup_printf("%s for %s", def, id);
    if (v.tag != WZ_V_NUM) fail_msg("%s: not a number (tag %d)", what, v.tag);
    expect_dec(v.d, expected, what);
    g_free(what);
}

static void expect_bool(const fx *x, const char *def, const char *id, bool expected)
{
    wz_value v = val(x, def, id);
    assert_int_equal(v.tag, WZ_V_BOOL);
    if (v.i != expected) fail_msg("%s for %s: expected %s", def, id, expected ? "true" : "false");
}

/* The label a classify gave a person. */
static const char *label(const fx *x, const char *def, const char *id)
{
    wz_value v = val(x, def, id);
    assert_int_equal(v.tag, WZ_V_ENUM);
    const wz_def *dd = g_ptr_array_index(x->p->defs, wz_policy_find_def(x->p, def));
    return wz_node_kid(dd->type_ref, (guint)v.i)->name;
}

static const wz_finding *finding(const fx *x, guint k)
{
    assert_true(k < x->r->vm->findings->len);
    return g_ptr_array_index(x->r->vm->findings, k);
}

static const char *def_name(const fx *x, int d) { return ((wz_def *)g_ptr_array_index(x->p->defs, d))->name; }

/* "2,5" = rows at lines 2 and 5, all of one fact */
static void expect_rows(const wz_finding *f, const char *lines)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < f->rows->len; i++)
        g_string_append_printf(s, "%s%u", i ? "," : "", g_array_index(f->rows, wz_row_ref, i).line);
    if (strcmp(s->str, lines)) fail_msg("cited rows %s, expected %s", s->str, lines);
    g_string_free(s, TRUE);
}

static const wz_diag *only_error(const fx *x)
{
    assert_int_equal(x->d->errors, 1);
    for (guint i = 0; i < x->d->items->len; i++) {
        const wz_diag *g = g_ptr_array_index(x->d->items, i);
        if (g->severity == WZ_SEV_ERROR) return g;
    }
    return NULL;
}

#define HEADER "policy \"t\" version \"1\";\n"
#define STAFF "fact staff persons key id { id: text; }\n"
#define YEAR                                                                  \
    "period year from 2019-09-01 to 2020-07-15;\n"                            \
    "split year into semester at 2020-02-17;\n"                               \
    "fact leave dated by date { id: person; date: date; kind: enum(病假, 事假); days: decimal in 0 .. 366; }\n"

/* ---- arithmetic and expressions ---------------------------------------------- */

static void test_arithmetic_is_exact(void **state)
{
    fx *x = *state;
    policy(x, HEADER STAFF
              "let third = 1 / 3 * 3;\n"
              "let tenths = 0.1 + 0.2;\n"
              "let same = 0.1 + 0.2 == 0.3;\n"
              "let sevenths = 1 / 7 + 6 / 7;\n"
              "let neg = -(2 - 5) * 0.5;\n"
              "let pct = 30% * 10;\n");
    put(x, "staff.csv", "id\nA\n");
    run(x);
    expect_num(x, "third", "A", "1");
    expect_num(x, "tenths", "A", "0.3");
    expect_bool(x, "same", "A", true);
    expect_num(x, "sevenths", "A", "1");
    expect_num(x, "neg", "A", "1.5");
    expect_num(x, "pct", "A", "3");
}

static void test_rounding_modes_and_ties(void **state)
{
    fx *x = *state;
    policy(x, HEADER STAFF
              "let a = round(2.345, 2);\n"
              "let b = round(-2.345, 2);\n"
              "let c = round(2.5, 0);\n"
              "let d = round(-2.5, 0);\n"
              "let e = round_half_even(2.345, 2);\n"
              "let f = round_half_even(2.355, 2);\n"
              "let g = round_half_even(-2.5, 0);\n"
              "let h = round_down(2.349, 2);\n"
              "let i = round_down(-2.349, 2);\n"
              "let j = round(2 / 3, 4);\n"
              "let k = round(1 / 3, 4);\n"
              "let l = round(2.344999, 2);\n");
    put(x, "staff.csv", "id\nA\n");
    run(x);
    const char *want[][2] = {{"a", "2.35"}, {"b", "-2.35"}, {"c", "3"},     {"d", "-3"},
                             {"e", "2.34"}, {"f", "2.36"},  {"g", "-2"},    {"h", "2.34"},
                             {"i", "-2.34"}, {"j", "0.6667"}, {"k", "0.3333"}, {"l", "2.34"}};
    for (guint n = 0; n < G_N_ELEMENTS(want); n++) expect_num(x, want[n][0], "A", want[n][1]);
}

static void test_min_max_of_values_and_rows(void **state)
{
    fx *x = *state;
    policy(x, HEADER STAFF YEAR
              "let lo = min(3, -1.5, 2);\n"
              "let hi = max(3, -1.5, 2);\n"
              "let row_lo = min(leave.days) ?? -1;\n"
              "let row_hi = max(leave.days where kind == 事假) ?? -1;\n"
              "let mean = avg(leave.days) ?? -1;\n"
              "let n = count(leave where days > 1);\n");
    put(x, "staff.csv", "id\nA\nB\n");
    put(x, "leave.csv", "id,date,kind,days\nA,2019-10-01,病假,2\nA,2019-10-02,事假,0.5\nA,2019-10-03,事假,1.5\n");
    run(x);
    expect_num(x, "lo", "A", "-1.5");
    expect_num(x, "hi", "A", "3");
    expect_num(x, "row_lo", "A", "0.5");
    expect_num(x, "row_hi", "A", "1.5");
    expect_num(x, "mean", "A", "4/3");
    expect_num(x, "n", "A", "2");
    expect_num(x, "row_lo", "B", "-1");   /* no rows: min is missing, so the default */
    expect_num(x, "row_hi", "B", "-1");
    expect_num(x, "mean", "B", "-1");
    expect_num(x, "n", "B", "0");
}

static void test_coalesce_exists_in_and_classify(void **state)
{
    fx *x = *state;
    policy(x, HEADER
              "fact staff persons key id { id: text; post: enum(教师, 督导员, 书记); age: int; }\n"
              "fact extra one per person optional { id: person; v: decimal; }\n"
              "let opt = extra.v ?? 7;\n"
              "let guarded = if exists(extra) then extra.v * 2 else 0;\n"
              "let has = exists(extra);\n"
              "let lead = staff.post in (督导员, 书记);\n"
              "let odd_age = not (staff.age in (25, 40));\n"
              "let kind = classify {\n"
              "    head when staff.post in (督导员, 书记);\n"
              "    senior when staff.age >= 50;\n"
              "    young when staff.age < 30;\n"
              "    other otherwise;\n"
              "};\n");
    put(x, "staff.csv", "id,post,age\nA,督导员,55\nB,教师,55\nC,教师,25\nD,教师,40\n");
    put(x, "extra.csv", "id,v\nB,2.5\n");
    run(x);
    expect_num(x, "opt", "A", "7");
    expect_num(x, "opt", "B", "2.5");
    expect_num(x, "guarded", "A", "0");
    expect_num(x, "guarded", "B", "5");
    expect_bool(x, "has", "A", false);
    expect_bool(x, "has", "B", true);
    expect_bool(x, "lead", "A", true);
    expect_bool(x, "lead", "B", false);
    expect_bool(x, "odd_age", "B", true);
    expect_bool(x, "odd_age", "C", false);
    expect_bool(x, "odd_age", "D", false);
    assert_string_equal(label(x, "kind", "A"), "head");   /* also senior: the first match wins */
    assert_string_equal(label(x, "kind", "B"), "senior");
    assert_string_equal(label(x, "kind", "C"), "young");
    assert_string_equal(label(x, "kind", "D"), "other");
}

/* The right side of and/or is not evaluated when the left decides: here it would divide by zero. */
static void test_and_or_do_not_evaluate_the_right_side_needlessly(void **state)
{
    fx *x = *state;
    policy(x, HEADER "fact staff persons key id { id: text; n: int; }\n"
              "let conj = staff.n > 0 and 10 / staff.n > 1;\n"
              "let disj = staff.n == 0 or 10 / staff.n > 1;\n");
    put(x, "staff.csv", "id,n\nA,0\nB,5\nC,20\n");
    run(x);
    expect_bool(x, "conj", "A", false);
    expect_bool(x, "disj", "A", true);
    expect_bool(x, "conj", "B", true);
    expect_bool(x, "conj", "C", false);
    expect_bool(x, "disj", "C", false);
}

static void test_population_aggregates(void **state)
{
    fx *x = *state;
    policy(x, HEADER "fact staff persons key id { id: text; hours: decimal; grp: enum(t, s); }\n"
              "let total_h = sum(all: staff.hours);\n"
              "let avg_h = avg(all: staff.hours) ?? 0;\n"
              "let n = count(all);\n"
              "let n_t = count(all where staff.grp == t);\n"
              "let sum_t = sum(all: staff.hours where staff.grp == t);\n"
              "let avg_t = avg(all: staff.hours where staff.grp == t) ?? 0;\n"
              "let lo = min(all: staff.hours) ?? 0;\n"
              "let hi = max(all: staff.hours where staff.grp == t) ?? 0;\n"
              "let rel = staff.hours / (avg(all: staff.hours) ?? 1);\n");
    put(x, "staff.csv", "id,hours,grp\nA,10,t\nB,20,t\nC,35,s\n");
    run(x);
    expect_num(x, "total_h", "A", "65");
    expect_num(x, "avg_h", "B", "65/3");
    expect_num(x, "n", "C", "3");
    expect_num(x, "n_t", "A", "2");
    expect_num(x, "sum_t", "A", "30");
    expect_num(x, "avg_t", "A", "15");
    expect_num(x, "lo", "A", "10");
    expect_num(x, "hi", "A", "20");
    expect_num(x, "rel", "A", "6/13");
    expect_num(x, "rel", "C", "21/13");
}

/* A def's values are narrowed once it is complete (vm.c, def values): to 16
 * bytes when every number's numerator and denominator fit 64 bits, 8 with no
 * number; a number that does not fit keeps the def wide.  Every form reads back
 * exactly, through wz_vm_value and through a def that reads it. */
static void test_def_values_read_back_exactly_in_every_form(void **state)
{
    fx *x = *state;
    policy(x, HEADER "fact staff persons key id { id: text; hours: decimal; }\n"
              "let huge = staff.hours * 100000000000 * 100000000000 + 1 / 3;\n"
              "let back = (huge - 1 / 3) / 100000000000 / 100000000000;\n"
              "let third = staff.hours / 3;\n"
              "let twice = third * 2;\n"
              "let many = staff.hours > 15;\n"
              "let both = many and twice > 10;\n");
    put(x, "staff.csv", "id,hours\nA,10\nB,20.5\n");
    run(x);
    expect_num(x, "huge", "A", "300000000000000000000001/3");    /* wide: the numerator needs 79 bits */
    expect_num(x, "huge", "B", "615000000000000000000001/3");
    expect_num(x, "back", "B", "41/2");
    expect_num(x, "third", "A", "10/3");                          /* narrow */
    expect_num(x, "twice", "B", "41/3");
    expect_bool(x, "many", "A", false);                           /* small */
    expect_bool(x, "many", "B", true);
    expect_bool(x, "both", "B", true);
}

static void test_full_years_turns_on_the_birthday(void **state)
{
    fx *x = *state;
    policy(x, HEADER "fact staff persons key id { id: text; born: date; }\n"
              "let eve = full_years(staff.born, 2019-02-28);\n"
              "let day = full_years(staff.born, 2019-03-01);\n"
              "let days = days_between(staff.born, 2019-03-01);\n");
    put(x, "staff.csv", "id,born\nA,2000-03-01\nB,2000-03-02\nC,2000-02-29\nD,2019-03-01\n");
    run(x);
    expect_num(x, "eve", "A", "18");
    expect_num(x, "day", "A", "19");
    expect_num(x, "day", "B", "18");
    expect_num(x, "eve", "C", "18");
    expect_num(x, "day", "C", "19");
    expect_num(x, "day", "D", "0");
    expect_num(x, "days", "D", "0");
    expect_num(x, "days", "B", "6938");
}

/* ---- rules and sections -------------------------------------------------------- */

static void test_rule_per_unit_cap_when_and_section_floor_cap(void **state)
{
    fx *x = *state;
    policy(x, HEADER STAFF YEAR
              "section s \"S\" points 10 floor 0 cap 10 {\n"
              "    deduct personal \"事假\" 0.5 per sum(leave.days where kind == 事假);\n"
              "    deduct capped 1 per count(leave where kind == 事假) cap 2;\n"
              "    bonus clean 3 when count(leave) == 0;\n"
              "}\n"
              "section f \"F\" floor 0 cap 5 = s - 4;\n");
    put(x, "staff.csv", "id\nA\nB\nC\n");
    put(x, "leave.csv", "id,date,kind,days\n"
                        "A,2019-10-01,事假,1.5\nA,2019-10-02,事假,2\nA,2019-10-03,事假,0.5\n"
                        "C,2019-11-01,事假,20\nA,2019-10-04,病假,1\n");
    run(x);
    expect_num(x, "s.personal", "A", "2");
    expect_num(x, "s.capped", "A", "2");   /* 3 rows, capped at 2 */
    expect_num(x, "s.clean", "A", "0");
    expect_num(x, "s", "A", "6");
    expect_num(x, "s.clean", "B", "3");
    expect_num(x, "s", "B", "10");         /* 13 capped at 10 */
    expect_num(x, "s.personal", "C", "10");
    expect_num(x, "s.capped", "C", "1");
    expect_num(x, "s", "C", "0");          /* -1 floored at 0 */
    expect_num(x, "f", "A", "2");
    expect_num(x, "f", "B", "5");          /* formula capped too */
    expect_num(x, "f", "C", "0");
    expect_num(x, "total", "A", "8");      /* total defaults to the sum of the sections */
    /* findings: signed points and the rows that caused them */
    assert_int_equal(x->r->vm->findings->len, 5);
    const wz_finding *f0 = finding(x, 0);
    assert_string_equal(def_name(x, f0->def), "s.personal");
    expect_dec(f0->points, "-2", "A personal");
    assert_int_equal(f0->tier, -1);
    expect_rows(f0, "2,3,4");
    assert_string_equal(def_name(x, finding(x, 1)->def), "s.capped");
    expect_rows(finding(x, 1), "2,3,4");
    const wz_finding *fb = finding(x, 2);
    assert_int_equal(fb->person, person(x, "B"));
    assert_string_equal(def_name(x, fb->def), "s.clean");
    expect_dec(fb->points, "3", "B bonus");
    expect_rows(fb, "");
    expect_dec(finding(x, 3)->points, "-10", "C personal");
    expect_rows(finding(x, 3), "5");
}

static void test_free_allowance_counts_each_window_separately(void **state)
{
    fx *x = *state;
    policy(x, HEADER STAFF YEAR
              "section att points 10 { deduct sick 0.2 per sum(leave.days where kind == 病假) free 2 per semester; }\n"
              "let whole = sum(leave.days);\n"
              "let each_sem = each semester (max(sum(leave.days) - 2, 0));\n"
              "let any_over = any semester (sum(leave.days) > 2);\n"
              "let all_some = all semester (count(leave) > 0);\n");
    put(x, "staff.csv", "id\nA\nB\nC\n");
    put(x, "leave.csv", "id,date,kind,days\n"
                        "A,2019-10-01,病假,1.5\n"    /* 2: semester 1 */
                        "A,2020-02-16,病假,1\n"      /* 3: the last day of semester 1 */
                        "A,2020-02-17,病假,1\n"      /* 4: the first day of semester 2 */
                        "A,2019-08-31,病假,10\n"     /* 5: before the period: ignored */
                        "B,2020-03-01,病假,3\n"      /* 6: semester 2 */
                        "B,2020-07-16,病假,10\n"     /* 7: after the period: ignored */
                        "B,2019-09-01,病假,2\n"      /* 8: semester 1, exactly the allowance */
                        "C,2020-07-15,事假,4\n");    /* 9: not 病假 */
    run(x);
    /* A: semester 1 has 2.5 days (0.5 over), semester 2 has 1 (within): 0.5 × 0.2 */
    expect_num(x, "att.sick", "A", "0.1");
    expect_num(x, "att", "A", "9.9");
    expect_num(x, "att.sick", "B", "0.2");
    expect_num(x, "att.sick", "C", "0");
    expect_num(x, "whole", "A", "3.5");
    expect_num(x, "whole", "B", "5");
    expect_num(x, "each_sem", "A", "0.5");
    expect_num(x, "each_sem", "C", "2");
    expect_bool(x, "any_over", "A", true);
    expect_bool(x, "any_over", "B", true);
    expect_bool(x, "any_over", "C", true);
    expect_bool(x, "all_some", "A", true);
    expect_bool(x, "all_some", "C", false);
    const wz_fact_table *leave = g_ptr_array_index(x->r->facts->tables, 1);
    assert_int_equal(leave->rows_ignored, 2);
    /* only the rows of a window over its allowance are cited */
    assert_int_equal(x->r->vm->findings->len, 2);
    expect_rows(finding(x, 0), "2,3");
    expect_dec(finding(x, 0)->points, "-0.1", "A sick");
    expect_rows(finding(x, 1), "6");
}

/* ---- sanctions, notices, findings ------------------------------------------------ */

static void test_sanctions_take_the_most_severe_tier_and_cite_its_rows(void **state)
{
    fx *x = *state;
    policy(x, HEADER
              "period year from 2019-09-01 to 2020-07-15;\n"
              "fact staff persons key id { id: text; late: bool; }\n"
              "fact disc dated by date { id: person; date: date; level: enum(通报批评, 警告, 记过); }\n"
              "ladder L \"处分\" { 通报批评: cut 20%; 警告: cut 30%; 记过: cut 80%; }\n"
              "sanction d \"处分\" ladder L from disc.level;\n"
              "sanction d2 ladder L from disc.level where date >= 2019-12-01;\n"
              "sanction tardy ladder L tier 警告 when staff.late;\n"
              "section base points 100 { }\n"
              "let c = cut(L);\n"
              "total = base * (1 - cut(L));\n");
    put(x, "staff.csv", "id,late\nA,false\nB,true\nC,false\n");
    put(x, "disc.csv", "id,date,level\n"
                       "A,2019-10-01,警告\nA,2019-11-01,记过\nA,2019-12-01,通报批评\nA,2020-01-01,记过\n"
                       "B,2019-10-01,通报批评\nC,2019-08-01,记过\n");
    run(x);
    wz_value t = val(x, "d", "A");
    assert_int_equal(t.tag, WZ_V_TIER);
    assert_int_equal(t.i, 2);
    assert_int_equal(val(x, "d", "C").i, -1);   /* its only row is outside the period */
    expect_num(x, "c", "A", "0.8");
    expect_num(x, "total", "A", "20");
    expect_num(x, "c", "B", "0.3");             /* tier-when 警告 beats the row's 通报批评 */
    expect_num(x, "total", "B", "70");
    expect_num(x, "c", "C", "0");
    expect_num(x, "total", "C", "100");
    /* A: d (记过, rows 3 and 5), d2 (记过, row 5 only); B: d (通报批评, row 6), tardy (警告) */
    assert_int_equal(x->r->vm->findings->len, 4);
    const char *defs[] = {"d", "d2", "d", "tardy"};
    const int tiers[] = {2, 2, 0, 1};
    const char *rows[] = {"3,5", "5", "6", ""};
    for (guint k = 0; k < 4; k++) {
        const wz_finding *f = finding(x, k);
        assert_int_equal(f->person, person(x, k < 2 ? "A" : "B"));
        assert_string_equal(def_name(x, f->def), defs[k]);
        assert_int_equal(f->tier, tiers[k]);
        expect_dec(f->points, "0", "sanction points");
        expect_rows(f, rows[k]);
    }
}

static void test_notices_and_findings_sorted_by_person_then_def(void **state)
{
    fx *x = *state;
    /* the notice is declared first but evaluated after the section it reads */
    policy(x, HEADER "fact staff persons key id { id: text; n: int; }\n"
              "notice low \"分数低\" when s < 5;\n"
              "section s points 10 { deduct r 1 per staff.n; }\n");
    put(x, "staff.csv", "id,n\nA,7\nB,1\nC,0\n");
    run(x);
    assert_int_equal(x->r->vm->findings->len, 3);
    const wz_finding *f = finding(x, 0);
    assert_int_equal(f->person, person(x, "A"));
    assert_string_equal(def_name(x, f->def), "low");
    expect_dec(f->points, "0", "notice points");
    assert_int_equal(f->tier, -1);
    f = finding(x, 1);
    assert_int_equal(f->person, person(x, "A"));
    assert_string_equal(def_name(x, f->def), "s.r");
    expect_dec(f->points, "-7", "A r");
    f = finding(x, 2);
    assert_int_equal(f->person, person(x, "B"));
    assert_string_equal(def_name(x, f->def), "s.r");
    for (guint k = 1; k < x->r->vm->findings->len; k++) {
        const wz_finding *a = finding(x, k - 1), *b = finding(x, k);
        assert_true(a->person < b->person || (a->person == b->person && a->def < b->def));
    }
}

static void test_division_by_zero_names_the_person(void **state)
{
    fx *x = *state;
    policy(x, HEADER "fact staff persons key id { id: text; n: int; }\n"
              "let r = 10 / staff.n;\n");
    put(x, "staff.csv", "id,n\nA,2\nB,0\n");
    assert_null(run_with(x, NULL));
    const wz_diag *g = only_error(x);
    assert_int_equal(g->kind, WZ_DIAG_POLICY);
    assert_string_equal(g->file, "t.wz");
    assert_int_equal(g->line, 3);
    assert_int_equal(g->col, 9);
    assert_string_equal(g->message, "while computing 'r' for person B: division by zero");
}

/* ---- pay distribution ------------------------------------------------------------ */

#define PAY_POLICY                                                                    \
    HEADER "param pool: decimal;\n"                                                   \
    "fact staff persons key id { id: text; kind: enum(甲, 乙, 丙, 丁); pts: decimal; st: decimal; }\n" \
    "section s = staff.pts;\n"                                                        \
    "let basis = classify {\n"                                                        \
    "    full when staff.kind == 甲;\n"                                               \
    "    half when staff.kind == 乙;\n"                                               \
    "    none when staff.kind == 丙;\n"                                               \
    "    score otherwise;\n"                                                          \
    "};\n"                                                                            \
    "distribute pool by basis round 2 {\n"                                            \
    "    stipend = staff.st;\n"                                                       \
    "    full: 1;\n"                                                                  \
    "    half: 0.5;\n"                                                                \
    "    none: 0;\n"                                                                  \
    "    score: 1 by total;\n"                                                        \
    "}\n"

static GPtrArray *pool_param(const char *pool)
{
    GPtrArray *o = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(o, g_strdup_printf("pool=%s", pool));
    return o;
}

static void run_pool(fx *x, const char *pool)
{
    reset_run(x);
    GPtrArray *o = pool_param(pool);
    wz_result *r = run_with(x, o);
    g_ptr_array_unref(o);
    if (!r) {
        char *msg = diags_text(x->d);
        fail_msg("pool %s: run failed:\n%s", pool, msg);
    }
}

static void expect_pay(const fx *x, const char *id, const char *reward, const char *stipend, const char *amount)
{
    const wz_pay_row *row = &x->r->pay[person(x, id)];
    expect_dec(row->reward, reward, id);
    expect_dec(row->stipend, stipend, id);
    expect_dec(row->amount, amount, id);
}

/* Σ amount + residue == pool exactly; rewards are whole cents; the residue is only rounding. */
static void expect_conserved(const fx *x, const char *pool)
{
    const wz_result *r = x->r;
    wz_dec sum = WZ_DEC_ZERO, tmp;
    uint32_t n = r->facts->npersons;
    for (uint32_t i = 0; i < n; i++) {
        const wz_pay_row *row = &r->pay[i];
        assert_true(wz_dec_terminates_within(row->reward, 2));
        assert_int_equal(wz_dec_add(row->reward, row->stipend, &tmp), WZ_DEC_OK);
        assert_int_equal(wz_dec_cmp(tmp, row->amount), 0);
        assert_int_equal(wz_dec_add(sum, row->amount, &sum), WZ_DEC_OK);
    }
    assert_int_equal(wz_dec_cmp(sum, r->distributed), 0);
    assert_int_equal(wz_dec_add(sum, r->residue, &tmp), WZ_DEC_OK);
    expect_dec(tmp, pool, "amounts + residue");
    expect_dec(r->pool, pool, "pool");
    wz_dec bound;
    assert_int_equal(wz_dec_mul(wz_dec_from_int(n), (wz_dec){1, 200}, &bound), WZ_DEC_OK);
    if (wz_dec_cmp(wz_dec_abs(r->residue), bound) > 0) {
        char *s = wz_dec_to_string(r->residue, 0, 30);
        fail_msg("pool %s: residue %s is more than rounding", pool, s);
    }
}

static void test_pay_fixed_shares_and_zero_weight(void **state)
{
    fx *x = *state;
    policy(x, PAY_POLICY);
    put(x, "staff.csv", "id,kind,pts,st\nA,甲,50,0\nB,乙,50,0\nC,丙,50,0\n");
    run_pool(x, "1000");
    assert_true(x->r->has_pay);
    expect_pay(x, "A", "666.67", "0", "666.67");
    expect_pay(x, "B", "333.33", "0", "333.33");
    expect_pay(x, "C", "0", "0", "0");   /* weight 0 */
    assert_int_equal(x->r->pay[person(x, "C")].basis, 2);
    expect_dec(x->r->residue, "0", "residue");
    expect_conserved(x, "1000");
}

static void test_pay_pro_rata_share(void **state)
{
    fx *x = *state;
    policy(x, PAY_POLICY);
    put(x, "staff.csv", "id,kind,pts,st\nA,甲,10,0\nD,丁,60,0\nE,丁,40,0\n");
    run_pool(x, "900");
    /* 3 units of 300: A one; the score group's two units (600) split 60:40 */
    expect_pay(x, "A", "300", "0", "300");
    expect_pay(x, "D", "360", "0", "360");
    expect_pay(x, "E", "240", "0", "240");
    expect_conserved(x, "900");
}

static void test_pay_stipends_come_off_the_pool_first(void **state)
{
    fx *x = *state;
    policy(x, PAY_POLICY);
    put(x, "staff.csv", "id,kind,pts,st\nA,甲,0,100\nF,甲,0,0\nC,丙,0,12.5\n");
    run_pool(x, "1000");
    expect_pay(x, "A", "443.75", "100", "543.75");
    expect_pay(x, "F", "443.75", "0", "443.75");
    expect_pay(x, "C", "0", "12.5", "12.5");
    expect_dec(x->r->stipends, "112.5", "stipends");
    expect_conserved(x, "1000");
}

static void test_pay_conserves_every_pool_exactly(void **state)
{
    fx *x = *state;
    policy(x, PAY_POLICY);
    put(x, "staff.csv", "id,kind,pts,st\nA,甲,0,0\nB,乙,0,0\nC,丙,0,0\nD,丁,77.77,0\nE,丁,33.33,0\n"
                        "F,丁,1.01,0\nG,丁,0.07,0\nH,甲,0,0\n");
    const char *pools[] = {"100000", "99999.99", "1", "0", "0.01", "0.05", "7", "1234567.89", "356789.50"};
    for (guint i = 0; i < G_N_ELEMENTS(pools); i++) {
        run_pool(x, pools[i]);
        expect_conserved(x, pools[i]);
        expect_pay(x, "C", "0", "0", "0");
    }
    /* random-ish pools, in cents */
    uint64_t seed = 20190901;
    for (int i = 0; i < 25; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        char pool[32];
        uint64_t cents = (seed >> 20) % 100000000000ULL;
        g_snprintf(pool, sizeof pool, "%" G_GUINT64_FORMAT ".%02u", cents / 100, (unsigned)(cents % 100));
        run_pool(x, pool);
        expect_conserved(x, pool);
    }
}

static void test_pay_errors_when_stipends_exceed_the_pool(void **state)
{
    fx *x = *state;
    policy(x, PAY_POLICY);
    put(x, "staff.csv", "id,kind,pts,st\nA,甲,0,150\nB,甲,0,0\n");
    GPtrArray *o = pool_param("100");
    assert_null(run_with(x, o));
    g_ptr_array_unref(o);
    const wz_diag *g = only_error(x);
    assert_non_null(strstr(g->message, "(150.00) exceed the pool (100.00)"));
    /* exactly equal is fine: nothing left to share */
    put(x, "staff.csv", "id,kind,pts,st\nA,甲,0,100\nB,甲,0,0\n");
    run_pool(x, "100");
    expect_pay(x, "B", "0", "0", "0");
    expect_conserved(x, "100");
}

/* ---- params ---------------------------------------------------------------------- */

#define PARAM_POLICY HEADER STAFF "param k: decimal = 5;\nparam on: date = 2019-09-01;\nlet v = k;\n"

static int param_index(const fx *x, const char *name)
{
    for (guint i = 0; i < x->p->params->len; i++)
        if (!strcmp(((wz_param_decl *)g_ptr_array_index(x->p->params, i))->name, name)) return (int)i;
    fail_msg("no param %s", name);
    return -1;
}

static void test_params_default_then_file_then_command_line(void **state)
{
    fx *x = *state;
    policy(x, PARAM_POLICY);
    put(x, "staff.csv", "id\nA\n");
    run(x);
    int k = param_index(x, "k");
    expect_num(x, "v", "A", "5");
    assert_string_equal(x->r->param_sources[k], "default");

    reset_run(x);
    put(x, "params.csv", "name,value\non,2020-01-01\nk,6.25\n");
    run(x);
    expect_num(x, "v", "A", "6.25");
    assert_string_equal(x->r->param_sources[k], "params.csv:3");
    wz_value on = x->r->params[param_index(x, "on")];
    assert_int_equal(on.tag, WZ_V_DATE);
    assert_int_equal(on.i, wz_date_from_ymd(2020, 1, 1));

    reset_run(x);
    GPtrArray *o = g_ptr_array_new();
    g_ptr_array_add(o, "k=-7");
    assert_non_null(run_with(x, o));
    g_ptr_array_unref(o);
    expect_num(x, "v", "A", "-7");
    assert_string_equal(x->r->param_sources[k], "--param");
}

static void test_param_without_a_value_names_params_csv(void **state)
{
    fx *x = *state;
    policy(x, HEADER STAFF "param m: decimal;\nlet v = m;\n");
    put(x, "staff.csv", "id\nA\n");
    assert_null(run_with(x, NULL));
    const wz_diag *g = only_error(x);
    assert_int_equal(g->kind, WZ_DIAG_FACTS);
    char *file = g_build_filename(x->dir, "params.csv", NULL);
    assert_string_equal(g->file, file);
    g_free(file);
    assert_string_equal(g->message,
                        "param m has no value: the policy gives no default, so add a row \"m,VALUE\" or pass --param m=VALUE");
}

static void test_params_csv_unknown_name_and_bad_value(void **state)
{
    fx *x = *state;
    policy(x, PARAM_POLICY);
    put(x, "staff.csv", "id\nA\n");
    put(x, "params.csv", "name,value\nk,1\nzz,1\n");
    assert_null(run_with(x, NULL));
    const wz_diag *g = only_error(x);
    assert_int_equal(g->kind, WZ_DIAG_FACTS);
    assert_true(g_str_has_suffix(g->file, "params.csv"));
    assert_int_equal(g->line, 3);
    assert_int_equal(g->col, 1);
    assert_true(g_str_has_prefix(g->message, "unknown param \"zz\", expecting one"));

    reset_run(x);
    put(x, "params.csv", "name,value\nk,abc\non,2019-02-30\n");
    assert_null(run_with(x, NULL));
    assert_int_equal(x->d->errors, 2);
    g = g_ptr_array_index(x->d->items, 0);
    assert_int_equal(g->line, 2);
    assert_int_equal(g->col, 2);
    assert_string_equal(g->message, "param k expects a decimal number, found \"abc\"");
    g = g_ptr_array_index(x->d->items, 1);
    assert_int_equal(g->line, 3);
    assert_int_equal(g->col, 2);
    assert_string_equal(g->message, "param on expects a date (YYYY-MM-DD), found \"2019-02-30\"");

    /* --param problems are usage errors */
    reset_run(x);
    put(x, "params.csv", "name,value\n");
    GPtrArray *o = g_ptr_array_new();
    g_ptr_array_add(o, "k=x1");
    g_ptr_array_add(o, "nope=1");
    g_ptr_array_add(o, "k");
    assert_null(run_with(x, o));
    g_ptr_array_unref(o);
    assert_int_equal(x->d->errors, 3);
    const char *msgs[] = {"--param k=x1: k expects a decimal number, found \"x1\"",
                          "--param nope=1: the policy declares no such param", "--param k: expecting NAME=VALUE"};
    for (guint i = 0; i < 3; i++) {
        g = g_ptr_array_index(x->d->items, i);
        assert_int_equal(g->kind, WZ_DIAG_USAGE);
        assert_string_equal(g->message, msgs[i]);
    }
}

/* ---- engine bugs found while writing these tests ----------------------------------
 * Each test below asserts the expected behaviour and fails today, so it is
 * kept out of the build until the engine is fixed. */

/* ---- regressions: each pins a bug found while writing these tests ------------------ */

/* Was: every string literal compiled to the same value and text params lost
 * their value, so staff.id == "B" was false for B and "x" == "y" was true. */
static void test_text_equals_string_literal(void **state)
{
    fx *x = *state;
    policy(x, HEADER STAFF "param who: text = \"B\";\n"
              "let is_b = staff.id == \"B\";\n"
              "let is_who = staff.id == who;\n"
              "let lits = \"x\" == \"y\";\n");
    put(x, "staff.csv", "id\nA\nB\n");
    run(x);
    expect_bool(x, "is_b", "B", true);
    expect_bool(x, "is_b", "A", false);
    expect_bool(x, "is_who", "B", true);
    expect_bool(x, "lits", "A", false);
}

/* Was: rows of a fact with no 'dated by' field fell in every window, so a
 * per-window rule counted each of them once per window.  Now the checker
 * refuses to split an undated fact into windows. */
static void test_window_rule_over_undated_fact_is_rejected(void **state)
{
    fx *x = *state;
    const char *text = HEADER STAFF YEAR "fact misses { id: person; n: int; }\n"
                       "section s points 10 { deduct r 1 per sum(misses.n) free 0 per semester; }\n";
    wz_policy *p = wz_policy_load_text("t.wz", text, strlen(text), x->d);
    assert_null(p);
    char *msg = diags_text(x->d);
    assert_non_null(strstr(msg, "fact 'misses' is not dated, so its rows cannot be split into 'semester' windows"));
    g_free(msg);
}

/* Was: avg(all: …) of nobody was typed as never missing, then failed at run
 * time.  Now it is a possibly missing value that '??' resolves. */
static void test_population_avg_of_nobody_is_usable(void **state)
{
    fx *x = *state;
    policy(x, HEADER "fact staff persons key id { id: text; h: decimal; }\n"
              "let a = (avg(all: staff.h where staff.h > 100) ?? 0) + 0;\n");
    put(x, "staff.csv", "id,h\nA,1\n");
    run(x);
    expect_num(x, "a", "A", "0");
}

/* By design (issue 3: each reward rounded half-up, residue stated): the
 * rewards may exceed the pool by rounding, and the residue then says so,
 * negative, exactly: 2.00 over three equal shares pays 0.67 × 3. */
static void test_pay_rounding_residue_is_stated_even_when_negative(void **state)
{
    fx *x = *state;
    policy(x, PAY_POLICY);
    put(x, "staff.csv", "id,kind,pts,st\nA,甲,0,0\nB,甲,0,0\nC,甲,0,0\n");
    run_pool(x, "2");
    expect_dec(x->r->distributed, "2.01", "distributed");
    expect_dec(x->r->residue, "-0.01", "residue");
}

/* distribute … round 2 largest_remainder: the rewards add up to what was
 * shared, the leftover fen going to the largest remainders, ties in person
 * order; the residue is then only the pool's part below a fen. */
static void test_pay_largest_remainder_adds_up_to_the_pool(void **state)
{
    fx *x = *state;
    GString *text = g_string_new(PAY_POLICY);
    g_string_replace(text, "round 2 {", "round 2 largest_remainder {", 1);
    policy(x, text->str);
    g_string_free(text, TRUE);
    put(x, "staff.csv", "id,kind,pts,st\nA,甲,0,0\nB,甲,0,0\nC,甲,0,0\n");
    run_pool(x, "2");
    static const char *want[] = {"0.67", "0.67", "0.66"};
    for (uint32_t i = 0; i < 3; i++) expect_dec(x->r->pay[i].reward, want[i], "reward");
    expect_dec(x->r->residue, "0", "residue");
    /* unequal remainders: 100 split pro rata to totals 3, 3 and 1 */
    put(x, "staff.csv", "id,kind,pts,st\nA,丁,3,0\nB,丁,3,0\nC,丁,1,0\n");
    run_pool(x, "100");   /* score shares 3/7, 3/7, 1/7 of 100: 42.857…, 42.857…, 14.285… */
    static const char *want2[] = {"42.86", "42.86", "14.28"};
    for (uint32_t i = 0; i < 3; i++) expect_dec(x->r->pay[i].reward, want2[i], "reward");
    expect_dec(x->r->distributed, "100", "distributed");
    run_pool(x, "100.005");  /* half a fen cannot be handed out: it is the residue */
    expect_dec(x->r->residue, "0.005", "residue");
}

/* 驼骆坳 (seed 003): 差1名罚500元 … 6名6000元，依此类推 — the table goes on by its
 * constant second differences (200), so 7 short is 7700; `otherwise` covers
 * the keys below the table; without it a missing key is a run-time error. */
static void test_table_continues_and_so_on(void **state)
{
    fx *x = *state;
    policy(x, HEADER "fact staff persons key id { id: text; short: int; }\n"
              "对照表 fine { 1: 500; 2: 1200; 3: 2100; 4: 3200; 5: 4500; 6: 6000; 依此类推; otherwise: 0; }\n"
              "let f = fine(staff.short);\n");
    put(x, "staff.csv", "id,short\nA,1\nB,6\nC,7\nD,10\nE,0\nF,-3\n");
    run(x);
    expect_num(x, "f", "A", "500");
    expect_num(x, "f", "B", "6000");
    expect_num(x, "f", "C", "7700");
    expect_num(x, "f", "D", "14000");
    expect_num(x, "f", "E", "0");
    expect_num(x, "f", "F", "0");
}

static void test_table_without_otherwise_fails_outside_its_keys(void **state)
{
    fx *x = *state;
    policy(x, HEADER "fact staff persons key id { id: text; k: int; }\n"
              "table t { 1: 10; 2: 20; }\n"
              "let v = t(staff.k);\n");
    put(x, "staff.csv", "id,k\nA,2\nB,3\n");
    assert_null(run_with(x, NULL));
    char *msg = diags_text(x->d);
    assert_non_null(strstr(msg, "while computing 'v' for person B: the key is outside the table and the table has no 'otherwise' row"));
    g_free(msg);
}

static void test_ranks_competition_dense_and_within_groups(void **state)
{
    fx *x = *state;
    policy(x, HEADER "fact staff persons key id { id: text; school: text; score: decimal optional; }\n"
              "let s = staff.score ?? -1;\n"
              "let scored = s >= 0;\n"
              "let place = rank_desc(staff.score) ?? 0;\n"
              "let low = rank_asc(s);\n"
              "let dense = dense_rank_desc(s);\n"
              "let in_school = 名次(s, staff.school);\n");
    put(x, "staff.csv", "id,school,score\nA,x,90\nB,x,85\nC,y,85\nD,y,80\nE,x,\nF,x,95\n");
    run(x);
    /* F 95, A 90, B = C 85, D 80: competition ranking skips after a tie */
    expect_num(x, "place", "F", "1");
    expect_num(x, "place", "A", "2");
    expect_num(x, "place", "B", "3");
    expect_num(x, "place", "C", "3");
    expect_num(x, "place", "D", "5");
    expect_num(x, "place", "E", "0");                             /* no score, no place */
    expect_num(x, "low", "E", "1");                               /* -1 is the lowest */
    expect_num(x, "low", "F", "6");
    expect_num(x, "dense", "D", "4");
    expect_num(x, "dense", "E", "5");
    expect_num(x, "in_school", "F", "1");
    expect_num(x, "in_school", "A", "2");
    expect_num(x, "in_school", "B", "3");
    expect_num(x, "in_school", "E", "4");
    expect_num(x, "in_school", "C", "1");
    expect_num(x, "in_school", "D", "2");
}

static void test_limit_keeps_the_first_in_the_keys_order(void **state)
{
    fx *x = *state;
    policy(x, HEADER "fact staff persons key id { id: text; score: decimal; years: int; }\n"
              "section s = staff.score;\n"
              "grade = classify {\n"
              "    优秀 when total >= 80 limit 30% by total desc, staff.years desc;\n"
              "    合格 when total >= 60;\n"
              "    不合格 otherwise;\n"
              "};\n");
    /* 10 persons: 3 places; I, A, then G over B and C on years */
    put(x, "staff.csv", "id,score,years\nA,90,5\nB,85,3\nC,85,4\nD,80,2\nE,70,1\nF,50,9\nG,85,6\nH,60,1\nI,95,1\nJ,20,2\n");
    run(x);
    assert_string_equal(label(x, "grade", "I"), "优秀");
    assert_string_equal(label(x, "grade", "A"), "优秀");
    assert_string_equal(label(x, "grade", "G"), "优秀");
    assert_string_equal(label(x, "grade", "B"), "合格");   /* meets the condition, over the limit */
    assert_string_equal(label(x, "grade", "D"), "合格");
    assert_string_equal(label(x, "grade", "F"), "不合格");
    /* a tie across the limit is an error, naming both */
    reset_run(x);
    put(x, "staff.csv", "id,score,years\nA,90,5\nB,85,3\nC,85,4\nD,80,2\nE,70,1\nF,50,9\nG,85,4\nH,60,1\nI,95,1\nJ,20,2\n");
    assert_null(run_with(x, NULL));
    char *msg = diags_text(x->d);
    assert_non_null(strstr(msg, "'优秀' is limited to 30% of 10 persons, 3 places, but C and G, at places 3 and 4, "
                                "are equal on every key after 'by'; add a key that tells them apart"));
    g_free(msg);
    /* the limit set by a param (params.csv): 20% of 10 → I and A */
    reset_run(x);
    policy(x, HEADER "param share: decimal = 0.2;\n"
              "fact staff persons key id { id: text; score: decimal; years: int; }\n"
              "section s = staff.score;\n"
              "grade = classify { 优秀 when total >= 80 limit share by total desc; 合格 otherwise; };\n");
    run(x);
    assert_string_equal(label(x, "grade", "I"), "优秀");
    assert_string_equal(label(x, "grade", "A"), "优秀");
    assert_string_equal(label(x, "grade", "G"), "合格");
    reset_run(x);
    put(x, "params.csv", "name,value\nshare,1.5\n");
    assert_null(run_with(x, NULL));
    msg = diags_text(x->d);
    assert_non_null(strstr(msg, "params.csv:2: error: param share is the limit of '优秀' (t.wz:5:46), "
                                "a share from 0 to 1 (0% to 100%); found 1.5"));
    assert_int_equal(((wz_diag *)g_ptr_array_index(x->d->items, 0))->kind, WZ_DIAG_FACTS);   /* bad input: exit 2 */
    g_free(msg);
}

static void test_text_keyed_table_and_entity_key(void **state)
{
    fx *x = *state;
    policy(x, HEADER "entity school;\n"
              "fact quota one per school { school: school; n: int; }\n"
              "table base { 甲校: 100; \"乙校\": 200; otherwise: 7; }\n"
              "award a = base(school) * quota.n when exists(quota);\n"
              "let named = school == \"乙校\";\n");
    put(x, "quota.csv", "school,n\n乙校,3\n甲校,2\n丙校,1\n");
    run(x);
    assert_int_equal(x->r->runs->len, 2);
    const wz_kind_run *run = g_ptr_array_index(x->r->runs, 1);
    assert_int_equal(run->facts->npersons, 3);
    assert_string_equal(wz_facts_person_id(run->facts, 0), "乙校");   /* in order of appearance */
    int a = wz_policy_find_def(x->p, "a"), named = wz_policy_find_def(x->p, "named");
    expect_dec(wz_vm_value(run->vm, a, 0).d, "600", "乙校's award");
    expect_dec(wz_vm_value(run->vm, a, 1).d, "200", "甲校's award");
    expect_dec(wz_vm_value(run->vm, a, 2).d, "7", "丙校's award (otherwise)");
    assert_true(wz_vm_value(run->vm, named, 0).i);
    assert_false(wz_vm_value(run->vm, named, 1).i);
    assert_int_equal(run->vm->findings->len, 3);
}

static void test_enum_keyed_table_and_section_rule_reference(void **state)
{
    fx *x = *state;
    policy(x, HEADER "fact staff persons key id { id: text; }\n"
              "fact honour for person { id: person; level: enum(区, 市, 省, 国); }\n"
              "fact lab one per person optional { id: person; missing: int; }\n"
              "table honour_points \"荣誉分\" { 区: 3; 市: 5; 省: 7; 国: 10; }\n"
              "let gaps = if exists(lab) then lab.missing else 0;\n"
              "section ability points 20 {\n"
              "    bonus honours \"荣誉\" (sum(honour_points(honour.level)));\n"
              "    deduct lab_gaps \"实验缺开\" 1 per gaps;\n"
              "}\n"
              "let honour_part = ability.honours;\n");
    put(x, "staff.csv", "id\nA\nB\n");
    put(x, "honour.csv", "id,level\nA,区\nA,国\nB,市\n");
    put(x, "lab.csv", "id,missing\nB,2\n");
    run(x);
    expect_num(x, "honour_part", "A", "13");   /* 3 + 10, read as SECTION.RULE */
    expect_num(x, "honour_part", "B", "5");
    /* the deduction reads lab.csv through a let: its finding cites the row */
    const wz_finding *f = NULL;
    for (guint k = 0; k < x->r->vm->findings->len; k++) {
        const wz_finding *g = finding(x, k);
        if (!strcmp(def_name(x, g->def), "ability.lab_gaps")) f = g;
    }
    assert_non_null(f);
    expect_rows(f, "2");
}

/* The run's responsibility lines, one per line: UNIT:RULE:PERSON:AS:TIER:AMOUNT. */
static char *blame_lines(const fx *x)
{
    GString *lines = g_string_new(NULL);
    for (guint i = 0; i < x->r->blame->len; i++) {
        const wz_blame_line *b = &g_array_index(x->r->blame, wz_blame_line, i);
        const wz_kind_run *run = g_ptr_array_index(x->r->runs, b->run);
        const wz_finding *f = g_ptr_array_index(run->vm->findings, b->finding);
        char *amt = wz_dec_to_string(b->amount, 0, 30);
        g_string_append_printf(lines, "%s:%s:%s:%d:%d:%s\n", wz_facts_person_id(run->facts, f->person), def_name(x, f->def),
                               wz_facts_person_id(x->r->facts, b->person), b->as, f->tier, amt);
        g_free(amt);
    }
    return g_string_free(lines, FALSE);
}

static void test_responsibility_and_escalation(void **state)
{
    fx *x = *state;
    policy(x, HEADER "role 校长 { duty 1 \"全面负责\"; }\n"
              "role 教导主任 reports_to 校长 { duty 1 \"制定教学计划\"; duty 2 \"检查教案\"; }\n"
              "role 班主任 reports_to 教导主任 { duty 1 \"安全教育\"; }\n"
              "entity school;\n"
              "fact staff persons key id { id: text; school: school; post: role; }\n"
              "fact lapse for school { school: school; kind: enum(计划, 安全); }\n"
              "fact misses for person { id: person; n: int; }\n"
              "ladder 问责 { 责令整改; 通报批评; 诫勉谈话; }\n"
              "sanction plan ladder 问责 at count(lapse where kind == 计划) duty 教导主任.1;\n"
              "award safety = -1000 when count(lapse where kind == 安全) > 0 responsible first 校长 40%, direct 班主任 60%;\n"
              "sanction own ladder 问责 at sum(misses.n) duty 教导主任.2;\n");
    put(x, "staff.csv", "id,school,post\nP1,甲,校长\nD1,甲,教导主任\nC1,甲,班主任\nC2,甲,班主任\nP2,乙,校长\nD2,乙,教导主任\nC3,乙,班主任\n");
    put(x, "lapse.csv", "school,kind\n甲,计划\n甲,计划\n甲,计划\n甲,计划\n乙,安全\n甲,安全\n");
    put(x, "misses.csv", "id,n\nD2,2\n");
    run(x);
    /* D2 failed their own duty twice: 通报批评 for D2 (direct) and 乙's principal (first) */
    char *lines = blame_lines(x);
    assert_string_equal(lines,
                        "D2:own:P2:1:1:0\n"      /* first: the top of 教导主任's chain, in D2's school */
                        "D2:own:D2:2:1:0\n"      /* direct: D2 themself */
                        "甲:plan:P1:1:2:0\n"     /* four lapses on a three-tier ladder: the top tier */
                        "甲:plan:D1:2:2:0\n"
                        "甲:safety:P1:1:-1:-400\n"   /* 40% to the principal */
                        "甲:safety:C1:2:-1:-300\n"   /* 60% split between 甲's two class teachers */
                        "甲:safety:C2:2:-1:-300\n"
                        "乙:safety:P2:1:-1:-400\n"
                        "乙:safety:C3:2:-1:-600\n");
    g_free(lines);
}

static void test_decide_overrides_and_conflicts(void **state)
{
    fx *x = *state;
    policy(x, HEADER "fact staff persons key id { id: text; age: int; post: enum(教师, 行政, 校长); sick: decimal; }\n"
              "let rate = decide {\n"
              "    general \"一般\": 0.2;\n"
              "    veteran \"老教师减半\": 0.1 when staff.age >= 55 overrides general;\n"
              "    admin \"行政人员\": 0.3 when staff.post == 行政 overrides general;\n"
              "    head \"校长从严\": 0.5 when staff.post == 校长 overrides admin, veteran;\n"
              "} ?? 0;\n"
              "section attendance points 10 { deduct sick \"病假\" (rate) per staff.sick; }\n");
    put(x, "staff.csv", "id,age,post,sick\nA,30,教师,2\nB,58,教师,2\nC,40,行政,2\nD,60,行政,2\nE,60,校长,2\n");
    run(x);
    expect_num(x, "rate", "A", "0.2");   /* only the general rule */
    expect_num(x, "rate", "B", "0.1");   /* the exception overrides it */
    expect_num(x, "rate", "C", "0.3");
    expect_num(x, "rate", "E", "0.5");   /* overrides both exceptions, and through them the general rule */
    expect_num(x, "rate", "D", "0");     /* veteran and admin both apply, neither overrides: no value */
    /* D's conflict is a finding of its own, before D's deduction */
    const wz_finding *conflict = NULL;
    for (guint k = 0; k < x->r->vm->findings->len; k++) {
        const wz_finding *f = finding(x, k);
        if (f->decide >= 0) {
            assert_null(conflict);
            conflict = f;
        }
    }
    assert_non_null(conflict);
    assert_string_equal(wz_facts_person_id(x->r->facts, conflict->person), "D");
    assert_string_equal(def_name(x, conflict->def), "rate");
    assert_int_equal(conflict->option_a, 1);
    assert_int_equal(conflict->option_b, 2);
}

static void test_sharing_groups_rows_across_persons(void **state)
{
    fx *x = *state;
    policy(x, HEADER "fact staff persons key id { id: text; }\n"
              "fact research for person { id: person; project: text; role: enum(执笔人, 成员); hours: int; }\n"
              "let share = sum(if research.role == 执笔人 then 0.5 else 0.5 / (count(research sharing project) - 1));\n"
              "let group_hours = sum(sum(research.hours sharing project));\n");
    put(x, "staff.csv", "id\nA\nB\nC\nD\n");
    put(x, "research.csv", "id,project,role,hours\nA,p1,执笔人,10\nB,p1,成员,4\nC,p1,成员,6\nD,p2,执笔人,3\nB,p2,成员,1\n");
    run(x);
    expect_num(x, "share", "A", "0.5");
    expect_num(x, "share", "C", "0.25");       /* p1 has two members besides the writer */
    expect_num(x, "share", "B", "0.75");       /* 0.25 of p1 + 0.5 of p2 (one member) */
    expect_num(x, "group_hours", "B", "24");   /* p1's 20 + p2's 4 */
    expect_num(x, "group_hours", "D", "4");
}

/* count(FACT sharing F where C): each row of the current row's group, anyone's, tested by C;
 * a finding through it cites every row of the group, and none of a group whose term added
 * nothing (B teaches in both grades, only g2 reached every target). */
static void test_sharing_where_tests_each_row_of_the_group(void **state)
{
    fx *x = *state;
    policy(x, HEADER "fact staff persons key id { id: text; }\n"
              "fact results { id: person; grade: text; rate: decimal; target: decimal; extra_pts: decimal optional; }\n"
              "let missed = sum(count(results sharing grade where rate < target));\n"
              "let extra = sum(sum(results.extra_pts sharing grade where rate >= target));\n"
              "award team = sum(if count(results sharing grade where rate < target) == 0 then 6 / count(results sharing grade) else 0);\n");
    put(x, "staff.csv", "id\nA\nB\nC\n");
    /* line 2-3: g1, A's row misses; lines 4-6: g2, all reach */
    put(x, "results.csv", "id,grade,rate,target,extra_pts\nA,g1,90,100,1\nB,g1,100,100,2\nB,g2,80,80,\nC,g2,85,80,4\nC,g2,100,90,5\n");
    run(x);
    expect_num(x, "missed", "A", "1");      /* g1's one row below */
    expect_num(x, "missed", "B", "1");      /* g1: 1, g2: 0 */
    expect_num(x, "missed", "C", "0");      /* g2, two rows of C's: 0 each */
    expect_num(x, "extra", "A", "2");       /* g1's reaching row: B's 2 */
    expect_num(x, "extra", "B", "11");      /* g1: 2; g2: 0 (empty) + 4 + 5 */
    expect_num(x, "team", "A", "0");
    expect_num(x, "team", "B", "2");        /* one of g2's three rows: 6 / 3 */
    expect_num(x, "team", "C", "4");
    guint seen = 0;
    for (guint k = 0; k < x->r->vm->findings->len; k++) {
        const wz_finding *f = finding(x, k);
        if (strcmp(def_name(x, f->def), "team")) continue;
        expect_rows(f, "4,5,6");            /* g2's rows, the other teachers' too; not g1's */
        seen++;
    }
    assert_int_equal(seen, 2);              /* B's and C's */
}

static void test_streak_needs_a_history_and_reads_it(void **state)
{
    fx *x = *state;
    policy(x, HEADER "fact staff persons key id { id: text; last: bool; }\n"
              "let is_last = staff.last;\n"
              "keep is_last;\n"
              "let run = streak(is_last);\n"
              "let before = previous(is_last) ?? false;\n");
    put(x, "staff.csv", "id,last\nA,true\nB,true\nC,false\n");
    /* no --history: the run is refused, naming where the policy reads it */
    assert_null(run_with(x, NULL));
    char *msg = diags_text(x->d);
    assert_non_null(strstr(msg, "the policy reads earlier periods (streak(…) at t.wz:5:11) but no --history DIR was given"));
    g_free(msg);
    /* two earlier periods: A last in both, B only in the latest; C absent from the older */
    char *h = g_build_filename(x->dir, "hist", NULL), *p1 = g_build_filename(h, "2018", NULL), *p2 = g_build_filename(h, "2019", NULL);
    g_mkdir_with_parents(p1, 0755);
    g_mkdir_with_parents(p2, 0755);
    char *f1 = g_build_filename(p1, "kept.csv", NULL), *f2 = g_build_filename(p2, "kept.csv", NULL);
    g_file_set_contents(f1, "kind,entity,name,value\nperson,A,is_last,true\nperson,B,is_last,false\n", -1, NULL);
    g_file_set_contents(f2, "kind,entity,name,value\nperson,A,is_last,true\nperson,B,is_last,true\nperson,C,is_last,true\n", -1, NULL);
    reset_run(x);
    wz_engine_options opts = {.threads = 1, .history_dir = h};
    x->r = wz_engine_run_opts(x->p, x->dir, &opts, x->d);
    assert_non_null(x->r);
    expect_num(x, "run", "A", "3");
    expect_num(x, "run", "B", "2");
    expect_num(x, "run", "C", "0");   /* not last now: no streak, whatever came before */
    expect_bool(x, "before", "C", true);
    g_remove(f1);
    g_remove(f2);
    g_rmdir(p1);
    g_rmdir(p2);
    g_rmdir(h);
    g_free(f1);
    g_free(f2);
    g_free(p1);
    g_free(p2);
    g_free(h);
}

/* Found in review: a decide whose condition takes locals of its own (`in`)
 * read the wrong option; a limited case counted entities an earlier case took;
 * a conflict met on two rows was reported twice and cited no row; an entity
 * named only outside the period counted; count(all) in a school's value was a
 * person count; a person both first and direct lost a share. */
static void test_review_regressions(void **state)
{
    fx *x = *state;
    policy(x, HEADER "fact staff persons key id { id: text; age: int; post: enum(校长, 行政, 教师); vetoed: bool; score: decimal; }\n"
              "let rate = decide {\n"
              "    admin: 0.3 when staff.post in (校长, 行政);\n"
              "    veteran: 0.1 when staff.age >= 55 overrides admin;\n"
              "} ?? 0.2;\n"
              "section s = staff.score;\n"
              "grade = classify { X when staff.vetoed; A when total >= 50 limit 50% by total desc; B otherwise; };\n");
    put(x, "staff.csv", "id,age,post,vetoed,score\np1,60,行政,true,90\np2,60,教师,true,80\np3,30,校长,false,70\np4,30,教师,false,60\n");
    run(x);
    expect_num(x, "rate", "p1", "0.1");
    expect_num(x, "rate", "p2", "0.1");
    expect_num(x, "rate", "p3", "0.3");
    expect_num(x, "rate", "p4", "0.2");
    assert_string_equal(label(x, "grade", "p3"), "A");   /* two places, and X took p1 and p2 */
    assert_string_equal(label(x, "grade", "p4"), "A");

    reset_run(x);
    policy(x, HEADER "fact staff persons key id { id: text; }\n"
              "fact leave { id: person; days: decimal; }\n"
              "let v = sum((decide { o1: 1 when leave.days > 1; o2: 2 when leave.days > 2; } ?? 0) * leave.days);\n");
    put(x, "staff.csv", "id\np1\np2\n");
    put(x, "leave.csv", "id,days\np1,3\np1,4\np2,1\n");
    run(x);
    assert_int_equal(x->r->vm->findings->len, 1);
    expect_rows(finding(x, 0), "2,3");

    reset_run(x);
    policy(x, HEADER "param y0: date = 2020-01-01;\nparam y1: date = 2020-12-31;\nperiod yr from y0 to y1;\n"
              "entity school;\n"
              "fact inc dated by d for school { school: school; d: date; pts: decimal; }\n"
              "let n = count(inc);\n"
              "let part = sum(inc.pts) / count(all);\n"
              "award fine = -100 * n when n > 0;\n");
    put(x, "inc.csv", "school,d,pts\nA,2020-05-01,6\nB,2019-05-01,1\nC,2020-06-01,2\n");
    run(x);
    const wz_kind_run *schools = g_ptr_array_index(x->r->runs, 1);
    assert_int_equal(schools->facts->npersons, 2);   /* B is named only outside the period */
    expect_dec(wz_vm_value(schools->vm, wz_policy_find_def(x->p, "part"), 0).d, "3", "A's 6 over 2 schools");

    reset_run(x);
    policy(x, HEADER "role 校长 { duty 1 \"全面负责\"; }\nrole 主任 reports_to 校长 { duty 1 \"x\"; }\n"
              "entity school;\n"
              "fact staff persons key id { id: text; }\n"
              "fact posts for person { id: person; post: role; school: school; }\n"
              "fact lapse for school { school: school; n: int; }\n"
              "award a = -1000 when sum(lapse.n) > 0 responsible first 校长 50%, direct 主任 50%;\n");
    put(x, "staff.csv", "id\nzhang\nli\n");
    put(x, "posts.csv", "id,post,school\nzhang,校长,S1\nzhang,主任,S1\n");
    put(x, "lapse.csv", "school,n\nS1,1\n");
    run(x);
    assert_int_equal(x->r->blame->len, 1);   /* zhang once, as direct, with both shares */
    expect_dec(g_array_index(x->r->blame, wz_blame_line, 0).amount, "-1000", "zhang's part");
}

static void test_responsible_role_named_by_a_fact(void **state)
{
    fx *x = *state;
    policy(x, HEADER "role 校长 { duty 1 \"全面负责\"; }\nrole 教务处 reports_to 校长 { duty 1 \"教学\"; }\n"
              "role 后勤 reports_to 校长 { duty 1 \"装备\"; }\n"
              "entity goal;\n"
              "fact staff persons key id { id: text; post: role; }\n"
              "fact goals every goal { goal: goal; lead: role optional; done: bool; }\n"
              "award fine = -500 when not goals.done responsible first 校长, direct goals.lead;\n");
    put(x, "staff.csv", "id,post\nP,校长\nA,教务处\nB,后勤\nC,后勤\n");
    put(x, "goals.csv", "goal,lead,done\n课程,教务处,false\n装备,后勤,false\n方案,校长,false\n均衡,教务处,true\n");
    run(x);
    /* each goal's own lead post answers directly; the principal's own goal lists him once, as direct */
    char *lines = blame_lines(x);
    assert_string_equal(lines, "课程:fine:P:1:-1:-500\n"
                               "课程:fine:A:2:-1:-500\n"
                               "装备:fine:P:1:-1:-500\n"
                               "装备:fine:B:2:-1:-500\n"
                               "装备:fine:C:2:-1:-500\n"
                               "方案:fine:P:2:-1:-500\n");
    g_free(lines);
    /* a goal whose row names no lead: nobody to answer — an error, not a dropped finding */
    reset_run(x);
    put(x, "goals.csv", "goal,lead,done\n课程,,false\n");
    assert_null(run_with(x, NULL));
    char *msg = diags_text(x->d);
    assert_non_null(strstr(msg, "课程 has no lead in goals, so no one answers for the finding of rule 'fine'"));
    g_free(msg);
}

/* Was: a rule counting rows through a let cited no rows. */
static void test_rule_through_a_let_cites_the_rows(void **state)
{
    fx *x = *state;
    policy(x, HEADER STAFF "fact leave { id: person; days: decimal; }\n"
              "let sick = sum(leave.days);\n"
              "section s points 10 { deduct r 1 per sick; }\n");
    put(x, "staff.csv", "id\nA\nB\n");
    put(x, "leave.csv", "id,days\nB,1\nA,2\nA,0.5\n");
    run(x);
    expect_num(x, "s", "A", "7.5");
    assert_int_equal(x->r->vm->findings->len, 2);
    expect_rows(finding(x, 0), "3,4");
    expect_rows(finding(x, 1), "2");
}

/* Was: sanction grade effects applied in declaration order, so a later, milder
 * sanction overrode a severe one and could even raise a grade.  Now the most
 * severe tier per ladder counts and a forced grade only lowers. */
static void test_grade_effects_take_the_most_severe_and_never_raise(void **state)
{
    fx *x = *state;
    policy(x, HEADER
              "period year from 2019-09-01 to 2020-07-15;\n"
              "fact staff persons key id { id: text; late: bool; pts: decimal; }\n"
              "fact disc dated by date { id: person; date: date; level: enum(警告, 记过); }\n"
              "ladder L { 警告: grade 合格; 记过: grade 不合格; }\n"
              "sanction d ladder L from disc.level;\n"
              "sanction tardy ladder L tier 警告 when staff.late;\n"
              "total = staff.pts;\n"
              "grade = classify { 优秀 when total >= 90; 合格 when total >= 60; 不合格 otherwise; };\n");
    put(x, "staff.csv", "id,late,pts\nA,true,95\nB,true,10\nC,false,95\n");
    put(x, "disc.csv", "id,date,level\nA,2019-10-01,记过\n");
    run(x);
    const wz_node *g = ((wz_def *)g_ptr_array_index(x->p->defs, x->p->grade_def))->type_ref;
    assert_string_equal(wz_node_kid(g, (guint)x->r->grade[person(x, "A")])->name, "不合格");
    assert_string_equal(wz_node_kid(g, (guint)x->r->grade[person(x, "B")])->name, "不合格");
    assert_string_equal(wz_node_kid(g, (guint)x->r->grade[person(x, "C")])->name, "优秀");
}

/* Was: a grade reading the default total (no `total =`) crashed the checker. */
static void test_grade_over_the_default_total(void **state)
{
    fx *x = *state;
    policy(x, HEADER STAFF "section a points 70 { }\nsection b points 5 { }\n"
              "grade = classify { good when total >= 60; bad otherwise; };\n");
    put(x, "staff.csv", "id\nA\n");
    run(x);
    expect_num(x, "total", "A", "75");
    assert_int_equal(x->r->grade[0], 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_arithmetic_is_exact),
        T(test_text_equals_string_literal),
        T(test_table_continues_and_so_on),
        T(test_table_without_otherwise_fails_outside_its_keys),
        T(test_pay_largest_remainder_adds_up_to_the_pool),
        T(test_window_rule_over_undated_fact_is_rejected),
        T(test_population_avg_of_nobody_is_usable),
        T(test_pay_rounding_residue_is_stated_even_when_negative),
        T(test_rule_through_a_let_cites_the_rows),
        T(test_grade_effects_take_the_most_severe_and_never_raise),
        T(test_grade_over_the_default_total),
        T(test_ranks_competition_dense_and_within_groups),
        T(test_limit_keeps_the_first_in_the_keys_order),
        T(test_text_keyed_table_and_entity_key),
        T(test_enum_keyed_table_and_section_rule_reference),
        T(test_responsibility_and_escalation),
        T(test_decide_overrides_and_conflicts),
        T(test_sharing_groups_rows_across_persons),
        T(test_sharing_where_tests_each_row_of_the_group),
        T(test_streak_needs_a_history_and_reads_it),
        T(test_review_regressions),
        T(test_responsible_role_named_by_a_fact),
        T(test_rounding_modes_and_ties),
        T(test_min_max_of_values_and_rows),
        T(test_coalesce_exists_in_and_classify),
        T(test_and_or_do_not_evaluate_the_right_side_needlessly),
        T(test_population_aggregates),
        T(test_def_values_read_back_exactly_in_every_form),
        T(test_full_years_turns_on_the_birthday),
        T(test_rule_per_unit_cap_when_and_section_floor_cap),
        T(test_free_allowance_counts_each_window_separately),
        T(test_sanctions_take_the_most_severe_tier_and_cite_its_rows),
        T(test_notices_and_findings_sorted_by_person_then_def),
        T(test_division_by_zero_names_the_person),
        T(test_pay_fixed_shares_and_zero_weight),
        T(test_pay_pro_rata_share),
        T(test_pay_stipends_come_off_the_pool_first),
        T(test_pay_conserves_every_pool_exactly),
        T(test_pay_errors_when_stipends_exceed_the_pool),
        T(test_params_default_then_file_then_command_line),
        T(test_param_without_a_value_names_params_csv),
        T(test_params_csv_unknown_name_and_bad_value),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
