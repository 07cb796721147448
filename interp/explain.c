/* explain.c — why one person or entity got what it got.
 *
 * One walk over the resolved policy and the run builds a JSON model of the
 * derivation (jsonmodel.h, members in a fixed order); `--format json` prints
 * the model and the text renderer lays the same model out for a terminal.
 * So the two formats cannot disagree, and the model holds each number twice:
 * "value" exact (a string, never a float) and "shown" rounded to the
 * policy's display places (money to the pool's places).
 */
#include "explain.h"

#include <string.h>

#include "history.h"
#include "jsonmodel.h"
#include "output.h"

/* ---- words ---------------------------------------------------------------- */

#define EXPLAIN_WORDS(X)                                                   \
    X(SECTIONS, "Sections", "分项")                                         \
    X(VALUES, "Values read", "引用的数值")                                  \
    X(TOTAL, "total", "总分")                                               \
    X(GRADE, "grade", "等次")                                               \
    X(SANCTIONS, "Sanctions", "处分与问责")                                 \
    X(NOTICES, "Notices", "提示")                                           \
    X(AWARDS, "Awards and fines", "奖惩")                                   \
    X(CONFLICTS, "Conflicts", "规则冲突")                                   \
    X(ANSWERS, "Answers for", "承担的责任")                                 \
    X(PAY, "Pay", "绩效工资")                                               \
    X(NOT_APPLIED, "not applied", "未计")                                   \
    X(COND_FALSE, "not applied: its condition does not hold", "未计：条件不成立") \
    X(FREE_PER, "%s free per %s", "每%s免%s")                              \
    X(FREE, "%s free", "免%s")                                              \
    X(IN_ALL, "%s in all", "共%s")                                          \
    X(AT_MOST, "at most %s", "至多%s")                                      \
    X(EACH_WINDOW, "for each %s", "逐%s")                                   \
    X(CAP_REACHED, "the cap was reached", "已达封顶")                       \
    X(OVER, "over %u %s", "共%u个%s")                                       \
    X(CUT, "cut %s%% of the total", "扣减总分%s%%")                         \
    X(GRADE_CAP, "grade at most %s", "等次至多%s")                          \
    X(EXCLUDED, "excluded from the pool", "不参与分配")                     \
    X(BASIS, "basis", "分配类别")                                           \
    X(POOL, "pool", "奖励总额")                                             \
    X(STIPENDS, "stipends", "津贴")                                         \
    X(SHARED, "shared", "可分配")                                           \
    X(UNIT, "unit", "每份")                                                 \
    X(UNITS, "units", "份")                                                 \
    X(REWARD, "reward", "奖励")                                             \
    X(STIPEND, "stipend", "津贴")                                           \
    X(AMOUNT, "amount", "合计")                                             \
    X(WEIGHT_FIXED, "%s unit%s", "%s份")                                    \
    X(WEIGHT_PRORATA, "%s unit%s each, shared pro rata to %s", "每人%s份，按%s比例分配") \
    X(NO_UNIT, "no unit: %s is 0, and the share says zero exclude", "不占份额：%s为零（为零 不参与分配）") \
    X(RESPONSIBLE, "responsible", "责任人")                                 \
    X(FIRST, "first", "第一责任人")                                         \
    X(DIRECT, "direct", "直接责任人")                                       \
    X(NAMED, "named", "责任人")                                             \
    X(NONE, "none", "无")                                                   \
    X(WHY, "Why %s", "为何 %s")                                             \
    X(APPLIED, "applied", "已计")                                           \
    X(CONDITION, "condition", "条件")                                       \
    X(AMOUNT_PART, "amount", "金额/分值")                                   \
    X(QUANTITY, "quantity", "数量")                                         \
    X(FREE_PART, "free", "免计")                                            \
    X(CAP_PART, "cap", "封顶")                                              \
    X(RESULT, "result", "结果")

typedef enum {
#define WZ_X(id, en, zh) W_##id,
    EXPLAIN_WORDS(WZ_X)
#undef WZ_X
} word_id;

static const char *const words_en[] = {
#define WZ_X(id, en, zh) en,
    EXPLAIN_WORDS(WZ_X)
#undef WZ_X
};
static const char *const words_zh[] = {
#define WZ_X(id, en, zh) zh,
    EXPLAIN_WORDS(WZ_X)
#undef WZ_X
};

typedef struct explainer {
    const wz_result *r;
    const wz_policy *p;
    const wz_kind_run *run;
    guint k;                /* the run's index (entity kind) */
    uint32_t e;             /* the entity's index in the run */
    bool zh;
    int money_places;       /* the pool's places, or the display places */
} explainer;

static const char *word(const explainer *x, word_id w) { return x->zh ? words_zh[w] : words_en[w]; }

static const wz_def *def_at(const explainer *x, int d) { return g_ptr_array_index(x->p->defs, (guint)d); }

/* ---- values ----------------------------------------------------------------- */

/* Exact: a decimal when it terminates, else "n/d" (as kept.csv writes it). */
static char *dec_exact(wz_dec d) {
    return wz_dec_terminates_within(d, 30) ? wz_dec_to_string(d, 0, 30) : wz_dec_to_fraction_string(d);
}

/* Money as pay.csv shows it: exactly PLACES digits. */
static char *dec_fixed(wz_dec d, int places) {
    GString *s = g_string_new(NULL);
    wz_append_dec(s, d, places, places);
    return g_string_free(s, FALSE);
}

static char *dec_shown(wz_dec d, int places) {
    GString *s = g_string_new(NULL);
    wz_append_shown(s, d, places);
    return g_string_free(s, FALSE);
}

/* A value as a person reads it: a label for an enum, a date, yes/no. */
static char *value_text(const explainer *x, const wz_def *def, wz_value v, bool exact) {
    switch (v.tag) {
    case WZ_V_NUM: return exact ? dec_exact(v.d) : dec_shown(v.d, x->p->display_places);
    case WZ_V_BOOL: return g_strdup(v.i ? (x->zh ? "是" : "true") : (x->zh ? "否" : "false"));
    case WZ_V_DATE: {
        char buf[11];
        wz_date_format((wz_date)v.i, buf);
        return g_strdup(buf);
    }
    case WZ_V_ENUM:
        if (def && def->members && v.i >= 0 && (guint)v.i < def->members->len)
            return g_strdup(g_ptr_array_index(def->members, (guint)v.i));
        return g_strdup_printf("#%" G_GINT64_FORMAT, v.i);
    case WZ_V_TEXT: return g_strdup(wz_facts_string(x->run->facts, (uint32_t)v.i));
    case WZ_V_STR: return g_strdup(v.s);
    case WZ_V_PERSON: return g_strdup(wz_facts_person_id(((const wz_kind_run *)g_ptr_array_index(x->r->runs, 0))->facts, (uint32_t)v.i));
    case WZ_V_TIER:
        if (def && def->kind == WZ_DEF_SANCTION && v.i >= 0)
            return g_strdup(((const wz_ladder *)g_ptr_array_index(x->p->ladders, (guint)def->ladder))->tiers[v.i].name);
        return g_strdup(word(x, W_NONE));
    case WZ_V_MISSING: default: return g_strdup("—");
    }
}

static wz_value value_of(const explainer *x, int d) { return wz_vm_value(x->run->vm, d, x->e); }

static void add_string(wz_jbuilder *b, const char *key, const char *s) {
    wz_jb_set_member_name(b, key);
    if (s) wz_jb_add_string_value(b, s);
    else wz_jb_add_null_value(b);
}

static void add_owned(wz_jbuilder *b, const char *key, char *s) {
    add_string(b, key, s);
    g_free(s);
}

/* "value" (exact) and "shown" of def d's value for the entity. */
static void add_value(wz_jbuilder *b, const explainer *x, int d) {
    const wz_def *def = def_at(x, d);
    wz_value v = value_of(x, d);
    add_owned(b, "value", value_text(x, def, v, true));
    add_owned(b, "shown", value_text(x, def, v, false));
}

/* Where the policy says it; null for what no line says (the default total: the sum of the sections). */
static void add_source(wz_jbuilder *b, const explainer *x, wz_span at) {
    add_owned(b, "source", at.start == 0 && at.end == 0 ? NULL : wz_output_source(x->p, at, false));
}

/* ---- findings ----------------------------------------------------------------- */

/* The entity's finding for def d (findings are sorted by entity, then def), or NULL. */
static const wz_finding *finding_for(const explainer *x, int d, guint *index) {
    const GPtrArray *fs = x->run->vm->findings;
    for (guint i = 0; i < fs->len; i++) {
        const wz_finding *f = g_ptr_array_index(fs, i);
        if (f->person == x->e && f->def == d && f->decide < 0) {
            if (index) *index = i;
            return f;
        }
    }
    return NULL;
}

