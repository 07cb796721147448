/* check.h — static analysis of a parsed policy: names, types, strata.
 *
 * wz_check() turns a POLICY AST into a wz_policy: every name resolved, every
 * expression typed, every fact schema built, and every computed value (a
 * "def") placed in a dependency order in which values that need a whole-
 * population aggregate (a school average, a pool share) come after the
 * per-person values they read.  Anything that could go wrong at run time
 * because of the policy's text — unknown names, type mismatches, wrong fact
 * fields, cycles — is reported here as file:line:col, never at run time.
 *
 * The checked policy is a resolved program, as Lua's parser hands its VM a
 * Proto: every name is an index, every effect (a tier's cut, a share's weight,
 * a rounding mode, who answers for a rule) a typed field, every constant a
 * value.  The VM, the engine and the output writer read only these
 * structures, never the syntax tree; the compiler alone still lowers
 * expressions from the annotated tree (the `node` and `*_expr` fields below
 * are there for it and for the checker).
 *
 * Ownership: wz_check() takes ownership of the AST and the source; the
 * returned wz_policy owns everything and is freed with wz_policy_free().
 */
#ifndef WZ_CHECK_H
#define WZ_CHECK_H

#include <glib.h>

#include "ast.h"
#include "diag.h"
#include "facts.h"
#include "value.h"

/* What an IDENT or FIELD_REF node resolved to (wz_node.ref_kind). */
enum wz_ref_kind {
    WZ_REF_PARAM,        /* ref_index = param */
    WZ_REF_DEF,          /* ref_index = def */
    WZ_REF_PERSON_FIELD, /* per-person row: ref_index = fact, ref_index2 = field */
    WZ_REF_ROW_FIELD,    /* current row of an aggregate: ref_index = fact, ref_index2 = field */
    WZ_REF_LABEL,        /* enum member: ref_index2 = member index */
    WZ_REF_FACT,         /* a fact name (count(leave …), exists(f)) */
    WZ_REF_WINDOWS,      /* a window group */
    WZ_REF_LADDER,       /* a ladder */
    WZ_REF_PERSON_ID,    /* the current person's key */
    WZ_REF_TABLE,        /* a lookup table: ref_index = table */
    WZ_REF_CONST,        /* a let of params and literals read where no entity is in scope (a section's
                            points, a split date, the pool): ref_index = def, compiled as its expression */
    WZ_REF_ROW_VALUE,    /* a row value (`let accident.level = …`) of the current row: ref_index = fact, ref_index2 =
                            policy->row_values index; compiled as its expression on that row */
};

typedef enum wz_def_kind {
    WZ_DEF_LET,
    WZ_DEF_RULE,       /* points of one deduct/bonus rule (always ≥ 0; sign from the rule) */
    WZ_DEF_SECTION,
    WZ_DEF_SANCTION,   /* tier index on its ladder, or missing */
    WZ_DEF_NOTICE,     /* bool */
    WZ_DEF_TOTAL,
    WZ_DEF_GRADE,
    WZ_DEF_STIPEND,
    WZ_DEF_PRORATA,    /* the `by` value of a pro-rata share */
    WZ_DEF_POP_AGG,    /* a whole-population aggregate: one value, not per person */
    WZ_DEF_AWARD,      /* money to (+) or from (−) an entity: awards.csv */
    WZ_DEF_KEY,        /* an expression per entity that a rank or a quota orders by (node = the expression) */
    WZ_DEF_RANK,       /* rank_desc(V[, G]) …: each entity's place among its kind (in its group) */
    WZ_DEF_QUOTA,      /* a classify case with `limit`: whether the entity gets the label within the limit */
    WZ_DEF_OWN_AMOUNT, /* `responsible first 校长 = EXPR` on an award: a responsible person's own amount (node = the
                          expression), per person; not run with the others, but for each holder when blame finds them */
} wz_def_kind;

/* One ordering key of a rank or a quota: a KEY def and its direction. */
typedef struct wz_sort_key {
    int def;
    int dir;                   /* +1 ascending, -1 descending */
} wz_sort_key;

/* A kind of entity the policy's rules are about.  Kind 0 is always the
 * person (its population is the `persons` fact); `entity school;` declares
 * more.  Each fact holds the rows of one kind, and each def is computed per
 * entity of one kind (or is a constant, read by every kind). */
typedef struct wz_entity_kind {
    char *name;                /* "person", "school" */
    char *label;               /* "人员", "学校", or NULL */
    const wz_node *node;       /* ENTITY, or NULL for the person */
    /* `entity group in school;`: the kind that encloses this one (-1: none),
     * and the field of this kind's one-per fact that names each one's
     * enclosing unit (check_units.c) */
    int parent, parent_fact, parent_field;
} wz_entity_kind;

