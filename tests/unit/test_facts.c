/* test_facts.c — loading fact tables: values, grouping, filtering, and the
 * exact text of every kind of error. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <string.h>

#include "facts.h"
#include "facts_internal.h"   /* wz_facts_parallel_files */
#include "test_util.h"

/* ---- fixture ------------------------------------------------------------- */

typedef struct fx {
    char *dir;
    GPtrArray *schemas;   /* staff, leave */
    wz_diags *d;
    wz_facts *f;
} fx;

static wz_fact_schema *staff_schema(void)
{
    wz_fact_schema *s = wz_fact_schema_new("staff");
    s->is_population = true;
    s->file_required = true;
    wz_fact_schema_add_field(s, "id", WZ_FT_TEXT);
    wz_fact_schema_add_field(s, "name", WZ_FT_TEXT);
    wz_fact_schema_add_field(s, "hired", WZ_FT_DATE);
    wz_fact_schema_add_field(s, "fulltime", WZ_FT_BOOL);
    s->key_field = 0;
    return s;
}

/* leave: person, date, kind (病假/事假/旷工), days (decimal 0..40),
 * hours (optional int 0..40). */
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
    g_ptr_array_add(k->enum_values, g_strdup("旷工"));
    wz_field_schema *days = wz_fact_schema_add_field(s, "days", WZ_FT_DECIMAL);
    days->has_min = days->has_max = true;
    days->min = wz_dec_from_int(0);
    days->max = wz_dec_from_int(40);
    wz_field_schema *h = wz_fact_schema_add_field(s, "hours", WZ_FT_INT);
    h->has_min = h->has_max = true;
    h->min = wz_dec_from_int(0);
    h->max = wz_dec_from_int(40);
    h->optional = true;
    return s;
}

static int setup(void **state)
{
    fx *x = g_new0(fx, 1);
    x->dir = g_dir_make_tmp("wz-facts-XXXXXX", NULL);
    if (x->dir == NULL)
        return -1;
    x->schemas = g_ptr_array_new_with_free_func((GDestroyNotify)wz_fact_schema_free);
    g_ptr_array_add(x->schemas, staff_schema());
    g_ptr_array_add(x->schemas, leave_schema());
    x->d = wz_diags_new(0);
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

#define STAFF                                                                  \
    "id,name,hired,fulltime\n"                                                 \
    "T001,张三,2010-09-01,是\n"                                                \
    "T002,李四,2015-03-15,false\n"                                             \
    "T003,王五,2018-09-01,1\n"

static wz_facts *load_period(fx *x, wz_period_filter period)
{
    wz_facts_free(x->f);
    x->f = wz_facts_load(x->schemas, x->dir, period, x->d);
    return x->f;
}

static wz_facts *load(fx *x)
{
    return load_period(x, (wz_period_filter){0});
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
        fail_msg("no diagnostic %u (only %u)", i, x->d->items->len);
    char *want = with_dir(x, expected);
    char *got = wz_diag_render(g_ptr_array_index(x->d->items, i));
    assert_string_equal(got, want);
    g_free(want);
    g_free(got);
}

/* Loads staff plus the given leave.csv and expects exactly one error. */
static void expect_leave_error(fx *x, const char *leave_csv, const char *expected)
{
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", leave_csv);
    assert_null(load(x));
    assert_diag(x, 0, expected);
    assert_int_equal(x->d->errors, 1);
}

#define LEAVE_HEADER "person,date,kind,days,hours\n"

static bool dec_is(wz_dec v, long long num, long long den)
{
    return v.num == num && v.den == den;
}

/* ---- values -------------------------------------------------------------- */

static void test_values(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", LEAVE_HEADER
                        "T001,2019-03-01,病假,0.5,4\n"
                        "T002,2019-04-10,事假,2,\n"
                        "T001,2019-05-20,旷工,1.25,8\n");
    wz_facts *f = load(x);
    assert_non_null(f);
    assert_int_equal(x->d->items->len, 0);
    assert_int_equal(f->npersons, 3);
    assert_int_equal(f->population, 0);
    assert_string_equal(f->dir, x->dir);
    assert_string_equal(wz_facts_person_id(f, 0), "T001");
    assert_string_equal(wz_facts_person_id(f, 2), "T003");
    assert_null(wz_facts_person_id(f, 3));
    assert_int_equal(wz_facts_table_index(f, "leave"), 1);
    assert_int_equal(wz_facts_table_index(f, "nope"), -1);

    const wz_fact_table *s = table(f, "staff");
    assert_true(s->present);
    assert_int_equal(s->nrows, 3);
    assert_string_equal(wz_facts_string(f, (uint32_t)wz_column_int(s->columns[1], 1)), "李四");
    assert_int_equal(wz_column_int(s->columns[2], 0), wz_date_from_ymd(2010, 9, 1));
    assert_int_equal(wz_column_int(s->columns[3], 0), 1); /* 是 */
    assert_int_equal(wz_column_int(s->columns[3], 1), 0); /* false */
    assert_int_equal(wz_column_int(s->columns[3], 2), 1); /* 1 */
    assert_null(s->by_person_start); /* the population is not grouped */

    const wz_fact_table *t = table(f, "leave");
    char *want_file = g_build_filename(x->dir, "leave.csv", NULL);
    assert_string_equal(t->file, want_file);
    g_free(want_file);
    assert_int_equal(t->nrows, 3);
    assert_int_equal(t->rows_read, 3);
    assert_int_equal(t->rows_ignored, 0);
    /* rows are stored grouped by person, in file order within a person:
     * T001's lines 2 and 4, then T002's line 3 */
    assert_int_equal(t->line[0], 2);
    assert_int_equal(t->line[1], 4);
    assert_int_equal(t->line[2], 3);
    assert_int_equal(wz_column_int(t->columns[0], 2), 1); /* T002 = person 1 */
    assert_int_equal(wz_column_int(t->columns[1], 2), wz_date_from_ymd(2019, 4, 10));
    assert_int_equal(wz_column_int(t->columns[2], 1), 2); /* 旷工 */
    assert_true(dec_is(wz_column_dec(t->columns[3], 0), 1, 2));
    assert_true(dec_is(wz_column_dec(t->columns[3], 1), 5, 4));
    assert_int_equal(wz_column_int(t->columns[4], 0), 4);
    assert_true(dec_is(wz_column_dec(t->columns[4], 1), 8, 1)); /* int widened */
    assert_false(wz_column_is_missing(t->columns[4], 0));
    assert_true(wz_column_is_missing(t->columns[4], 2));
    assert_int_equal(wz_column_int(t->columns[4], 2), 0);
    assert_false(wz_column_is_missing(t->columns[4], 1));
    /* Out of range reads are safe. */
    assert_true(wz_column_is_missing(t->columns[4], 3));
    assert_int_equal(wz_column_int(t->columns[4], 99), 0);
}

