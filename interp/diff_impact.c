/* diff_impact.c — whom two policy versions treat differently, and which change did it (diff.h).
 *
 * Both versions run on the same facts; every person or entity is matched by
 * id.  Then each change is made alone to the old version (diff_apply.c) and
 * run too: a person's part of each change is what that run gives less what
 * the old one gives.  Parts add up to the whole only when the changes do not
 * interact; with a shared pool they rarely do (a change to anyone's score
 * moves everyone's pay), and the report says so rather than forcing a sum.
 */
#include "diff_internal.h"

#include <errno.h>
#include <string.h>

#include "i18n.h"
#include "output.h"

/* One section's points or one award's amount, by name. */
typedef struct named_value {
    char *name;              /* "attendance", or the label when it has one: "考勤" */
    wz_dec value;
} named_value;

/* What one version gives one person (or one entity of another kind). */
typedef struct outcome {
    bool present;
    wz_dec total, pay;
    wz_dec awards;           /* a person: what the awards pay them, outside the pool (as awards.csv lists it) */
    char *grade, *sanctions;
    GArray *values;          /* named_value: each section and award, in the policy's order (or NULL) */
} outcome;

/* A person's part of one change made alone: the difference from the old version. */
typedef struct part_of {
    wz_dec total, pay, awards;
    bool grade, sanctions;   /* the grade or the sanctions differ */
    bool values;             /* a section's points or an award differ */
} part_of;

typedef struct impact_row {
    char *id, *name;
    const char *kind;        /* NULL for a person, else the entity kind ("school"), borrowed from the old or new policy */
    bool has_total;          /* a person: a total to compare (other kinds have awards only) */
    outcome a, b;
    part_of *parts;          /* one per change (zero when not measured) */
} impact_row;

/* One change made alone, over everyone. */
typedef struct change_effect {
    char *title;
    const char *change;      /* "added", "removed", "changed", "renamed" */
    bool measured;
    const char *inert;       /* when it changes no value: what it is ("a new name") */
    char *why;               /* when not measured: why */
    guint persons;           /* persons it changes */
    wz_dec moved;            /* the pay it gives those who gain */
    GArray *with;            /* guint: the changes it was measured with (it needs them), or NULL */
    char *counted_elsewhere; /* when what it does is what those do alone: says so */
} change_effect;

struct wz_impact {
    GPtrArray *rows;         /* impact_row*, every person of either run, old order first */
    GHashTable *by_id;       /* id → impact_row* (borrowed) */
    bool has_pay;
    bool has_awards;         /* some award pays persons (its own or one they answer for): money beside the pay */
    bool has_entities;       /* rows of other kinds than persons (a school's awards) */
    int places;
    GPtrArray *changes;      /* change_effect* */
};

static void values_free(GArray *v) {
    if (!v) return;
    for (guint i = 0; i < v->len; i++) g_free(g_array_index(v, named_value, i).name);
    g_array_free(v, TRUE);
}

static void row_free(gpointer p) {
    impact_row *m = p;
    values_free(m->a.values);
    values_free(m->b.values);
    g_free(m->id);
    g_free(m->name);
    g_free(m->a.grade);
    g_free(m->b.grade);
    g_free(m->a.sanctions);
    g_free(m->b.sanctions);
    g_free(m->parts);
    g_free(m);
}

static void change_free(gpointer p) {
    change_effect *c = p;
    if (c->with) g_array_free(c->with, TRUE);
    g_free(c->counted_elsewhere);
    g_free(c->title);
    g_free(c->why);
    g_free(c);
}

void wz_impact_free(wz_impact *m) {
    if (!m) return;
    g_ptr_array_free(m->rows, TRUE);
    g_hash_table_unref(m->by_id);
    g_ptr_array_free(m->changes, TRUE);
    g_free(m);
}

/* Whether an award pays persons: a person's own, or a unit's whose findings
 * persons answer for (a leader's own amount, a share, the amount whole). */
static bool pays_persons(const wz_def *def) { return def->kind == WZ_DEF_AWARD && (def->entity == 0 || def->blame); }

/* What each person is paid by each award that pays persons, in the policy's
 * order (wz_award_paid: as awards.csv and pay.csv give it), and how many lines of
 * sanctions.csv each per-incident or per-window sanction gives them, computed once per run. */
typedef struct paid {
    GPtrArray *amounts;      /* wz_dec*, one per person; one per such award (owned) */
    guint **lines;           /* per def: for a `for each` sanction, its findings per person (owned), else NULL */
    guint ndefs;
} paid;

static paid paid_of(const wz_result *r) {
    paid pa = {g_ptr_array_new_with_free_func(g_free), g_new0(guint *, r->policy->defs->len), r->policy->defs->len};
    for (guint d = 0; d < r->policy->defs->len; d++) {
        const wz_def *def = g_ptr_array_index(r->policy->defs, d);
        if (pays_persons(def)) g_ptr_array_add(pa.amounts, wz_award_paid(r, (int)d));
        if (def->kind == WZ_DEF_SANCTION && def->entity == 0 && (def->each_fact >= 0 || def->each_window >= 0))
            pa.lines[d] = g_new0(guint, MAX(r->facts->npersons, 1));
    }
    for (guint f = 0; f < r->vm->findings->len; f++) {
        const wz_finding *fi = g_ptr_array_index(r->vm->findings, f);
        if (pa.lines[fi->def] && fi->decide < 0 && fi->tier >= 0) pa.lines[fi->def][fi->person]++;
    }
    return pa;
}

static void paid_free(paid *pa) {
    g_ptr_array_free(pa->amounts, TRUE);
    for (guint d = 0; d < pa->ndefs; d++) g_free(pa->lines[d]);
    g_free(pa->lines);
}

/* A person's sanctions, "rule:tier" joined, in the policy's order; a `for each` sanction
 * with more than one line, "rule:tier×N" (its most severe tier and how many lines: a change
 * from one 半学期 to each 月份 changes them even when the tier stays). */
