/* test_resolve.c — the resolved policy that wz_check() hands every later
 * stage: each effect, share, rounding, default, decide and responsibility
 * item as a typed field or index, never a node to walk.  Each test writes a
 * small policy and asserts what its text says, field by field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check.h"
#include "test_util.h"

#define HEADER "policy \"t\" version \"1\";\n"

static wz_policy *load(const char *text) {
    wz_diags *d = wz_diags_new(0);
    wz_policy *p = wz_policy_load_text("t.wz", text, strlen(text), d);
    if (!p) test_print_diags(d);
    wz_diags_free(d);
    assert_non_null(p);
    return p;
}

static const wz_def *def_named(const wz_policy *p, const char *name) {
    int d = wz_policy_find_def(p, name);
    assert_true(d >= 0);
    return g_ptr_array_index(p->defs, (guint)d);
}

static void expect_dec(wz_dec got, const char *want) {
    char *s = wz_dec_to_string(got, 0, 30);
    assert_string_equal(s, want);
    g_free(s);
}

static uint32_t line_of(wz_span sp) {
    uint32_t line = 0, col = 0;
    wz_source_position(sp.src, sp.start, &line, &col);
    return line;
}

/* Tiers carry their cut, exclusion and grade cap; rules their sign and words. */
static void test_ladder_tiers_and_rule_signs(void **state) {
    (void)state;
    wz_policy *p = load(HEADER "fact staff persons key id { id: text; lv: enum(警告, 记过, 开除); n: int; }\n"
                               "grade = classify { 优秀 when total > 5; 合格 when total > 0; 不合格 otherwise; };\n"
                               "ladder L \"处分\" { 警告 \"警告处分\": cut 20%; 记过: cut 80%, grade 合格; 开除: exclude, grade 不合格; }\n"
                               "sanction d \"处分\" ladder L from staff.lv;\n"
                               "section s \"考勤\" points 10 {\n"
                               "    deduct late \"迟到\" 0.5 per staff.n;\n"
                               "    bonus extra 1 per staff.n;\n"
                               "}\n");
    const wz_ladder *l = g_ptr_array_index(p->ladders, 0);
    assert_int_equal(l->ntiers, 3);
    assert_string_equal(l->tiers[0].name, "警告");
    assert_string_equal(l->tiers[0].text, "警告处分");
    expect_dec(l->tiers[0].cut, "0.2");
    assert_false(l->tiers[0].excluded);
    assert_int_equal(l->tiers[0].grade, -1);
    expect_dec(l->tiers[1].cut, "0.8");
    assert_int_equal(l->tiers[1].grade, 1);   /* 合格: the second grade label */
    assert_null(l->tiers[1].text);
    expect_dec(l->tiers[2].cut, "0");
    assert_true(l->tiers[2].excluded);
    assert_int_equal(l->tiers[2].grade, 2);
    assert_int_equal(line_of(l->tiers[2].span), 4);

    const wz_def *late = def_named(p, "s.late"), *extra = def_named(p, "s.extra");
    assert_int_equal(late->sign, -1);
    assert_int_equal(extra->sign, 1);
    assert_string_equal(late->text, "迟到");
    assert_null(extra->text);
    assert_int_equal(line_of(late->span), 7);
    assert_string_equal(def_named(p, "d")->text, "处分");
    assert_string_equal(def_named(p, "s")->text, "考勤");

    const wz_def *grade = def_named(p, "grade");   /* an enum-valued def lists its labels */
    assert_non_null(grade->members);
    assert_int_equal(grade->members->len, 3);
    assert_string_equal(g_ptr_array_index(grade->members, 2), "不合格");
    assert_null(late->members);
    wz_policy_free(p);
}

/* Param defaults are values of their type; a param with no default has none. */
static void test_param_defaults_are_values(void **state) {
    (void)state;
    wz_policy *p = load(HEADER "param rate: decimal = 0.25;\nparam neg: decimal = -3;\nparam start: date = 2019-09-01;\n"
                               "param on: bool = true;\nparam who: text = \"教务处\";\nparam pool: decimal;\n"
                               "fact staff persons key id { id: text; }\n");
    const wz_param_decl *rate = g_ptr_array_index(p->params, 0), *neg = g_ptr_array_index(p->params, 1),
                        *start = g_ptr_array_index(p->params, 2), *on = g_ptr_array_index(p->params, 3),
                        *who = g_ptr_array_index(p->params, 4), *pool = g_ptr_array_index(p->params, 5);
    assert_true(rate->has_default);
    assert_int_equal(rate->default_value.tag, WZ_V_NUM);
    expect_dec(rate->default_value.d, "0.25");
    expect_dec(neg->default_value.d, "-3");
    assert_int_equal(start->default_value.tag, WZ_V_DATE);
    char buf[11];
    wz_date_format((wz_date)start->default_value.i, buf);
    assert_string_equal(buf, "2019-09-01");
    assert_int_equal(on->default_value.tag, WZ_V_BOOL);
    assert_int_equal(on->default_value.i, 1);
    assert_int_equal(who->default_value.tag, WZ_V_STR);
    assert_string_equal(who->default_value.s, "教务处");
    assert_false(pool->has_default);
    assert_int_equal(line_of(pool->span), 7);
    wz_policy_free(p);
}

