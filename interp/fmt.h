/* fmt.h — the canonical layout of a policy's text (`wenze fmt`).
 *
 * The formatter works on tokens, not on the tree: it re-scans the text with the
 * policy scanner (grammar/lexer.l), finds the comments in the gaps the scanner
 * skips, and lays the tokens out again.  Every token keeps its spelling (Chinese
 * keywords stay Chinese, numbers and strings as written) and every comment its
 * text, so the layout cannot change what a policy means; wz_fmt() re-scans its
 * own output and refuses it unless the tokens and comments are exactly the same.
 *
 * The layout (docs/LANGUAGE.md, "Layout"):
 * - line breaks stay where the author put them, except that two top-level items
 *   on one line are split; runs of blank lines become one, and blank lines at the
 *   start and end of the text and of a `{ }` block go;
 * - a statement's first line is indented 4 columns per enclosing `{ }`; a
 *   continuation line keeps its indentation relative to the statement's first
 *   line (at least 4 more), so hand-aligned `then`/`else` and operands stay aligned;
 * - one space between tokens, none inside `( )`, before `, ; : . )`, after `.`
 *   and a sign, between a function and its `(`, or between a number and its `%`;
 * - rows of a `table` on consecutive lines are aligned: one row a line, their
 *   values in one column; several rows a line, the rows in columns;
 * - a trailing comment keeps its distance from the code, and comments of
 *   consecutive lines that shared a column share one again; no trailing white
 *   space; one final newline.
 * Widths are display widths: a CJK character takes 2 columns.
 *
 * The library never prints: syntax errors go to a wz_diags list, as wz_parse()
 * reports them (the same lines `wenze check` prints).
 */
#ifndef WZ_FMT_H
#define WZ_FMT_H

#include <glib.h>
#include <stdbool.h>

#include "diag.h"

/* Lays SRC out.  Returns a new string (g_free), or NULL after appending the syntax
 * errors of SRC (or an internal error, should the layout ever change a token) to
 * DIAGS. */
char *wz_fmt(const wz_source *src, wz_diags *diags);

/* A unified diff from OLD_TEXT to NEW_TEXT, headed `--- a/NAME` and `+++ b/NAME`,
 * with 3 lines of context: a new string (g_free), or NULL when the texts are equal. */
char *wz_fmt_diff(const char *name, const char *old_text, const char *new_text);

/* Replaces the file PATH (through a symbolic link, its target) by TEXT atomically: a
 * temporary file beside it, written, flushed to disk, given the file's mode, and
 * renamed over it.  Failures are WZ_DIAG_IO diagnostics; the file is then untouched. */
bool wz_fmt_write_file(const char *path, const char *text, size_t len, wz_diags *diags);

#endif
