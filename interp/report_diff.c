/* report_diff.c — a diff's HTML page (report.h): both versions' headers, the
 * changed items before → after, who gains and who loses (a chart of the
 * change per person), a sortable table of them with, per person, each
 * change's part as the drill-down, and both policy texts.
 *
 * The page is drawn from the same JSON that `wenze diff --format json`
 * prints (wz_diff_render, wz_impact_render), read back with jsonmodel.c, so
 * the page and the command cannot disagree. */
#include "report_internal.h"

#include <string.h>

#include "diff_internal.h"
#include "jsonmodel.h"
#include "output.h"
#include "sha256.h"

/* A member as a string, or NULL when it is absent or null. */
static const char *jstr(const wz_jv *o, const char *key) { return wz_jv_string(wz_jv_get(o, key)); }

static gint64 jint(const wz_jv *o, const char *key) { return wz_jv_get_int(o, key); }

/* A member array (its length is 0 when it is absent). */
static const wz_jv *jarr(const wz_jv *o, const char *key) { return wz_jv_get(o, key); }

static bool dec_of(const char *s, wz_dec *d) { return s && wz_dec_parse(s, strlen(s), d) == WZ_DEC_OK; }

/* Parses JSON that wenze itself wrote: a failure is a bug, reported as such. */
static wz_jv *parse(const GString *text, wz_diags *diags) {
    const char *err = NULL;
    wz_jv *v = wz_jv_parse(text->str, text->len, &err);
    if (!v) wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, NULL, "the report could not read the diff (a bug): %s", err);
    return v;
}

/* "dongliu-2019.wz:96" as a link into the embedded text of that version. */
static void source_link(GString *out, const char *src, const char *prefix) {
    if (!src) return;
    const char *colon = strrchr(src, ':');
    g_string_append_printf(out, "<a class=\"src\" href=\"#%sL%s\"><code>", prefix, colon ? colon + 1 : "1");
    rh_text(out, src);
    g_string_append(out, "</code></a>");
}

static void policy_meta(GString *out, const wz_policy *p, bool zh, const char *word) {
    g_string_append(out, "<p class=\"meta\">");
    rh_text(out, word);
    g_string_append(out, ": <b>");
    rh_text(out, p->title);
    g_string_append(out, "</b> ");
    rh_text(out, rw(zh, RW_VERSION));
    g_string_append(out, " <b>");
    rh_text(out, p->version);
    g_string_append(out, "</b>");
    if (p->has_effective) {
        char a[11], b[11];
        wz_date_format(p->effective_from, a);
        wz_date_format(p->effective_to, b);
        char *s = g_strdup_printf(rw(zh, RW_EFFECTIVE), a, b);
        g_string_append(out, " · ");
        rh_text(out, s);
        g_free(s);
    }
    char sha[65];
    wz_sha256_hex(p->src->text, p->src->len, sha);
    g_string_append(out, " · <code>");
    rh_text(out, rh_file_name(p->src->name));
    g_string_append_printf(out, "</code> <span class=\"hash\">sha256 %s</span></p>\n", sha);
}

/* The facts files both versions read from dir, with their SHA-256. */
static void facts_table(GString *out, const wz_diff *d, const char *dir, bool zh) {
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const wz_policy *ps[2] = {d->b, d->a};
    for (int v = 0; v < 2; v++)
        for (guint t = 0; t < ps[v]->facts->len; t++) {
            const wz_fact_schema *s = g_ptr_array_index(ps[v]->facts, t);
            for (int e = 0; e < 2; e++) {
                char *name = g_strdup_printf("%s.%s", s->name, e ? "jsonl" : "csv");
                bool seen = false;
                for (guint i = 0; i < names->len; i++) seen |= !strcmp(g_ptr_array_index(names, i), name);
                if (seen) g_free(name);
                else g_ptr_array_add(names, name);
            }
        }
    g_ptr_array_add(names, g_strdup("params.csv"));
    g_string_append(out, "<h3>");
    rh_text(out, rw(zh, RW_FACTS));
    g_string_append(out, " · <code>");
    rh_text(out, dir);
    g_string_append(out, "</code></h3>\n<table class=\"facts\">");
    rh_head_row(out, (rh_th[]){{rw(zh, RW_FILE), false}, {"SHA-256", false}}, 2);
    for (guint i = 0; i < names->len; i++) {
        char *path = g_build_filename(dir, g_ptr_array_index(names, i), NULL), *text = NULL;
        gsize len = 0;
        if (g_file_get_contents(path, &text, &len, NULL)) {
            char sha[65];
            wz_sha256_hex(text, len, sha);
            g_string_append(out, "<tr><td><code>");
            rh_text(out, g_ptr_array_index(names, i));
            g_string_append_printf(out, "</code></td><td class=\"hash\">%s</td></tr>\n", sha);
            g_free(text);
        }
        g_free(path);
    }
    g_string_append(out, "</table>\n");
    g_ptr_array_free(names, TRUE);
}

