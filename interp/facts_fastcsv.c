/* facts_fastcsv.c — the typed fast path for the usual big fact file.
 *
 * Most of a county's rows are in one or two files of one shape: a person id,
 * a date, a small integer or an enum label, no quotes, UTF-8, every cell
 * filled (signin.csv: "P0000183,2019-08-30,1").  The general reader splits
 * each record into cells and hands them to wz_facts_row_done(), which
 * switches on every cell's type; here the record is parsed straight from the
 * file, field type by field type, and written into the columns as
 * wz_facts_row_done() would write it.
 *
 * The fast path only ever accepts a record that it can prove the general path
 * would accept with exactly these values.  Everything else — an empty cell, a
 * field count that differs, a sign or a blank in a number, a date in another
 * form or no date at all, an unknown person, a value out of range, a CR that
 * is not part of CRLF, a blank line — is handed, that one record alone, to
 * the general reader (wz_facts_csv_rows over the record's bytes), so every
 * value, row number, counter and message stays the general path's.
 * A file where too many records need that is handed over whole, so an
 * unusual file costs no more than before.
 *
 * Which files: a plain (quote-free) scan of valid UTF-8 with a header that
 * maps each field to exactly one column, whose fields are all person, date,
 * integer with whole bounds, or enum, of a table without per-row bookkeeping
 * (no population keys, no one-row-per-person or every-person check, which
 * are all that T->first_line serves, no key discovery).
 * wz_facts_fast_enabled = false turns it off, for the tests that compare it
 * with the general path.
 *
 * Layering: this file sits between facts_csv.c (whose reader it falls back
 * on) and facts_parallel.c / facts_load.c (which read rows through it).
 */
#include "facts_internal.h"

#include <string.h>

bool wz_facts_fast_enabled = true;
gint wz_facts_fast_rows_read;

/* One field as the fast path reads it. */
typedef struct ff_field {
    wz_field_type type;
    int64_t *ints;             /* the column's values (slot-indexed): 64-bit, */
    int32_t *i32;              /* or 32-bit (every field type it reads is narrow but a wide INT) */
    wz_column *col;            /* for the missing bitmap a reused slot must clear */
    int64_t lo, hi;            /* INT: inclusive bounds */
    const wz_field_schema *f;  /* ENUM: the labels */
} ff_field;

/* A date is "YYYY-MM-DD": the previous row's date is most often this row's
 * too (a daily export is sorted by day), so its 10 bytes are compared as two
 * loads before any digit is parsed. */
static inline bool same10(const char *a, const char *b)
{
    uint64_t a8, b8;
    uint16_t a2, b2;
    memcpy(&a8, a, 8);
    memcpy(&b8, b, 8);
    memcpy(&a2, a + 8, 2);
    memcpy(&b2, b + 8, 2);
    return ((a8 ^ b8) | (uint64_t)(a2 ^ b2)) == 0;
}

/* Whether a[0..n) equals b[0..n), both readable: an id of 8 to 16 bytes
 * (the usual P0000183) is compared as two overlapping 8-byte loads instead
 * of a call to memcmp. */
