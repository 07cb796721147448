/* test_sheets.c — fact files as schools send them (issue 13): GB18030 CSV,
 * Excel's date forms, extra columns, blank rows, misspelt and missing
 * columns, and .xlsx workbooks in place of CSV. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <string.h>

#include "facts.h"
#include "sha256.h"
#include "test_util.h"

/* ---- fixture: staff (the population) and leave, as in test_facts.c ---- */

typedef struct fx {
    char *dir;
    GPtrArray *schemas;
    wz_diags *d;
    wz_facts *f;
    wz_facts_options o;
} fx;

static wz_fact_schema *staff_schema(void)
{
    wz_fact_schema *s = wz_fact_schema_new("staff");
    s->is_population = true;
    s->file_required = true;
    wz_fact_schema_add_field(s, "id", WZ_FT_TEXT);
    wz_fact_schema_add_field(s, "name", WZ_FT_TEXT);
    wz_fact_schema_add_field(s, "hired", WZ_FT_DATE);
    s->key_field = 0;
    return s;
}

/* leave: person, date, kind (病假/事假), days (decimal 0..40). */
static wz_fact_schema *leave_schema(void)
{
    wz_fact_schema *s = wz_fact_schema_new("leave");
    s->file_required = true;
    wz_fact_schema_add_field(s, "person", WZ_FT_PERSON);
    s->person_field = 0;
    wz_fact_schema_add_field(s, "date", WZ_FT_DATE);
    s->date_field = 1;
    wz_field_schema *k = wz_fact_schema_add_field(s, "kind", WZ_FT_ENUM);
    k->enum_values = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(k->enum_values, g_strdup("病假"));
    g_ptr_array_add(k->enum_values, g_strdup("事假"));
    wz_field_schema *days = wz_fact_schema_add_field(s, "days", WZ_FT_DECIMAL);
    days->has_min = days->has_max = true;
    days->min = wz_dec_from_int(0);
    days->max = wz_dec_from_int(40);
    return s;
}

static int setup(void **state)
{
    fx *x = g_new0(fx, 1);
    x->dir = g_dir_make_tmp("wz-sheets-XXXXXX", NULL);
    if (x->dir == NULL)
        return -1;
    x->schemas = g_ptr_array_new_with_free_func((GDestroyNotify)wz_fact_schema_free);
    g_ptr_array_add(x->schemas, staff_schema());
    g_ptr_array_add(x->schemas, leave_schema());
    x->d = wz_diags_new(0);
    x->o = (wz_facts_options){.threads = 1};
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    fx *x = *state;
    test_remove_tree(x->dir);
    g_free(x->dir);
    wz_facts_free(x->f);
    g_ptr_array_unref(x->schemas);
    wz_diags_free(x->d);
    g_free(x);
    return 0;
}

static void put_len(fx *x, const char *name, const char *data, size_t len) { test_put_file(x->dir, name, data, len); }

static void put(fx *x, const char *name, const char *data)
{
    put_len(x, name, data, strlen(data));
}

/* Copies tests/fixtures/NAME (WZ_SOURCE_DIR) into the facts directory as AS. */
static void put_fixture(fx *x, const char *name, const char *as)
{
    char *src = g_build_filename(WZ_SOURCE_DIR, "tests", "fixtures", name, NULL);
    char *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents(src, &data, &len, NULL))
        fail_msg("cannot read %s", src);
    put_len(x, as, data, len);
    g_free(data);
    g_free(src);
}

static wz_facts *load(fx *x)
{
    wz_facts_free(x->f);
    x->f = wz_facts_load_opts(x->schemas, x->dir, (wz_period_filter){0}, -1, &x->o, x->d);
    return x->f;
}

static const wz_fact_table *table(const wz_facts *f, const char *name)
{
    int i = wz_facts_table_index(f, name);
    assert_true(i >= 0);
    return g_ptr_array_index(f->tables, i);
}

