/* audit.c — outputs against summary.json, and one run's outputs against
 * another's (see audit.h). */
#include "audit.h"

#include <stdarg.h>
#include <string.h>

#include "i18n.h"
#include "sha256.h"

static void problem(GPtrArray *problems, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void problem(GPtrArray *problems, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    g_ptr_array_add(problems, g_strdup_vprintf(_(fmt), ap));
    va_end(ap);
}

static void gstring_free(gpointer s) { g_string_free(s, TRUE); }

static gint by_name(gconstpointer a, gconstpointer b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

wz_jv *wz_summary_read(const char *dir, wz_diags *diags) {
    char *path = g_build_filename(dir, "summary.json", NULL), *text = NULL;
    gsize len = 0;
    GError *err = NULL;
    wz_jv *v = NULL;
    if (!g_file_get_contents(path, &text, &len, &err)) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, path, "cannot read the run's summary: %s", err->message);
        g_error_free(err);
    } else {
        const char *why = NULL;
        v = wz_jv_parse(text, len, &why);
        if (!v || !wz_jv_is_object(v) || !wz_jv_get(v, "outputs")) {
            wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, path,
                          "expected a summary.json written by wenze with its \"outputs\" (%s)",
                          why ? why : "it has no \"outputs\"; an older wenze wrote it");
            wz_jv_free(v);
            v = NULL;
        }
    }
    g_free(text);
    g_free(path);
    return v;
}

guint wz_audit_outputs(const char *dir, const wz_jv *summary, GPtrArray *problems) {
    guint before = problems->len;
    const wz_jv *outs = wz_jv_get(summary, "outputs");
    GHashTable *listed = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < wz_jv_len(outs); i++) {
        const wz_jv *o = wz_jv_at(outs, i);
        const char *file = wz_jv_string(wz_jv_get(o, "file")), *want = wz_jv_string(wz_jv_get(o, "sha256"));
        if (!file || !want) continue;
        g_hash_table_add(listed, (gpointer)file);
        char *path = g_build_filename(dir, file, NULL), *text = NULL;
        gsize len = 0;
        if (!g_file_get_contents(path, &text, &len, NULL)) {
            problem(problems, "%s: missing (summary.json records it with SHA-256 %.12s…)", path, want);
        } else {
            char got[65];
            wz_sha256_hex(text, len, got);
            if (strcmp(got, want))
                problem(problems, "%s: changed since the run (SHA-256 %.12s…, summary.json expects %.12s…)", path, got, want);
        }
        g_free(text);
        g_free(path);
    }
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    GPtrArray *extra = g_ptr_array_new_with_free_func(g_free);
    while (d && (name = g_dir_read_name(d)))
        if (strcmp(name, "summary.json") && !g_hash_table_contains(listed, name)) g_ptr_array_add(extra, g_strdup(name));
    if (d) g_dir_close(d);
    g_ptr_array_sort(extra, by_name);
    for (guint i = 0; i < extra->len; i++) {
        char *path = g_build_filename(dir, g_ptr_array_index(extra, i), NULL);
        problem(problems, "%s: not written by the run (summary.json does not list it)", path);
        g_free(path);
    }
    g_ptr_array_free(extra, TRUE);
    g_hash_table_destroy(listed);
    return problems->len - before;
}

/* kind + file → sha256 of an "inputs" array. */
static const char *input_sha(const wz_jv *inputs, const char *kind, const char *file) {
    for (guint i = 0; i < wz_jv_len(inputs); i++) {
        const wz_jv *x = wz_jv_at(inputs, i);
        if (!g_strcmp0(wz_jv_string(wz_jv_get(x, "kind")), kind) && !g_strcmp0(wz_jv_string(wz_jv_get(x, "file")), file))
            return wz_jv_string(wz_jv_get(x, "sha256"));
    }
    return NULL;
}

guint wz_audit_inputs(const wz_jv *recorded, const wz_jv *now, GPtrArray *problems) {
    guint before = problems->len;
    for (guint i = 0; i < wz_jv_len(recorded); i++) {
        const wz_jv *x = wz_jv_at(recorded, i);
        const char *kind = wz_jv_string(wz_jv_get(x, "kind")), *file = wz_jv_string(wz_jv_get(x, "file"));
        const char *want = wz_jv_string(wz_jv_get(x, "sha256")), *got = input_sha(now, kind, file);
        if (!got) problem(problems, "input %s %s: missing now (recorded with SHA-256 %.12s…)", kind, file, want);
        else if (g_strcmp0(got, want))
            problem(problems, "input %s %s: changed since the run (SHA-256 %.12s…, recorded %.12s…)", kind, file, got, want);
    }
    for (guint i = 0; i < wz_jv_len(now); i++) {
        const wz_jv *x = wz_jv_at(now, i);
        const char *kind = wz_jv_string(wz_jv_get(x, "kind")), *file = wz_jv_string(wz_jv_get(x, "file"));
        if (!input_sha(recorded, kind, file)) problem(problems, "input %s %s: read now, not by the recorded run", kind, file);
    }
    return problems->len - before;
}

