/* report.c — a run's HTML page (report.h): header, summary, charts, the
 * table of every person and entity with drill-downs, the policy text. */
#include "report_internal.h"

#include <string.h>

#include "explain.h"
#include "output.h"
#include "sha256.h"

typedef struct run_page {
    const wz_result *r;
    const wz_policy *p;
    const wz_report_options *o;
    bool zh;
    GString *out;
} run_page;

static const wz_def *def_at(const wz_policy *p, int d) { return g_ptr_array_index(p->defs, (guint)d); }
static const wz_kind_run *run_at(const wz_result *r, guint k) { return g_ptr_array_index(r->runs, k); }

/* A def's words and name: "考勤 attendance", or the name alone. */
static char *def_title(const wz_def *def) {
    return def->text ? g_strdup_printf("%s %s", def->text, def->name) : g_strdup(def->name);
}

static const char *member(const wz_def *def, int i) {
    return def->members && i >= 0 && (guint)i < def->members->len ? g_ptr_array_index(def->members, (guint)i) : "";
}

/* Whether the policy scores persons (the condition of scores.csv). */
static bool scores_persons(const wz_result *r) {
    const wz_policy *p = r->policy;
    return r->facts->npersons > 0 &&
           (p->sections->len || p->grade_def >= 0 || p->distribute || (p->kinds->len == 1 && p->awards->len == 0));
}

static int money_places(const wz_policy *p) { return p->distribute ? p->distribute->places : p->display_places; }

/* ---- header ---- */

static void header(run_page *g) {
    const wz_policy *p = g->p;
    GString *out = g->out;
    g_string_append(out, "<header class=\"wz\"><div class=\"inner\">\n<h1>");
    rh_text(out, p->title);
    g_string_append(out, "</h1>\n<p class=\"meta\">");
    rh_text(out, rw(g->zh, RW_REPORT));
    g_string_append(out, " · ");
    rh_text(out, rw(g->zh, RW_VERSION));
    g_string_append(out, " <b>");
    rh_text(out, p->version);
    g_string_append(out, "</b>");
    if (p->has_effective) {
        char a[11], b[11];
        wz_date_format(p->effective_from, a);
        wz_date_format(p->effective_to, b);
        g_string_append(out, " · ");
        char *s = g_strdup_printf(rw(g->zh, RW_EFFECTIVE), a, b);
        rh_text(out, s);
        g_free(s);
    }
    g_string_append(out, " · ");
    rh_text(out, rw(g->zh, RW_GENERATED));
    g_string_append(out, " <b>");
    rh_date(out, g->o->generated);
    g_string_append(out, "</b></p>\n<p class=\"meta\">");
    rh_text(out, rw(g->zh, RW_POLICY_FILE));
    g_string_append(out, " <code>");
    rh_text(out, rh_file_name(p->src->name));
    char sha[65];
    wz_sha256_hex(p->src->text, p->src->len, sha);
    g_string_append_printf(out, "</code> <span class=\"hash\">sha256 %s</span> · wenze " WZ_VERSION "</p>\n", sha);
    g_string_append(out, "<nav class=\"wz\">");
    static const report_word links[] = {RW_SUMMARY, RW_CHARTS, RW_TABLES, RW_POLICY_TEXT};
    static const char *const anchors[] = {"summary", "charts", "tables", "policy"};
    for (guint i = 0; i < G_N_ELEMENTS(links); i++) {
        g_string_append_printf(out, "<a href=\"#%s\">", anchors[i]);
        rh_text(out, rw(g->zh, links[i]));
        g_string_append(out, "</a>");
    }
    g_string_append(out, "</nav>\n</div></header>\n<main>\n");
}