/* "DIR" in expected text stands for the test's directory. */
static char *with_dir(const fx *x, const char *text)
{
    GString *s = g_string_new(NULL);
    const char *p;
    while ((p = strstr(text, "DIR")) != NULL) {
        g_string_append_len(s, text, p - text);
        g_string_append(s, x->dir);
        text = p + 3;
    }
    g_string_append(s, text);
    return g_string_free(s, FALSE);
}

static void assert_diag(const fx *x, guint i, const char *expected)
{
    if (i >= x->d->items->len)
        fail_msg("no diagnostic %u (only %u): wanted %s", i, x->d->items->len, expected);
    char *want = with_dir(x, expected);
    char *got = wz_diag_render(g_ptr_array_index(x->d->items, i));
    assert_string_equal(got, want);
    g_free(want);
    g_free(got);
}

static void assert_ndiags(const fx *x, guint n)
{
    for (guint i = n; i < x->d->items->len; i++) {
        char *got = wz_diag_render(g_ptr_array_index(x->d->items, i));
        print_message("unexpected: %s\n", got);
        g_free(got);
    }
    assert_int_equal(x->d->items->len, n);
}

static const char *text_at(const wz_facts *f, const char *fact, guint field, uint32_t row)
{
    const wz_fact_table *t = table(f, fact);
    return wz_facts_string(f, (uint32_t)wz_column_int(t->columns[field], row));
}

static char *date_at(const wz_facts *f, const char *fact, guint field, uint32_t row)
{
    char buf[11];
    wz_date_format((wz_date)wz_column_int(table(f, fact)->columns[field], row), buf);
    return g_strdup(buf);
}

static char *dec_at(const wz_facts *f, const char *fact, guint field, uint32_t row)
{
    return wz_dec_to_string(wz_column_dec(table(f, fact)->columns[field], row), 0, 30);
}

#define assert_date(f, fact, field, row, want)          \
    do {                                                \
        char *got_ = date_at(f, fact, field, row);      \
        assert_string_equal(got_, want);                \
        g_free(got_);                                   \
    } while (0)

#define assert_dec(f, fact, field, row, want)           \
    do {                                                \
        char *got_ = dec_at(f, fact, field, row);       \
        assert_string_equal(got_, want);                \
        g_free(got_);                                   \
    } while (0)

#define STAFF                                                                  \
    "id,name,hired\n"                                                          \
    "T001,张三,2010-09-01\n"                                                   \
    "T002,李四,2015-03-15\n"

/* The same two files saved by Chinese Excel: GB18030. */
#define STAFF_GB                                                               \
    "id,name,hired\n"                                                          \
    "T001,\xd5\xc5\xc8\xfd,2010-09-01\n"                                       \
    "T002,\xc0\xee\xcb\xc4,2015-03-15\n"
#define LEAVE_GB                                                               \
    "person,date,kind,days\n"                                                  \
    "T001,2019-10-08,\xb2\xa1\xbc\xd9,1.5\n"                                   \
    "T002,2019-10-09,\xca\xc2\xbc\xd9,2\n"

/* ---- encodings ------------------------------------------------------------ */

/* A GB18030 file is recognised by itself and read as the UTF-8 one would be;
 * its checksum is the file's own bytes; the encoding is noted. */
static void test_gb18030_detected(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF_GB);
    put(x, "leave.csv", LEAVE_GB);
    wz_facts *f = load(x);
    assert_non_null(f);
    assert_ndiags(x, 0);
    assert_string_equal(text_at(f, "staff", 1, 0), "张三");
    assert_string_equal(text_at(f, "staff", 1, 1), "李四");
    const wz_fact_table *l = table(f, "leave");
    assert_int_equal(l->nrows, 2);
    assert_int_equal(wz_column_int(l->columns[2], 0), 0);   /* 病假 */
    assert_int_equal(wz_column_int(l->columns[2], 1), 1);   /* 事假 */
    assert_string_equal(l->encoding, "gb18030");
    assert_string_equal(table(f, "staff")->encoding, "gb18030");
    char sha[65];
    wz_sha256_hex(LEAVE_GB, strlen(LEAVE_GB), sha);
    assert_string_equal(l->sha256, sha);
}