/* "rows": the fact rows a finding (or a leader's own amount) cites, as FILE:LINE. */
static void add_row_refs(wz_jbuilder *b, const explainer *x, const GArray *rows) {
    wz_jb_set_member_name(b, "rows");
    wz_jb_begin_array(b);
    for (guint i = 0; rows && i < rows->len; i++) {
        const wz_row_ref *rr = &g_array_index(rows, wz_row_ref, i);
        char *s;
        if (rr->fact < x->p->facts->len) s = g_strdup_printf("%s:%u", wz_output_fact_file(x->r, rr->fact), rr->line);
        else {   /* an earlier period's kept.csv */
            const wz_history_period *per = g_ptr_array_index(x->r->history->periods, rr->fact - x->p->facts->len);
            s = g_strdup_printf("history/%s/kept.csv:%u", per->name, rr->line);
        }
        wz_jb_add_string_value(b, s);
        g_free(s);
    }
    wz_jb_end_array(b);
}

static void add_rows(wz_jbuilder *b, const explainer *x, const wz_finding *f) { add_row_refs(b, x, f ? f->rows : NULL); }

static bool windowed(const wz_def *def) { return def->each_window >= 0 || (def->kind == WZ_DEF_RULE && def->window >= 0); }

/* How many findings def d has for the entity (not counting conflicts), the first at *first. */
static guint findings_of(const explainer *x, int d, guint *first) {
    const GPtrArray *fs = x->run->vm->findings;
    if (!finding_for(x, d, first)) return 0;
    guint n = 0;
    for (guint i = *first; i < fs->len; i++, n++) {
        const wz_finding *f = g_ptr_array_index(fs, i);
        if (f->person != x->e || f->def != d || f->decide >= 0) break;
    }
    return n;
}

/* "windows": each window rule d was worth something in for the entity (a finding each),
 * with its points, shown and exact ("result", as --why-not lists windows), and its rows. */
static void add_finding_windows(wz_jbuilder *b, const explainer *x, int d) {
    const GPtrArray *fs = x->run->vm->findings;
    guint first = 0, n = findings_of(x, d, &first);
    wz_jb_set_member_name(b, "windows");
    wz_jb_begin_array(b);
    for (guint i = first; i < first + n; i++) {
        const wz_finding *f = g_ptr_array_index(fs, i);
        wz_jb_begin_object(b);
        add_owned(b, "window", wz_vm_window_text(x->run->vm, f));
        wz_jb_set_member_name(b, "applied");
        wz_jb_add_boolean_value(b, true);
        add_owned(b, "points", dec_exact(f->points));
        add_owned(b, "shown", dec_shown(f->points, x->p->display_places));
        add_owned(b, "result", dec_exact(f->points));
        add_rows(b, x, f);
        wz_jb_end_object(b);
    }
    wz_jb_end_array(b);
}

/* A windowed rule (`for each W`, `free N per W`): "rows", every row its windows cite, in
 * their order, and "windows", each window it was worth something in, with its points
 * and rows (one finding each). */
static void add_rule_windows(wz_jbuilder *b, const explainer *x, int d) {
    const GPtrArray *fs = x->run->vm->findings;
    guint first = 0, n = findings_of(x, d, &first);
    GArray *all = g_array_new(FALSE, FALSE, sizeof(wz_row_ref));
    for (guint i = first; i < first + n; i++) {
        const wz_finding *f = g_ptr_array_index(fs, i);
        g_array_append_vals(all, f->rows->data, f->rows->len);
    }
    add_row_refs(b, x, all);
    g_array_free(all, TRUE);
    add_finding_windows(b, x, d);
}

/* A leader's own amount (`first 校长 = EXPR`): "own" the expression as written,
 * and the rows of their own facts it read. */
static void add_own(wz_jbuilder *b, const explainer *x, const wz_blame_line *l) {
    if (l->own_def < 0) return;
    add_owned(b, "own", wz_probe_text(def_at(x, l->own_def)->node));
    add_row_refs(b, x, l->rows);
}

static const char *as_word(const explainer *x, int as) {
    return word(x, as == WZ_RESP_FIRST ? W_FIRST : as == WZ_RESP_DIRECT ? W_DIRECT : W_NAMED);
}

/* "sanction": a responsible person's own tier of def's ladder, or null: answerable with no measure. */
static void add_tier(wz_jbuilder *b, const explainer *x, int def, int tier) {
    const wz_def *d = g_ptr_array_index(x->p->defs, (guint)def);
    if (tier >= 0) {
        add_string(b, "sanction", ((const wz_ladder *)g_ptr_array_index(x->p->ladders, (guint)d->ladder))->tiers[tier].name);
        return;
    }
    wz_jb_set_member_name(b, "sanction");
    wz_jb_add_null_value(b);
}

/* The responsible persons of finding i of this run: r->blame is ordered by run, then finding. */
static void add_responsible(wz_jbuilder *b, const explainer *x, guint finding, bool award) {
    wz_jb_set_member_name(b, "responsible");
    wz_jb_begin_array(b);
    const wz_facts *persons = ((const wz_kind_run *)g_ptr_array_index(x->r->runs, 0))->facts;
    for (guint i = 0; x->r->blame && i < x->r->blame->len; i++) {
        const wz_blame_line *l = &g_array_index(x->r->blame, wz_blame_line, i);
        if (l->run != x->k || l->finding != finding) continue;
        wz_jb_begin_object(b);
        add_string(b, "person", wz_facts_person_id(persons, l->person));
        add_string(b, "role", l->role_name);
        add_string(b, "as", as_word(x, l->as));
        if (award && l->measured) add_owned(b, "amount", dec_exact(l->amount));
        add_own(b, x, l);
        const wz_finding *f = g_ptr_array_index(((const wz_kind_run *)g_ptr_array_index(x->r->runs, l->run))->vm->findings, l->finding);
        if (!award && l->tier != f->tier) add_tier(b, x, f->def, l->tier);   /* their own measure, or none */
        if (l->has_share) add_owned(b, "share", dec_exact(l->share));
        wz_jb_end_object(b);
    }
    wz_jb_end_array(b);
}

/* A tier's effects in words: cut, grade cap, exclusion. */
static void add_effects(wz_jbuilder *b, const explainer *x, const wz_tier *t) {
    wz_jb_set_member_name(b, "effects");
    wz_jb_begin_array(b);
    if (!wz_dec_is_zero(t->cut)) {
        wz_dec pct;
        wz_dec_mul(t->cut, wz_dec_from_int(100), &pct);
        char *n = dec_exact(pct);
        char *s = g_strdup_printf(word(x, W_CUT), n);
        wz_jb_add_string_value(b, s);
        g_free(s);
        g_free(n);
    }
    if (t->grade >= 0 && x->p->grade_def >= 0) {
        const wz_def *g = def_at(x, x->p->grade_def);
        char *s = g_strdup_printf(word(x, W_GRADE_CAP), (const char *)g_ptr_array_index(g->members, (guint)t->grade));
        wz_jb_add_string_value(b, s);
        g_free(s);
    }
    if (t->excluded) wz_jb_add_string_value(b, word(x, W_EXCLUDED));
    wz_jb_end_array(b);
}

/* ---- the model ------------------------------------------------------------------ */

/* Marks every def that def d reads, transitively. */
static void mark_reads(const explainer *x, int d, guint8 *seen) {
    if (seen[d]) return;
    seen[d] = 1;
    const wz_def *def = def_at(x, d);
    for (guint i = 0; i < def->deps->len; i++) mark_reads(x, g_array_index(def->deps, int, i), seen);
}

/* Runs one part of a rule (its amount, quantity, allowance, cap or condition)
 * for the entity; the value's text, or NULL when the part is absent or fails. */
static char *probe(const explainer *x, const wz_def *rule, const char *part, const wz_node *expr, wz_value *out) {
    if (!expr) return NULL;
    char *name = g_strdup_printf("%s.%s", rule->name, part);
    wz_chunk *ch = wz_compile_probe(x->r->prog, name, expr);
    g_free(name);
    wz_diags *quiet = wz_diags_new(1);
    wz_value v;
    bool ok = wz_vm_eval_for(x->run->vm, ch, x->e, &v, quiet);
    wz_diags_free(quiet);
    wz_chunk_free(ch);
    if (!ok) return NULL;
    if (out) *out = v;
    return value_text(x, NULL, v, true);
}

/* A rule's arithmetic: amount × quantity (less the allowance, per window), its
 * cap, and whether its condition held. */
