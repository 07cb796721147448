/* compile.c — lowers checked defs to stack bytecode (opcodes.def).
 *
 * The checker has resolved every name and type, so compilation cannot fail:
 * each expression form maps to a fixed instruction pattern.  Aggregates over
 * a person's rows become bounded ITER/NEXT loops; per-window sums become
 * WIN_BEGIN/WIN_NEXT loops; nothing else jumps backward.
 */
#include "compile.h"

#include <string.h>

typedef struct emitter {
    wz_program *prog;
    wz_chunk *ch;
    int depth, max_depth;
    const wz_node *inlined_at;   /* compiling a constant let in place of this reference: its span for all */
} emitter;

static wz_chunk *chunk_new(const char *name) {
    wz_chunk *c = g_new0(wz_chunk, 1);
    c->name = g_strdup(name);
    c->code = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    c->spans = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    c->consts = g_array_new(FALSE, FALSE, sizeof(wz_value));
    return c;
}

static void chunk_free(gpointer p) {
    wz_chunk *c = p;
    if (!c) return;
    g_free(c->name);
    g_array_free(c->code, TRUE);
    g_array_free(c->spans, TRUE);
    g_array_free(c->consts, TRUE);
    g_free(c);
}

static guint here(emitter *e) { return e->ch->code->len; }

/* Emits an opcode and its operands; returns the pc of the opcode. */
static guint emit(emitter *e, const wz_node *at, wz_opcode op, ...) {
    guint pc = here(e);
    if (e->inlined_at) at = e->inlined_at;   /* the let may be in another file than the chunk */
    uint32_t word = op, span = at ? at->span.start : 0;
    g_array_append_val(e->ch->code, word);
    g_array_append_val(e->ch->spans, span);
    va_list ap;
    va_start(ap, op);
    for (int i = 0; i < wz_opcodes[op].operands; i++) {
        word = va_arg(ap, uint32_t);
        g_array_append_val(e->ch->code, word);
        g_array_append_val(e->ch->spans, span);
    }
    va_end(ap);
    e->depth += wz_opcodes[op].pushes - wz_opcodes[op].pops;
    if (e->depth > e->max_depth) e->max_depth = e->depth;
    return pc;
}

/* Points operand `k` of the instruction at pc to the current position. */
static void patch(emitter *e, guint pc, int k) { g_array_index(e->ch->code, uint32_t, pc + 1 + k) = here(e); }

static uint32_t konst(emitter *e, wz_value v) {
    g_array_append_val(e->ch->consts, v);
    return e->ch->consts->len - 1;
}

static uint32_t local(emitter *e) { return (uint32_t)e->ch->nlocals++; }

static void emit_const(emitter *e, const wz_node *at, wz_value v) { emit(e, at, WZ_I_CONST, konst(e, v)); }

static void expr(emitter *e, const wz_node *n);

/* Whether `where` only keeps rows whose enum field is one of some labels
 * (kind == 病假, kind in (病假, 事假), or an `or` of those on one field);
 * then *field and *mask say which. */
static bool enum_filter(const wz_node *w, uint32_t *field, uint32_t *mask) {
    if (w->kind == WZ_N_BINARY && w->op == WZ_OP_OR)
        return enum_filter(wz_node_kid(w, 0), field, mask) && enum_filter(wz_node_kid(w, 1), field, mask);
    const wz_node *f = NULL;
    const wz_node *one[2] = {NULL, NULL};
    guint first = 0, count = 0;
    if (w->kind == WZ_N_BINARY && w->op == WZ_OP_EQ) {
        const wz_node *a = wz_node_kid(w, 0), *b = wz_node_kid(w, 1);
        f = a->ref_kind == WZ_REF_ROW_FIELD ? a : b;
        one[0] = f == a ? b : a;
        count = 1;
    } else if (w->kind == WZ_N_IN) {
        f = wz_node_kid(w, 0);
        first = 1;
        count = wz_node_nkids(w) - 1;
    } else {
        return false;
    }
    if (f->kind != WZ_N_FIELD_REF || f->ref_kind != WZ_REF_ROW_FIELD || f->type != WZ_T_ENUM || f->maybe) return false;
    /* SUM_ROWS tests a row's member as a bit of a 32-bit mask: an enum with more members
     * takes the general loop (a shift by 32 or more is undefined; x86 took member 35 for 3) */
    if (!f->type_ref || wz_node_nkids(f->type_ref) > 32) return false;
    if (*field != WZ_OPERAND_NONE && *field != (uint32_t)f->ref_index2) return false;
    *field = (uint32_t)f->ref_index2;
    for (guint i = 0; i < count; i++) {
        const wz_node *l = w->kind == WZ_N_IN ? wz_node_kid(w, first + i) : one[0];
        if (l->ref_kind != WZ_REF_LABEL || l->ref_index2 < 0 || l->ref_index2 >= 32) return false;
        *mask |= 1u << l->ref_index2;
    }
    return true;
}

/* sum(fact.field [where enum filter]) and count(fact [where enum filter]) —
 * the shape of most deduction rules — run as one instruction that loops in C
 * over the person's rows; anything else becomes a general ITER/NEXT loop. */
static bool fused_row_aggregate(emitter *e, const wz_node *n) {
    const wz_node *arg = wz_node_kid(n, 0), *where = wz_node_kid(n, 1);
    uint32_t field = WZ_OPERAND_NONE, filter_field = WZ_OPERAND_NONE, mask = 0;
    if (n->op == WZ_AGG_SUM) {
        if (arg->kind != WZ_N_FIELD_REF || arg->ref_kind != WZ_REF_ROW_FIELD || arg->maybe) return false;
        if (arg->type != WZ_T_NUMBER && arg->type != WZ_T_INT) return false;
        field = (uint32_t)arg->ref_index2;
    } else if (n->op != WZ_AGG_COUNT) {
        return false;
    }
    if (where && !enum_filter(where, &filter_field, &mask)) return false;
    emit(e, n, WZ_I_SUM_ROWS, (uint32_t)n->ref_index, field, filter_field, mask);
    return true;
}

/* Whether n reads a group's rows (`sharing … where`), which cite every row they read. */
static bool reads_group_rows(const wz_node *n) {
    if (!n) return false;
    if (n->kind == WZ_N_SHARING && wz_node_kid(n, 1)) return true;
    for (guint i = 0; i < wz_node_nkids(n); i++)
        if (reads_group_rows(wz_node_kid(n, i))) return true;
    return false;
}