/* UTF-8 files are noted as nothing: summary.json stays as it was. */
static void test_utf8_not_noted(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", "\xEF\xBB\xBF" STAFF);
    put(x, "leave.csv", "person,date,kind,days\nT001,2019-10-08,病假,1\n");
    wz_facts *f = load(x);
    assert_non_null(f);
    assert_null(table(f, "staff")->encoding);
    assert_null(table(f, "leave")->encoding);
}

/* --encoding gb18030 reads a file that is GB18030 (even one that would also
 * pass as UTF-8); a byte that is not GB18030 is reported at its cell. */
static void test_gb18030_forced(void **state)
{
    fx *x = *state;
    x->o.encoding = WZ_ENC_GB18030;
    put(x, "staff.csv", STAFF_GB);
    put(x, "leave.csv", "person,date,kind,days\nT001,2019-10-08,\xb2\xa1\xbc\xd9,1\nT002,2019-10-09,\xca\xff,1\n");
    assert_null(load(x));
    assert_diag(x, 0, "DIR/leave.csv:3:3: error: invalid GB18030 (byte 0xca); the file was read as GB18030 "
                      "(--encoding gb18030)");
    assert_ndiags(x, 1);
}

/* --encoding utf-8 reads a GB18030 file as UTF-8: each bad cell is reported,
 * as before detection existed. */
static void test_utf8_forced(void **state)
{
    fx *x = *state;
    x->o.encoding = WZ_ENC_UTF8;
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", LEAVE_GB);
    assert_null(load(x));
    assert_diag(x, 0, "DIR/leave.csv:2:3: error: invalid UTF-8 (byte 0xb2); save the file as UTF-8");
    assert_diag(x, 1, "DIR/leave.csv:3:3: error: invalid UTF-8 (byte 0xca); save the file as UTF-8");
    assert_ndiags(x, 2);
}

/* A UTF-8 file with one broken character stays UTF-8 (its other Chinese text
 * is valid UTF-8): the bad cell is reported, not the file decoded as
 * GB18030 into nonsense. */
static void test_mostly_utf8_stays_utf8(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", "person,date,kind,days\nT001,2019-10-08,病假,1\nT002,2019-10-08,事假,1\nT002,2019-10-09,\xe4\xba,1\n");
    assert_null(load(x));
    assert_diag(x, 0, "DIR/leave.csv:4:3: error: invalid UTF-8 (byte 0xe4); save the file as UTF-8");
    assert_ndiags(x, 1);
}

/* params.csv saved by Chinese Excel too. */
static void test_params_gb18030(void **state)
{
    fx *x = *state;
    put(x, "params.csv", "name,value\nschool,\xb6\xab\xc1\xf7\xd5\xf2\npool,100\n");   /* 东流镇 */
    GPtrArray *p = wz_params_load(x->dir, x->d);
    assert_non_null(p);
    assert_int_equal(p->len, 2);
    assert_string_equal(((wz_param_entry *)g_ptr_array_index(p, 0))->value, "东流镇");
    g_ptr_array_unref(p);
}

/* ---- dates ------------------------------------------------------------------ */

#include "facts_internal.h"   /* wz_facts_parse_date, wz_facts_parallel_files */

static void assert_parses(const char *text, const char *iso)
{
    wz_date d;
    int shape;
    if (!wz_facts_parse_date(text, strlen(text), &d, &shape))
        fail_msg("not read as a date: %s", text);
    char buf[11];
    wz_date_format(d, buf);
    assert_string_equal(buf, iso);
    assert_int_equal(shape, WZ_DATE_SHAPE_DATE);
}