static void add_rule_parts(wz_jbuilder *b, const explainer *x, const wz_def *rule) {
    if (rule->each_window >= 0) {   /* its parts are read in each window: see "windows" */
        add_string(b, "each", ((const wz_window_group *)g_ptr_array_index(x->p->windows, (guint)rule->each_window))->name);
        add_owned(b, "cap", probe(x, rule, "cap", rule->cap_expr, NULL));   /* on the windows' sum */
        return;
    }
    wz_value cond = {0};
    char *when = probe(x, rule, "when", rule->when_expr, &cond);
    if (when) {
        wz_jb_set_member_name(b, "condition");
        wz_jb_add_boolean_value(b, cond.tag == WZ_V_BOOL && cond.i);
        g_free(when);
    }
    add_owned(b, "amount", probe(x, rule, "amount", rule->amount_expr, NULL));
    add_owned(b, "quantity", probe(x, rule, "quantity", rule->quantity_expr, NULL));
    add_owned(b, "free", probe(x, rule, "free", rule->free_expr, NULL));
    add_string(b, "free_per", rule->window >= 0 ? ((const wz_window_group *)g_ptr_array_index(x->p->windows, (guint)rule->window))->name : NULL);
    add_owned(b, "cap", probe(x, rule, "cap", rule->cap_expr, NULL));
}

/* --why-not RULE: the rule's parts as written, each with its value for the entity. */
static void add_part(wz_jbuilder *b, const explainer *x, const wz_def *rule, const char *part, const wz_node *expr) {
    if (!expr) return;
    wz_jb_begin_object(b);
    add_string(b, "part", part);
    add_owned(b, "text", wz_probe_text(expr));
    add_owned(b, "value", probe(x, rule, part, expr, NULL));
    wz_jb_end_object(b);
}

static bool build_why_not(wz_jbuilder *b, const explainer *x, const char *name, wz_diags *diags) {
    int d = wz_policy_find_def(x->p, name);
    const wz_def *def = d >= 0 ? def_at(x, d) : NULL;
    if (!def || (def->kind != WZ_DEF_RULE && def->kind != WZ_DEF_SANCTION && def->kind != WZ_DEF_NOTICE && def->kind != WZ_DEF_AWARD)) {
        wz_diag_plain(diags, WZ_DIAG_USAGE, WZ_SEV_ERROR, NULL,
                      "--why-not %s: the policy has no such rule (a deduction or bonus as SECTION.RULE, a sanction, a notice or an award)", name);
        return false;
    }
    if (def->entity >= 0 && def->entity != (int)x->k) {
        wz_diag_plain(diags, WZ_DIAG_USAGE, WZ_SEV_ERROR, NULL, "--why-not %s: that rule is about each %s, and %s is a %s", name,
                      ((const wz_entity_kind *)g_ptr_array_index(x->p->kinds, (guint)def->entity))->name,
                      wz_facts_person_id(x->run->facts, x->e), ((const wz_entity_kind *)g_ptr_array_index(x->p->kinds, x->k))->name);
        return false;
    }
    wz_jb_set_member_name(b, "why_not");
    wz_jb_begin_object(b);
    add_string(b, "rule", def->name);
    add_string(b, "label", def->text);
    wz_jb_set_member_name(b, "applied");
    wz_jb_add_boolean_value(b, finding_for(x, d, NULL) != NULL);
    wz_value v = value_of(x, d);
    if (def->kind == WZ_DEF_RULE && v.tag == WZ_V_NUM && def->sign < 0) v.d = wz_dec_neg(v.d);
    add_owned(b, "result", value_text(x, def, v, true));
    wz_jb_set_member_name(b, "parts");
    wz_jb_begin_array(b);
    if (def->each_window < 0) {   /* else its parts are read in each window: see "windows" */
        add_part(b, x, def, "condition", def->when_expr);
        add_part(b, x, def, "amount", def->amount_expr);
        add_part(b, x, def, "quantity", def->quantity_expr);
        add_part(b, x, def, "free", def->free_expr);
    }
    add_part(b, x, def, "cap", def->cap_expr);
    wz_jb_end_array(b);
    if (def->kind == WZ_DEF_RULE && def->window >= 0 && def->each_window < 0)   /* `free N per W`: the windows that went over it */
        add_finding_windows(b, x, d);
    if (def->each_window >= 0) {   /* each window: what it gave, and the rows it read */
        GPtrArray *all = wz_vm_eval_windows(x->run->vm, d, x->e);
        /* a rule's cap is on the windows' sum: the windows keep their points in order until it
         * is reached (as the findings do); those it cut say so */
        wz_dec left = wz_dec_abs(v.tag == WZ_V_NUM ? v.d : WZ_DEC_ZERO);
        wz_jb_set_member_name(b, "windows");
        wz_jb_begin_array(b);
        for (guint i = 0; i < all->len; i++) {
            const wz_finding *w = g_ptr_array_index(all, i);
            wz_dec pts = w->points;
            bool capped = false;
            if (def->kind == WZ_DEF_RULE && def->cap_expr && wz_dec_sign(pts) * def->sign >= 0) {
                if (wz_dec_cmp(wz_dec_abs(pts), left) > 0) {
                    capped = true;
                    pts = def->sign < 0 ? wz_dec_neg(left) : left;
                }
                (void)wz_dec_sub(left, wz_dec_abs(pts), &left);
            }
            wz_jb_begin_object(b);
            add_owned(b, "window", wz_vm_window_text(x->run->vm, w));
            wz_jb_set_member_name(b, "applied");
            wz_jb_add_boolean_value(b, def->kind == WZ_DEF_SANCTION ? w->tier >= 0 : !wz_dec_is_zero(pts));
            if (capped) {
                wz_jb_set_member_name(b, "capped");
                wz_jb_add_boolean_value(b, true);
            }
            wz_value wv = def->kind == WZ_DEF_SANCTION ? wz_tagged(WZ_V_TIER, w->tier) : wz_num(pts);
            add_owned(b, "result", value_text(x, def, wv, true));
            add_rows(b, x, w);
            wz_jb_end_object(b);
        }
        wz_jb_end_array(b);
        g_ptr_array_free(all, TRUE);
    }
    add_string(b, "free_per", def->window >= 0 ? ((const wz_window_group *)g_ptr_array_index(x->p->windows, (guint)def->window))->name : NULL);
    add_source(b, x, def->span);
    wz_jb_end_object(b);
    return true;
}

static void build_sections(wz_jbuilder *b, const explainer *x) {
    const wz_policy *p = x->p;
    wz_jb_set_member_name(b, "sections");
    wz_jb_begin_array(b);
    for (guint s = 0; s < p->sections->len; s++) {
        int d = g_array_index(p->sections, int, s);
        const wz_def *sec = def_at(x, d);
        wz_jb_begin_object(b);
        add_string(b, "name", sec->name);
        add_string(b, "label", sec->text);
        add_value(b, x, d);
        add_source(b, x, sec->span);
        wz_jb_set_member_name(b, "rules");
        wz_jb_begin_array(b);
        for (guint r = 0; r < p->defs->len; r++) {
            const wz_def *rule = def_at(x, (int)r);
            if (rule->kind != WZ_DEF_RULE || rule->section != d) continue;
            wz_value v = value_of(x, (int)r);
            bool applied = v.tag == WZ_V_NUM && !wz_dec_is_zero(v.d);
            wz_dec pts = applied ? (rule->sign < 0 ? wz_dec_neg(v.d) : v.d) : WZ_DEC_ZERO;
            wz_jb_begin_object(b);
            add_string(b, "name", rule->name);
            add_string(b, "label", rule->text);
            add_string(b, "kind", rule->sign < 0 ? "deduct" : "bonus");
            wz_jb_set_member_name(b, "applied");
            wz_jb_add_boolean_value(b, applied);
            add_owned(b, "points", dec_exact(pts));
            add_owned(b, "shown", dec_shown(pts, p->display_places));
            add_rule_parts(b, x, rule);
            if (windowed(rule)) add_rule_windows(b, x, (int)r);
            else add_rows(b, x, applied ? finding_for(x, (int)r, NULL) : NULL);
            add_source(b, x, rule->span);
            wz_jb_end_object(b);
        }
        wz_jb_end_array(b);
        wz_jb_end_object(b);
    }
    wz_jb_end_array(b);
}

