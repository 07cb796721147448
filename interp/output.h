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

/* Writes files (name → GString*, as wz_output_render gives them; borrowed)
 * into out_dir atomically, with the same rules as wz_output_write. */
bool wz_output_write_files(GHashTable *files, const char *out_dir, wz_diags *diags);
/* Whether an existing directory may be replaced by an output: it is empty, or
 * holds nothing but output files with a summary.json that wenze wrote. */
bool wz_output_replaceable(const char *dir);
/* What summary.json calls a policy source in its inputs: the policy's file
 * name, an imported file relative to the policy's directory, or
 * "<stdlib>/NAME.wz".  New string. */
char *wz_output_input_name(const wz_policy *p, const wz_source *src);

/* How the files a person reads are laid out (output_layout.c): run's --labels, --excel, --xlsx. */
typedef enum wz_labels { WZ_LABELS_NONE, WZ_LABELS_EN, WZ_LABELS_ZH } wz_labels;
typedef struct wz_output_options {
    wz_labels labels;   /* headers in words, sections by their labels, a name column */
    bool excel;         /* a UTF-8 BOM and CRLF in the CSV files (not kept.csv) */
    bool xlsx;          /* results.xlsx beside them */
} wz_output_options;

/* The layout a command line asks for (the one summary.json records, so a replay lays out alike). */
wz_output_options wz_output_options_from_command(const GPtrArray *command);
/* Lays files out again as o asks, adding results.xlsx for xlsx; false (with *err, a
 * new string) when the workbook cannot be made. */
bool wz_output_layout(const wz_result *r, GHashTable *files, const wz_output_options *o, char **err);
/* Person i's name from the persons fact's name (姓名) column, or NULL. */
const char *wz_output_person_name(const wz_result *r, uint32_t i);

/* "FILE:LINE" (with_col: "FILE:LINE:COL") of a place in the policy, as
 * findings cite it: the policy's file name, or "<stdlib>/NAME.wz".  New string. */
char *wz_output_source(const wz_policy *p, wz_span at, bool with_col);
/* The name (no directory) of the file fact t was read from, or "". */
const char *wz_output_fact_file(const wz_result *r, guint fact);
/* An exact number with at least min_places and at most max_places digits. */
void wz_append_dec(GString *out, wz_dec d, int min_places, int max_places);
/* The AWARD defs paid to persons (money outside the pool), in declaration order: pay.csv's
 * columns beside the pool's — a person's own awards, and a unit's award that names who
 * answers for it (what wz_award_paid gives each person).  A new array of def indices (int); free with g_array_free. */
GArray *wz_person_awards(const wz_policy *p);
/* The places pay.csv shows money with: the most of any part's `round N`. */
int wz_pay_places(const wz_policy *p);
/* A number as messages show it: rounded half up to places (fewer digits when it has fewer). */
void wz_append_shown(GString *out, wz_dec d, int places);

/* CSV field with RFC 4180 quoting when needed. */
void wz_csv_field(GString *out, const char *s);
/* JSON string literal with escapes. */
void wz_json_string(GString *out, const char *s);
/* The same, safe inside an HTML <script> block (<, > and & escaped too). */
void wz_json_string_in_html(GString *out, const char *s);

#endif
