/* facts_load.c — the loader: wz_facts_load() and its variants.
 *
 * Checks the schemas it is given, then for each fact (the population first:
 * other facts' person fields refer to it) finds <fact>.csv or <fact>.jsonl,
 * maps it, computes its SHA-256, sizes its columns, hands it to the CSV or
 * JSONL reader, and at the end trims the columns and regroups the rows by
 * person.  Loading one entity kind without a population takes two passes,
 * the first discovering the kind's keys.
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
 * wz_facts_load() returns NULL at the end if anything was reported.  The
 * CSV reader is in facts_csv.c and the JSONL one in facts_jsonl.c; both
 * hand each row to facts_cells.c (facts_internal.h says who owns what).
 *
 * With threads (wz_facts_load_threads), a big file's SHA-256 is computed by
 * a worker while the rows are read, a big CSV file of many rows per person
 * may be read in chunks (facts_parallel.c), and the grouping by person
 * reorders the columns on all threads; the result is the same to the byte.
 */
#include "facts_internal.h"
#include "i18n.h"
#include "sha256.h"
#include "readfile.h"
#include "xlsx.h"

#include <string.h>

/* ---- grouping rows by person -------------------------------------------- */

/* Rows are regrouped by person by scattering: the rows are read in file
 * order (sequential reads) and each is written to its person's next slot,
 * so the writes form one sequential stream per person.  (A gather through a
 * permutation read every array at random and was a tenth of a run.)  The
 * rows are cut into ranges, each with its own starting slot per person
 * (after the same person's rows of the ranges before it), so ranges can be
 * written by different threads and the order stays stable: file order
 * within a person. */
enum { SCATTER_INTS, SCATTER_DECS, SCATTER_BITS, SCATTER_4 };   /* SCATTER_4: any 4-byte elements */
typedef struct fx_scatter {
    int kind;
    void *dst;
    const void *src;
    const int32_t *person;   /* person of each row (all valid) */
    const uint32_t *first;   /* this range's first slot of each person */
    uint32_t np, lo, hi;
} fx_scatter;

static void scatter_task(void *arg)
{
    const fx_scatter *g = arg;
    const int32_t *pc = g->person;
    uint32_t *next = g_memdup2(g->first, sizeof(uint32_t) * ((gsize)g->np + 1));
    switch (g->kind) {
    case SCATTER_INTS: {
        const int64_t *src = g->src;
        int64_t *v = g->dst;
        for (uint32_t r = g->lo; r < g->hi; r++) v[next[pc[r]]++] = src[r];
        break;
    }
    case SCATTER_DECS: {
        const wz_dec *src = g->src;
        wz_dec *v = g->dst;
        for (uint32_t r = g->lo; r < g->hi; r++) v[next[pc[r]]++] = src[r];
        break;
    }
    case SCATTER_BITS: {   /* one range only: neighbouring slots share a byte */
        const uint8_t *src = g->src;
        uint8_t *m = g->dst;
        for (uint32_t r = g->lo; r < g->hi; r++) {
            uint32_t i = next[pc[r]]++;
            if ((src[r >> 3] >> (r & 7)) & 1) m[i >> 3] |= (uint8_t)(1u << (i & 7));
        }
        break;
    }
    case SCATTER_4: {
        const uint32_t *src = g->src;
        uint32_t *v = g->dst;
        for (uint32_t r = g->lo; r < g->hi; r++) v[next[pc[r]]++] = src[r];
        break;
    }
    }
    g_free(next);
}

/* The ranges of a regrouping: nr ranges of rows, and each range's first
 * slot per person (np + 1 entries each). */
typedef struct fx_ranges {
    uint32_t nr;
    uint32_t *bound;   /* nr + 1 row bounds */
    uint32_t *first;   /* nr × (np + 1) */
} fx_ranges;

typedef struct fx_count {
    const int32_t *person;
    uint32_t *counts;   /* np + 1 entries, zeroed */
    uint32_t lo, hi;
} fx_count;

static void count_task(void *arg)
{
    const fx_count *c = arg;
    for (uint32_t r = c->lo; r < c->hi; r++) c->counts[c->person[r]]++;
}

