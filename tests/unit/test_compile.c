/* test_compile.c — the bytecode the compiler emits.
 *
 * A verifier written here (independent of compile.c) walks every chunk of a
 * program — def chunks, period, window splits, pool and share weights — and
 * checks: valid opcodes and operands (constants, locals, defs, params, facts,
 * fields, windows, ladders, tier tables); jump targets on instruction starts
 * inside the chunk; the only backward jumps are NEXT and WIN_NEXT and each
 * closes a well-formed ITER/WIN_BEGIN loop (so every program terminates);
 * the simulated stack depth never goes negative, never exceeds max_stack and
 * agrees at join points; row and window scopes are balanced; no path runs off
 * the end; global chunks read no per-person value.  It runs over the dongliu
 * policy and small policies using every construct.  Shape tests pin the
 * instruction patterns of aggregates, windows and short-circuit logic, the
 * evaluation order of population aggregates, and the disassembler's output.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "check.h"
#include "compile.h"

/* ---- helpers -------------------------------------------------------------- */

static wz_policy *load_or_fail(const char *name, const char *text, size_t len)
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

static wz_policy *load(const char *text)
{
    return load_or_fail("t.wz", text, strlen(text));
}

static wz_policy *load_dongliu(void)
{
    char *text = NULL;
    gsize len = 0;
    assert_true(g_file_get_contents(WZ_SOURCE_DIR "/policies/dongliu-2019.wz", &text, &len, NULL));
    wz_policy *p = load_or_fail("policies/dongliu-2019.wz", text, len);
    g_free(text);
    return p;
}

static const wz_chunk *def_chunk(const wz_program *prog, const char *name)
{
    int d = wz_policy_find_def(prog->policy, name);
    if (d < 0) fail_msg("no def '%s'", name);
    return g_ptr_array_index(prog->def_chunks, d);
}

static uint32_t code_at(const wz_chunk *ch, guint pc) { return g_array_index(ch->code, uint32_t, pc); }

/* The pcs of the instructions of a chunk, in order. */
static GArray *instruction_pcs(const wz_chunk *ch)
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
static int find_op(const wz_chunk *ch, uint32_t op, guint from)
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

static guint count_op(const wz_chunk *ch, uint32_t op)
{
    guint n = 0;
    for (int pc = find_op(ch, op, 0); pc >= 0; pc = find_op(ch, op, (guint)pc + 1)) n++;
    return n;
}

/* ---- the verifier --------------------------------------------------------- */

/* How many stack values an instruction reads (its pops before its pushes). */
static int reads(uint32_t op)
{
    switch (op) {
    case WZ_I_ADD: case WZ_I_SUB: case WZ_I_MUL: case WZ_I_DIV: case WZ_I_DIV_OR_MISSING:
    case WZ_I_EQ: case WZ_I_NE: case WZ_I_LT: case WZ_I_LE: case WZ_I_GT: case WZ_I_GE:
    case WZ_I_MIN: case WZ_I_MAX: case WZ_I_MIN_PRESENT: case WZ_I_MAX_PRESENT:
    case WZ_I_FULL_YEARS: case WZ_I_DAYS_BETWEEN: case WZ_I_TIER_MAX:
        return 2;
    case WZ_I_STORE: case WZ_I_POP: case WZ_I_NEG: case WZ_I_NOT: case WZ_I_ROUND: case WZ_I_ABS:
    case WZ_I_JUMP_IF_FALSE: case WZ_I_JUMP_IF_FALSE_KEEP: case WZ_I_JUMP_IF_TRUE_KEEP:
    case WZ_I_JUMP_IF_PRESENT: case WZ_I_LADDER_CUT: case WZ_I_LADDER_EXCLUDED: case WZ_I_RETURN:
    case WZ_I_MARK_DROP_IF_ZERO:
        return 1;
    default:
        return wz_opcodes[op].stack_effect < 0 ? -wz_opcodes[op].stack_effect : 0;
    }
}

