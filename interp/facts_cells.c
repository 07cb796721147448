/* facts_cells.c — one row of a fact file, validated and stored.
 *
 * The scanners hand over a row's cells in schema order; each cell is parsed
 * by its field's type (integers, decimals, dates, bools, enums, interned
 * text, person ids) and range, and written into slot nrows of its column.
 * Then the row as a whole: the period filter, duplicate population keys,
 * entities found by a discovery pass, and one-row-per-person.  A bad cell
 * is reported as "expected X, found Y" at its row and column.
 *
 * This is the inner loop of every load: store_cell() runs once per cell,
 * and the helpers it calls are static here or inline in facts_internal.h.
 */
#include "facts_internal.h"
#include "i18n.h"

#include <string.h>

enum { BAD_TYPE, BAD_RANGE, BAD_INT64, BAD_DIGITS, BAD_PRECISION };

/* Reads n (1..max) ASCII digits at p[*i]; false if there are none or more. */
static bool date_digits(const char *p, size_t len, size_t *i, int max, int *out)
{
    int v = 0, n = 0;
    while (*i < len && g_ascii_isdigit(p[*i])) {
        if (++n > max)
            return false;
        v = v * 10 + (p[(*i)++] - '0');
    }
    *out = v;
    return n > 0;
}

/* Whether p[*i..] starts with the UTF-8 text lit; steps over it if so. */
static bool date_word(const char *p, size_t len, size_t *i, const char *lit)
{
    size_t n = strlen(lit);
    if (len - *i < n || memcmp(p + *i, lit, n) != 0)
        return false;
    *i += n;
    return true;
}

bool wz_facts_parse_date(const char *p, size_t len, wz_date *out, int *shape)
{
    *shape = WZ_DATE_SHAPE_NONE;
    size_t i = 0, y0;
    int y, m, d;
    while (i < len && p[i] == ' ')
        i++;
    y0 = i;
    if (!date_digits(p, len, &i, 4, &y))
        return false;
    bool year_first = i - y0 == 4;
    if (i < len && (p[i] == '-' || p[i] == '/' || p[i] == '.')) {
        char sep = p[i++];
        if (!date_digits(p, len, &i, 4, &m) || i >= len || p[i++] != sep || !date_digits(p, len, &i, 4, &d))
            return false;
    } else if (date_word(p, len, &i, "年")) {
        if (!date_digits(p, len, &i, 2, &m) || !date_word(p, len, &i, "月") || !date_digits(p, len, &i, 2, &d))
            return false;
        date_word(p, len, &i, "日");
    } else {
        return false;
    }
    while (i < len && p[i] == ' ')
        i++;
    if (i != len)
        return false;
    /* 9/1/2019, 19/9/1: month/day order or the century is a guess */
    if (!year_first) {
        *shape = WZ_DATE_SHAPE_AMBIGUOUS;
        return false;
    }
    *shape = WZ_DATE_SHAPE_DATE;
    char iso[16];
    g_snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
    return wz_date_parse(iso, 10, out);
}

static void append_range(GString *m, const wz_field_schema *f)
{
    char *lo = f->has_min ? wz_dec_to_string(f->min, 0, 18) : NULL;
    char *hi = f->has_max ? wz_dec_to_string(f->max, 0, 18) : NULL;
    if (lo && hi)
        g_string_append_printf(m, _("a number from %s to %s"), lo, hi);
    else if (lo)
        g_string_append_printf(m, _("a number of at least %s"), lo);
    else
        g_string_append_printf(m, _("a number of at most %s"), hi ? hi : "?");
    g_free(lo);
    g_free(hi);
}

static void append_expected(GString *m, const fx_table *T, const wz_field_schema *f)
{
    switch (f->type) {
    case WZ_FT_TEXT: g_string_append(m, _("text")); break;
    case WZ_FT_INT: g_string_append(m, _("an integer")); break;
    case WZ_FT_DECIMAL: g_string_append(m, _("a decimal number")); break;
    case WZ_FT_DATE: g_string_append(m, _("a date (YYYY-MM-DD)")); break;
    case WZ_FT_BOOL: g_string_append(m, _("true, false, 1, 0, 是 or 否")); break;
    case WZ_FT_PERSON:
        g_string_append_printf(m, _("a person id from %s"), T->L->pop_name ? T->L->pop_name : _("the population"));
        break;
    case WZ_FT_ENUM:
        g_string_append(m, _("one of "));
        for (guint i = 0; f->enum_values && i < f->enum_values->len; i++) {
            if (i == 20) {
                g_string_append(m, ", …");
                break;
            }
            if (i > 0)
                g_string_append(m, _(", "));
            g_string_append(m, g_ptr_array_index(f->enum_values, i));
        }
        break;
    }
}

