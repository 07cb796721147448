/* output_layout.c — the outputs as a clerk opens them in Excel (output.h).
 *
 * The default CSV files are for scripts and stay as they are.  On request
 * (run's --labels, --excel, --xlsx), the CSV files a person reads are laid
 * out again before summary.json hashes them:
 *   --labels zh|en  headers in words (工号, 姓名, 总分, 应发金额 …), each
 *                   section's column by the policy's label (考勤), and a name
 *                   column beside the id when the persons fact has one;
 *   --excel         a UTF-8 byte-order mark and CRLF line ends, so that
 *                   Chinese Excel and WPS open the file as UTF-8;
 *   --xlsx          results.xlsx, a sheet per file, numbers as numbers
 *                   (money with two decimals), the header row frozen.
 * kept.csv is read back by later runs and is never changed.  The layout is
 * decided by the command line that summary.json records, so a replay from
 * the ledger lays the files out the same way.
 *
 * Excel keeps every number as a binary double.  A cell becomes a number
 * only when its exact decimal has at most the 15 significant digits Excel
 * shows; it is then written as the double nearest to it, which is what Excel
 * holds when a clerk types those digits, and Excel shows them back unchanged.
 * Longer values stay text.  No amount is computed in floating point: the
 * double is made from the decimal's text only to hand it to the workbook.
 */
#include "output.h"

#include <dlfcn.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

/* libxlsxwriter is opened when a workbook is asked for, not linked: it brings
 * libcrypto, whose loading would cost every command a few milliseconds. */
#define XLSX_FUNCTIONS(X)                                                                                   \
    X(workbook_new_opt) X(workbook_set_properties) X(workbook_add_format) X(format_set_num_format)          \
    X(format_set_bold) X(workbook_add_worksheet) X(worksheet_write_string) X(worksheet_write_number)        \
    X(worksheet_freeze_panes) X(worksheet_set_column) X(workbook_close) X(lxw_strerror)
static struct {
#define X(f) __typeof__(&f) f;
    XLSX_FUNCTIONS(X)
#undef X
} xl;

