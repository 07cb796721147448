/* diag.c — diagnostics as values, and their rendering.
 *
 * Nothing here prints: wz_diag_render() returns the text and the CLI writes
 * it.  Policy diagnostics carry a span and are shown with the source line and
 * a caret underline; facts and plain diagnostics are a single line.
 */
#include "diag.h"
#include "i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- sources ------------------------------------------------------------ */

wz_source *wz_source_new(const char *name, const char *text, size_t len)
{
    wz_source *src = g_new0(wz_source, 1);
    src->name = g_strdup(name ? name : "");
    /* Copy so the caller may free its buffer; NUL-terminate so the lexer and
     * the renderer may treat it as a C string. */
    src->text = g_malloc(len + 1);
    if (len > 0)
        memcpy(src->text, text, len);
    src->text[len] = '\0';
    src->len = len;

    src->line_starts = g_array_new(FALSE, FALSE, sizeof(guint32));
    guint32 start = 0;
    g_array_append_val(src->line_starts, start);
    const char *p = src->text, *end = src->text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            break;
        start = (guint32)(nl + 1 - src->text);
        g_array_append_val(src->line_starts, start);
        p = nl + 1;
    }
    return src;
}

void wz_source_free(wz_source *src)
{
    if (src == NULL)
        return;
    g_free(src->name);
    g_free(src->text);
    if (src->line_starts)
        g_array_unref(src->line_starts);
    g_free(src);
}

/* 0-based index of the line holding byte `offset` (binary search). */
static guint source_line_index(const wz_source *src, uint32_t offset)
{
    const guint32 *starts = (const guint32 *)(void *)src->line_starts->data;
    guint lo = 0, hi = src->line_starts->len; /* answer in [lo, hi) */
    while (hi - lo > 1) {
        guint mid = lo + (hi - lo) / 2;
        if (starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Characters (not bytes) in [p, p+n): every byte that does not continue a
 * UTF-8 sequence starts a character.  Works on invalid text too. */
static uint32_t utf8_count(const char *p, size_t n)
{
    uint32_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)p[i] & 0xC0) != 0x80)
            count++;
    return count;
}

void wz_source_position(const wz_source *src, uint32_t offset, uint32_t *line, uint32_t *col)
{
    if (offset > src->len)
        offset = (uint32_t)src->len;
    guint idx = source_line_index(src, offset);
    guint32 start = g_array_index(src->line_starts, guint32, idx);
    if (line)
        *line = idx + 1;
    if (col)
        *col = utf8_count(src->text + start, offset - start) + 1;
}

const char *wz_source_line(const wz_source *src, uint32_t line, size_t *len)
{
    if (line == 0 || line > src->line_starts->len) {
        if (len)
            *len = 0;
        return "";
    }
    guint32 start = g_array_index(src->line_starts, guint32, line - 1);
    size_t end = line < src->line_starts->len
                     ? g_array_index(src->line_starts, guint32, line) - 1 /* the '\n' */
                     : src->len;
    /* A CRLF file: the '\r' is not part of the line as a person sees it. */
    if (end > start && src->text[end - 1] == '\r')
        end--;
    if (len)
        *len = end - start;
    return src->text + start;
}

/* ---- the diagnostics list ----------------------------------------------- */

static void diag_free(gpointer p)
{
    wz_diag *d = p;
    g_free(d->file);
    g_free(d->message);
    g_free(d);
}

wz_diags *wz_diags_new(guint limit)
{
    wz_diags *d = g_new0(wz_diags, 1);
    d->items = g_ptr_array_new_with_free_func(diag_free);
    d->limit = limit;
    return d;
}

void wz_diags_free(wz_diags *d)
{
    if (d == NULL)
        return;
    g_ptr_array_unref(d->items);
    if (d->sources)
        g_ptr_array_unref(d->sources);
    g_free(d);
}

void wz_diags_adopt_source(wz_diags *d, wz_source *src)
{
    if (src == NULL)
        return;
    if (d->sources == NULL)
        d->sources = g_ptr_array_new_with_free_func((GDestroyNotify)wz_source_free);
    g_ptr_array_add(d->sources, src);
}

