/* suggest.h — "did you mean": the closest of some candidate names to a misspelt one.
 *
 * Every "unknown name / field / value / keyword" message asks this module for
 * the nearest candidate (`dedcut` → `deduct`, `病价` → `病假`), measured in
 * edits of whole characters (Unicode code points): insert, delete, replace,
 * or swap two neighbours.  A candidate is suggested only when it is close for
 * its length — about one edit in three characters; a two-character Chinese
 * name may differ in one — so that a short name never "means" an unrelated one.
 *
 * When two different candidates are equally close it is a guess (婚假 is one
 * character from both 病假 and 事假), and nothing is suggested; so the answer
 * never depends on the order the candidates come in (a hash table's).
 *
 * Use: wz_suggest_begin(&s, word); wz_suggest_consider(&s, cand) for each
 * candidate, in any order; then wz_suggest_end(&s) returns the best candidate
 * (a pointer the caller gave, not copied) or NULL, and frees what begin
 * allocated.
 */
#ifndef WZ_SUGGEST_H
#define WZ_SUGGEST_H

#include <glib.h>
#include <stdbool.h>

typedef struct wz_suggest {
    gunichar *word;      /* the misspelt word, decoded; owned until wz_suggest_end() */
    glong len;
    bool wide;           /* it has characters beyond ASCII */
    const char *best;    /* the closest candidate so far, or NULL */
    guint best_distance;
    bool ambiguous;      /* another candidate is as close as best */
} wz_suggest;

void wz_suggest_begin(wz_suggest *s, const char *word);
void wz_suggest_consider(wz_suggest *s, const char *candidate);
const char *wz_suggest_end(wz_suggest *s);

/* Edits (insert, delete, replace, swap of two neighbours) between two UTF-8
 * strings, counted in code points: the optimal string alignment distance. */
guint wz_edit_distance(const char *a, const char *b);

/* The most edits at which a candidate still counts as meant for a word: the
 * longer of the two is n characters; ASCII names n / 3, names with other
 * characters (Chinese) at least 1 once n >= 2. */
guint wz_suggest_limit(glong n, bool wide);

/* "; did you mean 'X'?" for a best candidate, "" for NULL: to append to a message.
 * Returns a new string. */
char *wz_suggest_hint(const char *best);

#endif
