/* report_html.c — the parts of a report page: words, escaping, the page's
 * frame, the policy text, SVG charts, the sortable table, and writing the
 * file without ever replacing one wenze did not write. */
#include "report_internal.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "output.h"

extern const char wz_report_css[], wz_report_js[];

static const char *const words_en[] = {
#define X(id, en, zh) en,
    REPORT_WORDS(X)
#undef X
};
static const char *const words_zh[] = {
#define X(id, en, zh) zh,
    REPORT_WORDS(X)
#undef X
};

const char *rw(bool zh, report_word w) { return zh ? words_zh[w] : words_en[w]; }

/* ---- text into HTML ---- */

void rh_text(GString *out, const char *s) {
    for (; s && *s; s++) {
        switch (*s) {
        case '&': g_string_append(out, "&amp;"); break;
        case '<': g_string_append(out, "&lt;"); break;
        case '>': g_string_append(out, "&gt;"); break;
        case '"': g_string_append(out, "&quot;"); break;
        default: g_string_append_c(out, *s);
        }
    }
}

void rh_dec(GString *out, wz_dec d, int places) { wz_append_shown(out, d, places); }

void rh_json_string(GString *out, const char *s) { wz_json_string_in_html(out, s); }

void rh_json_member(GString *out, bool *first, const char *key, const char *value) {
    if (!*first) g_string_append_c(out, ',');
    *first = false;
    rh_json_string(out, key);
    g_string_append_c(out, ':');
    rh_json_string(out, value);
}

void rh_date(GString *out, int64_t seconds) {
    GDateTime *t = g_date_time_new_from_unix_utc(seconds);
    if (!t) t = g_date_time_new_from_unix_utc(0);
    char *s = g_date_time_format(t, "%Y-%m-%d %H:%M UTC");
    g_string_append(out, s);
    g_free(s);
    g_date_time_unref(t);
}

const char *rh_file_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* ---- the page ---- */

void rh_head_row(GString *out, const rh_th *th, guint n) {
    g_string_append(out, "<tr>");
    for (guint i = 0; i < n; i++) {
        g_string_append(out, th[i].num ? "<th class=\"num\">" : "<th>");
        if (th[i].text) rh_text(out, th[i].text);
        g_string_append(out, "</th>");
    }
    g_string_append(out, "</tr>\n");
}

void rh_page_begin(GString *out, bool zh, const char *title) {
    g_string_append(out, "<!DOCTYPE html>\n" WZ_REPORT_MARKER "\n<html lang=\"");
    g_string_append(out, zh ? "zh-CN" : "en");
    g_string_append(out, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                         "<meta name=\"generator\" content=\"wenze " WZ_VERSION "\">\n<title>");
    rh_text(out, title);
    g_string_append(out, "</title>\n<style>\n");
    g_string_append(out, wz_report_css);
    g_string_append(out, "</style>\n</head>\n<body>\n");
}

void rh_page_end(GString *out, const GString *data) {
    g_string_append(out, "<pre id=\"wz-selftest\" hidden></pre>\n<script type=\"application/json\" id=\"wz-data\">");
    g_string_append_len(out, data->str, (gssize)data->len);
    g_string_append(out, "</script>\n<script>\n");
    g_string_append(out, wz_report_js);
    g_string_append(out, "</script>\n</body>\n</html>\n");
}

void rh_policy_text(GString *out, const wz_policy *p, const char *heading, const char *id_prefix) {
    g_string_append(out, "<section class=\"policy\" id=\"");
    g_string_append(out, id_prefix);
    g_string_append(out, "policy\"><h2>");
    rh_text(out, heading);
    g_string_append(out, " · <code>");
    rh_text(out, rh_file_name(p->src->name));
    g_string_append(out, "</code></h2>\n<pre class=\"src\">");
    for (uint32_t line = 1; line <= p->src->line_starts->len; line++) {
        size_t len = 0;
        const char *text = wz_source_line(p->src, line, &len);
        if (line == p->src->line_starts->len && len == 0) break;   /* the text's final newline */
        g_string_append_printf(out, "<span class=\"line\" id=\"%sL%u\"><a class=\"ln\" href=\"#%sL%u\">%u</a>", id_prefix,
                               line, id_prefix, line, line);
        char *s = g_strndup(text, len);
        rh_text(out, s);
        g_free(s);
        g_string_append(out, "</span>");
    }
    g_string_append(out, "</pre></section>\n");
}

