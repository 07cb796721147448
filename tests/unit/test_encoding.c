/* test_encoding.c — encoding names and GB18030 decoding (interp/encoding.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "encoding.h"

static void test_names(void **state)
{
    (void)state;
    wz_encoding e = WZ_ENC_AUTO;
    assert_true(wz_encoding_parse("utf-8", &e));
    assert_int_equal(e, WZ_ENC_UTF8);
    assert_true(wz_encoding_parse("UTF8", &e));
    assert_int_equal(e, WZ_ENC_UTF8);
    assert_true(wz_encoding_parse("GB18030", &e));
    assert_int_equal(e, WZ_ENC_GB18030);
    assert_true(wz_encoding_parse("gbk", &e));   /* GBK is a subset: read as GB18030 */
    assert_int_equal(e, WZ_ENC_GB18030);
    assert_false(wz_encoding_parse("latin1", &e));
    assert_false(wz_encoding_parse("", &e));
    assert_string_equal(wz_encoding_name(WZ_ENC_GB18030), "gb18030");
    assert_string_equal(wz_encoding_name(WZ_ENC_UTF8), "utf-8");
}

/* Two-byte (张三, 病假) and four-byte (U+20000) characters; ASCII untouched. */
static void test_decode(void **state)
{
    (void)state;
    static const char gb[] = "id,\xd5\xc5\xc8\xfd,\xb2\xa1\xbc\xd9\n\x95\x32\x82\x36,1\r\n";
    size_t n = 0, bad = 99;
    char *u = wz_encoding_to_utf8(WZ_ENC_GB18030, gb, sizeof gb - 1, &n, &bad);
    assert_non_null(u);
    assert_string_equal(u, "id,张三,病假\n\xf0\xa0\x80\x80,1\r\n");
    assert_int_equal(n, strlen(u));
    g_free(u);
}

/* The offset of the first byte that is no GB18030: 0xFF never starts a character. */
static void test_decode_bad_byte(void **state)
{
    (void)state;
    static const char gb[] = "id,\xd5\xc5\xff,x\n";
    size_t n = 0, bad = 0;
    assert_null(wz_encoding_to_utf8(WZ_ENC_GB18030, gb, sizeof gb - 1, &n, &bad));
    assert_int_equal(bad, 5);
}

/* A character cut off by the end of the file. */
static void test_decode_truncated(void **state)
{
    (void)state;
    static const char gb[] = "a,\xd5";
    size_t n = 0, bad = 0;
    assert_null(wz_encoding_to_utf8(WZ_ENC_GB18030, gb, sizeof gb - 1, &n, &bad));
    assert_int_equal(bad, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_decode),
        cmocka_unit_test(test_decode_bad_byte),
        cmocka_unit_test(test_decode_truncated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
