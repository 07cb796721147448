/* test_compile.c — the shapes of the bytecode the compiler emits.
 *
 * Shape tests pin the instruction patterns of aggregates, windows and
 * short-circuit logic, and the evaluation order of population aggregates.
 * That every chunk is sound (operands, jumps, stack, loops) is the verifier's
 * job: test_bytecode.c runs it over every shipped policy.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "check.h"
#include "compile.h"
#include "compile_fixtures.h"

/* ---- shapes --------------------------------------------------------------- */

static void test_enum_filtered_sum_is_one_fused_instruction(void **state)
{
    (void)state;
    wz_policy *p = load(LEAVE_SUM);
    wz_program *prog = wz_compile(p);
    const wz_chunk *ch = def_chunk(prog, "x");
    int sum = find_op(ch, WZ_I_SUM_ROWS, 0);
    assert_true(sum >= 0);
    assert_int_equal(code_at(ch, (guint)sum + 1), 1);          /* fact 1: leave */
    assert_int_equal(code_at(ch, (guint)sum + 2), 3);          /* summed: days */
    assert_int_equal(code_at(ch, (guint)sum + 3), 2);          /* filter: kind */
    assert_int_equal(code_at(ch, (guint)sum + 4), 1u << 0);    /* … == 病假, member 0 */
    assert_int_equal(count_op(ch, WZ_I_ITER), 0);
    wz_program_free(prog);
    wz_policy_free(p);
}

static void test_row_sum_is_an_iter_next_loop_marking_rows(void **state)
{
    (void)state;
    wz_policy *p = load(LEAVE_SUM_LOOP);
    wz_program *prog = wz_compile(p);
    const wz_chunk *ch = def_chunk(prog, "x");
    int iter = find_op(ch, WZ_I_ITER, 0);
    assert_true(iter >= 0);
    assert_int_equal(code_at(ch, (guint)iter + 1), 1);   /* fact 1: leave */
    int rfield = find_op(ch, WZ_I_RFIELD, (guint)iter);
    int skip = find_op(ch, WZ_I_JUMP_IF_FALSE, (guint)iter);
    int days = find_op(ch, WZ_I_RFIELD, (guint)skip);
    int mark = find_op(ch, WZ_I_MARK_IF_NONZERO, (guint)iter);
    int next = find_op(ch, WZ_I_NEXT, (guint)iter);
    assert_true(rfield > iter && skip > rfield && days > skip && mark > days && next > mark);
    /* the filter (kind == 病假) is read first; a row is marked only when its summed days are not zero */
    assert_int_equal(code_at(ch, (guint)rfield + 1), 2);   /* kind */
    assert_int_equal(code_at(ch, (guint)days + 1), 3);     /* days */
    assert_int_equal(count_op(ch, WZ_I_MARK), 0);
    assert_int_equal(code_at(ch, (guint)skip + 1), (uint32_t)next);   /* a filtered-out row goes to NEXT */
    assert_int_equal(code_at(ch, (guint)next + 1), (uint32_t)iter + 3);   /* back to the loop body */
    assert_int_equal(code_at(ch, (guint)iter + 2), (uint32_t)next + 2);   /* no rows: past the loop */
    assert_int_equal(count_op(ch, WZ_I_ITER), 1);
    assert_int_equal(count_op(ch, WZ_I_NEXT), 1);
    wz_program_free(prog);
    wz_policy_free(p);
}