static void test_sha256(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", LEAVE_HEADER);
    wz_facts *f = load(x);
    assert_non_null(f);
    char *want = g_compute_checksum_for_string(G_CHECKSUM_SHA256, STAFF, -1);
    assert_string_equal(table(f, "staff")->sha256, want);
    g_free(want);
    assert_int_equal(strlen(table(f, "leave")->sha256), 64);
    /* A header-only file is fine: zero rows, every person with no rows. */
    assert_int_equal(table(f, "leave")->nrows, 0);
    assert_int_equal(table(f, "leave")->by_person_start[3], 0);
}

static void test_group_by_person(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", LEAVE_HEADER
                        "T003,2019-01-01,病假,1,\n"
                        "T001,2019-01-02,病假,2,\n"
                        "T003,2019-01-03,病假,3,\n"
                        "T001,2019-01-04,病假,4,\n"
                        "T003,2019-01-05,病假,5,\n");
    wz_facts *f = load(x);
    assert_non_null(f);
    const wz_fact_table *t = table(f, "leave");
    const uint32_t *st = t->by_person_start;
    assert_int_equal(st[0], 0);
    assert_int_equal(st[1], 2); /* T001: 2 rows */
    assert_int_equal(st[2], 2); /* T002: none */
    assert_int_equal(st[3], 5); /* T003: 3 rows */
    /* rows are stored grouped by person, so a person's rows are a range of
     * row indices and the source lines show the order: file order within a person */
    static const uint32_t want_line[] = {3, 5, 2, 4, 6};
    static const long long want_days[] = {2, 4, 1, 3, 5};
    for (uint32_t i = 0; i < 5; i++) {
        assert_int_equal(t->line[i], want_line[i]);
        assert_true(dec_is(wz_column_dec(t->columns[3], i), want_days[i], 1));
    }
}

/* After evaluation a run lets go of the rows its outputs do not read: every
 * fact's but the population's, whose keys and names the outputs print. */
static void test_release_rows_keeps_the_population(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", LEAVE_HEADER "T003,2019-01-01,病假,1,\nT001,2019-01-02,病假,2,\n");
    wz_facts *f = load(x);
    assert_non_null(f);
    const wz_fact_table *leave = table(f, "leave"), *staff = table(f, "staff");
    char sha[65];
    memcpy(sha, leave->sha256, sizeof sha);
    wz_facts_release_rows(f);
    assert_null(leave->columns);
    assert_null(leave->line);
    assert_null(leave->by_person_start);
    assert_int_equal(leave->nrows, 0);
    assert_int_equal(leave->rows_read, 2);   /* what summary.json counts stays */
    assert_true(leave->present);
    assert_string_equal(leave->sha256, sha);
    assert_int_equal(f->npersons, 3);
    assert_int_equal(staff->nrows, 3);
    assert_string_equal(wz_facts_person_id(f, 2), "T003");
    assert_string_equal(wz_facts_string(f, (uint32_t)wz_column_int(staff->columns[1], 1)), "李四");
    wz_facts_release_rows(f);   /* twice: nothing left to let go */
    assert_null(leave->columns);
}

static void test_period_filter(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", LEAVE_HEADER
                        "T001,2018-12-31,病假,1,\n"
                        "T001,2019-01-01,病假,2,\n"
                        "T002,2019-06-30,病假,3,\n"
                        "T002,2019-07-01,病假,4,\n"
                        "T003,2019-12-31,病假,5,\n");
    wz_period_filter p = {true, wz_date_from_ymd(2019, 1, 1), wz_date_from_ymd(2019, 6, 30)};
    wz_facts *f = load_period(x, p);
    assert_non_null(f);
    const wz_fact_table *t = table(f, "leave");
    assert_int_equal(t->rows_read, 5);
    assert_int_equal(t->rows_ignored, 3);
    assert_int_equal(t->nrows, 2);
    assert_true(dec_is(wz_column_dec(t->columns[3], 0), 2, 1));
    assert_true(dec_is(wz_column_dec(t->columns[3], 1), 3, 1));
    assert_int_equal(t->line[0], 3);
    assert_int_equal(t->line[1], 4);
    assert_int_equal(t->by_person_start[3], 2);
    assert_int_equal(t->by_person_start[1] - t->by_person_start[0], 1);
    /* The population has no date field: nothing filtered there. */
    assert_int_equal(table(f, "staff")->nrows, 3);
}

static void test_period_still_validates(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", LEAVE_HEADER "T001,2018-12-31,病假,abc,\n");
    wz_period_filter p = {true, wz_date_from_ymd(2019, 1, 1), wz_date_from_ymd(2019, 6, 30)};
    assert_null(load_period(x, p));
    assert_diag(x, 0, "DIR/leave.csv:2:4: error: expected a decimal number, found \"abc\"");
}

static void test_interning(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", "id,name,hired,fulltime\n"
                        "T001,同名,2010-09-01,true\n"
                        "T002,同名,2010-09-01,TRUE\n"
                        "T003,other,2010-09-01,0\n");
    put(x, "leave.csv", LEAVE_HEADER);
    wz_facts *f = load(x);
    assert_non_null(f);
    const wz_fact_table *s = table(f, "staff");
    int64_t a = wz_column_int(s->columns[1], 0), b = wz_column_int(s->columns[1], 1);
    int64_t c = wz_column_int(s->columns[1], 2);
    assert_int_equal(a, b);
    assert_int_not_equal(a, c);
    assert_string_equal(wz_facts_string(f, (uint32_t)a), "同名");
    assert_string_equal(wz_facts_string(f, 0), ""); /* id 0 is always "" */
    assert_string_equal(wz_facts_string(f, 100000), "");
    gpointer id = g_hash_table_lookup(f->string_ids, "other");
    assert_int_equal(GPOINTER_TO_UINT(id) - 1, c);
    /* 3 ids + 3 names: T001 T002 T003 同名 other, plus "". */
    assert_int_equal(f->strings->len, 6);
}

static void test_bom_crlf(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", "\xEF\xBB\xBFid,name,hired,fulltime\r\n"
                        "T001,张三,2010-09-01,是\r\n"
                        "T002,李四,2015-03-15,否\r\n");
    put(x, "leave.csv", "\xEF\xBB\xBF" LEAVE_HEADER "T002,2019-04-10,事假,2,3\r\n\r\n");
    wz_facts *f = load(x);
    assert_non_null(f);
    const wz_fact_table *s = table(f, "staff");
    assert_int_equal(s->nrows, 2);
    assert_string_equal(wz_facts_person_id(f, 0), "T001");
    assert_int_equal(wz_column_int(s->columns[3], 1), 0);
    const wz_fact_table *t = table(f, "leave");
    assert_int_equal(wz_column_int(t->columns[4], 0), 3); /* no '\r' left on the last field */
    assert_int_equal(t->rows_read, 1);
}