/* The facts files (name, rows, SHA-256) and the params with where each came from. */
static void inputs(run_page *g) {
    const wz_result *r = g->r;
    const wz_policy *p = g->p;
    GString *out = g->out;
    g_string_append(out, "<div class=\"grid\"><div><h3>");
    rh_text(out, rw(g->zh, RW_FACTS));
    g_string_append(out, " · <code>");
    rh_text(out, g->o->facts_dir ? g->o->facts_dir : "");
    g_string_append(out, "</code></h3>\n<table class=\"facts\">");
    rh_head_row(out, (rh_th[]){{rw(g->zh, RW_FILE), false}, {rw(g->zh, RW_ROWS), true}, {rw(g->zh, RW_IGNORED), true}, {"SHA-256", false}}, 4);
    for (guint t = 0; t < p->facts->len; t++) {
        const wz_fact_schema *s = g_ptr_array_index(p->facts, t);
        const wz_fact_table *ft = g_ptr_array_index(run_at(r, (guint)s->entity)->facts->tables, t);
        if (!ft->present) continue;
        g_string_append(out, "<tr><td><code>");
        rh_text(out, wz_output_fact_file(r, t));
        g_string_append_printf(out, "</code></td><td class=\"num\">%u</td><td class=\"num\">%u</td><td class=\"hash\">%s</td></tr>\n",
                               ft->rows_read, ft->rows_ignored, ft->sha256);
    }
    g_string_append(out, "</table></div>\n<div><h3>");
    rh_text(out, rw(g->zh, RW_PARAMS));
    g_string_append(out, "</h3>\n<table class=\"facts\">");
    rh_head_row(out, (rh_th[]){{rw(g->zh, RW_PARAM), false}, {rw(g->zh, RW_VALUE), false}, {rw(g->zh, RW_FROM), false}}, 3);
    for (guint i = 0; i < p->params->len; i++) {
        const wz_param_decl *pd = g_ptr_array_index(p->params, i);
        const wz_value *v = &r->params[i];
        g_string_append(out, "<tr><td><a class=\"src\" href=\"#L");
        uint32_t line = 0, col = 0;
        wz_source_position(pd->span.src ? pd->span.src : p->src, pd->span.start, &line, &col);
        g_string_append_printf(out, "%u\"><code>", line);
        rh_text(out, pd->name);
        g_string_append(out, "</code></a></td><td class=\"num\">");
        if (v->tag == WZ_V_NUM) wz_append_dec(out, v->d, 0, 30);
        else if (v->tag == WZ_V_DATE) {
            char buf[11];
            wz_date_format((wz_date)v->i, buf);
            g_string_append(out, buf);
        } else if (v->tag == WZ_V_BOOL) g_string_append(out, v->i ? "true" : "false");
        else if (v->tag == WZ_V_STR) rh_text(out, v->s);
        g_string_append(out, "</td><td>");
        rh_text(out, r->param_sources[i]);
        g_string_append(out, "</td></tr>\n");
    }
    g_string_append(out, "</table></div></div>\n");
}

/* ---- summary ---- */

static void card(GString *out, const char *label, const char *value) {
    g_string_append(out, "<div class=\"card\"><dt>");
    rh_text(out, label);
    g_string_append(out, "</dt><dd>");
    rh_text(out, value);
    g_string_append(out, "</dd></div>");
}

static void card_dec(GString *out, const char *label, wz_dec d, int places) {
    GString *s = g_string_new(NULL);
    rh_dec(s, d, places);
    card(out, label, s->str);
    g_string_free(s, TRUE);
}

static int dec_cmp(gconstpointer a, gconstpointer b) { return wz_dec_cmp(*(const wz_dec *)a, *(const wz_dec *)b); }

/* The persons' totals, sorted (those with a total). */
static GArray *sorted_totals(const wz_result *r) {
    GArray *t = g_array_new(FALSE, FALSE, sizeof(wz_dec));
    for (uint32_t i = 0; scores_persons(r) && i < r->facts->npersons; i++) {
        wz_value v = wz_vm_value(r->vm, r->policy->total_def, i);
        if (v.tag == WZ_V_NUM) g_array_append_val(t, v.d);
    }
    g_array_sort(t, dec_cmp);
    return t;
}

/* Σ of values, exactly; false on overflow (then the figure is not shown). */
static bool dec_sum(const wz_dec *v, guint n, wz_dec *sum) {
    *sum = WZ_DEC_ZERO;
    for (guint i = 0; i < n; i++)
        if (wz_dec_add(*sum, v[i], sum) != WZ_DEC_OK) return false;
    return true;
}

