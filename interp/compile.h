/* compile.h — lowering a checked policy to bytecode.
 *
 * Each def (a named value, a rule, a section…) becomes one chunk that computes
 * its value for one person; a population aggregate's chunk computes one
 * person's contribution.  Global values — the period, window split dates, the
 * pool and share weights — get chunks of their own, run with no person.
 *
 * Ownership: wz_compile() returns a new wz_program that borrows the policy
 * (which must outlive it); free with wz_program_free().
 */
#ifndef WZ_COMPILE_H
#define WZ_COMPILE_H

#include <glib.h>

#include "bytecode.h"
#include "check.h"
#include "value.h"

struct wz_chunk {
    char *name;
    const wz_source *src;   /* the file its code comes from (a policy or an imported file) */
    GArray *code;       /* uint32_t: opcode, operands… */
    GArray *spans;      /* uint32_t per code word: source byte offset of the instruction */
    GArray *consts;     /* wz_value */
    int nlocals;
    int max_stack;
};

/* count(FACT sharing FIELD) / sum(FACT.X sharing FIELD): rows grouped by FIELD's value. */
typedef struct wz_sharing_info {
    int fact, key_field, value_field;   /* value_field -1: count */
    bool rows;                          /* `… where C`: ITER_SHARING walks the group's rows, the VM keeps them */
} wz_sharing_info;

struct wz_program {
    const wz_policy *policy;
    GPtrArray *def_chunks;       /* wz_chunk*, one per def (same index) */
    wz_chunk *period_start, *period_end;   /* NULL without a period */
    GPtrArray *split_chunks;     /* per window group: GPtrArray of wz_chunk* (split dates) */
    wz_chunk *pool;              /* NULL without distribute; = part_pools[0] (borrowed) */
    GPtrArray *share_weights;    /* wz_chunk* per share, in policy->distribute->shares order; = part_weights[0] (borrowed) */
    GPtrArray *part_pools;       /* per part (policy->parts): its amount's chunk; owns them */
    GPtrArray *part_weights;     /* per part: GPtrArray of wz_chunk*, its shares' weights; owns them
                                    (one empty list without distribute, so share_weights is never NULL) */
    GArray *sharings;            /* wz_sharing_info, SHARING's operand */
    GPtrArray *tier_tables;      /* GArray of int: enum member → tier index on a ladder, or → row of a text-keyed table */
    /* a table's values written as expressions (wz_table.value_exprs): one chunk each, run
     * with no entity once per run (wz_vm_eval_period); table_slots says whose value it is */
    GPtrArray *table_chunks;     /* wz_chunk* */
    GArray *table_slots;         /* wz_table_slot, same index */
};

typedef struct wz_table_slot {
    guint table, row;            /* row n (the table's size) is its `otherwise` value */
} wz_table_slot;

/* In builds without NDEBUG, every program is verified (bytecode.h) before it
 * is returned, and a bad one aborts naming the chunk and pc. */
wz_program *wz_compile(const wz_policy *policy);
void wz_program_free(wz_program *prog);

/* One expression of the policy (a rule's part: amount, quantity, free, cap,
 * condition) compiled on its own, to be run for one entity after a run
 * (wz_vm_eval_for) — explain shows a rule's arithmetic with it.  A new
 * chunk; free with wz_chunk_free(). */
wz_chunk *wz_compile_probe(wz_program *prog, const char *name, const wz_node *expr);
void wz_chunk_free(wz_chunk *chunk);
/* The policy's text of such an expression, as written (a new string). */
char *wz_probe_text(const wz_node *expr);
/* The same for an expression over one row of fact `fact` (a row value): its value on the
 * entity's row at `line` of the fact's file, or missing when the entity has no such row. */
wz_chunk *wz_compile_row_probe(wz_program *prog, const char *name, int fact, uint32_t line, const wz_node *expr);

#endif