static char *sanctions_of(const wz_result *r, uint32_t e, const paid *pa) {
    GString *s = g_string_new(NULL);
    for (guint d = 0; d < r->policy->defs->len; d++) {
        const wz_def *def = g_ptr_array_index(r->policy->defs, d);
        if (def->kind != WZ_DEF_SANCTION || (def->entity >= 0 && def->entity != 0)) continue;
        wz_value v = wz_vm_value(r->vm, (int)d, e);
        if (v.tag != WZ_V_TIER || v.i < 0) continue;
        const wz_ladder *l = g_ptr_array_index(r->policy->ladders, (guint)def->ladder);
        g_string_append_printf(s, "%s%s:%s", s->len ? ", " : "", def->name, l->tiers[v.i].name);
        if (pa->lines[d] && pa->lines[d][e] > 1) g_string_append_printf(s, "×%u", pa->lines[d][e]);
    }
    return g_string_free(s, FALSE);
}

static outcome outcome_of(const wz_result *r, uint32_t i, const paid *pa) {
    const wz_policy *p = r->policy;
    wz_value t = wz_vm_value(r->vm, p->total_def, i);
    outcome o = {.present = true,
                 .total = t.tag == WZ_V_NUM ? t.d : WZ_DEC_ZERO,
                 .pay = r->has_pay ? r->pay[i].amount : WZ_DEC_ZERO,
                 .awards = WZ_DEC_ZERO,
                 .grade = r->grade && r->grade[i] >= 0 ? g_strdup(wz_diff_grade_label(p, r->grade[i])) : NULL,
                 .sanctions = sanctions_of(r, i, pa)};
    for (guint a = 0; a < pa->amounts->len; a++)
        if (wz_dec_add(o.awards, ((const wz_dec *)g_ptr_array_index(pa->amounts, a))[i], &o.awards) != WZ_DEC_OK)
            o.awards = WZ_DEC_ZERO;   /* money of 36 digits: not reached */
    return o;
}

/* Each section's points and each award's amount that entity i of run k has:
 * for a person, each award as it pays them (pa), a unit's they answer for too. */
static GArray *values_of(const wz_result *r, guint k, uint32_t i, const paid *pa) {
    const wz_policy *p = r->policy;
    const wz_kind_run *run = g_ptr_array_index(r->runs, k);
    GArray *v = g_array_new(FALSE, FALSE, sizeof(named_value));
    guint a = 0;   /* the next of pa's awards, in the same order */
    for (guint d = 0; d < p->defs->len; d++) {
        const wz_def *def = g_ptr_array_index(p->defs, d);
        bool person_paid = pays_persons(def);
        const wz_dec *amounts = person_paid ? g_ptr_array_index(pa->amounts, a++) : NULL;
        if (k == 0 && person_paid) {
            named_value nv = {def->text ? g_strdup(def->text) : g_strdup(def->name), amounts[i]};
            g_array_append_val(v, nv);
            continue;
        }
        if ((def->kind != WZ_DEF_SECTION && def->kind != WZ_DEF_AWARD) || def->entity != run->kind) continue;
        wz_value x = wz_vm_value(run->vm, (int)d, i);
        named_value nv = {def->text ? g_strdup(def->text) : g_strdup(def->name), x.tag == WZ_V_NUM ? x.d : WZ_DEC_ZERO};
        g_array_append_val(v, nv);
    }
    return v;
}

static const named_value *value_named(const GArray *v, const char *name) {
    for (guint i = 0; v && i < v->len; i++)
        if (!strcmp(g_array_index(v, named_value, i).name, name)) return &g_array_index(v, named_value, i);
    return NULL;
}

/* Whether entity i of run k has a section's points or an award other than in old (by name). */
static bool values_differ(const wz_result *r, guint k, uint32_t i, const GArray *old, const paid *pa) {
    GArray *values = values_of(r, k, i, pa);
    bool differ = false;
    for (guint v = 0; v < values->len && !differ; v++) {
        const named_value *x = &g_array_index(values, named_value, v), *y = value_named(old, x->name);
        differ = !y || wz_dec_cmp(x->value, y->value) != 0;
    }
    values_free(values);
    return differ;
}

/* The sections and awards that differ: "考勤 10 → 9.7, 全勤奖 0 → 500" (NULL when none). */
static char *values_changed(const impact_row *row) {
    GString *s = g_string_new(NULL);
    for (int side = 0; side < 2; side++) {
        const GArray *mine = side ? row->b.values : row->a.values, *other = side ? row->a.values : row->b.values;
        for (guint i = 0; mine && i < mine->len; i++) {
            const named_value *x = &g_array_index(mine, named_value, i), *y = value_named(other, x->name);
            if (side && y) continue;   /* both have it: said from the old side */
            if (y && wz_dec_cmp(x->value, y->value) == 0) continue;
            char *xs = wz_dec_to_string(x->value, 0, 4), *ys = y ? wz_dec_to_string(y->value, 0, 4) : g_strdup("—");
            g_string_append_printf(s, "%s%s %s → %s", s->len ? ", " : "", x->name, side ? ys : xs, side ? xs : ys);
            g_free(xs);
            g_free(ys);
        }
    }
    return s->len ? g_string_free(s, FALSE) : (g_string_free(s, TRUE), NULL);
}

/* The row of entity i of run k ("T033", or "school:驼骆坳中学" as its key). */
static impact_row *row_for(wz_impact *m, const wz_result *r, guint k, uint32_t i) {
    const wz_kind_run *run = g_ptr_array_index(r->runs, k);
    const char *id = wz_facts_person_id(run->facts, i);
    const char *kind = k ? ((const wz_entity_kind *)g_ptr_array_index(r->policy->kinds, k))->name : NULL;
    char *key = kind ? g_strdup_printf("%s:%s", kind, id) : g_strdup(id);
    impact_row *row = g_hash_table_lookup(m->by_id, key);
    if (row) {
        g_free(key);
        return row;
    }
    row = g_new0(impact_row, 1);
    row->a.total = row->a.pay = row->a.awards = row->b.total = row->b.pay = row->b.awards = WZ_DEC_ZERO;   /* a person only one run has */
    row->id = g_strdup(id);
    row->kind = kind;
    row->has_total = k == 0;
    row->name = k == 0 ? g_strdup(wz_output_person_name(r, i)) : NULL;
    g_ptr_array_add(m->rows, row);
    g_hash_table_insert(m->by_id, key, row);
    return row;
}

