/* lint.c — warnings about a policy that checked (lint.h says which).
 *
 * The heart is an interval analysis: every expression gets an interval
 * [lo, hi] of exact decimals with ±∞ ends, from the facts' declared ranges
 * (`days: decimal in 0 .. 366`), literals, the arithmetic, and what
 * aggregates can do (a sum of non-negative values is ≥ 0, a count ≥ 0).
 * Conditions are intervals within [0, 1]: [1, 1] always holds, [0, 0]
 * never does.  Inside `if C then A else B`, a rule's `when C`, an
 * aggregate's `where C`, the right of `C and …` and a classify case after
 * earlier cases, what C proves narrows the intervals of the expressions it
 * compares (a "guard", keyed by the expression's printed tree), so that
 * `if count(lab) > 0 then sum(lab.opened) / sum(lab.required)` is not a
 * divisor that can be 0.
 *
 * Each def is evaluated once (memoised, in a fresh context like the
 * checker's), and every expression is visited exactly once outside "quiet"
 * re-evaluations, so each warning is found once; they are sorted by
 * position before being handed to the diagnostics.
 *
 * Two rules that may both apply without a declared priority are not linted:
 * within a `decide` the checker reports the certain conflicts and the run
 * records the others as findings; sanctions on one ladder that both fire
 * are resolved by the ladder (the most severe tier counts), so there is no
 * ambiguity left to warn about.
 */
#include <string.h>

#include "lint.h"
#include "i18n.h"
#include "i18n.h"

/* ---- intervals ---------------------------------------------------------- */

/* One end of an interval: a decimal, or −∞ (inf −1) / +∞ (inf +1). */
typedef struct bound {
    int inf;
    wz_dec v;
} bound;

/* [lo, hi], never empty.  nz: known not to be 0 even if 0 lies between the
 * ends (`x > 0` over decimals); whole: always a whole number; uniform: the
 * same for every entity of a run (params, literals, population aggregates). */
typedef struct ival {
    bound lo, hi;
    bool nz, whole, uniform;
} ival;

static const bound NEG_INF = {-1, {0, 1}}, POS_INF = {1, {0, 1}};

static bound B(wz_dec v) { return (bound){0, v}; }
static bound BI(int64_t v) { return B(wz_dec_from_int(v)); }

static int bsign(bound a) { return a.inf ? a.inf : wz_dec_sign(a.v); }

static int bnd_cmp(bound a, bound b) {
    if (a.inf || b.inf) return (a.inf > b.inf) - (a.inf < b.inf);
    return wz_dec_cmp(a.v, b.v);
}

static bound bmin(bound a, bound b) { return bnd_cmp(a, b) <= 0 ? a : b; }
static bound bmax(bound a, bound b) { return bnd_cmp(a, b) >= 0 ? a : b; }

/* a + b rounded outward: DIR −1 for a lower end, +1 for an upper one. */
static bound badd(bound a, bound b, int dir) {
    if (a.inf) return a;
    if (b.inf) return b;
    wz_dec r;
    return wz_dec_add(a.v, b.v, &r) == WZ_DEC_OK ? B(r) : (dir < 0 ? NEG_INF : POS_INF);
}

static bound bneg(bound a) { return a.inf ? (bound){-a.inf, a.v} : B(wz_dec_neg(a.v)); }

static bound bmul(bound a, bound b, int dir) {
    if ((!a.inf && wz_dec_is_zero(a.v)) || (!b.inf && wz_dec_is_zero(b.v))) return BI(0);
    if (a.inf || b.inf) return bsign(a) * bsign(b) < 0 ? NEG_INF : POS_INF;
    wz_dec r;
    return wz_dec_mul(a.v, b.v, &r) == WZ_DEC_OK ? B(r) : (dir < 0 ? NEG_INF : POS_INF);
}

static ival iv_top(void) { return (ival){NEG_INF, POS_INF, false, false, false}; }
static ival iv_range(bound lo, bound hi) { return (ival){lo, hi, false, false, false}; }
static ival iv_const(wz_dec v) { return (ival){B(v), B(v), !wz_dec_is_zero(v), wz_dec_is_integer(v), true}; }
static ival iv_bool(void) { return (ival){BI(0), BI(1), false, true, false}; }
static ival iv_truth(bool t) { return (ival){BI(t), BI(t), t, true, false}; }

static bool iv_contains_zero(ival a) { return !a.nz && bsign(a.lo) <= 0 && bsign(a.hi) >= 0; }
static bool iv_always(ival a) { return bnd_cmp(a.lo, BI(1)) >= 0; }
static bool iv_never(ival a) { return bnd_cmp(a.hi, BI(0)) <= 0; }

static ival iv_join(ival a, ival b) {
    return (ival){bmin(a.lo, b.lo), bmax(a.hi, b.hi), a.nz && b.nz, a.whole && b.whole, a.uniform && b.uniform};
}

static ival iv_neg(ival a) { return (ival){bneg(a.hi), bneg(a.lo), a.nz, a.whole, a.uniform}; }

static ival iv_add(ival a, ival b) {
    return (ival){badd(a.lo, b.lo, -1), badd(a.hi, b.hi, +1), false, a.whole && b.whole, a.uniform && b.uniform};
}

static ival iv_mul(ival a, ival b) {
    bound c[4][2];
    const bound *x[2] = {&a.lo, &a.hi}, *y[2] = {&b.lo, &b.hi};
    for (int i = 0; i < 4; i++) {
        c[i][0] = bmul(*x[i / 2], *y[i % 2], -1);
        c[i][1] = bmul(*x[i / 2], *y[i % 2], +1);
    }
    ival r = {c[0][0], c[0][1], a.nz && b.nz, a.whole && b.whole, a.uniform && b.uniform};
    for (int i = 1; i < 4; i++) {
        r.lo = bmin(r.lo, c[i][0]);
        r.hi = bmax(r.hi, c[i][1]);
    }
    return r;
}

/* 1/b for b that does not cross 0 (one end may be 0 when nz says b is not). */
static bound brecip(bound a, int dir) {
    if (a.inf) return BI(0);
    if (wz_dec_is_zero(a.v)) return dir < 0 ? NEG_INF : POS_INF;
    wz_dec r;
    return wz_dec_div(WZ_DEC_ONE, a.v, &r) == WZ_DEC_OK ? B(r) : (dir < 0 ? NEG_INF : POS_INF);
}

static ival iv_div(ival a, ival b) {
    bool uniform = a.uniform && b.uniform;
    if (iv_contains_zero(b) || (bsign(b.lo) < 0 && bsign(b.hi) > 0)) {
        ival r = bsign(a.lo) >= 0 && bsign(b.lo) >= 0 ? iv_range(BI(0), POS_INF) : iv_top();
        r.uniform = uniform;
        return r;
    }
    /* b is positive ([0, h] with nz) or negative ([l, 0] with nz) */
    ival rec = iv_range(brecip(b.hi, -1), brecip(b.lo, +1));
    rec.nz = true;
    rec.uniform = b.uniform;
    ival r = iv_mul(a, rec);
    r.whole = false;
    r.uniform = uniform;
    return r;
}

