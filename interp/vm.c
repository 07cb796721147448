/* vm.c — the bytecode interpreter.
 *
 * One dispatch loop (exec) runs one chunk for one person.  Values are small
 * tagged structs on a fixed-size stack sized by the compiler; locals hold
 * aggregate accumulators; an iterator stack walks a person's rows.  Errors
 * leave through one exit (`fail`) that records the policy span and person.
 */
#include "vm.h"

#include <string.h>

#include "i18n.h"

typedef struct row_iter {
    const wz_fact_table *table;
    uint32_t fact;
    const uint32_t *rows;  /* the rows walked: a group's (ITER_SHARING); NULL: the positions are the
                              rows (a person's range of a fact grouped by person) */
    uint32_t pos, end;     /* into rows */
    uint32_t row;          /* current kept-row index */
} row_iter;

typedef struct frame {
    int64_t person;        /* -1 for global chunks */
    row_iter iters[WZ_MAX_ROW_LOOPS];
    int niters;
    int win_group;         /* -1 when no window is in scope */
    guint win_index;
    /* the marks a most-severe-tier search (TIER_ROW, TIER_KEEP) may forget: those made
     * in the current window (a `for each W` sanction's), or all outside windows */
    guint mark_floor;
} frame;

/* One thread's scratch: exec() never touches anything shared but its
 * read-only inputs and its own output slots. */
typedef struct wz_vm_worker {
    wz_value *stack;
    wz_value *locals;
    GArray *marks;            /* wz_row_ref of the def being computed */
    GPtrArray *findings;      /* wz_finding*, merged into vm->findings after the run */
    GArray *conflicts;        /* conflict: decides that found two options applying, for the def being computed */
    GArray *items;            /* vm_item: the incidents a `for each` def recorded for the entity being computed */
    uint32_t *visited;        /* per def: the finding (visit_mark) whose cited rows last re-ran it */
    uint32_t visit_mark;
    uint64_t steps;
    /* cite the persons fact's row too: a responsible person's own amount
     * (wz_vm_eval_own) is caused by their pay on it, not just says who they are */
    bool cite_population;
    /* record every window of a `for each W` def, also those worth nothing (wz_vm_eval_windows) */
    bool all_windows;
} wz_vm_worker;

typedef struct conflict {
    int decide, a, b;
    /* met in a window of a windowed def: its 1-based index, and the rows that window had
     * marked then (owned; the window's marks are gone when the finding is made); else 0, NULL */
    uint32_t window;
    GArray *rows;
} conflict;

static void conflict_clear(gpointer p) {
    conflict *c = p;
    if (c->rows) g_array_free(c->rows, TRUE);
    c->rows = NULL;
}

/* One incident of a `for each` sanction or award (ITEM): its row and its amount or tier;
 * or one window of a windowed def (WIN_ITEM): the window and the rows it marked. */
typedef struct vm_item {
    wz_row_ref row;
    wz_value v;
    uint32_t window;   /* 1-based index in the def's window group; 0 for an incident */
    GArray *rows;      /* WIN_ITEM: wz_row_ref the window marked (owned until a finding takes it), else NULL */
} vm_item;

/* Forgets the items of the entity just computed (an error may leave some unreported). */
static void items_clear(GArray *items) {
    for (guint i = 0; i < items->len; i++) {
        vm_item *it = &g_array_index(items, vm_item, i);
        if (it->rows) g_array_free(it->rows, TRUE);
    }
    g_array_set_size(items, 0);
}

/* A copy of the rows marked since position `from` (a window's, kept past its WIN_ITEM). */
static GArray *marks_since(const GArray *marks, guint from) {
    if (from > marks->len) from = marks->len;
    GArray *rows = g_array_sized_new(FALSE, FALSE, sizeof(wz_row_ref), marks->len - from);
    g_array_append_vals(rows, &g_array_index(marks, wz_row_ref, from), marks->len - from);
    return rows;
}

static int max_threads(void) { return 64; }

/* ---- def values ------------------------------------------------------------- */

/* A def's values, one per entity.  A value is 64 bytes as the VM computes with
 * it (tag, i, d and s side by side), but only one of i, d, s means anything
 * for a given tag — d for a number, s for a policy string, i for the rest —
 * so a def's values are computed into a tag byte and a 32-byte union each,
 * and once the def is complete (nothing writes it again) they are narrowed
 * to the least that holds them exactly: 8 bytes when none is a number, 16
 * when every number's numerator and denominator fit 64 bits (scores and
 * amounts always do in practice), else kept at 32.  At 213 456 persons × 31
 * defs: 424 MB as wz_value, 219 MB as the union, about 110 MB narrowed. */
typedef union value_wide {
    int64_t i;
    const char *s;
    wz_dec d;
} value_wide;

typedef union value_narrow {   /* a number as two int64, or i or s */
    int64_t i;
    const char *s;
    int64_t nd[2];
} value_narrow;

typedef union value_small {    /* no number: i or s */
    int64_t i;
    const char *s;
} value_small;

enum { VALUES_WIDE, VALUES_NARROW, VALUES_SMALL };

typedef struct wz_def_values {
    uint8_t *tags;            /* wz_value_tag */
    uint8_t form;             /* VALUES_*: which of the arrays below holds the values */
    uint32_t n;
    value_wide *wide;         /* while the def is computed (and for one computed after the run: an own amount) */
    value_narrow *narrow;
    value_small *small;
} wz_def_values;

static void def_values_alloc(wz_def_values *v, uint32_t n) {
    v->n = n ? n : 1;
    v->tags = g_new0(uint8_t, v->n);   /* zero: WZ_V_MISSING with i = 0, as wz_missing() */
    v->form = VALUES_WIDE;
    v->wide = g_new0(value_wide, v->n);
}

static void def_values_free(wz_def_values *v) {
    g_free(v->tags);
    g_free(v->wide);
    g_free(v->narrow);
    g_free(v->small);
}

static inline wz_value value_get(const wz_vm *vm, int d, uint32_t p) {
    const wz_def_values *v = &vm->values[d];
    wz_value out = {.tag = (wz_value_tag)v->tags[p]};
    switch (v->form) {
    case VALUES_WIDE:
        if (out.tag == WZ_V_NUM) out.d = v->wide[p].d;
        else if (out.tag == WZ_V_STR) out.s = v->wide[p].s;
        else out.i = v->wide[p].i;
        break;
    case VALUES_NARROW:
        if (out.tag == WZ_V_NUM) out.d = (wz_dec){v->narrow[p].nd[0], v->narrow[p].nd[1]};
        else if (out.tag == WZ_V_STR) out.s = v->narrow[p].s;
        else out.i = v->narrow[p].i;
        break;
    default:
        if (out.tag == WZ_V_STR) out.s = v->small[p].s;
        else out.i = v->small[p].i;
    }
    return out;
}

/* Only a def still being computed (wide) is written. */
static inline void value_put(wz_vm *vm, int d, uint32_t p, wz_value x) {
    wz_def_values *v = &vm->values[d];
    g_assert(v->form == VALUES_WIDE);
    v->tags[p] = (uint8_t)x.tag;
    if (x.tag == WZ_V_NUM) v->wide[p].d = x.d;
    else if (x.tag == WZ_V_STR) v->wide[p].s = x.s;
    else v->wide[p].i = x.i;
}

/* Def d is complete: its values move to the narrowest form that holds them exactly. */
static void def_values_narrow(wz_vm *vm, int d) {
    wz_def_values *v = &vm->values[d];
    if (v->form != VALUES_WIDE) return;
    bool numbers = false, fit = true;
    for (uint32_t p = 0; p < v->n && fit; p++) {
        if (v->tags[p] != WZ_V_NUM) continue;
        numbers = true;
        wz_dec x = v->wide[p].d;
        fit = x.num >= INT64_MIN && x.num <= INT64_MAX && x.den <= INT64_MAX;
    }
    if (!fit) return;
    if (!numbers) {
        v->small = g_new(value_small, v->n);
        for (uint32_t p = 0; p < v->n; p++) {
            if (v->tags[p] == WZ_V_STR) v->small[p].s = v->wide[p].s;
            else v->small[p].i = v->wide[p].i;
        }
        v->form = VALUES_SMALL;
    } else {
        v->narrow = g_new(value_narrow, v->n);
        for (uint32_t p = 0; p < v->n; p++) {
            if (v->tags[p] == WZ_V_NUM) {
                v->narrow[p].nd[0] = (int64_t)v->wide[p].d.num;
                v->narrow[p].nd[1] = (int64_t)v->wide[p].d.den;
            } else if (v->tags[p] == WZ_V_STR) {
                v->narrow[p].s = v->wide[p].s;
            } else {
                v->narrow[p].i = v->wide[p].i;
            }
        }
        v->form = VALUES_NARROW;
    }
    g_clear_pointer(&v->wide, g_free);
}

