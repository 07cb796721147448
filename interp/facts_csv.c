/* facts_csv.c — reading a CSV fact file.
 *
 * RFC 4180 records scanned by hand over the mapped file: cells are slices
 * of it, and only a quoted field with "" escapes is copied (into the row's
 * scratch buffer).  A line break is LF, CRLF or a lone CR; blank lines are
 * skipped.  The header maps file columns to schema fields, in any order;
 * each data record is then handed to wz_facts_row_done() in schema order.
 * A file with no '"' at all takes a quote-free loop that finds the cell
 * ends sixteen bytes at a time.  params.csv uses the same record scanner.
 */
#include "facts_internal.h"
#include "i18n.h"
#include "suggest.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <string.h>

/* Bytes that end an unquoted field. */
static const uint8_t csv_stop[256] = {[','] = 1, ['\n'] = 1, ['\r'] = 1};

/* After a cell: steps over the ',' (returns true: another cell follows) or
 * the line break ending the record (returns false), counting lines.  Shared
 * by the general scanner and the quote-free loop, so both end records alike. */
static inline bool csv_next_cell(const char *b, size_t len, size_t *pos, uint32_t *line)
{
    size_t i = *pos;
    if (i >= len)
        return false;
    if (b[i] == ',') {
        *pos = i + 1;
        return true;
    }
    *pos = i + ((b[i] == '\r' && i + 1 < len && b[i + 1] == '\n') ? 2 : 1);
    (*line)++;
    return false;
}

/* Scans the next record into row->cells.  Blank lines are skipped; a line
 * break is LF, CRLF or a lone CR.  *rec_line receives the line the record
 * starts on.  Structural errors are reported here (the record is then
 * REC_BAD); cells are not checked for UTF-8 (see wz_facts_check_row_utf8). */
int wz_facts_csv_record(fx_scan *s, fx_row *row, uint32_t *rec_line)
{
    const char *b = s->b;
    size_t len = s->len, i = s->pos;
    uint32_t line = s->line;
    for (;;) {
        if (i >= len) {
            s->pos = i;
            s->line = line;
            return REC_EOF;
        }
        if (b[i] == '\n')
            i++;
        else if (b[i] == '\r')
            i += (i + 1 < len && b[i + 1] == '\n') ? 2 : 1;
        else
            break;
        line++;
    }
    uint32_t start_line = line;
    *rec_line = line;
    row->n = 0;
    g_string_truncate(row->scratch, 0);
    int rc = REC_OK;
    for (;;) {
        fx_cell *c = wz_facts_row_push(row);
        if (i < len && b[i] == '"') {
            uint32_t quote_line = line;
            size_t q0 = ++i;
            bool escaped = false;
            for (;;) {
                while (i < len && b[i] != '"') {
                    if (b[i] == '\n' || (b[i] == '\r' && (i + 1 >= len || b[i + 1] != '\n')))
                        line++;
                    i++;
                }
                if (i + 1 < len && b[i + 1] == '"') {
                    escaped = true;
                    i += 2;
                    continue;
                }
                break;
            }
            if (i >= len) {
                wz_facts_error(s->d, s->file, quote_line, (uint32_t)row->n,
                            "unterminated quoted field: no closing quote before the end of the file");
                s->pos = len;
                s->line = line;
                return REC_BAD;
            }
            c->p = b + q0;
            c->len = i - q0;
            if (escaped) {
                /* Inside the quotes every '"' is doubled: keep one of each. */
                c->soff = row->scratch->len;
                c->in_scratch = true;
                for (size_t k = q0; k < i; k++) {
                    g_string_append_c(row->scratch, b[k]);
                    if (b[k] == '"')
                        k++;
                }
                c->len = row->scratch->len - c->soff;
            }
            i++; /* the closing quote */
            if (i < len && !csv_stop[(uint8_t)b[i]]) {
                wz_facts_error(s->d, s->file, start_line, (uint32_t)row->n,
                            "unexpected text after the closing quote of a quoted field");
                rc = REC_BAD;
                while (i < len && !csv_stop[(uint8_t)b[i]])
                    i++;
            }
        } else {
            /* The hot loop: most cells are short unquoted runs. */
            size_t f0 = i;
            while (i < len && !csv_stop[(uint8_t)b[i]])
                i++;
            c->p = b + f0;
            c->len = i - f0;
        }
        if (!csv_next_cell(b, len, &i, &line))
            break;
    }
    s->pos = i;
    s->line = line;
    wz_facts_resolve(row, row->cells, row->n);
    return rc;
}