/* Counts of each sanction's tiers over every kind: counts[def][tier]. */
static GHashTable *tier_counts(const wz_result *r) {
    GHashTable *h = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    for (guint k = 0; k < r->runs->len; k++) {
        const wz_kind_run *run = run_at(r, k);
        for (guint i = 0; i < run->vm->findings->len; i++) {
            const wz_finding *f = g_ptr_array_index(run->vm->findings, i);
            const wz_def *def = def_at(r->policy, f->def);
            if (def->kind != WZ_DEF_SANCTION || f->decide >= 0) continue;
            guint *c = g_hash_table_lookup(h, GINT_TO_POINTER(f->def + 1));
            if (!c) {
                const wz_ladder *l = g_ptr_array_index(r->policy->ladders, def->ladder);
                c = g_new0(guint, l->ntiers);
                g_hash_table_insert(h, GINT_TO_POINTER(f->def + 1), c);
            }
            c[f->tier]++;
        }
    }
    return h;
}

static void summary(run_page *g, GHashTable *tiers) {
    const wz_result *r = g->r;
    const wz_policy *p = g->p;
    GString *out = g->out;
    bool zh = g->zh;
    g_string_append(out, "<section id=\"summary\"><h2>");
    rh_text(out, rw(zh, RW_SUMMARY));
    g_string_append(out, "</h2>\n<dl class=\"cards\">");
    for (guint k = 0; k < r->runs->len; k++) {
        const wz_entity_kind *ek = g_ptr_array_index(p->kinds, k);
        if (k == 0 && r->facts->npersons == 0 && r->runs->len > 1) continue;
        char *n = g_strdup_printf("%u", run_at(r, k)->facts->npersons);
        card(out, k == 0 ? rw(zh, RW_PERSONS) : ek->label ? ek->label : ek->name, n);
        g_free(n);
    }
    wz_result_counts counts = wz_result_count(r);
    char *n = g_strdup_printf("%u", counts.findings);
    card(out, rw(zh, RW_FINDINGS), n);
    g_free(n);
    GArray *totals = sorted_totals(r);
    if (totals->len) {
        const wz_dec *t = (const wz_dec *)totals->data;
        wz_dec sum, mean, median;
        int places = p->display_places;
        if (dec_sum(t, totals->len, &sum) && wz_dec_div(sum, wz_dec_from_int(totals->len), &mean) == WZ_DEC_OK)
            card_dec(out, rw(zh, RW_MEAN), mean, places);
        guint m = totals->len / 2;
        if (totals->len % 2) card_dec(out, rw(zh, RW_MEDIAN), t[m], places);
        else if (wz_dec_add(t[m - 1], t[m], &median) == WZ_DEC_OK && wz_dec_div(median, wz_dec_from_int(2), &median) == WZ_DEC_OK)
            card_dec(out, rw(zh, RW_MEDIAN), median, places);
        card_dec(out, rw(zh, RW_MIN), t[0], places);
        card_dec(out, rw(zh, RW_MAX), t[totals->len - 1], places);
    }
    g_array_free(totals, TRUE);
    g_string_append(out, "</dl>\n");
    inputs(g);
    g_string_append(out, "<div class=\"grid\">");
    if (p->grade_def >= 0 && scores_persons(r)) {   /* grade counts, in the order the policy lists them */
        const wz_def *gd = def_at(p, p->grade_def);
        guint nm = gd->members ? gd->members->len : 0, none = 0;
        guint *c = g_new0(guint, nm + 1);
        for (uint32_t i = 0; i < r->facts->npersons; i++)
            if (r->grade[i] >= 0 && (guint)r->grade[i] < nm) c[r->grade[i]]++;
            else none++;
        g_string_append(out, "<div><h3>");
        rh_text(out, rw(zh, RW_GRADES));
        g_string_append(out, "</h3><table>");
        rh_head_row(out, (rh_th[]){{rw(zh, RW_GRADE), false}, {rw(zh, RW_COUNT), true}}, 2);
        for (guint i = 0; i <= nm; i++) {
            if (i == nm && !none) break;
            g_string_append(out, "<tr><td>");
            rh_text(out, i < nm ? member(gd, (int)i) : rw(zh, RW_NONE));
            g_string_append_printf(out, "</td><td class=\"num\">%u</td></tr>\n", i < nm ? c[i] : none);
        }
        g_string_append(out, "</table></div>\n");
        g_free(c);
    }
    /* sanctions by tier, each with the rule's line */
    g_string_append(out, "<div><h3>");
    rh_text(out, rw(zh, RW_SANCTIONS));
    g_string_append(out, "</h3>");
    if (!g_hash_table_size(tiers)) {
        g_string_append(out, "<p class=\"note\">");
        rh_text(out, rw(zh, RW_NO_SANCTIONS));
        g_string_append(out, "</p>");
    } else {
        g_string_append(out, "<table>");
        rh_head_row(out, (rh_th[]){{rw(zh, RW_SANCTION), false}, {rw(zh, RW_TIER), false}, {rw(zh, RW_COUNT), true}, {NULL, false}}, 4);
        for (guint d = 0; d < p->defs->len; d++) {
            const guint *c = g_hash_table_lookup(tiers, GINT_TO_POINTER(d + 1));
            if (!c) continue;
            const wz_def *def = def_at(p, (int)d);
            const wz_ladder *l = g_ptr_array_index(p->ladders, def->ladder);
            for (guint t = 0; t < l->ntiers; t++) {
                if (!c[t]) continue;
                char *title = def_title(def);
                g_string_append(out, "<tr><td>");
                rh_text(out, title);
                g_string_append(out, "</td><td>");
                rh_text(out, l->tiers[t].text ? l->tiers[t].text : l->tiers[t].name);
                g_string_append_printf(out, "</td><td class=\"num\">%u</td><td>", c[t]);
                rh_source_link(out, p, def->span, "");
                g_string_append(out, "</td></tr>\n");
                g_free(title);
            }
        }
        g_string_append(out, "</table>");
    }
    g_string_append(out, "</div>\n");
    if (p->awards->len) {   /* per award rule: how many, Σ rewards, Σ fines */
        g_string_append(out, "<div><h3>");
        rh_text(out, rw(zh, RW_AWARDS));
        g_string_append(out, "</h3><table>");
        rh_head_row(out, (rh_th[]){{rw(zh, RW_AWARD), false}, {rw(zh, RW_COUNT), true}, {rw(zh, RW_REWARDS), true}, {rw(zh, RW_FINES), true},
                               {NULL, false}}, 5);
        for (guint a = 0; a < p->awards->len; a++) {
            int d = g_array_index(p->awards, int, a);
            guint count = 0;
            wz_dec plus = WZ_DEC_ZERO, minus = WZ_DEC_ZERO;
            for (guint k = 0; k < r->runs->len; k++) {
                const wz_kind_run *run = run_at(r, k);
                for (guint i = 0; i < run->vm->findings->len; i++) {
                    const wz_finding *f = g_ptr_array_index(run->vm->findings, i);
                    if (f->def != d || f->decide >= 0) continue;
                    count++;
                    if (wz_dec_sign(f->points) > 0) wz_dec_add(plus, f->points, &plus);
                    else wz_dec_add(minus, f->points, &minus);
                }
            }
            char *title = def_title(def_at(p, d));
            g_string_append(out, "<tr><td>");
            rh_text(out, title);
            g_string_append_printf(out, "</td><td class=\"num\">%u</td><td class=\"num\">", count);
            rh_dec(out, plus, money_places(p));
            g_string_append(out, "</td><td class=\"num\">");
            rh_dec(out, minus, money_places(p));
            g_string_append(out, "</td><td>");
            rh_source_link(out, p, def_at(p, d)->span, "");
            g_string_append(out, "</td></tr>\n");
            g_free(title);
        }
        g_string_append(out, "</table></div>\n");
    }
    if (r->has_pay) {   /* the pool's arithmetic, exactly */
        int places = p->distribute->places;
        wz_dec shared = WZ_DEC_ZERO;
        wz_dec_sub(r->pool, r->stipends, &shared);
        g_string_append(out, "<div><h3>");
        rh_text(out, rw(zh, RW_POOL));
        g_string_append(out, " · ");
        rh_source_link(out, p, p->distribute->span, "");
        g_string_append(out, "</h3><table>");
        struct {
            report_word w;
            wz_dec d;
            int min, max;
        } rows[] = {{RW_POOL_TOTAL, r->pool, places, 30},         {RW_STIPENDS, r->stipends, places, 30},
                    {RW_SHARED, shared, places, 30},              {RW_UNITS, r->units, 0, p->display_places},
                    {RW_UNIT, r->unit, 0, p->display_places},     {RW_DISTRIBUTED, r->distributed, places, 30},
                    {RW_RESIDUE, r->residue, places, 30}};
        for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
            g_string_append(out, "<tr><th>");
            rh_text(out, rw(zh, rows[i].w));
            g_string_append(out, "</th><td class=\"num\">");
            if (rows[i].max == 30) wz_append_dec(out, rows[i].d, rows[i].min, 30);
            else rh_dec(out, rows[i].d, rows[i].max);
            g_string_append(out, "</td></tr>\n");
        }
        g_string_append(out, "</table></div>\n");
    }
    g_string_append(out, "</div></section>\n");
}