/* sum/count/min/max/avg over the current person's rows of one fact. */
static void row_aggregate(emitter *e, const wz_node *n) {
    const wz_node *arg = wz_node_kid(n, 0), *where = wz_node_kid(n, 1);
    if (fused_row_aggregate(e, n)) return;
    uint32_t acc = local(e), cnt = local(e);
    emit_const(e, n, n->op == WZ_AGG_MIN || n->op == WZ_AGG_MAX ? wz_missing() : wz_num(WZ_DEC_ZERO));
    emit(e, n, WZ_I_STORE, acc);
    if (n->op == WZ_AGG_AVG) {
        emit_const(e, n, wz_num(WZ_DEC_ZERO));
        emit(e, n, WZ_I_STORE, cnt);
    }
    guint iter = emit(e, n, WZ_I_ITER, (uint32_t)n->ref_index, 0u);
    guint top = here(e);
    guint skip = 0;
    if (where) {
        expr(e, where);
        skip = emit(e, where, WZ_I_JUMP_IF_FALSE, 0u);
    }
    /* a row counts as a cause when it adds something: every counted row, but
     * only the nonzero terms of a sum (a sign-in row with 0 misses is no cause) */
    if (n->op != WZ_AGG_SUM) emit(e, n, WZ_I_MARK);
    emit(e, n, WZ_I_LOAD, acc);
    /* a term that adds nothing cites none of the group rows it read (a grade that missed its
     * targets is no cause of the award another grade earned) */
    uint32_t saved = n->op == WZ_AGG_SUM && reads_group_rows(arg) ? local(e) : WZ_OPERAND_NONE;
    if (saved != WZ_OPERAND_NONE) emit(e, n, WZ_I_MARK_SAVE, saved);
    if (n->op == WZ_AGG_COUNT) emit_const(e, n, wz_num(WZ_DEC_ONE));
    else expr(e, arg);
    if (saved != WZ_OPERAND_NONE) emit(e, n, WZ_I_MARK_DROP_IF_ZERO, saved);
    if (n->op == WZ_AGG_SUM) emit(e, n, WZ_I_MARK_IF_NONZERO);
    emit(e, n, n->op == WZ_AGG_MIN ? WZ_I_MIN_PRESENT : n->op == WZ_AGG_MAX ? WZ_I_MAX_PRESENT : WZ_I_ADD);
    emit(e, n, WZ_I_STORE, acc);
    if (n->op == WZ_AGG_AVG) {
        emit(e, n, WZ_I_LOAD, cnt);
        emit_const(e, n, wz_num(WZ_DEC_ONE));
        emit(e, n, WZ_I_ADD);
        emit(e, n, WZ_I_STORE, cnt);
    }
    if (where) patch(e, skip, 0);
    emit(e, n, WZ_I_NEXT, (uint32_t)top);
    patch(e, iter, 1);
    emit(e, n, WZ_I_LOAD, acc);
    if (n->op == WZ_AGG_AVG) {
        emit(e, n, WZ_I_LOAD, cnt);
        emit(e, n, WZ_I_DIV_OR_MISSING);
    }
}

/* count(FACT sharing F where C) / sum(FACT.X sharing F where C): a loop over the rows of
 * the current row's group (anyone's, F equal), each tested by C.  Every row of the group
 * is cited, passing or not: the finding rests on all of them (a grade whose every class
 * reached its target is shown by every class's row). */
static void sharing_where(emitter *e, const wz_node *n) {
    const wz_node *arg = wz_node_kid(n, 0), *where = wz_node_kid(n, 1);
    wz_sharing_info si = {n->ref_index, n->ref_index2, n->op, true};
    g_array_append_val(e->prog->sharings, si);
    uint32_t acc = local(e);
    emit_const(e, n, wz_num(WZ_DEC_ZERO));
    emit(e, n, WZ_I_STORE, acc);
    guint iter = emit(e, n, WZ_I_ITER_SHARING, e->prog->sharings->len - 1, 0u);
    guint top = here(e);
    emit(e, n, WZ_I_MARK);
    expr(e, where);
    guint skip = emit(e, where, WZ_I_JUMP_IF_FALSE, 0u);
    emit(e, n, WZ_I_LOAD, acc);
    if (n->op < 0) emit_const(e, n, wz_num(WZ_DEC_ONE));
    else {   /* an empty cell adds nothing, as in the sum without `where` */
        emit(e, arg, WZ_I_RFIELD, (uint32_t)n->op);
        guint present = emit(e, arg, WZ_I_JUMP_IF_PRESENT, 0u);
        emit(e, arg, WZ_I_POP);
        emit_const(e, arg, wz_num(WZ_DEC_ZERO));
        patch(e, present, 0);
    }
    emit(e, n, WZ_I_ADD);
    emit(e, n, WZ_I_STORE, acc);
    patch(e, skip, 0);
    emit(e, n, WZ_I_NEXT, (uint32_t)top);
    patch(e, iter, 1);
    emit(e, n, WZ_I_LOAD, acc);
}