bool wz_diags_has_errors(const wz_diags *d)
{
    return d->errors > 0 || d->dropped > 0;
}

/* Past the limit an error is only counted.  Checked before the message is
 * formatted so that a file with a million bad rows stays cheap. */
static bool diag_drop(wz_diags *d, wz_severity sev)
{
    if (sev == WZ_SEV_ERROR && d->limit > 0 && d->errors >= d->limit) {
        d->dropped++;
        return true;
    }
    return false;
}

static void diag_push(wz_diags *d, wz_diag *item)
{
    if (item->severity == WZ_SEV_ERROR)
        d->errors++;
    g_ptr_array_add(d->items, item);
}

void wz_diag_at(wz_diags *d, wz_severity sev, wz_span span, const char *fmt, ...)
{
    if (diag_drop(d, sev))
        return;
    wz_diag *item = g_new0(wz_diag, 1);
    item->kind = WZ_DIAG_POLICY;
    item->severity = sev;
    item->span = span;
    if (span.src) {
        item->file = g_strdup(span.src->name);
        wz_source_position(span.src, span.start, &item->line, &item->col);
    }
    va_list ap;
    va_start(ap, fmt);
    item->message = g_strdup_vprintf(_(fmt), ap);   /* in the reader's language (i18n.h) */
    va_end(ap);
    diag_push(d, item);
}

void wz_diag_fact(wz_diags *d, wz_severity sev, const char *file, uint32_t row, uint32_t col,
                  const char *fmt, ...)
{
    if (diag_drop(d, sev))
        return;
    wz_diag *item = g_new0(wz_diag, 1);
    item->kind = WZ_DIAG_FACTS;
    item->severity = sev;
    item->file = g_strdup(file);
    item->line = row;
    item->col = col;
    va_list ap;
    va_start(ap, fmt);
    item->message = g_strdup_vprintf(_(fmt), ap);
    va_end(ap);
    diag_push(d, item);
}

void wz_diag_plain(wz_diags *d, wz_diag_kind kind, wz_severity sev, const char *file,
                   const char *fmt, ...)
{
    if (diag_drop(d, sev))
        return;
    wz_diag *item = g_new0(wz_diag, 1);
    item->kind = kind;
    item->severity = sev;
    item->file = g_strdup(file);
    va_list ap;
    va_start(ap, fmt);
    item->message = g_strdup_vprintf(_(fmt), ap);
    va_end(ap);
    diag_push(d, item);
}

/* ---- rendering ---------------------------------------------------------- */

static const char *severity_name(wz_severity sev)
{
    switch (sev) {
    case WZ_SEV_ERROR: return _("error");
    case WZ_SEV_WARNING: return _("warning");
    case WZ_SEV_NOTE: return _("note");
    }
    return _("error");
}

/* Terminal columns taken by one character: CJK and other wide characters
 * take two, combining marks none. */
static guint char_width(gunichar c)
{
    if (g_unichar_iszerowidth(c))
        return 0;
    return g_unichar_iswide(c) ? 2 : 1;
}

/* Decodes the character at p (at most n bytes); an invalid byte counts as
 * one narrow character so a damaged line still renders. */
static const char *next_char(const char *p, size_t n, gunichar *c)
{
    gunichar u = g_utf8_get_char_validated(p, (gssize)n);
    if (u == (gunichar)-1 || u == (gunichar)-2) {
        *c = '?';
        return p + 1;
    }
    *c = u;
    return g_utf8_next_char(p);
}

