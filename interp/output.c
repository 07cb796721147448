/* output.c — scores.csv, pay.csv, awards.csv, kept.csv, sanctions.csv, findings.jsonl, summary.json. */
#include "output.h"

#include "history.h"

#include "sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <linux/fs.h>   /* RENAME_EXCHANGE, RENAME_NOREPLACE */
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

void wz_csv_field(GString *out, const char *s) {
    if (!strpbrk(s, ",\"\r\n")) {
        g_string_append(out, s);
        return;
    }
    g_string_append_c(out, '"');
    for (; *s; s++) {
        if (*s == '"') g_string_append_c(out, '"');
        g_string_append_c(out, *s);
    }
    g_string_append_c(out, '"');
}

/* in_html: also <, > and & as \u escapes, so that no "</script>" can end an HTML script block early. */
static void json_string(GString *out, const char *s, bool in_html) {
    g_string_append_c(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        /* a run of bytes that need no escape goes in one append */
        const unsigned char *run = p;
        while (*p >= 0x20 && *p != '"' && *p != '\\' && !(in_html && (*p == '<' || *p == '>' || *p == '&'))) p++;
        if (p > run) g_string_append_len(out, (const char *)run, p - run);
        if (!*p) break;
        switch (*p) {
        case '"': g_string_append(out, "\\\""); break;
        case '\\': g_string_append(out, "\\\\"); break;
        case '\n': g_string_append(out, "\\n"); break;
        case '\r': g_string_append(out, "\\r"); break;
        case '\t': g_string_append(out, "\\t"); break;
        default:
            if (*p < 0x20 || (in_html && (*p == '<' || *p == '>' || *p == '&'))) g_string_append_printf(out, "\\u%04x", *p);
            else g_string_append_c(out, (char)*p);
        }
    }
    g_string_append_c(out, '"');
}

void wz_json_string(GString *out, const char *s) { json_string(out, s, false); }

void wz_json_string_in_html(GString *out, const char *s) { json_string(out, s, true); }

void wz_append_dec(GString *out, wz_dec d, int min_places, int max_places) {
    char buf[128];
    size_t n = wz_dec_format(d, min_places, max_places, buf, sizeof buf);
    if (n < sizeof buf) g_string_append(out, buf);
    else {
        char *s = wz_dec_to_string(d, min_places, max_places);
        g_string_append(out, s);
        g_free(s);
    }
}

static void append_value(GString *out, const wz_value *v, int places) {
    if (v->tag == WZ_V_NUM) wz_append_dec(out, v->d, 0, places);
}

static const char *policy_file_name(const wz_policy *p) {
    const char *slash = strrchr(p->src->name, '/');
    return slash ? slash + 1 : p->src->name;
}

static const char *fact_file_name(const wz_fact_table *t) {
    if (!t->file) return "";
    const char *slash = strrchr(t->file, '/');
    return slash ? slash + 1 : t->file;
}

/* The file a rule or sanction was written in, as findings cite it: the
 * policy's file name, or "<stdlib>/NAME.wz" for the standard library. */
static const char *source_name_of(const wz_policy *p, wz_span at) {
    const wz_source *src = at.src ? at.src : p->src;
    if (g_str_has_prefix(src->name, "<stdlib>")) return src->name;
    const char *slash = strrchr(src->name, '/');
    return slash ? slash + 1 : src->name;
}

static uint32_t line_of(const wz_policy *p, wz_span at, uint32_t *col) {
    uint32_t line = 0, c = 0;
    wz_source_position(at.src ? at.src : p->src, at.start, &line, &c);
    if (col) *col = c;
    return line;
}

/* Member i of an enum-valued def's labels (a grade, a pay basis). */
static const char *label_name(const wz_def *def, int i) {
    return def->members && i >= 0 && (guint)i < def->members->len ? g_ptr_array_index(def->members, (guint)i) : "";
}

const char *wz_output_person_name(const wz_result *r, uint32_t i) {
    const wz_policy *p = r->policy;
    if (p->population < 0) return NULL;
    const wz_fact_schema *s = g_ptr_array_index(p->facts, (guint)p->population);
    int f = -1;
    for (guint k = 0; k < s->fields->len && f < 0; k++) {
        const wz_field_schema *fs = g_ptr_array_index(s->fields, k);
        if ((!strcmp(fs->name, "name") || !strcmp(fs->name, "姓名")) && fs->type == WZ_FT_TEXT) f = (int)k;
    }
    if (f < 0) return NULL;
    const wz_fact_table *t = g_ptr_array_index(r->facts->tables, (guint)p->population);
    return wz_column_is_missing(t->columns[f], i) ? NULL : wz_facts_string(r->facts, (uint32_t)wz_column_int(t->columns[f], i));
}

static GString *render_scores(const wz_result *r) {
    const wz_policy *p = r->policy;
    GString *out = g_string_new("person");
    for (guint s = 0; s < p->sections->len; s++) {
        g_string_append_c(out, ',');
        wz_csv_field(out, ((wz_def *)g_ptr_array_index(p->defs, g_array_index(p->sections, int, s)))->name);
    }
    g_string_append(out, ",total,grade\n");
    const wz_def *grades = p->grade_def >= 0 ? g_ptr_array_index(p->defs, p->grade_def) : NULL;
    for (uint32_t i = 0; i < r->facts->npersons; i++) {
        wz_csv_field(out, wz_facts_person_id(r->facts, i));
        for (guint s = 0; s < p->sections->len; s++) {
            g_string_append_c(out, ',');
            wz_value v = wz_vm_value(r->vm, g_array_index(p->sections, int, s), i);
            append_value(out, &v, p->display_places);
        }
        g_string_append_c(out, ',');
        wz_value t = wz_vm_value(r->vm, p->total_def, i);
        append_value(out, &t, p->display_places);
        g_string_append_c(out, ',');
        if (grades && r->grade[i] >= 0) wz_csv_field(out, label_name(grades, r->grade[i]));
        g_string_append_c(out, '\n');
    }
    return out;
}

/* pay.csv: a person's share of the pool; when the policy also pays persons awards
 * (money outside the pool: a 全勤奖, a fine), one column per award beside it and the
 * person's whole pay, `pay` = amount + the awards (issue 15.6).  Without person awards
 * the file is as it always was.  When the pay is in named parts (issue 15.1), a column
 * per part (its amount: reward + stipend of that part) before `amount`, their sum;
 * `basis` is then the first part's. */
static GString *render_pay(const wz_result *r) {
    const wz_policy *p = r->policy;
    const wz_def *bases = g_ptr_array_index(p->defs, p->distribute->basis_def);
    int places = wz_pay_places(p);
    bool named = p->distribute->name != NULL;
    GArray *awards = wz_person_awards(p);
    GString *out = g_string_new("person,basis,reward,stipend");
    for (guint k = 0; named && k < r->nparts; k++) {
        g_string_append_c(out, ',');
        wz_csv_field(out, r->parts[k].dist->name);
    }
    g_string_append(out, ",amount");
    for (guint k = 0; k < awards->len; k++) {
        g_string_append_c(out, ',');
        wz_csv_field(out, ((const wz_def *)g_ptr_array_index(p->defs, (guint)g_array_index(awards, int, k)))->name);
    }
    g_string_append(out, awards->len ? ",pay\n" : "\n");
    wz_dec **amounts = g_new(wz_dec *, awards->len + 1);
    for (guint k = 0; k < awards->len; k++) amounts[k] = wz_award_paid(r, g_array_index(awards, int, k));
    for (uint32_t i = 0; i < r->facts->npersons; i++) {
        const wz_pay_row *row = &r->pay[i];
        wz_csv_field(out, wz_facts_person_id(r->facts, i));
        g_string_append_c(out, ',');
        wz_csv_field(out, label_name(bases, row->basis));
        g_string_append_c(out, ',');
        wz_append_dec(out, row->reward, places, places);
        g_string_append_c(out, ',');
        wz_append_dec(out, row->stipend, places, places);
        for (guint k = 0; named && k < r->nparts; k++) {
            g_string_append_c(out, ',');
            wz_append_dec(out, r->parts[k].pay[i].amount, places, places);
        }
        g_string_append_c(out, ',');
        wz_append_dec(out, row->amount, places, places);
        wz_dec pay = row->amount;
        for (guint k = 0; k < awards->len; k++) {
            wz_dec a = amounts[k][i];
            g_string_append_c(out, ',');
            wz_append_dec(out, a, places, 30);
            if (wz_dec_add(pay, a, &pay) != WZ_DEC_OK) pay = WZ_DEC_ZERO;   /* money of 36 digits: not reached */
        }
        if (awards->len) {
            g_string_append_c(out, ',');
            wz_append_dec(out, pay, places, 30);
        }
        g_string_append_c(out, '\n');
    }
    for (guint k = 0; k < awards->len; k++) g_free(amounts[k]);
    g_free(amounts);
    g_array_free(awards, TRUE);
    return out;
}