static void call(emitter *e, const wz_node *n) {
    guint argc = wz_node_nkids(n);
    if (n->ref_kind == WZ_REF_TABLE) {
        const wz_node *key = wz_node_kid(n, 0);
        const wz_table *tb = g_ptr_array_index(e->prog->policy->tables, n->ref_index);
        expr(e, key);
        if (tb->text_keys && key->type == WZ_T_ENUM) {   /* member index → the row of its name */
            GArray *map = g_array_new(FALSE, FALSE, sizeof(int));
            for (guint m = 0; m < wz_node_nkids(key->type_ref); m++) {
                int row = -1;
                for (guint k = 0; k < tb->text_keys->len; k++)
                    if (!strcmp(g_ptr_array_index(tb->text_keys, k), wz_node_kid(key->type_ref, m)->name)) row = (int)k;
                g_array_append_val(map, row);
            }
            g_ptr_array_add(e->prog->tier_tables, map);
            emit(e, n, WZ_I_TABLE_ENUM, (uint32_t)n->ref_index, e->prog->tier_tables->len - 1);
            return;
        }
        emit(e, n, WZ_I_TABLE_AT, (uint32_t)n->ref_index);
        return;
    }
    /* the checker resolved the call to a row of builtins.h */
    switch (n->builtin) {
    case WZ_B_RANK_DESC: case WZ_B_RANK_ASC: case WZ_B_DENSE_RANK_DESC: case WZ_B_DENSE_RANK_ASC:
        emit(e, n, WZ_I_DEF, (uint32_t)n->ref_index);   /* its RANK def's value for this entity */
        break;
    case WZ_B_PREVIOUS:
        emit(e, n, WZ_I_HISTORY, (uint32_t)n->ref_index, (uint32_t)n->op);
        break;
    case WZ_B_STREAK:
        emit(e, n, WZ_I_DEF, (uint32_t)n->ref_index);
        emit(e, n, WZ_I_STREAK, (uint32_t)n->ref_index);
        break;
    case WZ_B_MIN: case WZ_B_MAX:
        expr(e, wz_node_kid(n, 0));
        for (guint i = 1; i < argc; i++) {
            expr(e, wz_node_kid(n, i));
            emit(e, n, n->builtin == WZ_B_MIN ? WZ_I_MIN : WZ_I_MAX);
        }
        break;
    case WZ_B_ROUND: case WZ_B_ROUND_HALF_EVEN: case WZ_B_ROUND_DOWN: {
        int64_t places = 0;
        wz_dec_to_int64(wz_node_kid(n, 1)->num, &places);
        expr(e, wz_node_kid(n, 0));
        emit(e, n, WZ_I_ROUND, (uint32_t)places, (uint32_t)wz_builtins[n->builtin].round);
        break;
    }
    case WZ_B_ABS:
        expr(e, wz_node_kid(n, 0));
        emit(e, n, WZ_I_ABS);
        break;
    case WZ_B_FULL_YEARS: case WZ_B_DAYS_BETWEEN: case WZ_B_FULL_MONTHS:
        expr(e, wz_node_kid(n, 0));
        expr(e, wz_node_kid(n, 1));
        emit(e, n, n->builtin == WZ_B_FULL_YEARS ? WZ_I_FULL_YEARS : n->builtin == WZ_B_FULL_MONTHS ? WZ_I_FULL_MONTHS : WZ_I_DAYS_BETWEEN);
        break;
    case WZ_B_EXISTS:
        emit(e, n, WZ_I_HAS_ROW, (uint32_t)wz_node_kid(n, 0)->ref_index);
        break;
    case WZ_B_CUT: case WZ_B_EXCLUDED: {   /* the most severe tier over the ladder's sanctions */
        int ladder = wz_node_kid(n, 0)->ref_index;
        const wz_policy *p = e->prog->policy;
        emit_const(e, n, wz_tagged(WZ_V_TIER, -1));
        for (guint i = 0; i < p->defs->len; i++) {
            const wz_def *d = g_ptr_array_index(p->defs, i);
            if (d->kind != WZ_DEF_SANCTION || d->ladder != ladder) continue;
            emit(e, n, WZ_I_DEF, i);
            emit(e, n, WZ_I_TIER_MAX);
        }
        emit(e, n, n->builtin == WZ_B_CUT ? WZ_I_LADDER_CUT : WZ_I_LADDER_EXCLUDED, (uint32_t)ladder);
        break;
    }
    case WZ_B_NONE: case WZ_B__COUNT:
        g_assert_not_reached();
    }
}

static void classify(emitter *e, const wz_node *n) {
    GArray *ends = g_array_new(FALSE, FALSE, sizeof(guint));
    for (guint i = 0; i < wz_node_nkids(n); i++) {
        const wz_node *cs = wz_node_kid(n, i);
        const wz_node *cond = wz_node_kid(cs, 0);
        guint skip = 0;
        if (cond) {
            /* a case with a limit reads its QUOTA def: the condition, cut to the limit */
            if (cs->ref_kind == WZ_REF_DEF) emit(e, cs, WZ_I_DEF, (uint32_t)cs->ref_index);
            else expr(e, cond);
            skip = emit(e, cs, WZ_I_JUMP_IF_FALSE, 0u);
        }
        emit_const(e, cs, wz_tagged(WZ_V_ENUM, i));
        guint j = emit(e, cs, WZ_I_JUMP, 0u);
        g_array_append_val(ends, j);
        e->depth--;   /* only one branch's value reaches the end */
        if (cond) patch(e, skip, 0);
    }
    e->depth++;
    for (guint i = 0; i < ends->len; i++) patch(e, g_array_index(ends, guint, i), 0);
    g_array_free(ends, TRUE);
}

/* decide { … }: each option's condition into a local, then DECIDE picks the
 * option left (or none), and a chain of tests pushes its value. */
static void decide(emitter *e, const wz_node *n) {
    guint k = wz_node_nkids(n);
    /* the k locals DECIDE reads, consecutive: reserved before any condition
     * takes locals of its own (an `in`, an aggregate) */
    uint32_t first = (uint32_t)e->ch->nlocals;
    e->ch->nlocals += (int)k;
    for (guint i = 0; i < k; i++) {
        const wz_node *when = wz_node_kid(wz_node_kid(n, i), 1);
        if (when) expr(e, when);
        else emit_const(e, n, wz_tagged(WZ_V_BOOL, 1));
        emit(e, n, WZ_I_STORE, first + i);
    }
    emit(e, n, WZ_I_DECIDE, (uint32_t)n->ref_index, first);   /* the checker's wz_decide */
    uint32_t pick = local(e);
    emit(e, n, WZ_I_STORE, pick);
    GArray *ends = g_array_new(FALSE, FALSE, sizeof(guint));
    for (guint i = 0; i < k; i++) {
        const wz_node *opt = wz_node_kid(n, i);
        emit(e, opt, WZ_I_LOAD, pick);
        emit_const(e, opt, wz_num(wz_dec_from_int(i)));
        emit(e, opt, WZ_I_EQ);
        guint skip = emit(e, opt, WZ_I_JUMP_IF_FALSE, 0u);
        expr(e, wz_node_kid(opt, 0));
        guint j = emit(e, opt, WZ_I_JUMP, 0u);
        g_array_append_val(ends, j);
        e->depth--;   /* only one option's value reaches the end */
        patch(e, skip, 0);
    }
    emit_const(e, n, wz_missing());   /* none applies, or a conflict */
    for (guint i = 0; i < ends->len; i++) patch(e, g_array_index(ends, guint, i), 0);
    g_array_free(ends, TRUE);
}

