/* test_bytecode.c — the instruction set (interp/bytecode.c): the opcode
 * table, the verifier and the disassembler.
 *
 * The verifier must accept every chunk of every shipped policy (policies/,
 * tests/policies/) and of small policies using every construct, and must
 * reject bad code with the reason: chunks compiled and then broken, and chunks
 * built by hand.  The disassembler prints one line per instruction, each
 * operand named by its kind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "bytecode.h"
#include "check.h"
#include "compile.h"
#include "compile_fixtures.h"

/* ---- helpers -------------------------------------------------------------- */

/* The verifier's message for a chunk, or NULL when it is sound; caller frees. */
static char *check_chunk(const wz_program *prog, const wz_chunk *ch, bool global)
{
    GError *err = NULL;
    if (wz_chunk_verify(prog, ch, global, &err)) return NULL;
    char *msg = g_strdup(err->message);
    g_error_free(err);
    return msg;
}

static void verify_chunk(const wz_program *prog, const wz_chunk *ch, bool global)
{
    char *err = check_chunk(prog, ch, global);
    if (err) fail_msg("%s", err);
}

static void expect_rejected_as(const wz_program *prog, const wz_chunk *ch, bool global, const char *why)
{
    char *err = check_chunk(prog, ch, global);
    if (!err || !strstr(err, why)) fail_msg("expected '%s', got '%s'", why, err ? err : "(accepted)");
    g_free(err);
}

static void expect_rejected(const wz_program *prog, const wz_chunk *ch, const char *why)
{
    expect_rejected_as(prog, ch, false, why);
}

/* Verifies every chunk of a program, each as its kind (a def's chunk runs per
 * entity, the others with none); returns the number of chunks. */
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
    GError *err = NULL;
    if (!wz_program_verify(prog, &err)) fail_msg("%s", err->message);
    return n;
}

/* A chunk built by hand: the code given, constants 1 and 2, nlocals locals. */
static wz_chunk *hand_chunk(const wz_program *prog, const uint32_t *code, guint n, int nlocals, int max_stack)
{
    wz_chunk *ch = g_new0(wz_chunk, 1);
    ch->name = g_strdup("hand");
    ch->src = prog->policy->src;
    ch->code = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    g_array_append_vals(ch->code, code, n);
    ch->spans = g_array_new(FALSE, TRUE, sizeof(uint32_t));
    g_array_set_size(ch->spans, n);
    ch->consts = g_array_new(FALSE, FALSE, sizeof(wz_value));
    wz_value one = wz_num(WZ_DEC_ONE), two = wz_num(wz_dec_from_int(2));
    g_array_append_val(ch->consts, one);
    g_array_append_val(ch->consts, two);
    ch->nlocals = nlocals;
    ch->max_stack = max_stack;
    return ch;
}

static void hand_chunk_free(wz_chunk *ch)
{
    g_free(ch->name);
    g_array_free(ch->code, TRUE);
    g_array_free(ch->spans, TRUE);
    g_array_free(ch->consts, TRUE);
    g_free(ch);
}

#define HAND(prog, nlocals, max_stack, ...) \
    hand_chunk(prog, (const uint32_t[]){__VA_ARGS__}, G_N_ELEMENTS(((const uint32_t[]){__VA_ARGS__})), nlocals, max_stack)

/* ---- the opcode table ----------------------------------------------------- */

