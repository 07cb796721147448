/* bytecode.h — the instruction set: opcodes, a disassembler, a verifier.
 *
 * Everything here is generated from the one table in opcodes.def: the opcode
 * enum, wz_opcodes[] (name, operand kinds, pops, pushes, meaning), the
 * disassembler's operand notes and the verifier's checks.  compile.c emits
 * code, vm.c runs it; this file says what an instruction is.
 *
 * Ownership: the functions borrow their arguments; the disassembler appends
 * to the caller's GString; the verifier's GError is the caller's to free.
 */
#ifndef WZ_BYTECODE_H
#define WZ_BYTECODE_H

#include <glib.h>
#include <stdint.h>

typedef enum wz_opcode {
#define X(name, kinds, pops, pushes, meaning) WZ_I_##name,
#include "opcodes.def"
#undef X
    WZ_I__COUNT
} wz_opcode;

typedef struct wz_opcode_info {
    const char *name;
    const char *kinds;   /* one letter per operand word (opcodes.def, top) */
    int operands;        /* strlen(kinds) */
    int pops, pushes;
    const char *meaning;
} wz_opcode_info;

extern const wz_opcode_info wz_opcodes[WZ_I__COUNT];

/* An operand word meaning "none" (SUM_ROWS' O operands). */
#define WZ_OPERAND_NONE 0xffffffffu

/* Row loops nested at most this deep (the VM's iterator stack). */
#define WZ_MAX_ROW_LOOPS 8

typedef struct wz_chunk wz_chunk;
typedef struct wz_program wz_program;

/* Prints every chunk with its stratum, one instruction per line:
 *   0004  PFIELD      2 3        ; 12:9 workload.weekly_hours
 * after "; line:col", each operand's meaning: a constant's value, a param's,
 * def's, fact's, ladder's, table's or window group's name, fact.field, and
 * "-> PC" for a jump. */
void wz_program_disasm(const wz_program *prog, GString *out);
void wz_chunk_disasm(const wz_program *prog, const wz_chunk *chunk, GString *out);
/* One instruction at pc; returns the pc of the next. */
guint wz_disasm_instruction(const wz_program *prog, const wz_chunk *chunk, guint pc, GString *out);

/* The verifier's error domain; every message reads "chunk 'NAME' pc N: what". */
#define WZ_BYTECODE_ERROR (wz_bytecode_error_quark())
GQuark wz_bytecode_error_quark(void);

/* Checks one chunk: every opcode valid; every operand in range (constants,
 * params, defs, facts and their fields, the current row's fields, locals,
 * window groups, ladders, tables, member maps, sharings, decides, places,
 * periods back, rounding modes); jump targets inside the chunk and on
 * instruction starts; only NEXT and WIN_NEXT jump backward, each closing its
 * ITER or WIN_BEGIN loop (so every program terminates); the stack depth never
 * negative, never above max_stack and the same on every path into a join,
 * as are the open row loops and the window scope; rows read only inside a row
 * loop; every path ends in RETURN with one value.  A global chunk (run with
 * no entity: period, splits, pool, share weights) reads no entity's rows, key
 * or per-entity values.  Returns FALSE and sets *error at the first problem. */
gboolean wz_chunk_verify(const wz_program *prog, const wz_chunk *chunk, gboolean global, GError **error);
/* Every chunk of the program, each as its kind requires. */
gboolean wz_program_verify(const wz_program *prog, GError **error);

#endif
