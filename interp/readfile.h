/* readfile.h — reading a file the user names: a policy, an import, a facts file.
 *
 * Only a regular file is read (a symbolic link to one is fine).  A FIFO would block
 * forever, and a directory or a device such as /dev/zero fails deep in GLib with a
 * message that names the path twice; each is refused first, as "is not a regular file".
 *
 * Ownership: wz_file_get_contents() is g_file_get_contents(): *text is new, freed by the
 * caller with g_free(); *err is set on failure (G_FILE_ERROR).
 */
#ifndef WZ_READFILE_H
#define WZ_READFILE_H

#include <glib.h>
#include <stdbool.h>

/* Whether path may be read: it is a regular file, or it does not exist (the caller's own
 * message for a missing file applies).  Otherwise false, with *err saying what it is. */
bool wz_file_check_regular(const char *path, GError **err);

/* g_file_get_contents() of a regular file only. */
bool wz_file_get_contents(const char *path, char **text, gsize *len, GError **err);

#endif
