/* facts.c — loading fact tables from CSV and JSONL files.
 *
 * A file is mapped whole and scanned by hand: cells are (pointer, length)
 * slices of the mapping, numbers and dates are parsed straight from it, and
 * text is interned into the wz_facts string chunk.  Nothing is allocated per
 * field: the only per-cell copies go into one reused scratch buffer (CSV
 * fields with "" escapes, JSON strings with backslash escapes, and the
 * NUL-terminated key of a hash lookup).
 *
 * Columns are sized once per file from its newline count (an upper bound on
 * its records), filled row by row, and trimmed to the kept rows at the end.
 * A row is written into slot nrows and only counted when it is valid and
 * inside the period, so a skipped row's slot is simply reused.
 *
 * Missing cells (empty optional cells, absent or null optional JSON keys) are
 * flagged in the column's bitmap and hold 0 (INT, DATE, BOOL, ENUM), string
 * id 0 (TEXT; id 0 is always ""), -1 (PERSON) or WZ_DEC_ZERO (DECIMAL).
 *
 * Errors never stop a scan: each bad row is reported and skipped, and
 * wz_facts_load() returns NULL at the end if anything was reported.  CSV
 * record scanning lives here too; the JSONL scanner is in facts_jsonl.c.
 *
 * With threads (wz_facts_load_threads), a big file's SHA-256 is computed by
 * a worker while the rows are read, a big CSV file of many rows per person
 * may be read in chunks (facts_parallel.c), and the grouping by person
 * reorders the columns on all threads; the result is the same to the byte.
 */
#include "facts_internal.h"
#include "sha256.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <string.h>

/* ---- CSV records -------------------------------------------------------- */

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

void wz_facts_scan_init(fx_scan *s, const char *buf, size_t len, wz_diags *d, const char *file)
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
    s->utf8_ok = wz_facts_utf8_valid(buf + s->pos, len - s->pos);
    s->plain = memchr(buf + s->pos, '"', len - s->pos) == NULL;
}

/* ---- files -------------------------------------------------------------- */

/* Reads the header record; see facts_internal.h. */
int *wz_facts_csv_header(fx_table *T, fx_scan *sc, size_t *ncols_out)
{
    fx_loader *L = T->L;
    wz_fact_table *t = T->t;
    fx_row *row = &L->row;
    uint32_t hline;
    int rc = wz_facts_csv_record(sc, row, &hline);
    if (rc == REC_EOF) {
        GString *m = g_string_new("missing header row; expected the fields ");
        wz_facts_append_field_list(m, T->s);
        wz_facts_error(L->d, t->file, 1, 0, "%s", m->str);
        g_string_free(m, TRUE);
        return NULL;
    }
    if (rc == REC_BAD || (!sc->utf8_ok && !wz_facts_check_row_utf8(sc, row, hline)))
        return NULL;

    /* Map file columns to schema fields; columns may come in any order. */
    size_t ncols = row->n;
    int *colmap = g_new(int, ncols);
    bool header_ok = true;
    for (size_t k = 0; k < ncols; k++) {
        const fx_cell *c = &row->cells[k];
        int fi = wz_facts_field_index(T->s, c->p, c->len);
        colmap[k] = fi;
        if (fi >= 0 && T->dcol[fi] == 0) {
            T->dcol[fi] = (uint32_t)k + 1;
            continue;
        }
        header_ok = false;
        GString *m = g_string_new(fi < 0 ? "unknown column " : "duplicate column ");
        wz_facts_append_value(m, c->p, c->len, true);
        if (fi < 0) {
            g_string_append(m, "; expected the fields ");
            wz_facts_append_field_list(m, T->s);
        } else {
            g_string_append_printf(m, " (also column %u)", T->dcol[fi]);
        }
        wz_facts_error(L->d, t->file, hline, (uint32_t)k + 1, "%s", m->str);
        g_string_free(m, TRUE);
    }
    for (guint fi = 0; fi < T->nfields; fi++)
        if (T->dcol[fi] == 0) {
            const wz_field_schema *f = g_ptr_array_index(T->s->fields, fi);
            wz_facts_error(L->d, t->file, hline, 0, "missing column \"%s\"", f->name);
            header_ok = false;
        }
    if (!header_ok) {
        g_free(colmap);
        return NULL;
    }
    T->header_ok = true;
    *ncols_out = ncols;
    return colmap;
}