wz_vm *wz_vm_new(const wz_program *prog, const wz_value *params) {
    wz_vm *vm = g_new0(wz_vm, 1);
    vm->prog = prog;
    guint np = prog->policy->params->len;
    vm->params = g_new0(wz_value, np ? np : 1);
    if (np) memcpy(vm->params, params, np * sizeof(wz_value));
    vm->windows = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
    vm->findings = g_ptr_array_new();
    vm->threads = 1;
    /* one stack and one locals area per worker serve every chunk: size them for the largest */
    GPtrArray *all = g_ptr_array_new();
    g_ptr_array_extend(all, prog->def_chunks, NULL, NULL);
    for (guint k = 0; k < prog->part_weights->len; k++) g_ptr_array_extend(all, g_ptr_array_index(prog->part_weights, k), NULL, NULL);
    g_ptr_array_extend(all, prog->part_pools, NULL, NULL);
    g_ptr_array_extend(all, prog->table_chunks, NULL, NULL);
    for (guint g = 0; g < prog->split_chunks->len; g++) g_ptr_array_extend(all, g_ptr_array_index(prog->split_chunks, g), NULL, NULL);
    g_ptr_array_add(all, prog->period_start);
    g_ptr_array_add(all, prog->period_end);
    int max_stack = 1, max_locals = 1;
    for (guint i = 0; i < all->len; i++) {
        const wz_chunk *c = g_ptr_array_index(all, i);
        if (!c) continue;
        if (c->max_stack > max_stack) max_stack = c->max_stack;
        if (c->nlocals > max_locals) max_locals = c->nlocals;
    }
    g_ptr_array_free(all, TRUE);
    vm->stack_cap = max_stack;
    vm->locals_cap = max_locals;
    vm->workers = g_new0(wz_vm_worker, max_threads());
    for (int t = 0; t < max_threads(); t++) {
        vm->workers[t].stack = g_new0(wz_value, max_stack);
        vm->workers[t].locals = g_new0(wz_value, max_locals);
        vm->workers[t].marks = g_array_new(FALSE, FALSE, sizeof(wz_row_ref));
        vm->workers[t].findings = g_ptr_array_new();
        vm->workers[t].conflicts = g_array_new(FALSE, FALSE, sizeof(conflict));
        g_array_set_clear_func(vm->workers[t].conflicts, conflict_clear);
        vm->workers[t].items = g_array_new(FALSE, FALSE, sizeof(vm_item));
        vm->workers[t].visited = g_new0(uint32_t, prog->policy->defs->len + 1);
    }
    return vm;
}

static void finding_free(gpointer p) {
    wz_finding *f = p;
    g_array_free(f->rows, TRUE);
    g_free(f);
}

void wz_vm_set_history(wz_vm *vm, int d, guint nperiods, wz_value *values, uint32_t *rows) {
    if (!vm->history) {
        vm->history = g_new0(wz_value *, vm->prog->policy->defs->len);
        vm->history_rows = g_new0(uint32_t *, vm->prog->policy->defs->len);
    }
    g_free(vm->history[d]);
    g_free(vm->history_rows[d]);
    vm->history[d] = values;
    vm->history_rows[d] = rows;
    vm->history_periods = nperiods;
}

void wz_vm_free(wz_vm *vm) {
    if (!vm) return;
    if (vm->sharing) g_ptr_array_free(vm->sharing, TRUE);
    if (vm->sharing_rows) g_ptr_array_free(vm->sharing_rows, TRUE);
    if (vm->history) {
        for (guint d = 0; d < vm->prog->policy->defs->len; d++) {
            g_free(vm->history[d]);
            g_free(vm->history_rows[d]);
        }
        g_free(vm->history);
        g_free(vm->history_rows);
    }
    if (vm->values) {
        for (guint d = 0; d < vm->prog->policy->defs->len; d++) def_values_free(&vm->values[d]);
        g_free(vm->values);
    }
    g_free(vm->pop_counts);
    if (vm->table_values) {
        for (guint t = 0; t < vm->prog->policy->tables->len; t++) g_free(vm->table_values[t]);
        g_free(vm->table_values);
    }
    g_ptr_array_set_free_func(vm->findings, finding_free);
    g_ptr_array_free(vm->findings, TRUE);
    g_ptr_array_free(vm->windows, TRUE);
    for (int t = 0; t < max_threads(); t++) {
        g_free(vm->workers[t].stack);
        g_free(vm->workers[t].locals);
        g_array_free(vm->workers[t].marks, TRUE);
        g_ptr_array_set_free_func(vm->workers[t].findings, finding_free);
        g_ptr_array_free(vm->workers[t].findings, TRUE);
        g_array_free(vm->workers[t].conflicts, TRUE);
        items_clear(vm->workers[t].items);
        g_array_free(vm->workers[t].items, TRUE);
        g_free(vm->workers[t].visited);
    }
    g_free(vm->workers);
    g_free(vm->params);
    g_free(vm);
}

wz_value wz_vm_value(const wz_vm *vm, int d, uint32_t p) {
    const wz_def *def = g_ptr_array_index(vm->prog->policy->defs, d);
    if (def->entity >= 0 && def->entity != vm->kind) return wz_missing();   /* another kind's run has it */
    return value_get(vm, d, def->kind == WZ_DEF_POP_AGG ? 0 : p);
}

/* ---- facts access ----------------------------------------------------------- */

static wz_value cell(const wz_fact_table *t, uint32_t field, uint32_t row) {
    const wz_column *col = t->columns[field];
    if (wz_column_is_missing(col, row)) return wz_missing();
    const wz_field_schema *fs = g_ptr_array_index(t->schema->fields, field);
    switch (fs->type) {
    case WZ_FT_INT: return wz_num(wz_dec_from_int(wz_column_int(col, row)));
    case WZ_FT_DECIMAL: return wz_num(wz_column_dec(col, row));
    case WZ_FT_DATE: return wz_tagged(WZ_V_DATE, wz_column_int(col, row));
    case WZ_FT_BOOL: return wz_tagged(WZ_V_BOOL, wz_column_int(col, row));
    case WZ_FT_ENUM: return wz_tagged(WZ_V_ENUM, wz_column_int(col, row));
    case WZ_FT_TEXT: return wz_tagged(WZ_V_TEXT, wz_column_int(col, row));
    case WZ_FT_PERSON: return wz_tagged(WZ_V_PERSON, wz_column_int(col, row));
    }
    return wz_missing();
}

/* The kept row of a one-per-person (or the persons) fact for person p, or -1. */
/* Cites the row an iterator stands on as a cause of the value being computed. */
static inline void mark_row(GArray *marks, const row_iter *it) {
    wz_row_ref r = {it->fact, it->table->line[it->row]};
    g_array_append_val(marks, r);
}

/* Cites an earlier period's kept.csv row of def d (at: its slot in the vm's
 * history, back: how many periods back, 1 = the latest) as fact number
 * (facts + period index, oldest first). */
static inline void mark_kept_row(const wz_vm *vm, GArray *marks, uint32_t d, size_t at, guint back) {
    wz_row_ref r = {vm->facts->tables->len + (vm->history_periods - back), vm->history_rows[d][at]};
    g_array_append_val(marks, r);
}

static int64_t person_row(const wz_fact_table *t, uint32_t p) {
    if (t->schema->is_population) return p;
    if (!t->by_person_start || t->by_person_start[p] == t->by_person_start[p + 1]) return -1;
    return t->by_person_start[p];
}

static bool row_in_window(const wz_vm *vm, const frame *fr, const wz_fact_table *t, uint32_t row) {
    if (fr->win_group < 0 || t->schema->date_field < 0) return true;
    const wz_window *w = &g_array_index((GArray *)g_ptr_array_index(vm->windows, fr->win_group), wz_window, fr->win_index);
    int64_t d = wz_column_int(t->columns[t->schema->date_field], row);
    return d >= w->start && d <= w->end;
}

/* Moves it to the first row at or after it->pos inside the window; false when none. */
static bool iter_settle(const wz_vm *vm, const frame *fr, row_iter *it) {
    for (; it->pos < it->end; it->pos++) {
        uint32_t row = it->rows ? it->rows[it->pos] : it->pos;
        if (row_in_window(vm, fr, it->table, row)) {
            it->row = row;
            return true;
        }
    }
    return false;
}

/* ---- values ------------------------------------------------------------------- */

static int compare(const wz_value *a, const wz_value *b) {
    if (a->tag == WZ_V_NUM && b->tag == WZ_V_NUM) return wz_dec_cmp(a->d, b->d);
    return a->i < b->i ? -1 : a->i > b->i;
}

/* Fact text is interned (equal ids, equal text); a policy string or a text
 * param is compared with fact text by content. */
static const char *text_of(const wz_vm *vm, const wz_value *v) {
    return v->tag == WZ_V_STR ? v->s : wz_facts_string(vm->facts, (uint32_t)v->i);
}

static bool equal(const wz_vm *vm, const wz_value *a, const wz_value *b) {
    bool at = a->tag == WZ_V_TEXT || a->tag == WZ_V_STR, bt = b->tag == WZ_V_TEXT || b->tag == WZ_V_STR;
    if (at && bt) {
        if (a->tag == WZ_V_TEXT && b->tag == WZ_V_TEXT) return a->i == b->i;
        return strcmp(text_of(vm, a), text_of(vm, b)) == 0;
    }
    if (a->tag != b->tag) return false;
    return compare(a, b) == 0;
}

/* ---- the loop ----------------------------------------------------------------- */

typedef struct run_error {
    const char *what;
    uint32_t span;
} run_error;

