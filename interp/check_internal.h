/* check_internal.h — what the checker's files share, private to them.
 *
 * check*.c check the annotated tree; resolve.c then lowers what it proved
 * into the resolved structures of check.h that every later stage reads.
 *
 * Who owns what:
 *   check.c        the driver, wz_check(), and the name table: names, defs, entity kinds, roles
 *   check_decl.c   pass 1, declarations: facts and their fields, params, tables, every item
 *   check_expr.c   expressions: types, names, operators, aggregates, calls, decide, quotas, guards
 *   check_defs.c   pass 2, each def on demand: its expressions, blame, the pool's distribution
 *   check_order.c  pass 3, evaluation order and strata, each def's entity kind
 *   policy.c       a policy's new and free; loading one from text or a file
 *   resolve.c      lowering a policy that checked cleanly: wz_policy_resolve()
 * Functions shared between them carry the check_ prefix; the rest are static.
 */
#ifndef WZ_CHECK_INTERNAL_H
#define WZ_CHECK_INTERNAL_H

#include "check.h"
#include "i18n.h"

typedef enum { NAME_PARAM, NAME_DEF, NAME_FACT, NAME_WINDOWS, NAME_LADDER, NAME_PERIOD, NAME_ROLE, NAME_TABLE, NAME_KIND } name_kind;

typedef struct name_entry {
    name_kind kind;
    int index;
    const wz_node *node;
} name_entry;

typedef enum { DEF_UNCHECKED, DEF_CHECKING, DEF_DONE } def_state;

typedef struct checker {
    wz_policy *p;
    wz_diags *diags;
    GHashTable *names;        /* char* → name_entry*: values, params, windows, ladders, roles */
    GHashTable *fact_names;   /* char* → name_entry*: facts live in their own namespace, since they
                                 only appear as FACT.FIELD, count(FACT) and exists(FACT), and a
                                 section may share its fact's name (workload, results) */
    GArray *state;            /* def_state per def */
    /* expression context */
    int cur_def;              /* def collecting dependencies, or -1 in a global context */
    int row_fact;             /* fact of the aggregate row in scope, or -1 */
    const char *window;       /* window group in scope, or NULL */
    GArray *guards;           /* int: facts proven present by exists() */
    bool global;              /* no person in scope (params, period, pool) */
    GHashTable *kind_errors;  /* def + 1 whose mixing of entity kinds was reported (once each) */
    GPtrArray *keep_names;    /* the IDENT after `keep` of each kept def, in p->kept order */
    GArray *row_state;        /* def_state per row value (check_rowvalue.c) */
    int row_value;            /* the row value whose expression is being checked, or -1 */
} checker;

#define ERR(span, ...) wz_diag_at(c->diags, WZ_SEV_ERROR, (span), __VA_ARGS__)

/* The expression context of a def or a row value's user, saved while the def or
 * row value itself is checked in a fresh one: its own scope, not its user's. */
typedef struct check_scope {
    int cur_def, row_fact, row_value;
    const char *window;
    bool global;
    GArray *guards;
} check_scope;
/* Saves the context and enters a fresh one: cur_def, row_fact and row_value as
 * given, no window, a person in scope, nothing proven present. */
check_scope check_scope_enter(checker *c, int cur_def, int row_fact, int row_value);
/* Frees the fresh context's guards and restores the saved one. */
void check_scope_leave(checker *c, check_scope saved);

/* ---- check.c: the name table */
/* The line of a span, for "already defined at line N". */
uint32_t check_line_of(const wz_span *sp);
/* Registers name (facts in their own namespace); false, with an error, if taken. */
bool check_declare(checker *c, const char *name, name_kind kind, int index, const wz_node *node);
name_entry *check_lookup(checker *c, const char *name);
name_entry *check_lookup_fact(checker *c, const char *name);
/* A new def, unchecked; returns its index. */
int check_add_def(checker *c, wz_def_kind kind, const char *name, const wz_node *node);
wz_def *check_def_at(checker *c, int i);
/* The def being checked (c->cur_def) reads def `on`. */
void check_add_dep(checker *c, int on);
const char *check_kind_name(checker *c, int k);
int check_kind_index(checker *c, const char *name);
const wz_role *check_find_role(checker *c, const char *name);
/* "Did you mean": each returns "; did you mean 'X'?" or "" (a new string) for a
 * misspelt name — among the names of the kinds in `kinds` (a bit set of
 * 1 << name_kind; NAME_FACT searches the facts), among the members of an enum
 * type or a ladder's tiers (the kids' names of `members`), or among a fact's fields. */
