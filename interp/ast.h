/* ast.h — the abstract syntax tree of a policy.
 *
 * Grammar actions (grammar/parser.y) only build these nodes; every meaning —
 * name resolution, types, strata — is decided later by check.c, which fills
 * the annotation fields at the bottom of wz_node.  Every node carries the byte
 * span of the source it came from, so any later stage (diagnostics, findings,
 * `wenze explain`) can cite the policy text.
 *
 * Ownership: a node owns its strings and its children; wz_node_free() frees a
 * whole subtree.  wz_ast_print() renders a subtree as an S-expression that is
 * stable across runs (for tests and `wenze parse`).
 */
#ifndef WZ_AST_H
#define WZ_AST_H

#include <glib.h>
#include <stdint.h>

#include "builtins.h"   /* wz_agg (AGG op), wz_builtin (CALL builtin) */
#include "date.h"
#include "decimal.h"
#include "diag.h"

/* X-macro: every node kind with its printed name. */
#define WZ_NODE_KINDS(X) \
    X(POLICY, "policy")          /* kids: items; text = name, name = version */ \
    X(HEADER, "header")          /* text = title, name = version, kids: [from, to] dates or none */ \
    X(DISPLAY, "display")        /* ival = display places */ \
    X(IMPORT, "import")          /* text = path */ \
    X(PARAM, "param")            /* name; kids: [type, default-or-NULL] */ \
    X(PERIOD, "period")          /* name; kids: [from, to] */ \
    X(SPLIT, "split")            /* name = window group; text = period name; kids: split dates */ \
    X(FACT, "fact")              /* name; kids: fields; flags: WZ_FACT_* ; text = key, label = dated field, owner = entity kind */ \
    X(FIELD, "field")            /* name; kids: [type, min-or-NULL, max-or-NULL]; ival = optional */ \
    X(TYPE, "type")              /* ival = wz_type_kind; kids: enum members (IDENT) */ \
    X(LET, "let")                /* name; kids: [expr] */ \
    X(ROW_LET, "row-let")        /* name = the row value, label = its fact; kids: [expr] */ \
    X(EACH, "each")              /* name = fact: one finding per row; kids: [where-or-NULL] */ \
    X(SECTION, "section")        /* name, text = label; kids: [points, floor, cap, formula] (each may be NULL) + rules */ \
    X(RULE, "rule")              /* ival = +1 bonus / -1 deduct; name, text; kids: [amount, per, free, window(IDENT), cap, when, EACH-or-NULL] */ \
    X(LADDER, "ladder")          /* name, text; kids: tiers */ \
    X(TIER, "tier")              /* name, text; kids: effects */ \
    X(EFFECT, "effect")          /* ival = WZ_EFFECT_*; kids: [amount] or name = grade */ \
    X(SANCTION, "sanction")      /* name, text; kids: [ladder(IDENT), source(FIELD_REF) or tier(IDENT), where/when] ; ival = WZ_SANCTION_* */ \
    X(NOTICE, "notice")          /* name, text; kids: [when] */ \
    X(TOTAL, "total")            /* kids: [expr] */ \
    X(GRADE, "grade")            /* kids: [expr] */ \
    X(DISTRIBUTE, "distribute")  /* kids: [pool, basis(IDENT), stipend-or-NULL] + shares; ival = round places */ \
    X(SHARE, "share")            /* name = basis label; kids: [weight, prorata-or-NULL]; ival = WZ_ZERO_* */ \
    X(ROLE, "role")              /* name, text; label = the role it reports to; kids: duties */ \
    X(DUTY, "duty")              /* ival = number; text */ \
    X(TABLE, "table")            /* name, text; ival = 1 to continue "and so on"; kids: TABLE_ROW */ \
    X(TABLE_ROW, "table-row")    /* num = key, or text = a text key (ival = 1: the `otherwise` row; op = 1: a band, `within num`); kids: [value] */ \
    X(ENTITY, "entity")          /* name = kind, text = label: an entity kind beyond the person (school, teacher) */ \
    X(AWARD, "award")            /* name, text = label; kids: [amount, when-or-NULL, BLAME-or-NULL, EACH-or-NULL]: money to or from an entity */ \
    X(KEEP, "keep")              /* kids: IDENT of values each run records for later periods */ \
    X(BLAME, "blame")            /* who answers for a sanction or award: kids DUTY (name = role, ival = number) and RESPONSIBLE */ \
    X(RESPONSIBLE, "responsible") /* name = role (or fact, text = field); ival = WZ_RESP_*; op = 1 with a share in num; kids: [tier-or-NULL, own amount] */ \
    /* expressions */ \
    X(NUMBER, "num")             /* num; ival = 1 if written as a percentage */ \
    X(STRING, "str")             /* text */ \
    X(DATE, "date")              /* date */ \
    X(BOOL, "bool")              /* ival */ \
    X(IDENT, "id")               /* name */ \
    X(FIELD_REF, "field-ref")    /* name = fact, text = field */ \
    X(UNARY, "unary")            /* op; kids: [operand] */ \
    X(BINARY, "binary")          /* op; kids: [lhs, rhs] */ \
    X(CALL, "call")              /* name; kids: args */ \
    X(AGG, "agg")                /* name = function; ival = 1 over all persons; kids: [arg-or-NULL, where-or-NULL] */ \
    X(IF, "if")                  /* kids: [cond, then, else] */ \
    X(CLASSIFY, "classify")      /* kids: cases */ \
    X(CASE, "case")              /* name = label; kids: [cond-or-NULL (otherwise)], or [cond, limit, SORT_KEY…] */ \
    X(SORT_KEY, "sort-key")      /* ival = +1 ascending / -1 descending; kids: [expr] */ \
    X(DECIDE, "decide")          /* kids: OPTION */ \
    X(SHARING, "sharing")        /* name = count or sum; label = the shared field; kids: [FACT or FACT.FIELD, the where condition or none] */ \
    X(OPTION, "option")          /* name = label, text; kids: [value, when-or-NULL, overridden labels (OPTION of IDENT)-or-NULL] */ \
    X(WINDOWED, "windowed")      /* op = WZ_Q_*; name = window group; kids: [expr] */ \
    X(IN, "in")                  /* kids: [expr, members...] */ \
    X(COALESCE, "coalesce")      /* kids: [maybe, default] */ \
    /* policy tests (*.test.wz) */ \
    X(TEST, "test")              /* text = name; kids: TEST_FROM, ROWS, TEST_PARAM, EXPECT */ \
    X(TEST_FROM, "test-from")    /* text = the facts directory the test starts from */ \
    X(TEST_HISTORY, "test-history") /* text = earlier runs' outputs (--history) */ \
    X(ROWS, "rows")              /* name = fact; kids: ROW */ \
    X(ROW, "row")                /* kids: one expression per cell, in the fact's field order */ \
    X(TEST_PARAM, "test-param")  /* name; kids: [value] */ \
    X(EXPECT, "expect")          /* text = whose (a person's id, an entity's key), name = what (def, pay…); kids: [value] */