static ival iv_min(ival a, ival b) {
    return (ival){bmin(a.lo, b.lo), bmin(a.hi, b.hi), false, a.whole && b.whole, a.uniform && b.uniform};
}

static ival iv_max(ival a, ival b) {
    return (ival){bmax(a.lo, b.lo), bmax(a.hi, b.hi), false, a.whole && b.whole, a.uniform && b.uniform};
}

/* The intersection, or A unchanged when it would be empty (a branch the
 * intervals cannot tell apart from an impossible one). */
static ival iv_meet(ival a, ival g) {
    ival r = a;
    r.lo = bmax(a.lo, g.lo);
    r.hi = bmin(a.hi, g.hi);
    if (bnd_cmp(r.lo, r.hi) > 0) return a;
    r.nz = a.nz || g.nz;
    return r;
}

/* The comparison of two numbers as a condition. */
static ival iv_compare(int op, ival a, ival b) {
    bool t = false, f = false;
    switch (op) {
    case WZ_OP_LT: t = bnd_cmp(a.hi, b.lo) < 0; f = bnd_cmp(a.lo, b.hi) >= 0; break;
    case WZ_OP_LE: t = bnd_cmp(a.hi, b.lo) <= 0; f = bnd_cmp(a.lo, b.hi) > 0; break;
    case WZ_OP_GT: t = bnd_cmp(b.hi, a.lo) < 0; f = bnd_cmp(b.lo, a.hi) >= 0; break;
    case WZ_OP_GE: t = bnd_cmp(b.hi, a.lo) <= 0; f = bnd_cmp(b.lo, a.hi) > 0; break;
    case WZ_OP_EQ: case WZ_OP_NE: {
        bool same = !a.lo.inf && bnd_cmp(a.lo, a.hi) == 0 && bnd_cmp(b.lo, b.hi) == 0 && bnd_cmp(a.lo, b.lo) == 0;
        bool apart = bnd_cmp(a.hi, b.lo) < 0 || bnd_cmp(b.hi, a.lo) < 0;
        t = op == WZ_OP_EQ ? same : apart;
        f = op == WZ_OP_EQ ? apart : same;
        break;
    }
    default: break;
    }
    ival r = t ? iv_truth(true) : f ? iv_truth(false) : iv_bool();
    r.uniform = a.uniform && b.uniform;
    return r;
}

static char *bound_text(bound b) {
    if (b.inf) return g_strdup(b.inf < 0 ? "-∞" : "∞");
    return wz_dec_to_string(b.v, 0, 4);
}

/* "from 0 to 10", "at least 0", "at most 5", "always 3". Returns a new string. */
static char *iv_text(ival a) {
    char *lo = bound_text(a.lo), *hi = bound_text(a.hi), *r;
    if (!a.lo.inf && bnd_cmp(a.lo, a.hi) == 0) r = g_strdup_printf("always %s", lo);
    else if (a.lo.inf && a.hi.inf) r = g_strdup("unbounded");
    else if (a.hi.inf) r = g_strdup_printf("at least %s", lo);
    else if (a.lo.inf) r = g_strdup_printf("at most %s", hi);
    else r = g_strdup_printf("from %s to %s", lo, hi);
    g_free(lo);
    g_free(hi);
    return r;
}

/* ---- the linter --------------------------------------------------------- */

typedef struct pending {
    wz_span span;
    guint seq;
    char *msg;
} pending;

/* What a condition in scope proves: the expression printed as KEY lies in V. */
typedef struct guard {
    char *key;
    ival v;
} guard;

typedef struct linter {
    const wz_policy *p;
    ival *defv;
    guint8 *state;     /* per def: 0 not evaluated, 1 in progress, 2 done */
    GArray *found;     /* pending, in the order found */
    GArray *guards;    /* guard: the innermost last */
    guint barrier;     /* guards below this index are out of scope (another def, a window) */
    int quiet;         /* > 0: re-evaluating for a guard; no warnings */
} linter;

