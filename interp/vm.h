/* vm.h — running a compiled policy over imported facts.
 *
 * wz_vm_run() evaluates every def in the checker's order: a per-person def
 * once for each person, a population def once over everyone.  Each nonzero
 * rule, each sanction reached and each notice raised becomes a wz_finding
 * that cites the policy span and the fact rows (file line numbers) that
 * caused it.  Evaluation is single-threaded and in a fixed order, so the same
 * inputs always give the same values and findings.
 *
 * Ownership: wz_vm_new() returns a new wz_vm borrowing the program and facts
 * (both must outlive it); free with wz_vm_free().  Findings are owned by the vm.
 */
#ifndef WZ_VM_H
#define WZ_VM_H

#include <glib.h>

#include "compile.h"
#include "facts.h"
#include "value.h"

typedef struct wz_row_ref {
    uint32_t fact;     /* fact index */
    uint32_t line;     /* 1-based line in the fact's file */
} wz_row_ref;

typedef struct wz_finding {
    uint32_t person;
    int def;           /* the rule, sanction or notice */
    wz_dec points;     /* signed: a deduction is negative; 0 for notices and sanctions */
    int tier;          /* sanctions: tier index on the ladder; else -1 */
    /* a conflict: options a and b of decide number `decide` (program order)
     * both applied and neither overrides the other; else all -1 */
    int decide, option_a, option_b;
    GArray *rows;      /* wz_row_ref, in the order met */
    /* a `for each` item: the line of its incident's row (its only cited row), which orders
     * one entity's incidents of a rule; 0 for every other finding */
    uint32_t incident;
    /* a windowed def's finding (`for each W`, or a rule's `free N per W`): the 1-based
     * index of its window in the group (wz_vm.windows), which orders them; else 0 */
    uint32_t window;
} wz_finding;

typedef struct wz_window {
    wz_date start, end;   /* inclusive */
} wz_window;

typedef struct wz_vm {
    const wz_program *prog;
    const wz_facts *facts;    /* NULL while only globals are evaluated */
    uint32_t npersons;
    wz_value *params;         /* one per param */
    struct wz_def_values *values;   /* per def: npersons values, or 1 for a population def, stored compactly (vm.c); read with wz_vm_value */
    uint32_t *pop_counts;     /* per def: for a population def, how many entities counted (a value present) */
    bool has_period;
    wz_date period_start, period_end;
    GPtrArray *windows;       /* per group: GArray of wz_window */
    wz_dec **table_values;    /* per table with computed values: its n + 1 values (the last `otherwise`), else NULL;
                                 NULL when no table has any (wz_vm_eval_period fills it) */
    GPtrArray *findings;      /* wz_finding*, sorted by person then def */
    uint64_t steps;           /* instructions executed (summed over workers after a run) */
    bool trace;               /* print each instruction into trace_out (forces one thread) */
    GString *trace_out;
    int threads;              /* persons are split over this many threads (default 1) */
    int kind;                 /* the entity kind whose defs wz_vm_run() computes (0 = persons); constants run in every kind */
    /* Earlier periods' kept values (wz_vm_set_history): per def, NULL or
     * history_periods × npersons values, the latest period first. */
    GPtrArray *sharing;       /* per SHARING operand: GHashTable key value → wz_dec* (count or sum), built by wz_vm_run */
    GPtrArray *sharing_rows;  /* per sharing operand with `where`: GHashTable key value → GArray of its rows (uint32), for ITER_SHARING */
    wz_value **history;
    uint32_t **history_rows;  /* … and the kept.csv line of each (0 = none) */
    guint history_periods;
    struct wz_vm_worker *workers;   /* per-thread scratch: stack, locals, marks, findings */
    int stack_cap, locals_cap;      /* … the size of each worker's stack and locals (worker 0's grows for a probe) */
} wz_vm;

/* params: one value per policy param, already typed (copied). */
wz_vm *wz_vm_new(const wz_program *prog, const wz_value *params);
void wz_vm_free(wz_vm *vm);

/* Evaluates the period, the window splits and the tables' computed values (params only).  Errors (a split
 * outside the period, windows out of order) go to diags. */
bool wz_vm_eval_period(wz_vm *vm, wz_diags *diags);

/* Gives kept def d's values in the earlier periods: nperiods × npersons
 * values (the latest period first; missing where an entity had none) and the
 * kept.csv line of each, both taken over by the vm.  Every kept def gets the
 * same nperiods.  Findings cite a value read as row `line` of fact
 * (number of facts + period index, oldest first). */
void wz_vm_set_history(wz_vm *vm, int d, guint nperiods, wz_value *values, uint32_t *rows);

/* Evaluates every def over the facts.  Run-time errors (division by zero,
 * overflow) are reported at the policy span with the person's id. */
bool wz_vm_run(wz_vm *vm, const wz_facts *facts, wz_diags *diags);

/* Evaluates a global chunk (pool, share weight) after wz_vm_run. */
bool wz_vm_eval_global(wz_vm *vm, const wz_chunk *chunk, wz_value *out, wz_diags *diags);

/* Evaluates a chunk (wz_compile_probe) for entity p after wz_vm_run, as a def's
 * chunk would be: its rows, the whole period (no window). */
bool wz_vm_eval_for(wz_vm *vm, const wz_chunk *chunk, uint32_t p, wz_value *out, wz_diags *diags);

/* Evaluates OWN_AMOUNT def d (a responsible person's own amount, which
 * wz_vm_run leaves out) for person p after the run: its value into *out, and
 * into *rows a new array (wz_row_ref, each once) of the fact rows it read —
 * the persons fact's row too, whose pay it reads.  One thread; an error goes
 * to diags, at the policy span with the person's id. */
bool wz_vm_eval_own(wz_vm *vm, int d, uint32_t p, wz_value *out, GArray **rows, wz_diags *diags);

/* Evaluates `for each W` award or sanction d (def->each_window >= 0) for entity p after
 * the run, on one thread: a new array of wz_finding*, one for every window of W in order,
 * each citing the rows its window read — those worth nothing too (points 0, tier -1), so
 * that explain can say why a month lost its 全勤奖. */
GPtrArray *wz_vm_eval_windows(wz_vm *vm, int d, uint32_t p);

/* The dates of finding f's window (f->window > 0), as an ISO 8601 interval:
 * "2019-09-01/2019-09-30".  A new string. */
char *wz_vm_window_text(const wz_vm *vm, const wz_finding *f);

/* The value of def d for person p (p ignored for population defs). */
wz_value wz_vm_value(const wz_vm *vm, int d, uint32_t p);

#endif