static bool exec(wz_vm *vm, wz_vm_worker *w, const wz_chunk *ch, int64_t person, wz_value *result, run_error *err) {
    const uint32_t *code = (const uint32_t *)ch->code->data;
    const wz_value *consts = (const wz_value *)ch->consts->data;
    const wz_facts *facts = vm->facts;
    wz_value *stack = w->stack, *sp = w->stack;
    wz_value *locals = w->locals;
    GArray *marks = w->marks;
    frame fr = {.person = person, .win_group = -1};
    guint pc = 0;
    wz_dec_status st;

#define PUSH(v) (*sp++ = (v))
#define POP() (*--sp)
#define TOP (sp[-1])
#define ARG(k) (code[pc + 1 + (k)])
#define NEXT_PC(op) (pc += 1 + (guint)wz_opcodes[op].operands)
#define FAIL(msg) do { err->what = (msg); err->span = g_array_index(ch->spans, uint32_t, pc); return false; } while (0)
#define CHECK_DEC(expr) do { st = (expr); if (st != WZ_DEC_OK) FAIL(wz_dec_status_message(st)); } while (0)
#define NEED_NUM(v) do { if ((v).tag != WZ_V_NUM) FAIL("a value needed here is missing"); } while (0)

    for (;;) {
        uint32_t op = code[pc];
        w->steps++;
        if (G_UNLIKELY(vm->trace)) {
            g_string_append_printf(vm->trace_out, "[%s p%" G_GINT64_FORMAT " sp%d]", ch->name, person, (int)(sp - stack));
            wz_disasm_instruction(vm->prog, ch, pc, vm->trace_out);
        }
        switch (op) {
        case WZ_I_CONST: PUSH(consts[ARG(0)]); break;
        case WZ_I_PARAM: PUSH(vm->params[ARG(0)]); break;
        case WZ_I_DEF: {
            const wz_def *d = g_ptr_array_index(vm->prog->policy->defs, ARG(0));
            if (d->kind == WZ_DEF_POP_AGG) PUSH(value_get(vm, (int)ARG(0), 0));
            else {
                if (person < 0) FAIL("a per-person value is not available here");
                PUSH(value_get(vm, (int)ARG(0), (uint32_t)person));
            }
            break;
        }
        case WZ_I_PFIELD: {
            const wz_fact_table *t = g_ptr_array_index(facts->tables, ARG(0));
            int64_t row = person_row(t, (uint32_t)person);
            PUSH(row < 0 ? wz_missing() : cell(t, ARG(1), (uint32_t)row));
            /* a value read from the entity's own row cites that row (the
             * population's rows only say who someone is: not cited) */
            if (row >= 0 && (!t->schema->is_population || w->cite_population)) {
                wz_row_ref r = {ARG(0), t->line[row]};
                g_array_append_val(marks, r);
            }
            break;
        }
        case WZ_I_HAS_ROW: {
            const wz_fact_table *t = g_ptr_array_index(facts->tables, ARG(0));
            PUSH(wz_tagged(WZ_V_BOOL, person_row(t, (uint32_t)person) >= 0));
            break;
        }
        case WZ_I_RFIELD: {
            row_iter *it = &fr.iters[fr.niters - 1];
            PUSH(cell(it->table, ARG(0), it->row));
            break;
        }
        case WZ_I_ITER: {
            const wz_fact_table *t = g_ptr_array_index(facts->tables, ARG(0));
            g_assert(fr.niters < WZ_MAX_ROW_LOOPS);
            row_iter *it = &fr.iters[fr.niters];
            *it = (row_iter){.table = t, .fact = ARG(0), .rows = NULL};
            if (t->by_person_start) {
                it->pos = t->by_person_start[person];
                it->end = t->by_person_start[person + 1];
            }
            if (!iter_settle(vm, &fr, it)) {
                pc = ARG(1);
                continue;
            }
            fr.niters++;
            break;
        }
        case WZ_I_NEXT: {
            row_iter *it = &fr.iters[fr.niters - 1];
            it->pos++;
            if (iter_settle(vm, &fr, it)) {
                pc = ARG(0);
                continue;
            }
            fr.niters--;
            break;
        }
        case WZ_I_SUM_ROWS: {
            /* the hot loop of most rules: read the columns directly, the
             * window's bounds once, and the filter as a bit test */
            const wz_fact_table *t = g_ptr_array_index(facts->tables, ARG(0));
            uint32_t field = ARG(1), ffield = ARG(2), mask = ARG(3);
            bool count = field == WZ_OPERAND_NONE;
            bool int_field = !count && ((const wz_field_schema *)g_ptr_array_index(t->schema->fields, field))->type == WZ_FT_INT;
            const wz_column *vcol = count ? NULL : t->columns[field];
            /* an INT column is 64- or 32-bit (by its bounds: wz_column_i32);
             * the filter's enum and the dates are always 32-bit */
            const int64_t *vints = int_field ? wz_column_ints(vcol) : NULL;
            const int32_t *vi32 = int_field ? wz_column_i32(vcol) : NULL;
            const int32_t *fints = ffield == WZ_OPERAND_NONE ? NULL : wz_column_i32(t->columns[ffield]);
            const int32_t *dates = NULL;
            int64_t lo = 0, hi = 0;
            if (fr.win_group >= 0 && t->schema->date_field >= 0) {
                const wz_window *w = &g_array_index((GArray *)g_ptr_array_index(vm->windows, fr.win_group), wz_window, fr.win_index);
                dates = wz_column_i32(t->columns[t->schema->date_field]);
                lo = w->start;
                hi = w->end;
            }
            uint32_t pos = t->by_person_start ? t->by_person_start[person] : 0;
            uint32_t end = t->by_person_start ? t->by_person_start[person + 1] : 0;
            int64_t isum = 0;         /* whole-number terms, kept in an integer while they fit */
            wz_dec dsum = WZ_DEC_ZERO;
            for (; pos < end; pos++) {
                uint32_t row = pos;   /* the fact is stored grouped by person */
                if (dates && (dates[row] < lo || dates[row] > hi)) continue;
                /* the filter's enum has at most 32 members (enum_filter), so the shift is defined */
                if (fints && !((mask >> fints[row]) & 1)) continue;
                if (count) {
                    isum++;
                } else if (vints || vi32) {
                    int64_t v = vints ? vints[row] : vi32[row];
                    if (v == 0) continue;
                    if (__builtin_add_overflow(isum, v, &isum)) FAIL(wz_dec_status_message(WZ_DEC_OVERFLOW));
                } else {
                    wz_dec v = wz_column_dec(vcol, row);
                    if (wz_dec_is_zero(v)) continue;
                    CHECK_DEC(wz_dec_add(dsum, v, &dsum));
                }
                wz_row_ref r = {ARG(0), t->line[row]};
                g_array_append_val(marks, r);
            }
            CHECK_DEC(wz_dec_add(dsum, wz_dec_from_int(isum), &dsum));
            PUSH(wz_num(dsum));
            break;
        }
        case WZ_I_MARK:
            mark_row(marks, &fr.iters[fr.niters - 1]);
            break;
        case WZ_I_MARK_IF_NONZERO:
            if (TOP.tag == WZ_V_NUM && !wz_dec_is_zero(TOP.d)) mark_row(marks, &fr.iters[fr.niters - 1]);
            break;
        case WZ_I_MARK_SAVE: locals[ARG(0)] = wz_tagged(WZ_V_BOOL, marks->len); break;
        case WZ_I_MARK_DROP_IF_ZERO:
            if (TOP.tag == WZ_V_NUM && wz_dec_is_zero(TOP.d)) g_array_set_size(marks, (guint)locals[ARG(0)].i);
            break;
        case WZ_I_TIER_ROW: {
            row_iter *it = &fr.iters[fr.niters - 1];
            const GArray *table = g_ptr_array_index(vm->prog->tier_tables, ARG(0));
            /* an empty cell of an optional field holds 0, the first member: it names no tier */
            if (wz_column_is_missing(it->table->columns[ARG(1)], it->row)) break;
            int64_t member = wz_column_int(it->table->columns[ARG(1)], it->row);
            int tier = g_array_index(table, int, member);
            wz_value *cur = &locals[ARG(2)];
            wz_row_ref r = {it->fact, it->table->line[it->row]};
            if (tier > cur->i) {
                cur->i = tier;
                g_array_set_size(marks, fr.mark_floor);
                g_array_append_val(marks, r);
            } else if (tier == cur->i && tier >= 0) {
                g_array_append_val(marks, r);
            }
            break;
        }
        case WZ_I_TIER_OF: {
            wz_value v = POP();
            const GArray *table = g_ptr_array_index(vm->prog->tier_tables, ARG(0));
            PUSH(wz_tagged(WZ_V_TIER, v.tag == WZ_V_ENUM ? g_array_index(table, int, v.i) : -1));
            break;
        }
        case WZ_I_TIER_KEEP: {   /* as TIER_ROW, for a tier computed from a row value */
            row_iter *it = &fr.iters[fr.niters - 1];
            wz_value v = POP();
            wz_value *cur = &locals[ARG(0)];
            wz_row_ref r = {it->fact, it->table->line[it->row]};
            if (v.i > cur->i) {
                cur->i = v.i;
                g_array_set_size(marks, fr.mark_floor);
                g_array_append_val(marks, r);
            } else if (v.i == cur->i && v.i >= 0) {
                g_array_append_val(marks, r);
            }
            break;
        }
        case WZ_I_ITEM: {
            row_iter *it = &fr.iters[fr.niters - 1];
            wz_value v = POP();
            wz_value *acc = &locals[ARG(0)];
            if (v.tag == WZ_V_TIER) {
                if (v.i < 0) break;
                if (v.i > acc->i) acc->i = v.i;
            } else {
                NEED_NUM(v);
                if (wz_dec_is_zero(v.d)) break;
                CHECK_DEC(wz_dec_add(acc->d, v.d, &acc->d));
            }
            vm_item item = {{it->fact, it->table->line[it->row]}, v, 0, NULL};
            g_array_append_val(w->items, item);
            break;
        }
        case WZ_I_WIN_ITEM: {
            wz_value v = POP();
            wz_value *acc = &locals[ARG(0)];
            guint saved = MIN((guint)locals[ARG(1)].i, marks->len);
            bool counts;
            if (v.tag == WZ_V_TIER) {
                counts = v.i >= 0;
                if (v.i > acc->i) acc->i = v.i;
            } else {
                NEED_NUM(v);
                counts = !wz_dec_is_zero(v.d);
                if (counts) CHECK_DEC(wz_dec_add(acc->d, v.d, &acc->d));
            }
            if (counts || w->all_windows) {
                vm_item item = {{0, 0}, v, fr.win_index + 1, marks_since(marks, saved)};
                g_array_append_val(w->items, item);
            }
            g_array_set_size(marks, saved);
            break;
        }
        case WZ_I_ROW_LINE: {
            const row_iter *it = &fr.iters[fr.niters - 1];
            PUSH(wz_num(wz_dec_from_int(it->table->line[it->row])));
            break;
        }
        case WZ_I_WIN_BEGIN: {
            const GArray *ws = g_ptr_array_index(vm->windows, ARG(0));
            if (ws->len == 0) {
                pc = ARG(1);
                continue;
            }
            fr.win_group = (int)ARG(0);
            fr.win_index = 0;
            fr.mark_floor = marks->len;
            break;
        }
        case WZ_I_WIN_NEXT: {
            const GArray *ws = g_ptr_array_index(vm->windows, fr.win_group);
            if (++fr.win_index < ws->len) {
                fr.mark_floor = marks->len;
                pc = ARG(0);
                continue;
            }
            fr.win_group = -1;
            fr.mark_floor = 0;
            break;
        }
        case WZ_I_LOAD: PUSH(locals[ARG(0)]); break;
        case WZ_I_STORE: locals[ARG(0)] = POP(); break;
        case WZ_I_POP: sp--; break;
        case WZ_I_ADD: case WZ_I_SUB: case WZ_I_MUL: case WZ_I_DIV: case WZ_I_DIV_OR_MISSING: {
            wz_value b = POP(), a = POP();
            if (op == WZ_I_DIV_OR_MISSING && (b.tag != WZ_V_NUM || wz_dec_is_zero(b.d))) {
                PUSH(wz_missing());
                break;
            }
            NEED_NUM(a);
            NEED_NUM(b);
            wz_dec r;
            if (op == WZ_I_ADD) CHECK_DEC(wz_dec_add(a.d, b.d, &r));
            else if (op == WZ_I_SUB) CHECK_DEC(wz_dec_sub(a.d, b.d, &r));
            else if (op == WZ_I_MUL) CHECK_DEC(wz_dec_mul(a.d, b.d, &r));
            else CHECK_DEC(wz_dec_div(a.d, b.d, &r));
            PUSH(wz_num(r));
            break;
        }
        case WZ_I_NEG: NEED_NUM(TOP); TOP.d = wz_dec_neg(TOP.d); break;
        case WZ_I_ABS: NEED_NUM(TOP); TOP.d = wz_dec_abs(TOP.d); break;
        case WZ_I_NOT: TOP = wz_tagged(WZ_V_BOOL, !TOP.i); break;
        case WZ_I_EQ: case WZ_I_NE: {
            wz_value b = POP(), a = POP();
            bool eq = equal(vm, &a, &b);
            PUSH(wz_tagged(WZ_V_BOOL, op == WZ_I_EQ ? eq : !eq));
            break;
        }
        case WZ_I_LT: case WZ_I_LE: case WZ_I_GT: case WZ_I_GE: {
            wz_value b = POP(), a = POP();
            if (a.tag == WZ_V_MISSING || b.tag == WZ_V_MISSING) FAIL("a value needed here is missing");
            int c = compare(&a, &b);
            bool r = op == WZ_I_LT ? c < 0 : op == WZ_I_LE ? c <= 0 : op == WZ_I_GT ? c > 0 : c >= 0;
            PUSH(wz_tagged(WZ_V_BOOL, r));
            break;
        }
        case WZ_I_MIN: case WZ_I_MAX: {
            wz_value b = POP(), a = POP();
            if (a.tag == WZ_V_MISSING || b.tag == WZ_V_MISSING) FAIL("a value needed here is missing");
            int c = compare(&a, &b);
            PUSH(op == WZ_I_MIN ? (c <= 0 ? a : b) : (c >= 0 ? a : b));
            break;
        }
        case WZ_I_MIN_PRESENT: case WZ_I_MAX_PRESENT: {
            wz_value b = POP(), a = POP();
            if (a.tag == WZ_V_MISSING) PUSH(b);
            else if (b.tag == WZ_V_MISSING) PUSH(a);
            else {
                int c = compare(&a, &b);
                PUSH(op == WZ_I_MIN_PRESENT ? (c <= 0 ? a : b) : (c >= 0 ? a : b));
            }
            break;
        }
        case WZ_I_ROUND: {
            NEED_NUM(TOP);
            CHECK_DEC(wz_dec_round(TOP.d, (int)ARG(0), (wz_round_mode)ARG(1), &TOP.d));
            break;
        }
        case WZ_I_FULL_YEARS: case WZ_I_DAYS_BETWEEN: case WZ_I_FULL_MONTHS: {
            wz_value b = POP(), a = POP();
            if (a.tag != WZ_V_DATE || b.tag != WZ_V_DATE) FAIL("a date needed here is missing");
            int64_t v = op == WZ_I_FULL_YEARS    ? wz_date_full_years((wz_date)a.i, (wz_date)b.i)
                        : op == WZ_I_FULL_MONTHS ? wz_date_full_months((wz_date)a.i, (wz_date)b.i)
                                                 : b.i - a.i;
            PUSH(wz_num(wz_dec_from_int(v)));
            break;
        }
        case WZ_I_JUMP: pc = ARG(0); continue;
        case WZ_I_JUMP_IF_FALSE: {
            wz_value c = POP();
            if (!c.i) { pc = ARG(0); continue; }
            break;
        }
        case WZ_I_JUMP_IF_FALSE_KEEP: if (!TOP.i) { pc = ARG(0); continue; } break;
        case WZ_I_JUMP_IF_TRUE_KEEP: if (TOP.i) { pc = ARG(0); continue; } break;
        case WZ_I_JUMP_IF_PRESENT: if (TOP.tag != WZ_V_MISSING) { pc = ARG(0); continue; } break;
        case WZ_I_TIER_MAX: {
            wz_value b = POP(), a = POP();
            int64_t ta = a.tag == WZ_V_TIER ? a.i : -1, tb = b.tag == WZ_V_TIER ? b.i : -1;
            PUSH(wz_tagged(WZ_V_TIER, ta > tb ? ta : tb));
            break;
        }
        case WZ_I_LADDER_CUT: case WZ_I_LADDER_EXCLUDED: {
            const wz_ladder *l = g_ptr_array_index(vm->prog->policy->ladders, ARG(0));
            int64_t tier = TOP.tag == WZ_V_TIER ? TOP.i : -1;
            const wz_tier *t = tier >= 0 ? &l->tiers[tier] : NULL;
            TOP = op == WZ_I_LADDER_CUT ? wz_num(t ? t->cut : WZ_DEC_ZERO) : wz_tagged(WZ_V_BOOL, t && t->excluded);
            break;
        }
        case WZ_I_SHARING: {
            row_iter *it = &fr.iters[fr.niters - 1];
            const wz_sharing_info *si = &g_array_index(vm->prog->sharings, wz_sharing_info, ARG(0));
            const wz_column *kc = it->table->columns[si->key_field];
            if (wz_column_is_missing(kc, it->row)) {   /* a row without the key shares with no one */
                PUSH(wz_missing());
                break;
            }
            int64_t key = wz_column_int(kc, it->row);
            const wz_dec *v = g_hash_table_lookup(g_ptr_array_index(vm->sharing, ARG(0)), &key);
            PUSH(wz_num(v ? *v : WZ_DEC_ZERO));
            break;
        }
        case WZ_I_ITER_SHARING: {
            const row_iter *cur = &fr.iters[fr.niters - 1];
            const wz_sharing_info *si = &g_array_index(vm->prog->sharings, wz_sharing_info, ARG(0));
            const wz_column *kc = cur->table->columns[si->key_field];
            /* a row without the key is in no group: nothing to walk */
            const GArray *group = NULL;
            if (!wz_column_is_missing(kc, cur->row)) {
                int64_t key = wz_column_int(kc, cur->row);
                group = g_hash_table_lookup(g_ptr_array_index(vm->sharing_rows, ARG(0)), &key);
            }
            g_assert(fr.niters < WZ_MAX_ROW_LOOPS);
            row_iter *it = &fr.iters[fr.niters];
            *it = (row_iter){.table = cur->table, .fact = cur->fact};
            if (group) {
                it->rows = (const uint32_t *)group->data;
                it->end = group->len;
            }
            if (!iter_settle(vm, &fr, it)) {
                pc = ARG(1);
                continue;
            }
            fr.niters++;
            break;
        }
        case WZ_I_DECIDE: {
            const wz_decide *info = g_ptr_array_index(vm->prog->policy->decides, ARG(0));
            const wz_value *held = &locals[ARG(1)];
            guint n = info->n;
            int picked = -1, second = -1;
            for (guint i = 0; i < n; i++) {
                if (held[i].tag != WZ_V_BOOL || !held[i].i) continue;
                bool overridden = false;
                for (guint j = 0; j < n && !overridden; j++)
                    overridden = info->over[j * n + i] && held[j].tag == WZ_V_BOOL && held[j].i;
                if (overridden) continue;
                if (picked < 0) picked = (int)i;
                else if (second < 0) second = (int)i;
            }
            if (second >= 0) {   /* never a silent pick: a conflict finding, and no value */
                conflict cf = {(int)ARG(0), picked, second, fr.win_group >= 0 ? fr.win_index + 1 : 0, NULL};
                bool seen = false;   /* the same conflict met again (another row): one finding (a window's: one per window) */
                for (guint k = 0; k < w->conflicts->len && !seen; k++) {
                    const conflict *o = &g_array_index(w->conflicts, conflict, k);
                    seen = o->decide == cf.decide && o->a == cf.a && o->b == cf.b && o->window == cf.window;
                }
                if (fr.niters > 0) mark_row(marks, &fr.iters[fr.niters - 1]);   /* the row it was deciding for */
                if (!seen && cf.window) cf.rows = marks_since(marks, fr.mark_floor);   /* its marks are dropped at its WIN_ITEM */
                if (!seen) g_array_append_val(w->conflicts, cf);
                picked = -1;
            }
            PUSH(wz_num(wz_dec_from_int(picked)));
            break;
        }
        case WZ_I_TIER_AT: {
            const wz_ladder *l = g_ptr_array_index(vm->prog->policy->ladders, ARG(0));
            int64_t ntiers = (int64_t)l->ntiers, at = 0;
            if (TOP.tag == WZ_V_MISSING) {
                TOP = wz_tagged(WZ_V_TIER, -1);
                break;
            }
            NEED_NUM(TOP);
            if (!wz_dec_is_integer(TOP.d) || !wz_dec_to_int64(TOP.d, &at)) FAIL("a tier number must be a whole number");
            TOP = wz_tagged(WZ_V_TIER, at < 1 ? -1 : (at > ntiers ? ntiers : at) - 1);
            break;
        }
        case WZ_I_TABLE_ENUM: {
            const wz_table *tb = g_ptr_array_index(vm->prog->policy->tables, ARG(0));
            const GArray *map = g_ptr_array_index(vm->prog->tier_tables, ARG(1));
            const wz_dec *computed = vm->table_values ? vm->table_values[ARG(0)] : NULL;
            if (TOP.tag == WZ_V_MISSING) break;
            int row = TOP.i >= 0 && TOP.i < (int64_t)map->len ? g_array_index(map, int, TOP.i) : -1;
            if (row >= 0) TOP = wz_num(computed ? computed[row] : tb->values[row]);
            else if (tb->has_default) TOP = wz_num(computed ? computed[tb->n] : tb->fallback);
            else FAIL("the key is not in the table and the table has no 'otherwise' row");
            break;
        }
        case WZ_I_TABLE_AT: {
            const wz_table *tb = g_ptr_array_index(vm->prog->policy->tables, ARG(0));
            /* values written as expressions were evaluated once for the run */
            const wz_dec *vals = vm->table_values && vm->table_values[ARG(0)] ? vm->table_values[ARG(0)] : tb->values;
            wz_dec fallback = vals == tb->values ? tb->fallback : vals[tb->n];
            if (tb->text_keys) {   /* keyed by text: an exact match, else `otherwise` */
                const char *key = TOP.tag == WZ_V_TEXT || TOP.tag == WZ_V_STR ? text_of(vm, &TOP) : NULL;
                guint k = 0;
                while (key && k < tb->text_keys->len && strcmp(g_ptr_array_index(tb->text_keys, k), key) != 0) k++;
                if (key && k < tb->text_keys->len) TOP = wz_num(vals[k]);
                else if (tb->has_default) TOP = wz_num(fallback);
                else FAIL("the key is not in the table and the table has no 'otherwise' row");
                break;
            }
            NEED_NUM(TOP);
            if (tb->bands) {   /* the first band whose upper key the key does not pass */
                guint k = 0;
                while (k < tb->n && wz_dec_cmp(TOP.d, tb->bands[k]) > 0) k++;
                if (k < tb->n) TOP = wz_num(vals[k]);
                else if (tb->has_default) TOP = wz_num(fallback);
                else FAIL("the key is above the table's last band and the table has no 'otherwise' row");
                break;
            }
            int64_t key;
            if (!wz_dec_is_integer(TOP.d) || !wz_dec_to_int64(TOP.d, &key)) FAIL("a table's key must be a whole number");
            if (key >= tb->first && key - tb->first < (int64_t)tb->n) {
                TOP = wz_num(vals[key - tb->first]);
            } else if (key > tb->first && tb->order >= 0) {
                /* Newton's forward differences: f(first + m) = Σ_j C(m, j) Δ^j f(first) */
                int64_t m = key - tb->first;
                wz_dec sum = WZ_DEC_ZERO, binom = WZ_DEC_ONE, term;
                for (int j = 0; j <= tb->order; j++) {
                    if (j > 0) {
                        CHECK_DEC(wz_dec_mul(binom, wz_dec_from_int(m - j + 1), &binom));
                        CHECK_DEC(wz_dec_div(binom, wz_dec_from_int(j), &binom));
                    }
                    CHECK_DEC(wz_dec_mul(binom, tb->diffs[j], &term));
                    CHECK_DEC(wz_dec_add(sum, term, &term));
                    sum = term;
                }
                TOP = wz_num(sum);
            } else if (tb->has_default) {
                TOP = wz_num(fallback);
            } else {
                FAIL("the key is outside the table and the table has no 'otherwise' row");
            }
            break;
        }
        case WZ_I_HISTORY: {
            if (person < 0) FAIL("an earlier period's value is not available here");
            const wz_value *h = vm->history ? vm->history[ARG(0)] : NULL;
            uint32_t back = ARG(1);
            size_t at = (size_t)(back - 1) * vm->npersons + (size_t)person;
            PUSH(h && back >= 1 && back <= vm->history_periods ? h[at] : wz_missing());
            if (TOP.tag != WZ_V_MISSING) mark_kept_row(vm, marks, ARG(0), at, back);
            break;
        }
        case WZ_I_STREAK: {
            const wz_value *h = vm->history ? vm->history[ARG(0)] : NULL;
            int64_t run = 0;
            if (TOP.tag == WZ_V_BOOL && TOP.i) {
                run = 1;
                for (guint k = 0; h && k < vm->history_periods; k++) {
                    size_t at = (size_t)k * vm->npersons + (size_t)person;
                    const wz_value *v = &h[at];
                    if (v->tag != WZ_V_BOOL || !v->i) break;
                    run++;
                    mark_kept_row(vm, marks, ARG(0), at, k + 1);   /* the earlier period's kept row is a cause */
                }
            }
            TOP = wz_num(wz_dec_from_int(run));
            break;
        }
        case WZ_I_ENTITY_KEY:
            if (person < 0) FAIL("the entity's key is not available here");
            PUSH(((wz_value){.tag = WZ_V_STR, .s = wz_facts_person_id(vm->facts, (uint32_t)person)}));
            break;
        case WZ_I_RETURN:
            *result = POP();
            return true;
        default:
            FAIL("corrupt bytecode");
        }
        NEXT_PC(op);
    }
#undef PUSH
#undef POP
#undef TOP
#undef ARG
#undef NEXT_PC
#undef FAIL
#undef CHECK_DEC
#undef NEED_NUM
}

