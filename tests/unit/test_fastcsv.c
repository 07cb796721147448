/* test_fastcsv.c — the typed fast path for plain person/date/int/enum rows
 * (interp/facts_fastcsv.c) against the general CSV path.
 *
 * Every test loads the same facts directory twice, with the fast path on and
 * off, and requires the same facts (values, missing bits, row numbers,
 * counters, grouping) or the same diagnostics, rendered, in the same order.
 * Each also says how many records the fast path itself took, so a test
 * cannot pass by the fast path quietly never running: the rows it must hand
 * to the general path (quotes, BOM, CRLF, GB18030, odd dates, empty cells,
 * bad values) are counted out.  The messages of the general path are pinned
 * by test_facts.c; a few are repeated here to show the fallback reached it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <string.h>

#include "facts.h"
#include "facts_internal.h"   /* wz_facts_fast_enabled, wz_facts_fast_rows_read */
#include "test_util.h"

typedef struct fx {
    char *dir;
    GPtrArray *schemas;   /* staff, signin */
} fx;

static wz_fact_schema *staff_schema(void)
{
    wz_fact_schema *s = wz_fact_schema_new("staff");
    s->is_population = true;
    s->file_required = true;
    wz_fact_schema_add_field(s, "id", WZ_FT_TEXT);
    wz_fact_schema_add_field(s, "hired", WZ_FT_DATE);
    s->key_field = 0;
    return s;
}

/* signin: person, date, missed (int 0..100), shift (enum 早/晚) — the shape
 * the fast path takes; without shift, the sign-in shape its loop of its own
 * takes (setup_pdi). */
static wz_fact_schema *signin_schema(bool shift)
{
    wz_fact_schema *s = wz_fact_schema_new("signin");
    s->file_required = true;
    wz_fact_schema_add_field(s, "id", WZ_FT_PERSON);
    s->person_field = 0;
    wz_fact_schema_add_field(s, "date", WZ_FT_DATE);
    s->date_field = 1;
    wz_field_schema *m = wz_fact_schema_add_field(s, "missed", WZ_FT_INT);
    m->has_min = m->has_max = true;
    m->min = wz_dec_from_int(0);
    m->max = wz_dec_from_int(100);
    if (!shift)
        return s;
    wz_field_schema *k = wz_fact_schema_add_field(s, "shift", WZ_FT_ENUM);
    k->enum_values = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(k->enum_values, g_strdup("早"));
    g_ptr_array_add(k->enum_values, g_strdup("晚"));
    return s;
}

static int setup_shape(void **state, bool shift)
{
    fx *x = g_new0(fx, 1);
    x->dir = g_dir_make_tmp("wz-fastcsv-XXXXXX", NULL);
    if (x->dir == NULL)
        return -1;
    x->schemas = g_ptr_array_new_with_free_func((GDestroyNotify)wz_fact_schema_free);
    g_ptr_array_add(x->schemas, staff_schema());
    g_ptr_array_add(x->schemas, signin_schema(shift));
    *state = x;
    return 0;
}

static int setup(void **state)
{
    return setup_shape(state, true);
}

static int setup_pdi(void **state)
{
    return setup_shape(state, false);
}

static int teardown(void **state)
{
    fx *x = *state;
    test_remove_tree(x->dir);
    g_free(x->dir);
    g_ptr_array_unref(x->schemas);
    g_free(x);
    wz_facts_fast_enabled = true;
    return 0;
}

static void put(fx *x, const char *name, const char *data)
{
    test_put_file(x->dir, name, data, strlen(data));
}

#define STAFF "id,hired\nT1,2010-09-01\nT2,2011-09-01\nT3,2012-09-01\n"
#define HEADER "id,date,missed,shift\n"

static wz_facts *load_one(fx *x, bool fast, int threads, wz_diags *d)
{
    wz_facts_fast_enabled = fast;
    wz_period_filter p = {true, wz_date_from_ymd(2019, 9, 1), wz_date_from_ymd(2020, 7, 15)};
    wz_facts *f = wz_facts_load_threads(x->schemas, x->dir, p, threads, d);
    wz_facts_fast_enabled = true;
    return f;
}