static void assert_refused(const char *text, int want_shape)
{
    wz_date d;
    int shape;
    if (wz_facts_parse_date(text, strlen(text), &d, &shape))
        fail_msg("read as a date: %s", text);
    assert_int_equal(shape, want_shape);
}

static void test_date_forms(void **state)
{
    (void)state;
    assert_parses("2019-09-01", "2019-09-01");
    assert_parses("2019-9-1", "2019-09-01");
    assert_parses("2019/9/1", "2019-09-01");
    assert_parses("2019/09/01", "2019-09-01");
    assert_parses("2019.9.1", "2019-09-01");
    assert_parses("2019年9月1日", "2019-09-01");
    assert_parses("2019年09月01日", "2019-09-01");
    assert_parses("2019年9月1", "2019-09-01");
    assert_parses(" 2020/2/29 ", "2020-02-29");   /* a leap day */
    assert_refused("2019/2/30", WZ_DATE_SHAPE_DATE);
    assert_refused("2019/2/29", WZ_DATE_SHAPE_DATE);
    assert_refused("2019/13/1", WZ_DATE_SHAPE_DATE);
    assert_refused("2019.9.0", WZ_DATE_SHAPE_DATE);
    assert_refused("9/1/2019", WZ_DATE_SHAPE_AMBIGUOUS);
    assert_refused("19/9/1", WZ_DATE_SHAPE_AMBIGUOUS);
    assert_refused("01.02.2019", WZ_DATE_SHAPE_AMBIGUOUS);
    assert_refused("2019/9-1", WZ_DATE_SHAPE_NONE);   /* two separators */
    assert_refused("2019/9/1x", WZ_DATE_SHAPE_NONE);
    assert_refused("2019年9月", WZ_DATE_SHAPE_NONE);
    assert_refused("yesterday", WZ_DATE_SHAPE_NONE);
    assert_refused("43709", WZ_DATE_SHAPE_NONE);      /* an Excel serial in a CSV: no date */
    assert_refused("", WZ_DATE_SHAPE_NONE);
}

/* Every form in a date column; the period filter sees the dates. */
static void test_date_forms_in_a_file(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", "id,name,hired\nT001,张三,2010/9/1\nT002,李四,2015年3月15日\n");
    put(x, "leave.csv", "person,date,kind,days\nT001,2019.10.8,病假,1\nT002,2019-10-9,事假,2\nT002,2020/1/2,事假,2\n");
    wz_facts *f = load(x);
    assert_non_null(f);
    assert_ndiags(x, 0);
    assert_date(f, "staff", 2, 0, "2010-09-01");
    assert_date(f, "staff", 2, 1, "2015-03-15");
    assert_date(f, "leave", 1, 0, "2019-10-08");
    assert_date(f, "leave", 1, 1, "2019-10-09");
    assert_date(f, "leave", 1, 2, "2020-01-02");
}

/* A date that does not exist and an ambiguous one: errors at their cells. */
static void test_bad_dates(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", "person,date,kind,days\nT001,2019/2/30,病假,1\nT002,9/1/2019,事假,2\nT002,2019年2月29日,事假,2\n");
    assert_null(load(x));
    assert_diag(x, 0, "DIR/leave.csv:2:2: error: expected a real calendar date, found \"2019/2/30\", which does not exist");
    assert_diag(x, 1, "DIR/leave.csv:3:2: error: expected a date with a 4-digit year first (YYYY-MM-DD, YYYY/M/D, "
                      "YYYY.M.D or YYYY年M月D日), found \"9/1/2019\", whose day, month and year could be read more "
                      "than one way");
    assert_diag(x, 2, "DIR/leave.csv:4:2: error: expected a real calendar date, found \"2019年2月29日\", which does not exist");
    assert_ndiags(x, 3);
}

/* ---- columns and rows ------------------------------------------------------- */

/* A column the school added (备注) and an unnamed one are ignored, listed in
 * file order; the fields may come in any order around them. */
