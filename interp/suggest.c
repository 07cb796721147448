/* suggest.c — "did you mean" (see suggest.h). */
#include "suggest.h"
#include "i18n.h"

#include <string.h>

/* Optimal string alignment distance of two code point arrays. */
static guint distance_ucs4(const gunichar *a, glong n, const gunichar *b, glong m) {
    /* three rows of the table: i - 2, i - 1 and i */
    guint *rows = g_new(guint, 3 * (gsize)(m + 1));
    guint *pp = rows, *prev = rows + (m + 1), *cur = rows + 2 * (m + 1);
    for (glong j = 0; j <= m; j++) prev[j] = (guint)j;
    for (glong i = 1; i <= n; i++) {
        cur[0] = (guint)i;
        for (glong j = 1; j <= m; j++) {
            guint cost = a[i - 1] == b[j - 1] ? 0 : 1;
            guint d = MIN(MIN(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d = MIN(d, pp[j - 2] + 1);
            cur[j] = d;
        }
        guint *t = pp;
        pp = prev;
        prev = cur;
        cur = t;
    }
    guint d = prev[m];
    g_free(rows);
    return d;
}

guint wz_edit_distance(const char *a, const char *b) {
    glong n = 0, m = 0;
    gunichar *ua = g_utf8_to_ucs4_fast(a, -1, &n), *ub = g_utf8_to_ucs4_fast(b, -1, &m);
    guint d = distance_ucs4(ua, n, ub, m);
    g_free(ua);
    g_free(ub);
    return d;
}

guint wz_suggest_limit(glong n, bool wide) {
    if (wide) return n >= 2 ? (guint)MAX(1, n / 3) : 0;
    return (guint)(n / 3);
}

static bool is_wide(const char *s) {
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80) return true;
    return false;
}

void wz_suggest_begin(wz_suggest *s, const char *word) {
    glong len = 0;
    gunichar *u = g_utf8_to_ucs4_fast(word, -1, &len);
    *s = (wz_suggest){.word = u, .len = len, .wide = is_wide(word)};
}

void wz_suggest_consider(wz_suggest *s, const char *candidate) {
    if (!candidate || !*candidate) return;
    glong m = 0;
    gunichar *u = g_utf8_to_ucs4_fast(candidate, -1, &m);
    guint d = distance_ucs4(s->word, s->len, u, m);
    g_free(u);
    if (d == 0) return;   /* the word itself is not a suggestion */
    if (d > wz_suggest_limit(MAX(s->len, m), s->wide || is_wide(candidate))) return;
    if (!s->best || d < s->best_distance) {
        s->best = candidate;
        s->best_distance = d;
        s->ambiguous = false;
    } else if (d == s->best_distance && strcmp(candidate, s->best) != 0) {
        s->ambiguous = true;
    }
}

const char *wz_suggest_end(wz_suggest *s) {
    g_free(s->word);
    s->word = NULL;
    return s->ambiguous ? NULL : s->best;
}

char *wz_suggest_hint(const char *best) {
    return best ? g_strdup_printf(_("; did you mean '%s'?"), best) : g_strdup("");
}
