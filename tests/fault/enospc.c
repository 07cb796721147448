/* enospc.c — an LD_PRELOAD shim for tests/e2e/faults.sh where no small tmpfs can be
 * mounted: write(2) to a regular file whose path contains WZ_FAULT_PATH fails with ENOSPC,
 * as on a full disk.  Built by the test itself (cc -shared -fPIC); never part of wenze. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

ssize_t write(int fd, const void *buf, size_t n) {
    static ssize_t (*real)(int, const void *, size_t);
    if (!real) real = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    const char *want = getenv("WZ_FAULT_PATH");
    struct stat st;
    if (want && fd > 2 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        char link[64], path[PATH_MAX];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t len = readlink(link, path, sizeof path - 1);
        if (len > 0) {
            path[len] = '\0';
            if (strstr(path, want)) {
                errno = ENOSPC;
                return -1;
            }
        }
    }
    return real(fd, buf, n);
}