/* Reports a cell that does not fit its field: "expected X, found Y". */
static void bad_cell(fx_table *T, uint32_t line, guint fi, const fx_cell *c, int why)
{
    wz_diags *d = T->L->d;
    const char *file = T->t->file;
    if (wz_facts_full(d)) {
        wz_facts_error(d, file, line, T->dcol[fi], "%s", "");
        return;
    }
    const wz_field_schema *f = g_ptr_array_index(T->s->fields, fi);
    GString *m = g_string_new(_("expected "));
    switch (why) {
    case BAD_RANGE: append_range(m, f); break;
    case BAD_INT64: g_string_append(m, _("an integer that fits in 64 bits")); break;
    case BAD_DIGITS: g_string_append(m, _("a decimal number of at most 36 significant digits")); break;
    case BAD_PRECISION:
        g_string_append_printf(m, _("at most %d decimal places (more precision than exact arithmetic can carry)"),
                               WZ_DEC_READ_PLACES);
        break;
    default: {   /* braces: a declaration may not follow a label before C23 (clang refuses it) */
        /* "2019-11-31", "2019/2/30" have a date's shape but are no day of the
         * calendar; "9/1/2019" could be either of two days: say so */
        wz_date ignored;
        int shape = WZ_DATE_SHAPE_NONE;
        if (f->type == WZ_FT_DATE && c->kind == FX_STR && c->len > 0)
            wz_facts_parse_date(c->p, c->len, &ignored, &shape);
        if (shape != WZ_DATE_SHAPE_NONE) {
            g_string_truncate(m, 0);
            g_string_append(m, shape == WZ_DATE_SHAPE_DATE ? _("expected a real calendar date, found ")
                                                           : _("expected a date with a 4-digit year first (YYYY-MM-DD, "
                                                             "YYYY/M/D, YYYY.M.D or YYYY年M月D日), found "));
            wz_facts_append_value(m, c->p, c->len, c->kind == FX_STR);
            g_string_append(m, shape == WZ_DATE_SHAPE_DATE ? _(", which does not exist")
                                                           : _(", whose day, month and year could be read more than one way"));
            wz_diag_fact(d, WZ_SEV_ERROR, file, line, T->dcol[fi], "%s", m->str);
            g_string_free(m, TRUE);
            return;
        }
        append_expected(m, T, f);
        break;
    }
    }
    g_string_append(m, _(", found "));
    if (c->kind == FX_NULL || c->kind == FX_ABSENT)
        g_string_append(m, T->json ? "null" : _("an empty cell"));
    else if (c->len == 0)
        g_string_append(m, T->json ? "\"\"" : _("an empty cell"));
    else
        wz_facts_append_value(m, c->p, c->len, c->kind == FX_STR);
    wz_diag_fact(d, WZ_SEV_ERROR, file, line, T->dcol[fi], "%s", m->str);
    g_string_free(m, TRUE);
}

/* Integer with optional sign; *overflow tells a well-formed but too large
 * number from a malformed one. */
static bool parse_int(const char *p, size_t len, int64_t *out, bool *overflow)
{
    size_t i = 0;
    bool neg = false;
    *overflow = false;
    if (len > 0 && (p[0] == '+' || p[0] == '-')) {
        neg = p[0] == '-';
        i = 1;
    }
    if (i == len)
        return false;
    const uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t v = 0;
    for (; i < len; i++) {
        unsigned digit = (unsigned)((unsigned char)p[i] - '0');
        if (digit > 9)
            return false;
        if (v > (limit - digit) / 10)
            *overflow = true;
        else
            v = v * 10 + digit;
    }
    if (*overflow)
        return false;
    if (neg)
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    else
        *out = (int64_t)v;
    return true;
}

static bool parse_bool(const char *p, size_t len, int64_t *out)
{
    if (text_is(p, len, "1") || text_is(p, len, "是") ||
        (len == 4 && g_ascii_strncasecmp(p, "true", 4) == 0)) {
        *out = 1;
        return true;
    }
    if (text_is(p, len, "0") || text_is(p, len, "否") ||
        (len == 5 && g_ascii_strncasecmp(p, "false", 5) == 0)) {
        *out = 0;
        return true;
    }
    return false;
}

/* Whole-number bounds (the usual `in 0 .. 100`) compare without rational arithmetic. */
static bool in_range_int(const wz_field_schema *f, int64_t v)
{
    if (f->has_min && (f->min.den == 1 ? (wz_i128)v < f->min.num : wz_dec_cmp(wz_dec_from_int(v), f->min) < 0))
        return false;
    if (f->has_max && (f->max.den == 1 ? (wz_i128)v > f->max.num : wz_dec_cmp(wz_dec_from_int(v), f->max) > 0))
        return false;
    return true;
}

