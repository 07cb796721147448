/* compile_fixtures.h — policies and helpers shared by the compiler's tests
 * (test_compile.c: instruction shapes; test_bytecode.c: verifier and
 * disassembler).  Header-only; include after <cmocka.h>.
 *
 * Each policy text uses a set of constructs the compiler lowers; KITCHEN uses
 * every one.
 */
#ifndef WZ_COMPILE_FIXTURES_H
#define WZ_COMPILE_FIXTURES_H

#include <glib.h>
#include <string.h>

#include "check.h"
#include "compile.h"

/* ---- helpers -------------------------------------------------------------- */

static inline wz_policy *load_or_fail(const char *name, const char *text, size_t len)
{
    wz_diags *d = wz_diags_new(0);
    wz_policy *p = wz_policy_load_text(name, text, len, d);
    if (!p) {
        GString *msg = g_string_new(NULL);
        for (guint i = 0; i < d->items->len; i++) {
            char *r = wz_diag_render(g_ptr_array_index(d->items, i));
            g_string_append_printf(msg, "%s\n", r);
            g_free(r);
        }
        print_error("%s", msg->str);
        g_string_free(msg, TRUE);
    }
    wz_diags_free(d);
    assert_non_null(p);
    return p;
}

static inline wz_policy *load(const char *text)
{
    return load_or_fail("t.wz", text, strlen(text));
}

static inline wz_policy *load_dongliu(void)
{
    char *text = NULL;
    gsize len = 0;
    assert_true(g_file_get_contents(WZ_SOURCE_DIR "/policies/dongliu-2019.wz", &text, &len, NULL));
    wz_policy *p = load_or_fail("policies/dongliu-2019.wz", text, len);
    g_free(text);
    return p;
}

static inline const wz_chunk *def_chunk(const wz_program *prog, const char *name)
{
    int d = wz_policy_find_def(prog->policy, name);
    if (d < 0) fail_msg("no def '%s'", name);
    return g_ptr_array_index(prog->def_chunks, d);
}

static inline uint32_t code_at(const wz_chunk *ch, guint pc) { return g_array_index(ch->code, uint32_t, pc); }

/* The pcs of the instructions of a chunk, in order. */
static inline GArray *instruction_pcs(const wz_chunk *ch)
{
    GArray *pcs = g_array_new(FALSE, FALSE, sizeof(guint));
    for (guint pc = 0; pc < ch->code->len;) {
        g_array_append_val(pcs, pc);
        uint32_t op = code_at(ch, pc);
        assert_true(op < WZ_I__COUNT);
        pc += 1 + (guint)wz_opcodes[op].operands;
    }
    return pcs;
}

/* First pc at or after `from` holding opcode op, or -1. */
static inline int find_op(const wz_chunk *ch, uint32_t op, guint from)
{
    GArray *pcs = instruction_pcs(ch);
    int found = -1;
    for (guint i = 0; i < pcs->len && found < 0; i++) {
        guint pc = g_array_index(pcs, guint, i);
        if (pc >= from && code_at(ch, pc) == op) found = (int)pc;
    }
    g_array_free(pcs, TRUE);
    return found;
}

static inline guint count_op(const wz_chunk *ch, uint32_t op)
{
    guint n = 0;
    for (int pc = find_op(ch, op, 0); pc >= 0; pc = find_op(ch, op, (guint)pc + 1)) n++;
    return n;
}

