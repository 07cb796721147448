/* diff_internal.h — what diff.c (the changes), diff_apply.c (a change applied
 * alone) and diff_impact.c (whom the changes touch) share. */
#ifndef WZ_DIFF_INTERNAL_H
#define WZ_DIFF_INTERNAL_H

#include "diff.h"

typedef struct wz_diff_detail {
    char *what, *before, *after;
} wz_diff_detail;

/* One changed item: its kind and name, how it changed, each part that
 * differs, and where each version writes it. */
typedef struct wz_diff_entry {
    const char *kind;      /* "param", "fact", "value", "section", "rule", … */
    char *name;
    const char *change;    /* "added", "removed", "changed", "renamed" */
    GPtrArray *details;    /* wz_diff_detail* */
    char *old_src, *new_src;   /* "FILE:LINE" in each version, or NULL */
    bool has_a, has_b;
    wz_span sa, sb;        /* the item in each version (valid when has_a / has_b) */
    const wz_def *def_a, *def_b;   /* when the item is a def: it, in each version */
    char *title;           /* "rule attendance.sick", for the impact's attribution */
} wz_diff_entry;

struct wz_diff {
    const wz_policy *a, *b;
    GPtrArray *entries;    /* wz_diff_entry* */
    GPtrArray *through;    /* const char*: values that change only through what they read */
};

/* "key":value (null for NULL), after a comma when comma. */
void wz_diff_json_field(GString *out, const char *key, const char *value, bool comma);
/* Field name of fact s, or -1. */
int wz_diff_field_named(const wz_fact_schema *s, const char *name);
/* The grade's member name, or NULL for none. */
const char *wz_diff_grade_label(const wz_policy *p, int g);

#endif