/* Appends the source excerpt and the underline of a policy diagnostic. */
static void render_excerpt(GString *out, const wz_diag *diag)
{
    const wz_source *src = diag->span.src;
    uint32_t start = diag->span.start, end = diag->span.end;
    if (start > src->len)
        start = (uint32_t)src->len;
    if (end < start)
        end = start;
    uint32_t lineno, col;
    wz_source_position(src, start, &lineno, &col);
    size_t len;
    const char *text = wz_source_line(src, lineno, &len);
    size_t line_off = (size_t)(text - src->text);

    /* The gutter is as wide as the line number, at least 5, so excerpts of
     * neighbouring diagnostics line up. */
    int width = snprintf(NULL, 0, "%u", lineno);
    if (width < 5)
        width = 5;
    /* A long line (a generated policy, a 10 MB line) is shown as a window around the
     * span, cut at character boundaries and marked with … at each cut: never the whole
     * line and a caret line as long. */
    enum { LONG_LINE = 300, BEFORE = 80, WINDOW = 240 };
    size_t rel = start - line_off > len ? len : start - line_off;
    const char *win = text, *win_end = text + len;
    if (len > LONG_LINE) {
        win = text + (rel > BEFORE ? rel - BEFORE : 0);
        while (win > text && ((unsigned char)*win & 0xC0) == 0x80) win--;
        win_end = win + WINDOW < text + len ? win + WINDOW : text + len;
        while (win_end < text + len && ((unsigned char)*win_end & 0xC0) == 0x80) win_end++;
    }
    g_string_append_printf(out, "\n%*u |", width, lineno);
    if (len > 0) {
        g_string_append(out, win > text ? " …" : " ");
        g_string_append_len(out, win, (gssize)(win_end - win));
        if (win_end < text + len) g_string_append(out, "…");
    }
    g_string_append_printf(out, "\n%*s | ", width, "");
    if (win > text) g_string_append_c(out, ' ');   /* under the … */

    /* Indent up to the span: a tab stays a tab so the terminal expands it
     * the same way it expanded the line above; wide characters take two. */
    size_t rel_start = start - line_off;
    if (rel_start > len)
        rel_start = len;
    const char *p = win, *stop = text + rel_start, *line_end = win_end;
    if (stop > win_end) stop = win_end;
    while (p < stop) {
        gunichar c;
        const char *q = next_char(p, (size_t)(line_end - p), &c);
        if (c == '\t')
            g_string_append_c(out, '\t');
        else
            for (guint w = char_width(c); w > 0; w--)
                g_string_append_c(out, ' ');
        p = q;
    }

    /* Underline: '^' under the first column of the span, '~' under every
     * further column of it on this line. */
    size_t rel_end = end - line_off;
    if (end < line_off || rel_end > len)
        rel_end = len;
    const char *span_end = text + rel_end < win_end ? text + rel_end : win_end;
    guint cols = 0;
    while (p < span_end) {
        gunichar c;
        const char *q = next_char(p, (size_t)(line_end - p), &c);
        cols += c == '\t' ? 1 : char_width(c);
        p = q;
    }
    g_string_append_c(out, '^');
    for (guint i = 1; i < cols; i++)
        g_string_append_c(out, '~');
}

char *wz_diag_render(const wz_diag *diag)
{
    GString *out = g_string_new(NULL);
    const char *sev = severity_name(diag->severity);
    bool excerpt = diag->kind == WZ_DIAG_POLICY && diag->span.src != NULL;
    bool positioned = diag->kind == WZ_DIAG_POLICY || diag->kind == WZ_DIAG_FACTS;

    if (diag->file) {
        g_string_append(out, diag->file);
        if (diag->kind == WZ_DIAG_FACTS && diag->line > 0 && g_str_has_suffix(diag->file, ".xlsx")) {
            /* a workbook's cell as Excel names it: leave.xlsx!C7, or the row leave.xlsx!7:7 */
            if (diag->col > 0) {
                char letters[8];
                unsigned col = diag->col;
                int n = 0;
                while (col > 0 && n < 7) {
                    col--;
                    letters[n++] = (char)('A' + col % 26);
                    col /= 26;
                }
                g_string_append_c(out, '!');
                while (n > 0)
                    g_string_append_c(out, letters[--n]);
                g_string_append_printf(out, "%u", diag->line);
            } else {
                g_string_append_printf(out, "!%u:%u", diag->line, diag->line);
            }
        } else if (positioned && diag->line > 0) {
            g_string_append_printf(out, ":%u", diag->line);
            if (diag->col > 0)
                g_string_append_printf(out, ":%u", diag->col);
        }
        g_string_append(out, ": ");
    }
    g_string_append_printf(out, "%s: %s", sev, diag->message ? diag->message : "");
    if (excerpt)
        render_excerpt(out, diag);
    return g_string_free(out, FALSE);
}