static void test_free_allowance_loops_over_windows(void **state)
{
    (void)state;
    wz_policy *p = load(FREE_PER_SEMESTER);
    wz_program *prog = wz_compile(p);
    const wz_chunk *ch = def_chunk(prog, "att.sick");
    int begin = find_op(ch, WZ_I_WIN_BEGIN, 0);
    int wnext = find_op(ch, WZ_I_WIN_NEXT, 0);
    assert_true(begin >= 0 && wnext > begin);
    assert_int_equal(code_at(ch, (guint)begin + 1), 0);   /* window group 0: semester */
    assert_int_equal(code_at(ch, (guint)wnext + 1), (uint32_t)begin + 3);
    /* the (fused) row sum runs inside each window; each window that went over its
     * allowance is recorded (WIN_ITEM) with the rows it marked since MARK_SAVE, and the
     * amount, read once before the loop, multiplies each window's excess */
    int iter = find_op(ch, WZ_I_SUM_ROWS, (guint)begin);
    assert_true(iter > begin && iter < wnext);
    int save = find_op(ch, WZ_I_MARK_SAVE, (guint)begin);
    int item = find_op(ch, WZ_I_WIN_ITEM, (guint)begin);
    assert_true(save > begin && save < iter && item > iter && item < wnext);
    assert_int_equal(code_at(ch, (guint)item + 2), code_at(ch, (guint)save + 1));   /* the rows since that save */
    int mul = find_op(ch, WZ_I_MUL, (guint)iter);
    assert_true(mul > iter && mul < item);
    assert_true(find_op(ch, WZ_I_STORE, 0) < begin);   /* the amount, stored before the loop */
    assert_int_equal(count_op(ch, WZ_I_WIN_BEGIN), 1);
    /* a rule without a window has no window loop */
    wz_policy *q = load(LEAVE_SUM);
    wz_program *qp = wz_compile(q);
    assert_int_equal(count_op(def_chunk(qp, "x"), WZ_I_WIN_BEGIN), 0);
    wz_program_free(qp);
    wz_policy_free(q);
    wz_program_free(prog);
    wz_policy_free(p);
}

static void test_and_or_short_circuit(void **state)
{
    (void)state;
    wz_policy *p = load(LOGIC);
    wz_program *prog = wz_compile(p);
    const struct { const char *def; uint32_t jump; } cases[] = {
        {"conj", WZ_I_JUMP_IF_FALSE_KEEP},
        {"disj", WZ_I_JUMP_IF_TRUE_KEEP},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        const wz_chunk *ch = def_chunk(prog, cases[i].def);
        int first = find_op(ch, WZ_I_PFIELD, 0);
        int j = find_op(ch, cases[i].jump, 0);
        int second = find_op(ch, WZ_I_PFIELD, (guint)first + 1);
        int ret = find_op(ch, WZ_I_RETURN, 0);
        assert_true(first >= 0 && j > first && second > j && ret > second);
        assert_int_equal(code_at(ch, (guint)j + 2), WZ_I_POP);   /* drop the left value when going on */
        assert_int_equal(code_at(ch, (guint)j + 1), (uint32_t)ret);   /* skips the right operand */
        assert_int_equal(count_op(ch, WZ_I_JUMP_IF_FALSE), 0);
    }
    wz_program_free(prog);
    wz_policy_free(p);
}

static void test_population_aggregates_follow_the_values_they_read(void **state)
{
    (void)state;
    wz_policy *p = load(POPULATION);
    int share = wz_policy_find_def(p, "share"), above = wz_policy_find_def(p, "above");
    int sum = -1, count = -1, avg = -1;
    for (guint d = 0; d < p->defs->len; d++) {
        const wz_def *def = g_ptr_array_index(p->defs, d);
        if (def->kind != WZ_DEF_POP_AGG) continue;
        if (g_str_has_prefix(def->name, "sum(all)")) sum = (int)d;
        if (g_str_has_prefix(def->name, "count(all)")) count = (int)d;
        if (g_str_has_prefix(def->name, "avg(all)")) avg = (int)d;
    }
    assert_true(share >= 0 && above >= 0 && sum >= 0 && count >= 0 && avg >= 0);
    int pos[64];
    assert_true(p->order->len < 64);
    for (guint i = 0; i < p->order->len; i++) pos[g_array_index(p->order, int, i)] = (int)i;
    assert_true(pos[sum] < pos[share] && pos[count] < pos[share]);   /* share reads the school average */
    assert_true(pos[share] < pos[avg] && pos[avg] < pos[above]);     /* avg(all: share) needs everyone's share */
    const wz_def *ds = g_ptr_array_index(p->defs, share), *da = g_ptr_array_index(p->defs, avg),
                 *dsum = g_ptr_array_index(p->defs, sum);
    assert_int_equal(dsum->stratum, 1);
    assert_int_equal(ds->stratum, 1);
    assert_int_equal(da->stratum, 2);
    /* and in dongliu: the workload section comes after its two school-wide aggregates */
    wz_policy *q = load_dongliu();
    wz_program *qp = wz_compile(q);
    verify_order(qp);
    int wl = wz_policy_find_def(q, "workload");
    guint npop = 0;
    for (guint i = 0; i < q->order->len; i++) {
        int d = g_array_index(q->order, int, i);
        if (((wz_def *)g_ptr_array_index(q->defs, d))->kind == WZ_DEF_POP_AGG) npop++;
        if (d == wl) assert_int_equal(npop, 2);
    }
    wz_program_free(qp);
    wz_policy_free(q);
    wz_policy_free(p);
}

