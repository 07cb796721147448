/* engine.c — one run from a checked policy and a facts directory to results:
 * params, each entity kind's facts and VM, responsibility, grades, pay.  The
 * steps live in engine_params.c, engine_history.c, engine_blame.c and
 * engine_pay.c (engine_internal.h). */
#include "engine.h"
#include "engine_internal.h"
#include "i18n.h"

#include "history.h"

#include <string.h>

static void kind_run_free(gpointer p) {
    wz_kind_run *run = p;
    wz_vm_free(run->vm);
    wz_facts_free(run->facts);
    g_free(run);
}

bool wz_result_pay_finding(const wz_result *r, uint32_t i) {
    for (guint k = 0; r->has_pay && k < r->nparts; k++)   /* a fixed share in some part */
        if (!r->parts[k].basis_prorata[r->parts[k].pay[i].basis]) return true;
    return false;
}

bool wz_result_find_entity(const wz_result *r, const char *id, guint *kind, uint32_t *e) {
    for (guint k = 0; k < r->runs->len; k++) {
        const wz_kind_run *run = g_ptr_array_index(r->runs, k);
        for (uint32_t i = 0; i < run->facts->npersons; i++)
            if (!strcmp(wz_facts_person_id(run->facts, i), id)) {
                *kind = k;
                *e = i;
                return true;
            }
    }
    return false;
}

wz_result_counts wz_result_count(const wz_result *r) {
    wz_result_counts c = {0};
    for (uint32_t i = 0; r->has_pay && i < r->facts->npersons; i++) c.findings += wz_result_pay_finding(r, i);
    for (guint k = 0; k < r->runs->len; k++) {
        const wz_kind_run *run = g_ptr_array_index(r->runs, k);
        for (guint t = 0; t < run->facts->tables->len; t++) {   /* another kind's tables are empty here */
            const wz_fact_table *ft = g_ptr_array_index(run->facts->tables, t);
            c.rows_read += ft->rows_read;
            c.rows_ignored += ft->rows_ignored;
        }
        c.findings += run->vm->findings->len;
        for (guint i = 0; i < run->vm->findings->len; i++) {
            const wz_finding *f = g_ptr_array_index(run->vm->findings, i);
            wz_def_kind dk = ((const wz_def *)g_ptr_array_index(r->policy->defs, f->def))->kind;
            c.conflicts += f->decide >= 0;
            c.sanctions += dk == WZ_DEF_SANCTION && f->decide < 0;
            c.awards += dk == WZ_DEF_AWARD && f->decide < 0;
        }
    }
    return c;
}

wz_result *wz_engine_run(const wz_policy *policy, const char *facts_dir, GPtrArray *overrides, GString *trace,
                         wz_diags *diags) {
    wz_engine_options opts = {.overrides = overrides, .trace = trace, .threads = 1};
    return wz_engine_run_opts(policy, facts_dir, &opts, diags);
}

/* The rows read so far, for the progress callback. */
typedef struct progress_state {
    const wz_engine_options *opts;
    guint64 rows;
} progress_state;

static void file_read(void *data, const char *file, uint32_t rows) {
    progress_state *ps = data;
    ps->rows += rows;
    ps->opts->progress(ps->opts->progress_data, &(wz_progress){.phase = N_("reading"), .file = file, .rows = ps->rows});
}