char *check_hint_name(checker *c, const char *name, unsigned kinds);
char *check_hint_member(const wz_node *members, const char *name);
char *check_hint_field(const wz_fact_schema *s, const char *name);
/* "; did you mean 'leave.days'?" when name is a field of one or more facts
 * (a clerk writes `days` outside the `where` that would make it one), else "". */
char *check_hint_bare_field(checker *c, const char *name);
/* Reports "unknown name 'X'" at n, suggesting a fact's field when X is one
 * (`days` → 'leave.days'), else the closest value's name. */
void check_unknown_name(checker *c, const wz_node *n);

/* ---- check_decl.c: pass 1, declarations */
wz_fact_schema *check_fact_at(checker *c, int f);
int check_field_index(const wz_fact_schema *s, const char *name);
bool check_literal_number(const wz_node *n, wz_dec *out);
const wz_node *check_field_type_node(checker *c, int fact, int field);
/* Declares one top-level item; *total_node_seen says whether `total =` was met. */
void check_declare_item(checker *c, wz_node *n, int *total_node_seen);
/* check_units.c: each `entity K in P` — P a kind, no circle, and a one-per fact of K naming its P. */
void check_units(checker *c);

/* ---- check_expr.c: expressions and their types */
bool check_is_num(wz_type_kind t);
void check_set_type(wz_node *n, wz_type_kind t, const wz_node *ref);
int check_member_index(const wz_node *type_ref, const char *name);
/* "a, b, c": the members of an enum, for a message.  Returns a new string. */
char *check_member_list(const wz_node *type_ref);
/* Types n and reports it unless it is `want` (and never missing). */
void check_expect_type(checker *c, wz_node *n, wz_type_kind want, const char *what);
wz_type_kind check_expr(checker *c, wz_node *n);
wz_type_kind check_field_ref(checker *c, wz_node *n);
void check_collect_guards(checker *c, const wz_node *cond, GArray *out);
/* Types e where no person is in scope (params, the period, the pool). */
void check_global_expr(checker *c, wz_node *e, wz_type_kind want, const char *what);

/* ---- check_defs.c: pass 2, defs */
void check_def(checker *c, int d);
void check_distribute(checker *c, wz_distribute *part);

/* ---- check_rowvalue.c: row values (`let FACT.NAME = …`) and `for each FACT` items */
/* Declares a ROW_LET item (pass 1); its fact is looked up once every fact is declared. */
void check_declare_row_value(checker *c, wz_node *n);
/* Finds each row value's fact and checks the names (after pass 1, before the defs). */
void check_row_values(checker *c);
/* The row value NAME of fact f, or -1. */
int check_find_row_value(checker *c, int f, const char *name);
/* Types a FIELD_REF naming row value rv of fact f (n: name = fact, text = the value). */
wz_type_kind check_row_value_ref(checker *c, wz_node *n, int rv);
/* `for each FACT [where C]` of sanction or award d: the fact, or -1 after an error.  Its
 * where is typed on one row of the fact, and c->row_fact is left at the fact so that the
 * rule's other parts are too; the caller resets it. */
int check_each(checker *c, int d, wz_node *each);

/* ---- check_order.c: pass 3, order */
void check_compute_order(checker *c);
void check_propagate_kinds(checker *c);

/* ---- policy.c: a policy's life */
wz_policy *check_policy_new(wz_node *ast, wz_source *src);

/* Fills the resolved fields of a policy that checked without errors: def
 * spans, words, signs, aggregate functions, limits, enum members and blame;
 * param defaults as values; split spans; ladder tiers with their effects;
 * role duties; the distribute's shares and rounding; the history use.
 * Everything it makes is owned by the policy. */
void wz_policy_resolve(wz_policy *p);

#endif