/* Every entity of every kind of r, as version b (or a). */
static void fill_rows(wz_impact *m, const wz_result *r, bool b) {
    paid pa = paid_of(r);
    m->has_awards |= pa.amounts->len > 0;
    for (guint k = 0; k < r->runs->len; k++) {
        const wz_kind_run *run = g_ptr_array_index(r->runs, k);
        for (uint32_t i = 0; i < run->facts->npersons; i++) {
            impact_row *row = row_for(m, r, k, i);
            m->has_entities |= k > 0;
            outcome *o = b ? &row->b : &row->a;
            if (k == 0) *o = outcome_of(r, i, &pa);
            else o->present = true;
            o->values = values_of(r, k, i, &pa);
        }
    }
    paid_free(&pa);
}

wz_impact *wz_impact_new(const wz_result *old, const wz_result *new_) {
    wz_impact *m = g_new0(wz_impact, 1);
    m->rows = g_ptr_array_new_with_free_func(row_free);
    m->by_id = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    m->changes = g_ptr_array_new_with_free_func(change_free);
    fill_rows(m, old, false);
    fill_rows(m, new_, true);
    m->has_pay = old->has_pay || new_->has_pay;
    m->places = new_->has_pay ? new_->policy->distribute->places : old->has_pay ? old->policy->distribute->places : 2;
    return m;
}

static bool row_changes(const impact_row *m) {
    if (wz_dec_cmp(m->a.pay, m->b.pay) != 0 || wz_dec_cmp(m->a.total, m->b.total) != 0 || wz_dec_cmp(m->a.awards, m->b.awards) != 0 ||
        g_strcmp0(m->a.grade, m->b.grade) ||
        g_strcmp0(m->a.sanctions, m->b.sanctions) || m->a.present != m->b.present)
        return true;
    char *v = values_changed(m);
    g_free(v);
    return v != NULL;
}

static bool part_is_zero(const part_of *p) {
    return wz_dec_sign(p->total) == 0 && wz_dec_sign(p->pay) == 0 && wz_dec_sign(p->awards) == 0 && !p->grade && !p->sanctions && !p->values;
}

/* Adds change k made alone (r), or why it could not be measured (r NULL). */
static void impact_attribute(wz_impact *m, const char *title, const char *change, const wz_result *r, char *why) {
    change_effect *c = g_new0(change_effect, 1);
    c->title = g_strdup(title);
    c->change = change;
    c->moved = WZ_DEC_ZERO;
    c->measured = r != NULL;
    c->why = why;
    g_ptr_array_add(m->changes, c);
    guint n = m->changes->len, k = n - 1;
    for (guint i = 0; i < m->rows->len; i++) {
        impact_row *row = g_ptr_array_index(m->rows, i);
        row->parts = g_renew(part_of, row->parts, n);
        row->parts[k] = (part_of){.total = WZ_DEC_ZERO, .pay = WZ_DEC_ZERO, .awards = WZ_DEC_ZERO};
    }
    if (!r) return;
    paid pa = paid_of(r);
    for (guint kind = 1; kind < r->runs->len; kind++) {   /* other kinds: their awards */
        const wz_kind_run *run = g_ptr_array_index(r->runs, kind);
        const char *kname = ((const wz_entity_kind *)g_ptr_array_index(r->policy->kinds, kind))->name;
        for (uint32_t j = 0; j < run->facts->npersons; j++) {
            char *key = g_strdup_printf("%s:%s", kname, wz_facts_person_id(run->facts, j));
            impact_row *row = g_hash_table_lookup(m->by_id, key);
            g_free(key);
            if (!row || !row->a.present) continue;
            part_of *p = &row->parts[k];
            p->values = values_differ(r, kind, j, row->a.values, &pa);
            if (p->values) c->persons++;
        }
    }
    for (uint32_t j = 0; j < r->facts->npersons; j++) {
        impact_row *row = g_hash_table_lookup(m->by_id, wz_facts_person_id(r->facts, j));
        if (!row || !row->a.present) continue;   /* a person only the new version has: no part to compare */
        outcome o = outcome_of(r, j, &pa);
        part_of *p = &row->parts[k];
        wz_dec_sub(o.total, row->a.total, &p->total);
        wz_dec_sub(o.pay, row->a.pay, &p->pay);
        wz_dec_sub(o.awards, row->a.awards, &p->awards);
        p->grade = g_strcmp0(o.grade, row->a.grade) != 0;
        p->sanctions = g_strcmp0(o.sanctions, row->a.sanctions) != 0;
        p->values = values_differ(r, 0, j, row->a.values, &pa);
        g_free(o.grade);
        g_free(o.sanctions);
        if (part_is_zero(p)) continue;
        c->persons++;
        if (wz_dec_sign(p->pay) > 0) wz_dec_add(c->moved, p->pay, &c->moved);
    }
    paid_free(&pa);
}

/* The first error among diags, as the reason a change could not be measured. */
static char *first_error(const wz_diags *d) {
    for (guint i = 0; i < d->items->len; i++) {
        const wz_diag *g = g_ptr_array_index(d->items, i);
        if (g->severity == WZ_SEV_ERROR) return g_strdup(g->message);
    }
    return g_strdup("it does not run alone");
}

