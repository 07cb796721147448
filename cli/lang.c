/* lang.c — choosing the language of messages (see lang.h).
 *
 * gettext picks a catalogue by the LC_MESSAGES locale, and a machine that has never
 * generated zh_CN.UTF-8 (CI, a fresh Debian) cannot set it.  So the locale stays
 * C.UTF-8, which every glibc has, and the language goes in LANGUAGE, the priority
 * list glibc's gettext reads whenever LC_MESSAGES is not plain "C".
 */
#include "lang.h"

#include <glib.h>
#include <libintl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#ifndef WZ_LOCALEDIR
#define WZ_LOCALEDIR "/usr/local/share/locale"
#endif

bool wz_lang_env_zh(void) {
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < G_N_ELEMENTS(vars); i++) {
        const char *v = getenv(vars[i]);
        if (!v || !*v) continue;   /* unset or empty: the next one decides, as for setlocale() */
        return !strncmp(v, "zh", 2) && (v[2] == '\0' || v[2] == '_' || v[2] == '.' || v[2] == '@');
    }
    return false;
}

/* The directory holding zh_CN/LC_MESSAGES/wenze.mo: beside the executable first, so that
 * build/wenze (the tests, `make run`) uses the catalogue just built. A new string. */
static char *locale_dir(void) {
    char *exe = g_file_read_link("/proc/self/exe", NULL);
    if (exe) {
        char *bin = g_path_get_dirname(exe);
        char *candidates[] = {g_build_filename(bin, "locale", NULL), g_build_filename(bin, "..", "share", "locale", NULL)};
        char *found = NULL;
        for (size_t i = 0; i < G_N_ELEMENTS(candidates); i++) {
            char *mo = g_build_filename(candidates[i], "zh_CN", "LC_MESSAGES", "wenze.mo", NULL);
            if (!found && g_file_test(mo, G_FILE_TEST_IS_REGULAR)) found = g_strdup(candidates[i]);
            g_free(mo);
            g_free(candidates[i]);
        }
        g_free(bin);
        g_free(exe);
        if (found) return found;
    }
    return g_strdup(WZ_LOCALEDIR);
}

void wz_lang_setup(bool zh) {
    setlocale(LC_ALL, "C.UTF-8");
    setlocale(LC_NUMERIC, "C");   /* the same for C.UTF-8; said so that no change of the above moves a number */
    if (zh) setenv("LANGUAGE", "zh_CN", 1);
    else unsetenv("LANGUAGE");    /* English: no catalogue, whatever the caller's LANGUAGE says */
    char *dir = locale_dir();
    bindtextdomain("wenze", dir);
    bind_textdomain_codeset("wenze", "UTF-8");
    textdomain("wenze");
    g_free(dir);
}
