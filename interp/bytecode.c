/* bytecode.c — what an instruction is: the opcode table, the disassembler and
 * the verifier, all read from opcodes.def.
 *
 * The disassembler prints each operand by its kind letter; the verifier checks
 * each operand by its kind letter and the stack by the table's pops and
 * pushes.  Only what a letter cannot say — which opcodes open and close loops,
 * which need a current row — is spelled out here, in verify_scope().
 */
#include "bytecode.h"

#include <string.h>

#include "compile.h"

const wz_opcode_info wz_opcodes[WZ_I__COUNT] = {
#define X(name, kinds, pops, pushes, meaning) {#name, kinds, (int)sizeof(kinds) - 1, pops, pushes, meaning},
#include "opcodes.def"
#undef X
};

G_DEFINE_QUARK(wz-bytecode-error-quark, wz_bytecode_error)

static uint32_t word(const wz_chunk *ch, guint pc) { return g_array_index(ch->code, uint32_t, pc); }

static const wz_fact_schema *fact_at(const wz_program *prog, uint32_t f) {
    return g_ptr_array_index(prog->policy->facts, f);
}

static const char *field_name(const wz_program *prog, uint32_t fact, uint32_t field) {
    return ((const wz_field_schema *)g_ptr_array_index(fact_at(prog, fact)->fields, field))->name;
}

/* ---- disassembler ---------------------------------------------------------- */

static void print_value(const wz_value *v, GString *out) {
    switch (v->tag) {
    case WZ_V_MISSING: g_string_append(out, "missing"); break;
    case WZ_V_NUM: {
        char *s = wz_dec_to_fraction_string(v->d);
        g_string_append(out, s);
        g_free(s);
        break;
    }
    case WZ_V_BOOL: g_string_append(out, v->i ? "true" : "false"); break;
    case WZ_V_DATE: {
        char buf[11];
        wz_date_format((wz_date)v->i, buf);
        g_string_append(out, buf);
        break;
    }
    case WZ_V_TIER: g_string_append_printf(out, "tier %" G_GINT64_FORMAT, v->i); break;
    case WZ_V_STR: g_string_append_printf(out, "\"%s\"", v->s); break;
    default: g_string_append_printf(out, "#%" G_GINT64_FORMAT, v->i); break;
    }
}

/* What the operands mean, after "; line:col": names for indices, fact.field
 * for a fact's field, "-> PC" for a jump. */
static void print_operands(const wz_program *prog, const wz_chunk *ch, guint pc, GString *out) {
    const wz_policy *p = prog->policy;
    const wz_opcode_info *info = &wz_opcodes[word(ch, pc)];
    uint32_t fact = WZ_OPERAND_NONE;
    for (int i = 0; i < info->operands; i++) {
        uint32_t v = word(ch, pc + 1 + (guint)i);
        switch (info->kinds[i]) {
        case 'K':
            g_string_append_c(out, ' ');
            print_value(&g_array_index(ch->consts, wz_value, v), out);
            break;
        case 'P': g_string_append_printf(out, " %s", ((wz_param_decl *)g_ptr_array_index(p->params, v))->name); break;
        case 'D': g_string_append_printf(out, " %s", ((wz_def *)g_ptr_array_index(p->defs, v))->name); break;
        case 'T':
            fact = v;
            g_string_append_printf(out, " %s", fact_at(prog, v)->name);
            break;
        case 'F': g_string_append_printf(out, ".%s", field_name(prog, fact, v)); break;
        case 'O':   /* the value field (none: a count); an enum filter's field and members: the numbers say it */
            if (v != WZ_OPERAND_NONE && info->kinds[i - 1] == 'T') g_string_append_printf(out, ".%s", field_name(prog, fact, v));
            break;
        case 'J': case 'B': g_string_append_printf(out, " -> %04u", v); break;
        case 'W': g_string_append_printf(out, " %s", ((wz_window_group *)g_ptr_array_index(p->windows, v))->name); break;
        case 'A': g_string_append_printf(out, " %s", ((wz_ladder *)g_ptr_array_index(p->ladders, v))->name); break;
        case 'U': g_string_append_printf(out, " %s", ((wz_table *)g_ptr_array_index(p->tables, v))->name); break;
        default: break;   /* locals, maps, sharings, decides and immediates: the number says it */
        }
    }
}