/* Operand index of the jump target, or -1 when the instruction does not jump. */
static int jump_operand(uint32_t op)
{
    switch (op) {
    case WZ_I_JUMP: case WZ_I_JUMP_IF_FALSE: case WZ_I_JUMP_IF_FALSE_KEEP: case WZ_I_JUMP_IF_TRUE_KEEP:
    case WZ_I_JUMP_IF_PRESENT: case WZ_I_NEXT: case WZ_I_WIN_NEXT:
        return 0;
    case WZ_I_ITER: case WZ_I_WIN_BEGIN:
        return 1;
    default:
        return -1;
    }
}

typedef struct vstate {
    int depth, iters, win;
} vstate;

/* The verifier reports the first problem as a new string (NULL when none), so
 * that tests can also check that it rejects bad code. */
#define VFAIL(...)                                                                     \
    do {                                                                               \
        char *what_ = g_strdup_printf(__VA_ARGS__);                                    \
        err = g_strdup_printf("chunk '%s' pc %u: %s", ch->name, pc, what_);            \
        g_free(what_);                                                                 \
        goto out;                                                                      \
    } while (0)

static char *verify_operands(const wz_program *prog, const wz_chunk *ch, guint pc, bool global, const bool *starts)
{
    const wz_policy *p = prog->policy;
    char *err = NULL;
    uint32_t op = code_at(ch, pc);
    uint32_t a = wz_opcodes[op].operands > 0 ? code_at(ch, pc + 1) : 0;
    uint32_t b = wz_opcodes[op].operands > 1 ? code_at(ch, pc + 2) : 0;
    uint32_t c = wz_opcodes[op].operands > 2 ? code_at(ch, pc + 3) : 0;
    switch (op) {
    case WZ_I_CONST: if (a >= ch->consts->len) VFAIL("constant %u of %u", a, ch->consts->len); break;
    case WZ_I_PARAM: if (a >= p->params->len) VFAIL("param %u", a); break;
    case WZ_I_DEF: {
        if (a >= p->defs->len) VFAIL("def %u", a);
        const wz_def *d = g_ptr_array_index(p->defs, a);
        if (global && d->kind != WZ_DEF_POP_AGG) VFAIL("global chunk reads per-person def %s", d->name);
        break;
    }
    case WZ_I_PFIELD: case WZ_I_HAS_ROW: case WZ_I_ITER: case WZ_I_SUM_ROWS: {
        if (global) VFAIL("global chunk reads a person's rows");
        if (a >= p->facts->len) VFAIL("fact %u", a);
        const wz_fact_schema *s = g_ptr_array_index(p->facts, a);
        if (op == WZ_I_PFIELD && b >= s->fields->len) VFAIL("field %u of %s", b, s->name);
        if (op == WZ_I_SUM_ROWS) {   /* ~0 = count rows / no filter */
            if (b != 0xffffffffu && b >= s->fields->len) VFAIL("summed field %u of %s", b, s->name);
            if (c != 0xffffffffu && c >= s->fields->len) VFAIL("filter field %u of %s", c, s->name);
        }
        break;
    }
    case WZ_I_LOAD: case WZ_I_STORE: case WZ_I_MARK_SAVE: case WZ_I_MARK_DROP_IF_ZERO:
        if ((int)a >= ch->nlocals) VFAIL("local %u of %d", a, ch->nlocals);
        break;
    case WZ_I_TIER_ROW:
        if (a >= prog->tier_tables->len) VFAIL("tier table %u", a);
        if ((int)c >= ch->nlocals) VFAIL("local %u of %d", c, ch->nlocals);
        (void)b;
        break;
    case WZ_I_WIN_BEGIN: if (a >= p->windows->len) VFAIL("window group %u", a); break;
    case WZ_I_LADDER_CUT: case WZ_I_LADDER_EXCLUDED: if (a >= p->ladders->len) VFAIL("ladder %u", a); break;
    case WZ_I_ROUND:
        if (a > 30) VFAIL("round to %u places", a);
        if (b > WZ_ROUND_CEIL) VFAIL("round mode %u", b);
        break;
    default: break;
    }
    int j = jump_operand(op);
    if (j >= 0) {
        uint32_t t = code_at(ch, pc + 1 + (guint)j);
        if (t >= ch->code->len || !starts[t]) VFAIL("jump target %u is not an instruction of the chunk", t);
        bool backward = t <= pc;
        bool may_go_back = op == WZ_I_NEXT || op == WZ_I_WIN_NEXT;
        if (backward != may_go_back) VFAIL("%s jumps %s to %u", wz_opcodes[op].name, backward ? "backward" : "forward", t);
        if (may_go_back) {
            /* a loop: NEXT closes the ITER just before its target, whose exit is just after the NEXT */
            uint32_t opener = op == WZ_I_NEXT ? WZ_I_ITER : WZ_I_WIN_BEGIN;
            if (t < 3 || !starts[t - 3] || code_at(ch, t - 3) != opener || code_at(ch, t - 1) != pc + 2)
                VFAIL("%s does not close a %s loop", wz_opcodes[op].name, wz_opcodes[opener].name);
        }
    }
out:
    return err;
}

