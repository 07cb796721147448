/* engine.h — one complete evaluation: params, facts, VM, pay distribution.
 *
 * wz_engine_run() is what `wenze run` does before writing outputs: resolve
 * every param (--param over params.csv over the policy's default), evaluate
 * the period, import the facts, run the VM, apply grade effects of sanctions
 * and distribute the pool exactly.  It never prints; problems go to diags.
 *
 * Ownership: the result borrows the policy (which must outlive it) and owns
 * everything else; free with wz_result_free().
 */
#ifndef WZ_ENGINE_H
#define WZ_ENGINE_H

#include "check.h"
#include "compile.h"
#include "facts.h"
#include "vm.h"

typedef struct wz_pay_row {
    int basis;             /* member index of the basis classify */
    wz_dec reward, stipend, amount;
} wz_pay_row;

/* One part of the pay (policy->parts[k]) as it was shared: per person its
 * reward, stipend and amount, and the part's arithmetic (for explain): units
 * shared (Σ each person's basis weight), the exact value of one unit, and per
 * basis member its weight and, for a pro-rata share, its group's units and Σ
 * of the `by` values.  pool − Σ amount = residue, exactly, per part. */
typedef struct wz_pay_part {
    const wz_distribute *dist;
    wz_pay_row *pay;           /* per person */
    wz_dec pool, stipends, distributed, residue;
    wz_dec units, unit;
    wz_dec *basis_weight, *group_units, *group_by;
    bool *basis_prorata;
} wz_pay_part;

/* The evaluation of one entity kind: its facts and the VM that ran its defs. */
typedef struct wz_kind_run {
    int kind;                  /* index into policy->kinds */
    wz_facts *facts;
    wz_vm *vm;
} wz_kind_run;

/* One responsible person for a finding whose rule names who answers for it
 * (`duty ROLE.N`, `responsible first R, direct R`). */
typedef struct wz_blame_line {
    guint run;                 /* the finding: runs[run]->vm->findings[finding] */
    guint finding;
    uint32_t person;           /* index among the persons (runs[0]) */
    int role;                  /* index into policy->roles; -1 for a person the unit's row names */
    const char *role_name;     /* the role's name, or the person field's (borrowed from the policy) */
    int as;                    /* WZ_RESP_FIRST, WZ_RESP_DIRECT or WZ_RESP_PLAIN */
    /* The measure this person gets.  A unit's finding (a school's, a goal's)
     * gives its measure to each responsible person whole ("同奖同罚"); a
     * person's own finding gives it to that person only, and anyone else who
     * answers for it gets the measure the rule gives their role (`tier T`, a
     * share) or none: a leader never silently takes the offender's measure. */
    bool measured;             /* false: answerable, with no measure of their own */
    int tier;                  /* a sanction: the tier this person gets (-1 when !measured) */
    wz_dec amount;             /* an award: this person's part of it (0 when !measured) */
    /* an award's `first 校长 = EXPR`: amount is this person's own, EXPR for them
     * (own_def, of policy->defs), and rows the fact rows it read (wz_row_ref:
     * their own rows, cited beside the finding's; owned); else -1 and NULL */
    int own_def;
    GArray *rows;
    bool has_share;            /* the rule gave shares: this person's part of the responsibility */
    wz_dec share;
} wz_blame_line;

typedef struct wz_result {
    const wz_policy *policy;
    wz_program *prog;
    wz_vm *vm;                 /* the persons' run (= runs[0]) */
    wz_facts *facts;
    GPtrArray *runs;           /* wz_kind_run*, one per entity kind, in policy->kinds order (owned) */
    wz_value *params;          /* resolved param values */
    char **param_sources;      /* per param: "default", "params.csv:ROW" or "--param" */
    int *grade;                /* per person: grade label index or -1 */
    bool has_pay;
    wz_pay_part *parts;        /* per part of the pay (policy->parts), owned */
    guint nparts;
    /* the sums over the parts: per person (basis: the first part's) and the pool's
     * figures; with one part they are that part's */
    wz_pay_row *pay;           /* per person */
    wz_dec pool, stipends, distributed, residue;
    /* the first part's arithmetic (borrowed from parts[0]), as explain read it before parts */
    wz_dec units, unit;
    wz_dec *basis_weight, *group_units, *group_by;
    bool *basis_prorata;
    GPtrArray *texts;          /* char*: text param values, which text values point at */
    struct wz_history *history;   /* earlier periods (--history), or NULL (owned) */
    char params_sha256[65];    /* SHA-256 of the facts directory's params.csv; "" when it has none */
    GPtrArray *command;        /* char*: the command line as given, for summary.json; NULL: recorded as [] (borrowed) */
    bool has_blame;            /* some rule names who answers for it: outputs gain role columns */
    GArray *blame;             /* wz_blame_line, by finding (run, then finding order), then as the rule lists them */
    /* wall-clock microseconds spent per phase (for --timing; never in outputs) */
    int64_t us_facts, us_vm, us_pay;
} wz_result;