/* ---- charts ---- */

static char *shown(wz_dec d, int places) {
    GString *s = g_string_new(NULL);
    rh_dec(s, d, places);
    return g_string_free(s, FALSE);
}

/* Geometry only: a bar's length, never a figure shown. */
static double to_double(wz_dec d) { return (double)d.num / (double)d.den; }

static void charts(run_page *g, GHashTable *tiers) {
    const wz_result *r = g->r;
    const wz_policy *p = g->p;
    GString *out = g->out;
    bool zh = g->zh;
    g_string_append(out, "<section id=\"charts\"><h2>");
    rh_text(out, rw(zh, RW_CHARTS));
    g_string_append(out, "</h2>\n<div class=\"grid\">\n");
    GArray *totals = sorted_totals(r);
    if (totals->len) {   /* ten bands from the lowest total to the highest */
        enum { BANDS = 10 };
        const wz_dec *t = (const wz_dec *)totals->data;
        double lo = to_double(t[0]), hi = to_double(t[totals->len - 1]);
        guint counts[BANDS] = {0};
        char *edges[BANDS + 1];
        guint nb = hi > lo ? BANDS : 1;
        for (guint i = 0; i <= nb; i++) edges[i] = g_strdup_printf("%.4g", lo + (hi - lo) * i / nb);
        for (guint i = 0; i < totals->len; i++) {
            guint b = hi > lo ? (guint)((to_double(t[i]) - lo) / (hi - lo) * nb) : 0;
            counts[MIN(b, nb - 1)]++;
        }
        g_string_append(out, "<div>");
        rh_histogram(out, rw(zh, RW_HIST), counts, edges, nb);
        g_string_append(out, "</div>\n");
        for (guint i = 0; i <= nb; i++) g_free(edges[i]);
    }
    g_array_free(totals, TRUE);
    /* each persons' section's mean */
    GArray *bars = g_array_new(FALSE, TRUE, sizeof(rh_bar));
    GPtrArray *strings = g_ptr_array_new_with_free_func(g_free);
    for (guint s = 0; scores_persons(r) && s < p->sections->len; s++) {
        int d = g_array_index(p->sections, int, s);
        if (def_at(p, d)->entity != 0) continue;
        wz_dec sum = WZ_DEC_ZERO, mean;
        guint n = 0;
        bool ok = true;
        for (uint32_t i = 0; i < r->facts->npersons; i++) {
            wz_value v = wz_vm_value(r->vm, d, i);
            if (v.tag != WZ_V_NUM) continue;
            ok = ok && wz_dec_add(sum, v.d, &sum) == WZ_DEC_OK;
            n++;
        }
        if (!ok || !n || wz_dec_div(sum, wz_dec_from_int(n), &mean) != WZ_DEC_OK) continue;
        char *label = def_title(def_at(p, d)), *sh = shown(mean, p->display_places);
        g_ptr_array_add(strings, label);
        g_ptr_array_add(strings, sh);
        rh_bar b = {label, to_double(mean), sh};
        g_array_append_val(bars, b);
    }
    if (bars->len) {
        g_string_append(out, "<div>");
        rh_bars(out, rw(zh, RW_SECTION_MEANS), (rh_bar *)bars->data, bars->len, false);
        g_string_append(out, "</div>\n");
    }
    g_array_set_size(bars, 0);
    if (r->has_pay) {   /* Σ amount per basis, with how many persons */
        const wz_def *bd = def_at(p, p->distribute->basis_def);
        guint nm = bd->members ? bd->members->len : 0;
        for (guint m = 0; m < nm; m++) {
            wz_dec sum = WZ_DEC_ZERO;
            guint n = 0;
            for (uint32_t i = 0; i < r->facts->npersons; i++)
                if (r->pay[i].basis == (int)m) {
                    wz_dec_add(sum, r->pay[i].amount, &sum);
                    n++;
                }
            char *label = g_strdup_printf("%s (%u)", member(bd, (int)m), n), *sh = shown(sum, p->distribute->places);
            g_ptr_array_add(strings, label);
            g_ptr_array_add(strings, sh);
            rh_bar b = {label, to_double(sum), sh};
            g_array_append_val(bars, b);
        }
        g_string_append(out, "<div>");
        rh_bars(out, rw(zh, RW_PAY_BY_BASIS), (rh_bar *)bars->data, bars->len, false);
        g_string_append(out, "</div>\n");
    }
    g_array_set_size(bars, 0);
    for (guint d = 0; d < p->defs->len; d++) {
        const guint *c = g_hash_table_lookup(tiers, GINT_TO_POINTER(d + 1));
        if (!c) continue;
        const wz_def *def = def_at(p, (int)d);
        const wz_ladder *l = g_ptr_array_index(p->ladders, def->ladder);
        for (guint t = 0; t < l->ntiers; t++) {
            if (!c[t]) continue;
            char *label = g_strdup_printf("%s: %s", def->text ? def->text : def->name, l->tiers[t].text ? l->tiers[t].text : l->tiers[t].name);
            char *sh = g_strdup_printf("%u", c[t]);
            g_ptr_array_add(strings, label);
            g_ptr_array_add(strings, sh);
            rh_bar b = {label, c[t], sh};
            g_array_append_val(bars, b);
        }
    }
    if (bars->len) {
        g_string_append(out, "<div>");
        rh_bars(out, rw(zh, RW_TIERS_CHART), (rh_bar *)bars->data, bars->len, false);
        g_string_append(out, "</div>\n");
    }
    g_array_free(bars, TRUE);
    g_ptr_array_free(strings, TRUE);
    g_string_append(out, "</div></section>\n");
}