static void expr(emitter *e, const wz_node *n) {
    switch (n->kind) {
    case WZ_N_DECIDE: decide(e, n); break;
    case WZ_N_SHARING: {
        if (wz_node_kid(n, 1)) {
            sharing_where(e, n);
            break;
        }
        wz_sharing_info si = {n->ref_index, n->ref_index2, n->op, false};
        g_array_append_val(e->prog->sharings, si);
        emit(e, n, WZ_I_SHARING, e->prog->sharings->len - 1);
        break;
    }
    case WZ_N_NUMBER: emit_const(e, n, wz_num(n->num)); break;
    case WZ_N_STRING: emit_const(e, n, (wz_value){.tag = WZ_V_STR, .s = n->text}); break;
    case WZ_N_DATE: emit_const(e, n, wz_tagged(WZ_V_DATE, n->date)); break;
    case WZ_N_BOOL: emit_const(e, n, wz_tagged(WZ_V_BOOL, n->ival)); break;
    case WZ_N_IDENT:
        switch (n->ref_kind) {
        case WZ_REF_PARAM: emit(e, n, WZ_I_PARAM, (uint32_t)n->ref_index); break;
        case WZ_REF_DEF:
            if (!e->inlined_at) {
                emit(e, n, WZ_I_DEF, (uint32_t)n->ref_index);
                break;
            }
            /* a let read inside a constant: the checker proved it constant too */
            G_GNUC_FALLTHROUGH;
        case WZ_REF_CONST: {   /* no entity here: the let's expression itself (params and literals only) */
            const wz_def *d = g_ptr_array_index(e->prog->policy->defs, n->ref_index);
            const wz_node *saved = e->inlined_at;
            if (!saved) e->inlined_at = n;
            expr(e, wz_node_kid(d->node, 0));
            e->inlined_at = saved;
            break;
        }
        case WZ_REF_PERSON_ID: emit(e, n, WZ_I_ENTITY_KEY); break;
        case WZ_REF_LABEL: emit_const(e, n, wz_tagged(WZ_V_ENUM, n->ref_index2)); break;
        default: g_assert_not_reached();
        }
        break;
    case WZ_N_FIELD_REF:
        if (n->ref_kind == WZ_REF_ROW_VALUE) {   /* a row value: its expression, on the current row */
            const wz_row_value *v = g_ptr_array_index(e->prog->policy->row_values, (guint)n->ref_index2);
            expr(e, wz_node_kid(v->node, 0));
        } else if (n->ref_kind == WZ_REF_ROW_FIELD) emit(e, n, WZ_I_RFIELD, (uint32_t)n->ref_index2);
        else emit(e, n, WZ_I_PFIELD, (uint32_t)n->ref_index, (uint32_t)n->ref_index2);
        break;
    case WZ_N_UNARY:
        expr(e, wz_node_kid(n, 0));
        emit(e, n, n->op == WZ_OP_NOT ? WZ_I_NOT : WZ_I_NEG);
        break;
    case WZ_N_BINARY: {
        if (n->op == WZ_OP_AND || n->op == WZ_OP_OR) {
            expr(e, wz_node_kid(n, 0));
            guint j = emit(e, n, n->op == WZ_OP_AND ? WZ_I_JUMP_IF_FALSE_KEEP : WZ_I_JUMP_IF_TRUE_KEEP, 0u);
            emit(e, n, WZ_I_POP);
            expr(e, wz_node_kid(n, 1));
            patch(e, j, 0);
            break;
        }
        static const wz_opcode ops[] = {
            [WZ_OP_ADD] = WZ_I_ADD, [WZ_OP_SUB] = WZ_I_SUB, [WZ_OP_MUL] = WZ_I_MUL, [WZ_OP_DIV] = WZ_I_DIV,
            [WZ_OP_EQ] = WZ_I_EQ,   [WZ_OP_NE] = WZ_I_NE,   [WZ_OP_LT] = WZ_I_LT,   [WZ_OP_LE] = WZ_I_LE,
            [WZ_OP_GT] = WZ_I_GT,   [WZ_OP_GE] = WZ_I_GE,
        };
        expr(e, wz_node_kid(n, 0));
        expr(e, wz_node_kid(n, 1));
        emit(e, n, ops[n->op]);
        break;
    }
    case WZ_N_CALL: call(e, n); break;
    case WZ_N_AGG:
        if (n->ival) emit(e, n, WZ_I_DEF, (uint32_t)n->ref_index);   /* population value, computed earlier */
        else row_aggregate(e, n);
        break;
    case WZ_N_IF: {
        expr(e, wz_node_kid(n, 0));
        guint jf = emit(e, n, WZ_I_JUMP_IF_FALSE, 0u);
        expr(e, wz_node_kid(n, 1));
        guint je = emit(e, n, WZ_I_JUMP, 0u);
        e->depth--;
        patch(e, jf, 0);
        expr(e, wz_node_kid(n, 2));
        patch(e, je, 0);
        break;
    }
    case WZ_N_CLASSIFY: classify(e, n); break;
    case WZ_N_WINDOWED: {
        /* each: Σ over windows; any: stop at the first true; all: stop at the first false */
        uint32_t acc = local(e);
        emit_const(e, n, n->op == WZ_Q_EACH ? wz_num(WZ_DEC_ZERO) : wz_tagged(WZ_V_BOOL, n->op == WZ_Q_ALL));
        emit(e, n, WZ_I_STORE, acc);
        guint begin = emit(e, n, WZ_I_WIN_BEGIN, (uint32_t)n->ref_index, 0u);
        guint top = here(e);
        if (n->op == WZ_Q_EACH) {
            emit(e, n, WZ_I_LOAD, acc);
            expr(e, wz_node_kid(n, 0));
            emit(e, n, WZ_I_ADD);
        } else {
            /* acc := acc or/and value; windows are few, so no early exit */
            emit(e, n, WZ_I_LOAD, acc);
            guint j = emit(e, n, n->op == WZ_Q_ANY ? WZ_I_JUMP_IF_TRUE_KEEP : WZ_I_JUMP_IF_FALSE_KEEP, 0u);
            emit(e, n, WZ_I_POP);
            expr(e, wz_node_kid(n, 0));
            patch(e, j, 0);
        }
        emit(e, n, WZ_I_STORE, acc);
        emit(e, n, WZ_I_WIN_NEXT, (uint32_t)top);
        patch(e, begin, 1);
        emit(e, n, WZ_I_LOAD, acc);
        break;
    }
    case WZ_N_IN: {
        /* x in (a, b, c): compare against each, stop at the first match */
        const wz_node *lhs = wz_node_kid(n, 0);
        uint32_t tmp = local(e);
        expr(e, lhs);
        emit(e, n, WZ_I_STORE, tmp);
        GArray *ends = g_array_new(FALSE, FALSE, sizeof(guint));
        emit_const(e, n, wz_tagged(WZ_V_BOOL, 0));
        for (guint i = 1; i < wz_node_nkids(n); i++) {
            guint j = emit(e, n, WZ_I_JUMP_IF_TRUE_KEEP, 0u);
            g_array_append_val(ends, j);
            emit(e, n, WZ_I_POP);
            emit(e, n, WZ_I_LOAD, tmp);
            expr(e, wz_node_kid(n, i));
            emit(e, n, WZ_I_EQ);
        }
        for (guint i = 0; i < ends->len; i++) patch(e, g_array_index(ends, guint, i), 0);
        g_array_free(ends, TRUE);
        break;
    }
    case WZ_N_COALESCE: {
        expr(e, wz_node_kid(n, 0));
        guint j = emit(e, n, WZ_I_JUMP_IF_PRESENT, 0u);
        emit(e, n, WZ_I_POP);
        expr(e, wz_node_kid(n, 1));
        patch(e, j, 0);
        break;
    }
    default:
        g_assert_not_reached();
    }
}