static void test_quoted_fields(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", "id,name,hired,fulltime\n"
                        "T001,\"Li\nMing, \"\"Jr\"\"\",2010-09-01,是\n"
                        "\"T002\",\"\"\"\",2015-03-15,\"否\"\n"
                        "T003,\"a\r\nb\",2018-09-01,nope\n");
    put(x, "leave.csv", LEAVE_HEADER);
    assert_null(load(x));
    /* The record starting on line 4 is after a two-line record; the one
     * with the bad bool starts on line 5. */
    assert_diag(x, 0, "DIR/staff.csv:5:4: error: expected true, false, 1, 0, 是 or 否, found \"nope\"");
    assert_int_equal(x->d->errors, 1);
    /* Now a valid version, to check the unescaped text. */
    wz_diags_free(x->d);
    x->d = wz_diags_new(0);
    put(x, "staff.csv", "id,name,hired,fulltime\n"
                        "T001,\"Li\nMing, \"\"Jr\"\"\",2010-09-01,是\n"
                        "\"T002\",two,2015-03-15,\"否\"\n");
    wz_facts *f = load(x);
    assert_non_null(f);
    const wz_fact_table *s = table(f, "staff");
    assert_string_equal(wz_facts_string(f, (uint32_t)wz_column_int(s->columns[1], 0)), "Li\nMing, \"Jr\"");
    assert_string_equal(wz_facts_person_id(f, 1), "T002");
    assert_int_equal(s->line[0], 2);
    assert_int_equal(s->line[1], 4);
}

static void test_blank_lines(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", LEAVE_HEADER "\n"
                        "T001,2019-03-01,病假,1,\n"
                        "\n\n"
                        "T002,2019-03-01,病假,x,\n"
                        "\n\n\n");
    assert_null(load(x));
    assert_diag(x, 0, "DIR/leave.csv:6:4: error: expected a decimal number, found \"x\"");
    assert_int_equal(x->d->errors, 1);
    assert_int_equal(x->d->items->len, 1);
}

static void test_header_any_order_and_optional_file(void **state)
{
    fx *x = *state;
    wz_fact_schema *s = g_ptr_array_index(x->schemas, 1);
    s->file_required = false;
    put(x, "staff.csv", "fulltime,hired,name,id\n"
                        "是,2010-09-01,张三,T001\n"
                        "否,2015-03-15,李四,T002\n");
    wz_facts *f = load(x);
    assert_non_null(f);
    assert_string_equal(wz_facts_person_id(f, 1), "T002");
    const wz_fact_table *t = table(f, "leave");
    assert_false(t->present);
    assert_null(t->file);
    assert_string_equal(t->sha256, "");
    assert_int_equal(t->nrows, 0);
    assert_non_null(t->by_person_start);
    for (int p = 0; p <= 2; p++)
        assert_int_equal(t->by_person_start[p], 0);
    assert_true(wz_column_is_missing(t->columns[0], 0));
}

/* ---- JSONL --------------------------------------------------------------- */

static void test_jsonl_values(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "leave.jsonl",
        "{\"person\": \"T001\", \"date\": \"2019-03-01\", \"kind\": \"\\u75c5\\u5047\", \"days\": 0.1, \"hours\": 4}\n"
        "\n"
        "  {\"hours\": null, \"days\": \"2.50\", \"kind\": \"事假\", \"date\": \"2019-04-10\", \"person\": \"T\\u0030\\u00302\"}\r\n"
        "{\"person\":\"T003\",\"date\":\"2019-05-01\",\"kind\":\"旷工\",\"days\":0.000000000000000001}\n");
    wz_facts *f = load(x);
    assert_non_null(f);
    const wz_fact_table *t = table(f, "leave");
    assert_int_equal(t->nrows, 3);
    assert_int_equal(t->rows_read, 3);
    assert_int_equal(t->line[1], 3);
    assert_true(dec_is(wz_column_dec(t->columns[3], 0), 1, 10)); /* exactly 1/10 */
    assert_true(dec_is(wz_column_dec(t->columns[3], 1), 5, 2));
    wz_dec tiny = wz_column_dec(t->columns[3], 2);
    assert_true(tiny.num == 1);
    assert_true(tiny.den == (wz_i128)1000000000000000000LL);   /* 18 places: the most a cell may have */
    assert_int_equal(wz_column_int(t->columns[2], 0), 0); /* \u escapes of 病假 */
    assert_int_equal(wz_column_int(t->columns[0], 1), 1); /* T002 via \u0030 */
    assert_true(wz_column_is_missing(t->columns[4], 1)); /* null */
    assert_true(wz_column_is_missing(t->columns[4], 2)); /* absent optional key */
    assert_int_equal(wz_column_int(t->columns[4], 0), 4);
    assert_int_equal(t->by_person_start[3], 3);
}

static void test_jsonl_population_and_escapes(void **state)
{
    fx *x = *state;
    put(x, "staff.jsonl",
        "{\"id\":\"T001\",\"name\":\"\\ud83d\\ude00 \\\"q\\\" \\\\ \\/ \\n\",\"hired\":\"2010-09-01\",\"fulltime\":true}\n"
        "{\"id\":\"T002\",\"name\":\"x\",\"hired\":\"2010-09-01\",\"fulltime\":0}\n");
    put(x, "leave.csv", LEAVE_HEADER "T009,2019-03-01,病假,1,\n");
    assert_null(load(x));
    /* Messages about persons name the population's actual file. */
    assert_diag(x, 0, "DIR/leave.csv:2:1: error: expected a person id from staff.jsonl, found \"T009\"");
    wz_diags_free(x->d);
    x->d = wz_diags_new(0);
    put(x, "leave.csv", LEAVE_HEADER);
    wz_facts *f = load(x);
    assert_non_null(f);
    const wz_fact_table *s = table(f, "staff");
    assert_string_equal(wz_facts_string(f, (uint32_t)wz_column_int(s->columns[1], 0)), "😀 \"q\" \\ / \n");
    assert_int_equal(wz_column_int(s->columns[3], 0), 1);
    assert_int_equal(wz_column_int(s->columns[3], 1), 0);
}

