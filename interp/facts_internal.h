/* facts_internal.h — what the facts_*.c files share.  Not part of the
 * library's API (facts.h is).
 *
 * Who owns what, lowest layer first:
 *   facts_diag.c      reporting errors, values quoted in messages, UTF-8 checks
 *   facts_schema.c    schemas and field types; field lookup by name
 *   facts_columns.c   columnar storage, interned strings, the public accessors
 *   facts_cells.c     one row: each cell parsed by its type and stored; row checks
 *   facts_csv.c       CSV records, the header, the rows of a CSV file
 *   facts_fastcsv.c   the typed fast path for plain person/date/int/enum rows
 *   facts_jsonl.c     JSONL files: one flat JSON object per line
 *   facts_parallel.c  the thread pool; one big CSV file read in chunks
 *   facts_params.c    params.csv (wz_params_load)
 *   facts_load.c      the loader: finds the files, dispatches to CSV or JSONL,
 *                     checksums, regroups rows by person (wz_facts_load*)
 * A file calls only files listed before it, so the loader is called by none
 * of the others.  The types below are filled by the loader and read or
 * written by every stage; the static inline helpers are used once per cell
 * or per record, where a call across files would slow the hot loops.
 */
#ifndef WZ_FACTS_INTERNAL_H
#define WZ_FACTS_INTERNAL_H

#include <stdarg.h>
#include <string.h>

#include "facts.h"

/* What a scanned cell holds. */
enum {
    FX_STR,     /* text (CSV field or JSON string) */
    FX_LIT,     /* JSON number, true or false: exact source text, shown bare */
    FX_NULL,    /* JSON null: an empty cell */
    FX_ABSENT,  /* JSON key not given */
    FX_NOCOL,   /* the file has no column for the field (its header was reported): not checked */
};

/* Result of scanning one record. */
enum { REC_EOF, REC_OK, REC_BAD };

/* A cell is a slice of the file, or of the row's scratch buffer when it had
 * escapes.  Not NUL-terminated. */
typedef struct fx_cell {
    const char *p;
    size_t len;
    size_t soff;       /* offset into the scratch buffer while in_scratch */
    uint8_t kind;
    bool in_scratch;
} fx_cell;

/* The cells of the record being scanned; reused from record to record. */
typedef struct fx_row {
    fx_cell *cells;
    size_t n, cap;
    GString *scratch;  /* unescaped text of this record */
} fx_row;

/* A CSV scan over a whole mapped file. */
typedef struct fx_scan {
    const char *b;
    size_t len, pos;
    uint32_t line;     /* 1-based line at pos */
    bool utf8_ok;      /* the whole file is valid UTF-8: no per-cell checks */
    bool plain;        /* no '"' anywhere: records split on ',' and line breaks alone */
    wz_diags *d;
    const char *file;
} fx_scan;

/* One column (declared opaque in facts.h).  Parallel loading hands each
 * worker a shallow copy whose arrays point into its own slot range.
 * Exactly one of ints, i32 and decs holds the values (none while cap is 0):
 * the types whose every value fits in 32 bits (column_narrow) are stored in
 * half the memory, which the big files' columns are made of. */
struct wz_column {
    wz_field_type type;
    bool narrow;       /* values in i32 (see column_narrow) */
    uint32_t n;        /* rows held (the table's nrows once loaded) */
    int64_t *ints;     /* TEXT ids, and INT but for narrow ones */
    int32_t *i32;      /* narrow: DATE, ENUM, BOOL, PERSON, INT with bounds within 32 bits */
    wz_dec *decs;      /* DECIMAL */
    uint8_t *missing;  /* one bit per row; NULL while no cell is missing */
};

/* Whether a field's every value (and its missing placeholder: 0 or -1)
 * fits in 32 bits: dates are day numbers (wz_date is 32-bit), enum and bool
 * values small indices, person indices below 2^31 (a population of 2^31
 * rows would need far more memory than the loader can have); an INT only
 * when both its bounds lie within int32. */
static inline bool column_narrow(const wz_field_schema *f)
{
    switch (f->type) {
    case WZ_FT_DATE:
    case WZ_FT_ENUM:
    case WZ_FT_BOOL:
    case WZ_FT_PERSON:
        return true;
    case WZ_FT_INT:
        return f->has_min && f->has_max && wz_dec_cmp(f->min, wz_dec_from_int(INT32_MIN)) >= 0 &&
               wz_dec_cmp(f->max, wz_dec_from_int(INT32_MAX)) <= 0;
    default:
        return false;
    }
}