/* A `for each` def: a loop over the entity's rows of a fact (an incident each) or over the
 * windows of a group, whose body leaves each one's amount or tier on the stack for ITEM or
 * WIN_ITEM.  They record the ones that count — with the row, or with the rows the window
 * marked since its MARK_SAVE — and sum them (a tier: keep the most severe) in a local.
 * Inside a window, aggregates see only its rows.  each_begin opens the loop and tests the
 * `where`; each_unless skips one when the condition just pushed is false; each_end records,
 * closes the loop and leaves the sum on the stack. */
typedef struct each_loop {
    bool window;        /* over windows (WIN_BEGIN … WIN_ITEM), else over rows (ITER … ITEM) */
    uint32_t acc, saved;
    guint begin, top;
    wz_value zero;
    GArray *skips;      /* guint: jumps taken when one counts for nothing */
} each_loop;

static each_loop each_begin(emitter *e, const wz_node *n, const wz_node *over, bool window, const wz_node *where,
                            wz_value zero) {
    each_loop l = {.window = window, .acc = local(e), .zero = zero, .skips = g_array_new(FALSE, FALSE, sizeof(guint))};
    emit_const(e, n, zero);
    emit(e, n, WZ_I_STORE, l.acc);
    if (window) {
        l.saved = local(e);
        l.begin = emit(e, over, WZ_I_WIN_BEGIN, (uint32_t)over->ref_index, 0u);
        l.top = here(e);
        emit(e, n, WZ_I_MARK_SAVE, l.saved);
    } else {
        l.begin = emit(e, over, WZ_I_ITER, (uint32_t)over->ref_index, 0u);
        l.top = here(e);
    }
    if (where) {
        expr(e, where);
        guint j = emit(e, where, WZ_I_JUMP_IF_FALSE, 0u);
        g_array_append_val(l.skips, j);
    }
    return l;
}

static void each_unless(emitter *e, each_loop *l, const wz_node *cond) {
    guint j = emit(e, cond, WZ_I_JUMP_IF_FALSE, 0u);
    g_array_append_val(l->skips, j);
}

static void each_end(emitter *e, const wz_node *n, each_loop *l) {
    if (l->window) {   /* a skipped window still ends at WIN_ITEM, which unmarks what it read */
        if (l->skips->len) {
            guint done = emit(e, n, WZ_I_JUMP, 0u);
            for (guint i = 0; i < l->skips->len; i++) patch(e, g_array_index(l->skips, guint, i), 0);
            e->depth--;   /* the skipped path arrives without the window's value */
            emit_const(e, n, l->zero);
            patch(e, done, 0);
        }
        emit(e, n, WZ_I_WIN_ITEM, l->acc, l->saved);
        emit(e, n, WZ_I_WIN_NEXT, (uint32_t)l->top);
    } else {
        emit(e, n, WZ_I_ITEM, l->acc);
        for (guint i = 0; i < l->skips->len; i++) patch(e, g_array_index(l->skips, guint, i), 0);
        emit(e, n, WZ_I_NEXT, (uint32_t)l->top);
    }
    patch(e, l->begin, 1);
    emit(e, n, WZ_I_LOAD, l->acc);
    g_array_free(l->skips, TRUE);
}

/* max(0, quantity − free), or the quantity when there is no allowance, on the stack */
static void charged(emitter *e, const wz_node *qty, const wz_node *free_) {
    expr(e, qty);
    if (free_) {
        expr(e, free_);
        emit(e, free_, WZ_I_SUB);
        emit_const(e, free_, wz_num(WZ_DEC_ZERO));
        emit(e, free_, WZ_I_MAX);
    }
}

/* amount × max(0, quantity − free) of a rule (its quantity, when it has one), on the stack */
static void rule_worth(emitter *e, const wz_node *n, const wz_node *amount, const wz_node *qty, const wz_node *free_) {
    if (qty) charged(e, qty, free_);
    expr(e, amount);
    if (qty) emit(e, n, WZ_I_MUL);
}

/* Rule points: amount × Σ_windows max(0, quantity − free), capped; 0 when `when` is false.
 * `for each W`: Σ over the windows of what the rule is worth in each, capped. */
static void rule(emitter *e, const wz_node *n) {
    const wz_node *amount = wz_node_kid(n, 0), *qty = wz_node_kid(n, 1), *free_ = wz_node_kid(n, 2),
                  *win = wz_node_kid(n, 3), *cap = wz_node_kid(n, 4), *when = wz_node_kid(n, 5);
    const wz_node *each = wz_node_nkids(n) > 6 ? wz_node_kid(n, 6) : NULL;
    if (each) {
        each_loop l = each_begin(e, n, each, true, wz_node_kid(each, 0), wz_num(WZ_DEC_ZERO));
        if (when) {
            expr(e, when);
            each_unless(e, &l, when);
        }
        rule_worth(e, n, amount, qty, free_);
        each_end(e, n, &l);
        if (cap) {
            expr(e, cap);
            emit(e, cap, WZ_I_MIN);
        }
        emit(e, n, WZ_I_RETURN);
        return;
    }
    guint skip = 0;
    if (when) {
        expr(e, when);
        skip = emit(e, when, WZ_I_JUMP_IF_FALSE, 0u);
    }
    if (qty && win) {
        /* amount × (each window's quantity over the allowance): one finding per window
         * that went over it, citing its rows (a window within it cites none) */
        uint32_t amt = local(e);
        expr(e, amount);
        emit(e, n, WZ_I_STORE, amt);
        each_loop l = each_begin(e, n, win, true, NULL, wz_num(WZ_DEC_ZERO));
        charged(e, qty, free_);
        emit(e, n, WZ_I_LOAD, amt);
        emit(e, n, WZ_I_MUL);
        each_end(e, n, &l);
    } else {
        rule_worth(e, n, amount, qty, NULL);
    }
    if (cap) {
        expr(e, cap);
        emit(e, cap, WZ_I_MIN);
    }
    emit(e, n, WZ_I_RETURN);
    if (when) {
        patch(e, skip, 0);
        e->depth++;
        emit_const(e, n, wz_num(WZ_DEC_ZERO));
        emit(e, n, WZ_I_RETURN);
    }
}