static void test_jsonl_errors(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "leave.jsonl",
        "{\"person\":\"T001\",\"date\":20190301,\"kind\":\"病假\",\"days\":1}\n"
        "{\"person\":\"T001\",\"date\":\"2019-03-01\",\"kind\":\"病假\",\"days\":1e3}\n"
        "{\"person\":\"T001\",\"date\":\"2019-03-01\",\"kind\":\"病假\"}\n"
        "{\"person\":\"T001\",\"date\":\"2019-03-01\",\"kind\":\"病假\",\"days\":1,\"note\":\"x\"}\n"
        "{\"person\":\"T001\" \"date\":\"2019-03-01\"}\n"
        "[1,2]\n"
        "{\"person\":\"T001\",\"date\":\"2019-03-01\",\"kind\":\"病假\",\"days\":{\"a\":1}}\n"
        "{\"person\":\"T001\",\"date\":\"2019-03-01\",\"kind\":\"病假\",\"days\":null}\n"
        "{\"person\":\"T001\",\"person\":\"T002\",\"date\":\"2019-03-01\",\"kind\":\"病假\",\"days\":1}\n"
        "{\"person\":\"T001\",\"date\":\"2019-03-01\",\"kind\":\"病假\",\"days\":1} x\n"
        "{\"person\":\"\\ud800\",\"date\":\"2019-03-01\",\"kind\":\"病假\",\"days\":1}\n"
        "{\"person\":\"T001\",\"date\":\"2019-03-01\",\"kind\":\"病假\",\"days\":01}\n"
        "{\"person\":\"T001\",\"date\":\"2019-03-01\",\"kind\":\"病假\",\"days\":\"\"}\n"
        "{\"person\":\"T001\",\"date\n");
    assert_null(load(x));
    assert_diag(x, 0, "DIR/leave.jsonl:1:2: error: expected a date (YYYY-MM-DD), found 20190301");
    assert_diag(x, 1, "DIR/leave.jsonl:2:4: error: expected a decimal number, found 1e3");
    assert_diag(x, 2, "DIR/leave.jsonl:3:4: error: missing field \"days\"");
    assert_diag(x, 3, "DIR/leave.jsonl:4: error: unknown field \"note\"; expected the fields person, date, kind, days, hours");
    assert_diag(x, 4, "DIR/leave.jsonl:5: error: invalid JSON at character 18: expected ',' or '}'");
    assert_diag(x, 5, "DIR/leave.jsonl:6: error: invalid JSON at character 1: expected '{' (each line must be one JSON object)");
    assert_diag(x, 6, "DIR/leave.jsonl:7:4: error: expected a string, number, true, false or null for field \"days\", found an object");
    assert_diag(x, 7, "DIR/leave.jsonl:8:4: error: expected a decimal number, found null");
    assert_diag(x, 8, "DIR/leave.jsonl:9:1: error: duplicate field \"person\"");
    assert_diag(x, 9, "DIR/leave.jsonl:10: error: invalid JSON at character 60: unexpected text after the object");
    assert_diag(x, 10, "DIR/leave.jsonl:11: error: invalid JSON at character 12: unpaired surrogate in a \\u escape");
    assert_diag(x, 11, "DIR/leave.jsonl:12: error: invalid JSON at character 58: expected ',' or '}'");
    assert_diag(x, 12, "DIR/leave.jsonl:13:4: error: expected a decimal number, found \"\"");
    assert_diag(x, 13, "DIR/leave.jsonl:14: error: invalid JSON: expected a closing '\"', found the end of the line");
    assert_int_equal(x->d->errors, 14);
}

static void test_jsonl_invalid_utf8(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "leave.jsonl", "{\"person\":\"T001\",\"date\":\"2019-03-01\",\"kind\":\"\xb2\xa1\",\"days\":1}\n");
    assert_null(load(x));
    assert_diag(x, 0, "DIR/leave.jsonl:1:3: error: invalid UTF-8 (byte 0xb2); save the file as UTF-8");
}

/* ---- one error per kind -------------------------------------------------- */

static void test_err_date(void **state)
{
    expect_leave_error(*state, LEAVE_HEADER "T001,2019-02-28,病假,1,\nT001,2019-02-30,病假,1,\n",
                       "DIR/leave.csv:3:2: error: expected a real calendar date, found \"2019-02-30\", which does not exist");
}

static void test_err_decimal(void **state)
{
    expect_leave_error(*state, LEAVE_HEADER "T001,2019-02-28,病假,abc,\n",
                       "DIR/leave.csv:2:4: error: expected a decimal number, found \"abc\"");
}

static void test_err_enum(void **state)
{
    expect_leave_error(*state, LEAVE_HEADER "T001,2019-02-28,年假,1,\n",
                       "DIR/leave.csv:2:3: error: expected one of 病假, 事假, 旷工, found \"年假\"");
}

static void test_err_int_range(void **state)
{
    expect_leave_error(*state, LEAVE_HEADER "T001,2019-02-28,病假,1,45\n",
                       "DIR/leave.csv:2:5: error: expected a number from 0 to 40, found \"45\"");
}

static void test_err_decimal_range(void **state)
{
    expect_leave_error(*state, LEAVE_HEADER "T001,2019-02-28,病假,-0.5,\n",
                       "DIR/leave.csv:2:4: error: expected a number from 0 to 40, found \"-0.5\"");
}

static void test_err_int_not_integer(void **state)
{
    expect_leave_error(*state, LEAVE_HEADER "T001,2019-02-28,病假,1,1.5\n",
                       "DIR/leave.csv:2:5: error: expected an integer, found \"1.5\"");
}

static void test_err_int_overflow(void **state)
{
    expect_leave_error(*state, LEAVE_HEADER "T001,2019-02-28,病假,1,99999999999999999999\n",
                       "DIR/leave.csv:2:5: error: expected an integer that fits in 64 bits, found \"99999999999999999999\"");
}

static void test_err_spaces(void **state)
{
    expect_leave_error(*state, LEAVE_HEADER "T001,2019-02-28,病假, 12,\n",
                       "DIR/leave.csv:2:4: error: expected a decimal number, found \" 12\"");
}

static void test_err_empty_cell(void **state)
{
    expect_leave_error(*state, LEAVE_HEADER "T001,2019-02-28,病假,,\n",
                       "DIR/leave.csv:2:4: error: expected a decimal number, found an empty cell");
}

static void test_err_unknown_person(void **state)
{
    expect_leave_error(*state, LEAVE_HEADER "T999,2019-02-28,病假,1,\n",
                       "DIR/leave.csv:2:1: error: expected a person id from staff.csv, found \"T999\"");
}

static void test_err_field_count(void **state)
{
    expect_leave_error(*state, LEAVE_HEADER "T001,2019-02-28,病假,1\n",
                       "DIR/leave.csv:2: error: expected 5 fields, found 4");
}

/* A column no field reads is ignored and listed (test_sheets.c has --strict). */
static void test_err_unknown_column(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", "person,date,kind,days,hours,extra\nT001,2019-02-28,病假,1,,anything\n");
    assert_non_null(load(x));
    const wz_fact_table *t = table(x->f, "leave");
    assert_int_equal(t->nrows, 1);
    assert_int_equal(t->ignored_columns->len, 1);
    assert_string_equal(g_ptr_array_index(t->ignored_columns, 0), "extra");
}

static void test_err_missing_column(void **state)
{
    expect_leave_error(*state, "person,date,kind,days\nT001,2019-02-28,病假,1\n",
                       "DIR/leave.csv:1: error: missing column \"hours\"");
}

static void test_err_duplicate_column(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", "person,date,kind,days,date\n");
    assert_null(load(x));
    assert_diag(x, 0, "DIR/leave.csv:1:5: error: duplicate column \"date\" (also column 2)");
    assert_diag(x, 1, "DIR/leave.csv:1: error: missing column \"hours\"");
    assert_int_equal(x->d->errors, 2);
}

static void test_err_duplicate_person(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF "T002,又一个,2019-01-01,是\n");
    put(x, "leave.csv", LEAVE_HEADER "T002,2019-02-28,病假,1,\n");
    assert_null(load(x));
    assert_diag(x, 0, "DIR/staff.csv:5:1: error: duplicate person id \"T002\"; first listed at row 3");
    assert_int_equal(x->d->errors, 1);
}