void rh_source_link(GString *out, const wz_policy *p, wz_span at, const char *id_prefix) {
    char *src = wz_output_source(p, at, false);
    const wz_source *in = at.src ? at.src : p->src;
    if (in != p->src) {   /* an imported file: not embedded */
        g_string_append(out, "<code>");
        rh_text(out, src);
        g_string_append(out, "</code>");
    } else {
        const char *colon = strrchr(src, ':');
        g_string_append_printf(out, "<a class=\"src\" href=\"#%sL%s\"><code>", id_prefix, colon + 1);
        rh_text(out, src);
        g_string_append(out, "</code></a>");
    }
    g_free(src);
}

/* ---- charts ---- */

/* Display width of a label in the chart's font, roughly: CJK counts as two. */
static double label_width(const char *s) {
    double w = 0;
    for (const char *p = s; *p; p = g_utf8_next_char(p)) w += g_unichar_iswide(g_utf8_get_char(p)) ? 11.5 : 6.5;
    return w;
}

void rh_bars(GString *out, const char *caption, const rh_bar *bars, guint n, bool diverging) {
    const double row = 20, value_w = 90, width = 560;
    double label_w = 40, max = 0;
    for (guint i = 0; i < n; i++) {
        label_w = MAX(label_w, label_width(bars[i].label) + 8);
        max = MAX(max, fabs(bars[i].value));
    }
    label_w = MIN(label_w, 220);
    double plot = width - label_w - value_w, zero = label_w + (diverging ? plot / 2 : 0);
    double scale = max > 0 ? (diverging ? plot / 2 : plot) / max : 0;
    double height = n * row + 8;
    g_string_append(out, "<figure><figcaption>");
    rh_text(out, caption);
    g_string_append_printf(out, "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\">\n",
                           width, height, width, height);
    for (guint i = 0; i < n; i++) {
        double y = 4 + i * row, len = fabs(bars[i].value) * scale;
        double x = bars[i].value < 0 ? zero - len : zero;
        g_string_append_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", label_w - 6, y + 13);
        rh_text(out, bars[i].label);
        g_string_append_printf(out, "</text><rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>",
                               !diverging ? "bar" : bars[i].value < 0 ? "lose" : "gain", x, y + 2, MAX(len, 0.5), row - 6);
        rh_text(out, bars[i].label);
        g_string_append(out, ": ");
        rh_text(out, bars[i].shown);
        /* the figure beside its bar; on a diverging chart across the axis from it, clear of the labels */
        double tx = diverging ? (bars[i].value < 0 ? zero + 4 : zero - 4) : x + MAX(len, 0.5) + 4;
        bool end = diverging && bars[i].value >= 0;
        g_string_append_printf(out, "</title></rect><text x=\"%.1f\" y=\"%.1f\"%s>", tx, y + 13, end ? " text-anchor=\"end\"" : "");
        rh_text(out, bars[i].shown);
        g_string_append(out, "</text>\n");
    }
    if (diverging) g_string_append_printf(out, "<line class=\"axis\" x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%.0f\"/>\n", zero, zero, height);
    g_string_append(out, "</svg></figure>\n");
}

void rh_histogram(GString *out, const char *caption, const guint *counts, char **edges, guint n) {
    const double width = 560, height = 220, left = 36, bottom = 40, top = 16;
    guint max = 1;
    for (guint i = 0; i < n; i++) max = MAX(max, counts[i]);
    double bw = (width - left - 10) / MAX(n, 1), ph = height - bottom - top;
    g_string_append(out, "<figure><figcaption>");
    rh_text(out, caption);
    g_string_append_printf(out, "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\">\n",
                           width, height, width, height);
    g_string_append_printf(out, "<line class=\"axis\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\"/>\n", left, height - bottom,
                           width - 10, height - bottom);
    for (guint i = 0; i < n; i++) {
        double h = ph * counts[i] / max, x = left + i * bw;
        g_string_append_printf(out, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s – %s: %u</title></rect>",
                               x + 2, height - bottom - h, bw - 4, h, edges[i], edges[i + 1], counts[i]);
        if (counts[i])
            g_string_append_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%u</text>", x + bw / 2,
                                   height - bottom - h - 3, counts[i]);
        g_string_append_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", x, height - bottom + 14 + (i % 2) * 12,
                               edges[i]);
    }
    g_string_append_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", left + n * bw,
                           height - bottom + 14 + (n % 2) * 12, edges[n]);
    g_string_append(out, "</svg></figure>\n");
}

