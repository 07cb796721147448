/* engine_internal.h — the steps of wz_engine_run_opts(), one file each,
 * private to the engine: engine_params.c, engine_history.c, engine_blame.c,
 * engine_pay.c.  Each reads the resolved policy and fills the result; none
 * prints, problems go to diags. */
#ifndef WZ_ENGINE_INTERNAL_H
#define WZ_ENGINE_INTERNAL_H

#include "engine.h"

/* engine_params.c: r->params and r->param_sources from the defaults,
 * DIR/params.csv and the --param overrides (in that order of precedence). */
bool wz_engine_resolve_params(wz_result *r, const char *dir, GPtrArray *overrides, wz_diags *diags);
/* engine_params.c: every limit param lies from 0 to 1. */
bool wz_engine_check_limit_params(const wz_result *r, wz_diags *diags);

/* engine_history.c: run's vm gets the earlier periods' values of the kept
 * defs of its kind that previous() or streak() reads. */
bool wz_engine_give_history(wz_result *r, wz_kind_run *run, wz_diags *diags);

/* engine_blame.c: r->blame, a line per responsible person of every finding
 * whose rule names who answers for it. */
bool wz_engine_attribute(wz_result *r, wz_diags *diags);

/* engine_pay.c: r->grade after the sanctions' grade caps; r->pay and the
 * pool figures when the policy distributes a pool. */
void wz_engine_apply_grades(wz_result *r);
bool wz_engine_distribute(wz_result *r, wz_diags *diags);

#endif