static void test_err_one_per_person(void **state)
{
    fx *x = *state;
    wz_fact_schema *s = g_ptr_array_index(x->schemas, 1);
    s->one_per_person = true;
    expect_leave_error(x, LEAVE_HEADER "T001,2019-02-28,病假,1,\nT002,2019-02-28,病假,1,\nT001,2019-03-01,病假,1,\n",
                       "DIR/leave.csv:4:1: error: duplicate row for person T001; only one row per person is allowed (first at row 2)");
}

static void test_err_every_person(void **state)
{
    fx *x = *state;
    wz_fact_schema *s = g_ptr_array_index(x->schemas, 1);
    s->every_person = true;
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", LEAVE_HEADER "T002,2019-02-28,病假,1,\n");
    assert_null(load(x));
    assert_diag(x, 0, "DIR/leave.csv: error: no row for person T001; every person in staff.csv needs one");
    assert_diag(x, 1, "DIR/leave.csv: error: no row for person T003; every person in staff.csv needs one");
    assert_int_equal(x->d->errors, 2);
}

static void test_every_person_ok(void **state)
{
    fx *x = *state;
    wz_fact_schema *s = g_ptr_array_index(x->schemas, 1);
    s->every_person = true;
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", LEAVE_HEADER "T003,2019-02-28,病假,1,\nT001,2019-02-28,病假,2,\nT002,2019-02-28,病假,3,\n");
    wz_facts *f = load(x);
    assert_non_null(f);
    const wz_fact_table *t = table(f, "leave");
    assert_int_equal(t->line[t->by_person_start[0]], 3); /* T001's row */
    assert_int_equal(t->line[t->by_person_start[2]], 2); /* T003's row */
}

static void test_err_missing_file(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    assert_null(load(x));
    assert_diag(x, 0, "DIR/leave.csv: error: missing required fact file; the policy's fact 'leave' needs leave.csv, leave.xlsx or leave.jsonl in DIR");
    assert_int_equal(x->d->errors, 1);
}

static void test_err_both_files(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", LEAVE_HEADER);
    put(x, "leave.jsonl", "");
    assert_null(load(x));
    assert_diag(x, 0, "error: both DIR/leave.csv and DIR/leave.jsonl exist; keep only one of them");
}

static void test_err_no_dir(void **state)
{
    fx *x = *state;
    char *missing = g_build_filename(x->dir, "nope", NULL);
    assert_null(wz_facts_load(x->schemas, missing, (wz_period_filter){0}, x->d));
    wz_diag *d = g_ptr_array_index(x->d->items, 0);
    assert_int_equal(d->kind, WZ_DIAG_IO);
    assert_string_equal(d->file, missing);
    g_free(missing);
}

static void test_err_invalid_utf8(void **state)
{
    expect_leave_error(*state, LEAVE_HEADER "T001,2019-02-28,病假,1,\nT001,2019-02-28,\xb2\xa1,1,\n",
                       "DIR/leave.csv:3:3: error: invalid UTF-8 (byte 0xb2); save the file as UTF-8");
}

static void test_err_nul_byte(void **state)
{
    fx *x = *state;
    static const char data[] = LEAVE_HEADER "T001,2019-02-28,病假,1\0,\n";
    put(x, "staff.csv", STAFF);
    put_len(x, "leave.csv", data, sizeof data - 1);
    assert_null(load(x));
    assert_diag(x, 0, "DIR/leave.csv:2:4: error: unexpected NUL byte; the file must be UTF-8 text");
    assert_int_equal(x->d->errors, 1);
}

static void test_err_unterminated_quote(void **state)
{
    expect_leave_error(*state, LEAVE_HEADER "T001,2019-02-28,病假,1,\nT001,2019-02-28,\"病假,1,\n\nT002,x\n",
                       "DIR/leave.csv:3:3: error: unterminated quoted field: no closing quote before the end of the file");
}

static void test_err_text_after_quote(void **state)
{
    expect_leave_error(*state, LEAVE_HEADER "T001,2019-02-28,\"病\"假,1,\n",
                       "DIR/leave.csv:2:3: error: unexpected text after the closing quote of a quoted field");
}

static void test_err_empty_file(void **state)
{
    expect_leave_error(*state, "",
                       "DIR/leave.csv:1: error: missing header row; expected the fields person, date, kind, days, hours");
}

static void test_err_only_bom(void **state)
{
    expect_leave_error(*state, "\xEF\xBB\xBF",
                       "DIR/leave.csv:1: error: missing header row; expected the fields person, date, kind, days, hours");
}

static void test_err_bool(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", "id,name,hired,fulltime\nT001,a,2010-09-01,yes\n");
    put(x, "leave.csv", LEAVE_HEADER);
    assert_null(load(x));
    assert_diag(x, 0, "DIR/staff.csv:2:4: error: expected true, false, 1, 0, 是 or 否, found \"yes\"");
}

static void test_err_quote_in_found(void **state)
{
    expect_leave_error(*state, LEAVE_HEADER "T001,2019-02-28,病假,\"1\"\"\n2\",\n",
                       "DIR/leave.csv:2:4: error: expected a decimal number, found \"1\\\"\\n2\"");
}

static void test_multiple_errors(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", LEAVE_HEADER
                        "T001,2019-13-01,病假,1,\n"
                        "T001,2019-02-28,病假,1,\n"
                        "T404,2019-02-28,年假,x,41\n"
                        "T001\n");
    assert_null(load(x));
    assert_int_equal(x->d->errors, 6);
    assert_diag(x, 0, "DIR/leave.csv:2:2: error: expected a real calendar date, found \"2019-13-01\", which does not exist");
    assert_diag(x, 1, "DIR/leave.csv:4:1: error: expected a person id from staff.csv, found \"T404\"");
    assert_diag(x, 2, "DIR/leave.csv:4:3: error: expected one of 病假, 事假, 旷工, found \"年假\"");
    assert_diag(x, 3, "DIR/leave.csv:4:4: error: expected a decimal number, found \"x\"");
    assert_diag(x, 4, "DIR/leave.csv:4:5: error: expected a number from 0 to 40, found \"41\"");
    assert_diag(x, 5, "DIR/leave.csv:5: error: expected 5 fields, found 1");
}

static void test_errors_in_several_files(void **state)
{
    fx *x = *state;
    /* A bad row in the population does not hide its person from other
     * facts, and both files' errors are reported. */
    put(x, "staff.csv", STAFF "T004,x,2019-02-30,1\n");
    put(x, "leave.csv", LEAVE_HEADER "T004,2019-02-28,病假,1,\nT004,2019-02-28,病假,-1,\n");
    assert_null(load(x));
    assert_int_equal(x->d->errors, 2);
    assert_diag(x, 0, "DIR/staff.csv:5:3: error: expected a real calendar date, found \"2019-02-30\", which does not exist");
    assert_diag(x, 1, "DIR/leave.csv:3:4: error: expected a number from 0 to 40, found \"-1\"");
}

