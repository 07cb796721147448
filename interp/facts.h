/* facts.h — typed fact tables imported from a facts directory.
 *
 * A policy declares fact schemas (wz_fact_schema); a facts directory holds one
 * file per fact, <fact>.csv (UTF-8, optional BOM, or GB18030; header row of
 * field names, RFC 4180 quoting), <fact>.xlsx (a workbook's sheet, read as
 * its CSV would be: xlsx.h) or <fact>.jsonl (one flat JSON object per line).  The
 * loader validates every row against its schema and stores the facts
 * column-wise: one array per field, strings interned to ids, no allocation per
 * field.  One fact is the population (e.g. staff): its key field defines the
 * persons, in file order; every other fact's person field must name one of them.
 *
 * Errors are never fatal one by one: every bad row is reported as
 * FILE:ROW:COL (ROW = 1-based line in the file, the header line being 1;
 * COL = 1-based field position in the header; 0 = the whole row) into a
 * wz_diags, up to its limit, and wz_facts_load() then fails.  Rows whose
 * dated field falls outside the period are not errors: they are skipped and
 * counted in wz_fact_table.rows_ignored.
 *
 * Ownership: wz_facts_load() returns a new wz_facts; free with wz_facts_free().
 * Schemas are owned by the caller and must outlive the wz_facts.
 */
#ifndef WZ_FACTS_H
#define WZ_FACTS_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "decimal.h"
#include "diag.h"
#include "encoding.h"

typedef enum wz_field_type {
    WZ_FT_TEXT,     /* any string; stored as an interned string id */
    WZ_FT_INT,      /* integer ("12", "-3"); stored as int64 */
    WZ_FT_DECIMAL,  /* plain decimal ("0.5"); stored exactly */
    WZ_FT_DATE,     /* YYYY-MM-DD; stored as wz_date */
    WZ_FT_BOOL,     /* true/false, 1/0, 是/否; stored as 0/1 */
    WZ_FT_ENUM,     /* one of the listed values; stored as its 0-based index */
    WZ_FT_PERSON,   /* a key of the population fact; stored as the person index */
} wz_field_type;

typedef struct wz_field_schema {
    char *name;
    wz_field_type type;
    GPtrArray *enum_values;   /* char*, for WZ_FT_ENUM; order = index */
    bool has_min, has_max;    /* inclusive bounds for INT and DECIMAL */
    wz_dec min, max;
    bool optional;            /* an empty cell is allowed (stored as missing) */
} wz_field_schema;

typedef struct wz_fact_schema {
    char *name;               /* file stem: <name>.csv or <name>.jsonl */
    GPtrArray *fields;        /* wz_field_schema*, in declaration order */
    bool is_population;       /* this fact lists the persons */
    int key_field;            /* population: index of the key (text) field; else -1 */
    int person_field;         /* non-population: index of the PERSON field, or -1 */
    int date_field;           /* index of the field that dates a row (filters by period), or -1 */
    bool file_required;       /* the file must exist */
    bool one_per_person;      /* at most one row per person */
    bool every_person;        /* exactly one row per person (implies one_per_person) */
    int entity;               /* the entity kind whose rows these are (0 = persons); see wz_facts_load_kind() */
    const char *entity_name;  /* that kind's name for messages ("school"); NULL = "person" (borrowed) */
} wz_fact_schema;

/* One column: the representation is private to the facts_*.c files
 * (facts_internal.h); read it through the accessors below.  `missing` marks empty optional cells (NULL if none). */
typedef struct wz_column wz_column;

typedef struct wz_fact_table {
    const wz_fact_schema *schema;
    char *file;               /* path as given to messages, e.g. "examples/dongliu/leave.csv"; NULL if absent */
    char sha256[65];          /* lowercase hex of the file's bytes; "" if absent */
    bool present;
    uint32_t nrows;           /* rows kept (inside the period) */
    uint32_t rows_read;       /* data rows in the file (excluding header and blank lines) */
    uint32_t rows_ignored;    /* rows outside the period */
    uint32_t rows_blank;      /* rows whose cells are all empty (",,,"), skipped */
    const char *encoding;     /* "gb18030" when the file was decoded from it; NULL for UTF-8 (static) */
    char *sheet;              /* a workbook's sheet that was read; NULL for a CSV or JSONL file */
    GPtrArray *ignored_columns;  /* char*: header names of the columns no field reads, in order; or NULL */
    wz_column **columns;      /* one per schema field */
    uint32_t *line;           /* source line of each kept row (1-based, header = 1) */
    /* Rows grouped by person (non-population facts with a person field): a
     * loaded table stores its rows grouped by person, in file order within a
     * person, so the rows of person p are by_person_start[p] ..
     * by_person_start[p+1] - 1 themselves (no index of 4 bytes a row is
     * needed).  NULL for a table without a person field. */
    uint32_t *by_person_start;   /* npersons + 1 entries */
} wz_fact_table;