/* The changed items: "~ rule attendance.sick  (old → new)" and each part before → after. */
static void changes(GString *out, const wz_jv *diff, bool zh, GHashTable *sources) {
    const wz_jv *items = jarr(diff, "changes");
    g_string_append(out, "<section id=\"changes\"><h2>");
    rh_text(out, rw(zh, RW_CHANGES));
    g_string_append(out, "</h2>\n");
    guint n = items ? wz_jv_len(items) : 0;
    if (!n) {
        g_string_append(out, "<p>");
        rh_text(out, rw(zh, RW_NO_CHANGES));
        g_string_append(out, "</p>");
    }
    g_string_append(out, "<ul class=\"changes\">\n");
    for (guint i = 0; i < n; i++) {
        const wz_jv *c = wz_jv_at(items, i);
        const char *change = jstr(c, "change"), *kind = jstr(c, "kind"), *name = jstr(c, "name");
        const char *sign = !g_strcmp0(change, "added") ? "+" : !g_strcmp0(change, "removed") ? "−" : "~";
        const char *cls = !g_strcmp0(change, "added") ? "gain" : !g_strcmp0(change, "removed") ? "lose" : "";
        const char *os = jstr(c, "old_source"), *ns = jstr(c, "new_source");
        char *title = g_strdup_printf("%s %s", kind ? kind : "", name ? name : "");
        g_hash_table_insert(sources, g_strdup(title), g_strdup(ns ? ns : os ? os : ""));
        g_string_append_printf(out, "<li><b class=\"%s\">%s ", cls, sign);
        rh_text(out, title);
        g_string_append(out, "</b> ");
        source_link(out, os, "a-");
        if (os && ns) g_string_append(out, " → ");
        source_link(out, ns, "b-");
        const wz_jv *details = jarr(c, "details");
        for (guint k = 0; details && k < wz_jv_len(details); k++) {
            const wz_jv *dt = wz_jv_at(details, k);
            g_string_append(out, k ? "<br>" : "<br>");
            g_string_append(out, "<span class=\"note\">");
            rh_text(out, jstr(dt, "what"));
            g_string_append(out, ":</span> <code class=\"lose\">");
            rh_text(out, jstr(dt, "before"));
            g_string_append(out, "</code> → <code class=\"gain\">");
            rh_text(out, jstr(dt, "after"));
            g_string_append(out, "</code>");
        }
        g_string_append(out, "</li>\n");
        g_free(title);
    }
    g_string_append(out, "</ul>\n");
    const wz_jv *through = jarr(diff, "changes_through");
    if (through && wz_jv_len(through)) {
        g_string_append(out, "<p class=\"note\">");
        rh_text(out, rw(zh, RW_THROUGH));
        g_string_append(out, ": ");
        for (guint i = 0; i < wz_jv_len(through); i++) {
            const char *t = wz_jv_string(wz_jv_at(through, i));
            if (i) g_string_append(out, ", ");
            if (t) rh_text(out, t);
        }
        g_string_append(out, "</p>\n");
    }
    g_string_append(out, "</section>\n");
}

/* A change, signed: to places (-1: exact); awards exact with at least places, as impact.csv has them. */
static char *signed_text(wz_dec d, int places) {
    GString *s = g_string_new(wz_dec_sign(d) > 0 ? "+" : "");
    if (places >= 0) wz_append_dec(s, d, places, places);
    else wz_append_dec(s, d, 0, 30);
    return g_string_free(s, FALSE);
}

static char *signed_money(wz_dec d, int places) {
    GString *s = g_string_new(wz_dec_sign(d) > 0 ? "+" : "");
    wz_append_dec(s, d, places, 30);
    return g_string_free(s, FALSE);
}

static double to_double(wz_dec d) { return (double)d.num / (double)d.den; }

/* Who gains and who loses: the summary, each change alone, the chart and the table.
 * When awards pay persons (their own, or a unit's they answer for: a leader's
 * own amount), the table has their money before, after and its change beside
 * the pay, and each change's part in the drill-down says what it did to it. */
