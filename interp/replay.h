/* replay.h — what the ledger records of policies and runs, and running its
 * entries again (`wenze run --ledger`, `wenze ledger …`, `wenze replay`).
 *
 * Policy versions.  `ledger add-policy` appends a "policy" entry: the
 * policy's name and version, its texts (the file and each file it imports)
 * and its effective range FROM..TO, TO open (null) or a date.  The rule for
 * ranges, never an edit of a row: two versions of one policy may not overlap,
 * except that an open-ended range ends the day before the next version that
 * starts after it.  So an amendment is a new version registered with a later
 * FROM; a version starting on or before an open-ended one's FROM, or inside
 * a closed range, is refused.
 *
 * Earlier periods.  A run with --ledger and no --history that reads earlier
 * periods (previous(), streak()) gets, for each distinct period that ended
 * before its own starts, the kept.csv of the latest run entry of the same
 * policy name (by name, any version) for that period, leaving out entries an
 * appeal superseded; each becomes a period named "START.ENTRY".  Only
 * entries before the run count, so a replay sees the same periods.
 *
 * Ownership: every returned string, array and directory path is new; the
 * caller frees it (and removes a temporary directory with wz_rm_rf).
 */
#ifndef WZ_REPLAY_H
#define WZ_REPLAY_H

#include "engine.h"
#include "ledger.h"

/* The 公示 (publicity) window of the seed policy: a decision published on
 * day D may be finalized from day D + 3 on. */
enum { WZ_PUBLICITY_DAYS = 3 };

/* Registers policy p (loaded from file) as a version in force from..to (to
 * < 0: open-ended).  Returns the entry id, or 0 after reporting overlaps. */
gint64 wz_ledger_register_policy(wz_ledger *l, const wz_policy *p, int32_t from, int32_t to, wz_diags *diags);

/* The "policy" entry of the version in force on date (of the one policy
 * the ledger registers, or of name when not NULL); NULL after reporting. */
const wz_ledger_entry *wz_ledger_policy_on(const GPtrArray *entries, int32_t date, const char *name, wz_diags *diags);

/* Writes the policy texts an entry's "policy" object names into a new
 * temporary directory (*tmpdir), laid out as the originals were relative to
 * one another; returns the main file's path, or NULL after reporting. */
char *wz_ledger_materialize_policy(wz_ledger *l, const wz_jv *policy, char **tmpdir, wz_diags *diags);

/* Earlier periods for a run of policy `name` whose period starts on start,
 * from the entries before before_id (0: all): a new temporary directory of
 * kept.csv files, one subdirectory per period, and their entry ids appended
 * to used; NULL when there is no earlier period (the directory is then still
 * made, empty) only after reporting an error. */
char *wz_ledger_history_dir(wz_ledger *l, const GPtrArray *entries, const char *name, int32_t start, gint64 before_id,
                            GArray *used, wz_diags *diags);

/* Whether entry id was superseded by an appeal among entries before before_id (0: any). */
bool wz_ledger_superseded(const GPtrArray *entries, gint64 id, gint64 before_id);

/* What a run hands the ledger. */
typedef struct wz_ledger_run {
    const wz_result *r;
    GHashTable *files;         /* the outputs, rendered (name → GString*) */
    const char *facts_dir;
    bool store_facts;          /* store the facts' bytes, not only their SHA-256 */
    gint64 version_entry;      /* the "policy" entry run (--date), or 0 */
    const char *date;          /* the decision's date (--date), or NULL */
    gint64 supersedes;         /* an appeal: the entry it corrects, or 0 */
    const char *reason;
    const GArray *history_entries;   /* gint64 ids whose kept.csv the run read, or NULL */
    const char *history_dir;   /* --history DIR, or NULL */
    const GPtrArray *overrides;   /* the --param NAME=VALUE strings the run was given (a replay gives them again) */
} wz_ledger_run;

/* Appends a "run" entry with everything the run read and wrote.  Returns
 * its id, or 0 after reporting. */
gint64 wz_ledger_record_run(wz_ledger *l, const wz_ledger_run *run, wz_diags *diags);

/* Appends a "publish" or "finalize" entry for entry `of` on date `on`;
 * finalize is refused (WZ_DIAG_POLICY: exit 1) before the publicity window has
 * passed since its publication, or without one. */
gint64 wz_ledger_publish(wz_ledger *l, const GPtrArray *entries, const char *kind, gint64 of, int32_t on, wz_diags *diags);

typedef enum {
    WZ_REPLAY_IDENTICAL,
    WZ_REPLAY_DIFFERS,         /* outputs differ: problems name the files (and persons) */
    WZ_REPLAY_FACTS_CHANGED,   /* a facts file no longer has its recorded SHA-256 */
    WZ_REPLAY_POLICY_ALTERED,  /* a stored policy text no longer has its SHA-256 */
    WZ_REPLAY_FAILED,          /* the run failed: diags say why */
} wz_replay_status;

/* Runs run entry e again with its recorded policy texts, params and facts
 * (stored, or read from the recorded directory, under facts_root when not
 * NULL) and compares every output byte for byte.  Problems (char*, in the
 * chosen language) say what differs: the files (and persons) for DIFFERS, the
 * facts files for FACTS_CHANGED, the policy files for POLICY_ALTERED — the
 * status itself is the caller's to word. */
wz_replay_status wz_ledger_replay(wz_ledger *l, const GPtrArray *entries, const wz_ledger_entry *e, const char *facts_root,
                                  const char *facts_override, int threads, GPtrArray *problems, wz_diags *diags);

/* Runs a policy version entry (or run entry's policy) on facts_dir: the
 * appeal's re-run.  On success *files and *result are the new run's. */
wz_result *wz_ledger_run_policy_of(wz_ledger *l, const wz_ledger_entry *e, const char *facts_dir, GPtrArray *overrides,
                                   const char *history_dir, int threads, wz_policy **policy, char **tmpdir, wz_diags *diags);

/* The earlier periods run entry e read: *dir its --history DIR, or a new
 * temporary directory (*tmpdir) of the ledger entries' kept.csv; both NULL
 * when it read none.  False after reporting. */
bool wz_ledger_history_of(wz_ledger *l, const GPtrArray *entries, const wz_ledger_entry *e, const char **dir, char **tmpdir,
                          wz_diags *diags);
/* The --param strings run entry e recorded (borrowed from it), as a new array. */
GPtrArray *wz_ledger_overrides_of(const wz_ledger_entry *e);

/* Removes a directory tree (a temporary directory). */
void wz_rm_rf(const char *dir);

#endif