guint wz_disasm_instruction(const wz_program *prog, const wz_chunk *ch, guint pc, GString *out) {
    const wz_opcode_info *info = &wz_opcodes[word(ch, pc)];
    uint32_t line = 0, col = 0;
    wz_source_position(ch->src, g_array_index(ch->spans, uint32_t, pc), &line, &col);
    g_string_append_printf(out, "  %04u  %-18s", pc, info->name);
    GString *ops = g_string_new(NULL);
    for (int i = 0; i < info->operands; i++) g_string_append_printf(ops, " %u", word(ch, pc + 1 + (guint)i));
    g_string_append_printf(out, "%-12s ; %u:%u", ops->str, line, col);
    g_string_free(ops, TRUE);
    print_operands(prog, ch, pc, out);
    g_string_append_c(out, '\n');
    return pc + 1 + (guint)info->operands;
}

void wz_chunk_disasm(const wz_program *prog, const wz_chunk *ch, GString *out) {
    g_string_append_printf(out, "%s (locals %d, stack %d):\n", ch->name, ch->nlocals, ch->max_stack);
    for (guint pc = 0; pc < ch->code->len;) pc = wz_disasm_instruction(prog, ch, pc, out);
}

void wz_program_disasm(const wz_program *prog, GString *out) {
    const wz_policy *p = prog->policy;
    g_string_append_printf(out, "; policy %s version %s\n", p->title, p->version);
    if (prog->period_start) {
        wz_chunk_disasm(prog, prog->period_start, out);
        wz_chunk_disasm(prog, prog->period_end, out);
    }
    for (guint w = 0; w < prog->split_chunks->len; w++) {
        GPtrArray *list = g_ptr_array_index(prog->split_chunks, w);
        for (guint k = 0; k < list->len; k++) wz_chunk_disasm(prog, g_ptr_array_index(list, k), out);
    }
    for (guint i = 0; i < prog->table_chunks->len; i++) wz_chunk_disasm(prog, g_ptr_array_index(prog->table_chunks, i), out);
    for (guint i = 0; i < p->order->len; i++) {
        int d = g_array_index(p->order, int, i);
        const wz_def *def = g_ptr_array_index(p->defs, d);
        g_string_append_printf(out, "\n; stratum %d%s\n", def->stratum, def->kind == WZ_DEF_POP_AGG ? ", population" : "");
        wz_chunk_disasm(prog, g_ptr_array_index(prog->def_chunks, d), out);
    }
    for (guint k = 0; k < prog->part_pools->len; k++) {   /* each part: its amount, its shares' weights */
        GPtrArray *weights = g_ptr_array_index(prog->part_weights, k);
        g_string_append_c(out, '\n');
        wz_chunk_disasm(prog, g_ptr_array_index(prog->part_pools, k), out);
        for (guint i = 0; i < weights->len; i++) wz_chunk_disasm(prog, g_ptr_array_index(weights, i), out);
    }
}

/* ---- verifier ---------------------------------------------------------------- */

/* What is known at an instruction's start, the same on every path to it. */
typedef struct vstate {
    int depth;                            /* values on the stack; -1: not reached yet */
    int loops;                            /* open row loops */
    bool window;                          /* inside a window loop */
    uint32_t facts[WZ_MAX_ROW_LOOPS];     /* each open row loop's fact, outermost first */
} vstate;

typedef struct verifier {
    const wz_program *prog;
    const wz_chunk *ch;
    bool global;
    guint len;
    bool *starts;          /* starts[pc]: an instruction starts at pc */
    GError **error;
} verifier;

/* Sets the error for the instruction at pc and returns false. */
G_GNUC_PRINTF(3, 4)
static bool reject(verifier *v, guint pc, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(v->error, WZ_BYTECODE_ERROR, 0, "chunk '%s' pc %u: %s", v->ch->name, pc, what);
    g_free(what);
    return false;
}

static guint size_of(const wz_program *prog, const wz_chunk *ch, char kind) {
    const wz_policy *p = prog->policy;
    switch (kind) {
    case 'K': return ch->consts->len;
    case 'P': return p->params->len;
    case 'D': return p->defs->len;
    case 'T': return p->facts->len;
    case 'L': return ch->nlocals > 0 ? (guint)ch->nlocals : 0;
    case 'W': return p->windows->len;
    case 'A': return p->ladders->len;
    case 'U': return p->tables->len;
    case 'E': return prog->tier_tables->len;
    case 'S': return prog->sharings->len;
    case 'C': return p->decides->len;
    default: return G_MAXUINT;
    }
}

static const char *kind_name(char kind) {
    switch (kind) {
    case 'K': return "constant";
    case 'P': return "param";
    case 'D': return "def";
    case 'T': return "fact";
    case 'L': return "local";
    case 'W': return "window group";
    case 'A': return "ladder";
    case 'U': return "table";
    case 'E': return "member map";
    case 'S': return "sharing";
    case 'C': return "decide";
    default: return "operand";
    }
}