/* Where a run is: after each fact file is read, and as each phase begins. */
typedef struct wz_progress {
    const char *phase;        /* "reading", "evaluating", "distributing" */
    const char *file;         /* reading: the file just read, else NULL */
    guint64 rows;             /* rows read so far (all kinds) */
    guint entities;           /* evaluating: how many are evaluated */
} wz_progress;

typedef struct wz_engine_options {
    GPtrArray *overrides;   /* "name=value" strings from --param, or NULL */
    GString *trace;         /* when not NULL, every VM instruction executed is appended (one thread) */
    int threads;            /* threads for loading facts and evaluating (0 or 1 = one); outputs do not depend on it */
    const char *history_dir; /* earlier runs' output directories, one per period (previous(), streak()); or NULL */
    /* progress of a long run, for a line on a terminal; NULL for none.  Called between
     * files and phases only, never inside the loops over rows or persons. */
    void (*progress)(void *data, const wz_progress *p);
    void *progress_data;
    wz_encoding encoding;    /* how CSV facts are decoded (WZ_ENC_AUTO: UTF-8 or GB18030, per file) */
    const char *sheet;       /* which sheet of an .xlsx fact file to read; NULL = the first */
    bool strict;             /* a fact file's column that no field reads is an error (else ignored) */
} wz_engine_options;

wz_result *wz_engine_run_opts(const wz_policy *policy, const char *facts_dir, const wz_engine_options *opts,
                              wz_diags *diags);
/* The period a run would assess (the params resolved as a run does), without
 * running: *has false when the policy declares none.  For the ledger, which
 * hands a run the earlier periods before it starts. */
bool wz_engine_period(const wz_policy *policy, const char *facts_dir, GPtrArray *overrides, bool *has, int32_t *start,
                      int32_t *end, wz_diags *diags);
/* The same with one thread. */
wz_result *wz_engine_run(const wz_policy *policy, const char *facts_dir, GPtrArray *overrides, GString *trace,
                         wz_diags *diags);
void wz_result_free(wz_result *r);
/* Lets go of the fact rows of every entity kind (wz_facts_release_rows), the
 * bulk of a big run's memory, once nothing will evaluate again: the result
 * then serves its outputs (wz_output_render) and counts, but not explain, a
 * report, a probe or wz_vm_eval_own. */
void wz_result_release_rows(wz_result *r);

/* What a run read and found, over every entity kind: for summary.json and the CLI's line. */
typedef struct wz_result_counts {
    uint64_t rows_read, rows_ignored;
    guint findings, sanctions, awards, conflicts;
} wz_result_counts;
wz_result_counts wz_result_count(const wz_result *r);

/* What each person is paid by award d (money: a fine negative), as awards.csv
 * gives it — a leader's own amount and a unit's award they answer for
 * included; 0 for a person it does not pay.  A new array, one per person. */
wz_dec *wz_award_paid(const wz_result *r, int d);
/* Whether person i's pay is a fixed share (an average, an exclusion): it gets a
 * finding of its own ("pay"), so no one is paid 0 without a line saying why. */
bool wz_result_pay_finding(const wz_result *r, uint32_t i);

/* The person or entity whose key is id: its run (*kind) and index (*e), persons
 * first; false when no run has it. */
bool wz_result_find_entity(const wz_result *r, const char *id, guint *kind, uint32_t *e);

/* Parses a param value written as text (params.csv or --param) by its type. */
bool wz_param_parse(wz_type_kind type, const char *text, wz_value *out);

#endif
