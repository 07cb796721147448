/* test_jsonmodel.c — the small JSON tree explain builds its model in: members in
 * insertion order, read back by key and index, printed as json-glib prints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "jsonmodel.h"

static wz_jv *sample(void) {
    wz_jbuilder *b = wz_jb_new();
    wz_jb_begin_object(b);
    wz_jb_set_member_name(b, "name");
    wz_jb_add_string_value(b, "病假 \"sick\"");
    wz_jb_set_member_name(b, "rows");
    wz_jb_begin_array(b);
    wz_jb_add_string_value(b, "leave.csv:7");
    wz_jb_add_string_value(b, "leave.csv:8");
    wz_jb_end_array(b);
    wz_jb_set_member_name(b, "empty");
    wz_jb_begin_array(b);
    wz_jb_end_array(b);
    wz_jb_set_member_name(b, "pay");
    wz_jb_begin_object(b);
    wz_jb_set_member_name(b, "places");
    wz_jb_add_int_value(b, 2);
    wz_jb_set_member_name(b, "applied");
    wz_jb_add_boolean_value(b, true);
    wz_jb_set_member_name(b, "cap");
    wz_jb_add_null_value(b);
    wz_jb_end_object(b);
    wz_jb_end_object(b);
    wz_jv *root = wz_jb_root(b);
    wz_jb_free(b);
    return root;
}

static void test_prints_as_json_glib_does(void **state) {
    wz_jv *v = sample();
    GString *out = g_string_new(NULL);
    wz_jv_print(out, v);
    assert_string_equal(out->str, "{\n"
                                  "  \"name\" : \"病假 \\\"sick\\\"\",\n"
                                  "  \"rows\" : [\n"
                                  "    \"leave.csv:7\",\n"
                                  "    \"leave.csv:8\"\n"
                                  "  ],\n"
                                  "  \"empty\" : [],\n"
                                  "  \"pay\" : {\n"
                                  "    \"places\" : 2,\n"
                                  "    \"applied\" : true,\n"
                                  "    \"cap\" : null\n"
                                  "  }\n"
                                  "}");
    g_string_free(out, TRUE);
    wz_jv_free(v);
}

static void test_reads_back_by_key_and_index(void **state) {
    wz_jv *v = sample();
    assert_string_equal(wz_jv_string(wz_jv_get(v, "name")), "病假 \"sick\"");
    assert_int_equal(wz_jv_len(wz_jv_get(v, "rows")), 2);
    assert_string_equal(wz_jv_string(wz_jv_at(wz_jv_get(v, "rows"), 1)), "leave.csv:8");
    assert_null(wz_jv_at(wz_jv_get(v, "rows"), 2));
    wz_jv *pay = wz_jv_get(v, "pay");
    assert_true(wz_jv_is_object(pay));
    assert_int_equal(wz_jv_get_int(pay, "places"), 2);
    assert_true(wz_jv_get_bool(pay, "applied"));
    assert_true(wz_jv_has(pay, "cap"));
    assert_null(wz_jv_string(wz_jv_get(pay, "cap")));   /* null reads as no string */
    assert_false(wz_jv_has(pay, "nosuch"));
    assert_int_equal(wz_jv_len(pay), 0);                /* an object is no array */
    wz_jv_free(v);
}

/* A builder given up half-way frees what it built (LeakSanitizer watches). */
static void test_unfinished_builder_frees_its_tree(void **state) {
    wz_jbuilder *b = wz_jb_new();
    wz_jb_begin_object(b);
    wz_jb_set_member_name(b, "a");
    wz_jb_begin_array(b);
    wz_jb_add_string_value(b, "x");
    wz_jb_free(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prints_as_json_glib_does),
        cmocka_unit_test(test_reads_back_by_key_and_index),
        cmocka_unit_test(test_unfinished_builder_frees_its_tree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