static void test_extra_columns_ignored(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", "备注,person,date,kind,,days\n补假条,T001,2019-10-08,病假,,1\n,T002,2019-10-09,事假,x,2\n");
    wz_facts *f = load(x);
    assert_non_null(f);
    assert_ndiags(x, 0);
    const wz_fact_table *t = table(f, "leave");
    assert_int_equal(t->nrows, 2);
    assert_dec(f, "leave", 3, 1, "2");
    assert_int_equal(t->ignored_columns->len, 2);
    assert_string_equal(g_ptr_array_index(t->ignored_columns, 0), "备注");
    assert_string_equal(g_ptr_array_index(t->ignored_columns, 1), "");
    assert_null(table(f, "staff")->ignored_columns);
}

/* --strict: each such column is an error, as before; the rows are still checked. */
static void test_extra_columns_strict(void **state)
{
    fx *x = *state;
    x->o.strict = true;
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", "person,date,kind,days,备注\nT001,2019-10-08,病假,1,补假条\nT002,2019-10-09,年假,2,\n");
    assert_null(load(x));
    assert_diag(x, 0, "DIR/leave.csv:1:5: error: unknown column \"备注\"; expected the fields person, date, kind, days "
                      "(--strict: no other column)");
    assert_diag(x, 1, "DIR/leave.csv:3:3: error: expected one of 病假, 事假, found \"年假\"");
    assert_ndiags(x, 2);
}

/* Rows of empty cells (Excel's trailing ",,,") are skipped and counted, in a
 * file with quotes (the general scanner) and one without (the fast loop). */
static void test_blank_rows(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", "id,name,hired\nT001,\"张三\",2010-09-01\n,,\nT002,李四,2015-03-15\n\"\",,\n");
    put(x, "leave.csv", "person,date,kind,days\nT001,2019-10-08,病假,1\n,,,\n,, ,\n\n,,,\r\n");
    wz_facts *f = load(x);
    assert_non_null(f);
    assert_ndiags(x, 0);
    const wz_fact_table *s = table(f, "staff"), *l = table(f, "leave");
    assert_int_equal(s->nrows, 2);
    assert_int_equal(s->rows_read, 2);
    assert_int_equal(s->rows_blank, 2);
    assert_int_equal(l->nrows, 1);
    assert_int_equal(l->rows_read, 1);
    assert_int_equal(l->rows_blank, 3);   /* the empty line is no row at all, as before */
}

/* A row with a first cell empty but not the others is a row, and its error is reported. */
static void test_half_blank_row_is_a_row(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", "person,date,kind,days\n,,,1\n");
    assert_null(load(x));
    assert_diag(x, 0, "DIR/leave.csv:2:1: error: expected a person id from staff.csv, found an empty cell");
}

/* A misspelt column is named for the field it seems meant for. */
static void test_misspelt_column(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", "person,date,kind,dyas,备注\nT001,2019-10-08,病假,1,\n");
    assert_null(load(x));
    assert_diag(x, 0, "DIR/leave.csv:1:4: error: unknown column \"dyas\" and no column \"days\"; did you mean 'days'?");
    assert_ndiags(x, 1);
}

/* A missing column with nothing like it, and a duplicate one: the header's
 * errors, then every data error of the columns that are there. */
static void test_header_and_data_errors(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", "person,date,date,kind\nT001,2019-10-08,2019-10-08,病假\nT009,2019-13-01,x,年假\n");
    assert_null(load(x));
    assert_diag(x, 0, "DIR/leave.csv:1:3: error: duplicate column \"date\" (also column 2)");
    assert_diag(x, 1, "DIR/leave.csv:1: error: missing column \"days\"");
    assert_diag(x, 2, "DIR/leave.csv:3:1: error: expected a person id from staff.csv, found \"T009\"");
    assert_diag(x, 3, "DIR/leave.csv:3:2: error: expected a real calendar date, found \"2019-13-01\", which does not exist");
    assert_diag(x, 4, "DIR/leave.csv:3:4: error: expected one of 病假, 事假, found \"年假\"");
    assert_ndiags(x, 5);
}