/* Loads with the fast path off and on (with `threads` threads), requires the
 * same outcome, and that the fast path took exactly `fast_rows` records.
 * Returns the facts of the fast load (or NULL) and its diagnostics in *dout. */
static wz_facts *load_both(fx *x, int threads, gint fast_rows, wz_diags **dout)
{
    wz_diags *dg = wz_diags_new(0), *df = wz_diags_new(0);
    wz_facts *g = load_one(x, false, threads, dg);
    gint before = g_atomic_int_get(&wz_facts_fast_rows_read);
    wz_facts *f = load_one(x, true, threads, df);
    assert_int_equal(g_atomic_int_get(&wz_facts_fast_rows_read) - before, fast_rows);
    assert_true((f == NULL) == (g == NULL));
    test_assert_same_diags(dg, df);
    if (f)
        test_assert_same_facts(g, f);
    wz_facts_free(g);
    wz_diags_free(dg);
    *dout = df;
    return f;
}

static const wz_fact_table *signin(const wz_facts *f)
{
    return g_ptr_array_index(f->tables, 1);
}

static void assert_diag(const fx *x, const wz_diags *d, guint i, const char *expected_after_dir)
{
    assert_true(i < d->items->len);
    char *got = wz_diag_render(g_ptr_array_index(d->items, i));
    char *want = g_strdup_printf("%s/signin.csv:%s", x->dir, expected_after_dir);
    assert_string_equal(got, want);
    g_free(got);
    g_free(want);
}

/* ---- rows the fast path takes -------------------------------------------- */

static void test_clean_rows(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    /* persons in order, repeated, out of order; the same date and a new one;
     * a row outside the period (skipped, its slot reused); leading zeros */
    put(x, "signin.csv", HEADER "T1,2019-09-02,0,早\nT2,2019-09-02,3,晚\nT3,2019-09-02,100,早\n"
                                "T3,2019-09-03,007,晚\nT1,2019-09-03,1,早\nT2,2019-08-30,5,早\nT2,2019-09-04,2,晚\n");
    wz_diags *d;
    wz_facts *f = load_both(x, 1, 7, &d);
    assert_non_null(f);
    const wz_fact_table *t = signin(f);
    assert_int_equal(t->nrows, 6);
    assert_int_equal(t->rows_read, 7);
    assert_int_equal(t->rows_ignored, 1);
    /* grouped by person: T1's rows, then T2's, then T3's */
    static const int64_t missed[] = {0, 1, 3, 2, 100, 7};
    static const uint32_t lines[] = {2, 6, 3, 8, 4, 5};
    for (uint32_t r = 0; r < 6; r++) {
        assert_int_equal(wz_column_int(t->columns[2], r), missed[r]);
        assert_int_equal(t->line[r], lines[r]);
    }
    assert_int_equal(wz_column_int(t->columns[1], 0), wz_date_from_ymd(2019, 9, 2));
    assert_int_equal(wz_column_int(t->columns[3], 2), 1);   /* 晚 */
    wz_facts_free(f);
    wz_diags_free(d);
}

static void test_columns_in_any_order(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "signin.csv", "shift,missed,date,id\n早,2,2019-10-01,T2\n晚,0,2019-10-01,T3\n");
    wz_diags *d;
    wz_facts *f = load_both(x, 1, 2, &d);
    assert_non_null(f);
    assert_int_equal(wz_column_int(signin(f)->columns[0], 0), 1);   /* T2 */
    wz_facts_free(f);
    wz_diags_free(d);
}