/* Slow path for files that are not valid UTF-8 as a whole: finds the cells
 * at fault so each is reported at its row and column. */
bool wz_facts_check_row_utf8(fx_scan *s, const fx_row *row, uint32_t line)
{
    bool ok = true;
    for (size_t k = 0; k < row->n; k++)
        if (!wz_facts_check_utf8(s->d, s->file, line, (uint32_t)k + 1, row->cells[k].p, row->cells[k].len))
            ok = false;
    return ok;
}

void wz_facts_scan_init(fx_scan *s, const char *buf, size_t len, int utf8, wz_diags *d, const char *file)
{
    memset(s, 0, sizeof *s);
    s->b = buf;
    s->len = len;
    s->line = 1;
    s->d = d;
    s->file = file;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        s->pos = 3;
    /* One pass over the whole file is far cheaper than checking every cell. */
    s->utf8_ok = utf8 >= 0 ? utf8 == 1 : wz_facts_utf8_valid(buf + s->pos, len - s->pos);
    s->plain = memchr(buf + s->pos, '"', len - s->pos) == NULL;
}

void wz_facts_csv_locate(const char *buf, size_t len, size_t offset, uint32_t *row, uint32_t *col)
{
    uint32_t r = 1, c = 1;
    bool quoted = false;
    for (size_t i = 0; i < offset && i < len; i++) {
        char ch = buf[i];
        if (ch == '"')
            quoted = !quoted;   /* "" inside quotes toggles twice */
        if (ch == '\n' || (ch == '\r' && (i + 1 >= len || buf[i + 1] != '\n'))) {
            r++;
            if (!quoted)
                c = 1;
        } else if (ch == ',' && !quoted) {
            c++;
        }
    }
    *row = r;
    *col = c;
}

/* Reads the header record; see facts_internal.h.
 *
 * Schools add columns of their own (备注) and Excel leaves unnamed ones: a
 * column no field reads is ignored and listed (t->ignored_columns), or an
 * error with --strict.  A field with no column is an error; when an ignored
 * column is close to its name, that column is named as the likely misspelling.
 * Only a record that cannot be read at all stops the file: after any other
 * header error the rows are still read and checked, the fields without a
 * column left out (FX_NOCOL), so that a bad header hides no data error. */