static void test_opcode_table_is_complete(void **state)
{
    (void)state;
    for (int op = 0; op < WZ_I__COUNT; op++) {
        const wz_opcode_info *info = &wz_opcodes[op];
        assert_non_null(info->name);
        assert_non_null(info->meaning);
        assert_int_equal(info->operands, (int)strlen(info->kinds));
        assert_true(info->operands <= 4);
        assert_true(info->pops >= 0 && info->pops <= 2);
        assert_true(info->pushes >= 0 && info->pushes <= 1);
        for (int i = 0; i < info->operands; i++) {
            char k = info->kinds[i];
            if (!strchr("KPDTFORLJBWAUESCnhmx", k)) fail_msg("%s: operand kind '%c'", info->name, k);
            /* a field names a field of the fact just before it (O: or of the one before that) */
            if (k == 'F') assert_true(i > 0 && info->kinds[i - 1] == 'T');
            if (k == 'O') assert_true(i > 0 && (info->kinds[i - 1] == 'T' || info->kinds[i - 1] == 'O'));
            if (k == 'B') assert_true(op == WZ_I_NEXT || op == WZ_I_WIN_NEXT);
        }
        for (int k = 0; k < op; k++) assert_string_not_equal(info->name, wz_opcodes[k].name);
    }
    assert_string_equal(wz_opcodes[WZ_I_NEXT].name, "NEXT");
    assert_int_equal(wz_opcodes[WZ_I_ITER].operands, 2);
    /* the stack effects the VM has (vm.c): SUM_ROWS and DECIDE push one value
     * and pop none; a KEEP jump looks at the top and leaves it */
    assert_int_equal(wz_opcodes[WZ_I_SUM_ROWS].pops, 0);
    assert_int_equal(wz_opcodes[WZ_I_SUM_ROWS].pushes, 1);
    assert_int_equal(wz_opcodes[WZ_I_DECIDE].pops, 0);
    assert_int_equal(wz_opcodes[WZ_I_DECIDE].pushes, 1);
    assert_int_equal(wz_opcodes[WZ_I_JUMP_IF_TRUE_KEEP].pops, 1);
    assert_int_equal(wz_opcodes[WZ_I_JUMP_IF_TRUE_KEEP].pushes, 1);
    assert_int_equal(wz_opcodes[WZ_I_RETURN].pops, 1);
    assert_int_equal(wz_opcodes[WZ_I_RETURN].pushes, 0);
}

/* ---- the verifier over programs ------------------------------------------- */

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

/* Every chunk of every policy we ship verifies (a Debug build also checks
 * each one as it compiles it; this test runs in every build). */
static void test_every_shipped_policy_verifies(void **state)
{
    (void)state;
    const char *const dirs[] = {WZ_SOURCE_DIR "/policies", WZ_SOURCE_DIR "/tests/policies"};
    guint files = 0;
    for (guint i = 0; i < G_N_ELEMENTS(dirs); i++) {
        GDir *dir = g_dir_open(dirs[i], 0, NULL);
        assert_non_null(dir);
        for (const char *f; (f = g_dir_read_name(dir));) {
            if (!g_str_has_suffix(f, ".wz")) continue;
            char *path = g_build_filename(dirs[i], f, NULL);
            wz_diags *d = wz_diags_new(0);
            wz_policy *p = wz_policy_load(path, d);
            if (!p) fail_msg("%s does not load", path);
            wz_program *prog = wz_compile(p);
            assert_true(verify_program(prog) >= p->defs->len);
            verify_order(prog);
            wz_program_free(prog);
            wz_policy_free(p);
            wz_diags_free(d);
            g_free(path);
            files++;
        }
        g_dir_close(dir);
    }
    assert_true(files >= 9);
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
    g_array_index(ch->code, uint32_t, (guint)ret) = WZ_I_NOT;   /* would fall off the end */
    expect_rejected(prog, ch, "does not end in RETURN");
    wz_program_free(prog);
    wz_policy_free(p);
}

/* Chunks built by hand, each wrong in one way, in the context of KITCHEN's
 * program (facts staff, leave, extra, disc; five params; one ladder). */