/* Checks one chunk: NULL when it is sound, else a new message. */
static char *check_chunk(const wz_program *prog, const wz_chunk *ch, bool global)
{
    guint len = ch->code->len, pc = 0;
    char *err = NULL;
    bool *starts = g_new0(bool, len + 1);
    vstate *st = g_new(vstate, len + 1);
    GArray *work = g_array_new(FALSE, FALSE, sizeof(guint));
    if (len == 0) VFAIL("empty chunk");
    if (ch->spans->len != len) VFAIL("%u spans for %u code words", ch->spans->len, len);
    if (ch->max_stack < 1) VFAIL("max_stack %d", ch->max_stack);
    for (pc = 0; pc < len;) {
        uint32_t op = code_at(ch, pc);
        if (op >= WZ_I__COUNT) VFAIL("invalid opcode %u", op);
        if (pc + 1 + (guint)wz_opcodes[op].operands > len) VFAIL("%s runs past the end", wz_opcodes[op].name);
        starts[pc] = true;
        pc += 1 + (guint)wz_opcodes[op].operands;
    }
    for (pc = 0; pc < len; pc += 1 + (guint)wz_opcodes[code_at(ch, pc)].operands)
        if ((err = verify_operands(prog, ch, pc, global, starts))) goto out;

    /* abstract interpretation: stack depth, open row iterators, window scope */
    for (guint i = 0; i < len; i++) st[i].depth = -1;
    st[0] = (vstate){0, 0, 0};
    pc = 0;
    g_array_append_val(work, pc);
    while (work->len) {
        pc = g_array_index(work, guint, work->len - 1);
        g_array_set_size(work, work->len - 1);
        vstate s = st[pc];
        uint32_t op = code_at(ch, pc);
        const wz_opcode_info *info = &wz_opcodes[op];
        if (s.depth < reads(op)) VFAIL("%s reads %d values with %d on the stack", info->name, reads(op), s.depth);
        vstate next = s, jumped = s;
        next.depth = jumped.depth = s.depth + info->stack_effect;
        if (next.depth < 0) VFAIL("stack depth goes negative");
        if (next.depth > ch->max_stack) VFAIL("stack depth %d exceeds max_stack %d", next.depth, ch->max_stack);
        bool falls = true, jumps = jump_operand(op) >= 0;
        switch (op) {
        case WZ_I_RFIELD: case WZ_I_MARK: case WZ_I_MARK_IF_NONZERO: case WZ_I_TIER_ROW:
            if (s.iters < 1) VFAIL("%s outside a row loop", info->name);
            break;
        case WZ_I_ITER:
            next.iters++;
            if (next.iters > 8) VFAIL("row loops nested %d deep", next.iters);
            break;
        case WZ_I_NEXT:
            if (s.iters < 1) VFAIL("NEXT outside a row loop");
            next.iters--;
            break;
        case WZ_I_WIN_BEGIN:
            if (s.win) VFAIL("nested window loop");
            next.win = 1;
            break;
        case WZ_I_WIN_NEXT:
            if (!s.win) VFAIL("WIN_NEXT outside a window loop");
            next.win = 0;
            break;
        case WZ_I_JUMP: falls = false; break;
        case WZ_I_RETURN:
            falls = false;
            if (s.depth != 1) VFAIL("RETURN with %d values on the stack", s.depth);
            if (s.iters || s.win) VFAIL("RETURN inside a loop");
            break;
        default: break;
        }
        guint succ[2];
        vstate succ_st[2];
        int nsucc = 0;
        if (falls) {
            guint n = pc + 1 + (guint)info->operands;
            if (n >= len) VFAIL("execution runs off the end of the chunk");
            succ[nsucc] = n;
            succ_st[nsucc++] = next;
        }
        if (jumps) {
            succ[nsucc] = code_at(ch, pc + 1 + (guint)jump_operand(op));
            succ_st[nsucc++] = jumped;
        }
        for (int k = 0; k < nsucc; k++) {
            vstate *have = &st[succ[k]];
            if (have->depth < 0) {
                *have = succ_st[k];
                g_array_append_val(work, succ[k]);
            } else if (have->depth != succ_st[k].depth || have->iters != succ_st[k].iters ||
                       have->win != succ_st[k].win) {
                VFAIL("join at %u disagrees: depth %d/%d, loops %d/%d, window %d/%d", succ[k], have->depth,
                      succ_st[k].depth, have->iters, succ_st[k].iters, have->win, succ_st[k].win);
            }
        }
    }
out:
    g_array_free(work, TRUE);
    g_free(st);
    g_free(starts);
    return err;
}

