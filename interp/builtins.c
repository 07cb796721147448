/* builtins.c — the tables of builtins.h, generated from its two lists, and
 * the lookups by name. */
#include "builtins.h"

#include <string.h>

const wz_agg_info wz_aggs[WZ_AGG__COUNT] = {
#define WZ_X(id, en, cn) [WZ_AGG_##id] = {en, cn},
    WZ_AGGS(WZ_X)
#undef WZ_X
};

const wz_builtin_info wz_builtins[WZ_B__COUNT] = {
#define WZ_X(id, en, cn, lo, hi, fam, what, ...) \
    [WZ_B_##id] = {.name = en, .zh = cn, .min_args = lo, .max_args = hi, .family = fam, .meaning = what, __VA_ARGS__},
    WZ_BUILTINS(WZ_X)
#undef WZ_X
};

static bool called(const char *name, const char *en, const char *zh) {
    return !strcmp(name, en) || (zh && !strcmp(name, zh));
}

int wz_agg_find(const char *name) {
    for (int a = 0; a < WZ_AGG__COUNT; a++)
        if (called(name, wz_aggs[a].name, wz_aggs[a].zh)) return a;
    return -1;
}

wz_builtin wz_builtin_find(const char *name) {
    for (int b = WZ_B_NONE + 1; b < WZ_B__COUNT; b++)
        if (called(name, wz_builtins[b].name, wz_builtins[b].zh)) return (wz_builtin)b;
    return WZ_B_NONE;
}

char *wz_builtin_hint(void) {
    GString *s = g_string_new(NULL);
    for (int b = WZ_B_NONE + 1; b < WZ_B__COUNT; b++)
        if (wz_builtins[b].family == WZ_BF_VALUE) g_string_append_printf(s, "%s%s", s->len ? ", " : "", wz_builtins[b].name);
    for (int a = 0; a < WZ_AGG__COUNT; a++)   /* min and max are listed already */
        if (wz_builtin_find(wz_aggs[a].name) == WZ_B_NONE) g_string_append_printf(s, ", %s", wz_aggs[a].name);
    return g_string_free(s, FALSE);
}