/* Reads the data records; see facts_internal.h. */
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
    while ((rc = wz_facts_csv_record(sc, row, &line)) != REC_EOF) {
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

static void load_csv(fx_table *T, const char *buf, size_t len)
{
    fx_scan sc;
    wz_facts_scan_init(&sc, buf, len, T->L->d, T->t->file);
    size_t ncols;
    int *colmap = wz_facts_csv_header(T, &sc, &ncols);
    if (colmap == NULL)
        return;
    wz_facts_csv_rows(T, &sc, colmap, ncols);
    g_free(colmap);
}

/* Reorders one array of a table, or a range of it: element i of the new
 * array dst becomes element rows[i] of the old one, for i in [lo, hi).
 * Ranges of a bitmap start at multiples of 8, so they share no byte. */
enum { GATHER_INTS, GATHER_DECS, GATHER_BITS, GATHER_LINES };
typedef struct fx_gather {
    int kind;
    void *dst;
    const void *src;
    const uint32_t *rows;
    uint32_t lo, hi;
} fx_gather;

static void gather_task(void *arg)
{
    const fx_gather *g = arg;
    const uint32_t *rows = g->rows;
    switch (g->kind) {
    case GATHER_INTS: {
        const int64_t *src = g->src;
        int64_t *v = g->dst;
        for (uint32_t i = g->lo; i < g->hi; i++) v[i] = src[rows[i]];
        break;
    }
    case GATHER_DECS: {
        const wz_dec *src = g->src;
        wz_dec *v = g->dst;
        for (uint32_t i = g->lo; i < g->hi; i++) v[i] = src[rows[i]];
        break;
    }
    case GATHER_BITS: {
        const uint8_t *src = g->src;
        uint8_t *m = g->dst;
        for (uint32_t i = g->lo; i < g->hi; i++)
            if ((src[rows[i] >> 3] >> (rows[i] & 7)) & 1) m[i >> 3] |= (uint8_t)(1u << (i & 7));
        break;
    }
    case GATHER_LINES: {
        const uint32_t *src = g->src;
        uint32_t *v = g->dst;
        for (uint32_t i = g->lo; i < g->hi; i++) v[i] = src[rows[i]];
        break;
    }
    }
}

/* Replaces *arr (if any) by its reordering, shared out on the pool (if
 * any) in ranges of 2^16 rows; one array at a time, so that no more memory
 * is needed than without threads. */
static void gather_array(fx_pool *pool, void **arr, int kind, const uint32_t *rows, uint32_t n)
{
    if (*arr == NULL)
        return;
    void *dst;
    switch (kind) {
    case GATHER_INTS: dst = g_new(int64_t, n); break;
    case GATHER_DECS: dst = g_new(wz_dec, n); break;
    case GATHER_BITS: dst = g_new0(uint8_t, n / 8 + 1); break;
    default: dst = g_new(uint32_t, n); break;
    }
    uint32_t per = pool ? (uint32_t)1 << 16 : n;
    size_t pieces = ((size_t)n + per - 1) / per;
    fx_gather *g = g_new(fx_gather, pieces);
    for (size_t i = 0; i < pieces; i++) {
        uint32_t lo = (uint32_t)(i * per);
        g[i] = (fx_gather){kind, dst, *arr, rows, lo, n - lo > per ? lo + per : n};
    }
    wz_facts_pool_for(pool, gather_task, g, sizeof *g, pieces);
    g_free(g);
    g_free(*arr);
    *arr = dst;
}

/* Trims the columns to the kept rows, checks every_person, and groups the
 * rows by person with a counting sort (stable: file order within a person).
 * pool (may be NULL) shares out the reordering of the columns. */
static void finish_table(fx_table *T, fx_pool *pool)
{
    fx_loader *L = T->L;
    wz_fact_table *t = T->t;
    uint32_t n = t->nrows;
    for (guint fi = 0; fi < T->nfields; fi++) {
        wz_column *c = t->columns[fi];
        c->n = n;
        if (c->ints)
            c->ints = g_renew(int64_t, c->ints, n);
        if (c->decs)
            c->decs = g_renew(wz_dec, c->decs, n);
        if (c->missing)
            c->missing = g_renew(uint8_t, c->missing, n / 8 + 1);
    }
    t->line = g_renew(uint32_t, t->line, n);

    if (T->person_col < 0)
        return;
    uint32_t np = L->f->npersons;
    /* a file whose rows had errors may lack a person's row only because that
     * row was rejected: its errors already explain it */
    bool file_had_errors = L->d->errors + L->d->dropped > T->errors_at_start;
    if (T->s->every_person && T->first_line && T->header_ok && !file_had_errors) {
        for (uint32_t p = 0; p < np; p++)
            if (T->first_line[p] == 0)
                wz_facts_error(L->d, t->file, 0, 0, "no row for %s %s; every %s%s%s needs one", ENTITY_NAME(T->s),
                            wz_facts_person_id(L->f, p), ENTITY_NAME(T->s), L->pop_name ? " in " : "",
                            L->pop_name ? L->pop_name : "");
    }
    uint32_t *start = g_new0(uint32_t, (gsize)np + 1);
    const wz_column *pc = t->columns[T->person_col];
    for (uint32_t r = 0; r < n; r++) {
        int64_t p = pc->ints[r];
        if (p >= 0 && p < (int64_t)np)
            start[p + 1]++;
    }
    for (uint32_t p = 0; p < np; p++)
        start[p + 1] += start[p];
    uint32_t *rows = n > 0 ? g_new(uint32_t, n) : NULL;
    uint32_t *next = g_memdup2(start, sizeof(uint32_t) * ((gsize)np + 1));
    for (uint32_t r = 0; r < n; r++) {
        int64_t p = pc->ints[r];
        if (p >= 0 && p < (int64_t)np)
            rows[next[p]++] = r;
    }
    g_free(next);
    /* Store the rows physically grouped by person (stably: file order within a
     * person), so the VM reads each person's rows from consecutive memory
     * instead of jumping across the file; by_person_rows becomes the identity.
     * Skipped when some row has no valid person (the load fails anyway). */
    if (n > 0 && start[np] == n) {
        for (guint fi = 0; fi < T->nfields; fi++) {
            wz_column *c = t->columns[fi];
            gather_array(pool, (void **)&c->ints, GATHER_INTS, rows, n);
            gather_array(pool, (void **)&c->decs, GATHER_DECS, rows, n);
            gather_array(pool, (void **)&c->missing, GATHER_BITS, rows, n);
        }
        gather_array(pool, (void **)&t->line, GATHER_LINES, rows, n);
        for (uint32_t i = 0; i < n; i++) rows[i] = i;
    }
    t->by_person_start = start;
    t->by_person_rows = rows;
}

/* Records never outnumber line breaks + 1.  memchr is vectorised; lone CRs
 * (old Mac files) are rare enough to count separately. */
size_t wz_facts_count_lines(const char *buf, size_t len)
{
    size_t lines = 1;
    for (const char *p = buf, *end = buf + len; p < end; lines++) {
        p = memchr(p, '\n', (size_t)(end - p));
        if (p == NULL)
            break;
        p++;
    }
    if (memchr(buf, '\r', len) != NULL)
        for (size_t i = 0; i < len; i++)
            lines += buf[i] == '\r' && (i + 1 == len || buf[i + 1] != '\n');
    return lines;
}

static void load_table(fx_loader *L, fx_table *T)
{
    wz_fact_table *t = T->t;
    const wz_fact_schema *s = T->s;
    T->errors_at_start = L->d->errors + L->d->dropped;
    T->last_person = -1;
    char *csv_name = g_strconcat(s->name, ".csv", NULL);
    char *jsonl_name = g_strconcat(s->name, ".jsonl", NULL);
    char *csv = g_build_filename(L->f->dir, csv_name, NULL);
    char *jsonl = g_build_filename(L->f->dir, jsonl_name, NULL);
    bool has_csv = g_file_test(csv, G_FILE_TEST_EXISTS);
    bool has_jsonl = g_file_test(jsonl, G_FILE_TEST_EXISTS);
    GMappedFile *mf = NULL;
    uint32_t cap = 0;

    if (s->is_population)
        L->pop_name = g_strdup(has_jsonl && !has_csv ? jsonl_name : csv_name);
    if (has_csv && has_jsonl) {
        wz_diag_plain(L->d, WZ_DIAG_FACTS, WZ_SEV_ERROR, NULL,
                      "both %s and %s exist; keep only one of them", csv, jsonl);
    } else if (!has_csv && !has_jsonl) {
        if (s->file_required)
            wz_diag_plain(L->d, WZ_DIAG_FACTS, WZ_SEV_ERROR, csv,
                          "missing required fact file; the policy's fact '%s' needs %s.csv or %s.jsonl in %s",
                          s->name, s->name, s->name, L->f->dir);
    } else {
        const char *path = has_csv ? csv : jsonl;
        GError *err = NULL;
        mf = g_mapped_file_new(path, FALSE, &err);
        if (mf == NULL) {
            wz_diag_plain(L->d, WZ_DIAG_IO, WZ_SEV_ERROR, path, "cannot read the file: %s", err->message);
            g_error_free(err);
        } else {
            t->file = g_strdup(path);
            t->present = true;
        }
    }

    const char *buf = "";
    size_t len = 0;
    if (mf && g_mapped_file_get_contents(mf)) {
        buf = g_mapped_file_get_contents(mf);
        len = g_mapped_file_get_length(mf);
    }
    /* With threads, a big file's checksum is computed by a worker while the
     * rows are read, and a CSV file's rows may be read in chunks. */
    fx_pool *pool = NULL;
    if (t->present && L->threads > 1 && len >= FX_PARALLEL_MIN_BYTES) {
        pool = wz_facts_pool_new(L->threads);
        wz_facts_pool_sha(pool, buf, len);
    } else if (t->present) {
        wz_sha256_hex(buf, len, t->sha256);
    }

    if (!(pool && has_csv && wz_facts_load_csv_parallel(T, pool, buf, len))) {
        if (t->present) {
            size_t lines = wz_facts_count_lines(buf, len);
            if (lines >= UINT32_MAX) {
                wz_facts_error(L->d, t->file, 0, 0, "too many lines (at most %u)", UINT32_MAX - 1);
                t->present = false;
            } else {
                cap = (uint32_t)lines;
            }
        }
        wz_facts_alloc_columns(T, cap);
        if (t->present) {
            if (has_csv) {
                load_csv(T, buf, len);
            } else {
                T->json = true;
                wz_facts_load_jsonl(T, buf, len);
            }
        }
    }
    finish_table(T, pool);
    if (pool) {
        wz_facts_pool_sha_wait(pool, t->sha256);
        wz_facts_pool_free(pool);
    }

    if (mf)
        g_mapped_file_unref(mf);
    g_free(csv_name);
    g_free(jsonl_name);
    g_free(csv);
    g_free(jsonl);
}

/* The checker builds schemas, so these are its bugs, not the user's; they
 * are reported instead of trusted so a bad index cannot crash the loader. */
static bool check_schema(fx_loader *L, const wz_fact_schema *s, bool has_population, fx_table *T)
{
    int n = (int)s->fields->len;
    bool ok = true;
    T->key_col = T->person_col = T->date_col = -1;
    if (s->is_population) {
        const wz_field_schema *k = s->key_field >= 0 && s->key_field < n ? g_ptr_array_index(s->fields, s->key_field) : NULL;
        if (k == NULL || k->type != WZ_FT_TEXT) {
            wz_diag_plain(L->d, WZ_DIAG_FACTS, WZ_SEV_ERROR, NULL,
                          "invalid schema for fact %s: the population key must be a text field", s->name);
            ok = false;
        } else {
            T->key_col = s->key_field;
        }
    } else if (s->person_field >= 0) {
        const wz_field_schema *p = s->person_field < n ? g_ptr_array_index(s->fields, s->person_field) : NULL;
        if (p == NULL || p->type != WZ_FT_PERSON || !has_population) {
            wz_diag_plain(L->d, WZ_DIAG_FACTS, WZ_SEV_ERROR, NULL,
                          "invalid schema for fact %s: the person field must be a person field of a declared population",
                          s->name);
            ok = false;
        } else {
            T->person_col = s->person_field;
        }
    }
    if (s->date_field >= 0) {
        const wz_field_schema *d = s->date_field < n ? g_ptr_array_index(s->fields, s->date_field) : NULL;
        if (d == NULL || d->type != WZ_FT_DATE) {
            wz_diag_plain(L->d, WZ_DIAG_FACTS, WZ_SEV_ERROR, NULL,
                          "invalid schema for fact %s: the date field must be a date field", s->name);
            ok = false;
        } else {
            T->date_col = s->date_field;
        }
    }
    return ok;
}

static void fx_table_clear(fx_table *T)
{
    g_free(T->dcol);
    g_free(T->first_line);
    if (T->keys)
        g_hash_table_unref(T->keys);
}

wz_facts *wz_facts_load(GPtrArray *schemas, const char *dir, wz_period_filter period, wz_diags *diags)
{
    return wz_facts_load_threads(schemas, dir, period, 1, diags);
}

/* One load.  kind >= 0 loads that entity kind's facts only; keys, when not
 * NULL, are the kind's entities (found by a discovery pass); discover makes
 * this that pass, collecting into *found the keys met. */
static wz_facts *load_impl(GPtrArray *schemas, const char *dir, wz_period_filter period, int threads, int kind,
                           GPtrArray *keys, GPtrArray *skipped, bool discover, GPtrArray **found, GPtrArray **found_skipped,
                           wz_diags *diags)
{
    guint before = diags->errors + diags->dropped;
    if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, dir, "the facts directory does not exist");
        return NULL;
    }
    wz_facts *f = g_new0(wz_facts, 1);
    f->dir = g_strdup(dir);
    f->population = -1;
    f->tables = g_ptr_array_new_with_free_func(wz_facts_table_free);
    f->strings = g_ptr_array_new();
    f->string_ids = g_hash_table_new(g_str_hash, g_str_equal);
    f->chunk = g_string_chunk_new(64 * 1024);

    fx_loader L = {
        .f = f,
        .d = diags,
        .period = period,
        .tmp = g_string_new(NULL),
        .persons = g_hash_table_new(g_str_hash, g_str_equal),
        .threads = discover ? 1 : CLAMP(threads, 1, 256),
        .kind = kind,
        .discover = discover,
    };
    L.row.scratch = g_string_new(NULL);
    wz_facts_intern(&L, "", 0); /* id 0 is "": missing text cells point at it */

    guint n = schemas->len, max_fields = 1;
    fx_table *Ts = g_new0(fx_table, n ? n : 1);