static void verify_chunk(const wz_program *prog, const wz_chunk *ch, bool global)
{
    char *err = check_chunk(prog, ch, global);
    if (err) fail_msg("%s", err);
}

/* Verifies every chunk of a program; returns the number of chunks. */
static guint verify_program(const wz_program *prog)
{
    const wz_policy *p = prog->policy;
    guint n = 0;
    assert_int_equal(prog->def_chunks->len, p->defs->len);
    for (guint d = 0; d < prog->def_chunks->len; d++, n++) verify_chunk(prog, g_ptr_array_index(prog->def_chunks, d), false);
    assert_int_equal(prog->period_start != NULL, p->period != NULL);
    assert_int_equal(prog->period_end != NULL, p->period != NULL);
    if (prog->period_start) {
        verify_chunk(prog, prog->period_start, true);
        verify_chunk(prog, prog->period_end, true);
        n += 2;
    }
    assert_int_equal(prog->split_chunks->len, p->windows->len);
    for (guint w = 0; w < prog->split_chunks->len; w++) {
        GPtrArray *list = g_ptr_array_index(prog->split_chunks, w);
        for (guint k = 0; k < list->len; k++, n++) verify_chunk(prog, g_ptr_array_index(list, k), true);
    }
    assert_int_equal(prog->pool != NULL, p->distribute != NULL);
    if (prog->pool) {
        verify_chunk(prog, prog->pool, true);
        n++;
        assert_int_equal(prog->share_weights->len, p->distribute->shares->len);
        for (guint i = 0; i < prog->share_weights->len; i++, n++)
            verify_chunk(prog, g_ptr_array_index(prog->share_weights, i), true);
    }
    return n;
}

/* Every def a def chunk reads (DEF d) is evaluated before it. */
static void verify_order(const wz_program *prog)
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
static const char KITCHEN[] =
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

static const char LEAVE_SUM[] =
    HEADER
    "param start: date = 2019-09-01;\n"
    "period year from start to 2020-07-15;\n"
    "fact staff persons key id { id: text; }\n"
    "fact leave dated by date { id: person; date: date; kind: enum(病假, 事假); days: decimal; }\n"
    "let x = sum(leave.days where kind == 病假);\n";

