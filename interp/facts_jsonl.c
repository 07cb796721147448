/* facts_jsonl.c — the JSONL fact scanner.
 *
 * Each non-blank line is one flat JSON object whose keys are the fact's
 * field names.  The scanner is hand-written rather than a JSON library so
 * that numbers keep their exact source text (0.1 stays 1/10, never a
 * double) and strings without escapes stay slices of the mapped file.
 * A JSON value becomes a cell: a string is its text, a number or true/false
 * its literal text, null an empty cell; the cell is then validated exactly
 * like a CSV cell.  Diagnostics use the field's position in the schema as
 * the column; malformed JSON is reported for the whole row.
 */
#include "facts_internal.h"
#include "i18n.h"

#include <string.h>

typedef struct json_scan {
    fx_table *T;
    const char *b;
    size_t i, ls, end;   /* cursor, line start, line end */
    uint32_t line;
    bool utf8_ok;
} json_scan;

static void ws(json_scan *j)
{
    while (j->i < j->end && (j->b[j->i] == ' ' || j->b[j->i] == '\t' || j->b[j->i] == '\r'))
        j->i++;
}

static bool eat(json_scan *j, char c)
{
    if (j->i < j->end && j->b[j->i] == c) {
        j->i++;
        return true;
    }
    return false;
}

/* Reports malformed JSON at the cursor; always returns false. */
static bool fail(json_scan *j, const char *what)
{
    wz_diags *d = j->T->L->d;
    const char *file = j->T->t->file;
    if (j->i >= j->end)
        wz_facts_error(d, file, j->line, 0, "invalid JSON: %s, found the end of the line", what);
    else
        wz_facts_error(d, file, j->line, 0, "invalid JSON at character %u: %s",
                       wz_facts_char_count(j->b + j->ls, j->i - j->ls) + 1, what);
    return false;
}