/* The lets, population aggregates and ranks that what the entity got reads. */
static void build_values(wz_jbuilder *b, const explainer *x, const guint8 *seen) {
    const wz_policy *p = x->p;
    wz_jb_set_member_name(b, "values");
    wz_jb_begin_array(b);
    for (guint d = 0; d < p->defs->len; d++) {
        const wz_def *def = def_at(x, (int)d);
        if (!seen[d] || (def->kind != WZ_DEF_LET && def->kind != WZ_DEF_POP_AGG && def->kind != WZ_DEF_RANK)) continue;
        if (def->entity >= 0 && def->entity != (int)x->k && def->kind != WZ_DEF_POP_AGG) continue;
        if (d == (guint)(p->distribute ? p->distribute->basis_def : -1)) continue;   /* shown under pay */
        wz_jb_begin_object(b);
        if (def->kind == WZ_DEF_POP_AGG) {   /* named by its text: sum(all: workload.weekly_hours) */
            const wz_source *src = def->span.src;
            char *text = g_strndup(src->text + def->span.start, def->span.end - def->span.start);
            add_owned(b, "name", text);
        } else {
            add_string(b, "name", def->name);
        }
        add_value(b, x, (int)d);
        if (def->kind == WZ_DEF_POP_AGG) {
            wz_jb_set_member_name(b, "over");
            wz_jb_add_int_value(b, x->run->vm->pop_counts[d]);
        }
        add_source(b, x, def->span);
        wz_jb_end_object(b);
    }
    wz_jb_end_array(b);
}

/* A `for each` finding's incident: its row ("accident.csv:4") and the value of each
 * row value of its fact on that row ("row_values": [{"name", "value"}]), computed by
 * a probe as the run computed them. */
static void add_incident(wz_jbuilder *b, const explainer *x, const wz_def *def, const wz_finding *f) {
    const wz_policy *p = x->p;
    add_owned(b, "incident", g_strdup_printf("%s:%u", wz_output_fact_file(x->r, (guint)def->each_fact), f->incident));
    wz_jb_set_member_name(b, "row_values");
    wz_jb_begin_array(b);
    for (guint i = 0; i < p->row_values->len; i++) {
        const wz_row_value *v = g_ptr_array_index(p->row_values, i);
        if (v->fact != def->each_fact) continue;
        char *name = g_strdup_printf("%s.%s", ((const wz_fact_schema *)g_ptr_array_index(p->facts, (guint)v->fact))->name, v->name);
        wz_chunk *ch = wz_compile_row_probe(x->r->prog, name, v->fact, f->incident, wz_node_kid(v->node, 0));
        wz_value val = wz_missing();
        wz_diags *ignored = wz_diags_new(0);   /* it ran without error for this row in the run */
        wz_vm_eval_for(x->run->vm, ch, x->e, &val, ignored);
        wz_diags_free(ignored);
        wz_chunk_free(ch);
        wz_jb_begin_object(b);
        add_owned(b, "name", name);
        if (val.tag == WZ_V_ENUM && v->members && val.i >= 0 && (guint)val.i < v->members->len)
            add_string(b, "value", g_ptr_array_index(v->members, (guint)val.i));
        else add_owned(b, "value", value_text(x, NULL, val, false));
        wz_jb_end_object(b);
    }
    wz_jb_end_array(b);
}

/* One sanction, notice or award finding (findings[fi]) of the entity, as an object. */
static void add_finding_object(wz_jbuilder *b, const explainer *x, const wz_def *def, wz_def_kind kind, guint fi) {
    const wz_policy *p = x->p;
    const wz_finding *f = g_ptr_array_index(x->run->vm->findings, fi);
    wz_jb_begin_object(b);
    add_string(b, "rule", def->name);
    add_string(b, "label", def->text);
    if (kind == WZ_DEF_SANCTION) {
        const wz_ladder *l = g_ptr_array_index(p->ladders, (guint)def->ladder);
        const wz_tier *t = &l->tiers[f->tier];
        add_string(b, "ladder", l->name);
        add_string(b, "tier", t->name);
        add_string(b, "tier_label", t->text);
        add_effects(b, x, t);
    } else if (kind == WZ_DEF_AWARD) {
        add_owned(b, "amount", dec_exact(f->points));
        add_owned(b, "shown", dec_shown(f->points, x->money_places));
    }
    add_rows(b, x, f);
    if (def->each_fact >= 0) add_incident(b, x, def, f);
    if (f->window) add_owned(b, "window", wz_vm_window_text(x->run->vm, f));
    if (def->blame) add_responsible(b, x, fi, kind == WZ_DEF_AWARD);
    add_source(b, x, def->span);
    wz_jb_end_object(b);
}

/* A `for each W` award or sanction: every window in order — those it gave something in, as
 * findings, and those it did not ("applied": false), citing the rows the window read (the
 * 病假 that lost a month its 全勤奖). */
static void add_windows_won_and_lost(wz_jbuilder *b, const explainer *x, int d, wz_def_kind kind) {
    const GPtrArray *fs = x->run->vm->findings;
    const wz_def *def = def_at(x, d);
    guint fi = fs->len;
    if (!finding_for(x, d, &fi)) fi = fs->len;
    GPtrArray *all = wz_vm_eval_windows(x->run->vm, d, x->e);
    for (guint i = 0; i < all->len; i++) {
        const wz_finding *w = g_ptr_array_index(all, i);
        const wz_finding *f = fi < fs->len ? g_ptr_array_index(fs, fi) : NULL;
        if (f && f->person == x->e && f->def == d && f->window == w->window) {
            add_finding_object(b, x, def, kind, fi++);
            continue;
        }
        /* a month without its award is worth saying; a window without a sanction only when
         * something in it was read (a late that did not reach the count) */
        if (kind != WZ_DEF_AWARD && w->rows->len == 0) continue;
        wz_jb_begin_object(b);
        add_string(b, "rule", def->name);
        add_string(b, "label", def->text);
        wz_jb_set_member_name(b, "applied");
        wz_jb_add_boolean_value(b, false);
        add_rows(b, x, w);
        add_owned(b, "window", wz_vm_window_text(x->run->vm, w));
        add_source(b, x, def->span);
        wz_jb_end_object(b);
    }
    g_ptr_array_free(all, TRUE);
}

/* Sanctions, notices and awards of the entity, from its findings; a `for each` rule's,
 * one per incident (window). */
static void build_findings(wz_jbuilder *b, const explainer *x, wz_def_kind kind, const char *key) {
    const wz_policy *p = x->p;
    const GPtrArray *fs = x->run->vm->findings;
    wz_jb_set_member_name(b, key);
    wz_jb_begin_array(b);
    for (guint d = 0; d < p->defs->len; d++) {
        const wz_def *def = def_at(x, (int)d);
        if (def->kind != kind) continue;
        if (def->each_window >= 0) {
            if (def->entity == (int)x->k) add_windows_won_and_lost(b, x, (int)d, kind);
            continue;
        }
        guint first = 0;
        if (!finding_for(x, (int)d, &first)) continue;
        for (guint fi = first; fi < fs->len; fi++) {
            const wz_finding *f = g_ptr_array_index(fs, fi);
            if (f->person != x->e || f->def != (int)d || f->decide >= 0) break;
            add_finding_object(b, x, def, kind, fi);
            if (def->each_fact < 0) break;   /* one finding per rule and entity */
        }
    }
    wz_jb_end_array(b);
}

static void build_conflicts(wz_jbuilder *b, const explainer *x) {
    wz_jb_set_member_name(b, "conflicts");
    wz_jb_begin_array(b);
    const GPtrArray *fs = x->run->vm->findings;
    for (guint i = 0; i < fs->len; i++) {
        const wz_finding *f = g_ptr_array_index(fs, i);
        if (f->person != x->e || f->decide < 0) continue;
        const wz_decide *dc = g_ptr_array_index(x->p->decides, (guint)f->decide);
        wz_jb_begin_object(b);
        add_string(b, "rule", def_at(x, f->def)->name);
        add_string(b, "option_a", dc->names[f->option_a]);
        add_string(b, "option_b", dc->names[f->option_b]);
        add_rows(b, x, f);
        add_source(b, x, dc->span);
        wz_jb_end_object(b);
    }
    wz_jb_end_array(b);
}