/* Not fusable into SUM_ROWS (the filter is not an enum test alone): a general row loop. */
static const char LEAVE_SUM_LOOP[] =
    HEADER
    "param start: date = 2019-09-01;\n"
    "period year from start to 2020-07-15;\n"
    "fact staff persons key id { id: text; }\n"
    "fact leave dated by date { id: person; date: date; kind: enum(病假, 事假); days: decimal; }\n"
    "let x = sum(leave.days where kind == 病假 and days >= 0);\n";

static const char FREE_PER_SEMESTER[] =
    HEADER
    "period year from 2019-09-01 to 2020-07-15;\n"
    "split year into semester at 2020-02-17;\n"
    "fact staff persons key id { id: text; }\n"
    "fact leave dated by date { id: person; date: date; days: decimal; }\n"
    "section att points 10 { deduct sick 0.2 per sum(leave.days) free 2 per semester; }\n";

static const char LOGIC[] =
    HEADER
    "fact staff persons key id { id: text; a: bool; b: bool; }\n"
    "let conj = staff.a and staff.b;\n"
    "let disj = staff.a or staff.b;\n"
    "let cmp = staff.a == staff.b;\n";

static const char POPULATION[] =
    HEADER
    "fact staff persons key id { id: text; hours: decimal; }\n"
    "section share = staff.hours / (sum(all: staff.hours) / count(all)) * 30;\n"
    "let above = share > (avg(all: share) ?? 0);\n";

/* Values nested inside values: branches, classify and windows inside arithmetic. */
static const char NESTED[] =
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

/* ---- verifier over programs ----------------------------------------------- */

static void test_verifier_accepts_dongliu(void **state)
{
    (void)state;
    wz_policy *p = load_dongliu();
    wz_program *prog = wz_compile(p);
    /* period (2) + one split + pool + 4 shares + one chunk per def */
    assert_int_equal(verify_program(prog), p->defs->len + 2 + 1 + 1 + 4);
    verify_order(prog);
    wz_program_free(prog);
    wz_policy_free(p);
}

static void test_verifier_accepts_every_construct(void **state)
{
    (void)state;
    const char *const policies[] = {KITCHEN, NESTED, LEAVE_SUM, LEAVE_SUM_LOOP, FREE_PER_SEMESTER, LOGIC, POPULATION};
    for (guint i = 0; i < G_N_ELEMENTS(policies); i++) {
        wz_policy *p = load(policies[i]);
        wz_program *prog = wz_compile(p);
        verify_program(prog);
        verify_order(prog);
        wz_program_free(prog);
        wz_policy_free(p);
    }
}

/* The verifier itself must reject bad code, or the tests above prove nothing. */
static void test_verifier_rejects_a_stray_backward_jump(void **state)
{
    (void)state;
    wz_policy *p = load(LOGIC);
    wz_program *prog = wz_compile(p);
    wz_chunk *ch = g_ptr_array_index(prog->def_chunks, wz_policy_find_def(p, "conj"));
    int j = find_op(ch, WZ_I_JUMP_IF_FALSE_KEEP, 0);
    assert_true(j >= 0);
    g_array_index(ch->code, uint32_t, (guint)j + 1) = 0;   /* jump back to the start */
    char *err = check_chunk(prog, ch, false);
    assert_non_null(err);
    assert_non_null(strstr(err, "JUMP_IF_FALSE_KEEP jumps backward to 0"));
    g_free(err);
    wz_program_free(prog);
    wz_policy_free(p);
}

static void expect_rejected(const wz_program *prog, const wz_chunk *ch, const char *why)
{
    char *err = check_chunk(prog, ch, false);
    if (!err || !strstr(err, why)) fail_msg("expected '%s', got '%s'", why, err ? err : "(accepted)");
    g_free(err);
}

