/* facts_params.c — params.csv: the run's parameters from the facts directory.
 *
 * A header "name,value" then one parameter per row, read with the CSV
 * record scanner of facts_csv.c.  Names must be unique; values are kept as
 * text (the engine parses and checks them against the policy's params).
 */
#include "facts_internal.h"
#include "readfile.h"
#include <string.h>

static void param_free(gpointer p)
{
    wz_param_entry *e = p;
    g_free(e->name);
    g_free(e->value);
    g_free(e->file);
    g_free(e);
}

GPtrArray *wz_params_load(const char *dir, wz_diags *diags)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(param_free);
    char *path = g_build_filename(dir, "params.csv", NULL);
    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
        g_free(path);
        return out;
    }
    GError *err = NULL;
    GMappedFile *mf = wz_file_check_regular(path, &err) ? g_mapped_file_new(path, FALSE, &err) : NULL;
    if (mf == NULL) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, path, "cannot read the file: %s", err->message);
        g_error_free(err);
        g_free(path);
        g_ptr_array_unref(out);
        return NULL;
    }
    const char *buf = g_mapped_file_get_contents(mf);
    size_t len = buf ? g_mapped_file_get_length(mf) : 0;
    if (buf == NULL)
        buf = "";
    /* saved by Chinese Excel: GB18030, decided as for fact files (facts_load.c) */
    char *decoded = NULL;
    if (!(len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) && !wz_facts_utf8_valid(buf, len) &&
        !wz_facts_utf8_mostly(buf, len)) {
        size_t n = 0, bad = 0;
        decoded = wz_encoding_to_utf8(WZ_ENC_GB18030, buf, len, &n, &bad);
        if (decoded) {
            buf = decoded;
            len = n;
        }
    }

    guint before = diags->errors + diags->dropped;
    fx_row row = {.scratch = g_string_new(NULL)};
    fx_scan sc;
    wz_facts_scan_init(&sc, buf, len, -1, diags, path);
    uint32_t line;
    int rc = wz_facts_csv_record(&sc, &row, &line);
    if (rc == REC_EOF)
        wz_facts_error(diags, path, 1, 0, "missing header row; expected \"name,value\"");
    else if (rc == REC_OK && (row.n != 2 || !text_is(row.cells[0].p, row.cells[0].len, "name") ||
                              !text_is(row.cells[1].p, row.cells[1].len, "value")))
        wz_facts_error(diags, path, line, 0, "expected the header \"name,value\"");

    /* A wrong header makes every row suspect: report it alone. */
    bool header_ok = diags->errors + diags->dropped == before;
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal); /* name → row */
    while (header_ok && (rc = wz_facts_csv_record(&sc, &row, &line)) != REC_EOF) {
        if (rc == REC_BAD)
            continue;
        if (row.n != 2) {
            wz_facts_error(diags, path, line, 0, "expected 2 fields, found %zu", row.n);
            continue;
        }
        if (!sc.utf8_ok && !wz_facts_check_row_utf8(&sc, &row, line))
            continue;
        if (row.cells[0].len == 0) {
            wz_facts_error(diags, path, line, 1, "expected a parameter name, found an empty cell");
            continue;
        }
        wz_param_entry *e = g_new0(wz_param_entry, 1);
        e->name = g_strndup(row.cells[0].p, row.cells[0].len);
        gpointer first = g_hash_table_lookup(seen, e->name);
        if (first) {
            wz_facts_error(diags, path, line, 1, "duplicate parameter \"%s\"; first at row %u", e->name,
                        GPOINTER_TO_UINT(first));
            param_free(e);
            continue;
        }
        e->value = g_strndup(row.cells[1].p, row.cells[1].len);
        e->file = g_strdup(path);
        e->row = line;
        g_ptr_array_add(out, e);
        g_hash_table_insert(seen, e->name, GUINT_TO_POINTER(line));
    }
    g_hash_table_unref(seen);
    g_free(row.cells);
    g_string_free(row.scratch, TRUE);
    g_mapped_file_unref(mf);
    g_free(decoded);
    g_free(path);
    if (diags->errors + diags->dropped > before) {
        g_ptr_array_unref(out);
        return NULL;
    }
    return out;
}