static void test_limit(void **state)
{
    fx *x = *state;
    wz_diags_free(x->d);
    x->d = wz_diags_new(2);
    put(x, "staff.csv", STAFF);
    GString *csv = g_string_new(LEAVE_HEADER);
    for (int i = 0; i < 1000; i++)
        g_string_append(csv, "T001,2019-02-28,病假,bad,\n");
    put(x, "leave.csv", csv->str);
    g_string_free(csv, TRUE);
    assert_null(load(x));
    assert_int_equal(x->d->errors, 2);
    assert_int_equal(x->d->items->len, 2);
    assert_int_equal(x->d->dropped, 998);
    assert_diag(x, 1, "DIR/leave.csv:3:4: error: expected a decimal number, found \"bad\"");
}

static void test_optional_missing_cells(void **state)
{
    fx *x = *state;
    wz_fact_schema *s = g_ptr_array_index(x->schemas, 1);
    for (guint i = 1; i < s->fields->len; i++)
        ((wz_field_schema *)g_ptr_array_index(s->fields, i))->optional = true;
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", LEAVE_HEADER "T001,,,,\nT002,2019-02-28,事假,1.5,2\n");
    wz_period_filter p = {true, wz_date_from_ymd(2019, 1, 1), wz_date_from_ymd(2019, 6, 30)};
    wz_facts *f = load_period(x, p);
    assert_non_null(f);
    const wz_fact_table *t = table(f, "leave");
    assert_int_equal(t->nrows, 2); /* an undated row is kept */
    for (guint c = 1; c < 5; c++) {
        assert_true(wz_column_is_missing(t->columns[c], 0));
        assert_false(wz_column_is_missing(t->columns[c], 1));
    }
    assert_true(dec_is(wz_column_dec(t->columns[3], 0), 0, 1));
    assert_true(dec_is(wz_column_dec(t->columns[3], 1), 3, 2));
    assert_false(wz_column_is_missing(t->columns[0], 0));
}

static void test_missing_bit_cleared_on_reuse(void **state)
{
    fx *x = *state;
    /* Row 2 (missing hours) is outside the period, so row 3 reuses its
     * slot: its present value must not inherit the missing bit. */
    put(x, "staff.csv", STAFF);
    put(x, "leave.csv", LEAVE_HEADER "T001,2018-01-01,病假,1,\nT001,2019-02-01,病假,1,7\n");
    wz_period_filter p = {true, wz_date_from_ymd(2019, 1, 1), wz_date_from_ymd(2019, 6, 30)};
    wz_facts *f = load_period(x, p);
    assert_non_null(f);
    const wz_fact_table *t = table(f, "leave");
    assert_int_equal(t->nrows, 1);
    assert_false(wz_column_is_missing(t->columns[4], 0));
    assert_int_equal(wz_column_int(t->columns[4], 0), 7);
}

/* ---- params.csv ---------------------------------------------------------- */

static void test_params(void **state)
{
    fx *x = *state;
    GPtrArray *ps = wz_params_load(x->dir, x->d);
    assert_non_null(ps);
    assert_int_equal(ps->len, 0); /* no file: no parameters */
    g_ptr_array_unref(ps);

    put(x, "params.csv", "\xEF\xBB\xBFname,value\r\n"
                         "rate,0.5\r\n"
                         "\r\n"
                         "label,\"a, b\"\r\n");
    ps = wz_params_load(x->dir, x->d);
    assert_non_null(ps);
    assert_int_equal(ps->len, 2);
    wz_param_entry *e = g_ptr_array_index(ps, 1);
    assert_string_equal(e->name, "label");
    assert_string_equal(e->value, "a, b");
    assert_int_equal(e->row, 4);
    char *want = g_build_filename(x->dir, "params.csv", NULL);
    assert_string_equal(e->file, want);
    g_free(want);
    g_ptr_array_unref(ps);
    assert_int_equal(x->d->items->len, 0);
}

static void test_params_errors(void **state)
{
    fx *x = *state;
    put(x, "params.csv", "name,value\nrate,1\nx\nrate,2\n,3\n");
    assert_null(wz_params_load(x->dir, x->d));
    assert_int_equal(x->d->errors, 3);
    assert_diag(x, 0, "DIR/params.csv:3: error: expected 2 fields, found 1");
    assert_diag(x, 1, "DIR/params.csv:4:1: error: duplicate parameter \"rate\"; first at row 2");
    assert_diag(x, 2, "DIR/params.csv:5:1: error: expected a parameter name, found an empty cell");

    wz_diags_free(x->d);
    x->d = wz_diags_new(0);
    put(x, "params.csv", "value,name\n");
    assert_null(wz_params_load(x->dir, x->d));
    assert_diag(x, 0, "DIR/params.csv:1: error: expected the header \"name,value\"");
}

/* ---- schemas ------------------------------------------------------------- */

static void test_schema_helpers(void **state)
{
    (void)state;
    assert_string_equal(wz_field_type_name(WZ_FT_TEXT), "text");
    assert_string_equal(wz_field_type_name(WZ_FT_INT), "int");
    assert_string_equal(wz_field_type_name(WZ_FT_DECIMAL), "decimal");
    assert_string_equal(wz_field_type_name(WZ_FT_DATE), "date");
    assert_string_equal(wz_field_type_name(WZ_FT_BOOL), "bool");
    assert_string_equal(wz_field_type_name(WZ_FT_ENUM), "enum");
    assert_string_equal(wz_field_type_name(WZ_FT_PERSON), "person");
    wz_fact_schema *s = wz_fact_schema_new("x");
    assert_int_equal(s->key_field, -1);
    assert_int_equal(s->person_field, -1);
    assert_int_equal(s->date_field, -1);
    wz_field_schema *f = wz_fact_schema_add_field(s, "a", WZ_FT_INT);
    assert_string_equal(f->name, "a");
    assert_int_equal(s->fields->len, 1);
    assert_false(f->optional);
    wz_fact_schema_free(s);
    wz_fact_schema_free(NULL);
}

/* ---- parallel loading ---------------------------------------------------- */

/* wz_facts_load_threads() must give the same result for any thread count.
 * The files are a few MiB so that they are read in chunks (see
 * facts_parallel.c): 200 persons × 1000 days of leave-like rows, some
 * outside the period, some with a missing optional cell, blank lines here
 * and there, and optionally bad rows spread over the whole file. */

#define BIG_PERSONS 200
#define BIG_DAYS 1000

typedef struct big_opts {
    bool crlf;        /* CRLF line breaks, a BOM and blank lines before the header */
    bool bad;         /* bad rows of every kind, all over the file */
    bool no_final_nl; /* the last row has no line break */
    bool quote;       /* one quoted cell (the file must be read sequentially) */
    bool lone_cr;     /* one old-Mac line break (likewise) */
} big_opts;

/* put_len() without the fsync of g_file_set_contents(): the files are big. */
static void put_big(fx *x, const char *name, const GString *s)
{
    char *p = g_build_filename(x->dir, name, NULL);
    assert_true(g_file_set_contents_full(p, s->str, (gssize)s->len, G_FILE_SET_CONTENTS_NONE, 0644, NULL));
    g_free(p);
}

static void put_big_staff(fx *x, bool bad)
{
    GString *s = g_string_new("id,name,hired,fulltime\n");
    for (int p = 0; p < BIG_PERSONS; p++)
        g_string_append_printf(s, "T%03d,教师%d,2010-09-01,%s\n", p, p, p % 2 ? "是" : "0");
    if (bad)
        g_string_append(s, "T900,坏,2010-02-30,1\n");
    put_big(x, "staff.csv", s);
    g_string_free(s, TRUE);
}