/* The operands of the instruction at pc, each by its kind letter (all but R,
 * which needs to know the current row: verify_scope). */
static bool verify_operands(verifier *v, guint pc) {
    const wz_program *prog = v->prog;
    const wz_chunk *ch = v->ch;
    uint32_t op = word(ch, pc);
    const wz_opcode_info *info = &wz_opcodes[op];
    guint next = pc + 1 + (guint)info->operands;
    uint32_t fact = WZ_OPERAND_NONE;
    for (int i = 0; i < info->operands; i++) {
        char k = info->kinds[i];
        uint32_t a = word(ch, pc + 1 + (guint)i);
        switch (k) {
        case 'K': case 'P': case 'D': case 'T': case 'L': case 'W': case 'A': case 'U': case 'E': case 'S': case 'C':
            if (a >= size_of(prog, ch, k))
                return reject(v, pc, "%s operand %d: %s %u of %u", info->name, i + 1, kind_name(k), a, size_of(prog, ch, k));
            break;
        case 'F': case 'O':
            if (k == 'O' && a == WZ_OPERAND_NONE) break;
            if (a >= fact_at(prog, fact)->fields->len)
                return reject(v, pc, "%s operand %d: field %u of fact %s, which has %u", info->name, i + 1, a,
                              fact_at(prog, fact)->name, fact_at(prog, fact)->fields->len);
            break;
        case 'J': case 'B': {
            if (a >= v->len || !v->starts[a])
                return reject(v, pc, "%s: jump target %u is not an instruction of the chunk", info->name, a);
            bool backward = a <= pc;
            if (backward != (k == 'B'))
                return reject(v, pc, "%s jumps %s to %u", info->name, backward ? "backward" : "forward", a);
            if (k == 'B') {
                /* a loop: B's target is the body just after the opener, whose exit (its J) is just after B */
                uint32_t opener = op == WZ_I_NEXT ? WZ_I_ITER : WZ_I_WIN_BEGIN;
                guint at = a - 1 - (guint)wz_opcodes[opener].operands;
                /* a group's rows (ITER_SHARING) close with NEXT too; its operands are as many as ITER's */
                bool opened = at < v->len && (word(ch, at) == opener || (op == WZ_I_NEXT && word(ch, at) == WZ_I_ITER_SHARING));
                if (a < 1u + (guint)wz_opcodes[opener].operands || !v->starts[at] || !opened ||
                    word(ch, a - 1) != next)
                    return reject(v, pc, "%s does not close a loop opened by %s", info->name, wz_opcodes[opener].name);
            }
            break;
        }
        case 'n': if (a > 30) return reject(v, pc, "%s to %u places (at most 30)", info->name, a); break;
        case 'h': if (a < 1 || a > 100) return reject(v, pc, "%s %u periods back (1 to 100)", info->name, a); break;
        case 'm': if (a > WZ_ROUND_CEIL) return reject(v, pc, "%s: rounding mode %u", info->name, a); break;
        default: break;   /* R: verify_scope; x: any set */
        }
        if (k == 'T') fact = a;
        /* a decide's options' conditions: n locals from the L after C */
        if (k == 'L' && i > 0 && info->kinds[i - 1] == 'C') {
            const wz_decide *d = g_ptr_array_index(prog->policy->decides, word(ch, pc + (guint)i));
            if (a + d->n > (guint)ch->nlocals)
                return reject(v, pc, "%s: locals %u..%u of %d", info->name, a, a + d->n - 1, ch->nlocals);
        }
        /* a global chunk runs with no entity: no rows, no per-entity value */
        if (v->global && k == 'T') return reject(v, pc, "global chunk reads a person's rows (%s)", info->name);
        if (v->global && k == 'D') {
            const wz_def *d = g_ptr_array_index(prog->policy->defs, a);
            if (d->kind != WZ_DEF_POP_AGG) return reject(v, pc, "global chunk reads per-person def %s", d->name);
        }
    }
    if (v->global && op == WZ_I_ENTITY_KEY) return reject(v, pc, "global chunk reads an entity's key");
    return true;
}

/* Row loops and window scope: what the instruction needs, and the state it
 * leaves when it falls through (*next).  A jump leaves the scope as it was: a
 * loop not entered (ITER, WIN_BEGIN), or entered again (NEXT, WIN_NEXT). */