int wz_pay_places(const wz_policy *p) {
    int places = 0;
    for (guint k = 0; k < p->parts->len; k++) {
        const wz_distribute *d = g_ptr_array_index(p->parts, k);
        if (d->places > places) places = d->places;
    }
    return places;
}

GArray *wz_person_awards(const wz_policy *p) {
    GArray *a = g_array_new(FALSE, FALSE, sizeof(int));
    for (guint k = 0; k < p->awards->len; k++) {
        int d = g_array_index(p->awards, int, k);
        const wz_def *def = g_ptr_array_index(p->defs, (guint)d);
        /* a person's own award, or a unit's that pays the persons who answer for it (a
         * leader's own amount, a share): money of theirs as much as a 全勤奖 */
        if (def->entity == 0 || def->blame) g_array_append_val(a, d);
    }
    return a;
}

static const char *tier_name(const wz_policy *p, const wz_def *def, int tier) {
    const wz_ladder *l = g_ptr_array_index(p->ladders, def->ladder);
    return l->tiers[tier].name;
}

static const wz_kind_run *run_at(const wz_result *r, guint k) { return g_ptr_array_index(r->runs, k); }

/* The table holding fact t's rows: each fact is loaded in its own kind's run. */
static const wz_fact_table *fact_table(const wz_result *r, guint t) {
    const wz_fact_schema *s = g_ptr_array_index(r->policy->facts, t);
    return g_ptr_array_index(run_at(r, (guint)s->entity)->facts->tables, t);
}

const char *wz_output_fact_file(const wz_result *r, guint fact) { return fact_file_name(fact_table(r, fact)); }

char *wz_output_source(const wz_policy *p, wz_span at, bool with_col) {
    uint32_t col = 0, line = line_of(p, at, &col);
    return with_col ? g_strdup_printf("%s:%u:%u", source_name_of(p, at), line, col)
                    : g_strdup_printf("%s:%u", source_name_of(p, at), line);
}

static const char *responsibility_word(int as) {
    return as == WZ_RESP_FIRST ? "第一责任人" : as == WZ_RESP_DIRECT ? "直接责任人" : "责任人";
}

/* Whether a sanction gives shares of its responsibility: then sanctions.csv
 * has a last column, share (a policy without them keeps its columns). */
static bool sanction_shares(const wz_policy *p) {
    for (guint d = 0; d < p->defs->len; d++) {
        const wz_def *def = g_ptr_array_index(p->defs, d);
        for (guint i = 0; def->kind == WZ_DEF_SANCTION && def->blame && i < def->blame->items->len; i++)
            if (g_array_index(def->blame->items, wz_blame_item, i).has_share) return true;
    }
    return false;
}

/* One line of sanctions.csv or awards.csv: WHO,WHAT,RULE,SOURCE[,ROLE,RESPONSIBILITY,UNIT[,SHARE]]. */
static void sanction_or_award_line(GString *out, const wz_result *r, const wz_def *def, const char *who, const char *what,
                                   const wz_dec *amount, const wz_blame_line *b, const char *unit, const char *incident) {
    const wz_policy *p = r->policy;
    wz_csv_field(out, who);
    g_string_append_c(out, ',');
    if (amount) {   /* awards.csv: entity,rule,amount (empty: answerable with no measure of their own) */
        wz_csv_field(out, def->name);
        g_string_append_c(out, ',');
        if (!b || b->measured) wz_append_dec(out, *amount, 0, 30);
    } else {        /* sanctions.csv: entity,sanction,rule */
        if (what) wz_csv_field(out, what);
        g_string_append_c(out, ',');
        wz_csv_field(out, def->name);
    }
    char *src = wz_output_source(p, def->span, false);
    g_string_append_c(out, ',');
    wz_csv_field(out, src);
    g_free(src);
    if (p->has_each) {   /* the incident's row, `accident.csv:3`, or window, `2019-09-01/2019-09-30` (empty for a rule about the whole entity) */
        g_string_append_c(out, ',');
        if (incident) wz_csv_field(out, incident);
    }
    if (r->has_blame) {   /* the responsible person's role, and the unit the finding is about */
        g_string_append_c(out, ',');
        if (b) wz_csv_field(out, b->role_name);
        g_string_append_c(out, ',');
        if (b) g_string_append(out, responsibility_word(b->as));
        g_string_append_c(out, ',');
        if (unit) wz_csv_field(out, unit);
        if (!amount && sanction_shares(p)) {   /* each one's part of the responsibility ("各承担50%") */
            g_string_append_c(out, ',');
            if (b && b->has_share) wz_append_dec(out, b->share, 0, 30);
        }
    }
    g_string_append_c(out, '\n');
}

/* The responsible persons' lines of finding i of run k: [*from, *to) of r->blame. */
static void blame_range(const wz_result *r, guint k, guint i, guint *cursor, guint *from, guint *to) {
    while (*cursor < r->blame->len) {
        const wz_blame_line *b = &g_array_index(r->blame, wz_blame_line, *cursor);
        if (b->run > k || (b->run == k && b->finding >= i)) break;
        (*cursor)++;
    }
    *from = *to = *cursor;
    while (*to < r->blame->len) {
        const wz_blame_line *b = &g_array_index(r->blame, wz_blame_line, *to);
        if (b->run != k || b->finding != i) break;
        (*to)++;
    }
}

/* sanctions.csv (def kind SANCTION) or awards.csv (AWARD): one line per
 * entity and rule, persons first, then each entity kind's, in their facts'
 * order; a rule that names who answers for it has a line per responsible
 * person instead, with their role.  The first column of sanctions.csv is
 * "person" in a policy about persons only, else "entity". */
static GString *render_lines(const wz_result *r, wz_def_kind want) {
    const wz_policy *p = r->policy;
    GString *out = g_string_new(want == WZ_DEF_AWARD ? "entity,rule,amount,source"
                                : p->kinds->len > 1 ? "entity,sanction,rule,source" : "person,sanction,rule,source");
    if (p->has_each) g_string_append(out, ",incident");   /* only where a rule is `for each`: other files stay as they were */
    g_string_append(out, !r->has_blame ? "\n"
                         : want == WZ_DEF_SANCTION && sanction_shares(p) ? ",role,responsibility,unit,share\n"
                                                                         : ",role,responsibility,unit\n");
    const wz_kind_run *persons = run_at(r, 0);
    guint cursor = 0;
    for (guint k = 0; k < r->runs->len; k++) {
        const wz_kind_run *run = run_at(r, k);
        for (guint i = 0; i < run->vm->findings->len; i++) {
            const wz_finding *f = g_ptr_array_index(run->vm->findings, i);
            const wz_def *def = g_ptr_array_index(p->defs, f->def);
            if (def->kind != want || f->decide >= 0) continue;   /* a conflict is no sanction or award */
            const char *what = want == WZ_DEF_SANCTION ? tier_name(p, def, f->tier) : NULL;
            char *incident = f->incident ? g_strdup_printf("%s:%u", fact_file_name(fact_table(r, (guint)def->each_fact)), f->incident)
                             : f->window ? wz_vm_window_text(run->vm, f)   /* a `for each W` line: its window */
                                         : NULL;
            if (!def->blame) {
                sanction_or_award_line(out, r, def, wz_facts_person_id(run->facts, f->person), what,
                                       want == WZ_DEF_AWARD ? &f->points : NULL, NULL, NULL, incident);
                g_free(incident);
                continue;
            }
            guint from, to;
            blame_range(r, k, i, &cursor, &from, &to);
            for (guint b = from; b < to; b++) {
                const wz_blame_line *line = &g_array_index(r->blame, wz_blame_line, b);
                if (want == WZ_DEF_SANCTION) what = line->tier >= 0 ? tier_name(p, def, line->tier) : NULL;
                sanction_or_award_line(out, r, def, wz_facts_person_id(persons->facts, line->person), what,
                                       want == WZ_DEF_AWARD ? &line->amount : NULL, line, wz_facts_person_id(run->facts, f->person),
                                       incident);
            }
            g_free(incident);
        }
    }
    return out;
}