/* A value of a column of every type but DECIMAL, whichever its width. */
static inline int64_t column_get(const wz_column *c, uint32_t row)
{
    return c->narrow ? c->i32[row] : c->ints[row];
}

/* Stores v (within the column's range: a narrow column's field bounds it). */
static inline void column_put(wz_column *c, uint32_t row, int64_t v)
{
    if (c->narrow)
        c->i32[row] = (int32_t)v;
    else
        c->ints[row] = v;
}

typedef struct fx_pool fx_pool;

/* State of one wz_facts_load() call. */
typedef struct fx_loader {
    wz_facts *f;
    wz_diags *d;
    wz_period_filter period;
    GString *tmp;          /* NUL-terminated copy for hash lookups */
    GHashTable *persons;   /* person id (chunk string) → person index + 1 */
    bool persons_known;    /* the population was read: person ids can be checked */
    char *pop_name;        /* "staff.csv", for messages */
    fx_row row;
    fx_cell *byfield;      /* one row's cells in schema order */
    int threads;           /* wz_facts_load_threads(): 1 = sequential */
    const char **person_ids;     /* person index → id text, once the population is read */
    uint32_t *person_id_len;     /* … and its length, for the quick same-person test */
    int kind;              /* wz_facts_load_kind(): load only this entity kind's facts; -1 = all */
    wz_encoding encoding;  /* how CSV files are decoded (wz_facts_options) */
    const char *sheet;     /* a workbook's sheet to read, or NULL for the first */
    bool strict;           /* columns no field reads are errors */
    bool discover;         /* pass 1 without a population: every new key becomes an entity */
    GPtrArray *found;      /* discover: the keys of kept rows, in order (chunk strings) */
    GPtrArray *skipped;    /* discover: keys met in rows outside the period (maybe again in found) */
} fx_loader;

/* State of loading one fact file. */
typedef struct fx_table {
    fx_loader *L;
    wz_fact_table *t;
    const wz_fact_schema *s;
    guint nfields;
    uint32_t cap;          /* rows the columns can hold */
    uint32_t *dcol;        /* schema field → column number shown in messages */
    uint32_t *first_line;  /* person → line of their first kept row (0 = none) */
    GHashTable *keys;      /* population: key string id + 1 → line of first row */
    int key_col, person_col, date_col;   /* checked schema indices, or -1 */
    bool json;
    bool header_ok;        /* the header maps every field to a column: rows are fully checked */
    int8_t utf8;           /* the text to scan: 1 known valid UTF-8, 0 known invalid, -1 to be checked */
    guint errors_at_start; /* diags errors before this file, to tell if it had any */
    /* Exports repeat themselves: a sign-in file lists every person in the same
     * order day after day, and many rows share a date.  Remembering the last
     * person and the last date turns most hash lookups and date parses into a
     * short memcmp. */
    int64_t last_person;   /* index of the previous row's person, or -1 */
    char last_date[10];    /* text of the previous row's date (valid when last_date_ok) */
    int64_t last_date_value;
    bool last_date_ok;
} fx_table;

/* ---- the scanned record ---- */

/* Both scanners use these once per cell or per record: inline, so that
 * the split into files adds no call to the hot loops. */

/* A new empty cell at the end of the record being scanned. */
static inline fx_cell *wz_facts_row_push(fx_row *r)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->cells = g_renew(fx_cell, r->cells, r->cap);
    }
    fx_cell *c = &r->cells[r->n++];
    c->p = NULL;
    c->len = 0;
    c->kind = FX_STR;
    c->in_scratch = false;
    return c;
}

/* Scratch cells were recorded as offsets because the scratch buffer may move
 * while a row is scanned; point them at their final bytes. */
static inline void wz_facts_resolve(const fx_row *r, fx_cell *cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cells[i].in_scratch) {
            cells[i].p = r->scratch->str + cells[i].soff;
            cells[i].in_scratch = false;
        }
}

/* ---- facts_diag.c ---- */

/* The diagnostics hold as many errors as they may: further ones are only counted. */
bool wz_facts_full(const wz_diags *d);
/* Reports an error at FILE:ROW:COL (see facts.h), or only counts it when full. */
void wz_facts_error(wz_diags *d, const char *file, uint32_t row, uint32_t col, const char *fmt, ...)
    G_GNUC_PRINTF(5, 6);