static bool verify_scope(verifier *v, guint pc, const vstate *s, vstate *next) {
    const wz_chunk *ch = v->ch;
    uint32_t op = word(ch, pc);
    const wz_opcode_info *info = &wz_opcodes[op];
    uint32_t row_fact = s->loops > 0 ? s->facts[s->loops - 1] : WZ_OPERAND_NONE;
    for (int i = 0; i < info->operands; i++) {
        if (info->kinds[i] != 'R') continue;
        uint32_t a = word(ch, pc + 1 + (guint)i);
        if (s->loops < 1) return reject(v, pc, "%s outside a row loop", info->name);
        if (a >= fact_at(v->prog, row_fact)->fields->len)
            return reject(v, pc, "%s: field %u of fact %s, which has %u", info->name, a, fact_at(v->prog, row_fact)->name,
                          fact_at(v->prog, row_fact)->fields->len);
    }
    switch (op) {
    case WZ_I_MARK: case WZ_I_MARK_IF_NONZERO: case WZ_I_TIER_KEEP: case WZ_I_ITEM: case WZ_I_ROW_LINE:
        if (s->loops < 1) return reject(v, pc, "%s outside a row loop", info->name);
        break;
    case WZ_I_SHARING: {
        const wz_sharing_info *si = &g_array_index(v->prog->sharings, wz_sharing_info, word(ch, pc + 1));
        if (s->loops < 1 || row_fact != (uint32_t)si->fact)
            return reject(v, pc, "SHARING outside a loop over the rows of %s", fact_at(v->prog, (uint32_t)si->fact)->name);
        break;
    }
    case WZ_I_ITER_SHARING: {   /* a loop over the current row's group: inside a loop over that fact */
        const wz_sharing_info *si = &g_array_index(v->prog->sharings, wz_sharing_info, word(ch, pc + 1));
        if (s->loops < 1 || row_fact != (uint32_t)si->fact || !si->rows)
            return reject(v, pc, "ITER_SHARING outside a loop over the rows of %s", fact_at(v->prog, (uint32_t)si->fact)->name);
        if (s->loops == WZ_MAX_ROW_LOOPS) return reject(v, pc, "row loops nested %d deep", s->loops + 1);
        next->facts[next->loops++] = (uint32_t)si->fact;
        break;
    }
    case WZ_I_ITER:
        if (s->loops == WZ_MAX_ROW_LOOPS) return reject(v, pc, "row loops nested %d deep", s->loops + 1);
        next->facts[next->loops++] = word(ch, pc + 1);
        break;
    case WZ_I_NEXT:
        if (s->loops < 1) return reject(v, pc, "NEXT outside a row loop");
        next->loops--;
        next->facts[next->loops] = 0;
        break;
    case WZ_I_WIN_BEGIN:
        if (s->window) return reject(v, pc, "nested window loop");
        next->window = true;
        break;
    case WZ_I_WIN_NEXT:
        if (!s->window) return reject(v, pc, "WIN_NEXT outside a window loop");
        next->window = false;
        break;
    case WZ_I_RETURN:
        if (s->depth != 1) return reject(v, pc, "RETURN with %d values on the stack", s->depth);
        if (s->loops || s->window) return reject(v, pc, "RETURN inside a loop");
        break;
    default: break;
    }
    return true;
}

static bool same_state(const vstate *a, const vstate *b) {
    return a->depth == b->depth && a->loops == b->loops && a->window == b->window &&
           memcmp(a->facts, b->facts, sizeof a->facts) == 0;
}