static void put_big_leave(fx *x, big_opts o)
{
    static const char *kinds[] = {"病假", "事假", "旷工"};
    const char *nl = o.crlf ? "\r\n" : "\n";
    GString *s = g_string_new(NULL);
    if (o.crlf)
        g_string_append_printf(s, "\xEF\xBB\xBF%s%s", nl, nl);
    g_string_append_printf(s, "person,date,kind,days,hours%s", nl);
    GDate *d = g_date_new_dmy(1, G_DATE_JANUARY, 2012);
    uint32_t r = 0;
    for (int day = 0; day < BIG_DAYS; day++) {
        char ds[16];
        g_date_strftime(ds, sizeof ds, "%Y-%m-%d", d);
        for (int i = 0; i < BIG_PERSONS; i++, r++) {
            int p = (i * 7 + day) % BIG_PERSONS; /* persons in a changing order */
            if (o.bad && r % 9973 == 9972) {
                switch ((r / 9973) % 8) {
                case 0: g_string_append_printf(s, "T%03d,2019-02-30,病假,1,%s", p, nl); break;
                case 1: g_string_append_printf(s, "X%03d,%s,病假,1,%s", p, ds, nl); break;
                case 2: g_string_append_printf(s, "T%03d,%s,病假%s", p, ds, nl); break;
                case 3: g_string_append_printf(s, "T%03d,%s,\xff\xfe,1,%s", p, ds, nl); break;
                case 4: g_string_append_printf(s, "T%03d,%s,事假,1,99%s", p, ds, nl); break;
                case 5: g_string_append_printf(s, "T%03d,%s,年假,abc,%s", p, ds, nl); break;
                case 6: g_string_append_printf(s, "T%03d,2011-05-05,病假,,%s", p, nl); break;
                default: g_string_append_printf(s, "T%03d,%s,病假,1,3%c%s", p, ds, 0, nl); break;
                }
                continue;
            }
            if (o.quote && r == 100000) {
                g_string_append_printf(s, "T%03d,%s,\"病假\",\"1.5\",%s", p, ds, nl);
                continue;
            }
            g_string_append_printf(s, "T%03d,%s,%s,%u.%u,", p, ds, kinds[r % 3], r % 40, r % 10);
            if (r % 11 != 0)
                g_string_append_printf(s, "%u", r % 41);
            g_string_append(s, o.lone_cr && r == 150000 ? "\r" : nl);
            if (r % 7919 == 0)
                g_string_append(s, nl);
        }
        g_date_add_days(d, 1);
    }
    g_date_free(d);
    if (o.no_final_nl)
        g_string_truncate(s, s->len - strlen(nl));
    assert_true(s->len > 5 * 1024 * 1024);
    put_big(x, "leave.csv", s);
    g_string_free(s, TRUE);
}

/* Loads with a fresh diags list; the period cuts off rows at both ends of
 * the file (which runs from 2012-01-01 to 2014-09-26). */
static wz_facts *load_threads(fx *x, int threads, guint limit)
{
    wz_diags_free(x->d);
    x->d = wz_diags_new(limit);
    wz_period_filter p = {true, wz_date_from_ymd(2012, 4, 10), wz_date_from_ymd(2014, 6, 30)};
    return wz_facts_load_threads(x->schemas, x->dir, p, threads, x->d);
}


static const int big_threads[] = {2, 3, 7};

/* Loads with 1 thread, then with each of big_threads: the facts (or, when
 * the load fails, the diagnostics) must be the same.  chunked: the files
 * that are read in chunks by each multi-threaded load. */
static void assert_same_for_any_threads(fx *x, guint limit, int chunked)
{
    wz_facts *base = load_threads(x, 1, limit);
    wz_diags *base_d = x->d;
    x->d = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(big_threads); i++) {
        gint before = g_atomic_int_get(&wz_facts_parallel_files);
        wz_facts *f = load_threads(x, big_threads[i], limit);
        assert_int_equal(g_atomic_int_get(&wz_facts_parallel_files) - before, chunked);
        assert_true((f == NULL) == (base == NULL));
        test_assert_same_diags(base_d, x->d);
        if (f)
            test_assert_same_facts(base, f);
        wz_facts_free(f);
    }
    wz_facts_free(base);
    wz_diags_free(base_d);
}

static void test_threads_same_facts(void **state)
{
    fx *x = *state;
    put_big_staff(x, false);
    put_big_leave(x, (big_opts){0});
    assert_same_for_any_threads(x, 0, 1);
    /* and the content is right, not only the same */
    wz_facts *f = load_threads(x, 3, 0);
    assert_non_null(f);
    const wz_fact_table *t = table(f, "leave");
    assert_int_equal(t->rows_read, BIG_PERSONS * BIG_DAYS);
    assert_true(t->rows_ignored > 0);
    assert_int_equal(t->nrows + t->rows_ignored, t->rows_read);
    /* T000 first appears inside the period on day 100, after rows 0..20099
     * (the header and three blank lines before it) */
    assert_int_equal(t->line[0], 20105);
    assert_int_equal(wz_column_int(t->columns[0], 0), 0);
    for (uint32_t p = 0; p < BIG_PERSONS; p++)
        for (uint32_t r = t->by_person_start[p]; r < t->by_person_start[p + 1]; r++) {
            assert_int_equal(wz_column_int(t->columns[0], r), p);
            if (r > t->by_person_start[p])
                assert_true(t->line[r] > t->line[r - 1]);   /* file order within a person */
        }
    wz_facts_free(f);
}

static void test_threads_crlf_bom_no_final_newline(void **state)
{
    fx *x = *state;
    put_big_staff(x, false);
    put_big_leave(x, (big_opts){.crlf = true, .no_final_nl = true});
    assert_same_for_any_threads(x, 0, 1);
}

static void test_threads_same_errors(void **state)
{
    fx *x = *state;
    put_big_staff(x, false);
    put_big_leave(x, (big_opts){.bad = true});
    assert_same_for_any_threads(x, 0, 1);
    assert_int_equal(load_threads(x, 1, 0), NULL);
    assert_int_equal(x->d->errors, 22);   /* every kind of bad row, more than once */
    assert_diag(x, 6, "DIR/leave.csv:59847:4: error: expected a decimal number, found \"abc\"");
    assert_diag(x, 21, "DIR/leave.csv:199487:3: error: invalid UTF-8 (byte 0xff); save the file as UTF-8");
    /* CRLF: the row numbers still count lines */
    put_big_leave(x, (big_opts){.bad = true, .crlf = true});
    assert_same_for_any_threads(x, 0, 1);
}

