/* main.c — the `wenze` command: the only part of wenze that prints.
 *
 * Exit codes (README.md lists them): 0 ok, 1 policy error, 2 facts error,
 * 3 usage error, 4 I/O error.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "compile.h"
#include "engine.h"
#include "output.h"
#include "parse.h"

enum { EXIT_OK = 0, EXIT_POLICY = 1, EXIT_FACTS = 2, EXIT_USAGE = 3, EXIT_IO = 4 };

static const char usage_text[] =
    "usage: wenze <command> [options]\n"
    "\n"
    "commands:\n"
    "  check POLICY                      check a policy; print nothing when it is fine\n"
    "  run POLICY --facts DIR --out DIR  evaluate the policy on a facts directory\n"
    "      [--param NAME=VALUE]...       override a param (over params.csv and the default)\n"
    "      [--history DIR]               earlier runs' output directories, one per period\n"
    "                                    (needed by previous() and streak())\n"
    "      [--trace]                     print every VM instruction to stderr\n"
    "      [--timing]                    print the time of each phase to stderr\n"
    "      [--threads N]                 use N threads (default: the number of processors);\n"
    "                                    the outputs are the same for any N\n"
    "  disasm POLICY                     print the compiled bytecode\n"
    "  ast POLICY                        print the syntax tree\n"
    "  version                           print the engine version\n"
    "\n"
    "options: --max-errors N (default 50) limits how many errors are listed\n"
    "exit codes: 0 ok, 1 policy error, 2 facts error, 3 usage error, 4 I/O error\n";

static int exit_code_for(const wz_diags *d) {
    for (guint i = 0; i < d->items->len; i++) {
        const wz_diag *g = g_ptr_array_index(d->items, i);
        if (g->severity != WZ_SEV_ERROR) continue;
        switch (g->kind) {
        case WZ_DIAG_POLICY: return EXIT_POLICY;
        case WZ_DIAG_FACTS: return EXIT_FACTS;
        case WZ_DIAG_USAGE: return EXIT_USAGE;
        case WZ_DIAG_IO: return EXIT_IO;
        }
    }
    return EXIT_POLICY;
}

static void print_diags(const wz_diags *d) {
    for (guint i = 0; i < d->items->len; i++) {
        char *s = wz_diag_render(g_ptr_array_index(d->items, i));
        fprintf(stderr, "%s\n", s);
        g_free(s);
    }
    if (d->dropped)
        fprintf(stderr, "wenze: %u more error%s not shown (raise --max-errors to see them)\n", d->dropped,
                d->dropped == 1 ? "" : "s");
}

static void report_run_failed(const wz_diags *d, const char *out_dir) {
    guint n = d->errors + d->dropped;
    fprintf(stderr, "wenze: run failed with %u error%s; no output was written to %s\n", n, n == 1 ? "" : "s", out_dir);
}

static int finish(wz_diags *d, int code) {
    print_diags(d);
    if (code == EXIT_OK && wz_diags_has_errors(d)) code = exit_code_for(d);
    wz_diags_free(d);
    return code;
}

static int usage_error(const char *fmt, const char *arg) {
    fprintf(stderr, "wenze: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", usage_text);
    return EXIT_USAGE;
}

int main(int argc, char **argv) {
    setlocale(LC_ALL, "C.UTF-8");
    if (argc < 2) return usage_error("%s", "missing command");
    const char *cmd = argv[1];
    bool is_help = !strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help");
    bool is_version = !strcmp(cmd, "version") || !strcmp(cmd, "--version");
    if ((is_help || is_version) && argc > 2) return usage_error("unexpected argument '%s'", argv[2]);
    if (is_help) {
        fputs(usage_text, stdout);
        return EXIT_OK;
    }
    if (is_version) {
        printf("wenze %s\n", WZ_VERSION);
        return EXIT_OK;
    }
    const char *policy_path = NULL, *facts_dir = NULL, *out_dir = NULL, *history_dir = NULL;
    GPtrArray *overrides = g_ptr_array_new();
    bool trace = false, timing = false;
    guint max_errors = 50;
    int threads = (int)g_get_num_processors();
    bool threads_given = false;
    if (threads > 64) threads = 64;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--facts") || !strcmp(a, "--out") || !strcmp(a, "--param") || !strcmp(a, "--max-errors") ||
            !strcmp(a, "--threads") || !strcmp(a, "--history")) {
            if (!val) { g_ptr_array_free(overrides, TRUE); return usage_error("%s needs a value", a); }
            i++;
            if (!*val && strcmp(a, "--param")) { g_ptr_array_free(overrides, TRUE); return usage_error("%s needs a non-empty value", a); }
            if (!strcmp(a, "--facts")) facts_dir = val;
            else if (!strcmp(a, "--out")) out_dir = val;
            else if (!strcmp(a, "--history")) history_dir = val;
            else if (!strcmp(a, "--param")) g_ptr_array_add(overrides, (gpointer)val);
            else if (!strcmp(a, "--threads")) {
                char *end = NULL;
                guint64 n = g_ascii_strtoull(val, &end, 10);
                if (!*val || *end || n == 0 || n > 64) { g_ptr_array_free(overrides, TRUE); return usage_error("--threads needs a number from 1 to 64, found '%s'", val); }
                threads = (int)n;
                threads_given = true;
            } else {
                char *end = NULL;
                guint64 n = g_ascii_strtoull(val, &end, 10);
                if (!*val || *end || n == 0 || n > 100000) { g_ptr_array_free(overrides, TRUE); return usage_error("--max-errors needs a number from 1 to 100000, found '%s'", val); }
                max_errors = (guint)n;
            }
        } else if (!strcmp(a, "--trace")) {
            trace = true;
        } else if (!strcmp(a, "--timing")) {
            timing = true;
        } else if (a[0] == '-' && a[1]) {
            g_ptr_array_free(overrides, TRUE);
            return usage_error("unknown option '%s'", a);
        } else if (!policy_path) {
            policy_path = a;
        } else {
            g_ptr_array_free(overrides, TRUE);
            return usage_error("unexpected argument '%s'", a);
        }
    }
    bool is_run = !strcmp(cmd, "run");
    if (strcmp(cmd, "check") && !is_run && strcmp(cmd, "disasm") && strcmp(cmd, "ast")) {
        g_ptr_array_free(overrides, TRUE);
        return usage_error("unknown command '%s'", cmd);
    }
    if (!policy_path) { g_ptr_array_free(overrides, TRUE); return usage_error("%s needs a POLICY file", cmd); }
    if (is_run && (!facts_dir || !out_dir)) { g_ptr_array_free(overrides, TRUE); return usage_error("%s needs --facts DIR and --out DIR", cmd); }
    if (!is_run && (facts_dir || out_dir || history_dir || overrides->len || trace || timing || threads_given)) { g_ptr_array_free(overrides, TRUE); return usage_error("%s takes only a POLICY file", cmd); }

    wz_diags *diags = wz_diags_new(max_errors);
    int code = EXIT_OK;
    if (!strcmp(cmd, "ast")) {
        char *text = NULL;
        gsize len = 0;
        GError *err = NULL;
        if (!g_file_get_contents(policy_path, &text, &len, &err)) {
            wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, policy_path, "cannot read the policy: %s", err->message);
            g_error_free(err);
        } else {
            wz_source *src = wz_source_new(policy_path, text, len);
            wz_node *ast = wz_parse(src, diags);
            if (ast) {
                GString *out = g_string_new(NULL);
                wz_ast_print(out, ast, 0);
                fputs(out->str, stdout);
                g_string_free(out, TRUE);
                wz_node_free(ast);
            }
            wz_diags_adopt_source(diags, src);
            g_free(text);
        }
        g_ptr_array_free(overrides, TRUE);
        return finish(diags, code);
    }
    wz_policy *policy = wz_policy_load(policy_path, diags);
    if (!policy) {
        g_ptr_array_free(overrides, TRUE);
        print_diags(diags);
        code = exit_code_for(diags);
        if (is_run) report_run_failed(diags, out_dir);
        wz_diags_free(diags);
        return code;
    }
    if (!strcmp(cmd, "disasm")) {
        wz_program *prog = wz_compile(policy);
        GString *out = g_string_new(NULL);
        wz_program_disasm(prog, out);
        fputs(out->str, stdout);
        g_string_free(out, TRUE);
        wz_program_free(prog);
    } else if (is_run) {
        GString *trace_out = trace ? g_string_new(NULL) : NULL;
        wz_engine_options opts = {.overrides = overrides, .trace = trace_out, .threads = threads, .history_dir = history_dir};
        wz_result *r = wz_engine_run_opts(policy, facts_dir, &opts, diags);
        if (trace_out) {
            fputs(trace_out->str, stderr);
            g_string_free(trace_out, TRUE);
        }
        int64_t out_start = g_get_monotonic_time();
        if (r && wz_output_write(r, out_dir, diags)) {
            if (timing)
                fprintf(stderr, "wenze: timing (ms): facts %.1f, evaluation %.1f, pay %.1f, outputs %.1f; %d thread%s\n",
                        r->us_facts / 1e3, r->us_vm / 1e3, r->us_pay / 1e3, (g_get_monotonic_time() - out_start) / 1e3,
                        threads, threads == 1 ? "" : "s");
            wz_result_counts n = wz_result_count(r);
            GString *who = g_string_new(NULL);   /* "40 persons" or "2 schools, 13 teachers" */
            for (guint k = 0; k < r->runs->len; k++) {
                const wz_kind_run *run = g_ptr_array_index(r->runs, k);
                const wz_entity_kind *ek = g_ptr_array_index(policy->kinds, k);
                if (k == 0 && run->facts->npersons == 0 && r->runs->len > 1) continue;
                g_string_append_printf(who, "%s%u %s%s", who->len ? ", " : "", run->facts->npersons, ek->name,
                                       run->facts->npersons == 1 ? "" : "s");
            }
            printf("wenze: %s, %" G_GUINT64_FORMAT " fact rows read (%" G_GUINT64_FORMAT
                   " outside the period, ignored), %u findings; wrote %s/\n",
                   who->str, n.rows_read, n.rows_ignored, n.findings, out_dir);
            if (n.conflicts)
                fprintf(stderr, "wenze: warning: %u conflict%s between rules left values undecided; see the \"conflict\" findings in %s/findings.jsonl\n",
                        n.conflicts, n.conflicts == 1 ? "" : "s", out_dir);
            g_string_free(who, TRUE);
            if (r->has_pay) {
                char *res = wz_dec_to_string(r->residue, policy->distribute->places, 30);
                printf("wenze: pool distributed with a rounding residue of %s\n", res);
                g_free(res);
            }
        } else if (!wz_diags_has_errors(diags)) {
            wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, out_dir, "nothing was written");
        }
        wz_result_free(r);
    }
    /* diagnostics may point into the policy's source: print them before freeing it */
    print_diags(diags);
    if (is_run && wz_diags_has_errors(diags)) report_run_failed(diags, out_dir);
    if (wz_diags_has_errors(diags)) code = exit_code_for(diags);
    wz_policy_free(policy);
    g_ptr_array_free(overrides, TRUE);
    wz_diags_free(diags);
    return code;
}