/* Abstract interpretation from pc 0 over every path: stack depth, row loops, window scope. */
static bool verify_flow(verifier *v) {
    const wz_chunk *ch = v->ch;
    vstate *st = g_new0(vstate, v->len);
    GArray *work = g_array_new(FALSE, FALSE, sizeof(guint));
    bool ok = true;
    for (guint i = 0; i < v->len; i++) st[i].depth = -1;
    st[0].depth = 0;
    guint pc = 0;
    g_array_append_val(work, pc);
    while (ok && work->len) {
        pc = g_array_index(work, guint, work->len - 1);
        g_array_set_size(work, work->len - 1);
        vstate s = st[pc];
        uint32_t op = word(ch, pc);
        const wz_opcode_info *info = &wz_opcodes[op];
        if (s.depth < info->pops) {
            ok = reject(v, pc, "%s reads %d value%s with %d on the stack", info->name, info->pops, info->pops == 1 ? "" : "s", s.depth);
            break;
        }
        vstate next = s, jumped = s;
        next.depth = jumped.depth = s.depth - info->pops + info->pushes;
        if (next.depth > ch->max_stack) {
            ok = reject(v, pc, "stack depth %d exceeds max_stack %d", next.depth, ch->max_stack);
            break;
        }
        if (!(ok = verify_scope(v, pc, &s, &next))) break;
        guint succ[2];
        const vstate *succ_st[2];
        int nsucc = 0;
        if (op != WZ_I_JUMP && op != WZ_I_RETURN) {
            guint after = pc + 1 + (guint)info->operands;
            if (after >= v->len) {
                ok = reject(v, pc, "execution runs off the end of the chunk");
                break;
            }
            succ[nsucc] = after;
            succ_st[nsucc++] = &next;
        }
        for (int i = 0; i < info->operands; i++)
            if (info->kinds[i] == 'J' || info->kinds[i] == 'B') {
                succ[nsucc] = word(ch, pc + 1 + (guint)i);
                succ_st[nsucc++] = &jumped;
            }
        for (int k = 0; ok && k < nsucc; k++) {
            vstate *have = &st[succ[k]];
            if (have->depth < 0) {
                *have = *succ_st[k];
                g_array_append_val(work, succ[k]);
            } else if (!same_state(have, succ_st[k])) {
                ok = reject(v, pc, "paths join at %u with different states: depth %d/%d, row loops %d/%d, window %d/%d",
                            succ[k], have->depth, succ_st[k]->depth, have->loops, succ_st[k]->loops, have->window,
                            succ_st[k]->window);
            }
        }
    }
    g_array_free(work, TRUE);
    g_free(st);
    return ok;
}

gboolean wz_chunk_verify(const wz_program *prog, const wz_chunk *ch, gboolean global, GError **error) {
    verifier v = {.prog = prog, .ch = ch, .global = global, .len = ch->code->len, .error = error};
    guint pc = 0, last = 0;
    bool ok = true;
    if (v.len == 0) return reject(&v, 0, "empty chunk");
    if (ch->spans->len != v.len) return reject(&v, 0, "%u spans for %u code words", ch->spans->len, v.len);
    if (ch->max_stack < 1) return reject(&v, 0, "max_stack %d", ch->max_stack);
    v.starts = g_new0(bool, v.len);
    for (pc = 0; ok && pc < v.len; pc += 1 + (guint)wz_opcodes[word(ch, pc)].operands) {
        uint32_t op = word(ch, pc);
        if (op >= WZ_I__COUNT) ok = reject(&v, pc, "invalid opcode %u", op);
        else if (pc + 1 + (guint)wz_opcodes[op].operands > v.len) ok = reject(&v, pc, "%s runs past the end", wz_opcodes[op].name);
        else v.starts[pc] = true;
        last = pc;
        if (!ok) break;
    }
    if (ok && word(ch, last) != WZ_I_RETURN) ok = reject(&v, last, "the chunk does not end in RETURN");
    for (pc = 0; ok && pc < v.len; pc += 1 + (guint)wz_opcodes[word(ch, pc)].operands) ok = verify_operands(&v, pc);
    if (ok) ok = verify_flow(&v);
    g_free(v.starts);
    return ok;
}

gboolean wz_program_verify(const wz_program *prog, GError **error) {
    for (guint d = 0; d < prog->def_chunks->len; d++)
        if (!wz_chunk_verify(prog, g_ptr_array_index(prog->def_chunks, d), FALSE, error)) return FALSE;
    if (prog->period_start && (!wz_chunk_verify(prog, prog->period_start, TRUE, error) ||
                               !wz_chunk_verify(prog, prog->period_end, TRUE, error)))
        return FALSE;
    for (guint w = 0; w < prog->split_chunks->len; w++) {
        GPtrArray *list = g_ptr_array_index(prog->split_chunks, w);
        for (guint k = 0; k < list->len; k++)
            if (!wz_chunk_verify(prog, g_ptr_array_index(list, k), TRUE, error)) return FALSE;
    }
    for (guint k = 0; k < prog->part_pools->len; k++) {
        GPtrArray *weights = g_ptr_array_index(prog->part_weights, k);
        if (!wz_chunk_verify(prog, g_ptr_array_index(prog->part_pools, k), TRUE, error)) return FALSE;
        for (guint i = 0; i < weights->len; i++)
            if (!wz_chunk_verify(prog, g_ptr_array_index(weights, i), TRUE, error)) return FALSE;
    }
    for (guint i = 0; i < prog->table_chunks->len; i++)
        if (!wz_chunk_verify(prog, g_ptr_array_index(prog->table_chunks, i), TRUE, error)) return FALSE;
    return TRUE;
}