/* Every def a def chunk reads (DEF d) is evaluated before it. */
static inline void verify_order(const wz_program *prog)
{
    const wz_policy *p = prog->policy;
    guint ndefs = p->defs->len;
    assert_int_equal(p->order->len, ndefs);
    int *pos = g_new(int, ndefs);
    for (guint i = 0; i < ndefs; i++) pos[i] = -1;
    for (guint i = 0; i < ndefs; i++) {
        int d = g_array_index(p->order, int, i);
        assert_true(d >= 0 && (guint)d < ndefs);
        assert_int_equal(pos[d], -1);   /* each def once */
        pos[d] = (int)i;
    }
    for (guint d = 0; d < ndefs; d++) {
        const wz_chunk *ch = g_ptr_array_index(prog->def_chunks, d);
        for (int pc = find_op(ch, WZ_I_DEF, 0); pc >= 0; pc = find_op(ch, WZ_I_DEF, (guint)pc + 1)) {
            uint32_t r = code_at(ch, (guint)pc + 1);
            if (pos[r] >= pos[d])
                fail_msg("'%s' reads '%s', which is evaluated after it", ((wz_def *)g_ptr_array_index(p->defs, d))->name,
                         ((wz_def *)g_ptr_array_index(p->defs, r))->name);
        }
    }
    g_free(pos);
}

/* ---- policies ------------------------------------------------------------- */

#define HEADER "policy \"t\" version \"1\";\n"

/* Uses every construct the compiler lowers. */
G_GNUC_UNUSED static const char KITCHEN[] =
    HEADER
    "param start: date = 2019-09-01;\n"
    "param mid: date = 2020-02-17;\n"
    "param stop: date = 2020-07-15;\n"
    "param pool: decimal = 1000;\n"
    "param neg: decimal = -2;\n"
    "period year from start to stop;\n"
    "split year into semester at mid;\n"
    "fact staff persons key id { id: text; sex: enum(男, 女); born: date; }\n"
    "fact leave dated by date { id: person; date: date; kind: enum(病假, 事假); days: decimal in 0 .. 100; }\n"
    "fact extra one per person optional { id: person; v: decimal; }\n"
    "fact disc dated by date { id: person; date: date; level: enum(警告, 记过); }\n"
    "let age = full_years(staff.born, start);\n"
    "let sick = sum(leave.days where kind == 病假);\n"
    "let n = count(leave where days > 1);\n"
    "let lo = min(leave.days) ?? 0;\n"
    "let hi = max(leave.days where kind == 事假) ?? 0;\n"
    "let mean = avg(leave.days) ?? 0;\n"
    "let ex = if exists(extra) then extra.v else 0;\n"
    "let opt = extra.v ?? 7;\n"
    "let both = age > 30 and sick > 1;\n"
    "let either = age > 30 or not (sick > 1);\n"
    "let member = staff.sex in (男, 女);\n"
    "let per_sem = each semester (sum(leave.days));\n"
    "let any_sem = any semester (sum(leave.days) > 3);\n"
    "let all_sem = all semester (count(leave) > 0);\n"
    "let span = days_between(start, stop);\n"
    "let m = max(1, min(2, 3, neg)) + abs(-1) + round(1.25, 1) + round_half_even(1.25, 1) + round_down(1.29, 1);\n"
    "ladder L { 警告: cut 20%; 记过: cut 100%, exclude; }\n"
    "sanction s1 \"处分\" ladder L from disc.level where date >= start;\n"
    "sanction s2 ladder L tier 警告 when sick > 10;\n"
    "notice note \"note\" when sick > 5;\n"
    "section a \"A\" points 10 floor 0 cap 10 {\n"
    "    deduct sick \"病假\" 0.2 per sum(leave.days where kind == 病假) free 2 per semester cap 5;\n"
    "    deduct pers 0.5 per sum(leave.days where kind == 事假) when age > 20;\n"
    "    bonus b 1 when exists(extra);\n"
    "}\n"
    "section w \"W\" = sick / (sum(all: sick) + 1) * 30 + (avg(all: age where age > 1) ?? 0) + count(all) - (max(all: n) ?? 0) + (min(all: n) ?? 0);\n"
    "total = round((a + w) * (1 - cut(L)), 2);\n"
    "let basis = classify {\n"
    "    out when excluded(L);\n"
    "    older when age >= 60;\n"
    "    score otherwise;\n"
    "};\n"
    "distribute pool - sum(all: opt) by basis round 2 {\n"
    "    stipend = if exists(extra) then 10 else 0;\n"
    "    out: 0;\n"
    "    older: 0.8;\n"
    "    score: 1 by total;\n"
    "}\n";

