/* diag.h — diagnostics as values.
 *
 * The library never prints: every stage appends wz_diag records to a
 * wz_diags list, and the CLI renders them.  A policy diagnostic points at a
 * byte span of a source file (rendered as file:line:col plus the source line
 * and a caret underline); a facts diagnostic points at file:row:column of a
 * CSV/JSONL file (row is the 1-based line in the file, the header being 1;
 * column is the 1-based field index, or 0 for the whole row); in a workbook
 * (a file name ending in .xlsx) row and column are the sheet's, printed as
 * Excel names a cell: leave.xlsx!C7, or leave.xlsx!7:7 for a whole row.
 *
 * Ownership: a wz_diags owns its records and their strings; free it with
 * wz_diags_free().  A wz_source is owned by whoever loaded it (the policy
 * loader) and must outlive the diags that point at it.
 */
#ifndef WZ_DIAG_H
#define WZ_DIAG_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef enum wz_severity { WZ_SEV_ERROR, WZ_SEV_WARNING, WZ_SEV_NOTE } wz_severity;

/* What kind of input a diagnostic is about; decides the exit code. */
typedef enum wz_diag_kind {
    WZ_DIAG_POLICY,   /* a policy source file: exit 1 */
    WZ_DIAG_FACTS,    /* a facts file: exit 2 */
    WZ_DIAG_USAGE,    /* command line: exit 3 */
    WZ_DIAG_IO,       /* reading or writing files: exit 4 */
} wz_diag_kind;

/* A loaded source text (policy file or embedded stdlib file). */
typedef struct wz_source {
    char *name;        /* as shown in messages, e.g. "policies/dongliu-2019.wz" */
    char *text;        /* NUL-terminated UTF-8 */
    size_t len;
    GArray *line_starts; /* guint32 byte offsets of each line start */
} wz_source;

/* A half-open byte span [start, end) in a source. */
typedef struct wz_span {
    const wz_source *src;
    uint32_t start, end;
} wz_span;

/* A span, as a call: a diagnostic's span is written wz_span_of(src, start, end),
 * never as a compound literal, whose braced commas make xgettext miscount the
 * arguments and miss the message (it would then never be translated). */
static inline wz_span wz_span_of(const wz_source *src, uint32_t start, uint32_t end) {
    return (wz_span){src, start, end};
}

typedef struct wz_diag {
    wz_diag_kind kind;
    wz_severity severity;
    char *file;        /* policy or facts file name */
    uint32_t line;     /* policy: 1-based line; facts: 1-based row */
    uint32_t col;      /* policy: 1-based column (in characters); facts: 1-based field, 0 = row */
    wz_span span;      /* policy diagnostics only (src NULL otherwise) */
    char *message;     /* "what is wrong, expecting what" */
} wz_diag;

typedef struct wz_diags {
    GPtrArray *items;  /* wz_diag* */
    guint errors;      /* number of WZ_SEV_ERROR items */
    guint limit;       /* stop recording errors after this many (0 = no limit) */
    guint dropped;     /* errors past the limit, counted but not kept */
    GPtrArray *sources;  /* wz_source* adopted by wz_diags_adopt_source() */
} wz_diags;

wz_source *wz_source_new(const char *name, const char *text, size_t len);
void wz_source_free(wz_source *src);
/* 1-based line and column (column counted in UTF-8 characters) of a byte offset. */
void wz_source_position(const wz_source *src, uint32_t offset, uint32_t *line, uint32_t *col);
/* The text of the 1-based line, without its newline; *len receives its length. */
const char *wz_source_line(const wz_source *src, uint32_t line, size_t *len);

wz_diags *wz_diags_new(guint limit);
/* Hands a source to the diags, which free it with themselves: diagnostics
 * that point into a source whose owner is gone (a policy that failed to
 * check) stay printable. */
void wz_diags_adopt_source(wz_diags *d, wz_source *src);
void wz_diags_free(wz_diags *d);
bool wz_diags_has_errors(const wz_diags *d);

/* Policy diagnostic at a span. */
void wz_diag_at(wz_diags *d, wz_severity sev, wz_span span, const char *fmt, ...) G_GNUC_PRINTF(4, 5);
/* Facts diagnostic at file:row:column. */
void wz_diag_fact(wz_diags *d, wz_severity sev, const char *file, uint32_t row, uint32_t col,
                  const char *fmt, ...) G_GNUC_PRINTF(6, 7);
/* Diagnostic with no position (usage or I/O): file may be NULL. */
void wz_diag_plain(wz_diags *d, wz_diag_kind kind, wz_severity sev, const char *file,
                   const char *fmt, ...) G_GNUC_PRINTF(5, 6);

/* Renders one diagnostic the way the CLI prints it:
 *   file:line:col: error: message
 *       12 | source line
 *          |     ^~~~
 * (the source excerpt only for policy diagnostics).  Returns a new string. */
char *wz_diag_render(const wz_diag *diag);

#endif