#define IN_KIND(s) (kind < 0 || (s)->entity == kind)
    for (guint i = 0; i < n; i++) {
        const wz_fact_schema *s = g_ptr_array_index(schemas, i);
        if (!IN_KIND(s)) {   /* another kind's fact: left empty and absent */
        } else if (s->is_population && f->population < 0)
            f->population = (int)i;
        else if (s->is_population)
            wz_diag_plain(diags, WZ_DIAG_FACTS, WZ_SEV_ERROR, NULL,
                          "invalid schema for fact %s: only one fact can be the population", s->name);
        wz_fact_table *t = g_new0(wz_fact_table, 1);
        t->schema = s;
        t->columns = g_new0(wz_column *, s->fields->len ? s->fields->len : 1);
        g_ptr_array_add(f->tables, t);
        max_fields = MAX(max_fields, s->fields->len);
    }
    L.byfield = g_new0(fx_cell, max_fields);

    bool schemas_ok = true;
    for (guint i = 0; i < n; i++) {
        fx_table *T = &Ts[i];
        T->L = &L;
        T->t = g_ptr_array_index(f->tables, i);
        T->s = T->t->schema;
        T->nfields = T->s->fields->len;
        T->dcol = g_new0(uint32_t, T->nfields ? T->nfields : 1);
        const wz_fact_schema *s = T->s;
        if (!IN_KIND(s))
            continue;
        if (s->is_population && (int)i != f->population)
            schemas_ok = false;
        if (!check_schema(&L, s, f->population >= 0 || keys || discover, T))
            schemas_ok = false;
    }
    if (discover) {
        L.found = g_ptr_array_new();
        L.skipped = g_ptr_array_new();
        L.persons_known = true;
    } else if (keys && f->population < 0) {
        /* the entities a discovery pass found, numbered in its order */
        f->npersons = keys->len;
        f->keys = g_new0(const char *, keys->len + 1);
        L.person_ids = g_new(const char *, keys->len + 1);
        L.person_id_len = g_new(uint32_t, keys->len + 1);
        for (guint k = 0; k < keys->len; k++) {
            const char *key = g_ptr_array_index(keys, k);
            f->keys[k] = wz_facts_string(f, wz_facts_intern(&L, key, strlen(key)));
            L.person_ids[k] = f->keys[k];
            L.person_id_len[k] = (uint32_t)strlen(key);
            g_hash_table_insert(L.persons, (gpointer)f->keys[k], GUINT_TO_POINTER(k + 1));
        }
        for (guint k = 0; skipped && k < skipped->len; k++) {   /* known, but their rows are outside the period */
            const char *key = g_ptr_array_index(skipped, k);
            const char *interned = wz_facts_string(f, wz_facts_intern(&L, key, strlen(key)));
            if (!g_hash_table_contains(L.persons, interned)) g_hash_table_insert(L.persons, (gpointer)interned, GUINT_TO_POINTER(G_MAXUINT));
        }
        L.persons_known = true;
    }

    if (schemas_ok) {
        /* The population first: other facts' person fields refer to it. */
        if (f->population >= 0) {
            fx_table *P = &Ts[f->population];
            load_table(&L, P);
            f->npersons = P->t->nrows;
            L.persons_known = P->header_ok;
            L.person_ids = g_new(const char *, f->npersons + 1);
            L.person_id_len = g_new(uint32_t, f->npersons + 1);
            for (uint32_t k = 0; k < f->npersons; k++) {
                L.person_ids[k] = wz_facts_person_id(f, k);
                L.person_id_len[k] = L.person_ids[k] ? (uint32_t)strlen(L.person_ids[k]) : 0;
            }
        }
        for (guint i = 0; i < n; i++)
            if ((int)i != f->population && IN_KIND(Ts[i].s))
                load_table(&L, &Ts[i]);
    }