/* A population whose header is wrong: its rows are checked, the other facts'
 * person ids are not (every one would be "unknown"). */
static void test_population_header_error(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", "id,nmae,hired\nT001,张三,2010-09-31\n");
    put(x, "leave.csv", "person,date,kind,days\nT001,2019-10-08,病假,1\nT002,2019-10-08,病假,x\n");
    assert_null(load(x));
    assert_diag(x, 0, "DIR/staff.csv:1:2: error: unknown column \"nmae\" and no column \"name\"; did you mean 'name'?");
    assert_diag(x, 1, "DIR/staff.csv:2:3: error: expected a real calendar date, found \"2010-09-31\", which does not exist");
    assert_diag(x, 2, "DIR/leave.csv:3:4: error: expected a decimal number, found \"x\"");
    assert_ndiags(x, 3);
}

/* The error limit holds across the header and the rows. */
static void test_header_errors_and_limit(void **state)
{
    fx *x = *state;
    x->d->limit = 2;
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", "person,date,kind\nT001,2019-10-32,病假\nT002,2019-10-32,病假\nT002,2019-10-32,病假\n");
    assert_null(load(x));
    assert_diag(x, 0, "DIR/leave.csv:1: error: missing column \"days\"");
    assert_diag(x, 1, "DIR/leave.csv:2:2: error: expected a real calendar date, found \"2019-10-32\", which does not exist");
    assert_ndiags(x, 2);
    assert_int_equal(x->d->dropped, 2);
}

/* ---- workbooks ---------------------------------------------------------------- */

/* leave.xlsx in place of leave.csv: values as the CSV would give them, the
 * remarks column ignored, the empty row counted, the sheet noted. */
static void test_xlsx_facts(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put_fixture(x, "leave-wps.xlsx", "leave.xlsx");
    wz_facts *f = load(x);
    assert_non_null(f);
    assert_ndiags(x, 0);
    const wz_fact_table *t = table(f, "leave");
    assert_int_equal(t->nrows, 4);
    /* rows grouped by person: T001's (sheet rows 2, 5), then T002's (3, 4) */
    assert_int_equal(t->line[1], 5);
    assert_date(f, "leave", 1, 0, "2019-10-08");
    assert_date(f, "leave", 1, 1, "2019-11-05");
    assert_date(f, "leave", 1, 2, "2019-10-09");
    assert_date(f, "leave", 1, 3, "2020-02-29");
    assert_dec(f, "leave", 3, 0, "0.1");
    assert_dec(f, "leave", 3, 2, "12.5");
    assert_dec(f, "leave", 3, 3, "0.01");
    assert_int_equal(wz_column_int(t->columns[2], 2), 1);   /* the inline string 事假 */
    assert_string_equal(t->sheet, "请假");
    assert_int_equal(t->rows_blank, 1);
    assert_int_equal(t->ignored_columns->len, 1);
    assert_string_equal(g_ptr_array_index(t->ignored_columns, 0), "备注");
    assert_true(g_str_has_suffix(t->file, "leave.xlsx"));
}

/* A bad cell of a workbook is named as Excel names it. */
static void test_xlsx_cell_errors(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", "id,name,hired\nT001,张三,2010-09-01\n");
    put_fixture(x, "leave-wps.xlsx", "leave.xlsx");
    assert_null(load(x));
    assert_diag(x, 0, "DIR/leave.xlsx!A3: error: expected a person id from staff.csv, found \"T002\"");
    assert_diag(x, 1, "DIR/leave.xlsx!A4: error: expected a person id from staff.csv, found \"T002\"");
    assert_ndiags(x, 2);
}