typedef struct wz_facts {
    char *dir;
    uint32_t npersons;
    GPtrArray *tables;        /* wz_fact_table*, same order as the schemas given */
    int population;           /* index of the population table, or -1 */
    const char **keys;        /* without a population: entity index → key (interned), npersons entries */
    /* interned strings: id → text */
    GPtrArray *strings;       /* const char* into `chunk` */
    GHashTable *string_ids;   /* text → GUINT_TO_POINTER(id + 1) */
    GStringChunk *chunk;
} wz_facts;

/* Period filter for dated facts: rows with date < start or date > end are ignored. */
typedef struct wz_period_filter {
    bool active;
    wz_date start, end;       /* inclusive */
} wz_period_filter;

/* How fact files are read, beyond the schemas. */
typedef struct wz_facts_options {
    int threads;              /* 1 (or 0) = the calling thread only */
    wz_encoding encoding;     /* CSV files: WZ_ENC_AUTO detects UTF-8 or GB18030 per file */
    const char *sheet;        /* .xlsx workbooks: the sheet to read; NULL = the first */
    bool strict;              /* a column no field reads is an error, not ignored */
    /* called after each file is read (for a progress line), or NULL */
    void (*file_read)(void *data, const char *file, uint32_t rows);
    void *file_read_data;
} wz_facts_options;

/* Loads every schema's file from dir.  Returns NULL when any error was
 * reported into diags (all bad rows are listed, up to diags->limit), or on an
 * I/O error (reported as WZ_DIAG_IO).  schemas: wz_fact_schema*. */
wz_facts *wz_facts_load(GPtrArray *schemas, const char *dir, wz_period_filter period, wz_diags *diags);
/* The same with up to `threads` threads (1 = the calling thread only).  The
 * result — values, row order, row numbers, counts, and every diagnostic and
 * its order — is identical for any thread count. */
wz_facts *wz_facts_load_threads(GPtrArray *schemas, const char *dir, wz_period_filter period, int threads,
                                wz_diags *diags);
/* Loads only the facts of one entity kind (schemas whose `entity` is kind);
 * the others are left empty and absent.  The kind's "persons" are its
 * population fact's keys or, without one, every key its facts name, in order
 * of first appearance (facts in schema order, rows in file order). */
wz_facts *wz_facts_load_kind(GPtrArray *schemas, const char *dir, wz_period_filter period, int threads, int kind,
                             wz_diags *diags);
/* wz_facts_load_kind() with every option (opts NULL = the defaults, one thread). */
wz_facts *wz_facts_load_opts(GPtrArray *schemas, const char *dir, wz_period_filter period, int kind,
                             const wz_facts_options *opts, wz_diags *diags);
void wz_facts_free(wz_facts *facts);
/* Lets go of the rows of every fact but the population — their columns, line
 * numbers and by-person index, which only evaluation reads — keeping what
 * describes each table (file, checksum, counts) and the population (the
 * persons' keys and names) and the interned strings.  For a caller that has
 * evaluated and now only writes outputs: a released table's columns, line
 * and by_person_start are NULL, its nrows 0 (rows_read and rows_ignored stay). */
void wz_facts_release_rows(wz_facts *facts);

/* Accessors.  row is a kept-row index of the table. */
bool wz_column_is_missing(const wz_column *c, uint32_t row);
int64_t wz_column_int(const wz_column *c, uint32_t row);   /* INT, DATE, BOOL, ENUM, TEXT id, PERSON index */
/* The whole column as an array, for loops that read many rows: the int64
 * values of a TEXT column or an INT column whose bounds leave int32, or the
 * int32 values of every other column but DECIMAL (DATE, ENUM, BOOL, PERSON,
 * INT with bounds within int32); NULL for the other width and for DECIMAL.
 * And whether any cell is missing. */
const int64_t *wz_column_ints(const wz_column *c);
const int32_t *wz_column_i32(const wz_column *c);
bool wz_column_has_missing(const wz_column *c);
wz_dec wz_column_dec(const wz_column *c, uint32_t row);    /* DECIMAL (and INT, widened) */
const char *wz_facts_string(const wz_facts *f, uint32_t id);
/* The population key (person id text) of person p. */
const char *wz_facts_person_id(const wz_facts *f, uint32_t p);
/* Index of the table for a fact name, or -1. */
int wz_facts_table_index(const wz_facts *f, const char *name);

/* params.csv: a header "name,value" then one parameter per row.  Returns a
 * new array of wz_param_entry* (free with g_ptr_array_unref), empty if the
 * file does not exist, or NULL after reporting a malformed file into diags. */
typedef struct wz_param_entry {
    char *name;
    char *value;
    char *file;      /* "DIR/params.csv" */
    uint32_t row;    /* 1-based line */
} wz_param_entry;
GPtrArray *wz_params_load(const char *dir, wz_diags *diags);

/* Schema construction helpers (used by the checker and by tests). */
wz_fact_schema *wz_fact_schema_new(const char *name);
wz_field_schema *wz_fact_schema_add_field(wz_fact_schema *s, const char *name, wz_field_type type);
void wz_fact_schema_free(wz_fact_schema *s);
const char *wz_field_type_name(wz_field_type t);

#endif