static bool xlsxwriter_loaded(char **err) {
    static void *lib;
    if (lib) return true;
    void *h = dlopen(WZ_XLSXWRITER_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        *err = g_strdup_printf("cannot load %s for --xlsx (install libxlsxwriter): %s", WZ_XLSXWRITER_SONAME, dlerror());
        return false;
    }
#define X(f)                                                                                 \
    if (!(xl.f = (__typeof__(&f))dlsym(h, #f))) {                                            \
        *err = g_strdup_printf("%s has no function %s", WZ_XLSXWRITER_SONAME, #f);          \
        dlclose(h);                                                                          \
        return false;                                                                        \
    }
    XLSX_FUNCTIONS(X)
#undef X
    lib = h;
    return true;
}

wz_output_options wz_output_options_from_command(const GPtrArray *command) {
    wz_output_options o = {0};
    for (guint i = 0; command && i < command->len; i++) {
        const char *w = g_ptr_array_index(command, i);
        if (!strcmp(w, "--excel")) o.excel = true;
        else if (!strcmp(w, "--xlsx")) o.xlsx = true;
        else if (!strcmp(w, "--labels") && i + 1 < command->len) {
            const char *v = g_ptr_array_index(command, ++i);
            o.labels = !strcmp(v, "zh") ? WZ_LABELS_ZH : !strcmp(v, "en") ? WZ_LABELS_EN : WZ_LABELS_NONE;
        }
    }
    return o;
}

/* ---- CSV rows ------------------------------------------------------------------------------- */

typedef GPtrArray row;   /* char* fields */

/* The rows of a CSV text that wenze wrote (RFC 4180; a quoted field may hold commas,
 * quotes and line breaks). */
static GPtrArray *csv_rows(const GString *text) {
    GPtrArray *rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    const char *s = text->str, *end = s + text->len;
    while (s < end) {
        row *r = g_ptr_array_new_with_free_func(g_free);
        for (;;) {
            GString *f = g_string_new(NULL);
            if (*s == '"') {
                for (s++; s < end; s++) {
                    if (*s == '"' && s + 1 < end && s[1] == '"') g_string_append_c(f, *s++);
                    else if (*s == '"') {
                        s++;
                        break;
                    } else g_string_append_c(f, *s);
                }
            }
            while (s < end && *s != ',' && *s != '\n') g_string_append_c(f, *s++);
            g_ptr_array_add(r, g_string_free(f, FALSE));
            if (s < end && *s == ',') {
                s++;
                continue;
            }
            if (s < end) s++;   /* the line's end */
            break;
        }
        g_ptr_array_add(rows, r);
    }
    return rows;
}

static GString *csv_text(GPtrArray *rows, bool excel) {
    GString *out = g_string_new(excel ? "\xEF\xBB\xBF" : NULL);
    for (guint i = 0; i < rows->len; i++) {
        row *r = g_ptr_array_index(rows, i);
        for (guint k = 0; k < r->len; k++) {
            if (k) g_string_append_c(out, ',');
            wz_csv_field(out, g_ptr_array_index(r, k));
        }
        g_string_append(out, excel ? "\r\n" : "\n");
    }
    return out;
}

/* ---- words ----------------------------------------------------------------------------------- */

/* A column wenze names, in words.  One table: the CSV writers' column names
 * on the left. */
static const struct {
    const char *column, *en, *zh;
} words[] = {
    {"person", "ID", "工号"},         {"entity", "ID", "对象"},        {"name", "Name", "姓名"},
    {"total", "Total", "总分"},        {"grade", "Grade", "等次"},      {"basis", "Basis", "分配类别"},
    {"reward", "Reward", "奖励性绩效"}, {"stipend", "Stipend", "津贴"}, {"amount", "Amount", "应发金额"},
    {"pay", "Pay", "合计应发"},
    {"sanction", "Sanction", "处理"},  {"rule", "Rule", "规则"},        {"source", "Source", "依据"},
    {"role", "Role", "角色"},          {"responsibility", "Responsibility", "责任"}, {"unit", "Unit", "单位"},
    {"incident", "Incident", "事件"},   {"share", "Share", "责任份额"},
};

static const char *word_for(const char *column, wz_labels labels) {
    for (size_t i = 0; i < G_N_ELEMENTS(words); i++)
        if (!strcmp(words[i].column, column)) return labels == WZ_LABELS_ZH ? words[i].zh : words[i].en;
    return NULL;
}

/* A section's column by its label (考勤), else NULL. */
static const char *section_label(const wz_policy *p, const char *column) {
    for (guint s = 0; s < p->sections->len; s++) {
        const wz_def *d = g_ptr_array_index(p->defs, (guint)g_array_index(p->sections, int, s));
        if (!strcmp(d->name, column)) return d->text;
    }
    for (guint k = 0; k < p->parts->len; k++) {   /* pay.csv's part columns (岗位) */
        const wz_distribute *d = g_ptr_array_index(p->parts, k);
        if (d->name && d->text && !strcmp(d->name, column)) return d->text;
    }
    for (guint k = 0; k < p->awards->len; k++) {   /* pay.csv's award columns (全勤奖) */
        const wz_def *d = g_ptr_array_index(p->defs, (guint)g_array_index(p->awards, int, k));
        if (d->entity == 0 && !strcmp(d->name, column)) return d->text;
    }
    return NULL;
}

/* Puts the headers into words and a name column after the id of each person's row. */
static void label_rows(const wz_result *r, GPtrArray *rows, wz_labels labels, bool persons, GHashTable *names) {
    if (!rows->len) return;
    row *head = g_ptr_array_index(rows, 0);
    for (guint k = 0; k < head->len; k++) {
        const char *col = g_ptr_array_index(head, k);
        const char *w = word_for(col, labels);
        if (!w) w = section_label(r->policy, col);
        if (w) {
            g_free(g_ptr_array_index(head, k));
            g_ptr_array_index(head, k) = g_strdup(w);
        }
    }
    if (!persons || !names) return;
    g_ptr_array_insert(head, 1, g_strdup(word_for("name", labels)));
    for (guint i = 1; i < rows->len; i++) {
        row *rw = g_ptr_array_index(rows, i);
        const char *name = rw->len ? g_hash_table_lookup(names, g_ptr_array_index(rw, 0)) : NULL;
        g_ptr_array_insert(rw, 1, g_strdup(name ? name : ""));
    }
}

/* id → name of every person, when the persons fact has a name column. */
static GHashTable *person_names(const wz_result *r) {
    GHashTable *names = NULL;
    for (uint32_t i = 0; i < r->facts->npersons; i++) {
        const char *name = wz_output_person_name(r, i);
        if (!name) continue;
        if (!names) names = g_hash_table_new(g_str_hash, g_str_equal);
        g_hash_table_insert(names, (gpointer)wz_facts_person_id(r->facts, i), (gpointer)name);
    }
    return names;
}

/* ---- the workbook ---------------------------------------------------------------------------- */

/* The cell holds a number Excel keeps exactly: digits with one optional point and sign,
 * at most 15 significant digits. */
static bool exact_number(const char *s) {
    const char *p = s;
    if (*p == '-') p++;
    if (!g_ascii_isdigit(*p)) return false;
    if (p[0] == '0' && p[1] && p[1] != '.') return false;   /* 007: an id, kept as text */
    int digits = 0, lead = 1;
    bool point = false;
    for (; *p; p++) {
        if (*p == '.' && !point) {
            point = true;
            if (!p[1]) return false;
            continue;
        }
        if (!g_ascii_isdigit(*p)) return false;
        if (*p != '0') lead = 0;
        if (!lead) digits++;
    }
    return digits <= 15;
}

/* A file's rows as laid out, and which columns hold money (two decimals in the workbook). */
typedef struct laid {
    GPtrArray *rows;
    guint64 money;   /* bit k: column k */
} laid;

static void laid_free(gpointer p) {
    laid *l = p;
    g_ptr_array_unref(l->rows);
    g_free(l);
}

/* The money columns of file, by their wenze names: pay.csv's all but person, basis (and name); awards.csv's amount. */
static guint64 money_columns(const char *file, const row *head) {
    guint64 m = 0;
    for (guint k = 0; head && k < head->len && k < 64; k++) {
        const char *c = g_ptr_array_index(head, k);
        if ((!strcmp(file, "pay.csv") && strcmp(c, "person") && strcmp(c, "basis") && strcmp(c, "name")) ||   /* pay and awards too */
            (!strcmp(file, "awards.csv") && !strcmp(c, "amount")))
            m |= (guint64)1 << k;
    }
    return m;
}

typedef struct sheet_src {
    const char *file, *en, *zh;
} sheet_src;

static const sheet_src sheets[] = {
    {"scores.csv", "scores", "得分"}, {"pay.csv", "pay", "绩效工资"}, {"sanctions.csv", "sanctions", "处理"}, {"awards.csv", "awards", "奖惩"},
};

/* results.xlsx from the laid-out rows, or NULL when it cannot be made (the reason in *err). */
static GString *workbook(GHashTable *tables, wz_labels labels, time_t created, char **err) {
    if (!xlsxwriter_loaded(err)) return NULL;
    char *dir = g_dir_make_tmp("wenze-xlsx-XXXXXX", NULL);
    if (!dir) {
        *err = g_strdup("cannot create a temporary directory for the workbook");
        return NULL;
    }
    char *path = g_build_filename(dir, "results.xlsx", NULL);
    lxw_workbook_options wo = {.constant_memory = 0, .tmpdir = dir, .use_zip64 = 0};
    lxw_workbook *wb = xl.workbook_new_opt(path, &wo);
    GString *bytes = NULL;
    if (!wb) {
        *err = g_strdup("cannot create the workbook");
        goto out;
    }
    /* a creation time that the run fixes (0 would mean "now"): the same run gives the same bytes */
    lxw_doc_properties props = {.created = created};
    xl.workbook_set_properties(wb, &props);
    lxw_format *money = xl.workbook_add_format(wb);
    xl.format_set_num_format(money, "0.00");
    lxw_format *bold = xl.workbook_add_format(wb);
    xl.format_set_bold(bold);
    for (size_t s = 0; s < G_N_ELEMENTS(sheets); s++) {
        const laid *l = g_hash_table_lookup(tables, sheets[s].file);
        if (!l || !l->rows->len) continue;
        GPtrArray *rows = l->rows;
        lxw_worksheet *ws = xl.workbook_add_worksheet(wb, labels == WZ_LABELS_ZH ? sheets[s].zh : sheets[s].en);
        const row *head = g_ptr_array_index(rows, 0);
        for (guint i = 0; i < rows->len; i++) {
            const row *rw = g_ptr_array_index(rows, i);
            for (guint k = 0; k < rw->len; k++) {
                const char *cell = g_ptr_array_index(rw, k);
                if (i == 0) xl.worksheet_write_string(ws, 0, (lxw_col_t)k, cell, bold);
                else if (k > 0 && *cell && exact_number(cell))
                    xl.worksheet_write_number(ws, (lxw_row_t)i, (lxw_col_t)k, g_ascii_strtod(cell, NULL),
                                           k < 64 && (l->money >> k & 1) ? money : NULL);
                else if (*cell) xl.worksheet_write_string(ws, (lxw_row_t)i, (lxw_col_t)k, cell, NULL);
            }
        }
        xl.worksheet_freeze_panes(ws, 1, 0);
        xl.worksheet_set_column(ws, 0, (lxw_col_t)(head->len ? head->len - 1 : 0), 12, NULL);
    }
    lxw_error e = xl.workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        *err = g_strdup_printf("cannot write the workbook: %s", xl.lxw_strerror(e));
        goto out;
    }
    gchar *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &data, &len, NULL)) {
        *err = g_strdup("cannot read the workbook back");
        goto out;
    }
    bytes = g_string_new_len(data, (gssize)len);
    g_free(data);
out:
    g_remove(path);
    g_rmdir(dir);
    g_free(path);
    g_free(dir);
    return bytes;
}

