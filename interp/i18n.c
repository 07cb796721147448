/* i18n.c — looking messages up (see i18n.h). */
#include "i18n.h"

#include <glib.h>

/* > 0 while messages must stay English (they go into an output file). */
static gint english_depth;

const char *wz_i18n_text(const char *msgid) {
    /* gettext("") is the catalogue's header, never a message */
    if (!msgid || !*msgid || g_atomic_int_get(&english_depth) > 0) return msgid;
    return gettext(msgid);
}

const char *wz_i18n_plural(const char *one, const char *many, unsigned long n) {
    if (g_atomic_int_get(&english_depth) > 0) return n == 1 ? one : many;
    return ngettext(one, many, n);
}

void wz_i18n_english_begin(void) { g_atomic_int_inc(&english_depth); }
void wz_i18n_english_end(void) { g_atomic_int_dec_and_test(&english_depth); }
