/* xlsx.h — one sheet of an Excel/WPS workbook (.xlsx) read as CSV text.
 *
 * A fact may come as <fact>.xlsx instead of <fact>.csv.  The workbook (a zip
 * of XML parts, read with minizip and expat, a chunk at a time) is turned
 * into the CSV text the CSV reader already checks, laid out so that its
 * positions are the sheet's: CSV line N is sheet row N and CSV field K is
 * sheet column K (A = 1), so a message at FILE:7:3 is cell C7, which diag.c
 * prints as `leave.xlsx!C7`.
 *
 * Cells: shared strings and inline strings (rich text runs joined, phonetic
 * runs left out) as their text; booleans as TRUE/FALSE; numbers exactly as
 * the XML writes them (`12.5`, `0.1`; `1E-2` rewritten as `0.01` by moving
 * the decimal point, never through a double); numbers whose style is a date
 * format (built-in ids 14–22, the Chinese built-in date ids 27–31, 36 and
 * 50–58, or a custom format with y, m or d outside quotes and brackets) as
 * YYYY-MM-DD, counting days in the workbook's date system — 1900, with its
 * nonexistent 1900-02-29 (serial 60, shown as such so that it is refused as
 * no real date), or 1904 (workbookPr date1904).  Formulas give their cached
 * value.  The header row (the first with any text) must have no merged
 * cells: a merged title above a column would hide which column is which.
 *
 * Ownership: wz_xlsx_sheet_csv() returns a new GString (free with
 * g_string_free(…, TRUE)) and sets *sheet_used to a new string (g_free).
 */
#ifndef WZ_XLSX_H
#define WZ_XLSX_H

#include <glib.h>
#include <stddef.h>

#include "diag.h"

/* Reads the sheet named `sheet` (NULL: the workbook's first sheet) of the
 * workbook whose bytes are buf[0..len).  Errors (not a workbook, no such
 * sheet, a merged header) are reported as facts errors at `file` and NULL is
 * returned. */
GString *wz_xlsx_sheet_csv(const char *buf, size_t len, const char *sheet, const char *file, char **sheet_used,
                           wz_diags *d);

#endif