/* Per-incident values (issue 15.2): a row value is its expression inlined on the reader's
 * row; a `for each` rule is a loop whose body ends in ITEM (one finding per incident). */
static const char INCIDENTS[] =
    HEADER
    "param start: date = 2019-09-01;\n"
    "param stop: date = 2020-07-15;\n"
    "period year from start to stop;\n"
    "fact staff persons key id { id: text; }\n"
    "fact acc dated by date { id: person; date: date; kind: enum(late, safety); minutes: int; }\n"
    "ladder L { warning; demerit; }\n"
    "let acc.level = classify { demerit when minutes > 10; warning otherwise; };\n"
    "let acc.fine = 10 * minutes;\n"
    "award f = -fine for each acc where kind == late;\n"
    "sanction s ladder L from acc.level for each acc;\n"
    "sanction w ladder L from acc.level;\n"
    "let n = count(acc where level == demerit);\n";

static void test_per_incident_rules_loop_and_record_each_row(void **state)
{
    (void)state;
    wz_policy *p = load(INCIDENTS);
    wz_program *prog = wz_compile(p);
    const wz_chunk *f = def_chunk(prog, "f");
    int iter = find_op(f, WZ_I_ITER, 0), item = find_op(f, WZ_I_ITEM, 0), next = find_op(f, WZ_I_NEXT, 0);
    assert_true(iter >= 0 && item > iter && next > item);
    assert_int_equal(code_at(f, (guint)iter + 1), 1);                 /* fact 1: acc */
    int minutes = find_op(f, WZ_I_RFIELD, (guint)find_op(f, WZ_I_JUMP_IF_FALSE, (guint)iter));
    assert_true(minutes > iter && minutes < item);                   /* fine = 10 * minutes, read on the row */
    assert_int_equal(code_at(f, (guint)minutes + 1), 3);              /* minutes */
    assert_int_equal(count_op(f, WZ_I_ITEM), 1);
    assert_int_equal(count_op(f, WZ_I_DEF), 0);                       /* a row value is no def */
    const wz_chunk *s = def_chunk(prog, "s");
    int tier_of = find_op(s, WZ_I_TIER_OF, 0);
    assert_true(tier_of >= 0 && find_op(s, WZ_I_ITEM, (guint)tier_of) > tier_of);
    assert_int_equal(count_op(s, WZ_I_TIER_ROW), 0);
    /* without `for each`: the most severe row, marking its rows, as TIER_ROW does for a field */
    const wz_chunk *w = def_chunk(prog, "w");
    assert_true(find_op(w, WZ_I_TIER_KEEP, (guint)find_op(w, WZ_I_TIER_OF, 0)) > 0);
    assert_int_equal(count_op(w, WZ_I_ITEM), 0);
    assert_int_equal(count_op(def_chunk(prog, "n"), WZ_I_SUM_ROWS), 0);   /* a row value's filter is no enum bit set */
    wz_program_free(prog);
    wz_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enum_filtered_sum_is_one_fused_instruction),
        cmocka_unit_test(test_row_sum_is_an_iter_next_loop_marking_rows),
        cmocka_unit_test(test_free_allowance_loops_over_windows),
        cmocka_unit_test(test_and_or_short_circuit),
        cmocka_unit_test(test_population_aggregates_follow_the_values_they_read),
        cmocka_unit_test(test_per_incident_rules_loop_and_record_each_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
