/* facts_internal.h — shared between facts.c (CSV, storage, validation) and
 * facts_jsonl.c (the JSONL scanner).  Not part of the library's API.
 */
#ifndef WZ_FACTS_INTERNAL_H
#define WZ_FACTS_INTERNAL_H

#include <stdarg.h>

#include "facts.h"

/* What a scanned cell holds. */
enum {
    FX_STR,     /* text (CSV field or JSON string) */
    FX_LIT,     /* JSON number, true or false: exact source text, shown bare */
    FX_NULL,    /* JSON null: an empty cell */
    FX_ABSENT,  /* JSON key not given */
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
    wz_diags *d;
    const char *file;
} fx_scan;

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
    bool header_ok;        /* the file's rows were read */
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

bool wz_facts_full(const wz_diags *d);
void wz_facts_error(wz_diags *d, const char *file, uint32_t row, uint32_t col, const char *fmt, ...)
    G_GNUC_PRINTF(5, 6);
fx_cell *wz_facts_row_push(fx_row *r);
void wz_facts_resolve(const fx_row *r, fx_cell *cells, size_t n);
uint32_t wz_facts_char_count(const char *p, size_t n);
bool wz_facts_check_utf8(wz_diags *d, const char *file, uint32_t row, uint32_t col, const char *p, size_t len);
void wz_facts_append_value(GString *m, const char *p, size_t len, bool quote);
void wz_facts_append_field_list(GString *m, const wz_fact_schema *s);
int wz_facts_field_index(const wz_fact_schema *s, const char *p, size_t len);

void wz_facts_scan_init(fx_scan *s, const char *buf, size_t len, wz_diags *d, const char *file);
int wz_facts_csv_record(fx_scan *s, fx_row *row, uint32_t *rec_line);
bool wz_facts_check_row_utf8(fx_scan *s, const fx_row *row, uint32_t line);

void wz_facts_row_done(fx_table *T, uint32_t line, const fx_cell *cells);
void wz_facts_load_jsonl(fx_table *T, const char *buf, size_t len);

#endif