static void report(wz_vm *vm, const wz_chunk *ch, const run_error *err, int64_t person, wz_diags *diags) {
    wz_span span = {ch->src, err->span, err->span + 1};
    if (person >= 0 && vm->facts) {
        const wz_entity_kind *k = g_ptr_array_index(vm->prog->policy->kinds, vm->kind);
        wz_diag_at(diags, WZ_SEV_ERROR, span, "while computing '%s' for %s %s: %s", ch->name, k->name,
                   wz_facts_person_id(vm->facts, (uint32_t)person), err->what);
    }
    else
        wz_diag_at(diags, WZ_SEV_ERROR, span, "while computing '%s': %s", ch->name, err->what);
}

bool wz_vm_eval_global(wz_vm *vm, const wz_chunk *chunk, wz_value *out, wz_diags *diags) {
    run_error err;
    if (!exec(vm, &vm->workers[0], chunk, -1, out, &err)) {
        report(vm, chunk, &err, -1, diags);
        return false;
    }
    return true;
}

bool wz_vm_eval_for(wz_vm *vm, const wz_chunk *chunk, uint32_t p, wz_value *out, wz_diags *diags) {
    wz_vm_worker *w = &vm->workers[0];   /* a probe may need more room than the program's chunks */
    if (chunk->max_stack > vm->stack_cap) w->stack = g_renew(wz_value, w->stack, vm->stack_cap = chunk->max_stack);
    if (chunk->nlocals > vm->locals_cap) w->locals = g_renew(wz_value, w->locals, vm->locals_cap = chunk->nlocals);
    run_error err;
    if (!exec(vm, &vm->workers[0], chunk, (int64_t)p, out, &err)) {
        report(vm, chunk, &err, (int64_t)p, diags);
        return false;
    }
    return true;
}