static void test_crlf_bom_no_final_newline(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    /* the BOM is skipped before the header; CRLF ends records; the last
     * record has no line break at all */
    put(x, "signin.csv", "\xEF\xBB\xBF" "id,date,missed,shift\r\nT1,2019-09-02,1,早\r\nT2,2019-09-02,2,晚\r\nT3,2019-09-02,3,早");
    wz_diags *d;
    wz_facts *f = load_both(x, 1, 3, &d);
    assert_non_null(f);
    assert_int_equal(signin(f)->nrows, 3);
    assert_int_equal(signin(f)->line[2], 4);
    wz_facts_free(f);
    wz_diags_free(d);
}

/* ---- records handed to the general path, one by one ---------------------- */

static void test_odd_rows_fall_back(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "signin.csv", HEADER
        "T1,2019-09-02,1,早\n"       /* fast */
        "\n"                         /* blank line */
        ",,,\n"                      /* a row of empty cells */
        "T2,2019/9/3,1,早\n"         /* Excel's date form: valid, general path */
        "T3,2019-09-03,+4,晚\n"      /* a sign: valid, general path */
        "T1,2019-09-04,1,早\r"       /* a lone CR ends this record */
        "T2,2019-09-04,2,晚\n"       /* fast */
        "T3,2019-09-05,1,早\r\n"     /* fast (CRLF) */
        "T1,2019-09-06,0000000000000000012,早\n");   /* 19 digits: general path */
    wz_diags *d;
    wz_facts *f = load_both(x, 1, 3, &d);
    assert_non_null(f);
    const wz_fact_table *t = signin(f);
    assert_int_equal(t->rows_blank, 1);
    assert_int_equal(t->nrows, 7);
    wz_facts_free(f);
    wz_diags_free(d);
}

static void test_bad_rows_exact_messages(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "signin.csv", HEADER
        "T1,2019-09-02,1,早\n"
        "T9,2019-09-02,1,早\n"          /* unknown person */
        "T2,2019-02-30,1,早\n"          /* no such day */
        "T2,2019-09-02,101,早\n"        /* out of range */
        "T2,2019-09-02,-1,早\n"         /* out of range, with a sign */
        "T2,2019-09-02,,早\n"           /* empty cell */
        "T2,2019-09-02, 1,早\n"         /* a blank in a number */
        "T2,2019-09-02,1,中\n"          /* not an enum label */
        "T2,2019-09-02,1\n"             /* a field short */
        "T2,2019-09-02,1,早,x\n"        /* a field too many */
        "T3,2019-09-02,99999999999999999999,早\n"   /* overflow */
        "T3,2019-09-03,2,晚\n");
    wz_diags *d;
    wz_facts *f = load_both(x, 1, 2, &d);
    assert_null(f);
    assert_int_equal(d->errors, 10);
    assert_diag(x, d, 0, "3:1: error: expected a person id from staff.csv, found \"T9\"");
    assert_diag(x, d, 1, "4:2: error: expected a real calendar date, found \"2019-02-30\", which does not exist");
    assert_diag(x, d, 2, "5:3: error: expected a number from 0 to 100, found \"101\"");
    assert_diag(x, d, 7, "10: error: expected 4 fields, found 3");
    assert_diag(x, d, 8, "11: error: expected 4 fields, found 5");
    wz_diags_free(d);
}

/* Most records need the general path: after the first few the rest of the
 * file goes to it whole (the same result, no slower than before). */
static void test_mostly_odd_file_handed_over(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    GString *s = g_string_new(HEADER);
    for (int i = 0; i < 500; i++)
        g_string_append_printf(s, "T%d,2019/10/%d,%d,早\n", 1 + i % 3, 1 + i % 28, i % 50);
    put(x, "signin.csv", s->str);
    g_string_free(s, TRUE);
    wz_diags *d;
    wz_facts *f = load_both(x, 1, 0, &d);
    assert_non_null(f);
    assert_int_equal(signin(f)->nrows, 500);
    wz_facts_free(f);
    wz_diags_free(d);
}

/* ---- files the fast path does not take ------------------------------------ */

static void test_quotes_not_taken(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "signin.csv", HEADER "T1,2019-09-02,1,早\n\"T2\",2019-09-02,1,晚\n");
    wz_diags *d;
    wz_facts *f = load_both(x, 1, 0, &d);
    assert_non_null(f);
    assert_int_equal(signin(f)->nrows, 2);
    wz_facts_free(f);
    wz_diags_free(d);
}

