/* encoding.h — the character encodings a fact file may come in.
 *
 * Schools' spreadsheets are saved by Chinese Excel and WPS, which write CSV in
 * GB18030 (GBK) unless told otherwise.  A CSV fact file is read as UTF-8 (with
 * or without a BOM) when it is valid UTF-8; otherwise it is decoded as GB18030
 * (`--encoding` may force either).  Decoding goes through GLib's g_convert
 * (iconv), never by hand.
 *
 * GB18030 never uses an ASCII byte inside a multi-byte character (trail bytes
 * are 0x30–0x39, 0x40–0x7E but not ',' '"' CR LF, or 0x80–0xFE), so decoding
 * keeps every comma, quote and line break where it was: rows and columns of
 * the decoded text are those of the original file.
 *
 * Ownership: wz_encoding_to_utf8() returns a new buffer the caller frees with
 * g_free().
 */
#ifndef WZ_ENCODING_H
#define WZ_ENCODING_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum wz_encoding {
    WZ_ENC_AUTO,      /* UTF-8 when valid (or with a BOM), else GB18030 */
    WZ_ENC_UTF8,
    WZ_ENC_GB18030,   /* GB18030, which includes GBK and GB2312 */
} wz_encoding;

/* "utf-8"/"utf8" or "gb18030"/"gbk"/"gb2312" (any case) to an encoding; false
 * for any other name. */
bool wz_encoding_parse(const char *name, wz_encoding *out);
/* "utf-8", "gb18030" (or "auto"): as summary.json and messages show it. */
const char *wz_encoding_name(wz_encoding e);

/* Decodes buf[0..len) from `from` (WZ_ENC_GB18030) into a new NUL-terminated
 * UTF-8 buffer (*out_len bytes).  Returns NULL when the bytes are not valid in
 * that encoding: *bad_offset is then the offset of the first bad byte. */
char *wz_encoding_to_utf8(wz_encoding from, const char *buf, size_t len, size_t *out_len, size_t *bad_offset);

#endif