/* ---- the sortable table ---- */

typedef struct rh_cell {
    char *html;
    bool has_num;
    wz_dec num;
    char *text;        /* the sort key of a text column */
    guint rank;
} rh_cell;

typedef struct rh_column {
    char *heading, *name;
    bool numeric, selftest;
} rh_column;

struct rh_table {
    char *id;
    GArray *columns;   /* rh_column */
    GPtrArray *ids;    /* char*, per row */
    GArray *cells;     /* rh_cell, row by row */
};

rh_table *rh_table_new(const char *id) {
    rh_table *t = g_new0(rh_table, 1);
    t->id = g_strdup(id);
    t->columns = g_array_new(FALSE, TRUE, sizeof(rh_column));
    t->ids = g_ptr_array_new_with_free_func(g_free);
    t->cells = g_array_new(FALSE, TRUE, sizeof(rh_cell));
    return t;
}

void rh_table_column(rh_table *t, const char *heading, const char *name, bool numeric, bool selftest) {
    rh_column c = {g_strdup(heading), g_strdup(name), numeric, selftest};
    g_array_append_val(t->columns, c);
}

void rh_table_row(rh_table *t, const char *id) { g_ptr_array_add(t->ids, g_strdup(id)); }

void rh_table_cell(rh_table *t, const char *html, bool has_num, wz_dec num, const char *text_key) {
    rh_cell c = {g_strdup(html), has_num, num, g_strdup(text_key ? text_key : ""), 0};
    g_array_append_val(t->cells, c);
}

typedef struct {
    const rh_table *t;
    guint col, ncols;
    bool numeric;
} rank_ctx;

static const rh_cell *cell_at(const rh_table *t, guint row, guint col) {
    return &g_array_index(t->cells, rh_cell, row * t->columns->len + col);
}

/* Missing first, then by value (exactly) or by text (bytes). */
static int compare_cells(gconstpointer a, gconstpointer b, gpointer data) {
    const rank_ctx *x = data;
    const rh_cell *ca = cell_at(x->t, *(const guint *)a, x->col), *cb = cell_at(x->t, *(const guint *)b, x->col);
    if (x->numeric) {
        if (ca->has_num != cb->has_num) return ca->has_num ? 1 : -1;
        return ca->has_num ? wz_dec_cmp(ca->num, cb->num) : 0;
    }
    return strcmp(ca->text, cb->text);
}

/* Each cell's rank in its column (equal values, equal ranks): the sort key
 * the page sorts by, so that no number is compared as a float. */
static void rank_column(rh_table *t, guint col) {
    guint n = t->ids->len;
    guint *order = g_new(guint, MAX(n, 1));
    for (guint i = 0; i < n; i++) order[i] = i;
    rank_ctx x = {t, col, t->columns->len, g_array_index(t->columns, rh_column, col).numeric};
    g_qsort_with_data(order, (gint)n, sizeof(guint), compare_cells, &x);
    guint rank = 0;
    for (guint i = 0; i < n; i++) {
        if (i && compare_cells(&order[i - 1], &order[i], &x) != 0) rank++;
        ((rh_cell *)cell_at(t, order[i], col))->rank = rank;
    }
    g_free(order);
}