int *wz_facts_csv_header(fx_table *T, fx_scan *sc, size_t *ncols_out)
{
    fx_loader *L = T->L;
    wz_fact_table *t = T->t;
    fx_row *row = &L->row;
    uint32_t hline;
    int rc = wz_facts_csv_record(sc, row, &hline);
    if (rc == REC_EOF) {
        GString *m = g_string_new(_("missing header row; expected the fields "));
        wz_facts_append_field_list(m, T->s);
        wz_facts_error(L->d, t->file, 1, 0, "%s", m->str);
        g_string_free(m, TRUE);
        return NULL;
    }
    if (rc == REC_BAD || (!sc->utf8_ok && !wz_facts_check_row_utf8(sc, row, hline)))
        return NULL;

    /* Map file columns to schema fields; columns may come in any order.
     * Columns no field reads go to the sink, slot nfields of the row. */
    size_t ncols = row->n;
    int *colmap = g_new(int, ncols);
    char **names = g_new0(char *, ncols + 1);   /* the header's names, for suggestions and the list */
    int *meant = g_new(int, ncols);             /* an unread column: the missing field it seems meant for, or -1 */
    bool header_ok = true;
    for (size_t k = 0; k < ncols; k++) {
        const fx_cell *c = &row->cells[k];
        names[k] = g_strndup(c->p, c->len);
        meant[k] = -1;
        int fi = wz_facts_field_index(T->s, c->p, c->len);
        colmap[k] = fi >= 0 && T->dcol[fi] == 0 ? fi : (int)T->nfields;
        if (colmap[k] == fi)
            T->dcol[fi] = (uint32_t)k + 1;
    }
    /* each missing field's nearest unread column, if close enough */
    for (guint fi = 0; fi < T->nfields; fi++) {
        if (T->dcol[fi] != 0)
            continue;
        const wz_field_schema *f = g_ptr_array_index(T->s->fields, fi);
        wz_suggest sg;
        wz_suggest_begin(&sg, f->name);
        for (size_t k = 0; k < ncols; k++)
            if (colmap[k] == (int)T->nfields && meant[k] < 0 && names[k][0] &&
                wz_facts_field_index(T->s, row->cells[k].p, row->cells[k].len) < 0)
                wz_suggest_consider(&sg, names[k]);
        const char *best = wz_suggest_end(&sg);
        for (size_t k = 0; best && k < ncols; k++)
            if (names[k] == best)
                meant[k] = (int)fi;
    }
    for (size_t k = 0; k < ncols; k++) {
        if (colmap[k] != (int)T->nfields)
            continue;
        const fx_cell *c = &row->cells[k];
        int fi = wz_facts_field_index(T->s, c->p, c->len);
        GString *m = g_string_new(NULL);
        if (fi >= 0) {
            g_string_append(m, _("duplicate column "));
            wz_facts_append_value(m, c->p, c->len, true);
            g_string_append_printf(m, _(" (also column %u)"), T->dcol[fi]);
        } else if (meant[k] >= 0) {
            const wz_field_schema *f = g_ptr_array_index(T->s->fields, meant[k]);
            g_string_append(m, _("unknown column "));
            wz_facts_append_value(m, c->p, c->len, true);
            g_string_append_printf(m, _(" and no column \"%s\""), f->name);
            char *hint = wz_suggest_hint(f->name);
            g_string_append(m, hint);
            g_free(hint);
        } else if (L->strict) {
            g_string_append(m, _("unknown column "));
            wz_facts_append_value(m, c->p, c->len, true);
            g_string_append(m, _("; expected the fields "));
            wz_facts_append_field_list(m, T->s);
            g_string_append(m, _(" (--strict: no other column)"));
        } else {
            if (t->ignored_columns == NULL)
                t->ignored_columns = g_ptr_array_new_with_free_func(g_free);
            g_ptr_array_add(t->ignored_columns, names[k]);
            names[k] = NULL;
        }
        if (m->len) {
            wz_facts_error(L->d, t->file, hline, (uint32_t)k + 1, "%s", m->str);
            header_ok = false;
        }
        g_string_free(m, TRUE);
    }
    for (guint fi = 0; fi < T->nfields; fi++) {
        bool named = false;
        for (size_t k = 0; k < ncols; k++)
            named |= meant[k] == (int)fi;
        if (T->dcol[fi] == 0 && !named) {
            const wz_field_schema *f = g_ptr_array_index(T->s->fields, fi);
            wz_facts_error(L->d, t->file, hline, 0, "missing column \"%s\"", f->name);
        }
        header_ok &= T->dcol[fi] != 0;
    }
    for (size_t k = 0; k < ncols; k++)
        g_free(names[k]);
    g_free(names);
    g_free(meant);
    T->header_ok = header_ok;
    *ncols_out = ncols;
    return colmap;
}

/* Cells of the fields that have no column: left out of every row's checks
 * (the header's error said why).  by has nfields + 1 cells, the last one the
 * sink that columns no field reads are written to. */
static void csv_mark_missing(const fx_table *T, fx_cell *by)
{
    for (guint fi = 0; fi < T->nfields; fi++)
        if (T->dcol[fi] == 0)
            by[fi] = (fx_cell){.kind = FX_NOCOL};
}

/* Whether a record is a row of empty cells (",,,", as Excel leaves below a
 * table): p[0..len) holds only commas and blanks. */
static bool csv_blank(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] != ',' && p[i] != ' ' && p[i] != '\t')
            return false;
    return true;
}

/* The end of the cell starting at b[i]: the first ',', '\n' or '\r' at or
 * after i, or len.  Sixteen bytes at a time where the processor allows. */