static GString *render_sanctions(const wz_result *r) { return render_lines(r, WZ_DEF_SANCTION); }
static GString *render_awards(const wz_result *r) { return render_lines(r, WZ_DEF_AWARD); }

/* kept.csv: kind,entity,name,value — each kept value of every entity, for
 * later periods' previous() and streak() (see history.h).  Numbers are exact:
 * a decimal, or n/d when it does not terminate. */
static GString *render_kept(const wz_result *r) {
    const wz_policy *p = r->policy;
    GString *out = g_string_new("kind,entity,name,value\n");
    for (guint k = 0; k < r->runs->len; k++) {
        const wz_kind_run *run = run_at(r, k);
        const char *kind = ((wz_entity_kind *)g_ptr_array_index(p->kinds, k))->name;
        for (uint32_t e = 0; e < run->facts->npersons; e++)
            for (guint i = 0; i < p->kept->len; i++) {
                int d = g_array_index(p->kept, int, i);
                const wz_def *def = g_ptr_array_index(p->defs, d);
                if (def->entity != run->kind) continue;
                wz_value v = wz_vm_value(run->vm, d, e);
                wz_csv_field(out, kind);
                g_string_append_c(out, ',');
                wz_csv_field(out, wz_facts_person_id(run->facts, e));
                g_string_append_c(out, ',');
                wz_csv_field(out, def->name);
                g_string_append_c(out, ',');
                if (v.tag == WZ_V_BOOL) g_string_append(out, v.i ? "true" : "false");
                else if (v.tag == WZ_V_NUM && wz_dec_terminates_within(v.d, 30)) wz_append_dec(out, v.d, 0, 30);
                else if (v.tag == WZ_V_NUM) {
                    char *f = wz_dec_to_fraction_string(v.d);
                    g_string_append(out, f);
                    g_free(f);
                } else if (v.tag == WZ_V_TEXT || v.tag == WZ_V_STR)
                    wz_csv_field(out, v.tag == WZ_V_STR ? v.s : wz_facts_string(run->facts, (uint32_t)v.i));
                g_string_append_c(out, '\n');
            }
    }
    return out;
}

/* Decimal digits of v, without printf (findings can cite millions of rows). */
/* v in decimal at buf's end (10 bytes are enough); returns where it starts. */
static char *format_uint(char *end, uint32_t v) {
    do *--end = (char)('0' + v % 10); while ((v /= 10) != 0);
    return end;
}

/* `{"person":ID` or `{"entity":KIND,"id":ID`, then the rule, the kind of
 * finding, its source `file:line:col` (of `at`, the rule or the decide) and,
 * for a windowed rule's finding, the window it is about (its text, else NULL). */
static void finding_head(GString *out, const wz_result *r, const wz_kind_run *run, const wz_finding *f, const char *kind,
                         wz_span at, const char *window) {
    const wz_policy *p = r->policy;
    if (run->kind == 0) {
        g_string_append(out, "{\"person\":");
    } else {
        g_string_append(out, "{\"entity\":");
        wz_json_string(out, ((wz_entity_kind *)g_ptr_array_index(p->kinds, (guint)run->kind))->name);
        g_string_append(out, ",\"id\":");
    }
    wz_json_string(out, wz_facts_person_id(run->facts, f->person));
    g_string_append(out, ",\"rule\":");
    wz_json_string(out, ((const wz_def *)g_ptr_array_index(p->defs, f->def))->name);
    g_string_append_printf(out, ",\"kind\":\"%s\",\"source\":", kind);
    char *src = wz_output_source(p, at, true);
    wz_json_string(out, src);
    g_free(src);
    if (window) {
        g_string_append(out, ",\"window\":");
        wz_json_string(out, window);
    }
}

/* `,"rows":[{"file":…,"row":N},…]`: the fact rows a finding cites.  file_keys:
 * per fact, `{"file":NAME,"row":` (GString*). */
static void finding_rows(GString *out, const GPtrArray *file_keys, const wz_finding *f) {
    g_string_append(out, ",\"rows\":[");
    /* findings.jsonl is mostly these: room for every row is made at once (a
     * comma, the key, at most 10 digits and the brace each), the rows are
     * written into it, and what is left over is cut off */
    gsize room = 0;
    for (guint i = 0; i < f->rows->len; i++)
        room += ((const GString *)g_ptr_array_index(file_keys, g_array_index(f->rows, wz_row_ref, i).fact))->len + 12;
    gsize start = out->len;
    g_string_set_size(out, start + room);
    char *at = out->str + start;
    for (guint i = 0; i < f->rows->len; i++) {
        const wz_row_ref *rr = &g_array_index(f->rows, wz_row_ref, i);
        const GString *key = g_ptr_array_index(file_keys, rr->fact);
        if (i) *at++ = ',';
        memcpy(at, key->str, key->len);
        at += key->len;
        char digits[10];
        char *d = format_uint(digits + sizeof digits, rr->line);
        size_t nd = (size_t)(digits + sizeof digits - d);
        memcpy(at, d, nd);
        at += nd;
        *at++ = '}';
    }
    g_string_truncate(out, (gsize)(at - out->str));
    g_string_append_c(out, ']');
}

void wz_append_shown(GString *out, wz_dec d, int places) {
    wz_dec rounded;
    if (wz_dec_round(d, places, WZ_ROUND_HALF_UP, &rounded) == WZ_DEC_OK) d = rounded;
    wz_append_dec(out, d, 0, places);
}

/* ": 记过 (cut 80% of the total)": the tier by its label, and what it does. */
static void append_tier(GString *msg, const wz_policy *p, const wz_def *def, int tier) {
    const wz_tier *t = &((const wz_ladder *)g_ptr_array_index(p->ladders, def->ladder))->tiers[tier];
    g_string_append_printf(msg, ": %s", t->text ? t->text : t->name);
    const char *sep = " (";
    if (!wz_dec_is_zero(t->cut)) {
        wz_dec pct;
        wz_dec_mul(t->cut, wz_dec_from_int(100), &pct);
        g_string_append(msg, sep);
        g_string_append(msg, "cut ");
        wz_append_dec(msg, pct, 0, 30);
        g_string_append(msg, "% of the total");
        sep = "; ";
    }
    if (t->grade >= 0 && p->grade_def >= 0) {
        const wz_def *g = g_ptr_array_index(p->defs, p->grade_def);
        g_string_append_printf(msg, "%sgrade at most %s", sep, label_name(g, t->grade));
        sep = "; ";
    }
    if (t->excluded) {
        g_string_append_printf(msg, "%sexcluded from the pool", sep);
        sep = "; ";
    }
    if (*sep == ';') g_string_append_c(msg, ')');
}