static bool in_range(const wz_field_schema *f, wz_dec v)
{
    return !(f->has_min && wz_dec_cmp(v, f->min) < 0) && !(f->has_max && wz_dec_cmp(v, f->max) > 0);
}

/* Validates one cell and stores it into slot `slot` of its column. */
static bool store_cell(fx_table *T, guint fi, const fx_cell *c, uint32_t slot, uint32_t line)
{
    const wz_field_schema *f = g_ptr_array_index(T->s->fields, fi);
    wz_column *col = T->t->columns[fi];
    if (c->kind == FX_NULL || c->kind == FX_ABSENT || c->len == 0) {
        if (G_UNLIKELY(c->kind == FX_NOCOL))   /* no column for the field: the header's error says so */
            return false;
        if (!f->optional) {
            bad_cell(T, line, fi, c, BAD_TYPE);
            return false;
        }
        column_set_missing(col, slot, T->cap);
        if (f->type == WZ_FT_DECIMAL)
            col->decs[slot] = WZ_DEC_ZERO;
        else
            column_put(col, slot, f->type == WZ_FT_PERSON ? -1 : 0);
        return true;
    }
    column_clear_missing(col, slot);
    const char *p = c->p;
    size_t len = c->len;
    int64_t v = 0;
    switch (f->type) {
    case WZ_FT_TEXT:
        column_put(col, slot, wz_facts_intern(T->L, p, len));
        return true;
    case WZ_FT_INT: {
        bool overflow;
        if (!parse_int(p, len, &v, &overflow)) {
            bad_cell(T, line, fi, c, overflow ? BAD_INT64 : BAD_TYPE);
            return false;
        }
        if ((f->has_min || f->has_max) && !in_range_int(f, v)) {
            bad_cell(T, line, fi, c, BAD_RANGE);
            return false;
        }
        column_put(col, slot, v);
        return true;
    }
    case WZ_FT_DECIMAL: {
        wz_dec d;
        wz_dec_status st = wz_dec_parse(p, len, &d);
        if (st != WZ_DEC_OK) {
            bad_cell(T, line, fi, c, st == WZ_DEC_OVERFLOW ? BAD_DIGITS : BAD_TYPE);
            return false;
        }
        if (!wz_dec_terminates_within(d, WZ_DEC_READ_PLACES)) {
            bad_cell(T, line, fi, c, BAD_PRECISION);
            return false;
        }
        if ((f->has_min || f->has_max) && !in_range(f, d)) {
            bad_cell(T, line, fi, c, BAD_RANGE);
            return false;
        }
        col->decs[slot] = d;
        return true;
    }
    case WZ_FT_DATE: {
        if (len == 10 && T->last_date_ok && memcmp(p, T->last_date, 10) == 0) {
            column_put(col, slot, T->last_date_value);
            return true;
        }
        wz_date d;
        int shape;
        if (G_UNLIKELY(!wz_date_parse(p, len, &d))) {
            /* Excel's own forms (2019/9/1, 2019年9月1日): only when ISO fails, so
             * the usual export pays nothing for them */
            if (c->kind != FX_STR || !wz_facts_parse_date(p, len, &d, &shape)) {
                bad_cell(T, line, fi, c, BAD_TYPE);
                return false;
            }
            column_put(col, slot, d);
            return true;
        }
        memcpy(T->last_date, p, 10);   /* wz_date_parse accepts exactly 10 bytes */
        T->last_date_value = d;
        T->last_date_ok = true;
        column_put(col, slot, d);
        return true;
    }
    case WZ_FT_BOOL:
        if (!parse_bool(p, len, &v)) {
            bad_cell(T, line, fi, c, BAD_TYPE);
            return false;
        }
        column_put(col, slot, v);
        return true;
    case WZ_FT_ENUM:
        for (guint i = 0; f->enum_values && i < f->enum_values->len; i++)
            if (text_is(p, len, g_ptr_array_index(f->enum_values, i))) {
                column_put(col, slot, i);
                return true;
            }
        bad_cell(T, line, fi, c, BAD_TYPE);
        return false;
    case WZ_FT_PERSON: {
        /* Without a usable population, every id would be reported; the
         * population's own errors say what is wrong. */
        if (!T->L->persons_known) {
            column_put(col, slot, -1);
            return true;
        }
        /* the person after the previous row's (a daily export lists everyone in
         * order), or the same one again, needs no lookup */
        for (int k = 0; k < 2 && T->last_person >= 0 && T->L->person_ids; k++) {
            int64_t guess = k == 0 ? T->last_person + 1 : T->last_person;
            if (guess >= (int64_t)T->L->f->npersons) continue;
            const char *id = T->L->person_ids[guess];
            if (id && T->L->person_id_len[guess] == len && memcmp(id, p, len) == 0) {
                column_put(col, slot, guess);
                T->last_person = guess;
                return true;
            }
        }
        if (T->L->discover) {   /* the key's text, registered by wz_facts_row_done() if the row is kept */
            column_put(col, slot, wz_facts_intern(T->L, p, len));
            return true;
        }
        gpointer pv = g_hash_table_lookup(T->L->persons, tmp_text(T->L, p, len));
        if (pv == NULL) {
            bad_cell(T, line, fi, c, BAD_TYPE);
            return false;
        }
        column_put(col, slot, (int64_t)(GPOINTER_TO_UINT(pv) - 1));
        if (GPOINTER_TO_UINT(pv) != G_MAXUINT) T->last_person = column_get(col, slot);
        return true;
    }
    }
    return false;
}

