/* test_explain.c — wz_explain(): one entity's derivation as JSON and as text.
 *
 * A small policy with a deduction, a population average, a sanction with a
 * cut and a grade cap, and a pool shared pro rata; the expected figures are
 * worked out by hand in the comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "check.h"
#include "engine.h"
#include "explain.h"
#include "test_util.h"

/* Line numbers below refer to this text. */
static const char POLICY[] =
    "policy \"说明\" version \"1\";\n"                                                             /* 1 */
    "param pool: decimal = 100;\n"                                                                /* 2 */
    "fact staff persons key id { id: text; h: decimal; lv: enum(无, 警告) ; }\n"                  /* 3 */
    "fact leave { id: person; days: decimal; }\n"                                                 /* 4 */
    "ladder L { 警告 \"警告处分\": cut 50%, grade 合格; }\n"                                      /* 5 */
    "sanction d \"处分\" ladder L tier 警告 when staff.lv == 警告;\n"                             /* 6 */
    "section att \"考勤\" points 10 floor 0 {\n"                                                   /* 7 */
    "    deduct sick \"病假\" 0.5 per sum(leave.days);\n"                                         /* 8 */
    "}\n"                                                                                         /* 9 */
    "section w \"工作量\" = staff.h / (avg(all: staff.h) ?? 1) * 10;\n"                         /* 10 */
    "total = (att + w) * (1 - cut(L));\n"                                                         /* 11 */
    "grade = classify { 优秀 when total >= 15; 合格 otherwise; };\n"                              /* 12 */
    "let basis = classify { score otherwise; };\n"                                                /* 13 */
    "distribute pool by basis round 2 { score: 1 by total; }\n";                                  /* 14 */

/* h: A 10, B 30 → average 20; A: att 10 − 0.5 × 3 = 8.5, w 5 → 13.5 (合格);
 * B: att 10, w 15 → 25, cut 50% → 12.5, grade capped 合格.
 * Pool 100 over Σ total 26: A 100 × 13.5 / 26 = 51.923… → 51.92; B 48.08. */
static const char STAFF[] = "id,h,lv\nA,10,无\nB,30,警告\n";
static const char LEAVE[] = "id,days\nA,1\nA,2\n";

typedef struct fx {
    char *facts;
    wz_diags *d;
    wz_policy *p;
    wz_result *r;
} fx;

static void put(const char *dir, const char *name, const char *text) {
    char *path = g_build_filename(dir, name, NULL);
    assert_true(g_file_set_contents(path, text, -1, NULL));
    g_free(path);
}

static int setup(void **state) {
    fx *x = g_new0(fx, 1);
    x->facts = g_dir_make_tmp("wz-explain-XXXXXX", NULL);
    if (!x->facts) return -1;
    put(x->facts, "staff.csv", STAFF);
    put(x->facts, "leave.csv", LEAVE);
    x->d = wz_diags_new(0);
    x->p = wz_policy_load_text("t.wz", POLICY, strlen(POLICY), x->d);
    if (!x->p) return -1;
    x->r = wz_engine_run(x->p, x->facts, NULL, NULL, x->d);
    if (!x->r) return -1;
    *state = x;
    return 0;
}

static int teardown(void **state) {
    fx *x = *state;
    const char *names[] = {"staff.csv", "leave.csv"};
    for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
        char *path = g_build_filename(x->facts, names[i], NULL);
        g_remove(path);
        g_free(path);
    }
    g_rmdir(x->facts);
    g_free(x->facts);
    wz_result_free(x->r);
    wz_policy_free(x->p);
    wz_diags_free(x->d);
    g_free(x);
    return 0;
}

static JsonObject *model(fx *x, const char *id, JsonParser **parser) {
    wz_explain_options o = {.id = id, .format = WZ_EXPLAIN_JSON};
    GString *out = wz_explain(x->r, &o, x->d);
    assert_non_null(out);
    *parser = json_parser_new();
    assert_true(json_parser_load_from_data(*parser, out->str, (gssize)out->len, NULL));
    g_string_free(out, TRUE);
    return json_node_get_object(json_parser_get_root(*parser));
}

static const char *member(JsonObject *o, const char *key) { return json_object_get_string_member(o, key); }