/* A person's fixed share of one part, in words: "basis X (line): W units × U 元 = R 元[; stipend S 元]". */
static void pay_share_words(GString *msg, const wz_result *r, const wz_pay_part *pp, uint32_t i) {
    const wz_policy *p = r->policy;
    const wz_distribute *dist = pp->dist;
    const wz_pay_row *row = &pp->pay[i];
    const wz_def *bd = g_ptr_array_index(p->defs, dist->basis_def);
    wz_dec w = pp->basis_weight[row->basis];
    char *why = wz_output_source(p, g_array_index(bd->member_spans, wz_span, (guint)row->basis), false);
    g_string_append_printf(msg, "basis %s (%s): ", label_name(bd, row->basis), why);
    g_free(why);
    if (wz_dec_is_zero(w)) {
        g_string_append(msg, "no share of the pool");
    } else {
        wz_append_dec(msg, w, 0, 30);
        g_string_append_printf(msg, " unit%s × ", wz_dec_cmp(w, WZ_DEC_ONE) == 0 ? "" : "s");
        wz_append_shown(msg, pp->unit, p->display_places);
        g_string_append(msg, " 元 = ");
        wz_append_dec(msg, row->reward, dist->places, dist->places);
        g_string_append(msg, " 元");
    }
    if (!wz_dec_is_zero(row->stipend)) {
        g_string_append(msg, "; stipend ");
        wz_append_dec(msg, row->stipend, dist->places, dist->places);
        g_string_append(msg, " 元");
    }
}

/* {"person":…,"rule":"distribute","kind":"pay","source":the share's line,"basis":…,"amount":…,…}
 * With named parts: the first part where the person has a fixed share gives the
 * source and basis, the amount is the whole, and the message has each such part's words. */
static void render_pay_finding(GString *out, const wz_result *r, uint32_t i) {
    const wz_policy *p = r->policy;
    const wz_pay_part *first = NULL;
    for (guint k = 0; k < r->nparts && !first; k++)
        if (!r->parts[k].basis_prorata[r->parts[k].pay[i].basis]) first = &r->parts[k];
    const wz_distribute *dist = first->dist;
    int basis_m = first->pay[i].basis;
    const char *basis = label_name(g_ptr_array_index(p->defs, dist->basis_def), basis_m);
    wz_span at = dist->span;
    for (guint s = 0; s < dist->shares->len; s++)
        if (g_array_index(dist->shares, wz_share, s).member == basis_m) at = g_array_index(dist->shares, wz_share, s).span;
    g_string_append(out, "{\"person\":");
    wz_json_string(out, wz_facts_person_id(r->facts, i));
    g_string_append(out, ",\"rule\":\"distribute\",\"kind\":\"pay\",\"source\":");
    char *src = wz_output_source(p, at, true);
    wz_json_string(out, src);
    g_free(src);
    g_string_append(out, ",\"basis\":");
    wz_json_string(out, basis);
    g_string_append(out, ",\"amount\":\"");
    int places = wz_pay_places(p);
    wz_append_dec(out, r->pay[i].amount, places, places);
    g_string_append(out, "\",\"rows\":[],\"message\":");
    GString *msg = g_string_new(NULL);
    if (!p->distribute->name) {
        pay_share_words(msg, r, first, i);
    } else {
        for (guint k = 0; k < r->nparts; k++) {
            const wz_pay_part *pp = &r->parts[k];
            if (pp->basis_prorata[pp->pay[i].basis]) continue;
            if (msg->len) g_string_append(msg, "; ");
            g_string_append_printf(msg, "%s: ", pp->dist->text ? pp->dist->text : pp->dist->name);
            pay_share_words(msg, r, pp, i);
        }
    }
    wz_json_string(out, msg->str);
    g_string_free(msg, TRUE);
    g_string_append(out, "}\n");
}

static void gstring_free(gpointer s);