/* Validates and stores one data row; cells are in schema order. */
void wz_facts_row_done(fx_table *T, uint32_t line, const fx_cell *cells)
{
    fx_loader *L = T->L;
    wz_fact_table *t = T->t;
    const wz_fact_schema *s = T->s;
    uint32_t slot = t->nrows;
    bool ok = true, key_ok = true, date_ok = true, person_ok = true;
    /* cap counts line breaks, which bound the records; this only guards
     * against a future scanner change writing past the columns. */
    if (slot >= T->cap)
        return;
    for (guint fi = 0; fi < T->nfields; fi++) {
        if (store_cell(T, fi, &cells[fi], slot, line))
            continue;
        ok = false;
        if ((int)fi == T->key_col)
            key_ok = false;
        if ((int)fi == T->date_col)
            date_ok = false;
        if ((int)fi == T->person_col)
            person_ok = false;
    }

    /* Validated first, filtered second: a bad row outside the period is
     * still an error. */
    bool kept = true;
    if (T->date_col >= 0 && L->period.active && date_ok) {
        const wz_column *dc = t->columns[T->date_col];
        if (!(dc->missing && (dc->missing[slot >> 3] >> (slot & 7)) & 1)) {
            int64_t d = column_get(dc, slot);
            kept = d >= L->period.start && d <= L->period.end;
        }
    }

    if (T->keys && key_ok) {
        uint32_t id = (uint32_t)column_get(t->columns[T->key_col], slot);
        gpointer first = g_hash_table_lookup(T->keys, GUINT_TO_POINTER(id + 1));
        if (first) {
            wz_facts_error(L->d, t->file, line, T->dcol[T->key_col],
                        "duplicate person id \"%s\"; first listed at row %u",
                        wz_facts_string(L->f, id), GPOINTER_TO_UINT(first));
            ok = false;
        } else {
            g_hash_table_insert(T->keys, GUINT_TO_POINTER(id + 1), GUINT_TO_POINTER(line));
            /* A person whose row has some other error still exists, so
             * the other facts are not flooded with unknown-id errors; the
             * load fails anyway, so its index is a placeholder. */
            if (kept || !ok)
                g_hash_table_insert(L->persons, (gpointer)wz_facts_string(L->f, id),
                                    GUINT_TO_POINTER(ok ? slot + 1 : G_MAXUINT));
        }
    }

    if (L->discover && T->person_col >= 0 && person_ok) {
        /* a new entity, numbered in order of appearance among the kept rows; a
         * key met only outside the period is no entity, but no unknown key either */
        const char *key = wz_facts_string(L->f, (uint32_t)column_get(t->columns[T->person_col], slot));
        if (kept && !g_hash_table_contains(L->persons, key)) {
            g_ptr_array_add(L->found, (gpointer)key);
            g_hash_table_insert(L->persons, (gpointer)key, GUINT_TO_POINTER(L->found->len));
            L->f->npersons = L->found->len;
        } else if (!kept) {
            g_ptr_array_add(L->skipped, (gpointer)key);
        }
    }

    if (T->first_line && person_ok && kept) {
        int64_t p = column_get(t->columns[T->person_col], slot);
        if (p >= 0 && p < (int64_t)L->f->npersons) {
            if (T->first_line[p] != 0) {
                if (s->one_per_person || s->every_person) {
                    wz_facts_error(L->d, t->file, line, T->dcol[T->person_col],
                                "duplicate row for %s %s; only one row per %s is allowed (first at row %u)",
                                ENTITY_NAME(s), wz_facts_person_id(L->f, (uint32_t)p), ENTITY_NAME(s), T->first_line[p]);
                    ok = false;
                }
            } else {
                T->first_line[p] = line;
            }
        }
    }

    if (!ok)
        return;
    if (!kept) {
        t->rows_ignored++;
        return;
    }
    t->line[slot] = line;
    t->nrows++;
}