/* Cuts n rows into ranges (one per 2^17 rows, at most 16, and only while
 * the per-range tables stay small beside the rows) and sets their first
 * slots from start (the persons' first slots over all rows). */
static void ranges_make(fx_ranges *R, fx_pool *pool, const int32_t *person, const uint32_t *start, uint32_t np, uint32_t n)
{
    uint32_t nr = pool ? MIN(16u, n >> 17) : 1;
    while (nr > 1 && (guint64)nr * (np + 1) > n / 4)
        nr--;
    nr = MAX(nr, 1u);
    R->nr = nr;
    R->bound = g_new(uint32_t, nr + 1);
    for (uint32_t k = 0; k <= nr; k++) R->bound[k] = (uint32_t)((guint64)n * k / nr);
    R->first = g_new0(uint32_t, (gsize)nr * (np + 1));
    if (nr == 1) {
        memcpy(R->first, start, sizeof(uint32_t) * ((gsize)np + 1));
        return;
    }
    fx_count *c = g_new(fx_count, nr);
    for (uint32_t k = 0; k < nr; k++) c[k] = (fx_count){person, R->first + (gsize)k * (np + 1), R->bound[k], R->bound[k + 1]};
    wz_facts_pool_for(pool, count_task, c, sizeof *c, nr);
    g_free(c);
    for (uint32_t p = 0; p < np; p++) {   /* counts -> first slots, range after range */
        uint32_t at = start[p];
        for (uint32_t k = 0; k < nr; k++) {
            uint32_t *f = &R->first[(gsize)k * (np + 1) + p];
            uint32_t cnt = *f;
            *f = at;
            at += cnt;
        }
    }
}

/* Replaces *arr (if any) by its regrouping, one array at a time, so that
 * no more memory is needed than one array.  With spare (an array of n
 * elements of the same size), the regrouping is written into *spare and
 * the old array becomes the spare of the next column: every column after
 * the first is written into memory already touched, instead of fresh pages
 * the kernel must fault in and zero. */
static void scatter_array(fx_pool *pool, const fx_ranges *R, void **arr, int kind, const int32_t *person, uint32_t np,
                          uint32_t n, void **spare)
{
    if (*arr == NULL)
        return;
    void *dst;
    switch (kind) {
    case SCATTER_INTS: dst = spare && *spare ? *spare : wz_facts_alloc_big(sizeof(int64_t) * n); break;
    case SCATTER_DECS: dst = wz_facts_alloc_big(sizeof(wz_dec) * n); break;
    case SCATTER_BITS: dst = g_new0(uint8_t, n / 8 + 1); break;
    default: dst = spare && *spare ? *spare : wz_facts_alloc_big(sizeof(uint32_t) * n); break;
    }
    uint32_t nr = kind == SCATTER_BITS ? 1 : R->nr;
    fx_scatter *g = g_new(fx_scatter, nr);
    for (uint32_t k = 0; k < nr; k++)
        g[k] = (fx_scatter){kind, dst, *arr, person, R->first + (gsize)k * (np + 1), np,
                            nr == 1 ? 0 : R->bound[k], nr == 1 ? n : R->bound[k + 1]};
    wz_facts_pool_for(pool, scatter_task, g, sizeof *g, nr);
    g_free(g);
    if (spare)
        *spare = *arr;
    else
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
        if (c->i32)
            c->i32 = g_renew(int32_t, c->i32, n);
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
        int64_t p = column_get(pc, r);
        if (p >= 0 && p < (int64_t)np)
            start[p + 1]++;
    }
    for (uint32_t p = 0; p < np; p++)
        start[p + 1] += start[p];
    /* Store the rows physically grouped by person (stably: file order within a
     * person), so the VM reads each person's rows from consecutive memory
     * instead of jumping across the file, and a person's rows are a range of
     * row indices.  When some row has no valid person (the load fails
     * anyway), the rows are not grouped, and there is no by-person index. */
    if (n > 0 && start[np] == n && pc->narrow) {
        const int32_t *person = pc->i32;
        fx_ranges R;
        ranges_make(&R, pool, person, start, np, n);
        /* arrays of n 8-byte and 4-byte elements: a previous column's old values */
        void *spare = NULL, *spare32 = NULL;
        /* the line numbers first and the person column last: it says where each row goes */
        scatter_array(pool, &R, (void **)&t->line, SCATTER_4, person, np, n, &spare32);
        for (guint fi = 0; fi < T->nfields; fi++) {
            wz_column *c = t->columns[fi];
            if ((int)fi == T->person_col)
                continue;
            scatter_array(pool, &R, (void **)&c->ints, SCATTER_INTS, person, np, n, &spare);
            scatter_array(pool, &R, (void **)&c->i32, SCATTER_4, person, np, n, &spare32);
            scatter_array(pool, &R, (void **)&c->decs, SCATTER_DECS, person, np, n, NULL);
            scatter_array(pool, &R, (void **)&c->missing, SCATTER_BITS, person, np, n, NULL);
        }
        wz_column *c = t->columns[T->person_col];
        scatter_array(pool, &R, (void **)&c->missing, SCATTER_BITS, person, np, n, NULL);
        /* the person column grouped: each person's index, start[p + 1] - start[p] times */
        int32_t *grouped = spare32 ? spare32 : wz_facts_alloc_big(sizeof(int32_t) * n);
        spare32 = c->i32;
        for (uint32_t p = 0; p < np; p++)
            for (uint32_t i = start[p]; i < start[p + 1]; i++) grouped[i] = (int32_t)p;
        c->i32 = grouped;
        g_free(spare);
        g_free(spare32);
        g_free(R.bound);
        g_free(R.first);
    } else if (n > 0) {
        g_clear_pointer(&start, g_free);
    }
    t->by_person_start = start;
}