static GString *render_findings(const wz_result *r) {
    const wz_policy *p = r->policy;
    /* sized at a guess from the cited rows, so that a big file is not copied
     * again and again as it grows (what is never written is address space,
     * not memory) */
    gsize guess = 0;
    for (guint run_i = 0; run_i < r->runs->len; run_i++) {
        const GPtrArray *found = run_at(r, run_i)->vm->findings;
        for (guint k = 0; k < found->len; k++) guess += 256 + 40 * (gsize)((const wz_finding *)g_ptr_array_index(found, k))->rows->len;
    }
    GString *out = g_string_sized_new(guess);
    /* `{"file":"leave.csv","row":` once per fact, not once per cited row */
    GPtrArray *file_keys = g_ptr_array_new_with_free_func(gstring_free);
    for (guint t = 0; t < p->facts->len; t++) {
        GString *k = g_string_new("{\"file\":");
        wz_json_string(k, fact_file_name(fact_table(r, t)));
        g_string_append(k, ",\"row\":");
        g_ptr_array_add(file_keys, k);
    }
    for (guint i = 0; r->history && i < r->history->periods->len; i++) {   /* earlier periods' kept rows */
        const wz_history_period *per = g_ptr_array_index(r->history->periods, i);
        char *name = g_strdup_printf("history/%s/kept.csv", per->name);
        GString *k = g_string_new("{\"file\":");
        wz_json_string(k, name);
        g_string_append(k, ",\"row\":");
        g_ptr_array_add(file_keys, k);
        g_free(name);
    }
    guint blame_cursor = 0;
    uint32_t next_pay = 0;   /* a person's pay finding follows their other findings */
    for (guint run_i = 0; run_i < r->runs->len; run_i++) {
        const wz_kind_run *run = run_at(r, run_i);
        for (guint k = 0; k < run->vm->findings->len; k++) {
            const wz_finding *f = g_ptr_array_index(run->vm->findings, k);
            for (; run_i == 0 && next_pay < f->person; next_pay++)
                if (wz_result_pay_finding(r, next_pay)) render_pay_finding(out, r, next_pay);
            const wz_def *def = g_ptr_array_index(p->defs, f->def);
            char *window = f->window ? wz_vm_window_text(run->vm, f) : NULL;   /* in the head and the message */
            const char *kind = f->decide >= 0 ? "conflict" : def->kind == WZ_DEF_SANCTION ? "sanction" : def->kind == WZ_DEF_NOTICE ? "notice"
                               : def->kind == WZ_DEF_AWARD ? "award" : def->kind == WZ_DEF_RULE ? (def->sign < 0 ? "deduct" : "bonus")
                               : "value";
            if (f->decide >= 0) {   /* two options of a decide both applied: where, and which */
                const wz_decide *info = g_ptr_array_index(p->decides, (guint)f->decide);
                const char *a = info->names[f->option_a], *b = info->names[f->option_b];
                const char *at = info->texts[f->option_a], *bt = info->texts[f->option_b];
                finding_head(out, r, run, f, kind, info->span, window);
                g_string_append(out, ",\"options\":[");
                wz_json_string(out, a);
                g_string_append_c(out, ',');
                wz_json_string(out, b);
                g_string_append_c(out, ']');
                finding_rows(out, file_keys, f);
                g_string_append(out, ",\"message\":");
                char *msg = g_strdup_printf("规则冲突: options '%s'%s%s and '%s'%s%s both apply and neither overrides the other, "
                                            "so the decide in '%s' has no value here; the policy must say which wins",
                                            a, at ? " " : "", at ? at : "", b, bt ? " " : "", bt ? bt : "", def->name);
                wz_json_string(out, msg);
                g_free(msg);
                g_string_append(out, "}\n");
                g_free(window);
                continue;
            }
            finding_head(out, r, run, f, kind, def->span, window);
            if (def->kind == WZ_DEF_RULE || def->kind == WZ_DEF_AWARD) {
                g_string_append(out, def->kind == WZ_DEF_AWARD ? ",\"amount\":\"" : ",\"points\":\"");
                wz_append_dec(out, f->points, 0, 30);
                g_string_append_c(out, '"');
            }
            if (def->kind == WZ_DEF_SANCTION) {
                g_string_append(out, ",\"sanction\":");
                wz_json_string(out, tier_name(p, def, f->tier));
            }
            if (def->blame) {   /* who answers for it, and the duty it cites */
                guint from, to;
                blame_range(r, run_i, k, &blame_cursor, &from, &to);
                g_string_append(out, ",\"responsible\":[");
                for (guint b = from; b < to; b++) {
                    const wz_blame_line *line = &g_array_index(r->blame, wz_blame_line, b);
                    g_string_append(out, b > from ? ",{\"person\":" : "{\"person\":");
                    wz_json_string(out, wz_facts_person_id(run_at(r, 0)->facts, line->person));
                    g_string_append(out, ",\"role\":");
                    wz_json_string(out, line->role_name);
                    g_string_append_printf(out, ",\"as\":\"%s\"", line->as == WZ_RESP_FIRST ? "first" : line->as == WZ_RESP_DIRECT ? "direct" : "named");
                    if (def->kind == WZ_DEF_AWARD && !line->measured) {
                        g_string_append(out, ",\"amount\":null");   /* answerable, with no measure of their own */
                    } else if (def->kind == WZ_DEF_AWARD) {
                        g_string_append(out, ",\"amount\":\"");
                        wz_append_dec(out, line->amount, 0, 30);
                        g_string_append_c(out, '"');
                        if (line->rows) {   /* their own amount: the rows of their own facts it read */
                            wz_finding own = {.rows = line->rows};
                            finding_rows(out, file_keys, &own);
                        }
                    } else if (line->tier != f->tier) {   /* not the finding's tier: their own, or none */
                        g_string_append(out, ",\"sanction\":");
                        if (line->tier >= 0) wz_json_string(out, tier_name(p, def, line->tier));
                        else g_string_append(out, "null");
                    }
                    if (def->kind == WZ_DEF_SANCTION && line->has_share) {
                        g_string_append(out, ",\"share\":\"");
                        wz_append_dec(out, line->share, 0, 30);
                        g_string_append_c(out, '"');
                    }
                    g_string_append_c(out, '}');
                }
                g_string_append_c(out, ']');
            }
            finding_rows(out, file_keys, f);
            g_string_append(out, ",\"message\":");
            GString *msg = g_string_new(def->text ? def->text : def->name);
            if (window) g_string_append_printf(msg, " %s", window);   /* 全勤奖 2019-09-01/2019-09-30: reward 100 元 */
            /* numbers in a message are shown rounded to the policy's display
             * places; the exact value is the finding's "points" or "amount" */
            if (def->kind == WZ_DEF_RULE) {
                g_string_append(msg, def->sign < 0 ? ": deduct " : ": add ");
                wz_append_shown(msg, wz_dec_abs(f->points), p->display_places);
                g_string_append_printf(msg, " point%s", wz_dec_cmp(wz_dec_abs(f->points), WZ_DEC_ONE) == 0 ? "" : "s");
            } else if (def->kind == WZ_DEF_SANCTION) {
                append_tier(msg, p, def, f->tier);
            } else if (def->kind == WZ_DEF_AWARD) {
                g_string_append(msg, wz_dec_sign(f->points) < 0 ? ": fine " : ": reward ");
                wz_append_shown(msg, wz_dec_abs(f->points), p->display_places);
                g_string_append(msg, " 元");
            }
            for (guint b = 0; def->blame && b < def->blame->items->len; b++) {   /* the duty not performed, in its words */
                const wz_blame_item *item = &g_array_index(def->blame->items, wz_blame_item, b);
                if (!item->duty) continue;
                const wz_role *role = g_ptr_array_index(p->roles, (guint)item->role);
                const wz_duty *duty = &g_array_index(role->duties, wz_duty, (guint)item->duty_index);
                g_string_append_printf(msg, "; %s职责第%" G_GINT64_FORMAT "条：%s", role->name, duty->number, duty->text);
            }
            wz_json_string(out, msg->str);
            g_string_free(msg, TRUE);
            g_string_append(out, "}\n");
            g_free(window);
        }
        for (; run_i == 0 && next_pay < run->facts->npersons; next_pay++)
            if (wz_result_pay_finding(r, next_pay)) render_pay_finding(out, r, next_pay);
    }
    g_ptr_array_free(file_keys, TRUE);
    return out;
}

/* Pool figures are shown exactly (at least `places` digits): a pool given
 * with fractions of a fen is not rounded for display. */
static void json_dec_field(GString *out, const char *key, wz_dec d, int places, bool comma) {
    g_string_append_printf(out, "%s\"%s\": \"", comma ? ", " : "", key);
    wz_append_dec(out, d, places, 30);
    g_string_append_c(out, '"');
}

/* "facts_read": how the fact files that were not plain UTF-8 CSV were read — a
 * GB18030 file, a workbook's sheet, blank rows skipped, columns ignored — so
 * that nothing is dropped unsaid.  Absent when every file was plain. */
static void render_facts_read(GString *out, const wz_result *r) {
    guint n = 0;
    for (guint t = 0; t < r->policy->facts->len; t++) {
        const wz_fact_table *ft = fact_table(r, t);
        bool ignored = ft->ignored_columns && ft->ignored_columns->len;
        if (!ft->present || !(ft->encoding || ft->sheet || ft->rows_blank || ignored)) continue;
        g_string_append(out, n++ ? ",\n  {\"file\": " : ",\n\"facts_read\": [\n  {\"file\": ");
        wz_json_string(out, fact_file_name(ft));
        if (ft->encoding) {
            g_string_append(out, ", \"encoding\": ");
            wz_json_string(out, ft->encoding);
        }
        if (ft->sheet) {
            g_string_append(out, ", \"sheet\": ");
            wz_json_string(out, ft->sheet);
        }
        if (ft->rows_blank) g_string_append_printf(out, ", \"blank_rows\": %u", ft->rows_blank);
        if (ignored) {
            g_string_append(out, ", \"ignored_columns\": [");
            for (guint k = 0; k < ft->ignored_columns->len; k++) {
                if (k) g_string_append(out, ", ");
                wz_json_string(out, g_ptr_array_index(ft->ignored_columns, k));
            }
            g_string_append_c(out, ']');
        }
        g_string_append_c(out, '}');
    }
    if (n) g_string_append_c(out, ']');
}

static const char *const output_files[] = {"scores.csv", "pay.csv", "awards.csv", "kept.csv", "sanctions.csv", "findings.jsonl", "results.xlsx", "summary.json"};

char *wz_output_input_name(const wz_policy *p, const wz_source *src) {
    if (src == p->src) return g_strdup(policy_file_name(p));
    if (g_str_has_prefix(src->name, "<stdlib>") || g_path_is_absolute(src->name)) return g_strdup(src->name);
    char *dir = g_path_get_dirname(p->src->name);
    char *name = strcmp(dir, ".") && g_str_has_prefix(src->name, dir) && src->name[strlen(dir)] == '/'
                     ? g_strdup(src->name + strlen(dir) + 1)
                     : g_strdup(src->name);
    g_free(dir);
    return name;
}

/* One {"kind": …, "file": …, "sha256": …} line of summary.json's inputs. */
static void input_line(GString *out, guint *n, const char *kind, const char *file, const char *sha) {
    g_string_append(out, (*n)++ ? ",\n  {\"kind\": " : "\n  {\"kind\": ");
    wz_json_string(out, kind);
    g_string_append(out, ", \"file\": ");
    wz_json_string(out, file);
    g_string_append_printf(out, ", \"sha256\": \"%s\"}", sha);
}

/* What makes summary.json prove the run (after the keys it always had): the
 * SHA-256 of every input — the policy and each file it imports, each facts
 * file, params.csv, each earlier period's kept.csv — and of every output file
 * beside it; first the command line as given (on a line of its own). */
