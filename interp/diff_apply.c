/* diff_apply.c — one change made alone to the old policy (diff.h).
 *
 * To say which change moved a person's pay, each change is measured by
 * itself: the old policy's text with that one item replaced by the new
 * version's text of it (or removed, or added), and nothing else.  The text is
 * spliced, not rebuilt, so the result reads as the old file with one edit:
 *   changed: the item's text in the old file replaced by its text in the new
 *            one — for a section with rules, only its header (points, floor,
 *            cap), since each rule is a change of its own;
 *   removed: the item's text deleted;
 *   added:   a rule inserted before its section's closing brace, anything
 *            else appended at the end (order of items means nothing).
 * A change that needs another (a new rule reading a new param) does not
 * check alone; the measurement then adds the added item the checker's error
 * names and tries again (wz_diff_added_named), and says which it took along.
 */
#include "diff_internal.h"

#include <string.h>

/* The offset just past an item's header: its first '{' outside strings and
 * comments, or its end when it has none (a formula section). */
static uint32_t header_end(const wz_span s) {
    const char *t = s.src->text;
    for (uint32_t i = s.start; i < s.end; i++) {
        if (t[i] == '"') {
            for (i++; i < s.end && t[i] != '"'; i++)
                if (t[i] == '\\') i++;
        } else if (t[i] == '#' || (t[i] == '/' && i + 1 < s.end && t[i + 1] == '/')) {
            while (i < s.end && t[i] != '\n') i++;
        } else if (t[i] == '{') {
            return i;
        }
    }
    return s.end;
}

static bool in_main_file(const wz_span s, const wz_policy *p) { return s.src == p->src; }

const char *wz_diff_changes_no_value(const wz_diff *D, guint k) {
    const wz_diff_entry *e = g_ptr_array_index(D->entries, k);
    if (!strcmp(e->kind, "policy")) return "the name, version and dates in force";
    if (!strcmp(e->change, "renamed")) return "a new name";
    return NULL;
}

/* One edit of the old text: [start, end) becomes text. */
typedef struct edit {
    uint32_t start, end;
    char *text;
    guint order;   /* edits at the same place keep the order they were asked in */
} edit;

/* The edit that makes change k in the old text, or false with *why. */
static bool edit_for(const wz_diff *D, guint k, edit *ed, char **why) {
    const wz_diff_entry *e = g_ptr_array_index(D->entries, k);
    const wz_policy *a = D->a, *b = D->b;
    if (wz_diff_changes_no_value(D, k)) {
        *why = g_strdup_printf("it is only %s: no value changes", wz_diff_changes_no_value(D, k));
        return false;
    }
    if ((e->has_a && !in_main_file(e->sa, a)) || (e->has_b && !in_main_file(e->sb, b))) {
        *why = g_strdup("it is written in an imported file");
        return false;
    }
    const char *bt = b->src->text;
    if (!strcmp(e->change, "removed")) {
        *ed = (edit){e->sa.start, e->sa.end, g_strdup(""), k};
        return true;
    }
    if (!strcmp(e->change, "added")) {
        int len = (int)(e->sb.end - e->sb.start);
        const char *added = bt + e->sb.start;
        if (e->def_b && e->def_b->section >= 0) {   /* a rule: into its section in the old text */
            const wz_def *sec_b = g_ptr_array_index(b->defs, (guint)e->def_b->section);
            int sec_a = wz_policy_find_def(a, sec_b->name);
            const wz_def *sa = sec_a >= 0 ? g_ptr_array_index(a->defs, (guint)sec_a) : NULL;
            if (!sa || sa->kind != WZ_DEF_SECTION || !in_main_file(sa->span, a) || sa->span.end == 0 ||
                a->src->text[sa->span.end - 1] != '}') {
                *why = g_strdup_printf("its section %s has no rules in the old version", sec_b->name);
                return false;
            }
            *ed = (edit){sa->span.end - 1, sa->span.end - 1, g_strdup_printf("    %.*s\n", len, added), k};
            return true;
        }
        *ed = (edit){(uint32_t)a->src->len, (uint32_t)a->src->len, g_strdup_printf("\n%.*s\n", len, added), k};
        return true;
    }
    /* changed */
    uint32_t a_end = e->sa.end, b_end = e->sb.end;
    if (e->def_a && e->def_b && e->def_a->kind == WZ_DEF_SECTION && e->def_b->kind == WZ_DEF_SECTION &&
        !wz_node_kid(e->def_a->node, 3) && !wz_node_kid(e->def_b->node, 3)) {   /* both have rules, not a formula */
        a_end = header_end(e->sa);   /* the rules inside are changes of their own */
        b_end = header_end(e->sb);
    }
    *ed = (edit){e->sa.start, a_end, g_strndup(bt + e->sb.start, b_end - e->sb.start), k};
    return true;
}

static gint by_place_desc(gconstpointer x, gconstpointer y) {
    const edit *a = x, *b = y;
    if (a->start != b->start) return a->start < b->start ? 1 : -1;
    return a->order < b->order ? 1 : a->order > b->order ? -1 : 0;
}

char *wz_diff_apply(const wz_diff *D, const guint *ks, guint n, char **why) {
    *why = NULL;
    GArray *edits = g_array_new(FALSE, FALSE, sizeof(edit));
    bool ok = true;
    for (guint i = 0; i < n && ok; i++) {
        edit ed;
        ok = edit_for(D, ks[i], &ed, why);
        if (ok) {
            ed.order = i;
            g_array_append_val(edits, ed);
        }
    }
    char *text = NULL;
    if (ok) {
        /* from the end of the file back, so that each edit's offsets still hold */
        g_array_sort(edits, by_place_desc);
        GString *s = g_string_new_len(D->a->src->text, (gssize)D->a->src->len);
        for (guint i = 0; i < edits->len; i++) {
            const edit *ed = &g_array_index(edits, edit, i);
            g_string_erase(s, ed->start, ed->end - ed->start);
            g_string_insert(s, ed->start, ed->text);
        }
        text = g_string_free(s, FALSE);
    }
    for (guint i = 0; i < edits->len; i++) g_free(g_array_index(edits, edit, i).text);
    g_array_free(edits, TRUE);
    return text;
}

char *wz_diff_apply_alone(const wz_diff *D, guint k, char **why) { return wz_diff_apply(D, &k, 1, why); }

guint wz_diff_added_named(const wz_diff *D, const char *message, const guint *have, guint n) {
    for (guint k = 0; k < D->entries->len; k++) {
        const wz_diff_entry *e = g_ptr_array_index(D->entries, k);
        if (strcmp(e->change, "added")) continue;
        bool had = false;
        for (guint i = 0; i < n; i++) had |= have[i] == k;
        char *quoted = g_strdup_printf("'%s'", e->name);
        bool named = strstr(message, quoted) != NULL;
        g_free(quoted);
        if (named && !had) return k;
    }
    return G_MAXUINT;
}