/* ---- one fact file ------------------------------------------------------ */

/* Records never outnumber line breaks + 1.  memchr is vectorised; lone CRs
 * (old Mac files) are rare enough to count separately. */
static size_t count_lines(const char *buf, size_t len)
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

/* The forms a fact file may take, in the order messages list them. */
enum { FORM_CSV, FORM_XLSX, FORM_JSONL, NFORMS };
static const char *const form_ext[NFORMS] = {".csv", ".xlsx", ".jsonl"};

/* Decides how a CSV file's bytes are read (encoding.h): returns the UTF-8
 * text to scan — buf itself, or a decoded copy put in *owned — and sets
 * T->utf8 (1: known valid, -1: the scanner checks it, 0: known invalid).
 * NULL after reporting a file that is not the encoding it was forced to be. */
static const char *decode_csv(fx_table *T, const char *buf, size_t *len, char **owned)
{
    fx_loader *L = T->L;
    bool bom = *len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0;
    T->utf8 = -1;
    if (L->encoding == WZ_ENC_UTF8 || (L->encoding == WZ_ENC_AUTO && bom))
        return buf;   /* UTF-8 as declared: a bad byte is reported at its cell */
    if (L->encoding == WZ_ENC_AUTO) {
        /* the one pass over the file that tells its encoding; the scanners then skip theirs */
        if (wz_facts_utf8_valid(buf, *len)) {
            T->utf8 = 1;
            return buf;
        }
        if (wz_facts_utf8_mostly(buf, *len)) {   /* UTF-8 with a bad byte or two: report them */
            T->utf8 = 0;
            return buf;
        }
    }
    size_t out_len = 0, bad = 0;
    char *out = wz_encoding_to_utf8(WZ_ENC_GB18030, buf, *len, &out_len, &bad);
    if (out == NULL) {
        if (L->encoding == WZ_ENC_AUTO) {   /* neither: each bad cell is reported as not UTF-8 */
            T->utf8 = 0;
            return buf;
        }
        uint32_t row, col;
        wz_facts_csv_locate(buf, *len, bad, &row, &col);
        wz_facts_error(L->d, T->t->file, row, col, "invalid GB18030 (byte 0x%02x); the file was read as GB18030 "
                       "(--encoding gb18030)", (unsigned)(unsigned char)buf[bad < *len ? bad : *len - 1]);
        return NULL;
    }
    T->t->encoding = wz_encoding_name(WZ_ENC_GB18030);
    *owned = out;
    *len = out_len;
    return out;
}