bool wz_output_layout(const wz_result *r, GHashTable *files, const wz_output_options *o, char **err) {
    *err = NULL;
    GHashTable *names = o->labels ? person_names(r) : NULL;
    GHashTable *tables = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, laid_free);
    for (size_t s = 0; s < G_N_ELEMENTS(sheets); s++) {
        GString *text = g_hash_table_lookup(files, sheets[s].file);
        if (!text) continue;
        GPtrArray *rows = csv_rows(text);
        const row *head = rows->len ? g_ptr_array_index(rows, 0) : NULL;
        bool persons = head && head->len && !strcmp(g_ptr_array_index(head, 0), "person");
        laid *l = g_new0(laid, 1);
        l->rows = rows;
        l->money = money_columns(sheets[s].file, head);
        if (o->labels) label_rows(r, rows, o->labels, persons, names);
        if (o->labels && persons && names) l->money = (l->money & 1) | ((l->money & ~(guint64)1) << 1);   /* the name column went in at 1 */
        g_hash_table_insert(tables, (gpointer)sheets[s].file, l);
        if (o->labels || o->excel) g_hash_table_insert(files, (gpointer)sheets[s].file, csv_text(rows, o->excel));
    }
    bool ok = true;
    if (o->xlsx) {
        /* the workbook's date: the start of the policy's period, or of its effective range */
        wz_date day = r->vm->has_period ? r->vm->period_start : r->policy->has_effective ? r->policy->effective_from : 0;
        GString *wb = workbook(tables, o->labels, (time_t)day * 86400 + 43200, err);
        if (wb) g_hash_table_insert(files, "results.xlsx", wb);
        ok = wb != NULL;
    }
    g_hash_table_unref(tables);
    if (names) g_hash_table_unref(names);
    return ok;
}