/* A table's values written as expressions of params: each evaluated once, into
 * vm->table_values (a copy of the table's literal values with those filled in). */
static bool eval_table_values(wz_vm *vm, wz_diags *diags) {
    const wz_program *prog = vm->prog;
    if (!prog->table_chunks->len || vm->table_values) return true;
    const GPtrArray *tables = prog->policy->tables;
    vm->table_values = g_new0(wz_dec *, tables->len);
    for (guint i = 0; i < prog->table_chunks->len; i++) {
        const wz_table_slot *slot = &g_array_index(prog->table_slots, wz_table_slot, i);
        const wz_table *tb = g_ptr_array_index(tables, slot->table);
        wz_dec **vals = &vm->table_values[slot->table];
        if (!*vals) {
            *vals = g_new(wz_dec, tb->n + 1);
            memcpy(*vals, tb->values, tb->n * sizeof(wz_dec));
            (*vals)[tb->n] = tb->fallback;
        }
        wz_value v;
        if (!wz_vm_eval_global(vm, g_ptr_array_index(prog->table_chunks, i), &v, diags)) return false;
        if (v.tag != WZ_V_NUM) {
            wz_diag_at(diags, WZ_SEV_ERROR, tb->value_exprs[slot->row]->span, "this value of table '%s' has no value; give the params it uses",
                       tb->name);
            return false;
        }
        (*vals)[slot->row] = v.d;
    }
    return true;
}

bool wz_vm_eval_period(wz_vm *vm, wz_diags *diags) {
    const wz_program *prog = vm->prog;
    if (!eval_table_values(vm, diags)) return false;
    if (!prog->period_start) return true;
    wz_value a, b;
    if (!wz_vm_eval_global(vm, prog->period_start, &a, diags) || !wz_vm_eval_global(vm, prog->period_end, &b, diags))
        return false;
    if (a.tag != WZ_V_DATE || b.tag != WZ_V_DATE) {
        wz_diag_at(diags, WZ_SEV_ERROR, prog->policy->period->span, "the period's dates have no value; give the params they use");
        return false;
    }
    if (a.i > b.i) {
        char s[11], e[11];
        wz_date_format((wz_date)a.i, s);
        wz_date_format((wz_date)b.i, e);
        wz_diag_at(diags, WZ_SEV_ERROR, prog->policy->period->span, "the period ends (%s) before it starts (%s)", e, s);
        return false;
    }
    vm->has_period = true;
    vm->period_start = (wz_date)a.i;
    vm->period_end = (wz_date)b.i;
    for (guint g = 0; g < prog->split_chunks->len; g++) {
        GPtrArray *splits = g_ptr_array_index(prog->split_chunks, g);
        const wz_window_group *wg = g_ptr_array_index(prog->policy->windows, g);
        GArray *ws = g_array_new(FALSE, FALSE, sizeof(wz_window));
        wz_date start = vm->period_start;
        bool ok = true;
        /* every month or week: a window from each 1st (or Monday) in the period; the first
         * and last may be partial */
        for (wz_date next; wg->every != WZ_EVERY_NONE &&
                           (next = wg->every == WZ_EVERY_MONTH ? wz_date_next_month(start) : wz_date_next_monday(start)) <= vm->period_end;
             start = next) {
            wz_window w = {start, (wz_date)(next - 1)};
            g_array_append_val(ws, w);
        }
        for (guint k = 0; k < splits->len; k++) {
            wz_value d;
            if (!wz_vm_eval_global(vm, g_ptr_array_index(splits, k), &d, diags)) { ok = false; break; }
            /* each split date starts a new window: [start, d-1], then [d, …] */
            if (d.i <= start || d.i > vm->period_end) {
                char buf[11];
                wz_date_format((wz_date)d.i, buf);
                wz_diag_at(diags, WZ_SEV_ERROR, g_array_index(wg->split_spans, wz_span, k),
                           "split date %s must fall after the previous window's start and within the period", buf);
                ok = false;
                break;
            }
            wz_window w = {start, (wz_date)(d.i - 1)};
            g_array_append_val(ws, w);
            start = (wz_date)d.i;
        }
        wz_window last = {start, vm->period_end};
        g_array_append_val(ws, last);
        g_ptr_array_add(vm->windows, ws);
        if (!ok) return false;
    }
    return true;
}

