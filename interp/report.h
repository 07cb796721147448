/* report.h — one self-contained HTML page of a run or a diff, for people who
 * would rather look than read: `wenze run … --report FILE.html`,
 * `wenze diff OLD NEW --facts DIR --report FILE.html`.
 *
 * The page needs nothing else: its CSS, JavaScript and SVG charts are inline
 * (interp/report_assets/, embedded at build time), it fetches nothing, and it
 * prints (a print stylesheet).  It speaks the policy's language: Chinese
 * headings for a policy written with Chinese keywords (as explain decides),
 * else English, unless the caller says otherwise.
 *
 * A run's page: the policy's name, version and dates in force, the facts
 * files with their SHA-256, the summary (persons and entities, mean, median,
 * minimum and maximum of the totals, grades, sanctions by tier, awards, the
 * pool's arithmetic), charts (totals, section means, pay by basis, sanctions
 * by tier), a table of every person and entity that sorts by any column and
 * filters, and per row a drill-down with wenze explain's derivation, whose
 * policy references link to the policy text embedded with its line numbers.
 * Drill-downs are embedded for the first WZ_REPORT_EXPLAINED rows of each
 * kind only (explaining is the costly part of a big run); the others say
 * which command explains them.
 *
 * Every figure is exact (wz_dec); doubles only place bars in the charts.
 * Every byte depends on the inputs and on opts->generated alone, so the same
 * run gives the same page (SOURCE_DATE_EPOCH in the CLI).
 *
 * Ownership: the renderers return a new GString (free with g_string_free),
 * or NULL after adding diagnostics.  Nothing here prints.
 */
#ifndef WZ_REPORT_H
#define WZ_REPORT_H

#include <glib.h>

#include "diff.h"
#include "engine.h"

/* Rows per entity kind whose explanation a run's page embeds. */
#define WZ_REPORT_EXPLAINED 2000

/* The line every report carries second; a file without it is never replaced. */
#define WZ_REPORT_MARKER "<!-- wenze report: written by wenze; wenze replaces only a file that carries this line -->"

typedef struct wz_report_options {
    bool zh;                 /* Chinese headings */
    int64_t generated;       /* when the page was made: seconds since 1970 (UTC) */
    const char *facts_dir;   /* as given on the command line, for the header */
    const char *command;     /* how to explain one row: "wenze explain POLICY --facts DIR" (shown for rows not embedded) */
} wz_report_options;

/* A run's page. */
GString *wz_report_run(const wz_result *r, const wz_report_options *opts, wz_diags *diags);

/* A diff's page: the changes (d), and with m (wz_diff_measure) who gains and
 * who loses and which change caused it. */
GString *wz_report_diff(const wz_diff *d, const wz_impact *m, const wz_report_options *opts, wz_diags *diags);

/* Whether path may receive a report: its directory exists, and it is absent
 * or a report wenze wrote (WZ_REPORT_MARKER).  Else a WZ_DIAG_IO diagnostic
 * naming the path; call it before a run, so that nothing is written. */
bool wz_report_check_path(const char *path, wz_diags *diags);

/* Writes html to path atomically (a temporary file beside it, renamed into
 * place), after wz_report_check_path(). */
bool wz_report_write(const GString *html, const char *path, wz_diags *diags);

#endif