/* ---- the tables, one per kind, and the drill-downs ---- */

/* A name column of the kind's population fact ("name", "姓名"), or -1. */
static int name_field(const wz_policy *p, guint kind, const wz_facts *facts, int *fact) {
    for (guint t = 0; t < p->facts->len; t++) {
        const wz_fact_schema *s = g_ptr_array_index(p->facts, t);
        if (!s->is_population || (guint)s->entity != kind) continue;
        for (guint f = 0; f < s->fields->len; f++) {
            const wz_field_schema *fs = g_ptr_array_index(s->fields, f);
            if (fs->type == WZ_FT_TEXT && (!strcmp(fs->name, "name") || !strcmp(fs->name, "姓名"))) {
                *fact = (int)t;
                return (int)f;
            }
        }
    }
    return -1;
}

static void cell_dec(rh_table *t, const wz_value *v, int places) {
    GString *s = g_string_new(NULL);
    if (v->tag == WZ_V_NUM) rh_dec(s, v->d, places);
    rh_table_cell(t, s->str, v->tag == WZ_V_NUM, v->tag == WZ_V_NUM ? v->d : WZ_DEC_ZERO, NULL);
    g_string_free(s, TRUE);
}

/* Money as pay.csv shows it: exactly the pool's places. */
static void cell_money(rh_table *t, wz_dec d, int places) {
    GString *s = g_string_new(NULL);
    wz_append_dec(s, d, places, places);
    rh_table_cell(t, s->str, true, d, NULL);
    g_string_free(s, TRUE);
}