/* The findings of others this person answers for (a principal, a class teacher). */
static void build_answers(wz_jbuilder *b, const explainer *x) {
    wz_jb_set_member_name(b, "answers_for");
    wz_jb_begin_array(b);
    for (guint i = 0; x->k == 0 && x->r->blame && i < x->r->blame->len; i++) {
        const wz_blame_line *l = &g_array_index(x->r->blame, wz_blame_line, i);
        if (l->person != x->e) continue;
        const wz_kind_run *run = g_ptr_array_index(x->r->runs, l->run);
        const wz_finding *f = g_ptr_array_index(run->vm->findings, l->finding);
        const wz_def *def = def_at(x, f->def);
        wz_jb_begin_object(b);
        add_string(b, "kind", ((const wz_entity_kind *)g_ptr_array_index(x->p->kinds, l->run))->name);
        add_string(b, "id", wz_facts_person_id(run->facts, f->person));
        add_string(b, "rule", def->name);
        add_string(b, "label", def->text);
        add_string(b, "role", l->role_name);
        add_string(b, "as", as_word(x, l->as));
        if (def->kind == WZ_DEF_AWARD && l->measured) add_owned(b, "amount", dec_exact(l->amount));
        add_own(b, x, l);
        if (def->kind == WZ_DEF_SANCTION) add_tier(b, x, f->def, l->tier);   /* the measure they get, or null */
        if (l->has_share) add_owned(b, "share", dec_exact(l->share));
        add_source(b, x, def->span);
        wz_jb_end_object(b);
    }
    wz_jb_end_array(b);
}

/* The pay and the pool's arithmetic: pool − stipends = shared; shared ÷ units
 * = one unit; a fixed share is weight × unit; a pro-rata share is its group's
 * units × unit × by ÷ Σ by. */
/* One part's arithmetic for the person, as members of the object being built. */
static void build_pay_part(wz_jbuilder *b, const explainer *x, const wz_pay_part *pp) {
    const wz_distribute *dist = pp->dist;
    const wz_pay_row *row = &pp->pay[x->e];
    const wz_pay_part *r = pp;   /* the part's figures, named as the pool's were */
    int places = dist->places;
    const wz_def *basis = def_at(x, dist->basis_def);
    add_string(b, "basis", g_ptr_array_index(basis->members, (guint)row->basis));
    add_owned(b, "weight", dec_exact(r->basis_weight[row->basis]));
    const wz_share *share = NULL;
    for (guint s = 0; s < dist->shares->len; s++)
        if (g_array_index(dist->shares, wz_share, s).member == row->basis) share = &g_array_index(dist->shares, wz_share, s);
    if (share && share->prorata_def >= 0) {
        const wz_def *by = def_at(x, share->prorata_def);
        const wz_source *src = by->span.src;
        add_owned(b, "by", g_strndup(src->text + by->span.start, by->span.end - by->span.start));
        add_owned(b, "by_value", value_text(x, by, value_of(x, share->prorata_def), true));
        add_owned(b, "group_units", dec_exact(r->group_units[row->basis]));
        add_owned(b, "group_by", dec_exact(r->group_by[row->basis]));
        wz_value v = value_of(x, share->prorata_def);
        if (share->zero == WZ_ZERO_EXCLUDE && (v.tag != WZ_V_NUM || wz_dec_is_zero(v.d))) {   /* left out of the units */
            wz_jb_set_member_name(b, "takes_no_unit");
            wz_jb_add_boolean_value(b, true);
        }
    }
    wz_dec shared;
    wz_dec_sub(r->pool, r->stipends, &shared);
    add_owned(b, "pool", dec_exact(r->pool));
    add_owned(b, "stipends", dec_exact(r->stipends));
    add_owned(b, "shared", dec_exact(shared));
    add_owned(b, "units", dec_exact(r->units));
    add_owned(b, "unit", dec_exact(r->unit));
    add_owned(b, "unit_shown", dec_shown(r->unit, x->p->display_places));
    add_owned(b, "reward", dec_fixed(row->reward, places));
    add_owned(b, "stipend", dec_fixed(row->stipend, places));
    add_owned(b, "amount", dec_fixed(row->amount, places));
    wz_jb_set_member_name(b, "places");
    wz_jb_add_int_value(b, places);
    add_string(b, "rounding", dist->rounding == WZ_DIST_LARGEST_REMAINDER ? "largest_remainder" : "half_up");
    add_source(b, x, dist->span);
}

/* The pool's arithmetic; with named parts, each part's under "parts" and the
 * person's amount, their sum. */
static void build_pay(wz_jbuilder *b, const explainer *x) {
    const wz_result *r = x->r;
    wz_jb_set_member_name(b, "pay");
    if (!r->has_pay || x->k != 0) {
        wz_jb_add_null_value(b);
        return;
    }
    wz_jb_begin_object(b);
    if (!x->p->distribute->name) {
        build_pay_part(b, x, &r->parts[0]);
        wz_jb_end_object(b);
        return;
    }
    int places = wz_pay_places(x->p);
    add_owned(b, "amount", dec_fixed(r->pay[x->e].amount, places));
    wz_jb_set_member_name(b, "places");
    wz_jb_add_int_value(b, places);
    wz_jb_set_member_name(b, "parts");
    wz_jb_begin_array(b);
    for (guint k = 0; k < r->nparts; k++) {
        wz_jb_begin_object(b);
        add_string(b, "name", r->parts[k].dist->name);
        if (r->parts[k].dist->text) add_string(b, "label", r->parts[k].dist->text);
        build_pay_part(b, x, &r->parts[k]);
        wz_jb_end_object(b);
    }
    wz_jb_end_array(b);
    wz_jb_end_object(b);
}

static wz_jv *build_model(const explainer *x, const char *why_not, wz_diags *diags) {
    const wz_policy *p = x->p;
    wz_jbuilder *b = wz_jb_new();
    wz_jb_begin_object(b);
    wz_jb_set_member_name(b, "policy");
    wz_jb_begin_object(b);
    add_string(b, "name", p->title);
    add_string(b, "version", p->version);
    add_owned(b, "file", wz_output_source(p, (wz_span){p->src, 0, 0}, false));
    wz_jb_end_object(b);
    add_string(b, "kind", ((const wz_entity_kind *)g_ptr_array_index(p->kinds, x->k))->name);
    add_string(b, "id", wz_facts_person_id(x->run->facts, x->e));
    if (why_not && !build_why_not(b, x, why_not, diags)) {
        wz_jb_free(b);
        return NULL;
    }
    guint8 *seen = g_new0(guint8, p->defs->len + 1);
    if (x->k == 0) {
        build_sections(b, x);
        mark_reads(x, p->total_def, seen);
        if (p->grade_def >= 0) mark_reads(x, p->grade_def, seen);
        for (guint k = 0; k < p->parts->len; k++) {
            const wz_distribute *d = g_ptr_array_index(p->parts, k);
            mark_reads(x, d->basis_def, seen);
            if (d->stipend_def >= 0) mark_reads(x, d->stipend_def, seen);
        }
    }
    for (guint d = 0; d < p->defs->len; d++) {   /* what sanctions, notices and awards read */
        const wz_def *def = def_at(x, (int)d);
        if ((def->kind == WZ_DEF_SANCTION || def->kind == WZ_DEF_NOTICE || def->kind == WZ_DEF_AWARD) &&
            (def->entity < 0 || def->entity == (int)x->k) && finding_for(x, (int)d, NULL))
            mark_reads(x, (int)d, seen);
    }
    for (guint i = 0; x->k == 0 && x->r->blame && i < x->r->blame->len; i++) {   /* what their own amounts read */
        const wz_blame_line *l = &g_array_index(x->r->blame, wz_blame_line, i);
        if (l->person == x->e && l->own_def >= 0) mark_reads(x, l->own_def, seen);
    }
    build_values(b, x, seen);
    g_free(seen);
    /* a policy that scores persons (as scores.csv is written): sections, a grade or a pool */
    if (x->k == 0 && (p->sections->len || p->grade_def >= 0 || p->distribute)) {
        wz_jb_set_member_name(b, "total");
        wz_jb_begin_object(b);
        add_value(b, x, p->total_def);
        add_source(b, x, def_at(x, p->total_def)->span);
        wz_jb_end_object(b);
        wz_jb_set_member_name(b, "grade");
        if (p->grade_def >= 0 && x->r->grade[x->e] >= 0) {
            const wz_def *g = def_at(x, p->grade_def);
            wz_jb_begin_object(b);
            add_string(b, "label", g_ptr_array_index(g->members, (guint)x->r->grade[x->e]));
            add_owned(b, "classified", value_text(x, g, value_of(x, p->grade_def), true));
            add_source(b, x, g->span);
            wz_jb_end_object(b);
        } else {
            wz_jb_add_null_value(b);
        }
    }
    build_findings(b, x, WZ_DEF_SANCTION, "sanctions");
    build_findings(b, x, WZ_DEF_NOTICE, "notices");
    build_findings(b, x, WZ_DEF_AWARD, "awards");
    build_conflicts(b, x);
    build_answers(b, x);
    build_pay(b, x);
    wz_jb_end_object(b);
    wz_jv *root = wz_jb_root(b);
    wz_jb_free(b);
    return root;
}

/* ---- text ------------------------------------------------------------------------- */