static void warn(linter *L, wz_span span, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static void warn(linter *L, wz_span span, const char *fmt, ...) {
    if (L->quiet) return;
    va_list ap;
    va_start(ap, fmt);
    pending w = {span, L->found->len, g_strdup_vprintf(_(fmt), ap)};
    va_end(ap);
    g_array_append_val(L->found, w);
}

/* The policy's words for n, on one line and at most 60 bytes. Returns a new string. */
static char *src_text(const wz_node *n) {
    const wz_source *s = n->span.src;
    if (!s || n->span.end <= n->span.start || n->span.end > s->len) return g_strdup("?");
    const char *b = s->text + n->span.start, *e = s->text + n->span.end;
    const char *nl = memchr(b, '\n', (size_t)(e - b));
    bool cut = false;
    if (nl) { e = nl; cut = true; }
    if (e - b > 60) {
        e = g_utf8_find_prev_char(b, b + 61);
        cut = true;
    }
    return g_strdup_printf("%.*s%s", (int)(e - b), b, cut ? "…" : "");
}

/* Whether byte c may be part of a name (ASCII letters, digits, _, any non-ASCII). */
static bool name_byte(char c) { return g_ascii_isalnum(c) || c == '_' || (unsigned char)c >= 0x80; }

/* The span of NAME inside n's span (where a declaration writes its name), or n's span. */
static wz_span name_span(const wz_node *n, const char *name) {
    const wz_source *s = n->span.src;
    if (s && name && *name && n->span.end <= s->len) {
        size_t len = strlen(name);
        const char *b = s->text + n->span.start, *e = s->text + n->span.end;
        for (const char *q = b; q + len <= e; q++)
            if (!memcmp(q, name, len) && (q == s->text || !name_byte(q[-1])) && (q + len == s->text + s->len || !name_byte(q[len])))
                return (wz_span){s, (uint32_t)(q - s->text), (uint32_t)(q - s->text + len)};
    }
    return n->span;
}

static uint32_t line_of(wz_span sp) {
    uint32_t line = 0, col = 0;
    if (sp.src) wz_source_position(sp.src, sp.start, &line, &col);
    return line;
}

static char *key_of(const wz_node *n) {
    if ((n->kind == WZ_N_IDENT || n->kind == WZ_N_FIELD_REF) && n->ref_kind >= 0)
        return g_strdup_printf("ref %d %d %d", n->ref_kind, n->ref_index, n->ref_index2);
    GString *s = g_string_new(NULL);
    wz_ast_print_canonical(s, n);
    return g_string_free(s, FALSE);
}

static void push_guard(linter *L, char *key, ival v) {
    guard g = {key, v};
    g_array_append_val(L->guards, g);
}

static void pop_guards(linter *L, guint to) {
    for (guint i = to; i < L->guards->len; i++) g_free(g_array_index(L->guards, guard, i).key);
    g_array_set_size(L->guards, to);
}

static bool has_guard(linter *L, const char *key) {
    for (guint i = L->barrier; i < L->guards->len; i++)
        if (!strcmp(g_array_index(L->guards, guard, i).key, key)) return true;
    return false;
}

/* n's interval V narrowed by the guards in scope. */
static ival refine(linter *L, const wz_node *n, ival v) {
    if (L->guards->len <= L->barrier) return v;
    char *key = key_of(n);
    for (guint i = L->barrier; i < L->guards->len; i++) {
        const guard *g = &g_array_index(L->guards, guard, i);
        if (!strcmp(g->key, key)) v = iv_meet(v, g->v);
    }
    g_free(key);
    return v;
}

static bool is_num(const wz_node *n) { return n && (n->type == WZ_T_NUMBER || n->type == WZ_T_INT); }

static ival eval(linter *L, const wz_node *n);
static ival def_value(linter *L, int d);

static ival eval_quiet(linter *L, const wz_node *n) {
    L->quiet++;
    ival v = eval(L, n);
    L->quiet--;
    return v;
}

static const wz_field_schema *field_at(const wz_policy *p, int fact, int field) {
    const wz_fact_schema *s = g_ptr_array_index(p->facts, fact);
    return g_ptr_array_index(s->fields, field);
}

/* The guard that `NODE OP OTHER` holds (OTHER being the other side's interval). */
static void guard_compare(linter *L, const wz_node *node, int op, ival o) {
    if (!is_num(node) || node->kind == WZ_N_NUMBER) return;
    ival v = iv_top();
    bool whole = node->type == WZ_T_INT || (node->kind == WZ_N_AGG && node->op == WZ_AGG_COUNT);
    switch (op) {
    case WZ_OP_LT: case WZ_OP_LE:
        v.hi = o.hi;
        if (op == WZ_OP_LT && whole && !o.hi.inf && wz_dec_is_integer(o.hi.v)) v.hi = badd(o.hi, BI(-1), +1);
        v.nz = op == WZ_OP_LT ? bsign(o.hi) <= 0 : bsign(o.hi) < 0;
        break;
    case WZ_OP_GT: case WZ_OP_GE:
        v.lo = o.lo;
        if (op == WZ_OP_GT && whole && !o.lo.inf && wz_dec_is_integer(o.lo.v)) v.lo = badd(o.lo, BI(1), -1);
        v.nz = op == WZ_OP_GT ? bsign(o.lo) >= 0 : bsign(o.lo) > 0;
        break;
    case WZ_OP_EQ:
        v.lo = o.lo;
        v.hi = o.hi;
        v.nz = !iv_contains_zero(o);
        break;
    case WZ_OP_NE:
        if (!(o.lo.inf || o.hi.inf) && bnd_cmp(o.lo, o.hi) == 0 && bsign(o.lo) == 0) v.nz = true;
        else return;
        break;
    default: return;
    }
    push_guard(L, key_of(node), v);
    /* count(F) ≥ 1: F has rows, so a sum of F's positive field is positive too */
    if (node->kind == WZ_N_AGG && !node->ival && node->op == WZ_AGG_COUNT && !wz_node_kid(node, 1) &&
        (bsign(v.lo) > 0 || v.nz))
        push_guard(L, g_strdup_printf("rows %d", node->ref_index), iv_top());
}

static int negate_op(int op) {
    switch (op) {
    case WZ_OP_LT: return WZ_OP_GE;
    case WZ_OP_LE: return WZ_OP_GT;
    case WZ_OP_GT: return WZ_OP_LE;
    case WZ_OP_GE: return WZ_OP_LT;
    case WZ_OP_EQ: return WZ_OP_NE;
    case WZ_OP_NE: return WZ_OP_EQ;
    default: return op;
    }
}

static int flip_op(int op) {
    switch (op) {
    case WZ_OP_LT: return WZ_OP_GT;
    case WZ_OP_LE: return WZ_OP_GE;
    case WZ_OP_GT: return WZ_OP_LT;
    case WZ_OP_GE: return WZ_OP_LE;
    default: return op;
    }
}

/* Pushes what condition C proves when it is TRUTH. */
static void assume(linter *L, const wz_node *c, bool truth) {
    if (!c) return;
    if (c->kind == WZ_N_UNARY && c->op == WZ_OP_NOT) {
        assume(L, wz_node_kid(c, 0), !truth);
        return;
    }
    if (c->kind == WZ_N_BINARY && (c->op == WZ_OP_AND || c->op == WZ_OP_OR)) {
        if ((c->op == WZ_OP_AND) == truth) {
            assume(L, wz_node_kid(c, 0), truth);
            assume(L, wz_node_kid(c, 1), truth);
        }
        return;
    }
    if (c->kind == WZ_N_BINARY && c->op >= WZ_OP_EQ && c->op <= WZ_OP_GE) {
        const wz_node *a = wz_node_kid(c, 0), *b = wz_node_kid(c, 1);
        if (!is_num(a) || !is_num(b)) return;
        int op = truth ? c->op : negate_op(c->op);
        ival va = eval_quiet(L, a), vb = eval_quiet(L, b);
        guard_compare(L, a, op, vb);
        guard_compare(L, b, flip_op(op), va);
        return;
    }
    if (c->kind == WZ_N_CALL && c->builtin == WZ_B_EXISTS && truth) {
        const wz_node *f = wz_node_kid(c, 0);
        if (f && f->ref_kind == WZ_REF_FACT) push_guard(L, g_strdup_printf("rows %d", f->ref_index), iv_top());
    }
    if (c->kind == WZ_N_BOOL || c->kind == WZ_N_NUMBER) return;
    push_guard(L, key_of(c), iv_truth(truth));
}

/* A condition: its interval, warned about when it never or always holds.
 * WHAT names it for the message ("this 'when'"); NEVER and ALWAYS are the fixes. */
static ival condition(linter *L, const wz_node *c, const char *what, const char *never, const char *always) {
    if (!c) return iv_truth(true);
    ival v = eval(L, c);
    if (c->kind == WZ_N_BOOL || (!iv_always(v) && !iv_never(v))) return v;
    bool holds = iv_always(v);
    GString *why = g_string_new(NULL);
    if (c->kind == WZ_N_BINARY && c->op >= WZ_OP_EQ && c->op <= WZ_OP_GE && is_num(wz_node_kid(c, 0))) {
        for (int i = 0; i < 2; i++) {
            const wz_node *side = wz_node_kid(c, i);
            if (side->kind == WZ_N_NUMBER) continue;
            ival sv = eval_quiet(L, side);
            char *t = src_text(side), *r = iv_text(sv);
            g_string_append_printf(why, _("%s'%s' is %s"), why->len ? _(" and ") : _(": "), t, r);
            g_free(t);
            g_free(r);
        }
        if (why->len) g_string_append(why, _(" here"));
    }
    char *t = src_text(c);
    warn(L, c->span, "%s '%s' %s%s; %s", _(what), t, holds ? _("always holds") : _("never holds"), why->str, _(holds ? always : never));
    g_free(t);
    g_string_free(why, TRUE);
    return v;
}

/* The fixes a condition() warning ends with are spelt out in each call: xgettext needs a
 * message as one literal.  WHAT, NEVER and ALWAYS are marked N_() and looked up here. */

/* Σ over n ∈ [nmin, nmax] values each in X. */
static ival sum_of(ival x, bound nmin, bound nmax) {
    ival r;
    r.lo = bsign(x.lo) >= 0 ? bmul(x.lo, nmin, -1) : bmul(x.lo, nmax, -1);
    r.hi = bsign(x.hi) <= 0 ? bmul(x.hi, nmin, +1) : bmul(x.hi, nmax, +1);
    r.nz = false;
    r.whole = x.whole;
    r.uniform = false;
    return r;
}

/* An aggregate over rows (per entity) or over the population (its POP_AGG def). */
static ival aggregate(linter *L, const wz_node *n) {
    const wz_node *arg = wz_node_kid(n, 0), *where = wz_node_kid(n, 1);
    bound nmin = BI(0), nmax = POS_INF;
    if (n->ival) {
        if (!where) nmin = BI(1);   /* read per entity, so there is one at least */
    } else {
        const wz_fact_schema *s = g_ptr_array_index(L->p->facts, n->ref_index);
        if (s->one_per_person) nmax = BI(1);
        char *rows = g_strdup_printf("rows %d", n->ref_index);
        if (!where && (s->every_person || has_guard(L, rows))) nmin = BI(1);
        g_free(rows);
    }
    guint saved = L->guards->len;
    condition(L, where, N_("this 'where'"), N_("the aggregate never counts a row; correct the condition"),
              N_("drop the 'where', or correct it"));
    assume(L, where, true);
    ival x = n->op == WZ_AGG_COUNT || !arg ? iv_top() : eval(L, arg);
    pop_guards(L, saved);
    ival r;
    switch ((wz_agg)n->op) {
    case WZ_AGG_SUM: r = sum_of(x, nmin, nmax); break;
    case WZ_AGG_COUNT: r = (ival){nmin, nmax, bsign(nmin) > 0, true, false}; break;
    case WZ_AGG_AVG: r = x; r.whole = false; break;
    default: r = x; break;
    }
    r.uniform = n->ival != 0;
    return r;
}

static ival table_value(linter *L, const wz_node *n) {
    const wz_table *t = g_ptr_array_index(L->p->tables, n->ref_index);
    for (guint i = 0; i < wz_node_nkids(n); i++) eval(L, wz_node_kid(n, i));
    if (t->order >= 0 || t->n == 0 || t->value_exprs) return iv_top();   /* values of params: not known here */
    ival r = iv_const(t->values[0]);
    for (guint i = 1; i < t->n; i++) r = iv_join(r, iv_const(t->values[i]));
    if (t->has_default) r = iv_join(r, iv_const(t->fallback));
    r.uniform = false;
    return r;
}

static ival call(linter *L, const wz_node *n) {
    guint nk = wz_node_nkids(n);
    if (n->ref_kind == WZ_REF_TABLE) return table_value(L, n);
    const wz_builtin_info *bi = &wz_builtins[n->builtin];
    if (bi->family == WZ_BF_RANK) return (ival){BI(1), POS_INF, true, true, false};
    if (bi->family == WZ_BF_HISTORY)
        return n->builtin == WZ_B_STREAK ? (ival){BI(0), POS_INF, false, true, false} : iv_top();
    switch (n->builtin) {
    case WZ_B_MIN: case WZ_B_MAX: {
        ival r = eval(L, wz_node_kid(n, 0));
        for (guint i = 1; i < nk; i++) {
            ival a = eval(L, wz_node_kid(n, i));
            r = n->builtin == WZ_B_MIN ? iv_min(r, a) : iv_max(r, a);
        }
        return is_num(n) ? r : iv_top();
    }
    case WZ_B_ROUND: case WZ_B_ROUND_HALF_EVEN: case WZ_B_ROUND_DOWN: {
        ival x = eval(L, wz_node_kid(n, 0));
        const wz_node *pl = wz_node_kid(n, 1);
        eval(L, pl);
        int64_t places;
        if (pl->kind != WZ_N_NUMBER || !wz_dec_is_integer(pl->num) || !wz_dec_to_int64(pl->num, &places) || places < -30 ||
            places > 30)
            return iv_top();
        ival r = x;
        wz_dec v;
        if (!r.lo.inf) r.lo = wz_dec_round(r.lo.v, (int)places, WZ_ROUND_FLOOR, &v) == WZ_DEC_OK ? B(v) : NEG_INF;
        if (!r.hi.inf) r.hi = wz_dec_round(r.hi.v, (int)places, WZ_ROUND_CEIL, &v) == WZ_DEC_OK ? B(v) : POS_INF;
        r.nz = false;
        r.whole = places <= 0 || x.whole;
        return r;
    }
    case WZ_B_ABS: {
        ival x = eval(L, wz_node_kid(n, 0));
        if (bsign(x.lo) >= 0) return x;
        if (bsign(x.hi) <= 0) return iv_neg(x);
        ival r = x;
        r.lo = BI(0);
        r.hi = bmax(bneg(x.lo), x.hi);
        return r;
    }
    case WZ_B_CUT: {
        const wz_node *a = wz_node_kid(n, 0);
        ival r = iv_const(WZ_DEC_ZERO);
        r.uniform = false;
        if (a && a->ref_kind == WZ_REF_LADDER) {
            const wz_ladder *lad = g_ptr_array_index(L->p->ladders, a->ref_index);
            for (guint i = 0; i < lad->ntiers; i++) r = iv_join(r, iv_const(lad->tiers[i].cut));
            r.uniform = false;
        } else {
            r = iv_top();
        }
        return r;
    }
    case WZ_B_EXISTS: case WZ_B_EXCLUDED: return iv_bool();
    default:
        for (guint i = 0; i < nk; i++) eval(L, wz_node_kid(n, i));
        return iv_top();
    }
}

static ival ref_value(linter *L, const wz_node *n) {
    switch (n->ref_kind) {
    case WZ_REF_PARAM: {
        const wz_param_decl *pd = g_ptr_array_index(L->p->params, n->ref_index);
        ival r = pd->type == WZ_T_BOOL ? iv_bool() : iv_top();
        r.whole = pd->type == WZ_T_INT || pd->type == WZ_T_BOOL;
        r.uniform = true;
        return r;
    }
    case WZ_REF_DEF: return def_value(L, n->ref_index);
    case WZ_REF_ROW_VALUE: {   /* its expression on the reader's row (row values never go round) */
        const wz_row_value *v = g_ptr_array_index(L->p->row_values, n->ref_index2);
        return eval_quiet(L, wz_node_kid(v->node, 0));
    }
    case WZ_REF_PERSON_FIELD: case WZ_REF_ROW_FIELD: {
        const wz_field_schema *f = field_at(L->p, n->ref_index, n->ref_index2);
        if (f->type == WZ_FT_BOOL) return iv_bool();
        if (f->type != WZ_FT_INT && f->type != WZ_FT_DECIMAL) return iv_top();
        ival r = iv_range(f->has_min ? B(f->min) : NEG_INF, f->has_max ? B(f->max) : POS_INF);
        r.whole = f->type == WZ_FT_INT;
        return r;
    }
    default: return iv_top();
    }
}

/* A classify: each case reached only when the earlier ones (other than
 * quotas, whose overflow goes on) did not hold; a case that can never be
 * chosen is reported once, with the reason. */
static ival classify(linter *L, const wz_node *n) {
    guint saved = L->guards->len, nk = wz_node_nkids(n);
    int always = -1;   /* an earlier case that always holds */
    for (guint i = 0; i < nk; i++) {
        const wz_node *cs = wz_node_kid(n, i), *c = wz_node_kid(cs, 0);
        bool quota = wz_node_nkids(cs) > 1;
        if (quota) eval(L, wz_node_kid(cs, 1));
        ival v = c ? eval(L, c) : iv_truth(true);
        wz_span at = name_span(cs, cs->name);
        if (always >= 0) {
            const wz_node *a = wz_node_kid(n, (guint)always);
            char *t = src_text(wz_node_kid(a, 0));
            warn(L, at, "case '%s' can never be chosen: case '%s' on line %u ('%s') always holds before it; correct that condition, or remove this case",
                 cs->name, a->name, line_of(a->span), t);
            g_free(t);
        } else if (c) {
            char *key = key_of(c);
            int same = -1;
            for (guint j = 0; j < i && same < 0; j++) {
                const wz_node *e = wz_node_kid(n, j), *ec = wz_node_kid(e, 0);
                if (wz_node_nkids(e) > 1 || !ec) continue;
                char *k2 = key_of(ec);
                if (!strcmp(key, k2)) same = (int)j;
                g_free(k2);
            }
            g_free(key);
            if (same >= 0) {
                const wz_node *e = wz_node_kid(n, (guint)same);
                warn(L, at, "case '%s' can never be chosen: case '%s' on line %u has the same condition; correct one of them, or remove this case",
                     cs->name, e->name, line_of(e->span));
            } else if (iv_never(v)) {
                char *t = src_text(c);
                warn(L, at, "case '%s' can never be chosen: '%s' never holds%s; correct the condition, or remove the case", cs->name, t,
                     i > 0 ? " for whom the cases above leave" : "");
                g_free(t);
            } else if (iv_always(v) && !quota && i + 1 < nk) {
                always = (int)i;
            }
        }
        if (!quota && c) assume(L, c, false);
    }
    pop_guards(L, saved);
    return iv_top();
}

static ival decide(linter *L, const wz_node *n) {
    ival r = {POS_INF, NEG_INF, true, true, true};   /* empty: joined below */
    bool any = false;
    for (guint i = 0; i < wz_node_nkids(n); i++) {
        const wz_node *o = wz_node_kid(n, i), *when = wz_node_kid(o, 1);
        guint saved = L->guards->len;
        condition(L, when, N_("this option's 'when'"), N_("the option never applies; correct the condition, or remove what it guards"), N_("drop the condition, or correct it"));
        assume(L, when, true);
        ival v = eval(L, wz_node_kid(o, 0));
        pop_guards(L, saved);
        r = any ? iv_join(r, v) : v;
        any = true;
    }
    return any ? r : iv_top();
}

static ival binary(linter *L, const wz_node *n) {
    const wz_node *a = wz_node_kid(n, 0), *b = wz_node_kid(n, 1);
    if (n->op == WZ_OP_AND || n->op == WZ_OP_OR) {
        ival va = eval(L, a);
        guint saved = L->guards->len;
        assume(L, a, n->op == WZ_OP_AND);
        ival vb = eval(L, b);
        pop_guards(L, saved);
        bool lo, hi;
        if (n->op == WZ_OP_AND) {
            lo = iv_always(va) && iv_always(vb);
            hi = !iv_never(va) && !iv_never(vb);
        } else {
            lo = iv_always(va) || iv_always(vb);
            hi = !iv_never(va) || !iv_never(vb);
        }
        ival r = lo ? iv_truth(true) : !hi ? iv_truth(false) : iv_bool();
        r.uniform = va.uniform && vb.uniform;
        return r;
    }
    ival va = eval(L, a), vb = eval(L, b);
    if (n->op >= WZ_OP_EQ && n->op <= WZ_OP_GE)
        return is_num(a) && is_num(b) ? iv_compare(n->op, va, vb) : iv_bool();
    if (!is_num(n)) return iv_top();
    switch (n->op) {
    case WZ_OP_ADD: return iv_add(va, vb);
    case WZ_OP_SUB: return iv_add(va, iv_neg(vb));
    case WZ_OP_MUL: return iv_mul(va, vb);
    case WZ_OP_DIV:
        /* a divisor the same for everyone fails the whole run at once when it is 0;
         * one that is 0 for some persons only waits for the data that makes it so */
        if (iv_contains_zero(vb) && !vb.uniform) {
            char *t = src_text(b), *r = iv_text(vb);
            warn(L, b->span,
                 "the divisor '%s' can be 0 here (it is %s), which stops the run for that person; guard it (if %s > 0 then … else …), or divide by max(%s, 1)",
                 t, r, t, t);
            g_free(t);
            g_free(r);
        }
        return iv_div(va, vb);
    default: return iv_top();
    }
}

static ival eval(linter *L, const wz_node *n) {
    if (!n) return iv_top();
    ival v;
    switch (n->kind) {
    case WZ_N_NUMBER: return iv_const(n->num);
    case WZ_N_BOOL: {
        ival r = iv_truth(n->ival != 0);
        r.uniform = true;
        return r;
    }
    case WZ_N_IDENT: case WZ_N_FIELD_REF: v = ref_value(L, n); break;
    case WZ_N_UNARY: {
        ival a = eval(L, wz_node_kid(n, 0));
        if (n->op == WZ_OP_NEG) { v = iv_neg(a); break; }
        ival r = iv_always(a) ? iv_truth(false) : iv_never(a) ? iv_truth(true) : iv_bool();
        r.uniform = a.uniform;
        return r;
    }
    case WZ_N_BINARY: v = binary(L, n); break;
    case WZ_N_CALL: v = call(L, n); break;
    case WZ_N_AGG: v = n->ival ? def_value(L, n->ref_index) : aggregate(L, n); break;
    case WZ_N_SHARING: {
        /* a row is in its own group, so counted at least once — unless `where` drops it */
        if (wz_node_kid(n, 1)) {
            eval(L, wz_node_kid(n, 1));
            v = n->op < 0 ? (ival){BI(0), POS_INF, true, true, false} : iv_top();
        } else if (n->op < 0) v = (ival){BI(1), POS_INF, true, true, false};
        else v = sum_of(ref_value(L, &(wz_node){.ref_kind = WZ_REF_ROW_FIELD, .ref_index = n->ref_index, .ref_index2 = n->op}),
                        BI(1), POS_INF);
        break;
    }
    case WZ_N_IF: {
        const wz_node *c = wz_node_kid(n, 0);
        ival cv = condition(L, c, N_("the condition"), N_("the 'then' branch is never taken; correct the condition, or remove what it guards"),
                            N_("the 'else' branch is never taken; drop the condition, or correct it"));
        guint saved = L->guards->len;
        assume(L, c, true);
        ival a = eval(L, wz_node_kid(n, 1));
        pop_guards(L, saved);
        assume(L, c, false);
        ival b = eval(L, wz_node_kid(n, 2));
        pop_guards(L, saved);
        if (!is_num(n)) return iv_always(cv) ? a : iv_never(cv) ? b : iv_join(a, b);
        v = iv_always(cv) ? a : iv_never(cv) ? b : iv_join(a, b);
        break;
    }
    case WZ_N_CLASSIFY: return classify(L, n);
    case WZ_N_DECIDE: return decide(L, n);
    case WZ_N_COALESCE: v = iv_join(eval(L, wz_node_kid(n, 0)), eval(L, wz_node_kid(n, 1))); break;
    case WZ_N_IN:
        for (guint i = 0; i < wz_node_nkids(n); i++) eval(L, wz_node_kid(n, i));
        return iv_bool();
    case WZ_N_WINDOWED: {
        guint saved_barrier = L->barrier;
        L->barrier = L->guards->len;   /* what holds over the period need not hold in a window */
        ival x = n->op == WZ_Q_EACH ? eval(L, wz_node_kid(n, 0))
                                    : condition(L, wz_node_kid(n, 0), N_("the condition"), N_("correct the condition, or remove what it guards"), N_("drop the condition, or correct it"));
        L->barrier = saved_barrier;
        if (n->op != WZ_Q_EACH) return x;
        v = sum_of(x, BI(1), POS_INF);
        break;
    }
    default: return iv_top();
    }
    switch (n->kind) {
    case WZ_N_IDENT: case WZ_N_FIELD_REF: case WZ_N_BINARY: case WZ_N_CALL: case WZ_N_AGG: case WZ_N_SHARING:
        return refine(L, n, v);
    default: return v;
    }
}

/* ---- defs ---------------------------------------------------------------- */

/* A rule's points: amount × Σ_windows max(0, quantity − free), capped; 0 unless `when`. */
static ival rule_value(linter *L, const wz_node *n) {
    const wz_node *amount = wz_node_kid(n, 0), *qty = wz_node_kid(n, 1), *free_ = wz_node_kid(n, 2),
                  *win = wz_node_kid(n, 3), *cap = wz_node_kid(n, 4), *when = wz_node_kid(n, 5);
    guint saved = L->guards->len;
    ival w = condition(L, when, N_("this rule's 'when'"), N_("the rule never applies; correct the condition, or remove what it guards"), N_("drop the condition, or correct it"));
    assume(L, when, true);
    ival v = eval(L, amount);
    if (qty) {
        ival q;
        if (win) {
            guint saved_barrier = L->barrier;
            L->barrier = L->guards->len;
            q = eval(L, qty);
            if (free_) q = iv_max(iv_add(q, iv_neg(eval(L, free_))), iv_const(WZ_DEC_ZERO));
            L->barrier = saved_barrier;
            const wz_window_group *g = g_ptr_array_index(L->p->windows, win->ref_index);
            guint nwin = g->split_spans->len + 1;
            /* every month or week: as many windows as the period has, which only the run knows */
            q = g->every != WZ_EVERY_NONE ? sum_of(q, BI(1), POS_INF) : sum_of(q, BI(nwin), BI(nwin));
        } else {
            q = eval(L, qty);
        }
        v = iv_mul(q, v);
    }
    if (cap) v = iv_min(v, eval(L, cap));
    pop_guards(L, saved);
    if (when && !iv_always(w)) v = iv_join(v, iv_const(WZ_DEC_ZERO));
    v.uniform = false;
    return v;
}

/* A section: points ± its rules, then floor and cap; warned about when it has
 * points and the rules can take it below 0 with no floor or above the points
 * with no cap. */
static ival section_value(linter *L, int d, const wz_node *n) {
    const wz_node *points = wz_node_kid(n, 0), *floor_ = wz_node_kid(n, 1), *cap = wz_node_kid(n, 2),
                  *formula = wz_node_kid(n, 3);
    ival pts = points ? eval(L, points) : iv_const(WZ_DEC_ZERO);
    ival v = formula ? eval(L, formula) : pts;
    bool bonuses = false, deductions = false;
    for (guint i = 0; i < L->p->defs->len; i++) {
        const wz_def *r = g_ptr_array_index(L->p->defs, i);
        if (r->kind != WZ_DEF_RULE || r->section != d) continue;
        ival rv = def_value(L, (int)i);
        v = iv_add(v, r->sign < 0 ? iv_neg(rv) : rv);
        bonuses |= r->sign > 0;
        deductions |= r->sign < 0;
    }
    if (points && !formula && !pts.lo.inf && bnd_cmp(pts.lo, pts.hi) == 0) {
        char *p = bound_text(pts.lo);
        wz_span at = name_span(n, n->name);
        if (!floor_ && deductions && bsign(v.lo) < 0) {
            char *lo = bound_text(v.lo);
            if (v.lo.inf)
                warn(L, at, "section '%s' has no floor, and its deductions have no limit: it can fall below 0; add 'floor 0' to the section, or cap the rules",
                     n->name);
            else
                warn(L, at, "section '%s' has no floor, and its deductions can take it from %s points down to %s; add 'floor 0' to the section, or cap the rules",
                     n->name, p, lo);
            g_free(lo);
        }
        if (!cap && bonuses && bnd_cmp(v.hi, pts.hi) > 0) {
            char *hi = bound_text(v.hi);
            if (v.hi.inf)
                warn(L, at, "section '%s' has no cap, and its bonuses have no limit: it can go above its %s points; add 'cap %s' to the section, or cap the rules",
                     n->name, p, p);
            else
                warn(L, at, "section '%s' has no cap, and its bonuses can take it above its %s points, up to %s; add 'cap %s' to the section, or cap the rules",
                     n->name, p, hi, p);
            g_free(hi);
        }
        g_free(p);
    }
    if (floor_) v = iv_max(v, eval(L, floor_));
    if (cap) v = iv_min(v, eval(L, cap));
    v.uniform = false;
    return v;
}

static ival def_eval(linter *L, int d) {
    const wz_policy *p = L->p;
    const wz_def *def = g_ptr_array_index(p->defs, d);
    const wz_node *n = def->node;
    switch (def->kind) {
    case WZ_DEF_TOTAL:
        if (!n) {
            ival v = iv_const(WZ_DEC_ZERO);
            for (guint s = 0; s < p->sections->len; s++) v = iv_add(v, def_value(L, g_array_index(p->sections, int, s)));
            return v;
        }
        return eval(L, wz_node_kid(n, 0));
    case WZ_DEF_LET: case WZ_DEF_GRADE: return eval(L, wz_node_kid(n, 0));
    case WZ_DEF_STIPEND: case WZ_DEF_PRORATA: case WZ_DEF_KEY: case WZ_DEF_OWN_AMOUNT: return eval(L, n);
    case WZ_DEF_RULE: return rule_value(L, n);
    case WZ_DEF_SECTION: return section_value(L, d, n);
    case WZ_DEF_SANCTION:
        if (n->ival == WZ_SANCTION_FROM_FIELD) {
            condition(L, wz_node_kid(n, 2), N_("this 'where'"), N_("the sanction never applies; correct the condition, or remove what it guards"), N_("drop the condition, or correct it"));
        } else {
            const wz_node *when = wz_node_kid(n, 2);
            condition(L, when, N_("this sanction's 'when'"), N_("the sanction never applies; correct the condition, or remove what it guards"), N_("drop the condition, or correct it"));
            guint saved = L->guards->len;
            assume(L, when, true);
            if (n->ival == WZ_SANCTION_AT) eval(L, wz_node_kid(n, 1));
            pop_guards(L, saved);
        }
        return (ival){BI(0), POS_INF, false, true, false};
    case WZ_DEF_NOTICE:
        return condition(L, wz_node_kid(n, 0), N_("this notice's 'when'"), N_("the notice is never given; correct the condition, or remove what it guards"), N_("drop the condition, or correct it"));
    case WZ_DEF_AWARD: {
        const wz_node *when = wz_node_kid(n, 1);
        ival w = condition(L, when, N_("this award's 'when'"), N_("the award is never given; correct the condition, or remove what it guards"), N_("drop the condition, or correct it"));
        guint saved = L->guards->len;
        assume(L, when, true);
        ival v = eval(L, wz_node_kid(n, 0));
        pop_guards(L, saved);
        return when && !iv_always(w) ? iv_join(v, iv_const(WZ_DEC_ZERO)) : v;
    }
    case WZ_DEF_RANK: return (ival){BI(1), POS_INF, true, true, false};
    case WZ_DEF_QUOTA: return iv_bool();   /* its case is visited with its classify */
    case WZ_DEF_POP_AGG: return aggregate(L, n);
    }
    return iv_top();
}

/* A def's interval, evaluated once in a context of its own. */
static ival def_value(linter *L, int d) {
    if (L->state[d] == 2) return L->defv[d];
    if (L->state[d] == 1) return iv_top();
    L->state[d] = 1;
    guint saved_barrier = L->barrier;
    int saved_quiet = L->quiet;
    L->barrier = L->guards->len;
    L->quiet = 0;
    ival v = def_eval(L, d);
    L->barrier = saved_barrier;
    L->quiet = saved_quiet;
    const wz_def *def = g_ptr_array_index(L->p->defs, d);
    if (def->entity >= 0) v.uniform = v.uniform && def->kind == WZ_DEF_POP_AGG;
    L->defv[d] = v;
    L->state[d] = 2;
    return v;
}

/* ---- the pool: a `by X` share whose X can be 0 --------------------------- */

static void lint_distribute(linter *L, const wz_distribute *dist) {
    eval(L, dist->pool_expr);
    const wz_def *basis = g_ptr_array_index(L->p->defs, dist->basis_def);
    for (guint i = 0; i < dist->shares->len; i++) {
        const wz_share *sh = &g_array_index(dist->shares, wz_share, i);
        eval(L, sh->weight_expr);
        if (sh->prorata_def < 0) continue;
        ival x = def_value(L, sh->prorata_def);
        if (!iv_contains_zero(x) || x.uniform || sh->zero != WZ_ZERO_UNSAID) continue;
        const wz_def *pd = g_ptr_array_index(L->p->defs, sh->prorata_def);
        const char *label = g_ptr_array_index(basis->members, sh->member);
        char *t = src_text(pd->node), *r = iv_text(x);
        warn(L, pd->node->span,
             "'%s' can be 0 for a person with share '%s' (it is %s): that person still takes a unit of the share's group, "
             "which goes to the others in proportion to '%s'; say which is meant: 'by %s, zero counts' (the unit stays) or "
             "'by %s, zero exclude' (such a person takes no unit)",
             t, label, r, t, t, t);
        g_free(t);
        g_free(r);
    }
}

/* ---- params, facts and fields never read ------------------------------- */

typedef struct uses {
    guint8 *params, *facts;
    GHashTable *fields;   /* "fact field" keys, as GINT_TO_POINTER(fact * 4096 + field + 1) */
} uses;

static void use_field(uses *u, int fact, int field) {
    if (fact < 0) return;
    u->facts[fact] = 1;
    if (field >= 0) g_hash_table_add(u->fields, GINT_TO_POINTER(fact * 4096 + field + 1));
}

static void collect_uses(const wz_node *n, uses *u) {
    if (!n) return;
    if (n->kind == WZ_N_IDENT || n->kind == WZ_N_FIELD_REF || (n->kind == WZ_N_AGG && !n->ival)) {
        switch (n->ref_kind) {
        case WZ_REF_PARAM: if (n->ref_index >= 0) u->params[n->ref_index] = 1; break;
        case WZ_REF_PERSON_FIELD: case WZ_REF_ROW_FIELD: use_field(u, n->ref_index, n->ref_index2); break;
        case WZ_REF_FACT: use_field(u, n->ref_index, -1); break;
        default: break;
        }
    }
    if (n->kind == WZ_N_SHARING && n->ref_index >= 0) {
        use_field(u, n->ref_index, n->ref_index2);
        use_field(u, n->ref_index, n->op);
    }
    for (guint i = 0; i < wz_node_nkids(n); i++) collect_uses(wz_node_kid(n, i), u);
}

static void lint_unused(linter *L) {
    const wz_policy *p = L->p;
    uses u = {g_new0(guint8, p->params->len + 1), g_new0(guint8, p->facts->len + 1), g_hash_table_new(NULL, NULL)};
    collect_uses(p->ast, &u);
    for (guint i = 0; i < p->defs->len; i++) {
        const wz_def *d = g_ptr_array_index(p->defs, i);
        if (d->limit_param >= 0) u.params[d->limit_param] = 1;
        if (d->blame)
            for (guint k = 0; k < d->blame->items->len; k++) {
                const wz_blame_item *it = &g_array_index(d->blame->items, wz_blame_item, k);
                use_field(&u, it->fact, it->field);
            }
    }
    for (guint k = 1; k < p->kinds->len; k++) {   /* `entity group in school`: the fact naming each one's school is read */
        const wz_entity_kind *kd = g_ptr_array_index(p->kinds, k);
        if (kd->parent_fact >= 0) use_field(&u, kd->parent_fact, kd->parent_field);
    }
    for (guint k = 0; k < p->parts->len; k++) {   /* each part's amount may name a param */
        const wz_distribute *d = g_ptr_array_index(p->parts, k);
        if (d->pool_param >= 0) u.params[d->pool_param] = 1;
    }
    for (guint i = 0; i < p->params->len; i++) {
        const wz_param_decl *pd = g_ptr_array_index(p->params, i);
        if (!u.params[i])
            warn(L, name_span(pd->node, pd->name), "param '%s' is declared but never read; use it where it was meant, or remove it",
                 pd->name);
    }
    for (guint f = 0; f < p->facts->len; f++) {
        const wz_fact_schema *s = g_ptr_array_index(p->facts, f);
        const wz_node *fn = g_ptr_array_index(p->fact_nodes, f);
        if ((int)f == p->population || (int)f == p->holders) continue;
        if (!u.facts[f]) {
            warn(L, name_span(fn, s->name),
                 "fact '%s' is declared but never read (its file is still required and checked); use it where it was meant, or remove it",
                 s->name);
            continue;
        }
        /* a number or a condition nobody reads is likely a rule left out; a text,
         * an enum or a date often only describes the row for the clerk */
        for (guint k = 0; k < s->fields->len; k++) {
            const wz_field_schema *fs = g_ptr_array_index(s->fields, k);
            if (fs->type != WZ_FT_INT && fs->type != WZ_FT_DECIMAL && fs->type != WZ_FT_BOOL) continue;
            if ((int)k == s->key_field || (int)k == s->date_field) continue;
            if (g_hash_table_contains(u.fields, GINT_TO_POINTER((int)f * 4096 + (int)k + 1))) continue;
            const wz_node *field = wz_node_kid(fn, k);
            warn(L, field ? name_span(field, fs->name) : fn->span,
                 "field '%s.%s' is declared but never read; use it where it was meant, or drop it from the fact and its file",
                 s->name, fs->name);
        }
    }
    g_free(u.params);
    g_free(u.facts);
    g_hash_table_destroy(u.fields);
}

/* ---- look-alike names ---------------------------------------------------- */

/* CJK variants that look like the character a clerk meant (traditional or
 * old forms a Chinese IME offers next to the simplified one).  Full-width
 * letters and digits, Kangxi radicals (⼀) and compatibility ideographs are
 * folded by NFKC before this table is used.  Kept small on purpose: each row
 * is a pair seen in real typing slips, not a dictionary. */
static const char *const confusables[][2] = {
    {"敎", "教"}, {"爲", "为"}, {"戶", "户"}, {"査", "查"}, {"內", "内"}, {"眞", "真"},
    {"硏", "研"}, {"淸", "清"}, {"靑", "青"}, {"卽", "即"}, {"旣", "既"}, {"緖", "绪"},
};

/* The form two look-alike names share. Returns a new string. */
static char *skeleton(const char *name) {
    char *nf = g_utf8_normalize(name, -1, G_NORMALIZE_NFKC);
    if (!nf) return g_strdup(name);
    GString *out = g_string_new(NULL);
    for (const char *q = nf; *q; q = g_utf8_next_char(q)) {
        const char *next = g_utf8_next_char(q);
        size_t len = (size_t)(next - q);
        const char *to = NULL;
        for (size_t i = 0; i < G_N_ELEMENTS(confusables) && !to; i++)
            if (strlen(confusables[i][0]) == len && !memcmp(confusables[i][0], q, len)) to = confusables[i][1];
        if (to) g_string_append(out, to);
        else g_string_append_len(out, q, (gssize)len);
    }
    g_free(nf);
    return g_string_free(out, FALSE);
}

typedef struct named {
    const char *name;
    wz_span span;
} named;

static void add_name(linter *L, GHashTable *seen, GHashTable *said, const char *name, wz_span span) {
    if (!name || !*name) return;
    char *sk = skeleton(name);
    named *first = g_hash_table_lookup(seen, sk);
    if (!first) {
        named *nm = g_new(named, 1);
        *nm = (named){name, span};
        g_hash_table_insert(seen, sk, nm);
        return;
    }
    g_free(sk);
    if (!strcmp(first->name, name)) return;
    char *pair = g_strdup_printf("%s\x1f%s", first->name, name);
    if (!g_hash_table_add(said, pair)) return;
    warn(L, span, "'%s' looks like '%s' on line %u but is a different name (full-width or variant characters); write both the same way",
         name, first->name, line_of(first->span));
}

static void collect_names(linter *L, const wz_node *n, GHashTable *seen, GHashTable *said) {
    if (!n) return;
    switch (n->kind) {
    case WZ_N_PARAM: case WZ_N_FACT: case WZ_N_FIELD: case WZ_N_LET: case WZ_N_SECTION: case WZ_N_RULE: case WZ_N_LADDER:
    case WZ_N_TIER: case WZ_N_SANCTION: case WZ_N_NOTICE: case WZ_N_ROLE: case WZ_N_TABLE: case WZ_N_ENTITY: case WZ_N_AWARD:
    case WZ_N_CASE: case WZ_N_OPTION: case WZ_N_PERIOD:
        add_name(L, seen, said, n->name, name_span(n, n->name));
        break;
    case WZ_N_TYPE:
        for (guint i = 0; i < wz_node_nkids(n); i++) {
            const wz_node *m = wz_node_kid(n, i);
            if (m && m->kind == WZ_N_IDENT) add_name(L, seen, said, m->name, m->span);
        }
        return;
    default: break;
    }
    for (guint i = 0; i < wz_node_nkids(n); i++) collect_names(L, wz_node_kid(n, i), seen, said);
}

static void lint_names(linter *L) {
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    GHashTable *said = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    collect_names(L, L->p->ast, seen, said);
    g_hash_table_destroy(seen);
    g_hash_table_destroy(said);
}

/* ---- the pass ------------------------------------------------------------ */

static gint pending_cmp(gconstpointer a, gconstpointer b) {
    const pending *x = a, *y = b;
    if (x->span.src != y->span.src) {
        int c = strcmp(x->span.src ? x->span.src->name : "", y->span.src ? y->span.src->name : "");
        if (c) return c;
    }
    if (x->span.start != y->span.start) return x->span.start < y->span.start ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void wz_lint(const wz_policy *p, wz_diags *diags) {
    guint nd = p->defs->len;
    linter L = {.p = p, .defv = g_new0(ival, nd + 1), .state = g_new0(guint8, nd + 1),
                .found = g_array_new(FALSE, FALSE, sizeof(pending)), .guards = g_array_new(FALSE, FALSE, sizeof(guard))};
    for (guint d = 0; d < nd; d++) def_value(&L, (int)d);
    for (guint i = 0; i < p->row_values->len; i++) {   /* a row value's own doubts, once, wherever it is read */
        L.barrier = L.guards->len;
        eval(&L, wz_node_kid(((const wz_row_value *)g_ptr_array_index(p->row_values, i))->node, 0));
        L.barrier = 0;
    }
    for (guint k = 0; k < p->parts->len; k++) lint_distribute(&L, g_ptr_array_index(p->parts, k));
    lint_unused(&L);
    lint_names(&L);
    g_array_sort(L.found, pending_cmp);
    for (guint i = 0; i < L.found->len; i++) {
        pending *w = &g_array_index(L.found, pending, i);
        wz_diag_at(diags, WZ_SEV_WARNING, w->span, "%s", w->msg);
        g_free(w->msg);
    }
    pop_guards(&L, 0);
    g_array_free(L.guards, TRUE);
    g_array_free(L.found, TRUE);
    g_free(L.defv);
    g_free(L.state);
}
