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
 * Ownership: wz_check() takes ownership of the AST and the source; the
 * returned wz_policy owns everything and is freed with wz_policy_free().
 */
#ifndef WZ_CHECK_H
#define WZ_CHECK_H

#include <glib.h>

#include "ast.h"
#include "diag.h"
#include "facts.h"

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
} wz_entity_kind;

typedef struct wz_def {
    wz_def_kind kind;
    char *name;                /* "attendance", "attendance.sick", "age", "sum(all: …)@12:5" */
    const wz_node *node;       /* the declaration (or the AGG node for POP_AGG) */
    wz_type_kind type;
    const wz_node *type_ref;   /* ENUM: members */
    int section;               /* RULE: def index of its section; else -1 */
    int ladder;                /* SANCTION: ladder index */
    GArray *deps;              /* int: def indices this def reads */
    int stratum;               /* 0 = needs no population aggregate */
    bool uses_rows;            /* reads a person's fact rows (so its value depends on the window) */
    bool cites_rows;           /* reads fact rows a finding should cite (many-row or one-per facts) */
    int entity;                /* the entity kind it is computed for; -1 = a constant (params only) */
    const wz_node *blame;      /* SANCTION, AWARD: BLAME (duty, responsible roles), or NULL */
    bool kept;                 /* `keep`: written to kept.csv, readable by later periods */
    bool read_back;            /* previous()/streak() read its earlier periods' values */
    /* RANK and QUOTA: the keys they order by (wz_sort_key), RANK's group (a KEY
     * def, or -1 for the whole kind) and tie rule, QUOTA's limit (a fraction of
     * the kind's entities) */
    GArray *keys;
    int group;
    bool dense;
    wz_dec limit;
} wz_def;

typedef struct wz_param_decl {
    char *name;
    wz_type_kind type;
    const wz_node *node;
    const wz_node *default_expr;   /* literal or NULL (then the facts must give it) */
} wz_param_decl;

typedef struct wz_window_group {
    char *name;
    const wz_node *node;           /* SPLIT */
} wz_window_group;

typedef struct wz_ladder {
    char *name;
    const wz_node *node;           /* LADDER; tiers = its kids, mildest first */
} wz_ladder;

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
} wz_table;

typedef struct wz_policy {
    wz_source *src;
    wz_node *ast;
    char *title, *version;
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
    const wz_node *distribute;     /* DISTRIBUTE or NULL */
    int basis_def;                 /* distribute: the LET def holding the basis */
    int stipend_def;               /* -1 if none */
    GPtrArray *roles;              /* const wz_node* ROLE; a role's `reports_to` is in its label */
    wz_node *role_type;            /* the enum TYPE of fields declared `role` (members: role names), or NULL */
    int holders;                   /* the person fact with a `role` field (who holds which post), or -1 */
    int holders_role_field;        /* … that field */
    GArray *holders_unit_field;    /* per entity kind: the holders fact's field naming an entity of it, or -1 */
    GPtrArray *imported;           /* wz_source* of imported files (their nodes point into them) */
    GPtrArray *tables;             /* wz_table* */
    GPtrArray *kinds;              /* wz_entity_kind*: [0] = person, then `entity` declarations */
    GArray *awards;                /* int: AWARD defs in declaration order */
    GArray *kept;                  /* int: kept defs in declaration order */
    const wz_node *history_use;    /* the first previous()/streak(): the run needs --history; else NULL */
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

#endif