static void test_verifier_rejects_stack_underflow_and_overflow(void **state)
{
    (void)state;
    wz_policy *p = load(LOGIC);
    wz_program *prog = wz_compile(p);
    wz_chunk *cmp = g_ptr_array_index(prog->def_chunks, wz_policy_find_def(p, "cmp"));
    int saved = cmp->max_stack;
    cmp->max_stack = 1;   /* a == b needs two slots */
    expect_rejected(prog, cmp, "stack depth 2 exceeds max_stack 1");
    cmp->max_stack = saved;
    verify_chunk(prog, cmp, false);
    wz_chunk *ch = g_ptr_array_index(prog->def_chunks, wz_policy_find_def(p, "conj"));
    int pop = find_op(ch, WZ_I_POP, 0), ret = find_op(ch, WZ_I_RETURN, 0);
    assert_true(pop >= 0 && ret > pop);
    g_array_index(ch->code, uint32_t, (guint)pop) = WZ_I_ADD;   /* reads two values with one on the stack */
    expect_rejected(prog, ch, "ADD reads 2 values with 1 on the stack");
    g_array_index(ch->code, uint32_t, (guint)pop) = WZ_I__COUNT;
    expect_rejected(prog, ch, "invalid opcode");
    g_array_index(ch->code, uint32_t, (guint)pop) = WZ_I_POP;
    g_array_index(ch->code, uint32_t, (guint)ret) = WZ_I_NOT;   /* falls off the end */
    expect_rejected(prog, ch, "runs off the end");
    wz_program_free(prog);
    wz_policy_free(p);
}

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
    /* the (fused) row sum runs inside each window, and a window within its allowance cites no rows */
    int iter = find_op(ch, WZ_I_SUM_ROWS, (guint)begin);
    assert_true(iter > begin && iter < wnext);
    int save = find_op(ch, WZ_I_MARK_SAVE, (guint)begin);
    int drop = find_op(ch, WZ_I_MARK_DROP_IF_ZERO, (guint)begin);
    assert_true(save > begin && save < iter && drop > iter && drop < wnext);
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

static void test_disasm_one_line_per_instruction(void **state)
{
    (void)state;
    wz_policy *p = load_dongliu();
    wz_program *prog = wz_compile(p);
    GString *all = g_string_new(NULL);
    wz_program_disasm(prog, all);
    for (guint d = 0; d < prog->def_chunks->len; d++) {
        const wz_chunk *ch = g_ptr_array_index(prog->def_chunks, d);
        GString *out = g_string_new(NULL);
        wz_chunk_disasm(prog, ch, out);
        char **lines = g_strsplit(out->str, "\n", -1);
        GArray *pcs = instruction_pcs(ch);
        assert_int_equal(g_strv_length(lines), pcs->len + 2);   /* header, instructions, "" after the last \n */
        char *header = g_strdup_printf("%s (locals %d, stack %d):", ch->name, ch->nlocals, ch->max_stack);
        assert_string_equal(lines[0], header);
        g_free(header);
        for (guint i = 0; i < pcs->len; i++) {
            guint pc = g_array_index(pcs, guint, i);
            char *prefix = g_strdup_printf("  %04u  %s ", pc, wz_opcodes[code_at(ch, pc)].name);
            if (!g_str_has_prefix(lines[i + 1], prefix)) fail_msg("line '%s' does not start with '%s'", lines[i + 1], prefix);
            g_free(prefix);
        }
        assert_string_equal(lines[pcs->len + 1], "");
        assert_non_null(strstr(all->str, out->str));   /* the program listing holds every def chunk */
        g_array_free(pcs, TRUE);
        g_strfreev(lines);
        g_string_free(out, TRUE);
    }
    /* the whole listing: a title, then per chunk a header and its instructions; before each def a blank
     * line and its stratum; a blank line before the pool */
    guint want = 1 + 2 * p->defs->len + 1;
    GPtrArray *chunks = g_ptr_array_new();
    g_ptr_array_extend(chunks, prog->def_chunks, NULL, NULL);
    g_ptr_array_add(chunks, prog->period_start);
    g_ptr_array_add(chunks, prog->period_end);
    g_ptr_array_extend(chunks, g_ptr_array_index(prog->split_chunks, 0), NULL, NULL);
    g_ptr_array_add(chunks, prog->pool);
    g_ptr_array_extend(chunks, prog->share_weights, NULL, NULL);
    for (guint i = 0; i < chunks->len; i++) {
        GArray *pcs = instruction_pcs(g_ptr_array_index(chunks, i));
        want += 1 + pcs->len;
        g_array_free(pcs, TRUE);
    }
    g_ptr_array_free(chunks, TRUE);
    guint newlines = 0;
    for (const char *c = all->str; *c; c++) newlines += *c == '\n';
    assert_int_equal(newlines, want);
    /* operands are named: fields, facts, defs, params */
    bool pfield = false, iter = false, def = false, param = false;
    char **lines = g_strsplit(all->str, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (strstr(*l, " PFIELD ") && g_str_has_suffix(*l, " workload.weekly_hours")) pfield = true;
        if (strstr(*l, " SUM_ROWS ") && g_str_has_suffix(*l, " leave.days")) iter = true;
        if (strstr(*l, " DEF ") && g_str_has_suffix(*l, " research_by_discretion")) def = true;
        if (strstr(*l, " PARAM ") && g_str_has_suffix(*l, " year_start")) param = true;
    }
    g_strfreev(lines);
    assert_true(pfield && iter && def && param);
    assert_true(g_str_has_prefix(all->str, "; policy 东流镇中心学校教师绩效工资考核分配方案 version 2019.1\n"));
    g_string_free(all, TRUE);
    wz_program_free(prog);
    wz_policy_free(p);
}