static inline bool same_bytes(const char *a, const char *b, uint32_t n)
{
    if (n >= 8 && n <= 16) {
        uint64_t a0, b0, a1, b1;
        memcpy(&a0, a, 8);
        memcpy(&b0, b, 8);
        memcpy(&a1, a + n - 8, 8);
        memcpy(&b1, b + n - 8, 8);
        return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    return memcmp(a, b, n) == 0;
}

/* Whether byte c ends the cell at position i of the record: a ',' before
 * every field but the last; after the last, a '\n', a "\r\n" or the end of
 * the buffer.  *next receives where the following cell or record starts. */
static inline bool cell_ends(const char *b, size_t len, size_t i, bool last, size_t *next)
{
    if (!last) {
        if (i < len && b[i] == ',') {
            *next = i + 1;
            return true;
        }
        return false;
    }
    if (i >= len) {
        *next = len;
        return true;
    }
    if (b[i] == '\n') {
        *next = i + 1;
        return true;
    }
    if (b[i] == '\r' && i + 1 < len && b[i + 1] == '\n') {
        *next = i + 2;
        return true;
    }
    return false;
}

/* The end of a cell of unknown length starting at i: the first ',', '\n' or
 * '\r' (a quote-free file has no other cell end). */
static inline size_t cell_scan(const char *b, size_t i, size_t len)
{
    while (i < len && b[i] != ',' && b[i] != '\n' && b[i] != '\r')
        i++;
    return i;
}

/* The record parser and the row loop are instantiated twice: for any shape
 * (types read from an array), and for the sign-in shape person, date, int
 * with the types and the column count constant, so that the compiler
 * unrolls the columns and drops the switch. */
#if defined(__GNUC__)
#define FF_INLINE static inline __attribute__((always_inline))
#define FF_UNROLL _Pragma("GCC unroll 16")
#else
#define FF_INLINE static inline
#define FF_UNROLL
#endif

/* Parses the record starting at b[i] into vals (by file column).  Returns
 * the offset just past its line break, or 0 when the general path must read
 * it (a record never starts at 0 after the header, so 0 is free). */
FF_INLINE size_t fast_record(fx_table *T, const ff_field *ff, const wz_field_type *types, size_t ncols, const char *b,
                             size_t len, size_t i, int64_t *vals)
{
    fx_loader *L = T->L;
    FF_UNROLL
    for (size_t k = 0; k < ncols; k++) {
        const ff_field *F = &ff[k];
        bool last = k + 1 == ncols;
        size_t next;
        switch (types[k]) {
        case WZ_FT_PERSON: {
            /* the person after the previous row's, or the same one: no lookup */
            int64_t lp = T->last_person;
            for (int g = 0; g < 2 && lp >= 0; g++) {
                int64_t guess = g == 0 ? lp + 1 : lp;
                if (guess >= (int64_t)L->f->npersons)
                    continue;
                uint32_t n = L->person_id_len[guess];
                const char *id = L->person_ids[guess];
                if (id && n > 0 && i + n <= len && same_bytes(b + i, id, n) && cell_ends(b, len, i + n, last, &next)) {
                    vals[k] = guess;
                    T->last_person = guess;
                    goto cell_done;
                }
            }
            size_t e = cell_scan(b, i, len);
            if (e == i || !cell_ends(b, len, e, last, &next))
                return 0;
            gpointer pv = g_hash_table_lookup(L->persons, tmp_text(L, b + i, e - i));
            if (pv == NULL || GPOINTER_TO_UINT(pv) == G_MAXUINT)
                return 0;   /* unknown (the general path says so), or a person with errors */
            vals[k] = (int64_t)(GPOINTER_TO_UINT(pv) - 1);
            T->last_person = vals[k];
            break;
        }
        case WZ_FT_DATE: {
            if (i + 10 > len || !cell_ends(b, len, i + 10, last, &next))
                return 0;
            if (T->last_date_ok && same10(b + i, T->last_date)) {
                vals[k] = T->last_date_value;
                break;
            }
            wz_date d;
            if (!wz_date_parse(b + i, 10, &d))
                return 0;   /* another form (2019/9/1) or no date: the general path decides */
            memcpy(T->last_date, b + i, 10);
            T->last_date_value = d;
            T->last_date_ok = true;
            vals[k] = d;
            break;
        }
        case WZ_FT_INT: {
            /* plain digits, at most 18 (no overflow); a sign, a blank or
             * more digits go the general way */
            size_t j = i;
            uint64_t v = 0;
            while (j < len && j - i < 19 && (unsigned)(b[j] - '0') <= 9)
                v = v * 10 + (uint64_t)(b[j++] - '0');
            if (j == i || j - i > 18 || !cell_ends(b, len, j, last, &next))
                return 0;
            if ((int64_t)v < F->lo || (int64_t)v > F->hi)
                return 0;
            vals[k] = (int64_t)v;
            break;
        }
        case WZ_FT_ENUM: {
            size_t e = cell_scan(b, i, len);
            if (e == i || !cell_ends(b, len, e, last, &next))
                return 0;
            const GPtrArray *ev = F->f->enum_values;
            guint m = 0;
            while (m < ev->len && !text_is(b + i, e - i, g_ptr_array_index(ev, m)))
                m++;
            if (m == ev->len)
                return 0;
            vals[k] = m;
            break;
        }
        default:
            return 0;
        }
    cell_done:
        i = next;
    }
    return i;
}

/* The end of the record starting at i, as the general scanner ends it in a
 * quote-free file: just past the first line break ('\n', "\r\n" or a lone
 * '\r'), or len. */
static size_t record_end(const char *b, size_t i, size_t len)
{
    i = cell_scan(b, i, len);
    while (i < len && b[i] == ',')
        i = cell_scan(b, i + 1, len);
    if (i >= len)
        return len;
    return i + ((b[i] == '\r' && i + 1 < len && b[i + 1] == '\n') ? 2 : 1);
}

/* Reads b[from, to) starting on line `line` with the general path; returns
 * the line after it. */
static uint32_t general_range(fx_table *T, const fx_scan *sc, const int *colmap, size_t ncols, size_t from, size_t to,
                              uint32_t line)
{
    fx_scan sub = *sc;
    sub.pos = from;
    sub.len = to;
    sub.line = line;
    wz_facts_csv_rows(T, &sub, colmap, ncols);
    return sub.line;
}

/* Reads every record of the scan (see wz_facts_fast_rows); returns how
 * many the fast path took. */
FF_INLINE uint32_t fast_loop(fx_table *T, fx_scan *sc, const int *colmap, size_t ncols, ff_field *ff,
                             const wz_field_type *types, bool filter, size_t date_k)
{
    const char *b = sc->b;
    size_t len = sc->len, i = sc->pos;
    uint32_t line = sc->line;
    uint32_t fast = 0, slow = 0;
    fx_loader *L = T->L;
    wz_fact_table *t = T->t;
    int64_t vals[16];
    while (i < len) {
        /* After a few thousand records, a file where more than one in eight
         * needs the general path is read by it from here on. */
        if (G_UNLIKELY(slow > 64 && slow > (fast + slow) / 8)) {
            line = general_range(T, sc, colmap, ncols, i, len, line);
            i = len;
            break;
        }
        uint32_t slot = t->nrows;
        size_t next = slot < T->cap && b[i] != '\n' && b[i] != '\r' ? fast_record(T, ff, types, ncols, b, len, i, vals) : 0;
        if (G_UNLIKELY(next == 0)) {
            size_t e = record_end(b, i, len);
            line = general_range(T, sc, colmap, ncols, i, e, line);
            i = e;
            slow++;
            continue;
        }
        fast++;
        FF_UNROLL
        for (size_t k = 0; k < ncols; k++) {
            if (ff[k].i32)
                ff[k].i32[slot] = (int32_t)vals[k];
            else
                ff[k].ints[slot] = vals[k];
            column_clear_missing(ff[k].col, slot);
        }
        t->rows_read++;
        if (filter && (vals[date_k] < L->period.start || vals[date_k] > L->period.end)) {
            t->rows_ignored++;   /* the slot is reused, as wz_facts_row_done() does */
        } else {
            t->line[slot] = line;
            t->nrows++;
        }
        if (b[next - 1] == '\n')   /* not at the end of a file without a final line break */
            line++;
        i = next;
    }
    sc->pos = i;
    sc->line = line;
    return fast;
}

static uint32_t fast_loop_any(fx_table *T, fx_scan *sc, const int *colmap, size_t ncols, ff_field *ff,
                              const wz_field_type *types, bool filter, size_t date_k)
{
    return fast_loop(T, sc, colmap, ncols, ff, types, filter, date_k);
}

static uint32_t fast_loop_pdi(fx_table *T, fx_scan *sc, const int *colmap, ff_field *ff, bool filter, size_t date_k)
{
    static const wz_field_type pdi[3] = {WZ_FT_PERSON, WZ_FT_DATE, WZ_FT_INT};
    return fast_loop(T, sc, colmap, 3, ff, pdi, filter, date_k);
}

/* Whether bound b (a field's min or max) is whole and fits in 64 bits. */
static bool whole_bound(wz_dec b, int64_t *out)
{
    if (b.den != 1 || b.num < INT64_MIN || b.num > INT64_MAX)
        return false;
    *out = (int64_t)b.num;
    return true;
}

bool wz_facts_fast_rows(fx_table *T, fx_scan *sc, const int *colmap, size_t ncols)
{
    fx_loader *L = T->L;
    wz_fact_table *t = T->t;
    if (!wz_facts_fast_enabled || !sc->plain || !sc->utf8_ok || T->json || !T->header_ok ||
        ncols != T->nfields || ncols == 0 || ncols > 16 || T->keys || T->s->one_per_person || T->s->every_person ||
        L->discover ||
        !L->persons_known || L->person_ids == NULL)
        return false;
    ff_field ff[16];
    for (size_t k = 0; k < ncols; k++) {
        int fi = colmap[k];
        if (fi < 0 || fi >= (int)T->nfields)
            return false;
        const wz_field_schema *f = g_ptr_array_index(T->s->fields, fi);
        wz_column *col = t->columns[fi];
        ff[k] = (ff_field){.type = f->type, .ints = col->ints, .i32 = col->i32, .col = col, .lo = INT64_MIN,
                           .hi = INT64_MAX, .f = f};
        switch (f->type) {
        case WZ_FT_PERSON:
        case WZ_FT_DATE:
            break;
        case WZ_FT_INT:
            if ((f->has_min && !whole_bound(f->min, &ff[k].lo)) || (f->has_max && !whole_bound(f->max, &ff[k].hi)))
                return false;
            break;
        case WZ_FT_ENUM:
            if (f->enum_values == NULL)
                return false;
            break;
        default:
            return false;
        }
        if (col->ints == NULL && col->i32 == NULL && T->cap > 0)
            return false;
    }
    const bool filter = T->date_col >= 0 && L->period.active;
    size_t date_k = 0;
    for (size_t k = 0; k < ncols; k++)
        if (colmap[k] == T->date_col)
            date_k = k;

    wz_field_type types[16];
    for (size_t k = 0; k < ncols; k++)
        types[k] = ff[k].type;
    uint32_t fast;
    if (ncols == 3 && types[0] == WZ_FT_PERSON && types[1] == WZ_FT_DATE && types[2] == WZ_FT_INT)
        fast = fast_loop_pdi(T, sc, colmap, ff, filter, date_k);
    else
        fast = fast_loop_any(T, sc, colmap, ncols, ff, types, filter, date_k);
    g_atomic_int_add(&wz_facts_fast_rows_read, (gint)fast);
    return true;
}

void wz_facts_read_rows(fx_table *T, fx_scan *sc, const int *colmap, size_t ncols)
{
    if (!wz_facts_fast_rows(T, sc, colmap, ncols))
        wz_facts_csv_rows(T, sc, colmap, ncols);
}

void wz_facts_read_csv(fx_table *T, const char *buf, size_t len)
{
    fx_scan sc;
    wz_facts_scan_init(&sc, buf, len, T->utf8, T->L->d, T->t->file);
    size_t ncols;
    int *colmap = wz_facts_csv_header(T, &sc, &ncols);
    if (colmap == NULL)
        return;
    wz_facts_read_rows(T, &sc, colmap, ncols);
    g_free(colmap);
}