/* Who answers for a sanction's or an award's findings: one item of its
 * `duty ROLE.N` / `responsible [first|direct] ROLE [P%]` list. */
typedef struct wz_blame_item {
    bool duty;                 /* `duty ROLE.N`: the role whose duty N was not done */
    int role;                  /* index into policy->roles; -1 when the entity's row names it (fact/field) */
    int as;                    /* WZ_RESP_FIRST, WZ_RESP_DIRECT or WZ_RESP_PLAIN */
    bool has_share;
    wz_dec share;              /* this role's share (a fraction): of an award's amount, of a sanction's responsibility */
    int tier;                  /* a sanction's `tier T` for this role: its own measure (index into the ladder's tiers); else -1 */
    int own_def;               /* an award's `ROLE = EXPR`: the OWN_AMOUNT def giving each holder their own amount; else -1 */
    int fact, field;           /* `responsible direct FACT.FIELD`: the role- or person-typed field of a one-per fact; else -1 */
    bool names_person;         /* … a person field: the person the row names answers (role -1, named as the field) */
    const char *field_name;    /* … that field's name, for messages (borrowed from the policy) */
    int duty_index;            /* duty: index into the role's duties */
    wz_span span;
} wz_blame_item;

typedef struct wz_blame {
    wz_span span;
    GArray *items;             /* wz_blame_item, as written */
} wz_blame;

typedef struct wz_def {
    wz_def_kind kind;
    char *name;                /* "attendance", "attendance.sick", "age", "sum(all: …)@12:5" */
    const wz_node *node;       /* the declaration (or the AGG node for POP_AGG): for the checker and compiler */
    wz_span span;              /* where it is written (a default total: the policy's start) */
    char *text;                /* the policy's words for it (a rule's "病假"; a quota's label), or NULL */
    int sign;                  /* RULE: -1 deduct, +1 bonus; else 0 */
    wz_agg agg;                /* POP_AGG: the function */
    int limit_param;           /* QUOTA: the param that sets the limit, or -1 for the literal `limit` */
    wz_span limit_span;        /* QUOTA: where the limit is written */
    GPtrArray *members;        /* ENUM-typed defs: the member names (char*, owned), else NULL */
    GArray *member_spans;      /* … and where each is written (wz_span): a classify's cases, an enum's values */
    /* RULE: its parts, for explain to show the arithmetic (compiled on demand by
     * wz_compile_probe): amount × quantity (Σ over the windows of `window`, less
     * `free` in each), capped; each NULL when the rule has none.  SANCTION, NOTICE,
     * AWARD: their `when` (a sanction's `at N` in quantity_expr, an award's amount) */
    const wz_node *amount_expr, *quantity_expr, *free_expr, *cap_expr, *when_expr;
    int window;                /* RULE: the window group of `free N per W`, or -1 */
    wz_type_kind type;
    const wz_node *type_ref;   /* ENUM: members */
    int section;               /* RULE: def index of its section; else -1 */
    int ladder;                /* SANCTION: ladder index */
    GArray *deps;              /* int: def indices this def reads */
    int stratum;               /* 0 = needs no population aggregate */
    bool uses_rows;            /* reads a person's fact rows (so its value depends on the window) */
    bool cites_rows;           /* reads fact rows a finding should cite (many-row or one-per facts) */
    int entity;                /* the entity kind it is computed for; -1 = a constant (params only) */
    const wz_node *blame_node; /* SANCTION, AWARD: BLAME, for the checker */
    wz_blame *blame;           /* SANCTION, AWARD: who answers for its findings, or NULL */
    bool kept;                 /* `keep`: written to kept.csv, readable by later periods */
    bool read_back;            /* previous()/streak() read its earlier periods' values */
    /* RANK and QUOTA: the keys they order by (wz_sort_key), RANK's group (a KEY
     * def, or -1 for the whole kind) and tie rule, QUOTA's limit (a fraction of
     * the kind's entities) */
    GArray *keys;
    int group;
    bool dense;
    wz_dec limit;
    /* SANCTION, AWARD with `for each FACT`: the fact whose rows are its incidents (one
     * finding per row that reaches a tier or a nonzero amount; the value is the person's
     * most severe tier or the sum), else -1 */
    int each_fact;
    /* RULE, SANCTION, AWARD with `for each W` (W a window group): one finding per window
     * that is worth something, its parts read on that window's rows; else -1.  A rule's
     * `free N per W` also gives one finding per window that went over (window, not this) */
    int each_window;
} wz_def;