/* Characters (not bytes) in p[0..n), for the column of a JSON error. */
uint32_t wz_facts_char_count(const char *p, size_t n);
/* Whether p[0..len) is UTF-8; if not, reports the bad byte at row:col. */
bool wz_facts_check_utf8(wz_diags *d, const char *file, uint32_t row, uint32_t col, const char *p, size_t len);
/* Appends a value as a message shows it (quoted if quote, control characters
 * escaped, cut after 60 characters). */
void wz_facts_append_value(GString *m, const char *p, size_t len, bool quote);
/* Whether buf holds valid UTF-8: skips ASCII 16 bytes at a time and hands only
 * the runs of non-ASCII bytes to GLib's validator (exports are mostly ASCII). */
bool wz_facts_utf8_valid(const char *buf, size_t len);
/* Whether a file that is not valid UTF-8 is still UTF-8 with a few bad bytes:
 * some of its non-ASCII runs are valid UTF-8, and no fewer than are not
 * (a tie counts as UTF-8, the usual form).  GB18030 text is
 * almost never valid UTF-8 run by run, so this tells the two apart. */
bool wz_facts_utf8_mostly(const char *buf, size_t len);

/* ---- facts_schema.c ---- */

/* "id, name, hire_date" for messages about the wrong columns or keys. */
void wz_facts_append_field_list(GString *m, const wz_fact_schema *s);
/* The index of the field named by p[0..len), or -1. */
int wz_facts_field_index(const wz_fact_schema *s, const char *p, size_t len);

/* ---- facts_columns.c ---- */

/* Marks a row's cell missing; the bitmap (for cap rows) is made on first use. */
static inline void column_set_missing(wz_column *c, uint32_t row, uint32_t cap)
{
    if (c->missing == NULL)
        c->missing = g_new0(uint8_t, cap / 8 + 1);
    c->missing[row >> 3] |= (uint8_t)(1u << (row & 7));
}

/* A slot may be reused after a skipped row, so a present value must clear
 * the bit a missing one may have left. */
static inline void column_clear_missing(wz_column *c, uint32_t row)
{
    if (c->missing)
        c->missing[row >> 3] &= (uint8_t)~(1u << (row & 7));
}

/* The NUL-terminated copy a hash lookup needs, in the reused buffer. */
static inline const char *tmp_text(fx_loader *L, const char *p, size_t len)
{
    g_string_truncate(L->tmp, 0);
    g_string_append_len(L->tmp, p, (gssize)len);
    return L->tmp->str;
}

/* g_malloc(bytes) for a big array (columns, line numbers), asking the
 * kernel for transparent huge pages where it gives them on request: these
 * arrays are written front to back right away, and one 2 MiB page fault
 * replaces 512 faults of 4 KiB, which were a fifth of a county-year run.
 * Freed with g_free(). */
void *wz_facts_alloc_big(size_t bytes);
/* The id of the text p[0..len) in L->f's strings, interning it if new. */
uint32_t wz_facts_intern(fx_loader *L, const char *p, size_t len);
/* Allocates T's columns and line array for `cap` rows. */
void wz_facts_alloc_columns(fx_table *T, uint32_t cap);
/* Frees a wz_fact_table (the free func of wz_facts.tables). */
void wz_facts_table_free(gpointer p);

/* ---- facts_cells.c ---- */

/* What a schema's rows belong to, for messages: "person", "school". */
#define ENTITY_NAME(s) ((s)->entity_name ? (s)->entity_name : "person")

/* Whether p[0..len) is the text lit. */
static inline bool text_is(const char *p, size_t len, const char *lit)
{
    return strlen(lit) == len && memcmp(p, lit, len) == 0;
}

/* A date as Excel and WPS write it: 2019-09-01, 2019/9/1, 2019.9.1,
 * 2019-9-1 or 2019年9月1日 (the year first, with 4 digits; blanks around
 * allowed).  *shape says what the text looked like, for the message when it
 * is no date: WZ_DATE_SHAPE_DATE (a date's shape, but no such day: 2019/2/30),
 * WZ_DATE_SHAPE_AMBIGUOUS (9/1/2019, 19/9/1: which number is the day or the
 * century is a guess), or WZ_DATE_SHAPE_NONE. */
enum { WZ_DATE_SHAPE_NONE, WZ_DATE_SHAPE_DATE, WZ_DATE_SHAPE_AMBIGUOUS };
bool wz_facts_parse_date(const char *p, size_t len, wz_date *out, int *shape);

/* Validates and stores one data row; cells are in schema order.  Counts it
 * in T->t->nrows when it is valid and inside the period. */
void wz_facts_row_done(fx_table *T, uint32_t line, const fx_cell *cells);

/* ---- facts_csv.c ---- */