/* distribute: places, the rounding as an enum in either language, each share's
 * basis member, weight and pro-rata def, the param the pool names. */
#define POOL_POLICY(ROUNDING)                                                                        \
    HEADER "param pool: decimal;\n"                                                                  \
    "fact staff persons key id { id: text; kind: enum(甲, 乙); pts: decimal; st: decimal; }\n"      \
    "section s = staff.pts;\n"                                                                       \
    "let basis = classify { full when staff.kind == 甲; score otherwise; };\n"                     \
    "distribute pool by basis round 2 " ROUNDING " {\n"                                              \
    "    stipend = staff.st;\n"                                                                      \
    "    score: 1 by total;\n"                                                                       \
    "    full: 0.5;\n"                                                                               \
    "}\n"

static void test_distribute_resolved(void **state) {
    (void)state;
    wz_policy *p = load(POOL_POLICY(""));
    const wz_distribute *d = p->distribute;
    assert_non_null(d);
    assert_int_equal(d->places, 2);
    assert_int_equal(d->rounding, WZ_DIST_HALF_UP);
    assert_int_equal(d->pool_param, 0);
    assert_int_equal(d->basis_def, wz_policy_find_def(p, "basis"));
    assert_int_equal(d->stipend_def, wz_policy_find_def(p, "stipend"));
    assert_int_equal(d->shares->len, 2);
    const wz_share *score = &g_array_index(d->shares, wz_share, 0), *full = &g_array_index(d->shares, wz_share, 1);
    assert_int_equal(score->member, 1);   /* as written, not in label order */
    assert_int_equal(full->member, 0);
    assert_true(score->prorata_def >= 0);
    assert_int_equal(((const wz_def *)g_ptr_array_index(p->defs, (guint)score->prorata_def))->kind, WZ_DEF_PRORATA);
    assert_int_equal(full->prorata_def, -1);
    assert_int_equal(line_of(full->span), 9);
    wz_policy_free(p);

    const char *spellings[] = {"largest_remainder", "最大余额"};
    for (guint i = 0; i < G_N_ELEMENTS(spellings); i++) {
        char *text = g_strdup_printf(POOL_POLICY("%s"), spellings[i]);
        p = load(text);
        assert_int_equal(p->distribute->rounding, WZ_DIST_LARGEST_REMAINDER);
        wz_policy_free(p);
        g_free(text);
    }
    p = load(POOL_POLICY("四舍五入"));
    assert_int_equal(p->distribute->rounding, WZ_DIST_HALF_UP);
    wz_policy_free(p);
}

/* Who answers: duty items name their role and duty, responsible items their
 * role, kind and share, or the fact field whose value names the role. */
