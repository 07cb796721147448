/* audit.h — checking that outputs are what a run wrote, and that a run
 * gives them again (`wenze verify`, and the ledger's replay).
 *
 * summary.json records the SHA-256 of every input and of every output file
 * beside it, and the command line.  These functions compare; they never
 * print: each problem found is one line of text appended to a GPtrArray of
 * char* ("pay.csv: changed since the run"), which the caller owns.  I/O
 * problems (no summary.json) go to diags as WZ_DIAG_IO.
 */
#ifndef WZ_AUDIT_H
#define WZ_AUDIT_H

#include <glib.h>

#include "diag.h"
#include "jsonmodel.h"

/* Reads and parses DIR/summary.json.  NULL after reporting into diags. */
wz_jv *wz_summary_read(const char *dir, wz_diags *diags);

/* Compares DIR's files against the SHA-256 that summary records for them:
 * appends a line per file changed, missing, or present but not recorded.
 * Returns the number of problems. */
guint wz_audit_outputs(const char *dir, const wz_jv *summary, GPtrArray *problems);

/* Compares a run's inputs (the "inputs" of summary.json) with those recorded:
 * a line per input changed, missing or added, naming its kind and file. */
guint wz_audit_inputs(const wz_jv *recorded, const wz_jv *now, GPtrArray *problems);

/* Compares output files byte for byte: want and got map a file name to a
 * GString* (as wz_output_render gives them).  A line per file that differs,
 * is missing or is extra; for a CSV file, the keys (first column) of the rows
 * that differ.  Returns the number of problems. */
guint wz_audit_files(GHashTable *want, GHashTable *got, GPtrArray *problems);

/* The keys (first CSV field) of the rows that differ between two CSV texts,
 * comma-separated and at most 10 with "…" after; a new string. */
char *wz_audit_csv_keys(const char *a, gsize alen, const char *b, gsize blen);

/* Reads every file summary.json lists as an output of DIR (and summary.json
 * itself) into a new table name → GString*; files that cannot be read are
 * left out. */
GHashTable *wz_audit_read_outputs(const char *dir, const wz_jv *summary);

#endif