static void impact(GString *out, const wz_jv *m, bool zh, GHashTable *sources, int places, GString *data) {
    const wz_jv *rows = jarr(m, "rows"), *chs = jarr(m, "changes");
    guint nrows = rows ? wz_jv_len(rows) : 0;
    g_string_append(out, "<section id=\"impact\"><h2>");
    rh_text(out, rw(zh, RW_IMPACT));
    g_string_append(out, "</h2>\n<p>");
    const char *moved = jstr(m, "moved");
    char *line = g_strdup_printf(rw(zh, RW_CHANGED_OF), (guint)jint(m, "changed"), (guint)jint(m, "persons"), (guint)jint(m, "gain"),
                                 (guint)jint(m, "lose"), (guint)jint(m, "grade_changed"), (guint)jint(m, "sanctions_changed"),
                                 moved ? moved : "0");
    rh_text(out, line);
    g_free(line);
    g_string_append(out, "</p>\n<div class=\"grid\"><div><h3>");
    rh_text(out, rw(zh, RW_PARTS));
    g_string_append(out, "</h3><table>");
    rh_head_row(out, (rh_th[]){{rw(zh, RW_CHANGE), false}, {rw(zh, RW_PERSONS_CHANGED), true}, {rw(zh, RW_MOVED), true}}, 3);
    for (guint i = 0; chs && i < wz_jv_len(chs); i++) {
        const wz_jv *c = wz_jv_at(chs, i);
        g_string_append(out, "<tr><td>");
        rh_text(out, jstr(c, "change"));
        const char *note = jstr(c, "changes_no_value") ? jstr(c, "changes_no_value")
                           : jstr(c, "counted_elsewhere") ? jstr(c, "counted_elsewhere") : jstr(c, "why");
        if (note) {
            g_string_append(out, "</td><td colspan=\"2\" class=\"note\">");
            rh_text(out, note);
        } else {
            g_string_append_printf(out, "</td><td class=\"num\">%u</td><td class=\"num\">", (guint)jint(c, "persons"));
            rh_text(out, jstr(c, "moved"));
        }
        g_string_append(out, "</td></tr>\n");
    }
    g_string_append(out, "</table></div>\n");
    /* the chart: each person's change of pay (of the awards when only awards pay them, of the
     * total when nobody is paid), largest first */
    bool pay = nrows && jstr(wz_jv_at(rows, 0), "pay_old");
    bool awards = nrows && wz_jv_get(wz_jv_at(rows, 0), "awards_old");   /* null for an entity's row, absent when no award pays persons */
    enum { CHART_MAX = 60 };
    guint nbars = MIN(nrows, CHART_MAX);
    rh_bar *bars = g_new0(rh_bar, MAX(nbars, 1));
    GPtrArray *strings = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < nbars; i++) {
        const wz_jv *r = wz_jv_at(rows, i);
        wz_dec a = WZ_DEC_ZERO, b = WZ_DEC_ZERO, delta = WZ_DEC_ZERO;
        dec_of(jstr(r, pay ? "pay_old" : awards ? "awards_old" : "total_old"), &a);
        dec_of(jstr(r, pay ? "pay_new" : awards ? "awards_new" : "total_new"), &b);
        wz_dec_sub(b, a, &delta);
        const char *name = jstr(r, "name");
        char *label = name ? g_strdup_printf("%s %s", jstr(r, "id"), name) : g_strdup(jstr(r, "id"));
        char *sh = pay ? signed_text(delta, places) : awards ? signed_money(delta, 0) : signed_text(delta, -1);
        g_ptr_array_add(strings, label);
        g_ptr_array_add(strings, sh);
        bars[i] = (rh_bar){label, to_double(delta), sh};
    }
    if (nbars) {
        char *caption = nrows > CHART_MAX ? g_strdup_printf("%s (%s)", rw(zh, RW_CHANGE_CHART), rw(zh, RW_CHART_CAP)) : NULL;
        char *cap = caption ? g_strdup_printf(caption, CHART_MAX, nrows) : g_strdup_printf("%s: %s", rw(zh, RW_CHANGE_CHART),
                                                                                           rw(zh, pay ? RW_DPAY : awards ? RW_DAWARDS : RW_DTOTAL));
        g_string_append(out, "<div>");
        rh_bars(out, cap, bars, nbars, true);
        g_string_append(out, "</div>\n");
        g_free(caption);
        g_free(cap);
    }
    g_free(bars);
    g_ptr_array_free(strings, TRUE);
    g_string_append(out, "</div>\n");
    /* the table, with each person's parts as the drill-down */
    rh_table *t = rh_table_new("table-impact");
    rh_table_column(t, rw(zh, RW_ID), "id", false, false);
    rh_table_column(t, rw(zh, RW_NAME), "name", false, false);
    rh_table_column(t, rw(zh, RW_TOTAL_OLD), "total_old", true, false);
    rh_table_column(t, rw(zh, RW_TOTAL_NEW), "total_new", true, false);
    rh_table_column(t, rw(zh, RW_DTOTAL), "dtotal", true, !pay && !awards);
    if (pay) {
        rh_table_column(t, rw(zh, RW_PAY_OLD), "pay_old", true, false);
        rh_table_column(t, rw(zh, RW_PAY_NEW), "pay_new", true, false);
        rh_table_column(t, rw(zh, RW_DPAY), "dpay", true, true);
    }
    if (awards) {
        rh_table_column(t, rw(zh, RW_AWARDS_OLD), "awards_old", true, false);
        rh_table_column(t, rw(zh, RW_AWARDS_NEW), "awards_new", true, false);
        rh_table_column(t, rw(zh, RW_DAWARDS), "dawards", true, !pay);
    }
    rh_table_column(t, rw(zh, RW_GRADE), "grade", false, false);
    rh_table_column(t, rw(zh, RW_SANCTIONS_COL), "sanctions", false, false);
    bool first = true;
    for (guint i = 0; i < nrows; i++) {
        const wz_jv *r = wz_jv_at(rows, i);
        const char *id = jstr(r, "id");
        rh_table_row(t, id);
        GString *h = g_string_new(NULL);
        rh_text(h, id);
        rh_table_cell(t, h->str, false, WZ_DEC_ZERO, id);
        g_string_truncate(h, 0);
        rh_text(h, jstr(r, "name"));
        rh_table_cell(t, h->str, false, WZ_DEC_ZERO, jstr(r, "name"));
        const char *pairs[3][2] = {{"total_old", "total_new"}, {"pay_old", "pay_new"}, {"awards_old", "awards_new"}};
        for (int k = 0; k < 3; k++) {
            if ((k == 1 && !pay) || (k == 2 && !awards)) continue;
            wz_dec a, b, delta = WZ_DEC_ZERO;
            bool ha = dec_of(jstr(r, pairs[k][0]), &a), hb = dec_of(jstr(r, pairs[k][1]), &b);
            for (int v = 0; v < 2; v++) {
                g_string_truncate(h, 0);
                rh_text(h, jstr(r, pairs[k][v]));
                rh_table_cell(t, h->str, v ? hb : ha, v ? (hb ? b : WZ_DEC_ZERO) : (ha ? a : WZ_DEC_ZERO), NULL);
            }
            bool hd = ha && hb && wz_dec_sub(b, a, &delta) == WZ_DEC_OK;
            char *s = !hd ? g_strdup("") : k == 2 ? signed_money(delta, pay ? places : 0) : signed_text(delta, k == 1 ? places : -1);
            g_string_truncate(h, 0);
            g_string_append_printf(h, "<span class=\"%s\">%s</span>", wz_dec_sign(delta) < 0 ? "lose" : "gain", s);
            rh_table_cell(t, h->str, hd, delta, NULL);
            g_free(s);
        }
        for (int k = 0; k < 2; k++) {   /* grade and sanctions: before → after when they differ */
            const char *a = jstr(r, k ? "sanctions_old" : "grade_old"), *b = jstr(r, k ? "sanctions_new" : "grade_new");
            char *s = g_strcmp0(a, b) ? g_strdup_printf("%s → %s", a ? a : "", b ? b : "") : g_strdup(a ? a : "");
            g_string_truncate(h, 0);
            rh_text(h, s);
            rh_table_cell(t, h->str, false, WZ_DEC_ZERO, s);
            g_free(s);
        }
        g_string_free(h, TRUE);
        /* the drill-down: each change's part, with the line of the new version that makes it */
        GString *text = g_string_new(NULL);
        const char *name = jstr(r, "name");
        g_string_append_printf(text, "%s%s%s\n", id, name ? " " : "", name ? name : "");
        const wz_jv *alone = jarr(r, "alone");
        for (guint k = 0; alone && k < wz_jv_len(alone); k++) {
            const wz_jv *p = wz_jv_at(alone, k);
            const char *ch = jstr(p, "change"), *src = g_hash_table_lookup(sources, ch ? ch : "");
            g_string_append_printf(text, "  %s%s%s%s: %s %s", ch, src && *src ? " (" : "", src && *src ? src : "", src && *src ? ")" : "",
                                   rw(zh, RW_TOTAL), jstr(p, "total"));
            if (jstr(p, "pay")) g_string_append_printf(text, ", %s %s", rw(zh, RW_AMOUNT), jstr(p, "pay"));
            if (jstr(p, "awards")) g_string_append_printf(text, ", %s %s", rw(zh, RW_AWARDS_COL), jstr(p, "awards"));
            g_string_append_c(text, '\n');
        }
        if (wz_jv_get_bool(r, "interacts"))
            g_string_append_printf(text, "  %s\n", rw(zh, RW_INTERACT));
        rh_json_member(data, &first, id, text->str);
        g_string_free(text, TRUE);
    }
    rh_table_finish(t, out, zh);
    g_string_append(out, "</section>\n");
}