static void test_blame_items(void **state) {
    (void)state;
    wz_policy *p = load(HEADER "role 校长 { duty 1 \"全面负责\"; }\n"
                               "role 教导主任 reports_to 校长 { duty 1 \"制定教学计划\"; duty 2 \"检查教案\"; }\n"
                               "role 班主任 reports_to 教导主任 { duty 1 \"安全教育\"; }\n"
                               "entity school;\nentity goal;\n"
                               "fact staff persons key id { id: text; school: school; post: role; }\n"
                               "fact lapse for school { school: school; kind: enum(计划, 安全); }\n"
                               "fact goals every goal { goal: goal; lead: role optional; done: bool; }\n"
                               "ladder 问责 { 责令整改; 通报批评; }\n"
                               "sanction plan ladder 问责 at count(lapse where kind == 计划) duty 教导主任.2;\n"
                               "award safety = -1000 when count(lapse where kind == 安全) > 0 responsible first 校长 40%, direct 班主任 60%;\n"
                               "award fine = -500 when not goals.done responsible first 校长, direct goals.lead;\n");
    const wz_role *head = g_ptr_array_index(p->roles, 1);
    assert_string_equal(head->name, "教导主任");
    assert_int_equal(head->reports_to, 0);
    assert_int_equal(((const wz_role *)g_ptr_array_index(p->roles, 0))->reports_to, -1);
    assert_int_equal(head->duties->len, 2);
    assert_int_equal(g_array_index(head->duties, wz_duty, 1).number, 2);
    assert_string_equal(g_array_index(head->duties, wz_duty, 1).text, "检查教案");

    const wz_blame *plan = def_named(p, "plan")->blame;
    assert_non_null(plan);
    assert_int_equal(plan->items->len, 1);
    const wz_blame_item *duty = &g_array_index(plan->items, wz_blame_item, 0);
    assert_true(duty->duty);
    assert_int_equal(duty->role, 1);
    assert_int_equal(duty->duty_index, 1);
    assert_int_equal(duty->fact, -1);

    const wz_blame *safety = def_named(p, "safety")->blame;
    assert_int_equal(safety->items->len, 2);
    const wz_blame_item *first = &g_array_index(safety->items, wz_blame_item, 0),
                        *direct = &g_array_index(safety->items, wz_blame_item, 1);
    assert_false(first->duty);
    assert_int_equal(first->role, 0);
    assert_int_equal(first->as, WZ_RESP_FIRST);
    assert_true(first->has_share);
    expect_dec(first->share, "0.4");
    assert_int_equal(direct->role, 2);
    assert_int_equal(direct->as, WZ_RESP_DIRECT);
    expect_dec(direct->share, "0.6");

    const wz_blame *fine = def_named(p, "fine")->blame;
    const wz_blame_item *lead = &g_array_index(fine->items, wz_blame_item, 1);
    assert_int_equal(lead->role, -1);   /* each goal's row names it */
    assert_int_equal(lead->fact, 2);
    assert_int_equal(lead->field, 1);
    assert_string_equal(lead->field_name, "lead");
    assert_false(lead->has_share);
    assert_null(def_named(p, "plan")->text);
    wz_policy_free(p);
}

/* decide: option names, words and the override relation with its chains;
 * a quota's limit param; a population aggregate's function; --history use. */
static void test_decide_quota_aggregate_history(void **state) {
    (void)state;
    wz_policy *p = load(HEADER "param share: decimal = 0.3;\n"
                               "fact staff persons key id { id: text; age: int; old: bool; }\n"
                               "let rate = decide {\n"
                               "    general \"一般\": 0.2;\n"
                               "    veteran: 0.1 when staff.age >= 55 overrides general;\n"
                               "    elder: 0.05 when staff.old overrides veteran;\n"
                               "};\n"
                               "let mean = avg(all: staff.age) ?? 0;\n"
                               "section s = rate + staff.age - mean;\n"
                               "grade = classify { 优秀 when total > 1 limit share by total desc; 合格 otherwise; };\n"
                               "keep rate;\nlet before = previous(rate) ?? 0;\n");
    assert_int_equal(p->decides->len, 1);
    const wz_decide *dc = g_ptr_array_index(p->decides, 0);
    assert_int_equal(dc->n, 3);
    assert_string_equal(dc->names[0], "general");
    assert_string_equal(dc->texts[0], "一般");
    assert_null(dc->texts[1]);
    assert_true(dc->over[1 * 3 + 0]);    /* veteran overrides general */
    assert_true(dc->over[2 * 3 + 0]);    /* elder overrides general, through veteran */
    assert_false(dc->over[0 * 3 + 1]);
    assert_int_equal(line_of(dc->span), 4);

    bool quota = false, agg = false;
    for (guint i = 0; i < p->defs->len; i++) {
        const wz_def *d = g_ptr_array_index(p->defs, i);
        if (d->kind == WZ_DEF_QUOTA) {
            quota = true;
            assert_int_equal(d->limit_param, 0);
            assert_string_equal(d->text, "优秀");
            assert_int_equal(line_of(d->limit_span), 11);
        }
        if (d->kind == WZ_DEF_POP_AGG) {
            agg = true;
            assert_int_equal(d->agg, WZ_AGG_AVG);
        }
    }
    assert_true(quota && agg);
    assert_string_equal(p->history_fn, "previous");
    assert_int_equal(line_of(p->history_span), 13);
    wz_policy_free(p);

    p = load(HEADER "fact staff persons key id { id: text; }\nsection s = 1;\n");
    assert_null(p->history_fn);
    assert_null(p->distribute);
    assert_int_equal(p->decides->len, 0);
    const wz_def *total = def_named(p, "total");   /* the default total: cited at the policy's start */
    assert_ptr_equal(total->span.src, p->src);
    assert_int_equal(total->span.start, 0);
    wz_policy_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ladder_tiers_and_rule_signs),
        cmocka_unit_test(test_param_defaults_are_values),
        cmocka_unit_test(test_distribute_resolved),
        cmocka_unit_test(test_blame_items),
        cmocka_unit_test(test_decide_quota_aggregate_history),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
