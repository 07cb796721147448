/* builtins.h — the language's built-in functions and aggregates: one table each.
 *
 * WZ_AGGS lists the aggregates (sum(leave.days), count(all), …) and
 * WZ_BUILTINS every other function a policy can call, each row with its
 * English and Chinese names and how many arguments it takes.  The checker
 * resolves a call to a row — an aggregate into wz_node.op, a builtin into
 * wz_node.builtin — and both the checker and the compiler switch on that id:
 * neither compares a function's name again.  (A lookup table's name called
 * like a function, top_places(school), is a table, not a builtin: the
 * checker resolves it to WZ_REF_TABLE.)
 *
 * Ownership: the tables and the names in them are static; wz_builtin_hint()
 * returns a new string.
 */
#ifndef WZ_BUILTINS_H
#define WZ_BUILTINS_H

#include <glib.h>
#include <stdbool.h>

#include "decimal.h"

/* X(ID, name, Chinese name): the aggregates.  A one-argument min/max is the
 * aggregate; with more, the builtin MIN/MAX. */
#define WZ_AGGS(X)                  \
    X(SUM,   "sum",   "合计")       \
    X(COUNT, "count", "计数")       \
    X(MIN,   "min",   "最小")       \
    X(MAX,   "max",   "最大")       \
    X(AVG,   "avg",   "平均")

/* Aggregate functions (AGG op, set by the checker; POP_AGG defs keep it).
 * The one list: the checker, the compiler and the VM all use it. */
typedef enum wz_agg {
#define WZ_X(id, name, zh) WZ_AGG_##id,
    WZ_AGGS(WZ_X)
#undef WZ_X
    WZ_AGG__COUNT
} wz_agg;

typedef struct wz_agg_info {
    const char *name, *zh;
} wz_agg_info;

extern const wz_agg_info wz_aggs[WZ_AGG__COUNT];

/* The aggregate called name (English or Chinese), or -1. */
int wz_agg_find(const char *name);

/* What kind of function a builtin is: what the checker does with a call. */
typedef enum wz_builtin_family {
    WZ_BF_VALUE,     /* a value of its arguments (min, round, cut, exists…) */
    WZ_BF_HISTORY,   /* reads a kept value's earlier periods (previous, streak) */
    WZ_BF_RANK,      /* an entity's place among all of its kind: a RANK def */
} wz_builtin_family;

/* X(ID, name, Chinese name or NULL, min args, max args, family, "meaning"
 *   [, .round = MODE | .dir = ±1, .dense = true]).
 * Chinese names as docs/LANGUAGE.md lists them. */
#define WZ_BUILTINS(X)                                                                                          \
    X(MIN, "min", "最小", 2, 16, WZ_BF_VALUE, "the smallest of its arguments (numbers or dates)")               \
    X(MAX, "max", "最大", 2, 16, WZ_BF_VALUE, "the largest of its arguments (numbers or dates)")                \
    X(ROUND, "round", "四舍五入", 2, 2, WZ_BF_VALUE, "x rounded to n places, ties away from zero",             \
      .round = WZ_ROUND_HALF_UP)                                                                                \
    X(ROUND_HALF_EVEN, "round_half_even", NULL, 2, 2, WZ_BF_VALUE, "x rounded to n places, ties to even",      \
      .round = WZ_ROUND_HALF_EVEN)                                                                              \
    X(ROUND_DOWN, "round_down", "舍去", 2, 2, WZ_BF_VALUE, "x cut to n places, toward zero",                   \
      .round = WZ_ROUND_DOWN)                                                                                   \
    X(ABS, "abs", "绝对值", 1, 1, WZ_BF_VALUE, "|x|")                                                           \
    X(FULL_YEARS, "full_years", "周岁", 2, 2, WZ_BF_VALUE, "whole years from the first date to the second")    \
    X(DAYS_BETWEEN, "days_between", "天数", 2, 2, WZ_BF_VALUE, "days from the first date to the second")       \
    X(FULL_MONTHS, "full_months", "整月数", 2, 2, WZ_BF_VALUE, "whole months from the first date to the second") \
    X(EXISTS, "exists", "存在", 1, 1, WZ_BF_VALUE, "whether the entity has a row of a one-per-person fact")    \
    X(CUT, "cut", "扣减比例", 1, 1, WZ_BF_VALUE, "the cut of the most severe tier reached on a ladder")        \
    X(EXCLUDED, "excluded", "不参与", 1, 1, WZ_BF_VALUE, "whether the most severe tier reached excludes")      \
    X(PREVIOUS, "previous", "上期", 1, 2, WZ_BF_HISTORY, "a kept value K periods back (default 1)")            \
    X(STREAK, "streak", "连续", 1, 1, WZ_BF_HISTORY, "the periods in a row, ending now, a kept condition held") \
    X(RANK_DESC, "rank_desc", "名次", 1, 2, WZ_BF_RANK, "place by V, highest first; ties share, then skip",    \
      .dir = -1)                                                                                                \
    X(RANK_ASC, "rank_asc", "升序名次", 1, 2, WZ_BF_RANK, "place by V, lowest first; ties share, then skip",   \
      .dir = +1)                                                                                                \
    X(DENSE_RANK_DESC, "dense_rank_desc", NULL, 1, 2, WZ_BF_RANK, "place by V, highest first; no skipping",    \
      .dir = -1, .dense = true)                                                                                 \
    X(DENSE_RANK_ASC, "dense_rank_asc", NULL, 1, 2, WZ_BF_RANK, "place by V, lowest first; no skipping",       \
      .dir = +1, .dense = true)

typedef enum wz_builtin {
    WZ_B_NONE = 0,   /* not a builtin call (a table lookup, or not checked yet) */
#define WZ_X(id, ...) WZ_B_##id,
    WZ_BUILTINS(WZ_X)
#undef WZ_X
    WZ_B__COUNT
} wz_builtin;

typedef struct wz_builtin_info {
    const char *name;        /* the English name; the checker renames a call to it */
    const char *zh;          /* the Chinese name, or NULL */
    int min_args, max_args;
    wz_builtin_family family;
    const char *meaning;
    wz_round_mode round;     /* ROUND…: the rounding mode */
    int dir;                 /* rank functions: -1 highest first, +1 lowest first */
    bool dense;              /* dense_rank_…: tied places do not skip the next */
} wz_builtin_info;

/* Indexed by wz_builtin; row WZ_B_NONE is empty. */
extern const wz_builtin_info wz_builtins[WZ_B__COUNT];

/* The builtin called name (English or Chinese), or WZ_B_NONE. */
wz_builtin wz_builtin_find(const char *name);

/* "min, max, …, sum, count, avg": the value functions and the aggregates, for
 * an unknown function's message.  Returns a new string; free with g_free(). */
char *wz_builtin_hint(void);

#endif