static void append_provenance(GString *out, const wz_result *r, GHashTable *files, char (*const shas)[65]) {
    const wz_policy *p = r->policy;
    char sha[65];
    guint n = 0;
    /* the command first, on a line of its own: tests that compare two runs' summaries
     * leave this line out (it names the --out directory), and what is left is JSON */
    g_string_append(out, ",\n\"command\": [");
    for (guint i = 0; r->command && i < r->command->len; i++) {
        if (i) g_string_append(out, ", ");
        wz_json_string(out, g_ptr_array_index(r->command, i));
    }
    g_string_append(out, "],\n\"inputs\": [");
    wz_sha256_hex(p->src->text, p->src->len, sha);
    input_line(out, &n, "policy", policy_file_name(p), sha);
    for (guint i = 0; p->imported && i < p->imported->len; i++) {
        const wz_source *src = g_ptr_array_index(p->imported, i);
        char *name = wz_output_input_name(p, src);
        wz_sha256_hex(src->text, src->len, sha);
        input_line(out, &n, "import", name, sha);
        g_free(name);
    }
    for (guint t = 0; t < p->facts->len; t++) {
        const wz_fact_table *ft = fact_table(r, t);
        if (ft->present) input_line(out, &n, "facts", fact_file_name(ft), ft->sha256);
    }
    if (r->params_sha256[0]) input_line(out, &n, "params", "params.csv", r->params_sha256);
    for (guint i = 0; r->history && i < r->history->periods->len; i++) {
        const wz_history_period *per = g_ptr_array_index(r->history->periods, i);
        char *name = g_strdup_printf("%s/kept.csv", per->name);
        input_line(out, &n, "history", name, per->sha256);
        g_free(name);
    }
    g_string_append(out, "],\n\"outputs\": [");
    n = 0;
    for (guint i = 0; i < G_N_ELEMENTS(output_files); i++) {
        const GString *f = g_hash_table_lookup(files, output_files[i]);
        if (!f || !strcmp(output_files[i], "summary.json")) continue;
        if (shas) memcpy(sha, shas[i], sizeof sha);
        else wz_sha256_hex(f->str, f->len, sha);
        g_string_append(out, n++ ? ",\n  {\"file\": " : "\n  {\"file\": ");
        wz_json_string(out, output_files[i]);
        g_string_append_printf(out, ", \"sha256\": \"%s\"}", sha);
    }
    g_string_append(out, "]");
}

/* shas: each output file's SHA-256 (by its index in output_files), already
 * computed; NULL: computed here. */
static GString *render_summary(const wz_result *r, GHashTable *files, char (*const shas)[65]) {
    const wz_policy *p = r->policy;
    GString *out = g_string_new("{\n\"policy\": {\"name\": ");
    wz_json_string(out, p->title);
    g_string_append(out, ", \"version\": ");
    wz_json_string(out, p->version);
    g_string_append(out, ", \"file\": ");
    wz_json_string(out, policy_file_name(p));
    char sha[65];
    wz_sha256_hex(p->src->text, p->src->len, sha);
    g_string_append_printf(out, ", \"sha256\": \"%s\"},\n", sha);
    g_string_append(out, "\"engine\": {\"name\": \"wenze\", \"version\": \"" WZ_VERSION "\"},\n\"params\": {");
    for (guint i = 0; i < p->params->len; i++) {
        const wz_param_decl *pd = g_ptr_array_index(p->params, i);
        const wz_value *v = &r->params[i];
        g_string_append(out, i ? ",\n  " : "\n  ");
        wz_json_string(out, pd->name);
        g_string_append(out, ": {\"value\": ");
        GString *val = g_string_new(NULL);
        if (v->tag == WZ_V_NUM) wz_append_dec(val, v->d, 0, 30);
        else if (v->tag == WZ_V_DATE) {
            char buf[11];
            wz_date_format((wz_date)v->i, buf);
            g_string_append(val, buf);
        } else if (v->tag == WZ_V_BOOL) g_string_append(val, v->i ? "true" : "false");
        else if (v->tag == WZ_V_STR) g_string_append(val, v->s);
        wz_json_string(out, val->str);
        g_string_free(val, TRUE);
        g_string_append(out, ", \"source\": ");
        wz_json_string(out, r->param_sources[i]);
        g_string_append_c(out, '}');
    }
    g_string_append(out, "},\n");
    if (r->vm->has_period) {
        char a[11], b[11];
        wz_date_format(r->vm->period_start, a);
        wz_date_format(r->vm->period_end, b);
        g_string_append_printf(out, "\"period\": {\"start\": \"%s\", \"end\": \"%s\"},\n", a, b);
    }
    g_string_append(out, "\"facts\": [");
    guint nfiles = 0;
    for (guint t = 0; t < p->facts->len; t++) {
        const wz_fact_table *ft = fact_table(r, t);
        if (!ft->present) continue;
        g_string_append(out, nfiles++ ? ",\n  {\"file\": " : "\n  {\"file\": ");
        wz_json_string(out, fact_file_name(ft));
        g_string_append_printf(out, ", \"sha256\": \"%s\", \"rows_read\": %u, \"rows_ignored\": %u}", ft->sha256,
                               ft->rows_read, ft->rows_ignored);
    }
    wz_result_counts n = wz_result_count(r);
    g_string_append(out, "],\n");
    if (r->history) {   /* the earlier periods this run read, for an auditor to check */
        g_string_append(out, "\"history\": [");
        for (guint i = 0; i < r->history->periods->len; i++) {
            const wz_history_period *per = g_ptr_array_index(r->history->periods, i);
            g_string_append(out, i ? ",\n  {\"period\": " : "\n  {\"period\": ");
            wz_json_string(out, per->name);
            g_string_append_printf(out, ", \"sha256\": \"%s\"}", per->sha256);
        }
        g_string_append(out, "],\n");
    }
    g_string_append_printf(out, "\"counts\": {\"persons\": %u", r->facts->npersons);
    for (guint k = 1; k < r->runs->len; k++) {   /* each entity kind's count, by its name */
        g_string_append(out, ", ");
        wz_json_string(out, ((wz_entity_kind *)g_ptr_array_index(p->kinds, k))->name);
        g_string_append_printf(out, ": %u", run_at(r, k)->facts->npersons);
    }
    g_string_append_printf(out,
                           ", \"rows_read\": %" G_GUINT64_FORMAT ", \"rows_ignored\": %" G_GUINT64_FORMAT
                           ", \"findings\": %u, \"sanctions\": %u",
                           n.rows_read, n.rows_ignored, n.findings, n.sanctions);
    if (p->awards->len) g_string_append_printf(out, ", \"awards\": %u", n.awards);
    if (r->policy->decides->len) g_string_append_printf(out, ", \"conflicts\": %u", n.conflicts);
    g_string_append_c(out, '}');
    if (r->has_pay) {
        int places = wz_pay_places(p);
        g_string_append(out, ",\n\"pay\": {");
        json_dec_field(out, "pool", r->pool, places, false);
        json_dec_field(out, "stipends", r->stipends, places, true);
        json_dec_field(out, "distributed", r->distributed, places, true);
        json_dec_field(out, "residue", r->residue, places, true);
        if (p->distribute->name) {   /* named parts: each part's own arithmetic, conserved on its own */
            g_string_append(out, ", \"parts\": [");
            for (guint k = 0; k < r->nparts; k++) {
                const wz_pay_part *pp = &r->parts[k];
                g_string_append(out, k ? ", {\"name\": " : "{\"name\": ");
                wz_json_string(out, pp->dist->name);
                if (pp->dist->text) {
                    g_string_append(out, ", \"label\": ");
                    wz_json_string(out, pp->dist->text);
                }
                json_dec_field(out, "pool", pp->pool, pp->dist->places, true);
                json_dec_field(out, "stipends", pp->stipends, pp->dist->places, true);
                json_dec_field(out, "distributed", pp->distributed, pp->dist->places, true);
                json_dec_field(out, "residue", pp->residue, pp->dist->places, true);
                g_string_append_c(out, '}');
            }
            g_string_append_c(out, ']');
        }
        GArray *awards = wz_person_awards(p);
        if (awards->len) {   /* money paid to persons outside the pool, beside it (pay.csv's award columns) */
            wz_dec outside = WZ_DEC_ZERO;
            for (guint k = 0; k < awards->len; k++) {
                wz_dec *amount = wz_award_paid(r, g_array_index(awards, int, k));
                for (uint32_t i = 0; i < r->facts->npersons; i++)
                    if (wz_dec_add(outside, amount[i], &outside) != WZ_DEC_OK) outside = WZ_DEC_ZERO;
                g_free(amount);
            }
            json_dec_field(out, "outside_pool", outside, places, true);
        }
        g_array_free(awards, TRUE);
        g_string_append(out, "}");
    }
    append_provenance(out, r, files, shas);
    render_facts_read(out, r);
    g_string_append(out, "\n}\n");
    return out;
}