/* A row value, `let accident.level = EXPR;`: EXPR over one row of a many-rows fact,
 * read wherever a field of that fact can be (inside an aggregate over it, a sanction's
 * `from`, a `for each` item).  It is compiled into each reader as its expression on the
 * current row, so it is computed per row and never stored. */
typedef struct wz_row_value {
    char *name;                    /* "level" */
    int fact;                      /* the fact whose rows it is computed on */
    const wz_node *node;           /* ROW_LET, for the checker and compiler */
    wz_span span;
    wz_type_kind type;
    const wz_node *type_ref;       /* ENUM: the classify or field type with the members */
    bool maybe;                    /* may be missing (an optional field read without ??) */
    GArray *deps;                  /* int: defs (lets) its expression reads; a reader depends on them too */
    GPtrArray *members;            /* ENUM: the member names (char*, owned), else NULL */
} wz_row_value;

typedef struct wz_param_decl {
    char *name;
    wz_type_kind type;
    const wz_node *node;
    const wz_node *default_expr;   /* literal or NULL (then the facts must give it) */
    wz_span span;
    bool has_default;
    wz_value default_value;        /* a text's .s points at default_text */
    char *default_text;
} wz_param_decl;

/* How a period is cut into windows: at dates the policy gives, or every calendar month or week. */
typedef enum wz_every { WZ_EVERY_NONE, WZ_EVERY_MONTH, WZ_EVERY_WEEK } wz_every;

typedef struct wz_window_group {
    char *name;
    const wz_node *node;           /* SPLIT */
    GArray *split_spans;           /* wz_span of each split date, in order */
    wz_every every;                /* `every month` (from the 1st) or `every week` (from Monday); NONE: at the dates */
} wz_window_group;

/* One tier of a ladder and what reaching it does. */
typedef struct wz_tier {
    char *name;                    /* "记过" */
    char *text;                    /* its words, or NULL */
    wz_span span;
    wz_dec cut;                    /* the share of the total cut (0 when none) */
    bool excluded;                 /* excluded from the pool */
    int grade;                     /* the grade label (member of grade's classify) it caps at, or -1 */
} wz_tier;

typedef struct wz_ladder {
    char *name;
    const wz_node *node;           /* LADDER, for the checker and compiler */
    wz_span span;
    wz_tier *tiers;                /* mildest first */
    guint ntiers;
} wz_ladder;

/* A duty of a role, `duty 3 "…";`. */
typedef struct wz_duty {
    int64_t number;
    char *text;
    wz_span span;
} wz_duty;

typedef struct wz_role {
    char *name;
    char *text;
    const wz_node *node;           /* ROLE, for the checker */
    wz_span span;
    int reports_to;                /* index of the role it reports to, or -1 */
    GArray *duties;                /* wz_duty, as written */
} wz_role;

/* How distribute rounds each person's part. */
typedef enum wz_dist_rounding {
    WZ_DIST_HALF_UP,               /* each part half-up to the places; the residue says what is left */
    WZ_DIST_LARGEST_REMAINDER,     /* parts cut down, the fen left handed to the largest remainders */
} wz_dist_rounding;

/* One basis's share of the pool: WEIGHT units each, or a group's units pro rata to a value. */
typedef struct wz_share {
    int member;                    /* the basis label (member index of the basis classify) */
    int prorata_def;               /* the PRORATA def of `by`, or -1 for a fixed share */
    int zero;                      /* `by`: WZ_ZERO_EXCLUDE when a person whose value is 0 takes no unit;
                                      WZ_ZERO_COUNTS or WZ_ZERO_UNSAID (the same, not said) when they take one */
    wz_span span;
    const wz_node *weight_expr;    /* for the compiler: program->share_weights has the same index */
} wz_share;

/* One part of the pay (a pool, or a named part of one: 岗位, 工作量, 考核). */
typedef struct wz_distribute {
    const wz_node *node;           /* DISTRIBUTE, for the checker and compiler */
    char *name, *text;             /* a named part's name and words (owned), or NULL for the one unnamed pool */
    wz_span span, pool_span;
    const wz_node *pool_expr;      /* for the compiler: program->pool */
    int pool_param;                /* the pool is param P (messages say where its value came from), or -1 */
    int places;                    /* decimal places of each part */
    wz_dist_rounding rounding;
    int basis_def;                 /* the LET holding the basis classify */
    int stipend_def;               /* paid first, or -1 */
    GArray *shares;                /* wz_share, as written */
} wz_distribute;

/* A decide { … } expression: its options and which overrides which. */
typedef struct wz_decide {
    wz_span span;
    guint n;                       /* options */
    char **names;                  /* per option: its label */
    char **texts;                  /* per option: its words, or NULL */
    guint8 *over;                  /* over[j * n + i]: option j overrides option i (chains included) */
} wz_decide;

