/* facts_diag.c — reporting what is wrong with a fact file.
 *
 * Every scanner and the cell parser report through wz_facts_error(), which
 * respects the diagnostics limit without formatting what would be dropped.
 * Also here: values quoted for messages, the character column of a JSON
 * error, and UTF-8 checks — one fast pass over a whole file, and the
 * per-cell check that says which cell is at fault.
 */
#include "facts_internal.h"
#include "i18n.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

bool wz_facts_full(const wz_diags *d)
{
    return d->limit > 0 && d->errors >= d->limit;
}

void wz_facts_error(wz_diags *d, const char *file, uint32_t row, uint32_t col, const char *fmt, ...)
{
    if (wz_facts_full(d)) {
        /* Let diag.c count it as dropped without formatting anything. */
        wz_diag_fact(d, WZ_SEV_ERROR, file, row, col, "%s", "");
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(_(fmt), ap);   /* translated here: diag.c sees only "%s" */
    va_end(ap);
    wz_diag_fact(d, WZ_SEV_ERROR, file, row, col, "%s", msg);
    g_free(msg);
}

uint32_t wz_facts_char_count(const char *p, size_t n)
{
    uint32_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)p[i] & 0xC0) != 0x80)
            count++;
    return count;
}

bool wz_facts_check_utf8(wz_diags *d, const char *file, uint32_t row, uint32_t col, const char *p, size_t len)
{
    const char *end;
    if (g_utf8_validate_len(p, len, &end))
        return true;
    if (*end == '\0')
        wz_facts_error(d, file, row, col, "unexpected NUL byte; the file must be UTF-8 text");
    else
        wz_facts_error(d, file, row, col, "invalid UTF-8 (byte 0x%02x); save the file as UTF-8",
                    (unsigned)(unsigned char)*end);
    return false;
}

/* Appends a value as found in a message: quoted, control characters escaped,
 * cut after 60 characters.  JSON numbers and literals are shown bare. */
void wz_facts_append_value(GString *m, const char *p, size_t len, bool quote)
{
    const char *end = p + len;
    guint n = 0;
    if (quote)
        g_string_append_c(m, '"');
    while (p < end) {
        if (n++ == 60) {
            g_string_append(m, "…");
            break;
        }
        unsigned char ch = (unsigned char)*p;
        if (ch == '"' && quote)
            g_string_append(m, "\\\"");
        else if (ch == '\\' && quote)
            g_string_append(m, "\\\\");
        else if (ch == '\n')
            g_string_append(m, "\\n");
        else if (ch == '\r')
            g_string_append(m, "\\r");
        else if (ch == '\t')
            g_string_append(m, "\\t");
        else if (ch < 0x20 || ch == 0x7f)
            g_string_append_printf(m, "\\u%04x", ch);
        else {
            const char *q = g_utf8_next_char(p);
            if (q > end)
                q = end;
            g_string_append_len(m, p, q - p);
            p = q;
            continue;
        }
        p++;
    }
    if (quote)
        g_string_append_c(m, '"');
}

bool wz_facts_utf8_valid(const char *buf, size_t len)
{
    size_t i = 0;
    while (i < len) {
#if defined(__SSE2__)
        /* a chunk is plain when no byte has the high bit and none is NUL (GLib rejects NUL too) */
        while (i + 16 <= len) {
            __m128i v = _mm_loadu_si128((const __m128i *)(buf + i));
            if (_mm_movemask_epi8(_mm_or_si128(v, _mm_cmpeq_epi8(v, _mm_setzero_si128()))) != 0)
                break;
            i += 16;
        }
#endif
        if (i >= len)
            break;
        if (buf[i] == '\0')
            return false;
        if ((unsigned char)buf[i] < 0x80) {
            i++;
            continue;
        }
        /* characters never straddle an ASCII byte: a non-ASCII run is whole characters or invalid */
        size_t j = i;
        while (j < len && (unsigned char)buf[j] >= 0x80)
            j++;
        if (!g_utf8_validate_len(buf + i, j - i, NULL))
            return false;
        i = j;
    }
    return true;
}

bool wz_facts_utf8_mostly(const char *buf, size_t len)
{
    size_t good = 0, bad = 0;
    for (size_t i = 0; i < len;) {
        if ((unsigned char)buf[i] < 0x80) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < len && (unsigned char)buf[j] >= 0x80)
            j++;
        if (g_utf8_validate_len(buf + i, j - i, NULL))
            good++;
        else
            bad++;
        i = j;
    }
    return good > 0 && good >= bad;
}