static void gstring_free(gpointer s) { g_string_free(s, TRUE); }

static gpointer render_findings_thread(gpointer r) { return render_findings(r); }

/* Every output file but summary.json, laid out as the command line asks. */
static GHashTable *render_files(const wz_result *r) {
    GHashTable *files = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, gstring_free);
    /* findings.jsonl is the largest file: with threads to spare it is built
     * beside the others (every file's bytes depend on the result only) */
    GThread *findings = r->vm->threads > 1 ? g_thread_new("wenze-out", render_findings_thread, (gpointer)r) : NULL;
    /* a policy about schools alone scores no persons */
    /* scores.csv when the policy scores persons: a policy about schools alone, or
     * one that only names persons to answer for findings, has no scores */
    const wz_policy *pol = r->policy;
    if (pol->sections->len || pol->grade_def >= 0 || pol->distribute || (pol->kinds->len == 1 && pol->awards->len == 0))
        g_hash_table_insert(files, "scores.csv", render_scores(r));
    if (r->policy->awards->len) g_hash_table_insert(files, "awards.csv", render_awards(r));
    if (r->policy->kept->len) g_hash_table_insert(files, "kept.csv", render_kept(r));
    if (r->has_pay) g_hash_table_insert(files, "pay.csv", render_pay(r));
    g_hash_table_insert(files, "sanctions.csv", render_sanctions(r));
    g_hash_table_insert(files, "findings.jsonl", findings ? g_thread_join(findings) : render_findings(r));
    wz_output_options layout = wz_output_options_from_command(r->command);
    if (layout.labels || layout.excel || layout.xlsx) {
        char *err = NULL;
        wz_output_layout(r, files, &layout, &err);   /* no results.xlsx when it fails: wz_output_write says so */
        g_free(err);
    }
    return files;
}

GHashTable *wz_output_render(const wz_result *r) {
    GHashTable *files = render_files(r);
    g_hash_table_insert(files, "summary.json", render_summary(r, files, NULL));   /* last: it hashes the others */
    return files;
}

/* Removes a directory of plain files (a temporary or replaced output).  Never follows a
 * symbolic link: only a real directory is opened, and its entries are unlinked, so a
 * link in it (or the path itself being one) cannot lead outside. */
static void remove_tree(const char *dir) {
    struct stat st;
    if (lstat(dir, &st) != 0) return;
    if (!S_ISDIR(st.st_mode)) {
        g_unlink(dir);
        return;
    }
    GDir *d = g_dir_open(dir, 0, NULL);
    if (d) {
        const char *name;
        while ((name = g_dir_read_name(d))) {
            char *path = g_build_filename(dir, name, NULL);
            g_unlink(path);
            g_free(path);
        }
        g_dir_close(d);
    }
    g_rmdir(dir);
}

/* An existing directory may be replaced only when it is empty, or holds
 * nothing but wenze's own output files with a summary.json that wenze wrote:
 * a user's directory that happens to contain a summary.json, or their own
 * pay.csv and scores.csv with no summary.json, is never lost. */
bool wz_output_replaceable(const char *dir) {
    GDir *d = g_dir_open(dir, 0, NULL);
    if (!d) return false;
    bool only_ours = true, has_summary = false, empty = true;
    const char *name;
    while (only_ours && (name = g_dir_read_name(d))) {
        empty = false;
        bool known = false;
        for (guint i = 0; i < G_N_ELEMENTS(output_files); i++) known |= strcmp(name, output_files[i]) == 0;
        char *path = g_build_filename(dir, name, NULL);
        struct stat st;
        only_ours = known && lstat(path, &st) == 0 && S_ISREG(st.st_mode);
        g_free(path);
        has_summary |= strcmp(name, "summary.json") == 0;
    }
    g_dir_close(d);
    if (empty) return true;
    if (!only_ours || !has_summary) return false;   /* was: output-named files alone were enough */
    char *path = g_build_filename(dir, "summary.json", NULL);
    char *text = NULL;
    bool ours = g_file_get_contents(path, &text, NULL, NULL) && strstr(text, "\"engine\": {\"name\": \"wenze\"");
    g_free(text);
    g_free(path);
    return ours;
}

/* Writes one file and forces it to the disk: a crash after the rename that publishes the
 * directory must not leave it with empty or short files. */
static bool write_synced(const char *path, const GString *s, mode_t mode, int *err) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        *err = errno;
        return false;
    }
    const char *p = s->str;
    size_t left = s->len;
    while (left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            *err = n < 0 ? errno : ENOSPC;
            close(fd);
            return false;
        }
        p += n;
        left -= (size_t)n;
    }
    if (fsync(fd) != 0 && errno != EINVAL) {   /* EINVAL: a file system that cannot sync (a pipe-like mount) */
        *err = errno;
        close(fd);
        return false;
    }
    if (close(fd) != 0) {
        *err = errno;
        return false;
    }
    return true;
}

static void sync_dir(const char *dir) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    fsync(fd);
    close(fd);
}

/* RENAME_EXCHANGE swaps two paths in one step: the output directory is always there, old
 * or new.  RENAME_NOREPLACE puts a first output in place only if no other run did
 * meanwhile.  Returns -1 with errno EINVAL or ENOSYS where the kernel or the file system
 * has neither; the caller then falls back to plain renames. */
static int rename2(const char *from, const char *to, unsigned flags) {
#ifdef SYS_renameat2
    return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, flags);
#else
    (void)from, (void)to, (void)flags;
    errno = ENOSYS;
    return -1;
#endif
}

/* The identity of what is at `path` (absent: all zero), to see whether another run
 * replaced it while this one wrote. */
typedef struct { bool exists; dev_t dev; ino_t ino; } path_id;
static path_id identify(const char *path) {
    struct stat st;
    path_id id = {false, 0, 0};
    if (lstat(path, &st) == 0) id = (path_id){true, st.st_dev, st.st_ino};
    return id;
}

/* Removes what crashed or killed runs left beside the output: .BASE.tmp-* (a directory
 * being written) and .BASE.old-* (a replaced output of the fallback path).  Called with
 * the parent locked, so no live run owns one. */
static void sweep_leftovers(const char *parent, const char *base) {
    GDir *d = g_dir_open(parent, 0, NULL);
    if (!d) return;
    char *tmp_prefix = g_strdup_printf(".%s.tmp-", base), *old_prefix = g_strdup_printf(".%s.old-", base);
    GPtrArray *stale = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    while ((name = g_dir_read_name(d))) {
        if ((g_str_has_prefix(name, tmp_prefix) || g_str_has_prefix(name, old_prefix)) &&
            strlen(name) == strlen(tmp_prefix) + 6)
            g_ptr_array_add(stale, g_build_filename(parent, name, NULL));
    }
    g_dir_close(d);
    for (guint i = 0; i < stale->len; i++) remove_tree(g_ptr_array_index(stale, i));
    g_ptr_array_free(stale, TRUE);
    g_free(tmp_prefix);
    g_free(old_prefix);
}