static void test_invalid_utf8_not_taken(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "signin.csv", HEADER "T1,2019-09-02,1,早\nT2,2019-09-02,1,\xff\n");
    wz_diags *d;
    wz_facts *f = load_both(x, 1, 0, &d);
    assert_null(f);
    assert_int_equal(d->errors, 1);
    wz_diags_free(d);
}

/* A GB18030 file is decoded to UTF-8 first; its rows then take the fast path. */
static void test_gb18030_decoded_then_fast(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    /* 早 = D4 E7 and 晚 = CD ED in GB18030 */
    put(x, "signin.csv", HEADER "T1,2019-09-02,1,\xD4\xE7\nT2,2019-09-02,2,\xCD\xED\n");
    wz_diags *d;
    wz_facts *f = load_both(x, 1, 2, &d);
    assert_non_null(f);
    assert_string_equal(signin(f)->encoding, "gb18030");
    assert_int_equal(wz_column_int(signin(f)->columns[3], 1), 1);
    wz_facts_free(f);
    wz_diags_free(d);
}

static void test_extra_column_not_taken(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "signin.csv", "id,date,missed,shift,备注\nT1,2019-09-02,1,早,x\n");
    wz_diags *d;
    wz_facts *f = load_both(x, 1, 0, &d);
    assert_non_null(f);
    wz_facts_free(f);
    wz_diags_free(d);
}

/* ---- the sign-in shape: person, date, int ----------------------------------- */

static void test_pdi_rows(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "signin.csv", "id,date,missed\n"
        "T1,2019-09-02,0\n"          /* fast */
        "T2,2019-09-02,12\r\n"      /* fast (CRLF) */
        "T3,2019/9/2,1\n"            /* Excel's date form: general path */
        "T1,2019-09-03,+1\n"         /* a sign: general path */
        "\n"                         /* blank line */
        "T2,2019-08-30,4\n"          /* fast, outside the period */
        "T3,2019-09-03,7");           /* fast, no final line break */
    wz_diags *d;
    wz_facts *f = load_both(x, 1, 4, &d);
    assert_non_null(f);
    const wz_fact_table *t = signin(f);
    assert_int_equal(t->nrows, 5);
    assert_int_equal(t->rows_ignored, 1);
    assert_int_equal(wz_column_int(t->columns[2], 2), 12);
    assert_int_equal(t->line[4], 8);   /* grouped: T1 2, 5; T2 3; T3 4, 8 */
    wz_facts_free(f);
    wz_diags_free(d);
}

static void test_pdi_bad_rows(void **state)
{
    fx *x = *state;
    put(x, "staff.csv", STAFF);
    put(x, "signin.csv", "id,date,missed\n"
        "T1,2019-09-02,1\n"
        "T9,2019-09-02,1\n"          /* unknown person */
        "T2,2019-13-01,1\n"          /* no such month */
        "T2,2019-09-02,101\n"        /* out of range */
        "T2,2019-09-02,\n"           /* empty cell */
        "T2,2019-09-02,1,x\n"        /* a field too many */
        "T2,2019-09-02\n"            /* a field short */
        "T2,2019-09-0,1\n"           /* 9 characters: no date */
        "T3,2019-09-03,2\n");
    wz_diags *d;
    wz_facts *f = load_both(x, 1, 2, &d);
    assert_null(f);
    assert_int_equal(d->errors, 7);
    assert_diag(x, d, 0, "3:1: error: expected a person id from staff.csv, found \"T9\"");
    assert_diag(x, d, 2, "5:3: error: expected a number from 0 to 100, found \"101\"");
    assert_diag(x, d, 4, "7: error: expected 3 fields, found 4");
    wz_diags_free(d);
}

/* ---- column widths ---------------------------------------------------------- */