static gint finding_order(gconstpointer a, gconstpointer b) {
    const wz_finding *x = *(wz_finding *const *)a, *y = *(wz_finding *const *)b;
    if (x->person != y->person) return x->person < y->person ? -1 : 1;
    if (x->def != y->def) return x->def < y->def ? -1 : 1;
    /* a def's conflicts come before its own finding, in program order */
    if (x->decide != y->decide) return x->decide < 0 ? 1 : y->decide < 0 ? -1 : x->decide < y->decide ? -1 : 1;
    if (x->option_a != y->option_a) return x->option_a < y->option_a ? -1 : 1;
    if (x->option_b != y->option_b) return x->option_b < y->option_b ? -1 : 1;
    /* a `for each` rule's incidents, in the order of their rows; a windowed one's in the windows' */
    if (x->incident != y->incident) return x->incident < y->incident ? -1 : 1;
    return x->window < y->window ? -1 : x->window > y->window;
}

/* A rule may count rows through a `let` (deduct x 1 per sick_days): re-run
 * such lets for this person with marking on, so the finding still cites the
 * rows.  Only done for findings, so it costs nothing for persons without. */
static void mark_rows_of_deps(wz_vm *vm, wz_vm_worker *w, const wz_def *def, uint32_t p, int depth) {
    const wz_policy *pol = vm->prog->policy;
    if (depth > 64) return;   /* deps are acyclic; this only bounds the recursion */
    guint pending = w->conflicts->len;   /* re-running a dep must not report its conflicts again */
    for (guint i = 0; i < def->deps->len; i++) {
        int d = g_array_index(def->deps, int, i);
        /* each dep once per finding: a value read along many paths is not
         * re-run once per path (that would be exponential in the chain) */
        if (w->visited[d] == w->visit_mark) continue;
        w->visited[d] = w->visit_mark;
        const wz_def *dep = g_ptr_array_index(pol->defs, d);
        if (dep->kind == WZ_DEF_RANK || dep->kind == WZ_DEF_QUOTA) {   /* ordered by keys: cite what the keys read */
            mark_rows_of_deps(vm, w, dep, p, depth + 1);
            continue;
        }
        if ((dep->kind != WZ_DEF_LET && dep->kind != WZ_DEF_KEY) || !(dep->uses_rows || dep->cites_rows)) continue;
        wz_value ignored;
        run_error err;
        exec(vm, w, g_ptr_array_index(vm->prog->def_chunks, d), p, &ignored, &err);   /* succeeded before */
        g_array_set_size(w->conflicts, pending);
        mark_rows_of_deps(vm, w, dep, p, depth + 1);
    }
}

static void add_finding(wz_vm *vm, wz_vm_worker *w, uint32_t p, int d, wz_dec points, int tier);

/* Each conflict the def met for person p becomes a finding of its own. */
static void add_conflicts(wz_vm *vm, wz_vm_worker *w, uint32_t p, int d) {
    GArray *pending = w->conflicts;
    while (pending->len) {
        GArray *one = g_array_sized_new(FALSE, FALSE, sizeof(conflict), 1);
        g_array_set_clear_func(one, conflict_clear);
        g_array_append_val(one, g_array_index(pending, conflict, 0));
        g_array_index(pending, conflict, 0).rows = NULL;   /* now one's */
        g_array_remove_index(pending, 0);
        w->conflicts = one;
        add_finding(vm, w, p, d, WZ_DEC_ZERO, -1);
        w->conflicts = pending;
        g_array_free(one, TRUE);
    }
}

/* The rows marked, each once, in the order first met (a row can be marked
 * twice when two aggregates of the rule count it): a new array. */
static GArray *marked_rows(const GArray *marks) {
    GArray *rows = g_array_sized_new(FALSE, FALSE, sizeof(wz_row_ref), marks->len);
    /* usually the marks come in strictly increasing (fact, line) order, as one
     * aggregate walks a person's rows: then there is nothing to remove */
    bool increasing = true;
    for (guint i = 1; i < marks->len && increasing; i++) {
        const wz_row_ref *a = &g_array_index(marks, wz_row_ref, i - 1), *b = &g_array_index(marks, wz_row_ref, i);
        increasing = a->fact < b->fact || (a->fact == b->fact && a->line < b->line);
    }
    if (increasing) {
        g_array_append_vals(rows, marks->data, marks->len);
        return rows;
    }
    GHashTable *seen = marks->len > 16 ? g_hash_table_new(g_int64_hash, g_int64_equal) : NULL;
    gint64 *keys = seen ? g_new(gint64, marks->len) : NULL;
    for (guint i = 0; i < marks->len; i++) {
        wz_row_ref r = g_array_index(marks, wz_row_ref, i);
        bool dup = false;
        if (seen) {
            keys[i] = ((gint64)r.fact << 32) | r.line;
            dup = !g_hash_table_add(seen, &keys[i]);
        } else {
            for (guint k = 0; k < rows->len && !dup; k++) {
                const wz_row_ref *q = &g_array_index(rows, wz_row_ref, k);
                dup = q->fact == r.fact && q->line == r.line;
            }
        }
        if (!dup) g_array_append_val(rows, r);
    }
    if (seen) g_hash_table_destroy(seen);
    g_free(keys);
    return rows;
}

/* Starts the cited rows of a new finding (or an own amount) of worker w: the
 * deps it re-runs are each re-run once for it. */
static void next_visit(wz_vm *vm, wz_vm_worker *w) {
    if (++w->visit_mark == 0) {   /* wrapped: forget every earlier finding's visits */
        memset(w->visited, 0, sizeof(uint32_t) * vm->prog->policy->defs->len);
        w->visit_mark = 1;
    }
}

/* The rows a new finding of def d cites: those marked (outside any window, as they stand),
 * then those of the window it is about (NULL: none), then those of the lets it reads,
 * each once.  The marks are left as they were, so each finding's windows are its own. */
static GArray *finding_rows(wz_vm *vm, wz_vm_worker *w, const wz_def *def, uint32_t p, const GArray *window_rows) {
    guint outside = w->marks->len;
    if (window_rows) g_array_append_vals(w->marks, window_rows->data, window_rows->len);
    next_visit(vm, w);
    mark_rows_of_deps(vm, w, def, p, 0);
    GArray *rows = marked_rows(w->marks);
    g_array_set_size(w->marks, outside);
    return rows;
}

static void add_finding(wz_vm *vm, wz_vm_worker *w, uint32_t p, int d, wz_dec points, int tier) {
    wz_finding *f = g_new0(wz_finding, 1);
    f->person = p;
    f->def = d;
    f->points = points;
    f->tier = tier;
    f->decide = f->option_a = f->option_b = -1;
    const GArray *window_rows = NULL;
    if (w->conflicts->len) {   /* add_conflicts(): the first pending conflict */
        const conflict *cf = &g_array_index(w->conflicts, conflict, 0);
        f->decide = cf->decide;
        f->option_a = cf->a;
        f->option_b = cf->b;
        f->window = cf->window;   /* and the rows its window read */
        window_rows = cf->rows;
    }
    f->rows = finding_rows(vm, w, g_ptr_array_index(vm->prog->policy->defs, d), p, window_rows);
    g_ptr_array_add(w->findings, f);
}

/* Each incident a `for each` def recorded for person p is a finding of its own,
 * citing exactly its row.  Each window a windowed def recorded is one too, citing
 * the rows that window marked, those marked outside the windows (a `when` read over
 * the whole period) and those of the lets it reads.  A rule's windows add up to its
 * points before its cap: when the cap cuts them, the windows keep their points in
 * order until the capped total is reached, so the findings still add up to the rule's
 * points (`value`, unsigned as the rule computes it). */
static void add_items(wz_vm *vm, wz_vm_worker *w, uint32_t p, int d, wz_value value) {
    const wz_def *def = g_ptr_array_index(vm->prog->policy->defs, d);
    bool rule = def->kind == WZ_DEF_RULE;
    wz_dec left = value.tag == WZ_V_NUM ? value.d : WZ_DEC_ZERO, sum = WZ_DEC_ZERO;
    /* only a cap that cut the windows' sum moves points between them (and explain, which
     * asks for every window, sees each window's own worth) */
    for (guint i = 0; rule && i < w->items->len; i++)
        if (wz_dec_add(sum, g_array_index(w->items, vm_item, i).v.d, &sum) != WZ_DEC_OK) sum = WZ_DEC_ZERO;
    bool capped = rule && !w->all_windows && wz_dec_cmp(sum, left) != 0;
    for (guint i = 0; i < w->items->len; i++) {
        vm_item *item = &g_array_index(w->items, vm_item, i);
        wz_dec points = item->v.tag == WZ_V_NUM ? item->v.d : WZ_DEC_ZERO;
        if (rule) {
            /* the rule's cap is on the sum of its windows: when it is reached, later windows add nothing */
            if (capped && (i + 1 == w->items->len || wz_dec_cmp(points, left) > 0)) points = left;
            if (capped) (void)wz_dec_sub(left, points, &left);   /* cannot overflow: the windows' sum fitted */
            if (wz_dec_is_zero(points) && !w->all_windows) {
                g_clear_pointer(&item->rows, g_array_unref);
                continue;
            }
            if (def->sign < 0) points = wz_dec_neg(points);
        }
        wz_finding *f = g_new0(wz_finding, 1);
        f->person = p;
        f->def = d;
        f->points = points;
        f->tier = item->v.tag == WZ_V_TIER ? (int)item->v.i : -1;
        f->decide = f->option_a = f->option_b = -1;
        f->incident = item->row.line;
        f->window = item->window;
        if (!item->window) {
            f->rows = g_array_sized_new(FALSE, FALSE, sizeof(wz_row_ref), 1);
            g_array_append_val(f->rows, item->row);
        } else {
            f->rows = finding_rows(vm, w, def, p, item->rows);
            g_clear_pointer(&item->rows, g_array_unref);
        }
        g_ptr_array_add(w->findings, f);
    }
    g_array_set_size(w->items, 0);
}