static void test_xlsx_sheet_option(void **state)
{
    fx *x = *state;
    x->o.sheet = "汇总";
    put(x, "staff.csv", STAFF);
    put_fixture(x, "leave-wps.xlsx", "leave.xlsx");
    wz_facts *f = load(x);
    assert_non_null(f);
    assert_int_equal(table(f, "leave")->nrows, 1);
    assert_string_equal(table(f, "leave")->sheet, "汇总");
}

static void test_xlsx_1904(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put_fixture(x, "leave-1904.xlsx", "leave.xlsx");
    wz_facts *f = load(x);
    assert_non_null(f);
    assert_date(f, "leave", 1, 0, "2019-10-08");
    assert_date(f, "leave", 1, 1, "1904-01-01");
}

/* Serial 60 of the 1900 system is the day that never was. */
static void test_xlsx_1900_leap_bug(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put_fixture(x, "leave-serials.xlsx", "leave.xlsx");
    assert_null(load(x));
    assert_diag(x, 0, "DIR/leave.xlsx!B6: error: expected a real calendar date, found \"1900-02-29\", which does not exist");
    assert_ndiags(x, 1);
}

static void test_xlsx_merged_header(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put_fixture(x, "leave-merged.xlsx", "leave.xlsx");
    assert_null(load(x));
    assert_diag(x, 0, "DIR/leave.xlsx!A1: error: merged cells A1:B1 in the header row; unmerge them so that each "
                      "column has its own name in its own cell");
    assert_ndiags(x, 1);
}

static void test_xlsx_corrupt(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put_fixture(x, "leave-truncated.xlsx", "leave.xlsx");
    assert_null(load(x));
    assert_diag(x, 0, "DIR/leave.xlsx: error: not a readable workbook (not a zip archive, or a damaged one); save it "
                      "again from Excel or WPS as .xlsx");
    assert_ndiags(x, 1);
}

/* Both forms of one fact: which one is meant is not guessed. */
static void test_csv_and_xlsx(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", "person,date,kind,days\n");
    put_fixture(x, "leave-wps.xlsx", "leave.xlsx");
    assert_null(load(x));
    assert_diag(x, 0, "error: both DIR/leave.csv and DIR/leave.xlsx exist; keep only one of them");
    assert_ndiags(x, 1);
}

/* The population as a workbook too; an error about a whole row is named as
 * Excel names a row (1:1). */
static void test_xlsx_population(void **state)
{
    fx *x = *state;
    put_fixture(x, "dongliu-xlsx/staff.xlsx", "staff.xlsx");   /* dongliu's columns: no "hired" */
    put(x, "leave.csv", "person,date,kind,days\nT001,2019-10-08,病假,1\n");
    assert_null(load(x));
    assert_diag(x, 0, "DIR/staff.xlsx!1:1: error: missing column \"hired\"");
    assert_ndiags(x, 1);
}

/* ---- threads ------------------------------------------------------------------ */

/* A big GB18030 leave file with an added column, blank rows and a bad row,
 * read in parallel chunks: the same rows, counts and errors as one thread. */
static void test_threads_same_for_sheets(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF_GB);
    GString *leave = g_string_new("person,date,kind,days,\xb1\xb8\xd7\xa2\n");   /* 备注 */
    for (int i = 0; i < 60000; i++) {
        g_string_append_printf(leave, "T00%d,2019/10/%d,%s,%d.5,\n", 1 + i % 2, 1 + i % 28,
                               i % 3 ? "\xb2\xa1\xbc\xd9" : "\xca\xc2\xbc\xd9", i % 7);
        if (i % 1000 == 999)
            g_string_append(leave, ",,,,\n");
    }
    g_string_append(leave, "T001,2019/2/30,\xb2\xa1\xbc\xd9,1,\n");
    assert_true(leave->len > ((size_t)1 << 20));
    put_len(x, "leave.csv", leave->str, leave->len);
    g_string_free(leave, TRUE);

    GPtrArray *msgs[2];
    for (int k = 0; k < 2; k++) {
        gint before = g_atomic_int_get(&wz_facts_parallel_files);
        x->o.threads = k ? 3 : 1;
        wz_diags_free(x->d);
        x->d = wz_diags_new(0);
        assert_null(load(x));
        assert_int_equal(g_atomic_int_get(&wz_facts_parallel_files) > before, k == 1);
        msgs[k] = g_ptr_array_new_with_free_func(g_free);
        for (guint i = 0; i < x->d->items->len; i++)
            g_ptr_array_add(msgs[k], wz_diag_render(g_ptr_array_index(x->d->items, i)));
        assert_int_equal(x->d->errors, 1);
    }
    assert_string_equal(g_ptr_array_index(msgs[0], 0), g_ptr_array_index(msgs[1], 0));
    char *want = with_dir(x, "DIR/leave.csv:60062:2: error: expected a real calendar date, found \"2019/2/30\", which does not exist");
    assert_string_equal(g_ptr_array_index(msgs[0], 0), want);
    g_free(want);
    g_ptr_array_unref(msgs[0]);
    g_ptr_array_unref(msgs[1]);
}