/* An INT whose bounds leave int32 (here: none) keeps 64-bit values; dates,
 * enums, persons and a bounded INT are stored in 32 bits. */
static void test_wide_and_narrow_columns(void **state)
{
    fx *x = *state;
    wz_fact_schema *s = g_ptr_array_index(x->schemas, 1);
    wz_field_schema *m = g_ptr_array_index(s->fields, 2);
    m->has_min = m->has_max = false;
    put(x, "staff.csv", STAFF);
    put(x, "signin.csv", HEADER "T1,2019-09-02,5000000000,早\nT2,2019-09-02,-7,晚\nT3,2019-09-03,999999999999999999,早\n");
    wz_diags *d;
    wz_facts *f = load_both(x, 1, 2, &d);   /* the signed one goes the general way */
    assert_non_null(f);
    const wz_fact_table *t = signin(f);
    assert_non_null(wz_column_ints(t->columns[2]));
    assert_null(wz_column_i32(t->columns[2]));
    assert_int_equal(wz_column_int(t->columns[2], 0), 5000000000LL);
    assert_int_equal(wz_column_int(t->columns[2], 1), -7);
    assert_int_equal(wz_column_int(t->columns[2], 2), 999999999999999999LL);
    for (guint fi = 0; fi < 4; fi++)
        if (fi != 2) {
            assert_non_null(wz_column_i32(t->columns[fi]));
            assert_null(wz_column_ints(t->columns[fi]));
        }
    assert_int_equal(wz_column_i32(t->columns[1])[0], wz_date_from_ymd(2019, 9, 2));
    wz_facts_free(f);
    wz_diags_free(d);
}

/* ---- chunks ---------------------------------------------------------------- */

/* A file big enough to be read in chunks by two threads, with odd rows here
 * and there: the same facts and messages with the fast path on or off, and
 * with one thread or two. */
static void test_chunks(void **state)
{
    fx *x = *state;
    GString *st = g_string_new("id,hired\n");
    for (int p = 0; p < 300; p++)
        g_string_append_printf(st, "P%04d,2010-09-01\n", p);
    put(x, "staff.csv", st->str);
    g_string_free(st, TRUE);
    GString *s = g_string_new(HEADER);
    GDate *day = g_date_new_dmy(1, G_DATE_AUGUST, 2019);
    uint32_t r = 0, odd = 0;
    while (s->len < ((size_t)3 << 20)) {
        char ds[16];
        g_date_strftime(ds, sizeof ds, "%Y-%m-%d", day);
        for (int p = 0; p < 300; p++, r++) {
            if (r % 4999 == 4998) {
                odd++;
                g_string_append_printf(s, "P%04d,%s,%s,早\n", p, ds, odd % 2 ? "" : "+2");
                continue;
            }
            g_string_append_printf(s, "P%04d,%s,%u,%s\n", (p * 7) % 300, ds, r % 3, r % 5 ? "早" : "晚");
        }
        g_date_add_days(day, 1);
    }
    g_date_free(day);
    put(x, "signin.csv", s->str);
    g_string_free(s, TRUE);
    wz_diags *d1, *d2;
    wz_facts *f1 = load_both(x, 1, (gint)(r - odd), &d1);
    wz_facts *f2 = load_both(x, 2, (gint)(r - odd), &d2);
    assert_null(f1);   /* the empty cells are errors */
    assert_null(f2);
    test_assert_same_diags(d1, d2);
    assert_int_equal(d1->errors, (odd + 1) / 2);
    wz_diags_free(d1);
    wz_diags_free(d2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_clean_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_columns_in_any_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crlf_bom_no_final_newline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_odd_rows_fall_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_rows_exact_messages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mostly_odd_file_handed_over, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quotes_not_taken, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8_not_taken, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gb18030_decoded_then_fast, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extra_column_not_taken, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdi_rows, setup_pdi, teardown),
        cmocka_unit_test_setup_teardown(test_pdi_bad_rows, setup_pdi, teardown),
        cmocka_unit_test_setup_teardown(test_wide_and_narrow_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chunks, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