/* One thread's share of one def: persons [lo, hi). */
typedef struct range_task {
    wz_vm *vm;
    wz_vm_worker *w;
    int d;
    uint32_t lo, hi;
    bool ok;
    run_error err;
    uint32_t err_person;
} range_task;

static gpointer run_range(gpointer data) {
    range_task *t = data;
    wz_vm *vm = t->vm;
    const wz_def *def = g_ptr_array_index(vm->prog->policy->defs, t->d);
    const wz_chunk *ch = g_ptr_array_index(vm->prog->def_chunks, t->d);
    t->ok = true;
    for (uint32_t p = t->lo; p < t->hi; p++) {
        g_array_set_size(t->w->marks, 0);
        g_array_set_size(t->w->conflicts, 0);
        items_clear(t->w->items);
        wz_value v;
        if (!exec(vm, t->w, ch, p, &v, &t->err)) {
            t->ok = false;
            t->err_person = p;
            return NULL;
        }
        value_put(vm, t->d, p, v);
        /* a constant's conflict (its options read params only) is the same for
         * everyone: reported once, for the first entity */
        if (t->w->conflicts->len && (def->entity >= 0 || p == 0)) add_conflicts(vm, t->w, p, t->d);
        if (def->each_fact >= 0 || def->each_window >= 0 || (def->kind == WZ_DEF_RULE && def->window >= 0))
            add_items(vm, t->w, p, t->d, v);
        else if (def->kind == WZ_DEF_RULE && v.tag == WZ_V_NUM && !wz_dec_is_zero(v.d))
            add_finding(vm, t->w, p, t->d, def->sign < 0 ? wz_dec_neg(v.d) : v.d, -1);
        else if (def->kind == WZ_DEF_SANCTION && v.tag == WZ_V_TIER && v.i >= 0)
            add_finding(vm, t->w, p, t->d, WZ_DEC_ZERO, (int)v.i);
        else if (def->kind == WZ_DEF_NOTICE && v.i)
            add_finding(vm, t->w, p, t->d, WZ_DEC_ZERO, -1);
        else if (def->kind == WZ_DEF_AWARD && v.tag == WZ_V_NUM && !wz_dec_is_zero(v.d))
            add_finding(vm, t->w, p, t->d, v.d, -1);
    }
    return NULL;
}

/* Computes def d for every person into vm->values[d] (a population def's
 * per-person contributions go there too), split over the threads.  On
 * errors, the one of the lowest person is reported, as one thread would. */
static bool run_def_over_persons(wz_vm *vm, int d, wz_diags *diags) {
    enum { MIN_PERSONS_PER_THREAD = 1024 };
    int threads = vm->trace ? 1 : vm->threads;
    if (threads > max_threads()) threads = max_threads();
    if (threads > 1 && vm->npersons / (uint32_t)threads < MIN_PERSONS_PER_THREAD)
        threads = (int)(vm->npersons / MIN_PERSONS_PER_THREAD) > 1 ? (int)(vm->npersons / MIN_PERSONS_PER_THREAD) : 1;
    range_task tasks[64];
    GThread *handles[64];
    for (int t = 0; t < threads; t++) {
        tasks[t] = (range_task){.vm = vm, .w = &vm->workers[t], .d = d,
                                .lo = (uint32_t)((uint64_t)vm->npersons * (uint64_t)t / (uint64_t)threads),
                                .hi = (uint32_t)((uint64_t)vm->npersons * (uint64_t)(t + 1) / (uint64_t)threads)};
    }
    for (int t = 1; t < threads; t++) handles[t] = g_thread_new("wenze-vm", run_range, &tasks[t]);
    run_range(&tasks[0]);
    for (int t = 1; t < threads; t++) g_thread_join(handles[t]);
    for (int t = 0; t < threads; t++)
        if (!tasks[t].ok) {   /* tasks are in person order: the first failure is the lowest person */
            const wz_chunk *ch = g_ptr_array_index(vm->prog->def_chunks, d);
            report(vm, ch, &tasks[t].err, tasks[t].err_person, diags);
            return false;
        }
    return true;
}

/* ---- ranks and limits: orders over every entity of the kind ------------------- */

typedef struct order_ctx {
    const wz_vm *vm;
    const wz_def *def;       /* RANK or QUOTA: its keys */
    bool by_group;
} order_ctx;

/* Orders two values of one key: numbers, dates, bools, enums, text; a
 * missing value after every present one, whatever the direction. */
static int compare_key(const wz_vm *vm, const wz_value *a, const wz_value *b, int dir) {
    bool am = a->tag == WZ_V_MISSING, bm = b->tag == WZ_V_MISSING;
    if (am || bm) return am == bm ? 0 : am ? 1 : -1;
    int c;
    if (a->tag == WZ_V_NUM && b->tag == WZ_V_NUM) c = wz_dec_cmp(a->d, b->d);
    else if ((a->tag == WZ_V_TEXT || a->tag == WZ_V_STR) && (b->tag == WZ_V_TEXT || b->tag == WZ_V_STR))
        c = strcmp(text_of(vm, a), text_of(vm, b));
    else c = a->i < b->i ? -1 : a->i > b->i;
    c = c < 0 ? -1 : c > 0;
    return dir * c;
}

/* Group first (for ranks within a group), then the keys in order. */
static int compare_keys(const order_ctx *o, uint32_t x, uint32_t y) {
    const wz_vm *vm = o->vm;
    if (o->by_group) {
        wz_value gx = value_get(vm, o->def->group, x), gy = value_get(vm, o->def->group, y);
        int c = compare_key(vm, &gx, &gy, +1);
        if (c) return c;
    }
    for (guint k = 0; k < o->def->keys->len; k++) {
        const wz_sort_key *sk = &g_array_index(o->def->keys, wz_sort_key, k);
        wz_value kx = value_get(vm, sk->def, x), ky = value_get(vm, sk->def, y);
        int c = compare_key(vm, &kx, &ky, sk->dir);
        if (c) return c;
    }
    return 0;
}

static gint by_keys(gconstpointer a, gconstpointer b, gpointer data) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    int c = compare_keys(data, x, y);
    return c ? c : (x < y ? -1 : x > y);   /* equal keys: entity order, so the sort is total */
}

/* rank_desc(V[, G]): competition ranking (1, 2, 2, 4) or dense (1, 2, 2, 3)
 * within each group; an entity without V gets no place. */
static void compute_ranks(wz_vm *vm, int d) {
    const wz_def *def = g_ptr_array_index(vm->prog->policy->defs, d);
    int key = g_array_index(def->keys, wz_sort_key, 0).def;
    uint32_t n = 0, *idx = g_new(uint32_t, vm->npersons + 1);
    for (uint32_t p = 0; p < vm->npersons; p++) {
        value_put(vm, d, p, wz_missing());
        if (vm->values[key].tags[p] != WZ_V_MISSING) idx[n++] = p;
    }
    order_ctx o = {vm, def, def->group >= 0};
    g_qsort_with_data(idx, (gint)n, sizeof(uint32_t), by_keys, &o);
    int64_t place = 0, dense = 0, in_group = 0;
    for (uint32_t i = 0; i < n; i++) {
        bool new_group = i == 0;
        if (!new_group && def->group >= 0) {
            wz_value g = value_get(vm, def->group, idx[i]), prev = value_get(vm, def->group, idx[i - 1]);
            new_group = compare_key(vm, &g, &prev, +1) != 0;
        }
        if (new_group) in_group = place = dense = 0;
        in_group++;
        if (new_group || compare_keys(&(order_ctx){vm, def, false}, idx[i], idx[i - 1]) != 0) {
            place = in_group;
            dense++;
        }
        value_put(vm, d, idx[i], wz_num(wz_dec_from_int(def->dense ? dense : place)));
    }
    g_free(idx);
}

/* A classify case `limit P by KEYS`: of the entities meeting its condition,
 * the first floor(P × entities) in the keys' order keep it.  A tie across the
 * limit is an error: wenze does not pick between equals. */