GString *wz_report_diff(const wz_diff *d, const wz_impact *m, const wz_report_options *opts, wz_diags *diags) {
    bool zh = opts->zh;
    GString *dj = g_string_new(NULL), *mj = g_string_new(NULL);
    wz_diff_render(d, true, dj);
    if (m) wz_impact_render(m, true, mj);
    wz_jv *diff = parse(dj, diags), *imp = m && diff ? parse(mj, diags) : NULL;
    GString *out = NULL;
    if (!diff || (m && !imp)) goto done;
    out = g_string_new(NULL);
    char *title = g_strdup_printf(rw(zh, RW_DIFF_REPORT), d->a->version, d->b->version);
    rh_page_begin(out, zh, title);
    g_string_append(out, "<header class=\"wz\"><div class=\"inner\">\n<h1>");
    rh_text(out, title);
    g_free(title);
    g_string_append(out, "</h1>\n");
    policy_meta(out, d->a, zh, rw(zh, RW_OLD));
    policy_meta(out, d->b, zh, rw(zh, RW_NEW));
    g_string_append(out, "<p class=\"meta\">");
    rh_text(out, rw(zh, RW_GENERATED));
    g_string_append(out, " <b>");
    rh_date(out, opts->generated);
    g_string_append(out, "</b> · wenze " WZ_VERSION "</p>\n<nav class=\"wz\"><a href=\"#changes\">");
    rh_text(out, rw(zh, RW_CHANGES));
    g_string_append(out, "</a>");
    if (imp) {
        g_string_append(out, "<a href=\"#impact\">");
        rh_text(out, rw(zh, RW_IMPACT));
        g_string_append(out, "</a>");
    }
    g_string_append(out, "<a href=\"#a-policy\">");
    rh_text(out, rw(zh, RW_OLD));
    g_string_append(out, "</a><a href=\"#b-policy\">");
    rh_text(out, rw(zh, RW_NEW));
    g_string_append(out, "</a></nav>\n</div></header>\n<main>\n");
    if (opts->facts_dir) facts_table(out, d, opts->facts_dir, zh);
    GHashTable *sources = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    changes(out, diff, zh, sources);
    GString *data = g_string_new("{\"files\":{");
    rh_json_string(data, rh_file_name(d->a->src->name));
    g_string_append(data, ":\"a-\",");
    rh_json_string(data, rh_file_name(d->b->src->name));
    g_string_append(data, ":\"b-\"},\"missing\":\"\",\"shown\":");
    rh_json_string(data, rw(zh, RW_SHOWN));
    g_string_append(data, ",\"explain\":{");
    if (imp) impact(out, imp, zh, sources, d->b->distribute ? d->b->distribute->places : 2, data);
    g_string_append(data, "}}");
    g_hash_table_unref(sources);
    char *old_h = g_strdup_printf("%s (%s)", rw(zh, RW_POLICY_TEXT), rw(zh, RW_OLD));
    char *new_h = g_strdup_printf("%s (%s)", rw(zh, RW_POLICY_TEXT), rw(zh, RW_NEW));
    rh_policy_text(out, d->a, old_h, "a-");
    rh_policy_text(out, d->b, new_h, "b-");
    g_free(old_h);
    g_free(new_h);
    g_string_append(out, "</main>\n");
    rh_page_end(out, data);
    g_string_free(data, TRUE);
done:
    wz_jv_free(diff);
    wz_jv_free(imp);
    g_string_free(dj, TRUE);
    g_string_free(mj, TRUE);
    return out;
}