static void test_sections_rules_and_values(void **state) {
    fx *x = *state;
    JsonParser *jp;
    JsonObject *m = model(x, "A", &jp);
    assert_string_equal(member(m, "kind"), "person");
    JsonObject *att = json_array_get_object_element(json_object_get_array_member(m, "sections"), 0);
    assert_string_equal(member(att, "value"), "8.5");
    assert_string_equal(member(att, "source"), "t.wz:7");
    JsonObject *sick = json_array_get_object_element(json_object_get_array_member(att, "rules"), 0);
    assert_true(json_object_get_boolean_member(sick, "applied"));
    assert_string_equal(member(sick, "points"), "-1.5");
    assert_string_equal(member(sick, "amount"), "0.5");      /* its arithmetic: 0.5 × 3 days */
    assert_string_equal(member(sick, "quantity"), "3");
    assert_true(json_node_is_null(json_object_get_member(sick, "free")));
    JsonArray *rows = json_object_get_array_member(sick, "rows");   /* both leave rows cite it */
    assert_int_equal(json_array_get_length(rows), 2);
    assert_string_equal(json_array_get_string_element(rows, 0), "leave.csv:2");
    assert_string_equal(json_array_get_string_element(rows, 1), "leave.csv:3");
    /* the average it read, over both persons */
    JsonObject *avg = json_array_get_object_element(json_object_get_array_member(m, "values"), 0);
    assert_string_equal(member(avg, "name"), "avg(all: staff.h)");
    assert_string_equal(member(avg, "value"), "20");
    assert_int_equal(json_object_get_int_member(avg, "over"), 2);
    assert_string_equal(member(json_object_get_object_member(m, "total"), "value"), "13.5");
    assert_string_equal(member(json_object_get_object_member(m, "grade"), "label"), "合格");
    assert_int_equal(json_array_get_length(json_object_get_array_member(m, "sanctions")), 0);
    g_object_unref(jp);
}

static void test_sanction_effects_and_pay(void **state) {
    fx *x = *state;
    JsonParser *jp;
    JsonObject *m = model(x, "B", &jp);
    JsonObject *s = json_array_get_object_element(json_object_get_array_member(m, "sanctions"), 0);
    assert_string_equal(member(s, "tier"), "警告");
    assert_string_equal(member(s, "tier_label"), "警告处分");
    JsonArray *effects = json_object_get_array_member(s, "effects");
    assert_int_equal(json_array_get_length(effects), 2);
    assert_string_equal(json_array_get_string_element(effects, 0), "cut 50% of the total");
    assert_string_equal(json_array_get_string_element(effects, 1), "grade at most 合格");
    assert_string_equal(member(json_object_get_object_member(m, "total"), "value"), "12.5");
    /* the grade the classify gave (优秀) and the one it has after the cap (合格) */
    JsonObject *g = json_object_get_object_member(m, "grade");
    assert_string_equal(member(g, "label"), "合格");
    assert_string_equal(member(g, "classified"), "合格");
    JsonObject *pay = json_object_get_object_member(m, "pay");
    assert_string_equal(member(pay, "by_value"), "12.5");
    assert_string_equal(member(pay, "group_by"), "26");
    assert_string_equal(member(pay, "unit"), "50");   /* 100 ÷ 2 units */
    assert_string_equal(member(pay, "reward"), "48.08");
    g_object_unref(jp);
}

/* The column on a terminal where the text before END ends: a CJK character takes two. */
static glong display_col(const char *line, const char *end) {
    glong w = 0;
    for (const char *q = line; q < end; q = g_utf8_next_char(q)) w += g_unichar_iswide(g_utf8_get_char(q)) ? 2 : 1;
    return w;
}

/* The text lines up by display width: values end in one column whether the
 * label before them has two CJK characters (考勤) or three (工作量). */
static void test_text_aligns_by_display_width(void **state) {
    fx *x = *state;
    wz_explain_options o = {.id = "A", .format = WZ_EXPLAIN_TEXT};
    GString *out = wz_explain(x->r, &o, x->d);
    assert_non_null(out);
    char **lines = g_strsplit(out->str, "\n", -1);
    glong att_end = -1, w_end = -1, sick_end = -1;
    for (guint i = 0; lines[i]; i++) {
        const char *l = lines[i], *v;
        if (g_str_has_prefix(l, "  考勤 att ") && (v = strstr(l, "8.5"))) att_end = display_col(l, v + 3);
        if (g_str_has_prefix(l, "  工作量 w ") && (v = strstr(l, " 5 "))) w_end = display_col(l, v + 2);
        if (g_str_has_prefix(l, "    病假 att.sick ") && (v = strstr(l, "-1.5"))) sick_end = display_col(l, v + 4);
    }
    assert_true(att_end > 0);
    assert_int_equal(w_end, att_end);
    assert_int_equal(sick_end, att_end);
    g_strfreev(lines);
    g_string_free(out, TRUE);

    o.zh = true;   /* Chinese headings */
    out = wz_explain(x->r, &o, x->d);
    assert_non_null(strstr(out->str, "\n分项\n"));
    assert_non_null(strstr(out->str, "\n绩效工资\n"));
    g_string_free(out, TRUE);
}

static void test_unknown_id_is_a_usage_error(void **state) {
    fx *x = *state;
    wz_explain_options o = {.id = "Z", .format = WZ_EXPLAIN_TEXT};
    assert_null(wz_explain(x->r, &o, x->d));
    char *line = test_diag_line(x->d, 0);
    assert_string_equal(line, "error: --person Z: no person or entity with this id in the facts");
    g_free(line);
    assert_int_equal(((const wz_diag *)g_ptr_array_index(x->d->items, 0))->kind, WZ_DIAG_USAGE);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sections_rules_and_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sanction_effects_and_pay, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_aligns_by_display_width, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_id_is_a_usage_error, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