static int hex4(const char *p)
{
    int v = 0;
    for (int k = 0; k < 4; k++) {
        int h = g_ascii_xdigit_value(p[k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Scans the string at the cursor (on its opening quote) into *out.  col is
 * the column for a UTF-8 error (0 for keys). */
static bool string(json_scan *j, fx_cell *out, uint32_t col)
{
    GString *sc = j->T->L->row.scratch;
    const char *b = j->b;
    size_t i = j->i + 1, s0 = i, run = i, soff = 0;
    bool escaped = false;
    for (;;) {
        if (i >= j->end) {
            j->i = i;
            return fail(j, "expected a closing '\"'");
        }
        unsigned char c = (unsigned char)b[i];
        if (c == '"')
            break;
        if (c < 0x20) {
            j->i = i;
            return fail(j, "control character in a string (write it as an escape)");
        }
        if (c != '\\') {
            i++;
            continue;
        }
        /* The first escape moves the string to the scratch buffer. */
        if (!escaped) {
            escaped = true;
            soff = sc->len;
        }
        g_string_append_len(sc, b + run, (gssize)(i - run));
        j->i = i;
        if (i + 1 >= j->end)
            return fail(j, "unfinished escape");
        char e = b[i + 1];
        i += 2;
        switch (e) {
        case '"': g_string_append_c(sc, '"'); break;
        case '\\': g_string_append_c(sc, '\\'); break;
        case '/': g_string_append_c(sc, '/'); break;
        case 'b': g_string_append_c(sc, '\b'); break;
        case 'f': g_string_append_c(sc, '\f'); break;
        case 'n': g_string_append_c(sc, '\n'); break;
        case 'r': g_string_append_c(sc, '\r'); break;
        case 't': g_string_append_c(sc, '\t'); break;
        case 'u': {
            int cp = i + 4 <= j->end ? hex4(b + i) : -1;
            if (cp < 0)
                return fail(j, "expected four hex digits after \\u");
            i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                int lo = i + 6 <= j->end && b[i] == '\\' && b[i + 1] == 'u' ? hex4(b + i + 2) : -1;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return fail(j, "unpaired surrogate in a \\u escape");
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                return fail(j, "unpaired surrogate in a \\u escape");
            } else if (cp == 0) {
                return fail(j, "\\u0000 is not allowed");
            }
            g_string_append_unichar(sc, (gunichar)cp);
            break;
        }
        default:
            return fail(j, "invalid escape in a string");
        }
        run = i;
    }
    if (!j->utf8_ok && !wz_facts_check_utf8(j->T->L->d, j->T->t->file, j->line, col, b + s0, i - s0))
        return false;
    out->kind = FX_STR;
    if (escaped) {
        g_string_append_len(sc, b + run, (gssize)(i - run));
        out->in_scratch = true;
        out->soff = soff;
        out->p = NULL;
        out->len = sc->len - soff;
    } else {
        out->in_scratch = false;
        out->p = b + s0;
        out->len = i - s0;
    }
    j->i = i + 1;
    return true;
}

static bool is_digit(const json_scan *j, size_t k)
{
    return k < j->end && j->b[k] >= '0' && j->b[k] <= '9';
}

/* A JSON number, kept as its source text. */
static bool number(json_scan *j, fx_cell *out)
{
    size_t k = j->i, s0 = k;
    if (k < j->end && j->b[k] == '-')
        k++;
    if (is_digit(j, k) && j->b[k] == '0') {
        k++;
    } else if (is_digit(j, k)) {
        while (is_digit(j, k))
            k++;
    } else {
        j->i = k;
        return fail(j, "expected a digit");
    }
    if (k < j->end && j->b[k] == '.') {
        k++;
        if (!is_digit(j, k)) {
            j->i = k;
            return fail(j, "expected a digit after '.'");
        }
        while (is_digit(j, k))
            k++;
    }
    if (k < j->end && (j->b[k] == 'e' || j->b[k] == 'E')) {
        k++;
        if (k < j->end && (j->b[k] == '+' || j->b[k] == '-'))
            k++;
        if (!is_digit(j, k)) {
            j->i = k;
            return fail(j, "expected a digit in the exponent");
        }
        while (is_digit(j, k))
            k++;
    }
    out->kind = FX_LIT;
    out->in_scratch = false;
    out->p = j->b + s0;
    out->len = k - s0;
    j->i = k;
    return true;
}

static bool literal(json_scan *j, const char *word, uint8_t kind, fx_cell *out)
{
    size_t n = strlen(word);
    if (j->end - j->i < n || memcmp(j->b + j->i, word, n) != 0)
        return fail(j, "expected a value");
    out->kind = kind;
    out->in_scratch = false;
    out->p = j->b + j->i;
    out->len = kind == FX_NULL ? 0 : n;
    j->i += n;
    return true;
}

/* The value of field fi (-1: an unknown or repeated key, value discarded). */
static bool value(json_scan *j, fx_cell *out, int fi)
{
    char c = j->i < j->end ? j->b[j->i] : '\0';
    uint32_t col = fi >= 0 ? (uint32_t)fi + 1 : 0;
    switch (c) {
    case '"': return string(j, out, col);
    case 't': return literal(j, "true", FX_LIT, out);
    case 'f': return literal(j, "false", FX_LIT, out);
    case 'n': return literal(j, "null", FX_NULL, out);
    case '{':
    case '[': {
        const char *name = fi >= 0 ? ((const wz_field_schema *)g_ptr_array_index(j->T->s->fields, fi))->name : NULL;
        if (name)
            wz_facts_error(j->T->L->d, j->T->t->file, j->line, col,
                           "expected a string, number, true, false or null for field \"%s\", found %s", name,
                           c == '{' ? "an object" : "an array");
        else
            fail(j, "nested objects and arrays are not allowed");
        return false;
    }
    default:
        if (c == '-' || (c >= '0' && c <= '9'))
            return number(j, out);
        return fail(j, "expected a value");
    }
}

/* Parses one line into L->byfield (schema order).  False if the row has
 * an error (already reported). */
static bool object(json_scan *j)
{
    fx_table *T = j->T;
    fx_loader *L = T->L;
    fx_cell *by = L->byfield, dummy;
    GString *sc = L->row.scratch;
    bool ok = true;
    for (guint fi = 0; fi < T->nfields; fi++) {
        by[fi].kind = FX_ABSENT;
        by[fi].p = NULL;
        by[fi].len = 0;
        by[fi].in_scratch = false;
    }
    g_string_truncate(sc, 0);

    ws(j);
    if (!eat(j, '{'))
        return fail(j, "expected '{' (each line must be one JSON object)");
    ws(j);
    if (!eat(j, '}')) {
        for (;;) {
            if (j->i >= j->end || j->b[j->i] != '"')
                return fail(j, "expected a field name in double quotes");
            fx_cell key;
            size_t mark = sc->len;
            if (!string(j, &key, 0))
                return false;
            wz_facts_resolve(&L->row, &key, 1);
            int fi = wz_facts_field_index(T->s, key.p, key.len);
            if (fi < 0 || by[fi].kind != FX_ABSENT) {
                if (!wz_facts_full(L->d)) {
                    GString *m = g_string_new(fi < 0 ? _("unknown field ") : _("duplicate field "));
                    wz_facts_append_value(m, key.p, key.len, true);
                    if (fi < 0) {
                        g_string_append(m, _("; expected the fields "));
                        wz_facts_append_field_list(m, T->s);
                    }
                    wz_facts_error(L->d, T->t->file, j->line, fi < 0 ? 0 : (uint32_t)fi + 1, "%s", m->str);
                    g_string_free(m, TRUE);
                } else {
                    wz_facts_error(L->d, T->t->file, j->line, 0, "%s", "");
                }
                ok = false;
                fi = -1;
            }
            /* The key is no longer needed: give its scratch bytes back. */
            g_string_truncate(sc, mark);
            ws(j);
            if (!eat(j, ':'))
                return fail(j, "expected ':' after the field name");
            ws(j);
            if (!value(j, fi >= 0 ? &by[fi] : &dummy, fi))
                return false;
            ws(j);
            if (eat(j, ','))
                ws(j);
            else if (eat(j, '}'))
                break;
            else
                return fail(j, "expected ',' or '}'");
        }
    }
    ws(j);
    if (j->i < j->end)
        return fail(j, "unexpected text after the object");
    wz_facts_resolve(&L->row, by, T->nfields);

    for (guint fi = 0; fi < T->nfields; fi++) {
        if (by[fi].kind != FX_ABSENT)
            continue;
        const wz_field_schema *f = g_ptr_array_index(T->s->fields, fi);
        if (f->optional) {
            by[fi].kind = FX_NULL;
        } else {
            wz_facts_error(L->d, T->t->file, j->line, fi + 1, "missing field \"%s\"", f->name);
            ok = false;
        }
    }
    return ok;
}

void wz_facts_load_jsonl(fx_table *T, const char *buf, size_t len)
{
    size_t pos = 0;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    json_scan j = {
        .T = T,
        .b = buf,
        .utf8_ok = wz_facts_utf8_valid(buf + pos, len - pos),
    };
    for (guint fi = 0; fi < T->nfields; fi++)
        T->dcol[fi] = fi + 1;
    T->header_ok = true;

    uint32_t line = 0;
    while (pos < len) {
        line++;
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - buf) : len;
        j.ls = j.i = pos;
        j.end = end;
        j.line = line;
        pos = nl ? end + 1 : len;
        ws(&j);
        if (j.i == j.end)
            continue; /* blank line */
        T->t->rows_read++;
        if (object(&j))
            wz_facts_row_done(T, line, T->L->byfield);
    }
}
