/* test_xlsx.c — a workbook's sheet as CSV text (interp/xlsx.c), on the
 * workbooks of tests/fixtures/ (made by make_xlsx.py with openpyxl and
 * LibreOffice; see there what each holds). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "xlsx.h"

typedef struct sheet_read {
    GString *csv;
    char *used;
    wz_diags *d;
} sheet_read;

static sheet_read read_fixture(const char *name, const char *sheet)
{
    char *path = g_build_filename(WZ_SOURCE_DIR, "tests", "fixtures", name, NULL);
    char *buf = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &buf, &len, NULL))
        fail_msg("cannot read %s", path);
    sheet_read r = {.d = wz_diags_new(0)};
    r.csv = wz_xlsx_sheet_csv(buf, len, sheet, name, &r.used, r.d);
    g_free(buf);
    g_free(path);
    return r;
}

static void sheet_read_free(sheet_read *r)
{
    if (r->csv)
        g_string_free(r->csv, TRUE);
    g_free(r->used);
    wz_diags_free(r->d);
}

static void assert_csv(const char *fixture, const char *sheet, const char *used, const char *csv)
{
    sheet_read r = read_fixture(fixture, sheet);
    assert_int_equal(r.d->items->len, 0);
    assert_non_null(r.csv);
    assert_string_equal(r.csv->str, csv);
    assert_string_equal(r.used, used);
    sheet_read_free(&r);
}

static void assert_error(const char *fixture, const char *sheet, const char *message)
{
    sheet_read r = read_fixture(fixture, sheet);
    assert_null(r.csv);
    assert_null(r.used);
    assert_int_equal(r.d->items->len, 1);
    char *got = wz_diag_render(g_ptr_array_index(r.d->items, 0));
    assert_string_equal(got, message);
    g_free(got);
    sheet_read_free(&r);
}

/* The WPS-like workbook, first sheet (请假): shared strings and the inline
 * one (C3 事假), numbers exactly as written (0.1, 12.50) and 1E-2 as 0.01,
 * date cells in format 14 and in two custom formats as ISO dates (2020-02-29
 * a leap day), a date typed as text left as typed, the remarks column, row 6
 * missing (an empty line) and row 7 of empty bordered cells (",,,,"). */
static void test_wps_sheet(void **state)
{
    (void)state;
    assert_csv("leave-wps.xlsx", NULL, "请假",
               "person,date,kind,days,备注\n"
               "T001,2019-10-08,病假,0.1,补假条\n"
               "T002,2019-10-09,事假,12.50,\n"
               "T002,2020-02-29,病假,0.01,闰日\n"
               "T001,2019/11/5,事假,2,\n"
               "\n"
               ",,,,\n");
}

/* --sheet: another sheet by its name. */
static void test_named_sheet(void **state)
{
    (void)state;
    assert_csv("leave-wps.xlsx", "汇总", "汇总", "person,date,kind,days\nT002,2019-12-02,病假,3\n");
}

static void test_no_such_sheet(void **state)
{
    (void)state;
    assert_error("leave-wps.xlsx", "请加",
                 "leave-wps.xlsx: error: no sheet \"请加\" in the workbook (--sheet); its sheets are 请假, 汇总; "
                 "did you mean '请假'?");
}

/* The 1904 date system: serial 0 is 1904-01-01. */
static void test_1904_dates(void **state)
{
    (void)state;
    assert_csv("leave-1904.xlsx", NULL, "Sheet",
               "person,date,kind,days\nT001,2019-10-08,病假,1\nT002,1904-01-01,事假,2\n");
}

/* The 1900 system around Lotus's leap day: serials 1, 59, 61, a date-time
 * (its time dropped), and 60, which is shown as the 1900-02-29 it stands for
 * so that the date check refuses it. */
static void test_1900_serials(void **state)
{
    (void)state;
    assert_csv("leave-serials.xlsx", NULL, "Sheet",
               "person,date,kind,days\n"
               "T001,1900-01-01,病假,1\n"
               "T001,1900-02-28,病假,1\n"
               "T001,1900-03-01,病假,1\n"
               "T001,2019-10-08,病假,1\n"
               "T001,1900-02-29,病假,1\n");
}

static void test_merged_header(void **state)
{
    (void)state;
    assert_error("leave-merged.xlsx", NULL,
                 "leave-merged.xlsx!A1: error: merged cells A1:B1 in the header row; unmerge them so that each "
                 "column has its own name in its own cell");
}

static void test_truncated(void **state)
{
    (void)state;
    assert_error("leave-truncated.xlsx", NULL,
                 "leave-truncated.xlsx: error: not a readable workbook (not a zip archive, or a damaged one); save it again from "
                 "Excel or WPS as .xlsx");
}

/* The zip's directory is whole but the sheet's bytes are not. */
static void test_damaged_entry(void **state)
{
    (void)state;
    assert_error("leave-damaged.xlsx", NULL,
                 "leave-damaged.xlsx: error: not a readable workbook: its part xl/worksheets/sheet1.xml is damaged "
                 "(a damaged zip entry); save it again from Excel or WPS");
}

/* A CSV file renamed .xlsx is no zip either. */
static void test_not_a_zip(void **state)
{
    (void)state;
    wz_diags *d = wz_diags_new(0);
    char *used = NULL;
    static const char text[] = "person,date\nT001,2019-10-08\n";
    assert_null(wz_xlsx_sheet_csv(text, sizeof text - 1, NULL, "leave.xlsx", &used, d));
    assert_null(used);
    assert_int_equal(d->errors, 1);
    wz_diags_free(d);
}

/* dongliu's staff, saved by LibreOffice: shared strings and date cells. */
static void test_dongliu_staff(void **state)
{
    (void)state;
    sheet_read r = read_fixture("dongliu-xlsx/staff.xlsx", NULL);
    assert_non_null(r.csv);
    assert_true(g_str_has_prefix(r.csv->str, "id,name,gender,birth_date,post,status\n"
                                             "T001,王建国,男,1968-03-12,专任教师,在岗\n"));
    sheet_read_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wps_sheet),
        cmocka_unit_test(test_named_sheet),
        cmocka_unit_test(test_no_such_sheet),
        cmocka_unit_test(test_1904_dates),
        cmocka_unit_test(test_1900_serials),
        cmocka_unit_test(test_merged_header),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_damaged_entry),
        cmocka_unit_test(test_not_a_zip),
        cmocka_unit_test(test_dongliu_staff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