/* Columns on a terminal: a CJK character takes two. */
static guint display_width(const char *s) {
    guint w = 0;
    for (const char *q = s; q && *q; q = g_utf8_next_char(q)) {
        gunichar c = g_utf8_get_char(q);
        w += g_unichar_iswide(c) ? 2 : g_unichar_iszerowidth(c) ? 0 : 1;
    }
    return w;
}

/* A line of a block: LABEL, VALUE (right-aligned), NOTE, SOURCE. */
typedef struct text_line {
    guint indent;
    char *label, *value, *note, *source;
} text_line;

static void text_line_clear(gpointer p) {
    text_line *l = p;
    g_free(l->label);
    g_free(l->value);
    g_free(l->note);
    g_free(l->source);
}

static void add_line(GArray *lines, guint indent, char *label, char *value, char *note, char *source) {
    text_line l = {indent, label, value ? value : g_strdup(""), note ? note : g_strdup(""), source ? source : g_strdup("")};
    g_array_append_val(lines, l);
}

static void pad(GString *out, const char *s, guint width, bool right) {
    guint w = display_width(s);
    if (right) for (guint i = w; i < width; i++) g_string_append_c(out, ' ');
    g_string_append(out, s);
    if (!right) for (guint i = w; i < width; i++) g_string_append_c(out, ' ');
}

/* Prints a block with its columns aligned; a heading (NULL for none) first. */
static void flush_block(GString *out, const char *heading, GArray *lines) {
    if (!lines->len) return;
    if (heading) g_string_append_printf(out, "\n%s\n", heading);
    guint wl = 0, wv = 0, wn = 0;
    for (guint i = 0; i < lines->len; i++) {
        const text_line *l = &g_array_index(lines, text_line, i);
        wl = MAX(wl, l->indent + display_width(l->label));
        wv = MAX(wv, display_width(l->value));
        wn = MAX(wn, display_width(l->note));
    }
    for (guint i = 0; i < lines->len; i++) {
        const text_line *l = &g_array_index(lines, text_line, i);
        GString *line = g_string_new(NULL);
        for (guint s = 0; s < l->indent + 2; s++) g_string_append_c(line, ' ');
        pad(line, l->label, wl - l->indent, false);
        g_string_append(line, "  ");
        pad(line, l->value, wv, true);
        if (wn) {
            g_string_append(line, "  ");
            pad(line, l->note, wn, false);
        }
        if (*l->source) {
            g_string_append(line, "  ");
            g_string_append(line, l->source);
        }
        while (line->len && line->str[line->len - 1] == ' ') g_string_truncate(line, line->len - 1);
        g_string_append(out, line->str);
        g_string_append_c(out, '\n');
        g_string_free(line, TRUE);
    }
    g_array_set_size(lines, 0);
}

static const char *str(wz_jv *o, const char *key) {
    wz_jv *n = wz_jv_get(o, key);
    return wz_jv_string(n);
}

/* "病假 attendance.sick"; a label that is the name itself once. */
static char *label_of(wz_jv *o, const char *name_key) {
    const char *label = str(o, "label"), *name = str(o, name_key);
    return label && strcmp(label, name) ? g_strdup_printf("%s %s", label, name) : g_strdup(name);
}

/* "leave.csv:17, leave.csv:42" */
static char *rows_text(wz_jv *o) {
    wz_jv *a = wz_jv_get(o, "rows");
    GString *s = g_string_new(NULL);
    for (guint i = 0; a && i < wz_jv_len(a); i++)
        g_string_append_printf(s, "%s%s", i ? ", " : "", wz_jv_string(wz_jv_at(a, i)));
    return g_string_free(s, FALSE);
}

static char *list_text(wz_jv *a, const char *sep) {
    GString *s = g_string_new(NULL);
    for (guint i = 0; a && i < wz_jv_len(a); i++)
        g_string_append_printf(s, "%s%s", i ? sep : "", wz_jv_string(wz_jv_at(a, i)));
    return g_string_free(s, FALSE);
}

static char *responsible_text(const explainer *x, wz_jv *o) {
    wz_jv *a = wz_jv_has(o, "responsible") ? wz_jv_get(o, "responsible") : NULL;
    if (!a || !wz_jv_len(a)) return NULL;
    GString *s = g_string_new(word(x, W_RESPONSIBLE));
    g_string_append(s, x->zh ? "：" : ": ");
    for (guint i = 0; i < wz_jv_len(a); i++) {
        wz_jv *l = wz_jv_at(a, i);
        g_string_append_printf(s, "%s%s (%s, %s", i ? ", " : "", str(l, "person"), str(l, "role"), str(l, "as"));
        if (str(l, "amount")) g_string_append_printf(s, ", %s", str(l, "amount"));
        if (wz_jv_has(l, "sanction")) g_string_append_printf(s, ", %s", str(l, "sanction") ? str(l, "sanction") : "—");
        if (str(l, "share")) g_string_append_printf(s, ", %s", str(l, "share"));
        g_string_append_c(s, ')');
    }
    return g_string_free(s, FALSE);
}

static char *money(const explainer *x, const char *exact) {
    wz_dec d;
    if (!exact || wz_dec_parse(exact, strlen(exact), &d) != WZ_DEC_OK) return g_strdup(exact ? exact : "");
    return dec_shown(d, x->money_places);
}

/* A number of the model as the text shows it: rounded to the display places. */
static char *shown_of(const explainer *x, const char *exact) {
    wz_dec d;
    if (!exact) return NULL;
    if (strchr(exact, '/')) {   /* n/d */
        wz_dec n, q;
        const char *slash = strchr(exact, '/');
        if (wz_dec_parse(exact, (size_t)(slash - exact), &n) != WZ_DEC_OK || wz_dec_parse(slash + 1, strlen(slash + 1), &q) != WZ_DEC_OK ||
            wz_dec_div(n, q, &d) != WZ_DEC_OK)
            return g_strdup(exact);
    } else if (wz_dec_parse(exact, strlen(exact), &d) != WZ_DEC_OK) {
        return g_strdup(exact);
    }
    return dec_shown(d, x->p->display_places);
}

/* With an allowance, the quantity charged: |points| ÷ amount (NULL when a cap decides the
 * points, or the amount is 0), so that 0.2 × 3.5 reads as the −0.7 it gives. */
static char *charged_quantity(const explainer *x, wz_jv *rule) {
    wz_dec pts, amount, cap, q;
    const char *ps = str(rule, "points"), *as = str(rule, "amount"), *cs = str(rule, "cap");
    if (!ps || !as || strchr(ps, '/') || strchr(as, '/') || wz_dec_parse(ps, strlen(ps), &pts) != WZ_DEC_OK ||
        wz_dec_parse(as, strlen(as), &amount) != WZ_DEC_OK || wz_dec_is_zero(amount))
        return NULL;
    pts = wz_dec_abs(pts);
    if (cs && !strchr(cs, '/') && wz_dec_parse(cs, strlen(cs), &cap) == WZ_DEC_OK && wz_dec_cmp(pts, cap) >= 0) return NULL;
    if (wz_dec_div(pts, wz_dec_abs(amount), &q) != WZ_DEC_OK) return NULL;
    return dec_shown(q, x->p->display_places);
}

/* One part's lines (or the one pool's), at indent: basis, pool, unit, reward, stipend, amount. */
static void render_pay_part(GArray *lines, const explainer *x, wz_jv *po, guint indent) {
    const char *weight = str(po, "weight");
    bool one = weight && !strcmp(weight, "1");
    char *how = str(po, "by") ? g_strdup_printf(word(x, W_WEIGHT_PRORATA), weight, x->zh || one ? "" : "s", str(po, "by"))
                              : g_strdup_printf(word(x, W_WEIGHT_FIXED), weight, x->zh || one ? "" : "s");
    if (x->zh && str(po, "by")) {   /* 每人%s份，按%s比例分配: no plural slot */
        g_free(how);
        how = g_strdup_printf(word(x, W_WEIGHT_PRORATA), weight, str(po, "by"));
    }
    if (wz_jv_has(po, "takes_no_unit")) {   /* `zero exclude`: not "1 unit each" */
        g_free(how);
        how = g_strdup_printf(word(x, W_NO_UNIT), str(po, "by"));
    }
    add_line(lines, indent, g_strdup(word(x, W_BASIS)), g_strdup(str(po, "basis")), how, g_strdup(str(po, "source")));
    char *pool = money(x, str(po, "pool")), *stip = money(x, str(po, "stipends")), *shared = money(x, str(po, "shared"));
    add_line(lines, indent, g_strdup(word(x, W_POOL)), g_strdup_printf("%s − %s = %s", pool, stip, shared),
             g_strdup_printf("%s − %s = %s", word(x, W_POOL), word(x, W_STIPENDS), word(x, W_SHARED)), NULL);
    char *unit = g_strdup(str(po, "unit_shown"));
    add_line(lines, indent, g_strdup(word(x, W_UNIT)), g_strdup_printf("%s ÷ %s = %s", shared, str(po, "units"), unit),
             g_strdup_printf("%s ÷ %s", word(x, W_SHARED), word(x, W_UNITS)), NULL);
    if (str(po, "by"))
        add_line(lines, indent, g_strdup(word(x, W_REWARD)),
                 g_strdup_printf("%s × %s × %s ÷ %s = %s", str(po, "group_units"), unit, str(po, "by_value"),
                                 str(po, "group_by"), str(po, "reward")),
                 g_strdup_printf("%s × %s × %s ÷ Σ %s", word(x, W_UNITS), word(x, W_UNIT), str(po, "by"), str(po, "by")), NULL);
    else
        add_line(lines, indent, g_strdup(word(x, W_REWARD)), g_strdup_printf("%s × %s = %s", weight, unit, str(po, "reward")), NULL,
                 NULL);
    add_line(lines, indent, g_strdup(word(x, W_STIPEND)), g_strdup(str(po, "stipend")), NULL, NULL);
    add_line(lines, indent, g_strdup(word(x, W_AMOUNT)), g_strdup(str(po, "amount")), NULL, NULL);
    g_free(pool);
    g_free(stip);
    g_free(shared);
    g_free(unit);
}