typedef enum wz_node_kind {
#define WZ_X(kind, str) WZ_N_##kind,
    WZ_NODE_KINDS(WZ_X)
#undef WZ_X
    WZ_N__COUNT
} wz_node_kind;

/* Fact modifiers (FACT.ival bit set). */
enum {
    WZ_FACT_PERSONS = 1 << 0,     /* lists the persons; text = key field */
    WZ_FACT_DATED = 1 << 1,       /* dated by a field; name in node->label */
    WZ_FACT_ONE_PER_PERSON = 1 << 2,
    WZ_FACT_EVERY_PERSON = 1 << 3,
    WZ_FACT_OPTIONAL = 1 << 4,    /* the file may be absent */
};

/* Operators (UNARY/BINARY op). */
typedef enum wz_op {
    WZ_OP_ADD, WZ_OP_SUB, WZ_OP_MUL, WZ_OP_DIV, WZ_OP_NEG,
    WZ_OP_EQ, WZ_OP_NE, WZ_OP_LT, WZ_OP_LE, WZ_OP_GT, WZ_OP_GE,
    WZ_OP_AND, WZ_OP_OR, WZ_OP_NOT,
} wz_op;

/* Window quantifiers (WINDOWED op). */
enum { WZ_Q_ANY, WZ_Q_ALL, WZ_Q_EACH };

/* Sanction forms (SANCTION ival).  kids: [ladder, source(FIELD_REF) | tier(IDENT) | at(EXPR), where/when, BLAME-or-NULL, EACH-or-NULL] */
enum { WZ_SANCTION_FROM_FIELD, WZ_SANCTION_TIER_WHEN, WZ_SANCTION_AT };