/* Starts a scan of a whole file: skips a BOM, checks the file's UTF-8 once
 * (unless utf8 says already: 1 valid, 0 not; -1 = check), and notes whether
 * it has any '"'. */
void wz_facts_scan_init(fx_scan *s, const char *buf, size_t len, int utf8, wz_diags *d, const char *file);
/* The row and column (as in messages) of the byte at offset in a CSV file's
 * bytes; quotes are followed, so a quoted comma is no column break. */
void wz_facts_csv_locate(const char *buf, size_t len, size_t offset, uint32_t *row, uint32_t *col);
/* Scans the next record into row: REC_OK, REC_BAD (reported) or REC_EOF. */
int wz_facts_csv_record(fx_scan *s, fx_row *row, uint32_t *rec_line);
/* Reports each cell of the row that is not UTF-8 (files that are not, as a whole). */
bool wz_facts_check_row_utf8(fx_scan *s, const fx_row *row, uint32_t line);

/* CSV loading in two steps, so that the rows can be read by several threads
 * (facts_parallel.c).  wz_facts_csv_header() reads the header record and
 * maps file columns to schema fields (*colmap: new array of *ncols; NULL
 * when the header was bad, after reporting it).  wz_facts_csv_rows() reads
 * every record of the scan into T: it touches only T->t's counters, columns
 * and lines, T's caches, and T->L's diags, row, byfield and tmp. */
int *wz_facts_csv_header(fx_table *T, fx_scan *s, size_t *ncols);
void wz_facts_csv_rows(fx_table *T, fx_scan *s, const int *colmap, size_t ncols);

/* ---- facts_fastcsv.c ---- */

/* Reads every record of a plain UTF-8 scan whose fields are all person,
 * date, whole-bounded integer or enum straight into T's columns, handing each
 * record it cannot prove to the general path (wz_facts_csv_rows over that
 * record's bytes), so the result and every message are the general path's.
 * Returns false, having done nothing, when the file or table does not
 * qualify (see facts_fastcsv.c). */
bool wz_facts_fast_rows(fx_table *T, fx_scan *sc, const int *colmap, size_t ncols);
/* wz_facts_csv_rows() through the fast path where it applies, and a whole CSV
 * file read into T (columns already allocated) on this thread: what
 * facts_parallel.c and facts_load.c call. */
void wz_facts_read_rows(fx_table *T, fx_scan *sc, const int *colmap, size_t ncols);
void wz_facts_read_csv(fx_table *T, const char *buf, size_t len);
/* Off for the tests that compare the two paths (default on). */
extern bool wz_facts_fast_enabled;
/* Records read by the fast path so far (atomic; lets the tests see it ran). */
extern gint wz_facts_fast_rows_read;

/* ---- facts_jsonl.c ---- */

/* Reads a whole JSONL file into T (columns already allocated). */
void wz_facts_load_jsonl(fx_table *T, const char *buf, size_t len);

/* ---- facts_parallel.c ---- */

/* Files below this size are loaded by one thread: splitting costs more. */
#define FX_PARALLEL_MIN_BYTES ((size_t)1 << 20)

/* A small pool of threads - 1 workers; the calling thread runs tasks too
 * while it waits.  One pool serves one file. */
fx_pool *wz_facts_pool_new(int threads);
/* Waits for every task, then stops the workers. */
void wz_facts_pool_free(fx_pool *pool);
/* Computes the SHA-256 of buf on a worker thread, while the calling thread
 * reads the rows; wz_facts_pool_sha_wait() waits for it and copies the
 * lowercase hex into out (65 bytes). */
void wz_facts_pool_sha(fx_pool *pool, const char *buf, size_t len);
void wz_facts_pool_sha_wait(fx_pool *pool, char *out);
/* Loads a CSV file's rows in parallel chunks when the file allows it (see
 * facts_parallel.c) — allocating T's columns, reading the header and every
 * row exactly as the sequential load would.  Returns false, having done
 * nothing, when the file does not qualify.  mapped: buf is the file's
 * read-only mapping, whose pages a chunk may give back once read. */
bool wz_facts_load_csv_parallel(fx_table *T, fx_pool *pool, const char *buf, size_t len, bool mapped);
/* Files read in chunks so far (atomic; lets the tests see which path ran). */
extern gint wz_facts_parallel_files;
/* Runs fn(arg + i * size) for i in [0, n) on the pool (or inline if pool is
 * NULL), returning when all are done. */
void wz_facts_pool_for(fx_pool *pool, void (*fn)(void *), void *arg, size_t size, size_t n);

#endif