static void section(emitter *e, int d, const wz_node *n) {
    const wz_policy *p = e->prog->policy;
    const wz_node *points = wz_node_kid(n, 0), *floor_ = wz_node_kid(n, 1), *cap = wz_node_kid(n, 2),
                  *formula = wz_node_kid(n, 3);
    if (formula) expr(e, formula);
    else if (points) expr(e, points);
    else emit_const(e, n, wz_num(WZ_DEC_ZERO));
    for (guint i = 0; i < p->defs->len; i++) {
        const wz_def *r = g_ptr_array_index(p->defs, i);
        if (r->kind != WZ_DEF_RULE || r->section != d) continue;
        emit(e, r->node, WZ_I_DEF, i);
        emit(e, r->node, r->node->ival < 0 ? WZ_I_SUB : WZ_I_ADD);
    }
    if (floor_) {
        expr(e, floor_);
        emit(e, floor_, WZ_I_MAX);
    }
    if (cap) {
        expr(e, cap);
        emit(e, cap, WZ_I_MIN);
    }
    emit(e, n, WZ_I_RETURN);
}

/* Sanction: the most severe tier reached, or none. */
static void sanction(emitter *e, const wz_node *n) {
    const wz_policy *p = e->prog->policy;
    const wz_node *each = wz_node_kid(n, 4);
    bool per_window = each && each->ref_kind == WZ_REF_WINDOWS;
    if (each && n->ival == WZ_SANCTION_TIER_WHEN) {   /* tier T for each row (window) where the condition holds */
        const wz_node *tier = wz_node_kid(n, 1), *when = wz_node_kid(n, 2);
        each_loop l = each_begin(e, n, each, per_window, wz_node_kid(each, 0), wz_tagged(WZ_V_TIER, -1));
        expr(e, when);
        each_unless(e, &l, when);
        emit_const(e, tier, wz_tagged(WZ_V_TIER, tier->ref_index2));
        each_end(e, n, &l);
        emit(e, n, WZ_I_RETURN);
        return;
    }
    if (n->ival == WZ_SANCTION_FROM_FIELD) {
        const wz_node *src = wz_node_kid(n, 1), *where = wz_node_kid(n, 2);
        /* table: member of the field's enum → tier index on the ladder */
        int ladder = -1;
        for (guint i = 0; i < p->defs->len; i++) {
            const wz_def *d = g_ptr_array_index(p->defs, i);
            if (d->node == n) ladder = d->ladder;
        }
        const wz_node *ln = ((wz_ladder *)g_ptr_array_index(p->ladders, ladder))->node;
        GArray *table = g_array_new(FALSE, FALSE, sizeof(int));
        for (guint m = 0; m < wz_node_nkids(src->type_ref); m++) {
            int t = -1;
            for (guint k = 0; k < wz_node_nkids(ln); k++)
                if (!strcmp(wz_node_kid(ln, k)->name, wz_node_kid(src->type_ref, m)->name)) t = (int)k;
            g_array_append_val(table, t);
        }
        g_ptr_array_add(e->prog->tier_tables, table);
        uint32_t tbl = e->prog->tier_tables->len - 1;
        each_loop wl = {0};
        if (per_window) wl = each_begin(e, n, each, true, wz_node_kid(each, 0), wz_tagged(WZ_V_TIER, -1));
        else if (each) {   /* per incident: each row's own tier */
            each_loop l = each_begin(e, n, each, false, wz_node_kid(each, 0), wz_tagged(WZ_V_TIER, -1));
            if (where) {
                expr(e, where);
                each_unless(e, &l, where);
            }
            expr(e, src);
            emit(e, src, WZ_I_TIER_OF, tbl);
            each_end(e, n, &l);
            emit(e, n, WZ_I_RETURN);
            return;
        }
        uint32_t acc = local(e);
        emit_const(e, n, wz_tagged(WZ_V_TIER, -1));
        emit(e, n, WZ_I_STORE, acc);
        guint iter = emit(e, n, WZ_I_ITER, (uint32_t)src->ref_index, 0u);
        guint top = here(e);
        guint skip = 0;
        if (where) {
            expr(e, where);
            skip = emit(e, where, WZ_I_JUMP_IF_FALSE, 0u);
        }
        if (src->ref_kind == WZ_REF_ROW_VALUE) {   /* a row value: computed, then mapped */
            expr(e, src);
            emit(e, src, WZ_I_TIER_OF, tbl);
            emit(e, src, WZ_I_TIER_KEEP, acc);
        } else {
            emit(e, src, WZ_I_TIER_ROW, tbl, (uint32_t)src->ref_index2, acc);
        }
        if (where) patch(e, skip, 0);
        emit(e, n, WZ_I_NEXT, (uint32_t)top);
        patch(e, iter, 1);
        emit(e, n, WZ_I_LOAD, acc);
        if (per_window) each_end(e, n, &wl);   /* the most severe tier of the window's rows */
        emit(e, n, WZ_I_RETURN);
    } else if (n->ival == WZ_SANCTION_AT) {
        const wz_node *at = wz_node_kid(n, 1), *when = wz_node_kid(n, 2);
        int ladder = -1;
        for (guint i = 0; i < p->defs->len; i++) {
            const wz_def *d = g_ptr_array_index(p->defs, i);
            if (d->node == n) ladder = d->ladder;
        }
        guint skip = 0;
        if (when) {
            expr(e, when);
            skip = emit(e, when, WZ_I_JUMP_IF_FALSE, 0u);
        }
        expr(e, at);
        emit(e, at, WZ_I_TIER_AT, (uint32_t)ladder);
        emit(e, n, WZ_I_RETURN);
        if (when) {
            patch(e, skip, 0);
            e->depth++;
            emit_const(e, n, wz_tagged(WZ_V_TIER, -1));
            emit(e, n, WZ_I_RETURN);
        }
    } else {
        const wz_node *tier = wz_node_kid(n, 1), *when = wz_node_kid(n, 2);
        expr(e, when);
        guint skip = emit(e, when, WZ_I_JUMP_IF_FALSE, 0u);
        emit_const(e, tier, wz_tagged(WZ_V_TIER, tier->ref_index2));
        emit(e, n, WZ_I_RETURN);
        patch(e, skip, 0);
        e->depth++;
        emit_const(e, n, wz_tagged(WZ_V_TIER, -1));
        emit(e, n, WZ_I_RETURN);
    }
}