static void load_table(fx_loader *L, fx_table *T)
{
    wz_fact_table *t = T->t;
    const wz_fact_schema *s = T->s;
    T->errors_at_start = L->d->errors + L->d->dropped;
    T->last_person = -1;
    char *names[NFORMS], *paths[NFORMS];
    bool has[NFORMS];
    int nfound = 0, form = -1;
    for (int k = 0; k < NFORMS; k++) {
        names[k] = g_strconcat(s->name, form_ext[k], NULL);
        paths[k] = g_build_filename(L->f->dir, names[k], NULL);
        has[k] = g_file_test(paths[k], G_FILE_TEST_EXISTS);
        if (has[k] && nfound++ == 0)
            form = k;
    }
    GMappedFile *mf = NULL;
    uint32_t cap = 0;

    if (s->is_population)
        L->pop_name = g_strdup(names[nfound == 1 ? form : FORM_CSV]);
    if (nfound > 1) {
        GString *m = g_string_new(NULL);
        for (int k = 0, i = 0; k < NFORMS; k++)
            if (has[k])
                g_string_append_printf(m, "%s%s", i++ == 0 ? "" : i == nfound ? _(" and ") : _(", "), paths[k]);
        wz_diag_plain(L->d, WZ_DIAG_FACTS, WZ_SEV_ERROR, NULL, "%s%s exist; keep only one of them",
                      nfound == 2 ? _("both ") : "", m->str);
        g_string_free(m, TRUE);
    } else if (nfound == 0) {
        if (s->file_required)
            wz_diag_plain(L->d, WZ_DIAG_FACTS, WZ_SEV_ERROR, paths[FORM_CSV],
                          "missing required fact file; the policy's fact '%s' needs %s, %s or %s in %s", s->name,
                          names[FORM_CSV], names[FORM_XLSX], names[FORM_JSONL], L->f->dir);
    } else {
        const char *path = paths[form];
        GError *err = NULL;
        mf = wz_file_check_regular(path, &err) ? g_mapped_file_new(path, FALSE, &err) : NULL;
        if (mf == NULL) {
            wz_diag_plain(L->d, WZ_DIAG_IO, WZ_SEV_ERROR, path, "cannot read the file: %s", err->message);
            g_error_free(err);
        } else {
            t->file = g_strdup(path);
            t->present = true;
        }
    }

    const char *file_buf = "";
    size_t file_len = 0;
    if (mf && g_mapped_file_get_contents(mf)) {
        file_buf = g_mapped_file_get_contents(mf);
        file_len = g_mapped_file_get_length(mf);
    }
    /* With threads, a big file's checksum is computed by a worker while the
     * rows are read, and a CSV file's rows may be read in chunks. */
    fx_pool *pool = NULL;
    if (t->present && L->threads > 1 && file_len >= FX_PARALLEL_MIN_BYTES) {
        pool = wz_facts_pool_new(L->threads);
        wz_facts_pool_sha(pool, file_buf, file_len);
    } else if (t->present) {
        wz_sha256_hex(file_buf, file_len, t->sha256);
    }

    /* What the rows are read from: the file, or its text as UTF-8 CSV (a
     * decoded GB18030 file, a workbook's sheet). */
    const char *buf = file_buf;
    size_t len = file_len;
    char *owned = NULL;
    GString *sheet_csv = NULL;
    bool readable = t->present;
    if (readable && form == FORM_CSV) {
        buf = decode_csv(T, file_buf, &len, &owned);
        readable = buf != NULL;
    } else if (readable && form == FORM_XLSX) {
        sheet_csv = wz_xlsx_sheet_csv(file_buf, file_len, L->sheet, t->file, &t->sheet, L->d);
        readable = sheet_csv != NULL;
        if (readable) {
            buf = sheet_csv->str;
            len = sheet_csv->len;
            T->utf8 = -1;
        }
    }

    if (!(readable && pool && form != FORM_JSONL && wz_facts_load_csv_parallel(T, pool, buf, len, mf && buf == file_buf))) {
        if (readable) {
            size_t lines = count_lines(buf, len);
            if (lines >= UINT32_MAX) {
                wz_facts_error(L->d, t->file, 0, 0, "too many lines (at most %u)", UINT32_MAX - 1);
                readable = false;
            } else {
                cap = (uint32_t)lines;
            }
        }
        wz_facts_alloc_columns(T, cap);
        if (readable) {
            if (form != FORM_JSONL) {
                wz_facts_read_csv(T, buf, len);
            } else {
                T->json = true;
                wz_facts_load_jsonl(T, buf, len);
            }
        }
    }
    /* The rows are read: once the checksum is done, the file's bytes (and a
     * decoded copy) are released before the regrouping, so that its arrays
     * do not come on top of them at the load's peak of memory. */
    if (pool)
        wz_facts_pool_sha_wait(pool, t->sha256);
    g_free(owned);
    if (sheet_csv)
        g_string_free(sheet_csv, TRUE);
    if (mf)
        g_mapped_file_unref(mf);
    finish_table(T, pool);
    wz_facts_pool_free(pool);
    for (int k = 0; k < NFORMS; k++) {
        g_free(names[k]);
        g_free(paths[k]);
    }
}