/* "0.2 × 3.5 (7.5 in all, 2 free per semester; at most 3)": a rule's arithmetic, from the model. */
static char *rule_arithmetic(const explainer *x, wz_jv *rule) {
    if (str(rule, "each")) {   /* see its windows */
        char *each = g_strdup_printf(word(x, W_EACH_WINDOW), str(rule, "each")), *cap = shown_of(x, str(rule, "cap"));
        if (!cap) return each;
        char *capped = g_strdup_printf(word(x, W_AT_MOST), cap), *both = g_strdup_printf("%s (%s)", each, capped);
        g_free(each);
        g_free(cap);
        g_free(capped);
        return both;
    }
    if (wz_jv_has(rule, "condition") && !wz_jv_get_bool(rule, "condition"))
        return g_strdup(word(x, W_COND_FALSE));
    if (!str(rule, "quantity") && !str(rule, "free") && !str(rule, "cap")) return g_strdup("");   /* the amount is the points */
    GString *s = g_string_new(NULL);
    char *amount = shown_of(x, str(rule, "amount")), *qty = shown_of(x, str(rule, "quantity"));
    char *free_ = shown_of(x, str(rule, "free")), *cap = shown_of(x, str(rule, "cap"));
    char *charged = free_ && qty ? charged_quantity(x, rule) : NULL;
    if (charged && !strcmp(charged, qty)) g_clear_pointer(&charged, g_free);   /* nothing was free */
    if (amount) g_string_append(s, amount);
    if (qty) g_string_append_printf(s, " × %s", charged ? charged : qty);
    const char *sep = " (";
    if (charged) {
        g_string_append(s, sep);
        g_string_append_printf(s, word(x, W_IN_ALL), qty);
        sep = x->zh ? "，" : ", ";
    }
    if (free_) {
        g_string_append(s, sep);
        if (str(rule, "free_per"))
            g_string_append_printf(s, word(x, W_FREE_PER), x->zh ? str(rule, "free_per") : free_, x->zh ? free_ : str(rule, "free_per"));
        else g_string_append_printf(s, word(x, W_FREE), free_);
        sep = "; ";
    }
    if (cap) {
        g_string_append(s, sep);
        g_string_append_printf(s, word(x, W_AT_MOST), cap);
        sep = "; ";
    }
    if (strcmp(sep, " (")) g_string_append_c(s, ')');
    g_free(charged);
    g_free(amount);
    g_free(qty);
    g_free(free_);
    g_free(cap);
    return g_string_free(s, FALSE);
}