/* One person's contribution to a population aggregate; missing = not counted. */
static void population(emitter *e, const wz_node *n) {
    const wz_node *arg = wz_node_kid(n, 0), *where = wz_node_kid(n, 1);
    guint skip = 0;
    if (where) {
        expr(e, where);
        skip = emit(e, where, WZ_I_JUMP_IF_FALSE, 0u);
    }
    if (arg) expr(e, arg);
    else emit_const(e, n, wz_num(WZ_DEC_ONE));
    emit(e, n, WZ_I_RETURN);
    if (where) {
        patch(e, skip, 0);
        e->depth++;
        emit_const(e, n, wz_missing());
        emit(e, n, WZ_I_RETURN);
    }
}

static wz_chunk *finish(emitter *e) {
    e->ch->max_stack = e->max_depth + 1;
    return e->ch;
}

static wz_chunk *compile_expr_chunk(wz_program *prog, const char *name, const wz_node *n) {
    emitter e = {.prog = prog, .ch = chunk_new(name)};
    e.ch->src = n && n->span.src ? n->span.src : prog->policy->src;
    expr(&e, n);
    emit(&e, n, WZ_I_RETURN);
    return finish(&e);
}

wz_chunk *wz_compile_probe(wz_program *prog, const char *name, const wz_node *expr) {
    return compile_expr_chunk(prog, name, expr);
}

/* acc := missing; for each row of the fact: if its line is `line`, acc := expr; then acc. */
wz_chunk *wz_compile_row_probe(wz_program *prog, const char *name, int fact, uint32_t line, const wz_node *n) {
    emitter e = {.prog = prog, .ch = chunk_new(name)};
    e.ch->src = n->span.src ? n->span.src : prog->policy->src;
    uint32_t acc = local(&e);
    emit_const(&e, n, wz_missing());
    emit(&e, n, WZ_I_STORE, acc);
    guint iter = emit(&e, n, WZ_I_ITER, (uint32_t)fact, 0u);
    guint top = here(&e);
    emit(&e, n, WZ_I_ROW_LINE);
    emit_const(&e, n, wz_num(wz_dec_from_int(line)));
    emit(&e, n, WZ_I_EQ);
    guint skip = emit(&e, n, WZ_I_JUMP_IF_FALSE, 0u);
    expr(&e, n);
    emit(&e, n, WZ_I_STORE, acc);
    patch(&e, skip, 0);
    emit(&e, n, WZ_I_NEXT, (uint32_t)top);
    patch(&e, iter, 1);
    emit(&e, n, WZ_I_LOAD, acc);
    emit(&e, n, WZ_I_RETURN);
    return finish(&e);
}

void wz_chunk_free(wz_chunk *chunk) { chunk_free(chunk); }

char *wz_probe_text(const wz_node *expr) {
    return g_strndup(expr->span.src->text + expr->span.start, expr->span.end - expr->span.start);
}

static wz_chunk *compile_def(wz_program *prog, int d) {
    const wz_def *def = g_ptr_array_index(prog->policy->defs, d);
    emitter e = {.prog = prog, .ch = chunk_new(def->name)};
    e.ch->src = def->node && def->node->span.src ? def->node->span.src : prog->policy->src;
    const wz_node *n = def->node;
    switch (def->kind) {
    case WZ_DEF_LET: case WZ_DEF_GRADE:
        expr(&e, wz_node_kid(n, 0));
        emit(&e, n, WZ_I_RETURN);
        break;
    case WZ_DEF_TOTAL:
        if (n) expr(&e, wz_node_kid(n, 0));
        else {
            const GArray *secs = prog->policy->sections;
            emit_const(&e, n, wz_num(WZ_DEC_ZERO));
            for (guint i = 0; i < secs->len; i++) {
                emit(&e, n, WZ_I_DEF, (uint32_t)g_array_index(secs, int, i));
                emit(&e, n, WZ_I_ADD);
            }
        }
        emit(&e, n, WZ_I_RETURN);
        break;
    case WZ_DEF_STIPEND: case WZ_DEF_PRORATA: case WZ_DEF_OWN_AMOUNT:
        expr(&e, n);
        emit(&e, n, WZ_I_RETURN);
        break;
    case WZ_DEF_RULE: rule(&e, n); break;
    case WZ_DEF_SECTION: section(&e, d, n); break;
    case WZ_DEF_SANCTION: sanction(&e, n); break;
    case WZ_DEF_NOTICE:
        expr(&e, wz_node_kid(n, 0));
        emit(&e, n, WZ_I_RETURN);
        break;
    case WZ_DEF_POP_AGG: population(&e, n); break;
    case WZ_DEF_KEY:
        expr(&e, n);
        emit(&e, n, WZ_I_RETURN);
        break;
    case WZ_DEF_QUOTA: {   /* whether the entity is a candidate; the VM then applies the limit */
        /* a candidate reaches this case: no earlier case of the classify took it */
        const wz_node *cls = def->type_ref;
        for (guint i = 0; cls && i < wz_node_nkids(cls) && wz_node_kid(cls, i) != n; i++) {
            const wz_node *earlier = wz_node_kid(cls, i);
            if (!wz_node_kid(earlier, 0)) continue;
            if (earlier->ref_kind == WZ_REF_DEF) emit(&e, earlier, WZ_I_DEF, (uint32_t)earlier->ref_index);
            else expr(&e, wz_node_kid(earlier, 0));
            guint next = emit(&e, earlier, WZ_I_JUMP_IF_FALSE, 0u);
            emit_const(&e, earlier, wz_tagged(WZ_V_BOOL, 0));
            emit(&e, earlier, WZ_I_RETURN);
            patch(&e, next, 0);
        }
        expr(&e, wz_node_kid(n, 0));
        emit(&e, n, WZ_I_RETURN);
        break;
    }
    case WZ_DEF_RANK:    /* computed by the VM over the keys' values of every entity */
        emit_const(&e, n, wz_missing());
        emit(&e, n, WZ_I_RETURN);
        break;
    case WZ_DEF_AWARD: {   /* the amount when the condition holds, else 0 (no line) */
        const wz_node *amount = wz_node_kid(n, 0), *when = wz_node_kid(n, 1), *each = wz_node_kid(n, 3);
        if (each) {   /* per incident (window): each one's amount, their sum the entity's */
            each_loop l = each_begin(&e, n, each, each->ref_kind == WZ_REF_WINDOWS, wz_node_kid(each, 0), wz_num(WZ_DEC_ZERO));
            if (when) {
                expr(&e, when);
                each_unless(&e, &l, when);
            }
            expr(&e, amount);
            each_end(&e, n, &l);
            emit(&e, n, WZ_I_RETURN);
            break;
        }
        guint skip = 0;
        if (when) {
            expr(&e, when);
            skip = emit(&e, when, WZ_I_JUMP_IF_FALSE, 0u);
        }
        expr(&e, amount);
        emit(&e, n, WZ_I_RETURN);
        if (when) {
            patch(&e, skip, 0);
            e.depth++;
            emit_const(&e, n, wz_num(WZ_DEC_ZERO));
            emit(&e, n, WZ_I_RETURN);
        }
        break;
    }
    }
    return finish(&e);
}