/* A fact only one version declares: its name, for the message when that run cannot read it. */
static void note_one_sided_facts(const wz_policy *p, const wz_policy *other, const char *which, wz_diags *diags) {
    for (guint f = 0; f < p->facts->len; f++) {
        const wz_fact_schema *s = g_ptr_array_index(p->facts, f);
        if (wz_policy_find_fact(other, s->name) < 0)
            wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_NOTE, p->src->name,
                          "only the %s version reads fact '%s'; the facts directory must have it to compare the two", which, s->name);
    }
}

/* The old policy with changes ks made, run: true with *p and *r, or false
 * with *err (the first error) or *why (why the text could not be made). */
static bool try_changes(const wz_diff *D, GArray *ks, const char *facts_dir, const wz_engine_options *opts, wz_policy **p,
                        wz_result **r, char **err, char **why) {
    *p = NULL;
    *r = NULL;
    char *text = wz_diff_apply(D, (const guint *)ks->data, ks->len, why);
    if (!text) return false;
    wz_diags *scratch = wz_diags_new(1);
    wz_i18n_english_begin();   /* its first error is the reason written into impact.csv and .json */
    *p = wz_policy_load_text(D->a->src->name, text, strlen(text), scratch);
    *r = *p ? wz_engine_run_opts(*p, facts_dir, opts, scratch) : NULL;
    wz_i18n_english_end();
    g_free(text);
    if (!*r) {
        *err = first_error(scratch);
        wz_policy_free(*p);
        *p = NULL;
    }
    wz_diags_free(scratch);
    return *r != NULL;
}

/* Change k made alone, and run.  When it does not check alone because it
 * needs another change (a new rule reading a new param; a removed fact that a
 * removed rule read), the other is taken along and named in the title: first
 * an added item the checker's error names, else the first change that makes
 * it check. */
static void measure_one(wz_impact *m, const wz_diff *D, guint k, const char *facts_dir, const wz_engine_options *opts) {
    const wz_diff_entry *e = g_ptr_array_index(D->entries, k);
    GArray *ks = g_array_new(FALSE, FALSE, sizeof(guint));
    g_array_append_val(ks, k);
    char *why = NULL, *err = NULL;
    wz_result *r = NULL;
    wz_policy *p = NULL;
    while (!try_changes(D, ks, facts_dir, opts, &p, &r, &err, &why) && err) {
        guint more = wz_diff_added_named(D, err, (const guint *)ks->data, ks->len);
        if (more == G_MAXUINT) break;
        g_free(err);
        err = NULL;
        g_array_append_val(ks, more);
    }
    for (guint j = 0; !r && err && j < wz_diff_count(D); j++) {
        bool had = wz_diff_changes_no_value(D, j) != NULL;
        for (guint i = 0; i < ks->len; i++) had |= g_array_index(ks, guint, i) == j;
        if (had) continue;
        g_array_append_val(ks, j);
        char *err2 = NULL, *why2 = NULL;
        if (!try_changes(D, ks, facts_dir, opts, &p, &r, &err2, &why2)) g_array_set_size(ks, ks->len - 1);
        g_free(err2);
        g_free(why2);
    }
    if (!r && err) why = g_strdup_printf("it needs another change (alone: %s)", err);
    g_free(err);
    GString *title = g_string_new(e->title);
    for (guint i = 1; r && i < ks->len; i++)
        g_string_append_printf(title, "%s%s", i == 1 ? " (with " : ", ", wz_diff_title(D, g_array_index(ks, guint, i)));
    if (r && ks->len > 1) g_string_append_c(title, ')');
    impact_attribute(m, title->str, e->change, r, r ? NULL : why);
    if (r) g_free(why);
    if (r && ks->len > 1) {
        change_effect *c = g_ptr_array_index(m->changes, m->changes->len - 1);
        c->with = g_array_new(FALSE, FALSE, sizeof(guint));
        g_array_append_vals(c->with, ks->data + sizeof(guint), ks->len - 1);
    }
    g_string_free(title, TRUE);
    wz_result_free(r);
    wz_policy_free(p);
    g_array_free(ks, TRUE);
}

/* A change measured with others that adds nothing to what they do alone (a
 * removed fact, with the removed rule that read it) is not counted twice:
 * its effect is said to be the others'. */
static void credit_partners(wz_impact *m) {
    for (guint k = 0; k < m->changes->len; k++) {
        change_effect *c = g_ptr_array_index(m->changes, k);
        if (!c->with || !c->measured) continue;
        bool same = true;
        for (guint i = 0; i < c->with->len && same; i++) {
            const change_effect *w = g_ptr_array_index(m->changes, g_array_index(c->with, guint, i));
            same = w->measured && !w->with;
        }
        for (guint r = 0; r < m->rows->len && same; r++) {
            const impact_row *row = g_ptr_array_index(m->rows, r);
            wz_dec t = WZ_DEC_ZERO, p = WZ_DEC_ZERO, a = WZ_DEC_ZERO;
            for (guint i = 0; i < c->with->len; i++) {
                const part_of *w = &row->parts[g_array_index(c->with, guint, i)];
                wz_dec_add(t, w->total, &t);
                wz_dec_add(p, w->pay, &p);
                wz_dec_add(a, w->awards, &a);
            }
            same = wz_dec_cmp(t, row->parts[k].total) == 0 && wz_dec_cmp(p, row->parts[k].pay) == 0 &&
                   wz_dec_cmp(a, row->parts[k].awards) == 0;
        }
        if (!same) continue;
        char *with = strstr(c->title, " (with ");
        if (with) *with = '\0';
        GString *why = g_string_new("goes only with ");
        for (guint i = 0; i < c->with->len; i++)
            g_string_append_printf(why, "%s%s", i ? ", " : "", ((const change_effect *)g_ptr_array_index(m->changes, g_array_index(c->with, guint, i)))->title);
        g_string_append(why, ", and what they do is counted there");
        c->counted_elsewhere = g_string_free(why, FALSE);
        c->persons = 0;
        c->moved = WZ_DEC_ZERO;
        for (guint r = 0; r < m->rows->len; r++) {
            impact_row *row = g_ptr_array_index(m->rows, r);
            row->parts[k] = (part_of){.total = WZ_DEC_ZERO, .pay = WZ_DEC_ZERO, .awards = WZ_DEC_ZERO};
        }
    }
}

