/* output.h — the files `wenze run` writes, written atomically.
 *
 * All files are built in memory, written into a fresh temporary directory
 * beside the target and renamed into place only when every file is complete,
 * so a failed run leaves no partial output.  An existing target is replaced
 * only when it is itself a wenze output directory (it holds summary.json).
 * Every byte depends only on the policy, the facts and the engine version:
 * no times, no absolute paths, fixed key and row order.
 */
#ifndef WZ_OUTPUT_H
#define WZ_OUTPUT_H

#include <glib.h>

#include "engine.h"

/* Builds every output file's bytes: a new table of file name → GString*
 * (free with g_hash_table_unref). */
GHashTable *wz_output_render(const wz_result *r);

/* Renders and writes the files into out_dir atomically.  I/O problems are
 * reported as WZ_DIAG_IO. */
bool wz_output_write(const wz_result *r, const char *out_dir, wz_diags *diags);

/* CSV field with RFC 4180 quoting when needed. */
void wz_csv_field(GString *out, const char *s);
/* JSON string literal with escapes. */
void wz_json_string(GString *out, const char *s);

#endif
