/* i18n.h — messages in the reader's language (GNU gettext, text domain "wenze").
 *
 * _("…") looks a message up where it is made; N_("…") only marks one kept in a
 * table, looked up with _() where it is used; ngettext() for a count.  The
 * diagnostics functions (wz_diag_at, wz_diag_fact, wz_diag_plain) look up their
 * format themselves, so a call to them needs no mark.  The language is chosen
 * once, by the CLI at start-up (cli/lang.c), before anything runs; without that
 * (the unit tests) every message stays English.
 *
 * Never for what goes into a file wenze writes: outputs are the same bytes in any
 * language.  Messages that do go into one (diff's reason a change could not be
 * measured) are made between wz_i18n_english_begin() and _end(), which keep
 * them English; the two nest, and are called from one thread while no other
 * makes messages.  After adding a message: scripts/update_po.sh, then translate it
 * in po/zh_CN.po (the test i18n/catalogue fails until it is).
 */
#ifndef WZ_I18N_H
#define WZ_I18N_H

#include <inttypes.h>   /* a message with a 64-bit number says PRId64, which xgettext and
                           glibc's gettext understand (G_GINT64_FORMAT they do not) */
#include <libintl.h>

#define _(msgid) wz_i18n_text(msgid)
#define N_(msgid) (msgid)

/* MSGID in the chosen language (MSGID itself when English, untranslated or ""). */
const char *wz_i18n_text(const char *msgid);
/* ngettext() in the chosen language. */
const char *wz_i18n_plural(const char *one, const char *many, unsigned long n);
void wz_i18n_english_begin(void);
void wz_i18n_english_end(void);

#endif