static void cell_text(rh_table *t, const char *text) {
    GString *s = g_string_new(NULL);
    rh_text(s, text);
    rh_table_cell(t, s->str, false, WZ_DEC_ZERO, text);
    g_string_free(s, TRUE);
}

/* Appends a tier's words to entity e's list of sanctions ("通报批评, 警告"). */
static void add_tier(GPtrArray *sanctions, uint32_t e, const wz_policy *p, const wz_def *def, int tier_index) {
    const wz_ladder *l = g_ptr_array_index(p->ladders, def->ladder);
    const wz_tier *tier = &l->tiers[tier_index];
    char *old = g_ptr_array_index(sanctions, e);
    g_ptr_array_index(sanctions, e) = g_strdup_printf("%s%s%s", old ? old : "", old ? ", " : "", tier->text ? tier->text : tier->name);
    g_free(old);
}

static void kind_table(run_page *g, guint k, GString *data, bool *first_drill) {
    const wz_result *r = g->r;
    const wz_policy *p = g->p;
    const wz_kind_run *run = run_at(r, k);
    const wz_entity_kind *ek = g_ptr_array_index(p->kinds, k);
    GString *out = g->out;
    bool zh = g->zh, persons = k == 0, scored = persons && scores_persons(r);
    uint32_t n = run->facts->npersons;
    char *id = g_strdup_printf("table-%u", k);
    const char *kind_word = persons ? rw(zh, RW_PERSONS) : ek->label ? ek->label : ek->name;
    g_string_append_printf(out, "<section id=\"%s-section\"><h2>", id);
    char *heading = g_strdup_printf(rw(zh, RW_TABLE), kind_word);
    rh_text(out, heading);
    g_free(heading);
    g_string_append_printf(out, " (%u)</h2>\n", n);
    rh_table *t = rh_table_new(id);
    int name_fact = -1, nf = name_field(p, k, run->facts, &name_fact);
    rh_table_column(t, rw(zh, RW_ID), "id", false, false);
    if (nf >= 0) rh_table_column(t, rw(zh, RW_NAME), "name", false, false);
    GArray *cols = g_array_new(FALSE, FALSE, sizeof(int));   /* the defs shown: sections, then the total */
    for (guint s = 0; s < p->sections->len; s++) {
        int d = g_array_index(p->sections, int, s);
        if (def_at(p, d)->entity == (int)k && (!persons || scored)) g_array_append_val(cols, d);
    }
    bool total = scored || (def_at(p, p->total_def)->entity == (int)k && !persons && cols->len);
    for (guint c = 0; c < cols->len; c++) {
        const wz_def *def = def_at(p, g_array_index(cols, int, c));
        rh_table_column(t, def->text ? def->text : def->name, def->name, true, false);
    }
    if (total) rh_table_column(t, rw(zh, RW_TOTAL), "total", true, true);
    bool grade = scored && p->grade_def >= 0;
    if (grade) rh_table_column(t, rw(zh, RW_GRADE), "grade", false, false);
    bool awards = p->awards->len > 0;
    if (awards) rh_table_column(t, rw(zh, RW_AWARDS_COL), "awards", true, !total);
    rh_table_column(t, rw(zh, RW_SANCTIONS_COL), "sanctions", false, false);
    bool pay = persons && r->has_pay;
    if (pay) {
        rh_table_column(t, rw(zh, RW_BASIS), "basis", false, false);
        rh_table_column(t, rw(zh, RW_AMOUNT), "pay", true, false);
    }
    /* per entity: its sanctions' tiers and its awards' sum, from its findings (sorted by entity) */
    GPtrArray *sanctions = g_ptr_array_new_with_free_func(g_free);
    wz_dec *award_sum = g_new0(wz_dec, MAX(n, 1));
    for (uint32_t i = 0; i < n; i++) {
        g_ptr_array_add(sanctions, NULL);
        award_sum[i] = WZ_DEC_ZERO;
    }
    for (guint i = 0; i < run->vm->findings->len; i++) {
        const wz_finding *f = g_ptr_array_index(run->vm->findings, i);
        const wz_def *def = def_at(p, f->def);
        if (f->decide >= 0) continue;
        if (persons && def->blame) continue;   /* a person's part comes from who answers for it, below */
        if (def->kind == WZ_DEF_AWARD) wz_dec_add(award_sum[f->person], f->points, &award_sum[f->person]);
        if (def->kind == WZ_DEF_SANCTION) add_tier(sanctions, f->person, p, def, f->tier);
    }
    /* A person's sanctions and awards are what sanctions.csv and awards.csv give them as
     * responsible persons — the measure each one bears, whoever's finding it was (a
     * safety accident's 班主任, a goal's lead) — not the findings made about them. */
    for (guint b = 0; persons && r->blame && b < r->blame->len; b++) {
        const wz_blame_line *line = &g_array_index(r->blame, wz_blame_line, b);
        const wz_finding *f = g_ptr_array_index(run_at(r, line->run)->vm->findings, line->finding);
        const wz_def *def = def_at(p, f->def);
        if (f->decide >= 0 || !line->measured) continue;
        if (def->kind == WZ_DEF_AWARD) wz_dec_add(award_sum[line->person], line->amount, &award_sum[line->person]);
        if (def->kind == WZ_DEF_SANCTION && line->tier >= 0) add_tier(sanctions, line->person, p, def, line->tier);
    }
    const wz_fact_table *names = name_fact >= 0 ? g_ptr_array_index(run->facts->tables, (guint)name_fact) : NULL;
    for (uint32_t i = 0; i < n; i++) {
        const char *key = wz_facts_person_id(run->facts, i);
        rh_table_row(t, key);
        cell_text(t, key);
        if (nf >= 0)
            cell_text(t, wz_column_is_missing(names->columns[nf], i) ? ""
                                                                      : wz_facts_string(run->facts, (uint32_t)wz_column_int(names->columns[nf], i)));
        for (guint c = 0; c < cols->len; c++) {
            wz_value v = wz_vm_value(run->vm, g_array_index(cols, int, c), i);
            cell_dec(t, &v, p->display_places);
        }
        if (total) {
            wz_value v = wz_vm_value(run->vm, p->total_def, i);
            cell_dec(t, &v, p->display_places);
        }
        if (grade) cell_text(t, r->grade[i] >= 0 ? member(def_at(p, p->grade_def), r->grade[i]) : "");
        if (awards) {
            wz_value v = wz_num(award_sum[i]);
            cell_dec(t, &v, money_places(p));
        }
        const char *sanc = g_ptr_array_index(sanctions, i);
        cell_text(t, sanc ? sanc : "");
        if (pay) {
            cell_text(t, member(def_at(p, p->distribute->basis_def), r->pay[i].basis));
            cell_money(t, r->pay[i].amount, p->distribute->places);
        }
        if (i < WZ_REPORT_EXPLAINED) {   /* the drill-down: explain's text */
            wz_explain_options eo = {.id = key, .format = WZ_EXPLAIN_TEXT, .zh = zh};
            wz_diags *quiet = wz_diags_new(0);
            GString *text = wz_explain(r, &eo, quiet);
            wz_diags_free(quiet);
            if (text) {
                rh_json_member(data, first_drill, key, text->str);
                g_string_free(text, TRUE);
            }
        }
    }
    rh_table_finish(t, out, zh);
    g_string_append(out, "</section>\n");
    g_free(award_sum);
    g_ptr_array_free(sanctions, TRUE);
    g_array_free(cols, TRUE);
    g_free(id);
}