#undef IN_KIND
    if (discover) {
        *found = g_ptr_array_new_with_free_func(g_free);
        for (guint k = 0; k < L.found->len; k++)
            g_ptr_array_add(*found, g_strdup(g_ptr_array_index(L.found, k)));
        *found_skipped = g_ptr_array_new_with_free_func(g_free);
        for (guint k = 0; k < L.skipped->len; k++)
            g_ptr_array_add(*found_skipped, g_strdup(g_ptr_array_index(L.skipped, k)));
        g_ptr_array_free(L.found, TRUE);
        g_ptr_array_free(L.skipped, TRUE);
    }

    for (guint i = 0; i < n; i++)
        fx_table_clear(&Ts[i]);
    g_free(Ts);
    g_free(L.byfield);
    g_free(L.row.cells);
    g_string_free(L.row.scratch, TRUE);
    g_string_free(L.tmp, TRUE);
    g_hash_table_unref(L.persons);
    g_free(L.person_ids);
    g_free(L.person_id_len);
    g_free(L.pop_name);

    if (diags->errors + diags->dropped > before) {
        wz_facts_free(f);
        return NULL;
    }
    return f;
}

wz_facts *wz_facts_load_threads(GPtrArray *schemas, const char *dir, wz_period_filter period, int threads,
                                wz_diags *diags)
{
    return load_impl(schemas, dir, period, threads, -1, NULL, NULL, false, NULL, NULL, diags);
}

