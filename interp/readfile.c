/* readfile.c — reading only regular files (see readfile.h). */
#include "readfile.h"

#include <errno.h>
#include <sys/stat.h>

static const char *what_it_is(mode_t m) {
    if (S_ISDIR(m)) return "a directory";
    if (S_ISFIFO(m)) return "a FIFO";
    if (S_ISCHR(m) || S_ISBLK(m)) return "a device";
    if (S_ISSOCK(m)) return "a socket";
    return "not a plain file";
}

bool wz_file_check_regular(const char *path, GError **err) {
    struct stat st;
    if (stat(path, &st) != 0 || S_ISREG(st.st_mode)) return true;   /* stat, not open: a FIFO would block */
    g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL, "is not a regular file (%s)", what_it_is(st.st_mode));
    return false;
}

bool wz_file_get_contents(const char *path, char **text, gsize *len, GError **err) {
    if (!wz_file_check_regular(path, err)) return false;
    return g_file_get_contents(path, text, len, err);
}