/* What a `by X` share does with a person whose X is 0 (SHARE ival): nothing said (a unit,
 * as `counts`, and the linter asks), `, zero counts` (a unit of the group), `, zero exclude` (none). */
enum { WZ_ZERO_UNSAID, WZ_ZERO_COUNTS, WZ_ZERO_EXCLUDE };

/* Kinds of responsibility (RESPONSIBLE ival): 第一责任人, 直接责任人, or just named. */
enum { WZ_RESP_PLAIN, WZ_RESP_FIRST, WZ_RESP_DIRECT };

/* Tier effects (EFFECT ival). */
enum { WZ_EFFECT_CUT, WZ_EFFECT_GRADE, WZ_EFFECT_EXCLUDE };

/* Types the checker assigns to expressions. */
typedef enum wz_type_kind {
    WZ_T_UNKNOWN = 0, /* not yet checked, or after an error (suppresses cascades) */
    WZ_T_NUMBER,      /* exact decimal; ints are numbers too */
    WZ_T_INT,         /* declared int (fact fields, params): a number whose values are whole */
    WZ_T_BOOL,
    WZ_T_DATE,
    WZ_T_TEXT,
    WZ_T_ENUM,        /* type_ref points at the node that declares the members */
    WZ_T_PERSON,
    WZ_T_ENTITY,      /* a field naming an entity of a declared kind (TYPE node: name = kind) */
    WZ_T_LABEL,       /* a bare name awaiting an enum context */
} wz_type_kind;

typedef struct wz_node wz_node;
struct wz_node {
    wz_node_kind kind;
    uint32_t depth;        /* levels from this node down to its deepest leaf (1: a leaf); kept by wz_node_add */
    wz_span span;
    char *name;
    char *text;
    char *label;           /* secondary name (dated-by field, …) */
    char *owner;           /* FACT: the entity kind whose rows these are ("school"), or NULL */
    wz_dec num;
    wz_date date;
    int64_t ival;
    int op;
    GPtrArray *kids;       /* wz_node*, may contain NULL placeholders */

    /* Annotations filled by check.c. */
    wz_type_kind type;
    const wz_node *type_ref;   /* ENUM: the TYPE or CLASSIFY node with the members */
    bool maybe;                /* may be missing (optional per-person fact) */
    int ref_kind;              /* what an IDENT / FIELD_REF resolved to (check.h) */
    int ref_index;             /* index within that kind */
    int ref_index2;            /* field index for FIELD_REF; member index for enum labels */
    wz_builtin builtin;        /* CALL: the builtin it calls (WZ_B_NONE: a table lookup) */
};

wz_node *wz_node_new(wz_node_kind kind, wz_span span);
void wz_node_add(wz_node *parent, wz_node *kid);   /* kid may be NULL (absent optional part) */
wz_node *wz_node_kid(const wz_node *n, guint i);   /* NULL when out of range */
guint wz_node_nkids(const wz_node *n);
void wz_node_free(wz_node *n);   /* iterative: any depth */

/* How deep a syntax tree may nest (levels from the policy's root).  Every pass over the
 * tree after parsing (checker, compiler, lint, printers) recurses on it, so wz_parse()
 * refuses a deeper tree with an error instead of letting a pass overflow the C stack;
 * 1000 levels is far beyond any policy a person writes (a sum of 1000 terms) and a few MB of
 * stack at most, even in the sanitizer build. */
#define WZ_MAX_DEPTH 1000

/* The outermost expression on the first path of `root` deeper than `limit` levels, or NULL
 * when no path is; iterative, so any depth is safe. */
const wz_node *wz_node_too_deep(const wz_node *root, guint limit);
const char *wz_node_kind_name(wz_node_kind kind);
const char *wz_op_name(int op);
const char *wz_type_name(wz_type_kind t);

/* S-expression rendering, one node per line, indented. */
void wz_ast_print(GString *out, const wz_node *n, int indent);
/* The same, but every built-in function and aggregate by its English name
 * (合计 prints as sum): two trees that print alike mean the same, whichever
 * keyword language each was written in. */
void wz_ast_print_canonical(GString *out, const wz_node *n);

#endif