static inline size_t csv_cell_end(const char *b, size_t i, size_t len)
{
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    while (i + 16 <= len) {
        __m128i v = _mm_loadu_si128((const __m128i *)(b + i));
        int m = _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, lf)),
                                               _mm_cmpeq_epi8(v, cr)));
        if (m)
            return i + (size_t)__builtin_ctz((unsigned)m);
        i += 16;
    }
#endif
    while (i < len && !csv_stop[(uint8_t)b[i]])
        i++;
    return i;
}

/* The rows of a file with no quotes at all: the same records, row numbers and
 * messages as wz_facts_csv_record gives, without its per-cell bookkeeping
 * (most exports never quote anything, and this loop is where they spend). */
static void csv_plain_rows(fx_table *T, fx_scan *sc, const int *colmap, size_t ncols)
{
    fx_loader *L = T->L;
    wz_fact_table *t = T->t;
    fx_cell *by = L->byfield;
    fx_cell *cells = g_new0(fx_cell, ncols + 1);
    csv_mark_missing(T, by);
    const char *b = sc->b;
    size_t len = sc->len, i = sc->pos;
    uint32_t line = sc->line;
    while (i < len) {
        if (b[i] == '\n') {   /* blank lines are skipped, as in wz_facts_csv_record */
            i++;
            line++;
            continue;
        }
        if (b[i] == '\r') {
            i += (i + 1 < len && b[i + 1] == '\n') ? 2 : 1;
            line++;
            continue;
        }
        uint32_t rec_line = line;
        size_t n = 0;
        for (;;) {
            size_t f0 = i;
            i = csv_cell_end(b, i, len);
            if (n <= ncols)
                cells[n] = (fx_cell){.p = b + f0, .len = i - f0, .kind = FX_STR};
            n++;
            if (!csv_next_cell(b, len, &i, &line))
                break;
        }
        /* a row of empty cells starts with an empty cell: only then is the
         * record looked at again (from its first cell to i less its line break) */
        if (cells[0].len == 0) {
            size_t rec_start = (size_t)(cells[0].p - b), rec_end = i;
            if (rec_end > rec_start && b[rec_end - 1] == '\n')
                rec_end--;
            if (rec_end > rec_start && b[rec_end - 1] == '\r')
                rec_end--;
            if (csv_blank(b + rec_start, rec_end - rec_start)) {
                t->rows_blank++;
                continue;
            }
        }
        t->rows_read++;
        if (n != ncols) {
            wz_facts_error(L->d, t->file, rec_line, 0, "expected %zu fields, found %zu", ncols, n);
            continue;
        }
        if (!sc->utf8_ok) {
            fx_row r = {.cells = cells, .n = n};
            if (!wz_facts_check_row_utf8(sc, &r, rec_line))
                continue;
        }
        for (size_t k = 0; k < ncols; k++)
            by[colmap[k]] = cells[k];
        wz_facts_row_done(T, rec_line, by);
    }
    sc->pos = i;
    sc->line = line;
    g_free(cells);
}

/* Reads the data records; see facts_internal.h. */
void wz_facts_csv_rows(fx_table *T, fx_scan *sc, const int *colmap, size_t ncols)
{
    fx_loader *L = T->L;
    wz_fact_table *t = T->t;
    fx_row *row = &L->row;
    fx_cell *by = L->byfield;
    uint32_t line;
    int rc;
    if (sc->plain) {
        csv_plain_rows(T, sc, colmap, ncols);
        return;
    }
    csv_mark_missing(T, by);
    while ((rc = wz_facts_csv_record(sc, row, &line)) != REC_EOF) {
        if (rc == REC_OK && row->cells[0].len == 0) {
            size_t k = 1;
            while (k < row->n && row->cells[k].len == 0)
                k++;
            if (k == row->n) {
                t->rows_blank++;
                continue;
            }
        }
        t->rows_read++;
        if (rc == REC_BAD)
            continue;
        if (row->n != ncols) {
            wz_facts_error(L->d, t->file, line, 0, "expected %zu fields, found %zu", ncols, row->n);
            continue;
        }
        if (!sc->utf8_ok && !wz_facts_check_row_utf8(sc, row, line))
            continue;
        for (size_t k = 0; k < ncols; k++)
            by[colmap[k]] = row->cells[k];
        wz_facts_row_done(T, line, by);
    }
}