static void render_text(GString *out, const explainer *x, wz_jv *m) {
    wz_jv *pol = wz_jv_get(m, "policy");
    g_string_append_printf(out, "%s · %s %s · %s\n", str(m, "id"), str(pol, "name"), str(pol, "version"), str(pol, "file"));
    GArray *lines = g_array_new(FALSE, TRUE, sizeof(text_line));
    g_array_set_clear_func(lines, text_line_clear);
    if (wz_jv_has(m, "why_not")) {   /* --why-not: the rule asked about, part by part */
        wz_jv *w = wz_jv_get(m, "why_not");
        wz_jv *parts = wz_jv_get(w, "parts");
        static const struct { const char *part; word_id word; } names[] = {
            {"condition", W_CONDITION}, {"amount", W_AMOUNT_PART}, {"quantity", W_QUANTITY}, {"free", W_FREE_PART}, {"cap", W_CAP_PART}};
        for (guint i = 0; i < wz_jv_len(parts); i++) {
            wz_jv *part = wz_jv_at(parts, i);
            word_id wd = W_CONDITION;
            for (guint k = 0; k < G_N_ELEMENTS(names); k++)
                if (!strcmp(names[k].part, str(part, "part"))) wd = names[k].word;
            char *label = g_strdup(word(x, wd));
            if (wd == W_FREE_PART && str(w, "free_per")) {
                g_free(label);
                label = g_strdup_printf(x->zh ? "%s（每%s）" : "%s (per %s)", word(x, W_FREE_PART), str(w, "free_per"));
            }
            add_line(lines, 0, label, shown_of(x, str(part, "value")) ?: g_strdup("—"), g_strdup(str(part, "text")), NULL);
        }
        wz_jv *wins = wz_jv_has(w, "windows") ? wz_jv_get(w, "windows") : NULL;
        for (guint i = 0; wins && i < wz_jv_len(wins); i++) {   /* `for each W`: window by window */
            wz_jv *win = wz_jv_at(wins, i);
            bool capped = wz_jv_has(win, "capped") && wz_jv_get_bool(win, "capped");
            char *rows = rows_text(win), *note = g_strdup_printf("%s%s%s", word(x, capped ? W_CAP_REACHED : wz_jv_get_bool(win, "applied") ? W_APPLIED : W_NOT_APPLIED),
                                                                 *rows ? "  " : "", rows);
            g_free(rows);
            add_line(lines, 0, g_strdup(str(win, "window")), shown_of(x, str(win, "result")) ?: g_strdup("—"), note, NULL);
        }
        add_line(lines, 0, g_strdup(word(x, W_RESULT)), shown_of(x, str(w, "result")),
                 g_strdup(word(x, wz_jv_get_bool(w, "applied") ? W_APPLIED : W_NOT_APPLIED)), g_strdup(str(w, "source")));
        char *rule = label_of(w, "rule"), *heading = g_strdup_printf(word(x, W_WHY), rule);
        flush_block(out, heading, lines);
        g_free(rule);
        g_free(heading);
    }
    wz_jv *sections = wz_jv_has(m, "sections") ? wz_jv_get(m, "sections") : NULL;
    for (guint i = 0; sections && i < wz_jv_len(sections); i++) {
        wz_jv *s = wz_jv_at(sections, i);
        add_line(lines, 0, label_of(s, "name"), g_strdup(str(s, "shown")), NULL, g_strdup(str(s, "source")));
        wz_jv *rules = wz_jv_get(s, "rules");
        for (guint k = 0; k < wz_jv_len(rules); k++) {
            wz_jv *rule = wz_jv_at(rules, k);
            bool applied = wz_jv_get_bool(rule, "applied");
            char *how = rule_arithmetic(x, rule), *note;
            if (applied) {
                char *rows = rows_text(rule);
                note = *rows && *how ? g_strdup_printf("%s  %s", how, rows) : g_strdup(*how ? how : rows);
                g_free(rows);
            } else {
                bool cond_false = wz_jv_has(rule, "condition") && !wz_jv_get_bool(rule, "condition");
                note = cond_false || !*how ? g_strdup(cond_false ? how : word(x, W_NOT_APPLIED))
                                           : g_strdup_printf("%s%s%s", word(x, W_NOT_APPLIED), x->zh ? "：" : ": ", how);
            }
            g_free(how);
            add_line(lines, 2, label_of(rule, "name"), g_strdup(applied ? str(rule, "shown") : "0"), note,
                     g_strdup(str(rule, "source")));
            wz_jv *wins = wz_jv_has(rule, "windows") ? wz_jv_get(rule, "windows") : NULL;
            for (guint w = 0; wins && wz_jv_len(wins) > 1 - !!str(rule, "each") && w < wz_jv_len(wins); w++) {
                /* each window it was worth something in (one alone adds nothing the rule's line does not say,
                 * unless the rule is given per window) */
                wz_jv *win = wz_jv_at(wins, w);
                add_line(lines, 4, g_strdup(str(win, "window")), g_strdup(str(win, "shown")), rows_text(win), NULL);
            }
        }
    }
    if (wz_jv_has(m, "total")) {
        wz_jv *t = wz_jv_get(m, "total");
        add_line(lines, 0, g_strdup(word(x, W_TOTAL)), g_strdup(str(t, "shown")), NULL, g_strdup(str(t, "source")));
        wz_jv *g = wz_jv_get(m, "grade");
        if (g && wz_jv_is_object(g)) {
            wz_jv *go = (g);
            add_line(lines, 0, g_strdup(word(x, W_GRADE)), g_strdup(str(go, "label")), NULL, g_strdup(str(go, "source")));
        }
    }
    flush_block(out, word(x, W_SECTIONS), lines);

    wz_jv *values = wz_jv_get(m, "values");
    for (guint i = 0; i < wz_jv_len(values); i++) {
        wz_jv *v = wz_jv_at(values, i);
        char *note = NULL;
        if (wz_jv_has(v, "over")) {
            const char *kind = x->zh ? ((const wz_entity_kind *)g_ptr_array_index(x->p->kinds, x->k))->label : NULL;
            guint n = (guint)wz_jv_get_int(v, "over");
            note = g_strdup_printf(word(x, W_OVER), n,
                                   kind ? kind : x->k == 0 ? (n == 1 ? "person" : "persons")
                                                           : ((const wz_entity_kind *)g_ptr_array_index(x->p->kinds, x->k))->name);
        }
        add_line(lines, 0, g_strdup(str(v, "name")), g_strdup(str(v, "shown")), note, g_strdup(str(v, "source")));
    }
    flush_block(out, word(x, W_VALUES), lines);

    static const struct { const char *key; word_id heading; } blocks[] = {
        {"sanctions", W_SANCTIONS}, {"notices", W_NOTICES}, {"awards", W_AWARDS}};
    for (guint bi = 0; bi < G_N_ELEMENTS(blocks); bi++) {
        wz_jv *a = wz_jv_get(m, blocks[bi].key);
        for (guint i = 0; i < wz_jv_len(a); i++) {
            wz_jv *f = wz_jv_at(a, i);
            char *value = NULL, *note = rows_text(f);
            if (wz_jv_has(f, "applied") && !wz_jv_get_bool(f, "applied")) {   /* a window it gave nothing in */
                char *why = g_strdup_printf("%s  %s%s%s", str(f, "window"), word(x, W_NOT_APPLIED), *note ? "  " : "", note);
                g_free(note);
                add_line(lines, 0, label_of(f, "rule"), g_strdup("—"), why, g_strdup(str(f, "source")));
                continue;
            }
            if (bi == 0) {
                char *effects = list_text(wz_jv_get(f, "effects"), "; ");
                value = g_strdup(str(f, "tier"));
                if (*effects) {
                    char *joined = *note ? g_strdup_printf("%s  %s", effects, note) : g_strdup(effects);
                    g_free(note);
                    note = joined;
                }
                g_free(effects);
            } else if (bi == 2) {
                value = money(x, str(f, "amount"));
            }
            if (str(f, "window")) {   /* a `for each W` finding: its window first */
                char *with = *note ? g_strdup_printf("%s  %s", str(f, "window"), note) : g_strdup(str(f, "window"));
                g_free(note);
                note = with;
            }
            char *resp = responsible_text(x, f);
            add_line(lines, 0, label_of(f, "rule"), value, note, g_strdup(str(f, "source")));
            wz_jv *rv = wz_jv_has(f, "row_values") ? wz_jv_get(f, "row_values") : NULL;
            if (rv && wz_jv_len(rv)) {   /* an incident: its row values, "accident.level 记过, accident.fine 150" */
                GString *s = g_string_new(NULL);
                for (guint k = 0; k < wz_jv_len(rv); k++)
                    g_string_append_printf(s, "%s%s %s", k ? ", " : "", str(wz_jv_at(rv, k), "name"), str(wz_jv_at(rv, k), "value"));
                add_line(lines, 2, g_strdup(""), NULL, g_string_free(s, FALSE), NULL);   /* under its row */
            }
            if (resp) add_line(lines, 2, resp, NULL, NULL, NULL);
        }
        flush_block(out, word(x, blocks[bi].heading), lines);
    }

    wz_jv *conflicts = wz_jv_get(m, "conflicts");
    for (guint i = 0; i < wz_jv_len(conflicts); i++) {
        wz_jv *c = wz_jv_at(conflicts, i);
        add_line(lines, 0, g_strdup(str(c, "rule")), g_strdup_printf("%s / %s", str(c, "option_a"), str(c, "option_b")),
                 rows_text(c), g_strdup(str(c, "source")));
    }
    flush_block(out, word(x, W_CONFLICTS), lines);

    wz_jv *answers = wz_jv_get(m, "answers_for");
    for (guint i = 0; i < wz_jv_len(answers); i++) {
        wz_jv *a = wz_jv_at(answers, i);
        char *label = g_strdup_printf("%s %s", str(a, "id"), str(a, "rule"));
        char *note = str(a, "share") ? g_strdup_printf("%s, %s, %s", str(a, "role"), str(a, "as"), str(a, "share"))
                                     : g_strdup_printf("%s, %s", str(a, "role"), str(a, "as"));
        if (str(a, "own")) {   /* their own amount: how it is computed, from which of their rows */
            char *rows = rows_text(a), *with = g_strdup_printf("%s%s= %s%s%s", note, x->zh ? "，" : ", ", str(a, "own"),
                                                                *rows ? "  " : "", rows);
            g_free(note);
            g_free(rows);
            note = with;
        }
        add_line(lines, 0, label, str(a, "amount") ? money(x, str(a, "amount")) : g_strdup(str(a, "sanction")), note,
                 g_strdup(str(a, "source")));
    }
    flush_block(out, word(x, W_ANSWERS), lines);

    wz_jv *pay = wz_jv_get(m, "pay");
    if (pay && wz_jv_is_object(pay)) {
        wz_jv *parts = wz_jv_get(pay, "parts");
        if (!parts) render_pay_part(lines, x, pay, 0);
        for (guint k = 0; parts && k < wz_jv_len(parts); k++) {   /* each part under its name, then the sum */
            wz_jv *po = wz_jv_at(parts, k);
            char *label = str(po, "label") ? g_strdup_printf("%s %s", str(po, "label"), str(po, "name")) : g_strdup(str(po, "name"));
            add_line(lines, 0, label, g_strdup(str(po, "amount")), NULL, g_strdup(str(po, "source")));
            render_pay_part(lines, x, po, 2);
        }
        if (parts) add_line(lines, 0, g_strdup(word(x, W_AMOUNT)), g_strdup(str(pay, "amount")), NULL, NULL);
        flush_block(out, word(x, W_PAY), lines);
    }
    g_array_free(lines, TRUE);
}

bool wz_explain_policy_in_chinese(const wz_policy *p) {
    const char *s = p->src->text, *end = s + p->src->len;
    if (end - s >= 3 && !memcmp(s, "\xef\xbb\xbf", 3)) s += 3;   /* a BOM */
    while (s < end) {   /* white space and comments before the header */
        if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
        else if (*s == '#' || (*s == '/' && s + 1 < end && s[1] == '/'))
            while (s < end && *s != '\n') s++;
        else break;
    }
    return end - s >= (ptrdiff_t)strlen("方案") && !memcmp(s, "方案", strlen("方案"));
}

GString *wz_explain(const wz_result *r, const wz_explain_options *opts, wz_diags *diags) {
    explainer x = {.r = r, .p = r->policy, .zh = opts->zh};
    if (wz_result_find_entity(r, opts->id, &x.k, &x.e)) x.run = g_ptr_array_index(r->runs, x.k);
    else {
        wz_diag_plain(diags, WZ_DIAG_USAGE, WZ_SEV_ERROR, NULL,
                      "--person %s: no person or entity with this id in the facts", opts->id);
        return NULL;
    }
    x.money_places = r->policy->distribute ? r->policy->distribute->places : r->policy->display_places;
    wz_jv *model = build_model(&x, opts->why_not, diags);
    if (!model) return NULL;
    GString *out = g_string_new(NULL);
    if (opts->format == WZ_EXPLAIN_JSON) {
        wz_jv_print(out, model);
        g_string_append_c(out, '\n');
    } else {
        render_text(out, &x, model);
    }
    wz_jv_free(model);
    return out;
}