wz_facts *wz_facts_load_kind(GPtrArray *schemas, const char *dir, wz_period_filter period, int threads, int kind,
                             wz_diags *diags)
{
    bool has_population = false;
    for (guint i = 0; i < schemas->len; i++) {
        const wz_fact_schema *s = g_ptr_array_index(schemas, i);
        has_population |= s->entity == kind && s->is_population;
    }
    if (has_population)
        return load_impl(schemas, dir, period, threads, kind, NULL, NULL, false, NULL, NULL, diags);
    /* No fact lists this kind's entities: a first pass finds the keys its
     * facts name (its own diagnostics are dropped: the second pass, over the
     * same files, reports every one of them). */
    wz_diags *scratch = wz_diags_new(diags->limit);
    GPtrArray *found = NULL, *skipped = NULL;
    wz_facts *probe = load_impl(schemas, dir, period, 1, kind, NULL, NULL, true, &found, &skipped, scratch);
    wz_facts_free(probe);
    wz_diags_free(scratch);
    if (!found)
        found = g_ptr_array_new_with_free_func(g_free);
    wz_facts *f = load_impl(schemas, dir, period, threads, kind, found, skipped, false, NULL, NULL, diags);
    g_ptr_array_unref(found);
    if (skipped)
        g_ptr_array_unref(skipped);
    return f;
}