/* The same file without its bad row loads alike on 1 and 3 threads. */
static void test_threads_same_counts(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF_GB);
    GString *leave = g_string_new("person,date,kind,days,\xb1\xb8\xd7\xa2\n");
    for (int i = 0; i < 60000; i++) {
        g_string_append_printf(leave, "T00%d,2019/10/%d,%s,%d.5,x\n", 1 + i % 2, 1 + i % 28,
                               i % 3 ? "\xb2\xa1\xbc\xd9" : "\xca\xc2\xbc\xd9", i % 7);
        if (i % 1000 == 999)
            g_string_append(leave, ",,,,\n");
    }
    put_len(x, "leave.csv", leave->str, leave->len);
    g_string_free(leave, TRUE);
    uint32_t rows[2], blank[2];
    char *sum[2];
    for (int k = 0; k < 2; k++) {
        x->o.threads = k ? 3 : 1;
        wz_facts *f = load(x);
        assert_non_null(f);
        const wz_fact_table *t = table(f, "leave");
        rows[k] = t->nrows;
        blank[k] = t->rows_blank;
        assert_string_equal(t->encoding, "gb18030");
        assert_int_equal(t->ignored_columns->len, 1);
        assert_string_equal(g_ptr_array_index(t->ignored_columns, 0), "备注");
        wz_dec total = WZ_DEC_ZERO;
        for (uint32_t r = 0; r < t->nrows; r++)
            wz_dec_add(total, wz_column_dec(t->columns[3], r), &total);
        sum[k] = wz_dec_to_string(total, 0, 30);
    }
    assert_int_equal(rows[0], 60000);
    assert_int_equal(rows[1], 60000);
    assert_int_equal(blank[0], 60);
    assert_int_equal(blank[1], 60);
    assert_string_equal(sum[0], sum[1]);
    g_free(sum[0]);
    g_free(sum[1]);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_gb18030_detected),
        T(test_utf8_not_noted),
        T(test_gb18030_forced),
        T(test_utf8_forced),
        T(test_mostly_utf8_stays_utf8),
        T(test_params_gb18030),
        cmocka_unit_test(test_date_forms),
        T(test_date_forms_in_a_file),
        T(test_bad_dates),
        T(test_extra_columns_ignored),
        T(test_extra_columns_strict),
        T(test_blank_rows),
        T(test_half_blank_row_is_a_row),
        T(test_misspelt_column),
        T(test_header_and_data_errors),
        T(test_population_header_error),
        T(test_header_errors_and_limit),
        T(test_xlsx_facts),
        T(test_xlsx_cell_errors),
        T(test_xlsx_sheet_option),
        T(test_xlsx_1904),
        T(test_xlsx_1900_leap_bug),
        T(test_xlsx_merged_header),
        T(test_xlsx_corrupt),
        T(test_csv_and_xlsx),
        T(test_xlsx_population),
        T(test_threads_same_for_sheets),
        T(test_threads_same_counts),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