/* A lookup table: values at consecutive whole-number keys, optionally
 * continued "and so on" by its constant `order`-th differences. */
typedef struct wz_table {
    char *name;
    const wz_node *node;      /* TABLE */
    int64_t first;            /* the first key */
    guint n;                  /* keys first .. first + n - 1 */
    wz_dec *values;           /* n values */
    int order;                /* "and so on": the order of the constant differences; -1 = no continuation */
    wz_dec *diffs;            /* order + 1 leading differences Δ^j at the first key */
    GPtrArray *text_keys;     /* a table keyed by text (school names): char* per value, else NULL */
    bool has_default;         /* `otherwise: V` */
    wz_dec fallback;
    /* bands (`within K: V;`): value i for keys up to bands[i] and above bands[i - 1]
     * (increasing, any decimals); NULL for a table of consecutive keys */
    wz_dec *bands;
    /* values written as expressions of params and constant lets (the checker proved them
     * constant): n + 1 nodes, value i's or NULL when it is a literal, the last `otherwise`'s;
     * program->table_values has their chunks, and each run evaluates them once.  NULL when
     * every value is a literal number. */
    const wz_node **value_exprs;
} wz_table;

typedef struct wz_policy {
    wz_source *src;
    wz_node *ast;
    char *title, *version;
    bool has_effective;            /* `effective FROM to TO` in the header: the dates the version is in force */
    wz_date effective_from, effective_to;
    bool module;                   /* no header and nothing to run: declarations to import (check only) */
    int display_places;            /* digits shown for non-terminating values (default 4) */
    GPtrArray *params;             /* wz_param_decl* */
    GPtrArray *facts;              /* wz_fact_schema* (index = fact id) */
    GPtrArray *fact_nodes;         /* const wz_node* FACT, same index */
    int population;                /* fact id of the persons fact */
    const wz_node *period;         /* PERIOD or NULL */
    GPtrArray *windows;            /* wz_window_group* */
    GPtrArray *ladders;            /* wz_ladder* */
    GPtrArray *defs;               /* wz_def* */
    GArray *order;                 /* int: def indices in evaluation order */
    GArray *sections;              /* int: SECTION defs in declaration order */
    int total_def;                 /* always present (defaults to the sum of sections) */
    int grade_def;                 /* -1 if none */
    wz_distribute *distribute;     /* the pool and its shares (the first part), or NULL */
    GPtrArray *parts;              /* wz_distribute*, as written: one unnamed pool, or named parts; owns them */
    int basis_def;                 /* distribute: the LET def holding the (first part's) basis */
    int stipend_def;               /* -1 if none */
    GPtrArray *roles;              /* wz_role* */
    GPtrArray *decides;            /* wz_decide*: DECIDE nodes' ref_index */
    wz_node *role_type;            /* the enum TYPE of fields declared `role` (members: role names), or NULL */
    int holders;                   /* the person fact with a `role` field (who holds which post), or -1 */
    int holders_role_field;        /* … that field */
    GArray *holders_unit_field;    /* per entity kind: the holders fact's field naming an entity of it, or -1 */
    GPtrArray *imported;           /* wz_source* of imported files (their nodes point into them) */
    GPtrArray *tables;             /* wz_table* */
    GPtrArray *kinds;              /* wz_entity_kind*: [0] = person, then `entity` declarations */
    GArray *awards;                /* int: AWARD defs in declaration order */
    GArray *kept;                  /* int: kept defs in declaration order */
    const wz_node *history_use;    /* the first previous()/streak(), for the checker */
    const char *history_fn;        /* … its function's name: the run needs --history; NULL when none */
    wz_span history_span;          /* … where it is */
    GPtrArray *row_values;         /* wz_row_value*, as declared */
    bool has_each;                 /* a sanction or award is `for each FACT`: its lines in sanctions.csv
                                      and awards.csv name their incident (an `incident` column) */
} wz_policy;

/* Checks ast (taking ownership of ast and src).  Returns NULL after
 * reporting errors into diags (ast and src are then freed). */
wz_policy *wz_check(wz_node *ast, wz_source *src, wz_diags *diags);
void wz_policy_free(wz_policy *p);

/* Convenience: read, parse and check a policy file.  I/O problems are
 * reported as WZ_DIAG_IO. */
wz_policy *wz_policy_load(const char *path, wz_diags *diags);
/* The same from text in memory (name is what messages show). */
wz_policy *wz_policy_load_text(const char *name, const char *text, size_t len, wz_diags *diags);

/* Index of a def by name, or -1. */
int wz_policy_find_def(const wz_policy *p, const char *name);
/* Index of a fact by name, or -1. */
int wz_policy_find_fact(const wz_policy *p, const char *name);

#endif