static void test_disasm_instruction_shows_position_and_constant(void **state)
{
    (void)state;
    wz_policy *p = load(HEADER "fact staff persons key id { id: text; }\nlet half = 1 / 2;\n");
    wz_program *prog = wz_compile(p);
    const wz_chunk *ch = def_chunk(prog, "half");
    GString *out = g_string_new(NULL);
    guint next = wz_disasm_instruction(prog, ch, 0, out);
    assert_int_equal(next, 2);
    assert_string_equal(out->str, "  0000  CONST              0           ; 3:12 1\n");
    g_string_truncate(out, 0);
    wz_chunk_disasm(prog, ch, out);
    assert_string_equal(out->str,
                        "half (locals 0, stack 3):\n"
                        "  0000  CONST              0           ; 3:12 1\n"
                        "  0002  CONST              1           ; 3:16 2\n"
                        "  0004  DIV                            ; 3:12\n"
                        "  0005  RETURN                         ; 3:1\n");
    g_string_free(out, TRUE);
    wz_program_free(prog);
    wz_policy_free(p);
}

static void test_opcode_table_is_complete(void **state)
{
    (void)state;
    for (int op = 0; op < WZ_I__COUNT; op++) {
        assert_non_null(wz_opcodes[op].name);
        assert_non_null(wz_opcodes[op].meaning);
        assert_true(wz_opcodes[op].operands >= 0 && wz_opcodes[op].operands <= 4);
        assert_true(wz_opcodes[op].stack_effect >= -1 && wz_opcodes[op].stack_effect <= 1);
        for (int k = 0; k < op; k++) assert_string_not_equal(wz_opcodes[op].name, wz_opcodes[k].name);
    }
    assert_string_equal(wz_opcodes[WZ_I_NEXT].name, "NEXT");
    assert_int_equal(wz_opcodes[WZ_I_ITER].operands, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enum_filtered_sum_is_one_fused_instruction),
        cmocka_unit_test(test_opcode_table_is_complete),
        cmocka_unit_test(test_verifier_accepts_dongliu),
        cmocka_unit_test(test_verifier_accepts_every_construct),
        cmocka_unit_test(test_verifier_rejects_a_stray_backward_jump),
        cmocka_unit_test(test_verifier_rejects_stack_underflow_and_overflow),
        cmocka_unit_test(test_row_sum_is_an_iter_next_loop_marking_rows),
        cmocka_unit_test(test_free_allowance_loops_over_windows),
        cmocka_unit_test(test_and_or_short_circuit),
        cmocka_unit_test(test_population_aggregates_follow_the_values_they_read),
        cmocka_unit_test(test_disasm_one_line_per_instruction),
        cmocka_unit_test(test_disasm_instruction_shows_position_and_constant),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
