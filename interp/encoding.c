/* encoding.c — decoding GB18030 fact files into UTF-8 (see encoding.h). */
#include "encoding.h"

#include <string.h>

bool wz_encoding_parse(const char *name, wz_encoding *out)
{
    if (!g_ascii_strcasecmp(name, "utf-8") || !g_ascii_strcasecmp(name, "utf8"))
        *out = WZ_ENC_UTF8;
    else if (!g_ascii_strcasecmp(name, "gb18030") || !g_ascii_strcasecmp(name, "gbk") ||
             !g_ascii_strcasecmp(name, "gb2312"))
        *out = WZ_ENC_GB18030;
    else
        return false;
    return true;
}

const char *wz_encoding_name(wz_encoding e)
{
    switch (e) {
    case WZ_ENC_UTF8: return "utf-8";
    case WZ_ENC_GB18030: return "gb18030";
    default: return "auto";
    }
}

char *wz_encoding_to_utf8(wz_encoding from, const char *buf, size_t len, size_t *out_len, size_t *bad_offset)
{
    g_return_val_if_fail(from == WZ_ENC_GB18030, NULL);
    gsize read = 0, written = 0;
    GError *err = NULL;
    /* g_convert stops at the first byte sequence that is not GB18030 and says
     * how far it got: that is the byte to report. */
    char *out = g_convert(buf, (gssize)len, "UTF-8", "GB18030", &read, &written, &err);
    if (out == NULL) {
        *bad_offset = read < len ? read : len;
        g_error_free(err);
        return NULL;
    }
    if (read < len) {   /* a character cut off by the end: g_convert reports it only through read */
        g_free(out);
        *bad_offset = read;
        return NULL;
    }
    *out_len = written;
    return out;
}