/* ---- the load ----------------------------------------------------------- */

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
static wz_facts *load_impl(GPtrArray *schemas, const char *dir, wz_period_filter period, const wz_facts_options *o, int kind,
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
        .threads = discover ? 1 : CLAMP(o->threads, 1, 256),
        .encoding = o->encoding,
        .sheet = o->sheet,
        .strict = o->strict,
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
    L.byfield = g_new0(fx_cell, max_fields + 1);   /* + the sink of the columns no field reads */

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
            if (o->file_read && !discover) o->file_read(o->file_read_data, P->t->file, P->t->rows_read);
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
            if ((int)i != f->population && IN_KIND(Ts[i].s)) {
                load_table(&L, &Ts[i]);
                if (o->file_read && !discover) o->file_read(o->file_read_data, Ts[i].t->file, Ts[i].t->rows_read);
            }
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
    wz_facts_options o = {.threads = threads};
    return wz_facts_load_opts(schemas, dir, period, -1, &o, diags);
}

wz_facts *wz_facts_load_kind(GPtrArray *schemas, const char *dir, wz_period_filter period, int threads, int kind,
                             wz_diags *diags)
{
    wz_facts_options o = {.threads = threads};
    return wz_facts_load_opts(schemas, dir, period, kind, &o, diags);
}

wz_facts *wz_facts_load_opts(GPtrArray *schemas, const char *dir, wz_period_filter period, int kind,
                             const wz_facts_options *opts, wz_diags *diags)
{
    wz_facts_options o = opts ? *opts : (wz_facts_options){.threads = 1};
    if (kind < 0)
        return load_impl(schemas, dir, period, &o, -1, NULL, NULL, false, NULL, NULL, diags);
    bool has_population = false;
    for (guint i = 0; i < schemas->len; i++) {
        const wz_fact_schema *s = g_ptr_array_index(schemas, i);
        has_population |= s->entity == kind && s->is_population;
    }
    if (has_population)
        return load_impl(schemas, dir, period, &o, kind, NULL, NULL, false, NULL, NULL, diags);
    /* No fact lists this kind's entities: a first pass finds the keys its
     * facts name (its own diagnostics are dropped: the second pass, over the
     * same files, reports every one of them). */
    wz_diags *scratch = wz_diags_new(diags->limit);
    GPtrArray *found = NULL, *skipped = NULL;
    wz_facts *probe = load_impl(schemas, dir, period, &o, kind, NULL, NULL, true, &found, &skipped, scratch);
    wz_facts_free(probe);
    wz_diags_free(scratch);
    if (!found)
        found = g_ptr_array_new_with_free_func(g_free);
    wz_facts *f = load_impl(schemas, dir, period, &o, kind, found, skipped, false, NULL, NULL, diags);
    g_ptr_array_unref(found);
    if (skipped)
        g_ptr_array_unref(skipped);
    return f;
}