/* summary.json hashes every other output: with threads, a thread hashes them
 * while they are written (findings.jsonl is hundreds of megabytes in a big
 * run), and summary.json is rendered, then written, once it has finished. */
typedef struct output_hashes {
    const wz_result *r;
    GHashTable *files;
    char sha[G_N_ELEMENTS(output_files)][65];
    GThread *thread;
} output_hashes;

static gpointer hash_outputs(gpointer data) {
    output_hashes *h = data;
    for (guint i = 0; i < G_N_ELEMENTS(output_files); i++) {
        const GString *f = g_hash_table_lookup(h->files, output_files[i]);
        if (f && strcmp(output_files[i], "summary.json")) wz_sha256_hex(f->str, f->len, h->sha[i]);
    }
    return NULL;
}

static void hashes_wait(output_hashes *h) {
    if (h->thread) g_thread_join(h->thread);
    h->thread = NULL;
}

/* The late file of write_files: summary.json, once the hashes are done. */
static GString *summary_when_hashed(void *data) {
    output_hashes *h = data;
    hashes_wait(h);
    return render_summary(h->r, h->files, h->sha);
}

static bool write_files(GHashTable *files, const char *out_path, wz_diags *diags, GString *(*late)(void *), void *late_data);

bool wz_output_write(const wz_result *r, const char *out_path, wz_diags *diags) {
    GHashTable *files = render_files(r);
    if (wz_output_options_from_command(r->command).xlsx && !g_hash_table_lookup(files, "results.xlsx")) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, out_path, "cannot make the workbook results.xlsx (no temporary directory, or the disk is full)");
        g_hash_table_unref(files);
        return false;
    }
    output_hashes *h = g_new0(output_hashes, 1);
    h->r = r;
    h->files = files;
    if (r->vm->threads > 1) h->thread = g_thread_new("wenze-sha", hash_outputs, h);
    else hash_outputs(h);
    bool ok = write_files(files, out_path, diags, summary_when_hashed, h);
    hashes_wait(h);   /* a failure before summary.json was reached */
    g_free(h);
    g_hash_table_unref(files);
    return ok;
}

bool wz_output_write_files(GHashTable *files, const char *out_path, wz_diags *diags) {
    return write_files(files, out_path, diags, NULL, NULL);
}

/* Writes files into out_path atomically.  late (or NULL): makes summary.json,
 * added to files, when its turn comes — after every other file is written. */
static bool write_files(GHashTable *files, const char *out_path, wz_diags *diags, GString *(*late)(void *), void *late_data) {
    /* "out/" names the same directory as "out" */
    char *out_dir = g_strdup(out_path);
    for (size_t len = strlen(out_dir); len > 1 && out_dir[len - 1] == '/'; len--) out_dir[len - 1] = '\0';
    bool ok = false;
    char *parent = g_path_get_dirname(out_dir);
    char *base = g_path_get_basename(out_dir);
    char *tmpl = g_strdup_printf("%s/.%s.tmp-XXXXXX", parent, base);
    char *old = NULL;
    char *tmp = NULL;
    int lock_fd = -1;
    /* files and directories follow the umask, as anything else the user writes does
     * (g_mkdtemp makes 0700: a colleague or a web server could not read the output) */
    mode_t mask = umask(0);
    umask(mask);
    if (g_mkdir_with_parents(parent, 0777 & ~mask) != 0) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, parent, "cannot create the directory: %s", g_strerror(errno));
        goto out;
    }
    path_id before = identify(out_dir);
    /* One run at a time writes beside its output: the parent directory is locked (flock:
     * released by the kernel if the process dies, and nothing is left on the disk), so
     * leftovers found under the lock are stale, and a run that finds the output replaced
     * since it looked fails instead of overwriting the other run's. */
    lock_fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (lock_fd >= 0 && flock(lock_fd, LOCK_EX) != 0) {
        close(lock_fd);
        lock_fd = -1;
    }
    if (lock_fd >= 0) sweep_leftovers(parent, base);   /* unlocked (a file system without flock): they may be live */
    path_id now = identify(out_dir);
    if (now.exists != before.exists || now.dev != before.dev || now.ino != before.ino) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, out_dir,
                      "another run wrote this output directory meanwhile; it is left as that run wrote it");
        goto out;
    }
    /* What is there is looked at under the lock: another run swapping its output in
     * (RENAME_EXCHANGE, then removing the previous one) would otherwise show a
     * directory half removed, not a wenze output. */
    struct stat st;
    if (lstat(out_dir, &st) == 0) {
        /* a link's target would be emptied through it: name the directory itself */
        if (S_ISLNK(st.st_mode)) {
            wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, out_dir,
                          "the output path is a symbolic link; give the directory it points to, or another path");
            goto out;
        }
        if (!S_ISDIR(st.st_mode)) {
            wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, out_dir, "the output path exists and is not a directory");
            goto out;
        }
        if (!wz_output_replaceable(out_dir)) {
            wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, out_dir,
                          "the output directory exists and is not a wenze output; refusing to replace it");
            goto out;
        }
    }
    tmp = g_mkdtemp(tmpl);
    if (!tmp) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, parent, "cannot create a temporary directory: %s", g_strerror(errno));
        goto out;
    }
    if (chmod(tmp, 0777 & ~mask) != 0) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, tmp, "cannot set the permissions: %s", g_strerror(errno));
        remove_tree(tmp);
        goto out;
    }
    for (guint i = 0; i < G_N_ELEMENTS(output_files); i++) {
        GString *s = g_hash_table_lookup(files, output_files[i]);
        if (!s && late && !strcmp(output_files[i], "summary.json")) {
            s = late(late_data);
            g_hash_table_insert(files, (gpointer)output_files[i], s);
        }
        if (!s) continue;
        char *path = g_build_filename(tmp, output_files[i], NULL);
        int err = 0;
        if (!write_synced(path, s, 0666, &err)) {
            /* name the output, not the temporary directory nobody will see */
            char *shown = g_build_filename(out_dir, output_files[i], NULL);
            wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, shown, "cannot write: %s", g_strerror(err));
            g_free(shown);
            g_free(path);
            remove_tree(tmp);
            goto out;
        }
        g_free(path);
    }
    sync_dir(tmp);
    if (now.exists) {
        /* one atomic step: the old output now has the temporary name */
        if (rename2(tmp, out_dir, RENAME_EXCHANGE) == 0) {
            sync_dir(parent);
            remove_tree(tmp);
            ok = true;
            goto out;
        }
        if (errno != EINVAL && errno != ENOSYS) {
            wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, out_dir, "cannot replace: %s", g_strerror(errno));
            remove_tree(tmp);
            goto out;
        }
        /* no exchange here: move the previous output aside, then the new one in place (a
         * crash between leaves .BASE.old-*, which the next run sweeps) */
        old = g_strdup_printf("%s/.%s.old-%s", parent, base, tmp + strlen(tmp) - 6);
        if (g_rename(out_dir, old) != 0) {
            wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, out_dir, "cannot replace: %s", g_strerror(errno));
            remove_tree(tmp);
            goto out;
        }
    } else if (rename2(tmp, out_dir, RENAME_NOREPLACE) == 0) {
        sync_dir(parent);
        ok = true;
        goto out;
    } else if (errno != EINVAL && errno != ENOSYS) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, out_dir, "cannot move the output into place: %s", g_strerror(errno));
        remove_tree(tmp);
        goto out;
    }
    if (g_rename(tmp, out_dir) != 0) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, out_dir, "cannot move the output into place: %s", g_strerror(errno));
        if (old) g_rename(old, out_dir);
        remove_tree(tmp);
        goto out;
    }
    sync_dir(parent);
    if (old) remove_tree(old);
    ok = true;
out:
    if (lock_fd >= 0) close(lock_fd);   /* releases the lock */
    g_free(old);
    g_free(out_dir);
    g_free(tmpl);
    g_free(parent);
    g_free(base);
    return ok;
}
