/* lang.h — the language of wenze's messages: English or Chinese.
 *
 * Chosen once, before anything runs: --lang zh|en when given, else the first set of
 * LC_ALL, LC_MESSAGES and LANG (zh, zh_CN.UTF-8, zh_TW … → Chinese; anything else →
 * English).  Only messages change (interp/i18n.h): the files wenze writes are the same
 * bytes in either language.
 */
#ifndef WZ_LANG_H
#define WZ_LANG_H

#include <stdbool.h>

/* Whether the environment (LC_ALL, LC_MESSAGES, LANG, in that order) asks for Chinese. */
bool wz_lang_env_zh(void);

/* Sets the process up for messages in Chinese (ZH) or English: the C.UTF-8 locale for
 * everything (numbers are never formatted by locale), and the catalogue found beside
 * the executable (build/locale, or PREFIX/share/locale for PREFIX/bin/wenze), else
 * under WZ_LOCALEDIR. */
void wz_lang_setup(bool zh);

#endif