GString *wz_report_run(const wz_result *r, const wz_report_options *opts, wz_diags *diags) {
    run_page g = {.r = r, .p = r->policy, .o = opts, .zh = opts->zh, .out = g_string_new(NULL)};
    char *title = g_strdup_printf("%s %s", r->policy->title, r->policy->version);
    rh_page_begin(g.out, g.zh, title);
    g_free(title);
    header(&g);
    GHashTable *tiers = tier_counts(r);
    summary(&g, tiers);
    charts(&g, tiers);
    g_hash_table_unref(tiers);
    GString *data = g_string_new("{\"files\":{");
    rh_json_string(data, rh_file_name(r->policy->src->name));
    g_string_append(data, ":\"\"}");
    char *missing = g_strdup_printf(rw(g.zh, RW_NOT_EMBEDDED), WZ_REPORT_EXPLAINED, opts->command ? opts->command : "wenze explain");
    g_string_append(data, ",\"missing\":");
    rh_json_string(data, missing);
    g_free(missing);
    g_string_append(data, ",\"shown\":");
    rh_json_string(data, rw(g.zh, RW_SHOWN));
    g_string_append(data, ",\"explain\":{");
    bool first = true;
    g_string_append(g.out, "<div id=\"tables\">\n");
    for (guint k = 0; k < r->runs->len; k++)   /* a policy about schools alone lists no persons */
        if (run_at(r, k)->facts->npersons || r->runs->len == 1) kind_table(&g, k, data, &first);
    g_string_append(g.out, "</div>\n");
    g_string_append(data, "}}");
    rh_policy_text(g.out, r->policy, rw(g.zh, RW_POLICY_TEXT), "");
    g_string_append(g.out, "</main>\n");
    rh_page_end(g.out, data);
    g_string_free(data, TRUE);
    return g.out;
}