static void test_verifier_rejects_hand_built_chunks(void **state)
{
    (void)state;
    wz_policy *p = load(KITCHEN);
    wz_program *prog = wz_compile(p);
    const struct {
        wz_chunk *ch;
        bool global;
        const char *why;
    } cases[] = {
        /* sound: 1 + 2 */
        {HAND(prog, 0, 2, WZ_I_CONST, 0, WZ_I_CONST, 1, WZ_I_ADD, WZ_I_RETURN), false, NULL},
        /* bad jump targets: into an operand, past the end */
        {HAND(prog, 0, 2, WZ_I_CONST, 0, WZ_I_JUMP_IF_FALSE, 3, WZ_I_CONST, 1, WZ_I_RETURN), false,
         "chunk 'hand' pc 2: JUMP_IF_FALSE: jump target 3 is not an instruction of the chunk"},
        {HAND(prog, 0, 2, WZ_I_CONST, 0, WZ_I_JUMP, 99, WZ_I_RETURN), false,
         "pc 2: JUMP: jump target 99 is not an instruction of the chunk"},
        /* a jump backward that is not a loop's */
        {HAND(prog, 0, 2, WZ_I_CONST, 0, WZ_I_JUMP_IF_TRUE_KEEP, 0, WZ_I_RETURN), false,
         "pc 2: JUMP_IF_TRUE_KEEP jumps backward to 0"},
        /* NEXT without its ITER */
        {HAND(prog, 0, 2, WZ_I_CONST, 0, WZ_I_NEXT, 0, WZ_I_RETURN), false, "pc 2: NEXT does not close a loop opened by ITER"},
        /* stack underflow */
        {HAND(prog, 0, 2, WZ_I_CONST, 0, WZ_I_ADD, WZ_I_RETURN), false, "pc 2: ADD reads 2 values with 1 on the stack"},
        {HAND(prog, 0, 2, WZ_I_RETURN), false, "pc 0: RETURN reads 1 value with 0 on the stack"},
        /* more than max_stack */
        {HAND(prog, 0, 1, WZ_I_CONST, 0, WZ_I_CONST, 1, WZ_I_ADD, WZ_I_RETURN), false,
         "pc 2: stack depth 2 exceeds max_stack 1"},
        /* operands out of range */
        {HAND(prog, 0, 2, WZ_I_CONST, 2, WZ_I_RETURN), false, "pc 0: CONST operand 1: constant 2 of 2"},
        {HAND(prog, 0, 2, WZ_I_PARAM, 5, WZ_I_RETURN), false, "pc 0: PARAM operand 1: param 5 of 5"},
        {HAND(prog, 0, 2, WZ_I_DEF, 100000, WZ_I_RETURN), false, "pc 0: DEF operand 1: def 100000 of"},
        {HAND(prog, 0, 2, WZ_I_LOAD, 0, WZ_I_RETURN), false, "pc 0: LOAD operand 1: local 0 of 0"},
        {HAND(prog, 0, 2, WZ_I_PFIELD, 0, 3, WZ_I_RETURN), false, "pc 0: PFIELD operand 2: field 3 of fact staff, which has 3"},
        {HAND(prog, 0, 2, WZ_I_HAS_ROW, 4, WZ_I_RETURN), false, "pc 0: HAS_ROW operand 1: fact 4 of 4"},
        {HAND(prog, 0, 2, WZ_I_CONST, 0, WZ_I_LADDER_CUT, 1, WZ_I_RETURN), false, "pc 2: LADDER_CUT operand 1: ladder 1 of 1"},
        {HAND(prog, 0, 2, WZ_I_CONST, 0, WZ_I_ROUND, 31, 0, WZ_I_RETURN), false, "pc 2: ROUND to 31 places"},
        {HAND(prog, 0, 2, WZ_I_CONST, 0, WZ_I_ROUND, 2, 99, WZ_I_RETURN), false, "pc 2: ROUND: rounding mode 99"},
        {HAND(prog, 0, 2, WZ_I_SUM_ROWS, 1, 9, WZ_OPERAND_NONE, 0, WZ_I_RETURN), false, "SUM_ROWS operand 2: field 9 of fact leave"},
        /* a row's field outside a loop over rows, and one its fact does not have */
        {HAND(prog, 0, 2, WZ_I_RFIELD, 0, WZ_I_RETURN), false, "pc 0: RFIELD outside a row loop"},
        /* a `for each` rule's incidents: recorded inside a loop over rows only (issue 15.2) */
        {HAND(prog, 1, 2, WZ_I_CONST, 0, WZ_I_STORE, 0, WZ_I_ITER, 1, 13, WZ_I_CONST, 0, WZ_I_ITEM, 0, WZ_I_NEXT, 7,
              WZ_I_LOAD, 0, WZ_I_RETURN), false, NULL},
        {HAND(prog, 1, 2, WZ_I_CONST, 0, WZ_I_ITEM, 0, WZ_I_CONST, 0, WZ_I_RETURN), false, "pc 2: ITEM outside a row loop"},
        {HAND(prog, 1, 2, WZ_I_ROW_LINE, WZ_I_RETURN), false, "pc 0: ROW_LINE outside a row loop"},
        {HAND(prog, 1, 2, WZ_I_CONST, 0, WZ_I_TIER_KEEP, 0, WZ_I_CONST, 0, WZ_I_RETURN), false, "pc 2: TIER_KEEP outside a row loop"},
        {HAND(prog, 0, 2, WZ_I_CONST, 0, WZ_I_TIER_OF, 999, WZ_I_RETURN), false, "pc 2: TIER_OF operand 1: member map 999 of"},
        {HAND(prog, 0, 2, WZ_I_CONST, 0, WZ_I_ITER, 1, 10, WZ_I_RFIELD, 4, WZ_I_POP, WZ_I_NEXT, 5, WZ_I_RETURN), false,
         "pc 5: RFIELD: field 4 of fact leave, which has 4"},
        /* two paths into pc 6 with different depths */
        {HAND(prog, 0, 2, WZ_I_CONST, 0, WZ_I_JUMP_IF_FALSE_KEEP, 6, WZ_I_CONST, 1, WZ_I_RETURN), false,
         "paths join at 6 with different states: depth 1/2"},
        /* RETURN with more than the result */
        {HAND(prog, 0, 2, WZ_I_CONST, 0, WZ_I_CONST, 1, WZ_I_RETURN), false, "pc 4: RETURN with 2 values on the stack"},
        /* no RETURN at the end, or running off it */
        {HAND(prog, 0, 2, WZ_I_CONST, 0, WZ_I_NOT), false, "pc 2: the chunk does not end in RETURN"},
        /* a RETURN inside a loop over rows */
        {HAND(prog, 0, 2, WZ_I_ITER, 1, 8, WZ_I_CONST, 0, WZ_I_RETURN, WZ_I_NEXT, 3, WZ_I_CONST, 0, WZ_I_RETURN), false,
         "pc 5: RETURN inside a loop"},
        /* an opcode past the table, an instruction cut short */
        {HAND(prog, 0, 2, WZ_I__COUNT, WZ_I_RETURN), false, "pc 0: invalid opcode"},
        {HAND(prog, 0, 2, WZ_I_RETURN, WZ_I_SUM_ROWS, 0), false, "pc 1: SUM_ROWS runs past the end"},
        /* a global chunk (no entity) reading rows or an entity's values */
        {HAND(prog, 0, 2, WZ_I_PFIELD, 0, 0, WZ_I_RETURN), true, "pc 0: global chunk reads a person's rows (PFIELD)"},
        {HAND(prog, 0, 2, WZ_I_ENTITY_KEY, WZ_I_RETURN), true, "pc 0: global chunk reads an entity's key"},
        {HAND(prog, 0, 2, WZ_I_DEF, (uint32_t)wz_policy_find_def(p, "age"), WZ_I_RETURN), true,
         "pc 0: global chunk reads per-person def age"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        if (cases[i].why) expect_rejected_as(prog, cases[i].ch, cases[i].global, cases[i].why);
        else verify_chunk(prog, cases[i].ch, cases[i].global);
        hand_chunk_free(cases[i].ch);
    }
    wz_program_free(prog);
    wz_policy_free(p);
}

/* ---- the disassembler ----------------------------------------------------- */

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

/* Operands are named by their kind: jumps print their target, ladders and
 * window groups their names. */
static void test_disasm_names_operands_by_kind(void **state)
{
    (void)state;
    wz_policy *p = load(KITCHEN);
    wz_program *prog = wz_compile(p);
    GString *all = g_string_new(NULL);
    wz_program_disasm(prog, all);
    bool jump = false, ladder = false, window = false, loop = false;
    char **lines = g_strsplit(all->str, "\n", -1);
    for (char **l = lines; *l; l++) {
        char *target = NULL;
        if (strstr(*l, " JUMP ") && (target = strstr(*l, " -> "))) {
            /* the note repeats the operand: "JUMP  12 ; 3:4 -> 0012" */
            unsigned op = 0, to = 0;
            assert_int_equal(sscanf(strstr(*l, " JUMP ") + 6, "%u", &op), 1);
            assert_int_equal(sscanf(target + 4, "%u", &to), 1);
            assert_int_equal(op, to);
            jump = true;
        }
        if (strstr(*l, " LADDER_CUT ") && g_str_has_suffix(*l, " L")) ladder = true;
        if (strstr(*l, " WIN_BEGIN ") && strstr(*l, " semester -> ")) window = true;
        if (strstr(*l, " ITER ") && strstr(*l, " leave -> ")) loop = true;
    }
    g_strfreev(lines);
    assert_true(jump && ladder && window && loop);
    g_string_free(all, TRUE);
    wz_program_free(prog);
    wz_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_opcode_table_is_complete),
        cmocka_unit_test(test_verifier_accepts_dongliu),
        cmocka_unit_test(test_verifier_accepts_every_construct),
        cmocka_unit_test(test_every_shipped_policy_verifies),
        cmocka_unit_test(test_verifier_rejects_a_stray_backward_jump),
        cmocka_unit_test(test_verifier_rejects_stack_underflow_and_overflow),
        cmocka_unit_test(test_verifier_rejects_hand_built_chunks),
        cmocka_unit_test(test_disasm_one_line_per_instruction),
        cmocka_unit_test(test_disasm_instruction_shows_position_and_constant),
        cmocka_unit_test(test_disasm_names_operands_by_kind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