wz_impact *wz_diff_measure(const wz_diff *D, const char *facts_dir, const wz_engine_options *opts, wz_diags *diags) {
    wz_result *ra = wz_engine_run_opts(D->a, facts_dir, opts, diags);
    if (!ra) {
        note_one_sided_facts(D->a, D->b, "old", diags);
        return NULL;
    }
    wz_result *rb = wz_engine_run_opts(D->b, facts_dir, opts, diags);
    if (!rb) {
        note_one_sided_facts(D->b, D->a, "new", diags);
        wz_result_free(ra);
        return NULL;
    }
    wz_impact *m = wz_impact_new(ra, rb);
    wz_result_free(ra);
    wz_result_free(rb);
    for (guint k = 0; k < wz_diff_count(D); k++) {
        const wz_diff_entry *e = g_ptr_array_index(D->entries, k);
        if (wz_diff_changes_no_value(D, k)) {
            impact_attribute(m, e->title, e->change, NULL, NULL);
            change_effect *c = g_ptr_array_index(m->changes, m->changes->len - 1);
            c->inert = wz_diff_changes_no_value(D, k);
            c->measured = true;
            continue;
        }
        measure_one(m, D, k, facts_dir, opts);
    }
    credit_partners(m);
    return m;
}

/* ---- rendering ---------------------------------------------------------------------------- */

/* A row's change of money: pay and awards (the awards are 0 when none pays persons). */
static wz_dec money_change(const impact_row *row) {
    wz_dec dp, da, d;
    wz_dec_sub(row->b.pay, row->a.pay, &dp);
    wz_dec_sub(row->b.awards, row->a.awards, &da);
    return wz_dec_add(dp, da, &d) == WZ_DEC_OK ? d : dp;
}

static gint by_change(gconstpointer x, gconstpointer y) {
    const impact_row *a = *(impact_row *const *)x, *b = *(impact_row *const *)y;
    wz_dec da = money_change(a), db = money_change(b);
    int c = wz_dec_cmp(wz_dec_abs(db), wz_dec_abs(da));
    if (c) return c;
    wz_dec_sub(a->b.total, a->a.total, &da);
    wz_dec_sub(b->b.total, b->a.total, &db);
    c = wz_dec_cmp(wz_dec_abs(db), wz_dec_abs(da));
    return c ? c : strcmp(a->id, b->id);
}

static char *signed_dec(wz_dec d, int places) {
    char *s = wz_dec_to_string(d, places, places > 0 ? places : 4);
    char *r = wz_dec_sign(d) > 0 ? g_strdup_printf("+%s", s) : g_strdup(s);
    g_free(s);
    return r;
}

/* Money the awards pay: exact, with at least the pool's places (as pay.csv's award columns). */
static int award_places(const wz_impact *m) { return m->has_pay ? m->places : 0; }

static char *money(const wz_impact *m, wz_dec d, bool sign) {
    char *s = wz_dec_to_string(d, award_places(m), 30);
    char *r = sign && wz_dec_sign(d) > 0 ? g_strdup_printf("+%s", s) : g_strdup(s);
    g_free(s);
    return r;
}

/* What the report says about the whole: counts, and the changed rows, largest change first. */
typedef struct tally {
    GPtrArray *changed;      /* impact_row* (borrowed), sorted */
    guint gain, lose, grade, sanctions, interacting;
    wz_dec moved;
} tally;

/* The parts of the measured changes, added up. */
static part_of parts_sum(const wz_impact *m, const impact_row *row) {
    part_of sum = {.total = WZ_DEC_ZERO, .pay = WZ_DEC_ZERO, .awards = WZ_DEC_ZERO};
    for (guint k = 0; row->parts && k < m->changes->len; k++) {
        wz_dec_add(sum.total, row->parts[k].total, &sum.total);
        wz_dec_add(sum.pay, row->parts[k].pay, &sum.pay);
        wz_dec_add(sum.awards, row->parts[k].awards, &sum.awards);
    }
    return sum;
}

/* The parts do not add up to the whole: the changes interact for this row. */
static bool interacts(const wz_impact *m, const impact_row *row) {
    if (!m->changes->len || !row->a.present || !row->b.present) return false;
    part_of sum = parts_sum(m, row);
    wz_dec dt, dp, da;
    wz_dec_sub(row->b.total, row->a.total, &dt);
    wz_dec_sub(row->b.pay, row->a.pay, &dp);
    wz_dec_sub(row->b.awards, row->a.awards, &da);
    return wz_dec_cmp(sum.total, dt) != 0 || wz_dec_cmp(sum.pay, dp) != 0 || wz_dec_cmp(sum.awards, da) != 0;
}

static tally count_up(const wz_impact *m) {
    tally t = {.changed = g_ptr_array_new(), .moved = WZ_DEC_ZERO};
    for (guint k = 0; k < m->rows->len; k++) {
        impact_row *row = g_ptr_array_index(m->rows, k);
        if (!row_changes(row)) continue;
        g_ptr_array_add(t.changed, row);
        wz_dec dp, dt;
        wz_dec_sub(row->b.pay, row->a.pay, &dp);
        wz_dec_sub(row->b.total, row->a.total, &dt);
        /* by money (pay and awards), or by total when nobody is paid */
        int gained = wz_dec_sign(m->has_pay || m->has_awards ? money_change(row) : dt);
        t.gain += gained > 0;
        t.lose += gained < 0;
        t.grade += g_strcmp0(row->a.grade, row->b.grade) != 0;
        t.sanctions += g_strcmp0(row->a.sanctions, row->b.sanctions) != 0;
        t.interacting += interacts(m, row);
        if (wz_dec_sign(dp) > 0) wz_dec_add(t.moved, dp, &t.moved);
    }
    g_ptr_array_sort(t.changed, by_change);
    return t;
}