static bool apply_limit(wz_vm *vm, int d, wz_diags *diags) {
    const wz_def *def = g_ptr_array_index(vm->prog->policy->defs, d);
    uint32_t n = 0, *idx = g_new(uint32_t, vm->npersons + 1);
    for (uint32_t p = 0; p < vm->npersons; p++)
        if (vm->values[d].tags[p] == WZ_V_BOOL && vm->values[d].wide[p].i) idx[n++] = p;
    order_ctx o = {vm, def, false};
    g_qsort_with_data(idx, (gint)n, sizeof(uint32_t), by_keys, &o);
    /* a literal, or a param (the checker allows nothing else), which the
     * engine checked to lie from 0 to 1 before the run */
    wz_dec limit = def->limit_param >= 0 ? vm->params[def->limit_param].d : def->limit;
    wz_dec places_dec;
    int64_t places = 0;
    if (wz_dec_mul(limit, wz_dec_from_int(vm->npersons), &places_dec) == WZ_DEC_OK &&
        wz_dec_round(places_dec, 0, WZ_ROUND_DOWN, &places_dec) == WZ_DEC_OK)
        wz_dec_to_int64(places_dec, &places);
    bool ok = true;
    if (places > 0 && (uint64_t)places < n && compare_keys(&o, idx[places - 1], idx[places]) == 0) {
        const wz_entity_kind *k = g_ptr_array_index(vm->prog->policy->kinds, (guint)vm->kind);
        wz_dec hundred;
        wz_dec_mul(limit, wz_dec_from_int(100), &hundred);
        char *num = wz_dec_to_string(hundred, 0, 30);
        char *pct = g_strdup_printf("%s%%", num);
        g_free(num);
        wz_diag_at(diags, WZ_SEV_ERROR, def->span,
                   "'%s' is limited to %s of %u %ss, %" PRId64 " places, but %s and %s, at places %" PRId64
                   " and %" PRId64 ", are equal on every key after 'by'; add a key that tells them apart",
                   def->text, pct, vm->npersons, k->name, places, wz_facts_person_id(vm->facts, idx[places - 1]),
                   wz_facts_person_id(vm->facts, idx[places]), places, places + 1);
        g_free(pct);
        ok = false;
    }
    for (uint32_t i = 0; i < n; i++) value_put(vm, d, idx[i], wz_tagged(WZ_V_BOOL, (int64_t)i < places));
    g_free(idx);
    return ok;
}

/* The groups of each `sharing`: key value → count or sum over all the fact's rows, before
 * any def runs (the threads then only read them). */
static bool build_sharing(wz_vm *vm, wz_diags *diags) {
    vm->sharing = g_ptr_array_new_with_free_func((GDestroyNotify)g_hash_table_unref);
    vm->sharing_rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_hash_table_unref);
    for (guint s = 0; s < vm->prog->sharings->len; s++) {
        const wz_sharing_info *si = &g_array_index(vm->prog->sharings, wz_sharing_info, s);
        GHashTable *groups = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
        g_ptr_array_add(vm->sharing, groups);
        /* `… where C`: the group's rows, in file order, for ITER_SHARING to walk */
        GHashTable *members = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, (GDestroyNotify)g_array_unref);
        g_ptr_array_add(vm->sharing_rows, members);
        const wz_fact_table *t = g_ptr_array_index(vm->facts->tables, (guint)si->fact);
        for (uint32_t row = 0; t->columns && row < t->nrows; row++) {
            const wz_column *kc = t->columns[si->key_field];
            if (wz_column_is_missing(kc, row)) continue;
            int64_t key = wz_column_int(kc, row);
            if (si->rows) {
                GArray *list = g_hash_table_lookup(members, &key);
                if (!list) {
                    list = g_array_new(FALSE, FALSE, sizeof(uint32_t));
                    g_hash_table_insert(members, g_memdup2(&key, sizeof key), list);
                }
                g_array_append_val(list, row);
                continue;   /* counted and summed by the loop itself */
            }
            wz_dec *acc = g_hash_table_lookup(groups, &key);
            if (!acc) {
                acc = g_new0(wz_dec, 1);
                *acc = WZ_DEC_ZERO;
                g_hash_table_insert(groups, g_memdup2(&key, sizeof key), acc);
            }
            wz_dec add = WZ_DEC_ONE;
            if (si->value_field >= 0) {
                const wz_column *vc = t->columns[si->value_field];
                if (wz_column_is_missing(vc, row)) continue;
                add = wz_column_dec(vc, row);
            }
            if (wz_dec_add(*acc, add, acc) != WZ_DEC_OK) {
                wz_diag_plain(diags, WZ_DIAG_POLICY, WZ_SEV_ERROR, t->file, "a 'sharing' sum overflows");
                return false;
            }
        }
    }
    return true;
}

bool wz_vm_run(wz_vm *vm, const wz_facts *facts, wz_diags *diags) {
    const wz_policy *pol = vm->prog->policy;
    vm->facts = facts;
    vm->npersons = facts->npersons;
    vm->values = g_new0(wz_def_values, pol->defs->len);
    vm->pop_counts = g_new0(uint32_t, pol->defs->len + 1);
    bool ok = build_sharing(vm, diags);
    for (guint i = 0; ok && i < pol->order->len; i++) {
        int d = g_array_index(pol->order, int, i);
        const wz_def *def = g_ptr_array_index(pol->defs, d);
        if (def->entity >= 0 && def->entity != vm->kind) {   /* another kind's: computed in its own run */
            def_values_alloc(&vm->values[d], 1);
            continue;
        }
        def_values_alloc(&vm->values[d], vm->npersons);
        if (def->kind == WZ_DEF_OWN_AMOUNT) continue;   /* only for those who answer: wz_vm_eval_own */
        if (!run_def_over_persons(vm, d, diags)) {
            ok = false;
            break;
        }
        if (def->kind == WZ_DEF_RANK) compute_ranks(vm, d);
        if (def->kind == WZ_DEF_QUOTA && !apply_limit(vm, d, diags)) {
            ok = false;
            break;
        }
        if (def->kind != WZ_DEF_POP_AGG) {
            def_values_narrow(vm, d);   /* complete: nothing writes it again */
            continue;
        }
        /* reduce everyone's contribution, in person order: one value */
        wz_agg fn = def->agg;
        wz_value acc = fn == WZ_AGG_MIN || fn == WZ_AGG_MAX ? wz_missing() : wz_num(WZ_DEC_ZERO);
        int64_t n = 0;
        for (uint32_t p = 0; p < vm->npersons; p++) {
            wz_value v = value_get(vm, d, p);
            if (v.tag == WZ_V_MISSING) continue;
            n++;
            wz_dec_status st = WZ_DEC_OK;
            if (fn == WZ_AGG_SUM || fn == WZ_AGG_AVG) st = wz_dec_add(acc.d, v.d, &acc.d);
            else if (fn == WZ_AGG_COUNT) st = wz_dec_add(acc.d, WZ_DEC_ONE, &acc.d);
            else if (acc.tag == WZ_V_MISSING || (fn == WZ_AGG_MIN ? wz_dec_cmp(v.d, acc.d) < 0 : wz_dec_cmp(v.d, acc.d) > 0))
                acc = v;
            if (st != WZ_DEC_OK) {
                run_error err = {wz_dec_status_message(st), def->span.start};
                report(vm, g_ptr_array_index(vm->prog->def_chunks, d), &err, -1, diags);
                ok = false;
                break;
            }
        }
        if (fn == WZ_AGG_AVG && ok) {
            wz_dec_status st = WZ_DEC_OK;
            if (n == 0) acc = wz_missing();
            else st = wz_dec_div(acc.d, wz_dec_from_int(n), &acc.d);
            if (st != WZ_DEC_OK) {   /* was: ignored, and the sum taken for the average */
                run_error err = {wz_dec_status_message(st), def->span.start};
                report(vm, g_ptr_array_index(vm->prog->def_chunks, d), &err, -1, diags);
                ok = false;
            }
        }
        value_put(vm, d, 0, acc);   /* a population def's single value lives in slot 0 */
        vm->pop_counts[d] = (uint32_t)n;   /* what it was computed over, for explain */
        def_values_narrow(vm, d);
    }
    /* gather every worker's findings; (person, def) is unique, so the order is total */
    for (int t = 0; t < max_threads(); t++) {
        wz_vm_worker *w = &vm->workers[t];
        for (guint k = 0; k < w->findings->len; k++) g_ptr_array_add(vm->findings, g_ptr_array_index(w->findings, k));
        g_ptr_array_set_size(w->findings, 0);
        vm->steps += w->steps;
        w->steps = 0;
    }
    g_ptr_array_sort(vm->findings, finding_order);
    return ok;
}

bool wz_vm_eval_own(wz_vm *vm, int d, uint32_t p, wz_value *out, GArray **rows, wz_diags *diags) {
    wz_vm_worker *w = &vm->workers[0];
    const wz_chunk *ch = g_ptr_array_index(vm->prog->def_chunks, d);
    g_array_set_size(w->marks, 0);
    g_array_set_size(w->conflicts, 0);
    w->cite_population = true;
    run_error err;
    bool ok = exec(vm, w, ch, (int64_t)p, out, &err);
    if (ok) {   /* the rows of the lets it reads, as a finding cites them */
        *rows = finding_rows(vm, w, g_ptr_array_index(vm->prog->policy->defs, d), p, NULL);
        value_put(vm, d, p, *out);
    } else {
        report(vm, ch, &err, (int64_t)p, diags);
    }
    w->cite_population = false;
    g_array_set_size(w->conflicts, 0);   /* a decide's conflict leaves the amount missing: the caller says so */
    vm->steps += w->steps;
    w->steps = 0;
    return ok;
}

GPtrArray *wz_vm_eval_windows(wz_vm *vm, int d, uint32_t p) {
    wz_vm_worker *w = &vm->workers[0];
    const wz_chunk *ch = g_ptr_array_index(vm->prog->def_chunks, d);
    GPtrArray *found = w->findings, *out = g_ptr_array_new_with_free_func(finding_free);
    g_array_set_size(w->marks, 0);
    g_array_set_size(w->conflicts, 0);
    items_clear(w->items);
    w->findings = out;
    w->all_windows = true;
    wz_value v;
    run_error err;
    if (exec(vm, w, ch, (int64_t)p, &v, &err)) add_items(vm, w, p, d, v);   /* it ran without error in the run */
    items_clear(w->items);
    g_array_set_size(w->conflicts, 0);
    w->all_windows = false;
    w->findings = found;
    vm->steps += w->steps;
    w->steps = 0;
    return out;
}

char *wz_vm_window_text(const wz_vm *vm, const wz_finding *f) {
    const wz_def *def = g_ptr_array_index(vm->prog->policy->defs, f->def);
    int group = def->each_window >= 0 ? def->each_window : def->window;
    const wz_window *w = &g_array_index((GArray *)g_ptr_array_index(vm->windows, group), wz_window, f->window - 1);
    char a[11], b[11];
    wz_date_format(w->start, a);
    wz_date_format(w->end, b);
    return g_strdup_printf("%s/%s", a, b);
}