wz_result *wz_engine_run_opts(const wz_policy *policy, const char *facts_dir, const wz_engine_options *opts,
                              wz_diags *diags) {
    GPtrArray *overrides = opts->overrides;
    GString *trace = opts->trace;
    int threads = opts->threads > 1 ? opts->threads : 1;
    wz_result *r = g_new0(wz_result, 1);
    r->policy = policy;
    if (policy->module) {
        wz_diag_at(diags, WZ_SEV_ERROR, wz_span_of(policy->src, 0, 0),
                   "this file is a module (no 'policy' header): it can be checked and imported, not run; "
                   "expecting 'policy \"NAME\" version \"V\";' to run it");
        goto fail;
    }
    if (!g_file_test(facts_dir, G_FILE_TEST_IS_DIR)) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, facts_dir,
                      g_file_test(facts_dir, G_FILE_TEST_EXISTS) ? "the facts path is not a directory"
                                                                : "the facts directory does not exist");
        goto fail;
    }
    if (!wz_engine_resolve_params(r, facts_dir, overrides, diags) || !wz_engine_check_limit_params(r, diags)) goto fail;
    if (policy->history_fn && !opts->history_dir) {
        uint32_t line = 0, col = 0;
        const wz_span *sp = &policy->history_span;
        wz_source_position(sp->src, sp->start, &line, &col);
        wz_diag_plain(diags, WZ_DIAG_USAGE, WZ_SEV_ERROR, NULL,
                      "the policy reads earlier periods (%s(…) at %s:%u:%u) but no --history DIR was given; "
                      "pass the directory holding earlier runs' outputs, one subdirectory per period",
                      policy->history_fn, sp->src->name, line, col);
        goto fail;
    }
    if (opts->history_dir && !(r->history = wz_history_load(opts->history_dir, diags))) goto fail;
    r->prog = wz_compile(policy);
    r->runs = g_ptr_array_new_with_free_func(kind_run_free);
    /* Each entity kind is loaded and computed on its own: its facts hold
     * only its rows, and its defs read nothing of another kind (the checker
     * proved it).  Persons first; their run is r->vm and r->facts. */
    int64_t us_facts = 0, us_vm = 0;
    guint64 rows_before = 0;
    for (guint k = 0; k < policy->kinds->len; k++) {
        wz_kind_run *run = g_new0(wz_kind_run, 1);
        run->kind = (int)k;
        g_ptr_array_add(r->runs, run);
        run->vm = wz_vm_new(r->prog, r->params);
        run->vm->kind = (int)k;
        run->vm->trace = trace != NULL;
        run->vm->trace_out = trace;
        run->vm->threads = threads;
        if (!wz_vm_eval_period(run->vm, diags)) goto fail;
        wz_period_filter period = {run->vm->has_period, run->vm->period_start, run->vm->period_end};
        int64_t t0 = g_get_monotonic_time();
        progress_state ps = {opts, rows_before};
        wz_facts_options fo = {.threads = threads, .encoding = opts->encoding, .sheet = opts->sheet, .strict = opts->strict,
                               .file_read = opts->progress ? file_read : NULL, .file_read_data = &ps};
        run->facts = wz_facts_load_opts(policy->facts, facts_dir, period, (int)k, &fo, diags);
        if (!run->facts) goto fail;
        rows_before = ps.rows;
        if (opts->progress) opts->progress(opts->progress_data, &(wz_progress){.phase = N_("evaluating"), .rows = ps.rows, .entities = run->facts->npersons});
        int64_t t1 = g_get_monotonic_time();
        if (r->history && !wz_engine_give_history(r, run, diags)) goto fail;
        if (!wz_vm_run(run->vm, run->facts, diags)) goto fail;
        us_facts += t1 - t0;
        us_vm += g_get_monotonic_time() - t1;
    }
    r->vm = ((wz_kind_run *)g_ptr_array_index(r->runs, 0))->vm;
    r->facts = ((wz_kind_run *)g_ptr_array_index(r->runs, 0))->facts;
    if (!wz_engine_attribute(r, diags)) goto fail;
    wz_engine_apply_grades(r);
    int64_t t2 = g_get_monotonic_time();
    if (policy->distribute && opts->progress) opts->progress(opts->progress_data, &(wz_progress){.phase = N_("distributing"), .rows = rows_before});
    if (policy->distribute && !wz_engine_distribute(r, diags)) goto fail;
    r->us_facts = us_facts;
    r->us_vm = us_vm;
    r->us_pay = g_get_monotonic_time() - t2;
    return r;
fail:
    wz_result_free(r);
    return NULL;
}

void wz_result_release_rows(wz_result *r) {
    for (guint k = 0; r->runs && k < r->runs->len; k++) {
        wz_kind_run *run = g_ptr_array_index(r->runs, k);
        if (run->facts) wz_facts_release_rows(run->facts);
    }
}

void wz_result_free(wz_result *r) {
    if (!r) return;
    if (r->runs) g_ptr_array_free(r->runs, TRUE);   /* the runs own r->vm and r->facts */
    wz_history_free(r->history);
    for (guint i = 0; r->blame && i < r->blame->len; i++)
        if (g_array_index(r->blame, wz_blame_line, i).rows) g_array_free(g_array_index(r->blame, wz_blame_line, i).rows, TRUE);
    if (r->blame) g_array_free(r->blame, TRUE);
    wz_program_free(r->prog);
    g_free(r->params);
    if (r->param_sources)
        for (guint i = 0; i < r->policy->params->len; i++) g_free(r->param_sources[i]);
    g_free(r->param_sources);
    g_free(r->grade);
    g_free(r->pay);
    for (guint k = 0; k < r->nparts; k++) {   /* r's arithmetic fields are parts[0]'s */
        wz_pay_part *pp = &r->parts[k];
        g_free(pp->pay);
        g_free(pp->basis_weight);
        g_free(pp->group_units);
        g_free(pp->group_by);
        g_free(pp->basis_prorata);
    }
    g_free(r->parts);
    if (r->texts) g_ptr_array_free(r->texts, TRUE);
    g_free(r);
}


bool wz_engine_period(const wz_policy *policy, const char *facts_dir, GPtrArray *overrides, bool *has, int32_t *start,
                      int32_t *end, wz_diags *diags) {
    wz_result *r = g_new0(wz_result, 1);
    r->policy = policy;
    bool ok = !policy->module && g_file_test(facts_dir, G_FILE_TEST_IS_DIR) &&
              wz_engine_resolve_params(r, facts_dir, overrides, diags);
    if (ok) {
        r->prog = wz_compile(policy);
        wz_vm *vm = wz_vm_new(r->prog, r->params);
        ok = wz_vm_eval_period(vm, diags);
        *has = vm->has_period;
        *start = vm->period_start;
        *end = vm->period_end;
        wz_vm_free(vm);
    }
    wz_result_free(r);
    return ok;
}