/* The first CSV field of a line (quotes undone); a new string. */
static char *first_field(const char *line) {
    GString *s = g_string_new(NULL);
    if (*line == '"') {
        for (const char *p = line + 1; *p; p++) {
            if (*p == '"' && p[1] == '"') g_string_append_c(s, *p++);
            else if (*p == '"') break;
            else g_string_append_c(s, *p);
        }
    } else {
        const char *comma = strchr(line, ',');
        g_string_append_len(s, line, comma ? comma - line : (gssize)strlen(line));
    }
    return g_string_free(s, FALSE);
}

/* key → its rows joined by '\n', in file order; keys in first-seen order into order. */
static GHashTable *rows_by_key(const char *text, gsize len, GPtrArray *order) {
    GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, gstring_free);
    char *copy = g_strndup(text, len);
    char **lines = g_strsplit(copy, "\n", -1);
    for (guint i = 1; lines[i]; i++) {   /* past the header */
        if (!lines[i][0]) continue;
        char *key = first_field(lines[i]);
        GString *rows = g_hash_table_lookup(h, key);
        if (!rows) {
            rows = g_string_new(NULL);
            g_hash_table_insert(h, g_strdup(key), rows);
            if (order) g_ptr_array_add(order, g_strdup(key));
        }
        g_string_append(rows, lines[i]);
        g_string_append_c(rows, '\n');
        g_free(key);
    }
    g_strfreev(lines);
    g_free(copy);
    return h;
}

char *wz_audit_csv_keys(const char *a, gsize alen, const char *b, gsize blen) {
    GPtrArray *order = g_ptr_array_new_with_free_func(g_free);
    GHashTable *ha = rows_by_key(a, alen, order), *hb = rows_by_key(b, blen, order);
    GString *out = g_string_new(NULL);
    const char *nla = memchr(a, '\n', alen), *nlb = memchr(b, '\n', blen);
    gsize ha_len = nla ? (gsize)(nla - a) : alen, hb_len = nlb ? (gsize)(nlb - b) : blen;
    if (ha_len != hb_len || memcmp(a, b, ha_len)) g_string_append(out, "the header");
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    guint shown = 0, more = 0;
    for (guint i = 0; i < order->len; i++) {
        const char *k = g_ptr_array_index(order, i);
        if (!g_hash_table_add(seen, (gpointer)k)) continue;
        GString *ra = g_hash_table_lookup(ha, k), *rb = g_hash_table_lookup(hb, k);
        if (ra && rb && g_string_equal(ra, rb)) continue;
        if (shown == 10) {
            more++;
            continue;
        }
        g_string_append_printf(out, "%s%s", out->len ? ", " : "", k);
        shown++;
    }
    if (more) g_string_append_printf(out, " and %u more", more);
    g_hash_table_destroy(seen);
    g_hash_table_destroy(ha);
    g_hash_table_destroy(hb);
    g_ptr_array_free(order, TRUE);
    return g_string_free(out, FALSE);
}

guint wz_audit_files(GHashTable *want, GHashTable *got, GPtrArray *problems) {
    guint before = problems->len;
    GPtrArray *names = g_ptr_array_new();
    GHashTableIter it;
    gpointer k;
    g_hash_table_iter_init(&it, want);
    while (g_hash_table_iter_next(&it, &k, NULL)) g_ptr_array_add(names, k);
    g_hash_table_iter_init(&it, got);
    while (g_hash_table_iter_next(&it, &k, NULL))
        if (!g_hash_table_contains(want, k)) g_ptr_array_add(names, k);
    g_ptr_array_sort(names, by_name);
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        const GString *a = g_hash_table_lookup(want, name), *b = g_hash_table_lookup(got, name);
        if (!b) problem(problems, "%s: not written again", name);
        else if (!a) problem(problems, "%s: written now, not by the recorded run", name);
        else if (!g_string_equal(a, b)) {
            if (g_str_has_suffix(name, ".csv")) {
                char *keys = wz_audit_csv_keys(a->str, a->len, b->str, b->len);
                problem(problems, "%s differs: %s", name, *keys ? keys : "the order of its rows");
                g_free(keys);
            } else {
                problem(problems, "%s differs", name);
            }
        }
    }
    g_ptr_array_free(names, TRUE);
    return problems->len - before;
}

GHashTable *wz_audit_read_outputs(const char *dir, const wz_jv *summary) {
    GHashTable *files = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, gstring_free);
    const wz_jv *outs = wz_jv_get(summary, "outputs");
    for (guint i = 0; i <= wz_jv_len(outs); i++) {
        const char *file = i < wz_jv_len(outs) ? wz_jv_string(wz_jv_get(wz_jv_at(outs, i), "file")) : "summary.json";
        if (!file) continue;
        char *path = g_build_filename(dir, file, NULL), *text = NULL;
        gsize len = 0;
        if (g_file_get_contents(path, &text, &len, NULL)) {
            GString *s = g_string_new_len(text, (gssize)len);
            g_hash_table_insert(files, g_strdup(file), s);
        }
        g_free(text);
        g_free(path);
    }
    return files;
}