/* ---- params.csv --------------------------------------------------------- */

static void param_free(gpointer p)
{
    wz_param_entry *e = p;
    g_free(e->name);
    g_free(e->value);
    g_free(e->file);
    g_free(e);
}

GPtrArray *wz_params_load(const char *dir, wz_diags *diags)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(param_free);
    char *path = g_build_filename(dir, "params.csv", NULL);
    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
        g_free(path);
        return out;
    }
    GError *err = NULL;
    GMappedFile *mf = g_mapped_file_new(path, FALSE, &err);
    if (mf == NULL) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, path, "cannot read the file: %s", err->message);
        g_error_free(err);
        g_free(path);
        g_ptr_array_unref(out);
        return NULL;
    }
    const char *buf = g_mapped_file_get_contents(mf);
    size_t len = buf ? g_mapped_file_get_length(mf) : 0;
    if (buf == NULL)
        buf = "";

    guint before = diags->errors + diags->dropped;
    fx_row row = {.scratch = g_string_new(NULL)};
    fx_scan sc;
    wz_facts_scan_init(&sc, buf, len, diags, path);
    uint32_t line;
    int rc = wz_facts_csv_record(&sc, &row, &line);
    if (rc == REC_EOF)
        wz_facts_error(diags, path, 1, 0, "missing header row; expected \"name,value\"");
    else if (rc == REC_OK && (row.n != 2 || !text_is(row.cells[0].p, row.cells[0].len, "name") ||
                              !text_is(row.cells[1].p, row.cells[1].len, "value")))
        wz_facts_error(diags, path, line, 0, "expected the header \"name,value\"");

    /* A wrong header makes every row suspect: report it alone. */
    bool header_ok = diags->errors + diags->dropped == before;
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal); /* name → row */
    while (header_ok && (rc = wz_facts_csv_record(&sc, &row, &line)) != REC_EOF) {
        if (rc == REC_BAD)
            continue;
        if (row.n != 2) {
            wz_facts_error(diags, path, line, 0, "expected 2 fields, found %zu", row.n);
            continue;
        }
        if (!sc.utf8_ok && !wz_facts_check_row_utf8(&sc, &row, line))
            continue;
        if (row.cells[0].len == 0) {
            wz_facts_error(diags, path, line, 1, "expected a parameter name, found an empty cell");
            continue;
        }
        wz_param_entry *e = g_new0(wz_param_entry, 1);
        e->name = g_strndup(row.cells[0].p, row.cells[0].len);
        gpointer first = g_hash_table_lookup(seen, e->name);
        if (first) {
            wz_facts_error(diags, path, line, 1, "duplicate parameter \"%s\"; first at row %u", e->name,
                        GPOINTER_TO_UINT(first));
            param_free(e);
            continue;
        }
        e->value = g_strndup(row.cells[1].p, row.cells[1].len);
        e->file = g_strdup(path);
        e->row = line;
        g_ptr_array_add(out, e);
        g_hash_table_insert(seen, e->name, GUINT_TO_POINTER(line));
    }
    g_hash_table_unref(seen);
    g_free(row.cells);
    g_string_free(row.scratch, TRUE);
    g_mapped_file_unref(mf);
    g_free(path);
    if (diags->errors + diags->dropped > before) {
        g_ptr_array_unref(out);
        return NULL;
    }
    return out;
}
