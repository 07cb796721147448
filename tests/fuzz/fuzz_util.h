/* fuzz_util.h — what the libFuzzer harnesses of tests/fuzz share.
 *
 * A harness is one LLVMFuzzerTestOneInput; each run must leave nothing behind (every
 * allocation freed: LeakSanitizer runs with the fuzzer), and must never print: wenze's
 * library does not, and a harness renders diagnostics into strings to exercise that code
 * without writing them anywhere.
 */
#ifndef WZ_FUZZ_UTIL_H
#define WZ_FUZZ_UTIL_H

#include <glib.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* Renders every diagnostic (the excerpt and caret code) and drops the text. */
static inline void fuzz_render_all(const wz_diags *d) {
    for (guint i = 0; i < d->items->len; i++) g_free(wz_diag_render(g_ptr_array_index(d->items, i)));
}

/* A private directory for the whole fuzzing process (removed at exit by the harness that
 * made it only in the sense that it lives under $TMPDIR: the files are overwritten each run). */
static inline const char *fuzz_dir(void) {
    static char *dir;
    if (!dir) {
        dir = g_dir_make_tmp("wz-fuzz-XXXXXX", NULL);
        if (!dir) abort();
    }
    return dir;
}

static inline void fuzz_write(const char *name, const void *data, size_t len) {
    char *path = g_build_filename(fuzz_dir(), name, NULL);
    if (!g_file_set_contents(path, data, (gssize)len, NULL)) abort();
    g_free(path);
}

static inline void fuzz_remove(const char *name) {
    char *path = g_build_filename(fuzz_dir(), name, NULL);
    g_unlink(path);
    g_free(path);
}

#endif