static void tier_table_free(gpointer p) { g_array_free(p, TRUE); }
static void chunk_list_free(gpointer p) { g_ptr_array_free(p, TRUE); }

wz_program *wz_compile(const wz_policy *policy) {
    wz_program *prog = g_new0(wz_program, 1);
    prog->policy = policy;
    prog->def_chunks = g_ptr_array_new_with_free_func(chunk_free);
    prog->split_chunks = g_ptr_array_new_with_free_func(chunk_list_free);
    prog->part_pools = g_ptr_array_new_with_free_func(chunk_free);
    prog->part_weights = g_ptr_array_new_with_free_func(chunk_list_free);
    prog->tier_tables = g_ptr_array_new_with_free_func(tier_table_free);
    prog->sharings = g_array_new(FALSE, FALSE, sizeof(wz_sharing_info));
    for (guint d = 0; d < policy->defs->len; d++) g_ptr_array_add(prog->def_chunks, compile_def(prog, (int)d));
    if (policy->period) {
        prog->period_start = compile_expr_chunk(prog, "period.start", wz_node_kid(policy->period, 0));
        prog->period_end = compile_expr_chunk(prog, "period.end", wz_node_kid(policy->period, 1));
    }
    for (guint w = 0; w < policy->windows->len; w++) {
        const wz_window_group *g = g_ptr_array_index(policy->windows, w);
        GPtrArray *list = g_ptr_array_new_with_free_func(chunk_free);
        for (guint k = 0; k < wz_node_nkids(g->node); k++) {
            char *name = g_strdup_printf("%s.split%u", g->name, k + 1);
            g_ptr_array_add(list, compile_expr_chunk(prog, name, wz_node_kid(g->node, k)));
            g_free(name);
        }
        g_ptr_array_add(prog->split_chunks, list);
    }
    for (guint k = 0; k < policy->parts->len; k++) {   /* a named part's chunks say whose they are */
        const wz_distribute *dist = g_ptr_array_index(policy->parts, k);
        char *pname = dist->name ? g_strdup_printf("distribute.%s.pool", dist->name) : g_strdup("distribute.pool");
        g_ptr_array_add(prog->part_pools, compile_expr_chunk(prog, pname, dist->pool_expr));
        g_free(pname);
        GPtrArray *weights = g_ptr_array_new_with_free_func(chunk_free);
        const wz_def *basis = g_ptr_array_index(policy->defs, dist->basis_def);
        for (guint i = 0; i < dist->shares->len; i++) {   /* one chunk per share, in the same order */
            const wz_share *sh = &g_array_index(dist->shares, wz_share, i);
            const char *m = g_ptr_array_index(basis->members, (guint)sh->member);
            char *name = dist->name ? g_strdup_printf("%s.share.%s.weight", dist->name, m) : g_strdup_printf("share.%s.weight", m);
            g_ptr_array_add(weights, compile_expr_chunk(prog, name, sh->weight_expr));
            g_free(name);
        }
        g_ptr_array_add(prog->part_weights, weights);
    }
    if (!prog->part_weights->len) g_ptr_array_add(prog->part_weights, g_ptr_array_new_with_free_func(chunk_free));
    prog->pool = prog->part_pools->len ? g_ptr_array_index(prog->part_pools, 0) : NULL;
    prog->share_weights = g_ptr_array_index(prog->part_weights, 0);
    prog->table_chunks = g_ptr_array_new_with_free_func(chunk_free);
    prog->table_slots = g_array_new(FALSE, FALSE, sizeof(wz_table_slot));
    for (guint t = 0; t < policy->tables->len; t++) {
        const wz_table *tb = g_ptr_array_index(policy->tables, t);
        for (guint k = 0; tb->value_exprs && k <= tb->n; k++) {
            if (!tb->value_exprs[k]) continue;
            char *name = k < tb->n ? g_strdup_printf("table.%s.%u", tb->name, k + 1) : g_strdup_printf("table.%s.otherwise", tb->name);
            g_ptr_array_add(prog->table_chunks, compile_expr_chunk(prog, name, tb->value_exprs[k]));
            g_free(name);
            wz_table_slot slot = {t, k};
            g_array_append_val(prog->table_slots, slot);
        }
    }
#ifndef NDEBUG
    /* Debug and sanitizer builds check every program they make (release
     * builds trust the compiler: compiling cannot fail) */
    GError *err = NULL;
    if (!wz_program_verify(prog, &err)) g_error("wz_compile made bad bytecode: %s", err->message);
#endif
    return prog;
}

void wz_program_free(wz_program *prog) {
    if (!prog) return;
    g_ptr_array_free(prog->def_chunks, TRUE);
    chunk_free(prog->period_start);
    chunk_free(prog->period_end);
    g_ptr_array_free(prog->split_chunks, TRUE);
    g_ptr_array_free(prog->part_pools, TRUE);     /* pool and share_weights are their first */
    g_ptr_array_free(prog->part_weights, TRUE);
    g_ptr_array_free(prog->tier_tables, TRUE);
    g_ptr_array_free(prog->table_chunks, TRUE);
    g_array_free(prog->table_slots, TRUE);
    g_array_free(prog->sharings, TRUE);
    g_free(prog);
}