static guint measured_count(const wz_impact *m) {
    guint n = 0;
    for (guint k = 0; k < m->changes->len; k++) n += ((const change_effect *)g_ptr_array_index(m->changes, k))->measured;
    return n;
}

static char change_sign(const char *change) { return !strcmp(change, "added") ? '+' : !strcmp(change, "removed") ? '-' : '~'; }

/* "total -10.08, pay -1180.12, sanctions change" */
static void append_part(GString *out, const wz_impact *m, const part_of *p) {
    const char *sep = "";
    if (wz_dec_sign(p->total)) {
        char *s = signed_dec(p->total, 0);
        g_string_append_printf(out, "total %s", s);
        g_free(s);
        sep = ", ";
    }
    if (m->has_pay && wz_dec_sign(p->pay)) {
        char *s = signed_dec(p->pay, m->places);
        g_string_append_printf(out, "%spay %s", sep, s);
        g_free(s);
        sep = ", ";
    }
    if (wz_dec_sign(p->awards)) {
        char *s = money(m, p->awards, true);
        g_string_append_printf(out, "%sawards %s", sep, s);
        g_free(s);
        sep = ", ";
    }
    if (p->grade) {
        g_string_append_printf(out, "%sgrade changes", sep);
        sep = ", ";
    }
    if (p->sanctions) {
        g_string_append_printf(out, "%ssanctions change", sep);
        sep = ", ";
    }
    if (p->values) g_string_append_printf(out, "%ssections or awards change", sep);
}

static void render_text(const wz_impact *m, const tally *t, GString *out) {
    char *moved = wz_dec_to_string(t->moved, m->places, m->places);
    g_string_append_printf(out, "\n%u of %u %s change: %u gain, %u lose, %u change grade, %u change sanctions", t->changed->len,
                           m->rows->len, m->has_entities ? "persons and entities" : "persons", t->gain, t->lose, t->grade, t->sanctions);
    if (m->has_pay) g_string_append_printf(out, "; %s moves to those who gain", moved);
    g_string_append_c(out, '\n');
    g_free(moved);
    if (m->changes->len) {
        g_string_append(out, "each change made alone to the old version:\n");
        for (guint k = 0; k < m->changes->len; k++) {
            const change_effect *c = g_ptr_array_index(m->changes, k);
            g_string_append_printf(out, "  %c %s: ", change_sign(c->change), c->title);
            if (c->inert) g_string_append_printf(out, "changes no value (%s)\n", c->inert);
            else if (c->counted_elsewhere) g_string_append_printf(out, "%s\n", c->counted_elsewhere);
            else if (!c->measured) g_string_append_printf(out, "not measured alone: %s\n", c->why);
            else if (!c->persons) g_string_append(out, "changes nobody\n");
            else {
                char *mv = wz_dec_to_string(c->moved, m->places, m->places);
                g_string_append_printf(out, "%u person%s change%s", c->persons, c->persons == 1 ? "" : "s", c->persons == 1 ? "s" : "");
                if (m->has_pay) g_string_append_printf(out, ", %s moves to those who gain", mv);
                g_string_append_c(out, '\n');
                g_free(mv);
            }
        }
        guint unmeasured = m->changes->len - measured_count(m);
        if (t->interacting && unmeasured)
            g_string_append_printf(out, "for %u of the %u what the changes do alone does not add up to what they do together: %u change%s could not be measured alone%s\n",
                                   t->interacting, t->changed->len, unmeasured, unmeasured == 1 ? "" : "s",
                                   m->has_pay ? ", and with a shared pool a change to anyone's score moves everyone's pay" : "");
        else if (t->interacting)
            g_string_append_printf(out, "for %u of the %u the changes interact: what each does alone does not add up to what they do together%s\n",
                                   t->interacting, t->changed->len, m->has_pay ? " (with a shared pool, a change to anyone's score moves everyone's pay)" : "");
    }
    for (guint k = 0; k < t->changed->len; k++) {
        const impact_row *row = g_ptr_array_index(t->changed, k);
        wz_dec dt, dp;
        wz_dec_sub(row->b.total, row->a.total, &dt);
        wz_dec_sub(row->b.pay, row->a.pay, &dp);
        char *ta = wz_dec_to_string(row->a.total, 0, 4), *tb = wz_dec_to_string(row->b.total, 0, 4), *tds = signed_dec(dt, 0);
        if (row->has_total)
            g_string_append_printf(out, "  %s%s%s  total %s → %s (%s)", row->id, row->name ? " " : "", row->name ? row->name : "", ta, tb, tds);
        else
            g_string_append_printf(out, "  %s %s ", row->kind, row->id);
        if (m->has_pay && row->has_total) {
            char *pa = wz_dec_to_string(row->a.pay, m->places, m->places), *pb = wz_dec_to_string(row->b.pay, m->places, m->places);
            char *pds = signed_dec(dp, m->places);
            g_string_append_printf(out, ", pay %s → %s (%s)", pa, pb, pds);
            g_free(pa);
            g_free(pb);
            g_free(pds);
        }
        if (row->has_total && wz_dec_cmp(row->a.awards, row->b.awards) != 0) {   /* money outside the pool */
            wz_dec da;
            wz_dec_sub(row->b.awards, row->a.awards, &da);
            char *aa = money(m, row->a.awards, false), *ab = money(m, row->b.awards, false), *ad = money(m, da, true);
            g_string_append_printf(out, ", awards %s → %s (%s)", aa, ab, ad);
            g_free(aa);
            g_free(ab);
            g_free(ad);
        }
        if (g_strcmp0(row->a.grade, row->b.grade))
            g_string_append_printf(out, ", grade %s → %s", row->a.grade ? row->a.grade : "—", row->b.grade ? row->b.grade : "—");
        if (g_strcmp0(row->a.sanctions, row->b.sanctions))
            g_string_append_printf(out, ", sanctions %s → %s", row->a.sanctions && *row->a.sanctions ? row->a.sanctions : "none",
                                   row->b.sanctions && *row->b.sanctions ? row->b.sanctions : "none");
        char *values = values_changed(row);
        if (values) g_string_append_printf(out, "%s%s", row->has_total ? ", " : "", values);
        g_free(values);
        if (!row->a.present || !row->b.present) g_string_append(out, row->a.present ? " (only in the old run)" : " (only in the new run)");
        g_string_append_c(out, '\n');
        g_free(ta);
        g_free(tb);
        g_free(tds);
        for (guint c = 0; row->parts && c < m->changes->len; c++) {
            if (part_is_zero(&row->parts[c])) continue;
            g_string_append_printf(out, "      %s: ", ((const change_effect *)g_ptr_array_index(m->changes, c))->title);
            append_part(out, m, &row->parts[c]);
            g_string_append_c(out, '\n');
        }
        if (interacts(m, row)) {
            part_of sum = parts_sum(m, row);
            g_string_append(out, "      alone they add up to ");
            append_part(out, m, &sum);
            if (!wz_dec_sign(sum.total) && !wz_dec_sign(sum.pay) && !wz_dec_sign(sum.awards)) g_string_append(out, "nothing");
            g_string_append(out, measured_count(m) < m->changes->len ? " (some changes could not be measured alone)\n" : "\n");
        }
    }
}