static void test_threads_same_limit(void **state)
{
    fx *x = *state;
    put_big_staff(x, false);
    put_big_leave(x, (big_opts){.bad = true});
    /* the limit falls in the first chunk, in a later one, or past the end */
    static const guint limits[] = {1, 7, 1000};
    for (size_t i = 0; i < G_N_ELEMENTS(limits); i++)
        assert_same_for_any_threads(x, limits[i], 1);
    assert_null(load_threads(x, 7, 5));
    assert_int_equal(x->d->errors, 5);
    assert_int_equal(x->d->items->len, 5);
    assert_true(x->d->dropped > 0);
    /* errors before the file: the population's bad row counts first (with
     * limit 1, the list is full before the file is read) */
    put_big_staff(x, true);
    assert_same_for_any_threads(x, 3, 1);
    assert_same_for_any_threads(x, 1, 1);
    assert_int_equal(x->d->items->len, 1);
    assert_int_equal(x->d->dropped, 22);
}

static void test_threads_quotes_lone_cr_fall_back(void **state)
{
    fx *x = *state;
    put_big_staff(x, false);
    put_big_leave(x, (big_opts){.quote = true});
    assert_same_for_any_threads(x, 0, 0);
    wz_facts *f = load_threads(x, 2, 0);
    assert_non_null(f);
    const wz_fact_table *t = table(f, "leave");
    assert_int_equal(t->rows_read, BIG_PERSONS * BIG_DAYS);
    wz_facts_free(f);

    put_big_leave(x, (big_opts){.lone_cr = true, .bad = true});
    assert_same_for_any_threads(x, 0, 0);
    /* the CR counts as a line break: rows after it are numbered on */
    assert_null(load_threads(x, 2, 0));
    assert_diag(x, 21, "DIR/leave.csv:199487:3: error: invalid UTF-8 (byte 0xff); save the file as UTF-8");
}

static void test_threads_text_field_falls_back(void **state)
{
    fx *x = *state;
    /* a text field is interned into the shared string table: sequential */
    wz_fact_schema *s = g_ptr_array_index(x->schemas, 1);
    ((wz_field_schema *)g_ptr_array_index(s->fields, 2))->type = WZ_FT_TEXT;
    put_big_staff(x, false);
    put_big_leave(x, (big_opts){.bad = true});
    assert_same_for_any_threads(x, 0, 0);
}

/* ---- robustness ---------------------------------------------------------- */

/* Random and mangled inputs must never crash (run under ASan/UBSan). */
static void test_fuzz(void **state)
{
    fx *x = *state;
    static const char *pieces[] = {
        "T001", "T002", ",", "\n", "\r\n", "\r", "\"", "\"\"", "2019-02-28", "病假", "1.5", "{", "}",
        "[", ":", "\\u", "\\ud800", "null", "\xff", "\0", "\xEF\xBB\xBF", "person,date,kind,days,hours\n",
        "\"person\"", "-", "1e", " ", "\\", "\"days\":",
    };
    GRand *r = g_rand_new_with_seed(20190901);
    put(x, "staff.csv", STAFF);
    for (int round = 0; round < 300; round++) {
        GString *s = g_string_new(NULL);
        int n = g_rand_int_range(r, 0, 60);
        for (int i = 0; i < n; i++) {
            const char *p = pieces[g_rand_int_range(r, 0, G_N_ELEMENTS(pieces))];
            g_string_append_len(s, p, *p ? (gssize)strlen(p) : 1);
        }
        const char *name = round % 2 ? "leave.jsonl" : "leave.csv";
        const char *other = round % 2 ? "leave.csv" : "leave.jsonl";
        char *op = g_build_filename(x->dir, other, NULL);
        g_remove(op);
        g_free(op);
        put_len(x, name, s->str, s->len);
        wz_diags_free(x->d);
        x->d = wz_diags_new(round % 3 ? 0 : 1);
        wz_facts *f = load(x);
        if (f == NULL)
            assert_true(wz_diags_has_errors(x->d));
        else
            assert_false(wz_diags_has_errors(x->d));
        g_string_free(s, TRUE);
    }
    g_rand_free(r);
}

/* The ASCII-skipping UTF-8 check agrees with GLib's on text with CJK runs,
 * broken sequences, NUL bytes, and every cut point. */
static void test_utf8_fast_check_agrees_with_glib(void **state)
{
    (void)state;
    GRand *rand = g_rand_new_with_seed(11);
    const char *pieces[] = {"T001,2019-09-01,病假,1\n", "abcdefghijklmnop", "\xe7\x97", "\xff", "\0", "王建国", "\xc3\xa9",
                            "0123456789012345678901234567890"};
    for (int round = 0; round < 3000; round++) {
        GString *g = g_string_new(NULL);
        int n = g_rand_int_range(rand, 0, 12);
        for (int k = 0; k < n; k++) {
            const char *pc = pieces[g_rand_int_range(rand, 0, G_N_ELEMENTS(pieces))];
            g_string_append_len(g, pc, pc[0] ? (gssize)strlen(pc) : 1);
        }
        for (gsize cut = 0; cut <= g->len; cut += 1 + g->len / 7)
            assert_int_equal(wz_facts_utf8_valid(g->str, cut), g_utf8_validate_len(g->str, cut, NULL));
        g_string_free(g, TRUE);
    }
    g_rand_free(rand);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_fast_check_agrees_with_glib),
        T(test_values),
        T(test_sha256),
        T(test_group_by_person),
        T(test_release_rows_keeps_the_population),
        T(test_period_filter),
        T(test_period_still_validates),
        T(test_interning),
        T(test_bom_crlf),
        T(test_quoted_fields),
        T(test_blank_lines),
        T(test_header_any_order_and_optional_file),
        T(test_jsonl_values),
        T(test_jsonl_population_and_escapes),
        T(test_jsonl_errors),
        T(test_jsonl_invalid_utf8),
        T(test_err_date),
        T(test_err_decimal),
        T(test_err_enum),
        T(test_err_int_range),
        T(test_err_decimal_range),
        T(test_err_int_not_integer),
        T(test_err_int_overflow),
        T(test_err_spaces),
        T(test_err_empty_cell),
        T(test_err_unknown_person),
        T(test_err_field_count),
        T(test_err_unknown_column),
        T(test_err_missing_column),
        T(test_err_duplicate_column),
        T(test_err_duplicate_person),
        T(test_err_one_per_person),
        T(test_err_every_person),
        T(test_every_person_ok),
        T(test_err_missing_file),
        T(test_err_both_files),
        T(test_err_no_dir),
        T(test_err_invalid_utf8),
        T(test_err_nul_byte),
        T(test_err_unterminated_quote),
        T(test_err_text_after_quote),
        T(test_err_empty_file),
        T(test_err_only_bom),
        T(test_err_bool),
        T(test_err_quote_in_found),
        T(test_multiple_errors),
        T(test_errors_in_several_files),
        T(test_limit),
        T(test_optional_missing_cells),
        T(test_missing_bit_cleared_on_reuse),
        T(test_params),
        T(test_params_errors),
        T(test_schema_helpers),
        T(test_threads_same_facts),
        T(test_threads_crlf_bom_no_final_newline),
        T(test_threads_same_errors),
        T(test_threads_same_limit),
        T(test_threads_quotes_lone_cr_fall_back),
        T(test_threads_text_field_falls_back),
        T(test_fuzz),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