G_GNUC_UNUSED static const char LEAVE_SUM[] =
    HEADER
    "param start: date = 2019-09-01;\n"
    "period year from start to 2020-07-15;\n"
    "fact staff persons key id { id: text; }\n"
    "fact leave dated by date { id: person; date: date; kind: enum(病假, 事假); days: decimal; }\n"
    "let x = sum(leave.days where kind == 病假);\n";

/* Not fusable into SUM_ROWS (the filter is not an enum test alone): a general row loop. */
G_GNUC_UNUSED static const char LEAVE_SUM_LOOP[] =
    HEADER
    "param start: date = 2019-09-01;\n"
    "period year from start to 2020-07-15;\n"
    "fact staff persons key id { id: text; }\n"
    "fact leave dated by date { id: person; date: date; kind: enum(病假, 事假); days: decimal; }\n"
    "let x = sum(leave.days where kind == 病假 and days >= 0);\n";

G_GNUC_UNUSED static const char FREE_PER_SEMESTER[] =
    HEADER
    "period year from 2019-09-01 to 2020-07-15;\n"
    "split year into semester at 2020-02-17;\n"
    "fact staff persons key id { id: text; }\n"
    "fact leave dated by date { id: person; date: date; days: decimal; }\n"
    "section att points 10 { deduct sick 0.2 per sum(leave.days) free 2 per semester; }\n";

G_GNUC_UNUSED static const char LOGIC[] =
    HEADER
    "fact staff persons key id { id: text; a: bool; b: bool; }\n"
    "let conj = staff.a and staff.b;\n"
    "let disj = staff.a or staff.b;\n"
    "let cmp = staff.a == staff.b;\n";

G_GNUC_UNUSED static const char POPULATION[] =
    HEADER
    "fact staff persons key id { id: text; hours: decimal; }\n"
    "section share = staff.hours / (sum(all: staff.hours) / count(all)) * 30;\n"
    "let above = share > (avg(all: share) ?? 0);\n";

/* Values nested inside values: branches, classify and windows inside arithmetic. */
G_GNUC_UNUSED static const char NESTED[] =
    HEADER
    "period year from 2019-09-01 to 2020-07-15;\n"
    "split year into q at 2019-11-01, 2020-02-17, 2020-05-01;\n"
    "fact staff persons key id { id: text; a: bool; n: decimal; }\n"
    "fact extra one per person optional { id: person; v: decimal; }\n"
    "fact leave dated by date { id: person; date: date; days: decimal; }\n"
    "let k = 1 + (2 * (if staff.a then 3 + (4 - staff.n) else 5 / (6 + staff.n))) - min(extra.v ?? 1, 7, 8);\n"
    "let c = (classify { x when staff.a and staff.n > 1; y when not staff.a; z otherwise; }) in (x, z);\n"
    "let w = 1 + (2 + each q (3 + (if count(leave) > 0 then 0 else sum(leave.days where days > 1 and days < 9))));\n"
    "let aq = staff.a and (any q (count(leave where days > 2) > 0) or all q (sum(leave.days) < 1));\n"
    "section s points (1 + (2 + 3)) floor (0 - 1) cap (4 * (5 + 6)) {\n"
    "    bonus b (1 + (2 + staff.n)) per ((avg(leave.days) ?? 0) + 1) cap (3 + 4) when staff.a or k > 2;\n"
    "}\n"
    "let basis = classify { all_ otherwise; };\n"
    "distribute 1 + (2 + (3 + (4 + (5 + (6 + (7 + (8 + (9 + count(all: staff.n where staff.a)))))))))\n"
    "    by basis { all_: 1 + (2 * (3 + 4)) by k + 100; }\n";

#endif