static void json_dec(GString *out, const char *key, wz_dec d, int places, bool present) {
    char *s = present ? wz_dec_to_string(d, places, places > 0 ? places : 30) : NULL;
    wz_diff_json_field(out, key, s, true);
    g_free(s);
}

static void json_money(GString *out, const wz_impact *m, const char *key, wz_dec d, bool present) {
    char *s = present ? money(m, d, false) : NULL;
    wz_diff_json_field(out, key, s, true);
    g_free(s);
}

static void render_json(const wz_impact *m, const tally *t, GString *out) {
    char *moved = wz_dec_to_string(t->moved, m->places, m->places);
    g_string_append_printf(out, "{\"persons\":%u,\"changed\":%u,\"gain\":%u,\"lose\":%u,\"grade_changed\":%u,\"sanctions_changed\":%u,\"moved\":\"%s\",\"interacting\":%u,\"changes\":[",
                           m->rows->len, t->changed->len, t->gain, t->lose, t->grade, t->sanctions, moved, t->interacting);
    g_free(moved);
    for (guint k = 0; k < m->changes->len; k++) {
        const change_effect *c = g_ptr_array_index(m->changes, k);
        g_string_append(out, k ? ",{" : "{");
        wz_diff_json_field(out, "change", c->title, false);
        wz_diff_json_field(out, "kind", c->change, true);
        g_string_append_printf(out, ",\"measured\":%s", c->measured ? "true" : "false");
        if (c->inert) {
            wz_diff_json_field(out, "changes_no_value", c->inert, true);
        } else if (c->counted_elsewhere) {
            wz_diff_json_field(out, "counted_elsewhere", c->counted_elsewhere, true);
        } else if (c->measured) {
            g_string_append_printf(out, ",\"persons\":%u", c->persons);
            json_dec(out, "moved", c->moved, m->places, m->has_pay);
        } else {
            wz_diff_json_field(out, "why", c->why, true);
        }
        g_string_append_c(out, '}');
    }
    g_string_append(out, "],\"rows\":[");
    for (guint k = 0; k < t->changed->len; k++) {
        const impact_row *row = g_ptr_array_index(t->changed, k);
        g_string_append(out, k ? ",{" : "{");
        wz_diff_json_field(out, "id", row->id, false);
        wz_diff_json_field(out, "name", row->name, true);
        wz_diff_json_field(out, "kind", row->kind ? row->kind : "person", true);
        json_dec(out, "total_old", row->a.total, 0, row->a.present && row->has_total);
        json_dec(out, "total_new", row->b.total, 0, row->b.present && row->has_total);
        char *values = values_changed(row);
        wz_diff_json_field(out, "sections_and_awards", values, true);
        g_free(values);
        wz_diff_json_field(out, "grade_old", row->a.grade, true);
        wz_diff_json_field(out, "grade_new", row->b.grade, true);
        wz_diff_json_field(out, "sanctions_old", row->a.sanctions, true);
        wz_diff_json_field(out, "sanctions_new", row->b.sanctions, true);
        json_dec(out, "pay_old", row->a.pay, m->places, m->has_pay && row->a.present && row->has_total);
        json_dec(out, "pay_new", row->b.pay, m->places, m->has_pay && row->b.present && row->has_total);
        if (m->has_awards) {
            json_money(out, m, "awards_old", row->a.awards, row->a.present && row->has_total);
            json_money(out, m, "awards_new", row->b.awards, row->b.present && row->has_total);
        }
        g_string_append(out, ",\"alone\":[");
        bool first = true;
        for (guint c = 0; row->parts && c < m->changes->len; c++) {
            const part_of *p = &row->parts[c];
            if (part_is_zero(p)) continue;
            g_string_append(out, first ? "{" : ",{");
            first = false;
            wz_diff_json_field(out, "change", ((const change_effect *)g_ptr_array_index(m->changes, c))->title, false);
            json_dec(out, "total", p->total, 0, true);
            json_dec(out, "pay", p->pay, m->places, m->has_pay);
            if (m->has_awards) json_money(out, m, "awards", p->awards, true);
            g_string_append_printf(out, ",\"grade_changes\":%s,\"sanctions_change\":%s,\"sections_or_awards_change\":%s}", p->grade ? "true" : "false",
                                   p->sanctions ? "true" : "false", p->values ? "true" : "false");
        }
        g_string_append_printf(out, "],\"interacts\":%s}", interacts(m, row) ? "true" : "false");
    }
    g_string_append(out, "]}\n");
}

