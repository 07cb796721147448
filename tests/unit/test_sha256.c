/* test_sha256.c — SHA-256 against known digests and against GLib's, on both
 * the SHA-extension path (when the processor has it) and the portable one. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib.h>
#include <string.h>

#include "sha256.h"

static void test_known_digests(void **state)
{
    (void)state;
    char hex[65];
    wz_sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    wz_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    wz_sha256_hex(two, strlen(two), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* Every length around the block and padding edges, and a long random buffer. */
static void test_agrees_with_glib_at_every_edge(void **state)
{
    (void)state;
    GRand *rand = g_rand_new_with_seed(7);
    size_t n = 1 << 20;
    guchar *buf = g_malloc(n);
    for (size_t i = 0; i < n; i++) buf[i] = (guchar)g_rand_int_range(rand, 0, 256);
    size_t lens[300];
    size_t nl = 0;
    for (size_t l = 0; l < 200; l++) lens[nl++] = l;
    for (size_t l = 1000; l < 1100; l++) lens[nl++] = l * 7 + 3;
    lens[nl - 1] = n;
    for (size_t i = 0; i < nl; i++) {
        char *want = g_compute_checksum_for_data(G_CHECKSUM_SHA256, buf, lens[i]);
        char fast[65], portable[65];
        wz_sha256_hex(buf, lens[i], fast);
        wz_sha256_hex_portable(buf, lens[i], portable);
        assert_string_equal(fast, want);
        assert_string_equal(portable, want);
        g_free(want);
    }
    g_free(buf);
    g_rand_free(rand);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_digests),
        cmocka_unit_test(test_agrees_with_glib_at_every_edge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