void rh_table_finish(rh_table *t, GString *out, bool zh) {
    guint ncols = t->columns->len, n = t->ids->len;
    g_assert(t->cells->len == (guint)n * ncols);
    for (guint c = 0; c < ncols; c++) rank_column(t, c);
    g_string_append_printf(out, "<div class=\"controls\"><input class=\"wz-filter\" type=\"search\" data-table=\"%s\" placeholder=\"", t->id);
    rh_text(out, rw(zh, RW_FILTER));
    g_string_append_printf(out, "\"><span class=\"wz-count note\" data-table=\"%s\"></span><span class=\"note\">", t->id);
    rh_text(out, rw(zh, RW_DRILL_HINT));
    g_string_append_printf(out, "</span></div>\n<table class=\"wz-sortable\" id=\"%s\">\n<thead><tr>", t->id);
    for (guint c = 0; c < ncols; c++) {
        const rh_column *col = &g_array_index(t->columns, rh_column, c);
        g_string_append_printf(out, "<th data-col=\"%u\" data-name=\"", c);
        rh_text(out, col->name);
        g_string_append_printf(out, "\"%s%s>", col->numeric ? " class=\"num\"" : "", col->selftest ? " data-selftest" : "");
        rh_text(out, col->heading);
        g_string_append(out, "</th>");
    }
    g_string_append(out, "</tr></thead>\n<tbody>\n");
    for (guint i = 0; i < n; i++) {
        const char *id = g_ptr_array_index(t->ids, i);
        g_string_append(out, "<tr class=\"row\" data-id=\"");
        rh_text(out, id);
        g_string_append(out, "\">");
        for (guint c = 0; c < ncols; c++) {
            const rh_cell *cell = cell_at(t, i, c);
            g_string_append_printf(out, "<td data-k=\"%u\"%s>", cell->rank,
                                   g_array_index(t->columns, rh_column, c).numeric ? " class=\"num\"" : "");
            if (c == 0) {
                g_string_append(out, "<button class=\"drill\" aria-expanded=\"false\">");
                g_string_append(out, cell->html);
                g_string_append(out, "</button>");
            } else {
                g_string_append(out, cell->html);
            }
            g_string_append(out, "</td>");
        }
        g_string_append(out, "</tr>\n");
    }
    g_string_append(out, "</tbody></table>\n");
    for (guint i = 0; i < t->cells->len; i++) {
        g_free(g_array_index(t->cells, rh_cell, i).html);
        g_free(g_array_index(t->cells, rh_cell, i).text);
    }
    for (guint c = 0; c < ncols; c++) {
        g_free(g_array_index(t->columns, rh_column, c).heading);
        g_free(g_array_index(t->columns, rh_column, c).name);
    }
    g_array_free(t->cells, TRUE);
    g_array_free(t->columns, TRUE);
    g_ptr_array_free(t->ids, TRUE);
    g_free(t->id);
    g_free(t);
}

/* ---- writing ---- */

/* Whether the file at path starts as a wenze report does. */
static bool is_report(const char *path) {
    FILE *fp = fopen(path, "rb");
    if (!fp) return false;
    char head[256] = {0};
    size_t n = fread(head, 1, sizeof head - 1, fp);
    fclose(fp);
    head[n] = '\0';
    return g_str_has_prefix(head, "<!DOCTYPE html>\n" WZ_REPORT_MARKER "\n");
}

bool wz_report_check_path(const char *path, wz_diags *diags) {
    char *dir = g_path_get_dirname(path);
    bool ok = false;
    if (!g_file_test(dir, G_FILE_TEST_IS_DIR))
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, path, "cannot write the report: the directory %s does not exist", dir);
    else if (g_file_test(path, G_FILE_TEST_IS_DIR))
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, path, "cannot write the report: it is a directory");
    else if (g_file_test(path, G_FILE_TEST_EXISTS) && !is_report(path))
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, path,
                      "the file exists and is not a wenze report; refusing to replace it");
    else
        ok = true;
    g_free(dir);
    return ok;
}

bool wz_report_write(const GString *html, const char *path, wz_diags *diags) {
    if (!wz_report_check_path(path, diags)) return false;
    char *dir = g_path_get_dirname(path), *base = g_path_get_basename(path);
    char *tmp = g_strdup_printf("%s/.%s.tmp-XXXXXX", dir, base);
    bool ok = false;
    int fd = g_mkstemp(tmp);
    if (fd < 0) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, path, "cannot write the report: %s", g_strerror(errno));
        goto out;
    }
    FILE *fp = fdopen(fd, "wb");
    if (!fp) close(fd);
    bool written = fp && fwrite(html->str, 1, html->len, fp) == html->len;
    int saved = errno;
    if (fp && fclose(fp) != 0 && written) {
        written = false;
        saved = errno;
    }
    /* mkstemp makes the file 0600; a report is for reading, like the outputs */
    if (written && g_chmod(tmp, 0644) == 0 && g_rename(tmp, path) == 0) ok = true;
    else {
        if (written) saved = errno;
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, path, "cannot write the report: %s", g_strerror(saved));
        g_remove(tmp);
    }
out:
    g_free(tmp);
    g_free(dir);
    g_free(base);
    return ok;
}