void wz_impact_render(const wz_impact *m, bool json, GString *out) {
    tally t = count_up(m);
    if (json) render_json(m, &t, out);
    else render_text(m, &t, out);
    g_ptr_array_free(t.changed, TRUE);
}

static void csv_dec(GString *out, wz_dec d, int places, bool present) {
    g_string_append_c(out, ',');
    if (!present) return;
    char *s = wz_dec_to_string(d, places, places > 0 ? places : 30);
    g_string_append(out, s);
    g_free(s);
}

static void csv_money(GString *out, const wz_impact *m, wz_dec d, bool present) {
    g_string_append_c(out, ',');
    if (!present) return;
    char *s = money(m, d, false);
    g_string_append(out, s);
    g_free(s);
}

static void csv_text(GString *out, const char *s) {
    g_string_append_c(out, ',');
    if (s) wz_csv_field(out, s);
}

void wz_impact_render_csv(const wz_impact *m, GString *out) {
    tally t = count_up(m);
    g_string_append(out, "id,name,kind,total_old,total_new,total_change,grade_old,grade_new,sanctions_old,sanctions_new,sections_and_awards");
    if (m->has_pay) g_string_append(out, ",pay_old,pay_new,pay_change");
    if (m->has_awards) g_string_append(out, ",awards_old,awards_new,awards_change");
    for (guint c = 0; c < m->changes->len; c++) {
        const change_effect *ce = g_ptr_array_index(m->changes, c);
        if (!ce->measured || ce->inert) continue;
        char *h = g_strdup_printf("total: %s", ce->title);
        csv_text(out, h);
        g_free(h);
        if (m->has_pay) {
            h = g_strdup_printf("pay: %s", ce->title);
            csv_text(out, h);
            g_free(h);
        }
        if (m->has_awards) {
            h = g_strdup_printf("awards: %s", ce->title);
            csv_text(out, h);
            g_free(h);
        }
    }
    if (m->changes->len) g_string_append(out, ",interacts");
    g_string_append_c(out, '\n');
    for (guint k = 0; k < t.changed->len; k++) {
        const impact_row *row = g_ptr_array_index(t.changed, k);
        wz_dec dt, dp;
        wz_dec_sub(row->b.total, row->a.total, &dt);
        wz_dec_sub(row->b.pay, row->a.pay, &dp);
        wz_csv_field(out, row->id);
        csv_text(out, row->name);
        csv_text(out, row->kind ? row->kind : "person");
        csv_dec(out, row->a.total, 0, row->a.present && row->has_total);
        csv_dec(out, row->b.total, 0, row->b.present && row->has_total);
        csv_dec(out, dt, 0, row->a.present && row->b.present && row->has_total);
        csv_text(out, row->a.grade);
        csv_text(out, row->b.grade);
        csv_text(out, row->a.sanctions);
        csv_text(out, row->b.sanctions);
        char *values = values_changed(row);
        csv_text(out, values);
        g_free(values);
        if (m->has_pay) {
            csv_dec(out, row->a.pay, m->places, row->a.present);
            csv_dec(out, row->b.pay, m->places, row->b.present);
            csv_dec(out, dp, m->places, row->a.present && row->b.present);
        }
        if (m->has_awards) {
            wz_dec da;
            wz_dec_sub(row->b.awards, row->a.awards, &da);
            csv_money(out, m, row->a.awards, row->a.present && row->has_total);
            csv_money(out, m, row->b.awards, row->b.present && row->has_total);
            csv_money(out, m, da, row->a.present && row->b.present && row->has_total);
        }
        for (guint c = 0; c < m->changes->len; c++) {
            const change_effect *ce = g_ptr_array_index(m->changes, c);
            if (!ce->measured || ce->inert) continue;
            csv_dec(out, row->parts[c].total, 0, true);
            if (m->has_pay) csv_dec(out, row->parts[c].pay, m->places, true);
            if (m->has_awards) csv_money(out, m, row->parts[c].awards, true);
        }
        if (m->changes->len) g_string_append(out, interacts(m, row) ? ",yes" : ",no");
        g_string_append_c(out, '\n');
    }
    g_ptr_array_free(t.changed, TRUE);
}

/* impact.json written by an earlier diff: the only kind of file --out replaces. */
static bool ours(const char *path) {
    char *text = NULL;
    bool yes = g_file_get_contents(path, &text, NULL, NULL) && g_str_has_prefix(text, "{\"persons\":");
    g_free(text);
    return yes;
}

bool wz_impact_write(const wz_impact *m, const char *dir, wz_diags *diags) {
    char *csv_path = g_build_filename(dir, "impact.csv", NULL), *json_path = g_build_filename(dir, "impact.json", NULL);
    GString *csv = g_string_new(NULL), *json = g_string_new(NULL);
    bool ok = false;
    if (g_mkdir_with_parents(dir, 0755) != 0) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, dir, "cannot create the directory: %s", g_strerror(errno));
        goto out;
    }
    bool csv_there = g_file_test(csv_path, G_FILE_TEST_EXISTS), json_there = g_file_test(json_path, G_FILE_TEST_EXISTS);
    if ((csv_there || json_there) && !(json_there && ours(json_path))) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, csv_there ? csv_path : json_path,
                      "the file exists and was not written by wenze diff; refusing to replace it");
        goto out;
    }
    wz_impact_render_csv(m, csv);
    wz_impact_render(m, true, json);
    GError *err = NULL;
    /* each file is written beside its place and renamed over it: never half written */
    if (!g_file_set_contents(csv_path, csv->str, (gssize)csv->len, &err) ||
        !g_file_set_contents(json_path, json->str, (gssize)json->len, &err)) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, dir, "cannot write: %s", err->message);
        g_error_free(err);
        goto out;
    }
    ok = true;
out:
    g_string_free(csv, TRUE);
    g_string_free(json, TRUE);
    g_free(csv_path);
    g_free(json_path);
    return ok;
}
