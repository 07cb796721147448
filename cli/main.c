/* main.c — the `wenze` command: the only part of wenze that prints.
 *
 * One function per command (cmd_check, cmd_run, …), one table of commands at the
 * bottom that main() dispatches on and that print_usage() writes the usage text from.
 * The options are read once, by read_options(), into a cli_args for every command.
 *
 * Exit codes (README.md lists them): 0 ok, 1 policy error (or, with check --werror,
 * a warning), 2 facts error, 3 usage error, 4 I/O error.
 */
#include <inttypes.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "date.h"
#include "compile.h"
#include "engine.h"
#include "audit.h"
#include "diff.h"
#include "explain.h"
#include "policytest.h"
#include "replay.h"
#include "fmt.h"
#include "i18n.h"
#include "lang.h"
#include "lint.h"
#include "output.h"
#include "parse.h"
#include "readfile.h"
#include "report.h"

enum { EXIT_OK = 0, EXIT_POLICY = 1, EXIT_FACTS = 2, EXIT_USAGE = 3, EXIT_IO = 4 };

/* What the command line says after the command name. The strings point into argv. */
typedef struct cli_args {
    const char *policy_path, *facts_dir, *out_dir, *history_dir;
    const char *ledger, *date;   /* run: --ledger FILE, --date D (the policy version in force on D) */
    bool store_facts;            /* run --ledger: store the facts' bytes too */
    const char *report;     /* run: --report FILE.html */
    const char *person, *format, *lang, *why_not;   /* explain: --person ID, --format text|json, --lang en|zh, --why-not RULE */
    const char *sheet;      /* --sheet NAME: the sheet of .xlsx facts */
    wz_encoding encoding;   /* --encoding utf-8|gb18030 of CSV facts (default: detected per file) */
    bool encoding_given, strict;   /* --strict: a facts column no field reads is an error */
    GPtrArray *overrides;   /* the --param NAME=VALUE strings, in order; owned (the array only) */
    guint max_errors;
    guint threads;          /* the number of processors (at most 64) unless --threads is given */
    bool threads_given, trace, timing;
    bool werror;            /* check: a warning fails the check (exit 1) */
    const char *labels;     /* run: --labels zh|en — the layout itself is read from the command line (output_layout.c) */
    bool excel, xlsx;       /* run: --excel, --xlsx */
    bool quiet;             /* run: --quiet, no progress line on a terminal */
    char **words;           /* the words after the command, for one that reads them itself (fmt) */
    int nwords;
    char **argv;            /* the whole command line, as given (summary.json records it) */
    int argc;
} cli_args;

static void print_usage(FILE *to);   /* from the command table, at the bottom */

/* ---- messages and exit codes ---- */

static int usage_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static int usage_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("wenze: ", stderr);
    vfprintf(stderr, _(fmt), ap);
    va_end(ap);
    fputc('\n', stderr);
    print_usage(stderr);
    return EXIT_USAGE;
}

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
        fprintf(stderr, ngettext("wenze: %u more error not shown (raise --max-errors to see them)\n",
                                 "wenze: %u more errors not shown (raise --max-errors to see them)\n", d->dropped),
                d->dropped);
}

/* Prints the diagnostics and returns the exit code: an error's, or EXIT_OK when there is
 * none and the command did not otherwise fail (FAILED). A failed run (RUN_OUT_DIR not
 * NULL) ends with the line saying nothing was written. Call it before freeing the
 * policy: the diagnostics may point into its source. */
static int report(const wz_diags *d, bool failed, const char *run_out_dir) {
    print_diags(d);
    if (!failed && !wz_diags_has_errors(d)) return EXIT_OK;
    if (run_out_dir) {
        guint n = d->errors + d->dropped;
        fprintf(stderr, ngettext("wenze: run failed with %u error; no output was written to %s\n",
                                 "wenze: run failed with %u errors; no output was written to %s\n", n),
                n, run_out_dir);
    }
    return exit_code_for(d);
}

/* ---- options, shared by every command that reads a policy ---- */

static void cli_args_init(cli_args *a) {
    *a = (cli_args){.overrides = g_ptr_array_new(), .max_errors = 50, .threads = MIN(g_get_num_processors(), 64)};
}

static void cli_args_clear(cli_args *a) {
    g_ptr_array_free(a->overrides, TRUE);
}

/* The options that take a value, as "--name VALUE"; read_value() reads each. */
static bool takes_value(const char *opt) {
    static const char *const names[] = {"--facts", "--out", "--param", "--max-errors", "--threads", "--history",
                                        "--person", "--format", "--lang", "--why-not", "--ledger", "--date", "--labels",
                                        "--encoding", "--sheet", "--report"};
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        if (!strcmp(opt, names[i])) return true;
    return false;
}

/* A count from 1 to MAX, in decimal. */
static int read_count(const char *opt, const char *val, guint max, guint *out) {
    char *end = NULL;
    guint64 n = g_ascii_strtoull(val, &end, 10);
    if (*end || n == 0 || n > max) return usage_error("%s needs a number from 1 to %u, found '%s'", opt, max, val);
    *out = (guint)n;
    return EXIT_OK;
}

static int read_value(cli_args *a, const char *opt, const char *val) {
    if (!strcmp(opt, "--param")) {   /* may be empty: the engine says what is wrong with it */
        g_ptr_array_add(a->overrides, (gpointer)val);
        return EXIT_OK;
    }
    if (!*val) return usage_error("%s needs a non-empty value", opt);
    if (!strcmp(opt, "--facts")) a->facts_dir = val;
    else if (!strcmp(opt, "--out")) a->out_dir = val;
    else if (!strcmp(opt, "--history")) a->history_dir = val;
    else if (!strcmp(opt, "--ledger")) a->ledger = val;
    else if (!strcmp(opt, "--date")) {
        wz_date d;
        if (!wz_date_parse(val, strlen(val), &d)) return usage_error("--date needs a date YYYY-MM-DD, found '%s'", val);
        a->date = val;
    }
    else if (!strcmp(opt, "--person")) a->person = val;
    else if (!strcmp(opt, "--why-not")) a->why_not = val;
    else if (!strcmp(opt, "--report")) a->report = val;
    else if (!strcmp(opt, "--sheet")) a->sheet = val;
    else if (!strcmp(opt, "--encoding")) {
        if (!wz_encoding_parse(val, &a->encoding) || !strcmp(val, "auto"))
            return usage_error("--encoding needs utf-8 or gb18030, found '%s'", val);
        a->encoding_given = true;
    }
    else if (!strcmp(opt, "--format")) {
        if (strcmp(val, "text") && strcmp(val, "json")) return usage_error("--format needs text or json, found '%s'", val);
        a->format = val;
    } else if (!strcmp(opt, "--labels")) {
        if (strcmp(val, "en") && strcmp(val, "zh")) return usage_error("--labels needs zh or en, found '%s'", val);
        a->labels = val;
    } else if (!strcmp(opt, "--lang")) {
        if (strcmp(val, "en") && strcmp(val, "zh")) return usage_error("--lang needs en or zh, found '%s'", val);
        a->lang = val;
    }
    else if (!strcmp(opt, "--threads")) {
        a->threads_given = true;
        return read_count(opt, val, 64, &a->threads);
    } else {
        g_assert(!strcmp(opt, "--max-errors"));
        return read_count(opt, val, 100000, &a->max_errors);
    }
    return EXIT_OK;
}

/* Reads ARGV (the words after the command) into A, in order: the first bad word is the
 * one reported. Which options the command accepts is checked afterwards. */
static int read_options(cli_args *a, int argc, char **argv) {
    for (int i = 0; i < argc; i++) {
        const char *word = argv[i];
        if (takes_value(word)) {
            if (i + 1 == argc) return usage_error("%s needs a value", word);
            int code = read_value(a, word, argv[++i]);
            if (code != EXIT_OK) return code;
        } else if (!strcmp(word, "--trace")) {
            a->trace = true;
        } else if (!strcmp(word, "--timing")) {
            a->timing = true;
        } else if (!strcmp(word, "--werror")) {
            a->werror = true;
        } else if (!strcmp(word, "--strict")) {
            a->strict = true;
        } else if (!strcmp(word, "--store-facts")) {
            a->store_facts = true;
        } else if (!strcmp(word, "--quiet")) {
            a->quiet = true;
        } else if (!strcmp(word, "--excel")) {
            a->excel = true;
        } else if (!strcmp(word, "--xlsx")) {
            a->xlsx = true;
        } else if (word[0] == '-' && word[1]) {   /* a lone "-" is a file name */
            return usage_error("unknown option '%s'", word);
        } else if (!a->policy_path) {
            a->policy_path = word;
        } else {
            return usage_error("unexpected argument '%s'", word);
        }
    }
    return EXIT_OK;
}

/* ---- the commands ---- */

static int cmd_help(const cli_args *a) {
    print_usage(stdout);
    return EXIT_OK;
}

static int cmd_version(const cli_args *a) {
    printf("wenze %s\n", WZ_VERSION);
    return EXIT_OK;
}

/* Parses only, so that a policy with names or types wrong still shows its tree. */
static int cmd_ast(const cli_args *a) {
    wz_diags *diags = wz_diags_new(a->max_errors);
    char *text = NULL;
    gsize len = 0;
    GError *err = NULL;
    if (!wz_file_get_contents(a->policy_path, &text, &len, &err)) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, a->policy_path, "cannot read the policy: %s", err->message);
        g_error_free(err);
    } else {
        wz_source *src = wz_source_new(a->policy_path, text, len);
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
    int code = report(diags, false, NULL);
    wz_diags_free(diags);
    return code;
}

/* Checks, then lints a policy that checked: warnings on stderr, exit 0 unless --werror. */
static int cmd_check(const cli_args *a) {
    wz_diags *diags = wz_diags_new(a->max_errors);
    wz_policy *policy = wz_policy_load(a->policy_path, diags);
    if (policy) wz_lint(policy, diags);
    int code = report(diags, !policy, NULL);
    guint warnings = 0;
    for (guint i = 0; i < diags->items->len; i++)
        warnings += ((const wz_diag *)g_ptr_array_index(diags->items, i))->severity == WZ_SEV_WARNING;
    if (code == EXIT_OK && warnings && a->werror) {
        fprintf(stderr, ngettext("wenze: %u warning treated as error (--werror)\n",
                                 "wenze: %u warnings treated as errors (--werror)\n", warnings), warnings);
        code = EXIT_POLICY;
    }
    wz_policy_free(policy);
    wz_diags_free(diags);
    return code;
}

static int cmd_disasm(const cli_args *a) {
    wz_diags *diags = wz_diags_new(a->max_errors);
    wz_policy *policy = wz_policy_load(a->policy_path, diags);
    if (policy) {
        wz_program *prog = wz_compile(policy);
        GString *out = g_string_new(NULL);
        wz_program_disasm(prog, out);
        fputs(out->str, stdout);
        g_string_free(out, TRUE);
        wz_program_free(prog);
    }
    int code = report(diags, !policy, NULL);
    wz_policy_free(policy);
    wz_diags_free(diags);
    return code;
}

/* The lines a successful run ends with, on stdout: who was assessed, what was read and
 * written, and the pool's rounding residue; a warning on stderr when conflicts were left. */
static void print_run_summary(const wz_policy *policy, const wz_result *r, const char *out_dir) {
    wz_result_counts n = wz_result_count(r);
    GString *who = g_string_new(NULL);   /* "40 persons" or "2 schools, 13 teachers" */
    for (guint k = 0; k < r->runs->len; k++) {
        const wz_kind_run *run = g_ptr_array_index(r->runs, k);
        const wz_entity_kind *ek = g_ptr_array_index(policy->kinds, k);
        if (k == 0 && run->facts->npersons == 0 && r->runs->len > 1) continue;
        if (who->len) g_string_append(who, _(", "));
        uint32_t n_of = run->facts->npersons;
        if (k == 0) g_string_append_printf(who, ngettext("%u person", "%u persons", n_of), n_of);
        else   /* English says the kind's name (2 schools), Chinese its label (学校 2 个) */
            g_string_append_printf(who, ngettext("%u %s%.0s", "%u %ss%.0s", n_of), n_of, ek->name, ek->label ? ek->label : ek->name);
    }
    printf(_("wenze: %s, %" PRIu64 " fact rows read (%" PRIu64 " outside the period, ignored), %u findings; wrote %s/\n"),
           who->str, n.rows_read, n.rows_ignored, n.findings, out_dir);
    if (n.conflicts)
        fprintf(stderr, ngettext("wenze: warning: %u conflict between rules left values undecided; see the \"conflict\" findings in %s/findings.jsonl\n",
                                 "wenze: warning: %u conflicts between rules left values undecided; see the \"conflict\" findings in %s/findings.jsonl\n",
                                 n.conflicts),
                n.conflicts, out_dir);
    g_string_free(who, TRUE);
    if (r->has_pay) {
        char *res = wz_dec_to_string(r->residue, policy->distribute->places, 30);
        /* the sign in words: a clerk must not have to know that −0.04 means overspent */
        int sign = wz_dec_sign(r->residue);
        char *abs = wz_dec_to_string(wz_dec_abs(r->residue), policy->distribute->places, 30);
        if (sign > 0) printf(_("wenze: pool distributed with a rounding residue of %s (%s left undistributed)\n"), res, abs);
        else if (sign < 0) printf(_("wenze: pool distributed with a rounding residue of %s (%s paid out beyond the pool)\n"), res, abs);
        else printf(_("wenze: pool distributed with a rounding residue of %s (distributed exactly)\n"), res);
        g_free(abs);
        g_free(res);
    }
}

/* When a report says it was made: SOURCE_DATE_EPOCH when set (reproducible
 * builds' convention, so that tests get the same bytes), else now. */
static int64_t report_time(void) {
    const char *e = getenv("SOURCE_DATE_EPOCH");
    char *end = NULL;
    gint64 t = e && *e ? g_ascii_strtoll(e, &end, 10) : 0;
    return e && *e && !*end ? t : g_get_real_time() / G_USEC_PER_SEC;
}

/* The HTML report of a run (--report), after its outputs are written. */
static void write_run_report(const cli_args *a, const wz_result *r, bool zh, wz_diags *diags) {
    char *command = g_strdup_printf("wenze explain %s --facts %s", a->policy_path, a->facts_dir);
    wz_report_options ro = {.zh = zh, .generated = report_time(), .facts_dir = a->facts_dir, .command = command};
    GString *html = wz_report_run(r, &ro, diags);
    if (html) wz_report_write(html, a->report, diags);
    if (html) g_string_free(html, TRUE);
    g_free(command);
}

/* The progress line of a long run, on a terminal: one line rewritten in place, at most
 * five times a second (phase changes always), then erased before the summary. */
typedef struct progress_line {
    gint64 start, last;
    const char *phase;
    bool shown;
} progress_line;

static void show_progress(void *data, const wz_progress *p) {
    progress_line *pl = data;
    gint64 now = g_get_monotonic_time();
    if (pl->phase == p->phase && now - pl->last < 200000) return;
    pl->phase = p->phase;
    pl->last = now;
    double secs = (double)(now - pl->start) / 1e6;   /* for the eye only: no output depends on it */
    char rows[32];
    g_snprintf(rows, sizeof rows, "%" G_GUINT64_FORMAT, p->rows);
    fputs("\r\033[K", stderr);   /* back to the line's start, and clear it */
    if (!strcmp(p->phase, "reading"))
        fprintf(stderr, _("wenze: reading facts: %s, %s rows so far (%.1f s, %.0f rows/s)"), p->file ? p->file : "", rows, secs,
                secs > 0 ? (double)p->rows / secs : 0.0);
    else if (!strcmp(p->phase, "evaluating"))
        fprintf(stderr, _("wenze: %s rows read; evaluating %u entities (%.1f s)"), rows, p->entities, secs);
    else fprintf(stderr, _("wenze: %s (%.1f s)"), _(p->phase), secs);
    pl->shown = true;
}

static void end_progress(progress_line *pl) {
    if (pl->shown) fputs("\r\033[K", stderr);
}

static void run_policy(const cli_args *a, const wz_policy *policy, wz_diags *diags) {
    if (a->report && !wz_report_check_path(a->report, diags)) return;   /* before anything is written */
    GString *trace_out = a->trace ? g_string_new(NULL) : NULL;
    /* a progress line only for a person watching a terminal, and never with --trace, --quiet or NO_PROGRESS */
    progress_line pl = {.start = g_get_monotonic_time()};
    bool progress = isatty(STDERR_FILENO) && !a->quiet && !a->trace && !getenv("WZ_NO_PROGRESS");
    wz_engine_options opts = {.overrides = a->overrides, .trace = trace_out, .threads = (int)a->threads,
                              .history_dir = a->history_dir, .encoding = a->encoding, .sheet = a->sheet, .strict = a->strict,
                              .progress = progress ? show_progress : NULL, .progress_data = &pl};
    wz_result *r = wz_engine_run_opts(policy, a->facts_dir, &opts, diags);
    end_progress(&pl);
    GPtrArray *command = g_ptr_array_new();
    for (int i = 0; i < a->argc; i++) g_ptr_array_add(command, a->argv[i]);
    if (r) r->command = command;
    if (trace_out) {
        fputs(trace_out->str, stderr);
        g_string_free(trace_out, TRUE);
    }
    /* the outputs read no fact row (findings carry the lines they cite): a big
     * run's rows go before the outputs are built beside them — unless the
     * report, which shows rows, is made afterwards */
    if (r && !a->report) wz_result_release_rows(r);
    int64_t out_start = g_get_monotonic_time();
    if (r && wz_output_write(r, a->out_dir, diags)) {
        if (a->timing)
            fprintf(stderr, ngettext("wenze: timing (ms): facts %.1f, evaluation %.1f, pay %.1f, outputs %.1f; %u thread\n",
                                     "wenze: timing (ms): facts %.1f, evaluation %.1f, pay %.1f, outputs %.1f; %u threads\n", a->threads),
                    r->us_facts / 1e3, r->us_vm / 1e3, r->us_pay / 1e3, (g_get_monotonic_time() - out_start) / 1e3,
                    a->threads);
        print_run_summary(policy, r, a->out_dir);
        if (a->report) {
            write_run_report(a, r, a->lang ? !strcmp(a->lang, "zh") : wz_explain_policy_in_chinese(policy), diags);
            if (!wz_diags_has_errors(diags)) printf(_("wenze: wrote the report %s\n"), a->report);
        }
    } else if (!wz_diags_has_errors(diags)) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, a->out_dir, "nothing was written");
    }
    wz_result_free(r);
    g_ptr_array_free(command, TRUE);
}

/* A run recorded in the ledger: the policy from POLICY or, with --date and no
 * POLICY, the version in force on that date; earlier periods from the ledger
 * when the policy reads them and no --history is given.  An appeal (corrects
 * > 0) re-runs that entry's policy version with its params on new facts. */
static int run_ledger(const cli_args *a, gint64 corrects, const char *reason) {
    wz_diags *diags = wz_diags_new(a->max_errors);
    wz_ledger *l = wz_ledger_open(a->ledger, corrects == 0, diags);
    GPtrArray *entries = l ? wz_ledger_entries(l, diags) : NULL;
    wz_policy *policy = NULL;
    char *policy_tmp = NULL, *history_tmp = NULL;
    const char *history_dir = a->history_dir;
    gint64 version_entry = 0;
    GArray *used = NULL;
    GPtrArray *overrides = a->overrides, *recorded = NULL;
    const wz_ledger_entry *e = NULL;
    bool wrote = false;
    if (!entries) goto out;
    if (corrects) {
        e = wz_ledger_entry_find(entries, corrects);
        if (!e || strcmp(e->kind, "run")) {
            wz_diag_plain(diags, WZ_DIAG_USAGE, WZ_SEV_ERROR, a->ledger, e ? N_("entry %" PRId64 " is not a run; expected the id of a run (see `wenze ledger log`)")
                            : N_("entry %" PRId64 " does not exist; expected the id of a run (see `wenze ledger log`)"),
                          corrects);
            goto out;
        }
        if (wz_ledger_superseded(entries, corrects, 0)) {
            wz_diag_plain(diags, WZ_DIAG_USAGE, WZ_SEV_ERROR, a->ledger,
                          "entry %" PRId64 " was already corrected by an appeal; expected the latest entry of the decision", corrects);
            goto out;
        }
        version_entry = wz_jv_get_int(wz_jv_get(e->json, "policy"), "version_entry");
        overrides = recorded = wz_ledger_overrides_of(e);
        if (!wz_ledger_history_of(l, entries, e, &history_dir, &history_tmp, diags)) goto out;
    } else if (a->policy_path) {
        policy = wz_policy_load(a->policy_path, diags);
    } else {
        wz_date d = 0;
        wz_date_parse(a->date, strlen(a->date), &d);
        e = wz_ledger_policy_on(entries, d, NULL, diags);
        if (e) version_entry = e->id;
    }
    if (e && !policy) {
        char *path = wz_ledger_materialize_policy(l, wz_jv_get(e->json, "policy"), &policy_tmp, diags);
        if (path) policy = wz_policy_load(path, diags);
        g_free(path);
    }
    if (!policy) goto out;
    if (!corrects && policy->history_fn && !history_dir) {   /* earlier periods from the ledger */
        bool has = false;
        int32_t start = 0, end = 0;
        if (!wz_engine_period(policy, a->facts_dir, overrides, &has, &start, &end, diags)) goto out;
        used = g_array_new(FALSE, FALSE, sizeof(gint64));
        history_tmp = wz_ledger_history_dir(l, entries, policy->title, has ? start : INT32_MAX, 0, used, diags);
        if (!history_tmp) goto out;
        history_dir = history_tmp;
    }
    if (corrects && wz_jv_get(wz_jv_get(e->json, "history"), "entries")) {
        used = g_array_new(FALSE, FALSE, sizeof(gint64));
        const wz_jv *ids = wz_jv_get(wz_jv_get(e->json, "history"), "entries");
        for (guint i = 0; i < wz_jv_len(ids); i++) {
            gint64 id = wz_jv_int(wz_jv_at(ids, i));
            g_array_append_val(used, id);
        }
    }
    wz_engine_options opts = {.overrides = overrides, .threads = (int)a->threads, .history_dir = history_dir,
                              .encoding = a->encoding, .sheet = a->sheet, .strict = a->strict};
    wz_result *r = wz_engine_run_opts(policy, a->facts_dir, &opts, diags);
    GPtrArray *command = g_ptr_array_new();
    for (int i = 0; i < a->argc; i++) g_ptr_array_add(command, a->argv[i]);
    if (r) {
        r->command = command;
        GHashTable *files = wz_output_render(r);
        if (wz_output_write_files(files, a->out_dir, diags)) {
            wz_ledger_run run = {.r = r, .files = files, .facts_dir = a->facts_dir, .store_facts = a->store_facts,
                                 .version_entry = version_entry, .date = a->date, .supersedes = corrects, .reason = reason,
                                 .history_entries = used, .history_dir = used ? NULL : a->history_dir, .overrides = overrides};
            gint64 id = wz_ledger_record_run(l, &run, diags);
            print_run_summary(policy, r, a->out_dir);
            wrote = true;
            if (id && corrects)
                printf(_("wenze: recorded as entry %" PRId64 " of %s, superseding entry %" PRId64 "\n"), id,
                       a->ledger, corrects);
            else if (id) printf(_("wenze: recorded as entry %" PRId64 " of %s\n"), id, a->ledger);
            else wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, a->ledger, "the outputs in %s were written but not recorded in the ledger", a->out_dir);
        }
        g_hash_table_unref(files);
    }
    wz_result_free(r);
    g_ptr_array_free(command, TRUE);
out:;
    int code = report(diags, false, wrote ? NULL : a->out_dir);
    if (used) g_array_free(used, TRUE);
    if (recorded) g_ptr_array_free(recorded, TRUE);
    if (policy_tmp) wz_rm_rf(policy_tmp);
    if (history_tmp) wz_rm_rf(history_tmp);
    g_free(policy_tmp);
    g_free(history_tmp);
    wz_policy_free(policy);
    if (entries) g_ptr_array_free(entries, TRUE);
    wz_ledger_close(l);
    wz_diags_free(diags);
    return code;
}

static int cmd_run(const cli_args *a) {
    if (a->ledger) return run_ledger(a, 0, NULL);
    wz_diags *diags = wz_diags_new(a->max_errors);
    wz_policy *policy = wz_policy_load(a->policy_path, diags);
    if (policy) run_policy(a, policy, diags);
    int code = report(diags, !policy, a->out_dir);
    wz_policy_free(policy);
    wz_diags_free(diags);
    return code;
}

/* One person's or entity's derivation, from a run that writes nothing. */
static int cmd_explain(const cli_args *a) {
    wz_diags *diags = wz_diags_new(a->max_errors);
    wz_policy *policy = wz_policy_load(a->policy_path, diags);
    if (policy) {
        wz_engine_options opts = {.overrides = a->overrides, .threads = (int)a->threads, .history_dir = a->history_dir,
                                  .encoding = a->encoding, .sheet = a->sheet, .strict = a->strict};
        wz_result *r = wz_engine_run_opts(policy, a->facts_dir, &opts, diags);
        wz_explain_options eo = {.id = a->person,
                                 .format = a->format && !strcmp(a->format, "json") ? WZ_EXPLAIN_JSON : WZ_EXPLAIN_TEXT,
                                 .zh = a->lang ? !strcmp(a->lang, "zh") : wz_explain_policy_in_chinese(policy),
                                 .why_not = a->why_not};
        GString *out = r ? wz_explain(r, &eo, diags) : NULL;
        if (out) {
            fputs(out->str, stdout);
            g_string_free(out, TRUE);
        }
        wz_result_free(r);
    }
    int code = report(diags, !policy, NULL);
    wz_policy_free(policy);
    wz_diags_free(diags);
    return code;
}

/* Reads the whole of stdin; NULL (and an I/O diagnostic) when it cannot. */
static char *read_stdin(gsize *len, wz_diags *diags) {
    GString *s = g_string_new(NULL);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) g_string_append_len(s, buf, n);
    if (ferror(stdin)) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, "<stdin>", "cannot read the policy");
        g_string_free(s, TRUE);
        return NULL;
    }
    *len = s->len;
    return g_string_free(s, FALSE);
}

/* Formats one file (PATH "-": stdin to stdout).  In place, or with CHECK only the diff;
 * *CHANGED says whether the layout differs.  Returns the exit code of its errors. */
static int fmt_one(const char *path, bool check, guint max_errors, bool *changed) {
    bool from_stdin = !strcmp(path, "-");
    const char *name = from_stdin ? "<stdin>" : path;
    wz_diags *diags = wz_diags_new(max_errors);
    char *text = NULL;
    gsize len = 0;
    GError *err = NULL;
    if (from_stdin) {
        text = read_stdin(&len, diags);
    } else if (!wz_file_get_contents(path, &text, &len, &err)) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, path, "cannot read the policy: %s", err->message);
        g_error_free(err);
    }
    *changed = false;
    if (text) {
        wz_source *src = wz_source_new(name, text, len);
        char *out = wz_fmt(src, diags);
        if (out) {
            *changed = strlen(out) != len || memcmp(out, text, len) != 0;
            if (check) {
                char *diff = wz_fmt_diff(name, text, out);
                if (diff) fputs(diff, stdout);
                g_free(diff);
            } else if (from_stdin) {
                fputs(out, stdout);
            } else if (*changed) {
                wz_fmt_write_file(path, out, strlen(out), diags);
            }
            g_free(out);
        }
        wz_diags_adopt_source(diags, src);
        g_free(text);
    }
    int code = report(diags, false, NULL);
    wz_diags_free(diags);
    return code;
}

/* fmt [--check] [FILE...]: each file in place, or stdin to stdout (no FILE, or "-"). */
static int cmd_fmt(const cli_args *a) {
    bool check = false;
    GPtrArray *files = g_ptr_array_new();
    for (int i = 0; i < a->nwords; i++) {
        const char *w = a->words[i];
        if (!strcmp(w, "--check")) check = true;
        else if (w[0] == '-' && w[1]) {
            g_ptr_array_free(files, TRUE);
            return usage_error("unknown option '%s'", w);
        } else g_ptr_array_add(files, (gpointer)w);
    }
    if (!files->len) g_ptr_array_add(files, "-");
    int code = EXIT_OK;
    bool any_changed = false;
    for (guint i = 0; i < files->len; i++) {
        bool changed = false;
        int c = fmt_one(g_ptr_array_index(files, i), check, a->max_errors, &changed);
        if (code == EXIT_OK) code = c;
        any_changed |= changed;
    }
    g_ptr_array_free(files, TRUE);
    if (code == EXIT_OK && check && any_changed) code = EXIT_POLICY;
    return code;
}

/* test [--coverage] FILE...: every test of each *.test.wz file; the closing line counts them all. */
static int cmd_test(const cli_args *a) {
    bool coverage = false;
    GPtrArray *files = g_ptr_array_new();
    for (int i = 0; i < a->nwords; i++) {
        const char *w = a->words[i];
        if (!strcmp(w, "--coverage")) coverage = true;
        else if (w[0] == '-') {
            g_ptr_array_free(files, TRUE);
            return usage_error("unknown option '%s'", w);
        } else g_ptr_array_add(files, (gpointer)w);
    }
    if (!files->len) {
        g_ptr_array_free(files, TRUE);
        return usage_error("test needs a FILE (a *.test.wz)");
    }
    wz_diags *diags = wz_diags_new(a->max_errors);
    wz_test_counts counts = {0};
    for (guint i = 0; i < files->len; i++) {
        GString *out = g_string_new(NULL);
        wz_policy_tests_run(g_ptr_array_index(files, i), coverage, out, &counts, diags);
        fputs(out->str, stdout);
        g_string_free(out, TRUE);
    }
    if (!wz_diags_has_errors(diags)) printf(_("%u passed, %u failed\n"), counts.passed, counts.failed);   /* else the error is the outcome */
    g_ptr_array_free(files, TRUE);
    int code = report(diags, counts.failed > 0, NULL);
    wz_diags_free(diags);
    return code;
}

/* Text for a terminal: an added item's line green, a removed one's red, a changed one's yellow. */
static void print_coloured(const char *text) {
    const char *line = text;
    while (*line) {
        const char *nl = strchr(line, '\n');
        int len = nl ? (int)(nl - line) : (int)strlen(line);
        const char *colour = line[0] && line[1] == ' ' ? (line[0] == '+' ? "32" : line[0] == '-' ? "31" : line[0] == '~' ? "33" : NULL) : NULL;
        if (colour) printf("\033[%sm%.*s\033[0m\n", colour, len, line);
        else printf("%.*s\n", len, line);
        if (!nl) break;
        line = nl + 1;
    }
}

/* diff OLD NEW [--format text|json] [--facts DIR [--param N=V]... [--history DIR] [--out DIR]]:
 * what changed between two versions, and with --facts whom it changes and which change did it. */
static int cmd_diff(const cli_args *a) {
    const char *files[2] = {NULL, NULL}, *facts = NULL, *history = NULL, *out_dir = NULL, *report_path = NULL;
    bool json = false;
    GPtrArray *overrides = g_ptr_array_new();
    int nfiles = 0, code = EXIT_OK;
    for (int i = 0; i < a->nwords && code == EXIT_OK; i++) {
        const char *w = a->words[i];
        bool valued = !strcmp(w, "--facts") || !strcmp(w, "--format") || !strcmp(w, "--param") || !strcmp(w, "--history") ||
                      !strcmp(w, "--out") || !strcmp(w, "--report");
        if (valued && i + 1 == a->nwords) code = usage_error("%s needs a value", w);
        else if (!strcmp(w, "--facts")) facts = a->words[++i];
        else if (!strcmp(w, "--history")) history = a->words[++i];
        else if (!strcmp(w, "--out")) out_dir = a->words[++i];
        else if (!strcmp(w, "--report")) report_path = a->words[++i];
        else if (!strcmp(w, "--param")) g_ptr_array_add(overrides, a->words[++i]);
        else if (!strcmp(w, "--format")) {
            const char *f = a->words[++i];
            if (strcmp(f, "text") && strcmp(f, "json")) code = usage_error("--format needs text or json, found '%s'", f);
            json = !strcmp(f, "json");
        } else if (w[0] == '-' && w[1]) code = usage_error("unknown option '%s'", w);
        else if (nfiles < 2) files[nfiles++] = w;
        else code = usage_error("unexpected argument '%s'", w);
    }
    if (code == EXIT_OK && nfiles < 2) code = usage_error("diff needs two policies, OLD and NEW");
    if (code == EXIT_OK && out_dir && !facts) code = usage_error("--out needs --facts: it writes the impact on those facts");
    if (code != EXIT_OK) {
        g_ptr_array_free(overrides, TRUE);
        return code;
    }
    wz_diags *diags = wz_diags_new(a->max_errors);
    wz_policy *old = wz_policy_load(files[0], diags), *new_ = old ? wz_policy_load(files[1], diags) : NULL;
    GString *out = g_string_new(NULL);
    if (old && new_ && report_path) wz_report_check_path(report_path, diags);   /* before anything is written */
    if (old && new_ && !wz_diags_has_errors(diags)) {
        wz_diff *d = wz_diff_new(old, new_);
        wz_impact *m = NULL;
        if (!json || !facts) wz_diff_render(d, json, out);
        if (facts) {
            wz_engine_options opts = {.overrides = overrides, .threads = (int)a->threads, .history_dir = history};
            m = wz_diff_measure(d, facts, &opts, diags);
            if (m) {
                wz_impact_render(m, json, out);
                if (out_dir) wz_impact_write(m, out_dir, diags);
            }
        }
        if (report_path && !wz_diags_has_errors(diags)) {   /* the HTML page of the same diff */
            wz_report_options ro = {.zh = a->lang ? !strcmp(a->lang, "zh") : wz_explain_policy_in_chinese(new_), .generated = report_time(), .facts_dir = facts};
            GString *html = wz_report_diff(d, m, &ro, diags);
            if (html) wz_report_write(html, report_path, diags);
            if (html) g_string_free(html, TRUE);
        }
        wz_impact_free(m);
        wz_diff_free(d);
    }
    if (!wz_diags_has_errors(diags)) {
        if (!json && isatty(STDOUT_FILENO) && !getenv("NO_COLOR")) print_coloured(out->str);
        else fputs(out->str, stdout);
    }
    g_string_free(out, TRUE);
    code = report(diags, !old || !new_, NULL);
    wz_policy_free(old);
    wz_policy_free(new_);
    wz_diags_free(diags);
    g_ptr_array_free(overrides, TRUE);
    return code;
}

/* ---- verify: outputs that prove themselves ---- */

/* Prints each problem as "wenze: PROBLEM" on stderr; returns how many. */
static guint print_problems(const GPtrArray *problems) {
    for (guint i = 0; i < problems->len; i++) fprintf(stderr, "wenze: %s\n", (const char *)g_ptr_array_index(problems, i));
    return problems->len;
}

/* The strings of a JSON array of strings (borrowed from it), as a new array. */
static GPtrArray *jv_strings(const wz_jv *arr) {
    GPtrArray *out = g_ptr_array_new();
    for (guint i = 0; i < wz_jv_len(arr); i++) {
        const char *w = wz_jv_string(wz_jv_at(arr, i));
        if (w) g_ptr_array_add(out, (gpointer)w);
    }
    return out;
}

/* Re-runs the command recorded in SUMMARY (facts from FACTS when not NULL) and
 * renders its outputs in memory with the recorded command line, so that an
 * unchanged run gives every file, summary.json included, byte for byte.  NULL
 * after reporting into diags; *policy_out is then NULL or to be freed too. */
static GHashTable *rerun_recorded(const wz_jv *summary, const char *path, const char *facts, guint threads,
                                  wz_policy **policy_out, wz_diags *diags) {
    GPtrArray *cmd = jv_strings(wz_jv_get(summary, "command"));
    GHashTable *files = NULL;
    *policy_out = NULL;
    cli_args ra;
    cli_args_init(&ra);
    if (cmd->len < 2 || strcmp(g_ptr_array_index(cmd, 1), "run")) {
        wz_diag_plain(diags, WZ_DIAG_USAGE, WZ_SEV_ERROR, path,
                      "expected the command line of a `wenze run` in \"command\"; found none, so there is nothing to re-run");
    } else if (read_options(&ra, (int)cmd->len - 2, (char **)cmd->pdata + 2) != EXIT_OK) {
        wz_diag_plain(diags, WZ_DIAG_USAGE, WZ_SEV_ERROR, path, "the recorded command line cannot be read again");
    } else if (!ra.policy_path) {
        wz_diag_plain(diags, WZ_DIAG_USAGE, WZ_SEV_ERROR, path,
                      "the recorded run took its policy from a ledger (--ledger, --date); re-run it with `wenze replay`");
    } else {
        wz_policy *policy = wz_policy_load(ra.policy_path, diags);
        *policy_out = policy;
        if (policy) {
            wz_engine_options opts = {.overrides = ra.overrides, .threads = (int)threads, .history_dir = ra.history_dir,
                                      .encoding = ra.encoding, .sheet = ra.sheet, .strict = ra.strict};
            wz_result *r = wz_engine_run_opts(policy, facts ? facts : ra.facts_dir, &opts, diags);
            if (r) {
                r->command = cmd;
                files = wz_output_render(r);
            }
            wz_result_free(r);
        }
    }
    cli_args_clear(&ra);
    g_ptr_array_free(cmd, TRUE);
    return files;
}

/* verify OUT [--rerun [--facts DIR]]: the output files against summary.json; with
 * --rerun, the recorded run again, compared byte for byte. */
static int cmd_verify(const cli_args *a) {
    const char *out = NULL, *facts = NULL;
    bool rerun = false;
    for (int i = 0; i < a->nwords; i++) {
        const char *w = a->words[i];
        if (!strcmp(w, "--rerun")) rerun = true;
        else if (!strcmp(w, "--facts")) {
            if (i + 1 == a->nwords) return usage_error("--facts needs a value");
            facts = a->words[++i];
        } else if (w[0] == '-') return usage_error("unknown option '%s'", w);
        else if (!out) out = w;
        else return usage_error("unexpected argument '%s'", w);
    }
    if (!out) return usage_error("verify needs an output directory OUT");
    if (facts && !rerun) return usage_error("--facts is an option of verify --rerun");
    wz_diags *diags = wz_diags_new(a->max_errors);
    wz_jv *summary = wz_summary_read(out, diags);
    GPtrArray *problems = g_ptr_array_new_with_free_func(g_free);
    wz_policy *policy = NULL;
    guint nfiles = 0;
    if (summary) {
        nfiles = wz_jv_len(wz_jv_get(summary, "outputs"));
        wz_audit_outputs(out, summary, problems);
        char *path = g_build_filename(out, "summary.json", NULL);
        GHashTable *files = rerun ? rerun_recorded(summary, path, facts, a->threads, &policy, diags) : NULL;
        if (files) {
            const char *why = NULL;
            const GString *s = g_hash_table_lookup(files, "summary.json");
            wz_jv *now = wz_jv_parse(s->str, s->len, &why);
            wz_audit_inputs(wz_jv_get(summary, "inputs"), wz_jv_get(now, "inputs"), problems);
            wz_jv_free(now);
            GHashTable *disk = wz_audit_read_outputs(out, summary);
            GPtrArray *diffs = g_ptr_array_new_with_free_func(g_free);
            wz_audit_files(disk, files, diffs);
            for (guint i = 0; i < diffs->len; i++)   /* name the files of OUT */
                g_ptr_array_add(problems, g_strdup_printf("%s/%s", out, (char *)g_ptr_array_index(diffs, i)));
            g_ptr_array_free(diffs, TRUE);
            g_hash_table_unref(disk);
            g_hash_table_unref(files);
        }
        g_free(path);
    }
    int code = report(diags, false, NULL);
    if (code == EXIT_OK && print_problems(problems)) {
        fprintf(stderr, ngettext("wenze: %s: %u problem found\n", "wenze: %s: %u problems found\n", problems->len), out, problems->len);
        code = EXIT_POLICY;
    } else if (code == EXIT_OK) {
        printf(ngettext("wenze: %s: %u output file match summary.json%s\n", "wenze: %s: %u output files match summary.json%s\n", nfiles),
               out, nfiles, rerun ? _("; the re-run gives every file again, byte for byte") : "");
    }
    g_ptr_array_free(problems, TRUE);
    wz_jv_free(summary);
    wz_policy_free(policy);
    wz_diags_free(diags);
    return code;
}

/* ---- the ledger ---- */

static void gstring_free(gpointer s) { g_string_free(s, TRUE); }

/* The words of `wenze ledger VERB …` / `wenze replay …`: positional words and
 * the options NAMES (each taking a value) into vals, in order. */
typedef struct ledger_words {
    const char *pos[3];
    int npos;
    const char *facts, *out, *reason, *on, *from, *to, *export_dir, *facts_root;
} ledger_words;

static int read_ledger_words(char **w, int n, int maxpos, const char *allowed, ledger_words *lw) {
    *lw = (ledger_words){0};
    for (int i = 0; i < n; i++) {
        const char *x = w[i];
        if (x[0] == '-' && x[1]) {
            const char **slot = !strcmp(x, "--facts") ? &lw->facts : !strcmp(x, "--out") ? &lw->out
                              : !strcmp(x, "--reason") ? &lw->reason : !strcmp(x, "--on") ? &lw->on
                              : !strcmp(x, "--from") ? &lw->from : !strcmp(x, "--to") ? &lw->to
                              : !strcmp(x, "--export") ? &lw->export_dir : !strcmp(x, "--facts-root") ? &lw->facts_root : NULL;
            char opt[32];
            g_snprintf(opt, sizeof opt, " %s ", x);
            if (!slot || !strstr(allowed, opt)) return usage_error("unknown option '%s'", x);
            if (i + 1 == n || !*w[i + 1]) return usage_error("%s needs a value", x);
            *slot = w[++i];
        } else if (lw->npos < maxpos) lw->pos[lw->npos++] = x;
        else return usage_error("unexpected argument '%s'", x);
    }
    return EXIT_OK;
}

static int read_entry_id(const char *s, gint64 *id) {
    char *end = NULL;
    gint64 v = g_ascii_strtoll(s, &end, 10);
    if (!*s || *end || v <= 0) return usage_error("ENTRY needs an entry id (a number from 1), found '%s'", s);
    *id = v;
    return EXIT_OK;
}

static int read_date_opt(const char *opt, const char *s, wz_date *d) {
    if (!wz_date_parse(s, strlen(s), d)) return usage_error("%s needs a date YYYY-MM-DD, found '%s'", opt, s);
    return EXIT_OK;
}

static wz_date today(void) {
    GDateTime *t = g_date_time_new_now_local();
    wz_date d = wz_date_from_ymd(g_date_time_get_year(t), g_date_time_get_month(t), g_date_time_get_day_of_month(t));
    g_date_time_unref(t);
    return d;
}

/* ledger add-policy L FILE [--from D] [--to D]: a policy version and its range
 * (by default the policy's own `effective` range). */
static int ledger_add_policy(const cli_args *a, char **w, int n) {
    ledger_words lw;
    int code = read_ledger_words(w, n, 2, " --from --to ", &lw);
    if (code) return code;
    if (lw.npos < 2) return usage_error("ledger add-policy needs a LEDGER and a policy FILE");
    wz_date from = 0, to = -1;
    if (lw.from && (code = read_date_opt("--from", lw.from, &from))) return code;
    if (lw.to && (code = read_date_opt("--to", lw.to, &to))) return code;
    wz_diags *diags = wz_diags_new(a->max_errors);
    wz_policy *p = wz_policy_load(lw.pos[1], diags);
    if (p && !lw.from && !p->has_effective)
        wz_diag_plain(diags, WZ_DIAG_USAGE, WZ_SEV_ERROR, lw.pos[1],
                      "the policy has no `effective FROM to TO`; expected --from DATE (and --to DATE unless it stays in force)");
    else if (p && !lw.from) {
        from = p->effective_from;
        if (!lw.to) to = p->effective_to;
    }
    if (p && lw.to && to < from) wz_diag_plain(diags, WZ_DIAG_USAGE, WZ_SEV_ERROR, NULL, "--to %s is before --from", lw.to);
    if (p && !wz_diags_has_errors(diags)) {
        wz_ledger *l = wz_ledger_open(lw.pos[0], true, diags);
        gint64 id = l ? wz_ledger_register_policy(l, p, from, to, diags) : 0;
        char f[11], t[11] = "";
        wz_date_format(from, f);
        if (to >= 0) wz_date_format(to, t);
        if (id && to >= 0) printf(_("wenze: entry %" PRId64 ": \"%s\" version %s in force from %s to %s\n"), id, p->title, p->version, f, t);
        else if (id) printf(_("wenze: entry %" PRId64 ": \"%s\" version %s in force from %s on\n"), id, p->title, p->version, f);
        wz_ledger_close(l);
    }
    code = report(diags, !p, NULL);
    wz_policy_free(p);
    wz_diags_free(diags);
    return code;
}

/* ledger appeal L ENTRY --facts DIR --out DIR --reason TEXT */
static int ledger_appeal(const cli_args *a, char **w, int n) {
    ledger_words lw;
    int code = read_ledger_words(w, n, 2, " --facts --out --reason ", &lw);
    if (code) return code;
    if (lw.npos < 2 || !lw.facts || !lw.out || !lw.reason)
        return usage_error("ledger appeal needs LEDGER ENTRY --facts DIR --out DIR --reason TEXT");
    gint64 id;
    if ((code = read_entry_id(lw.pos[1], &id))) return code;
    cli_args b = *a;
    b.ledger = lw.pos[0];
    b.facts_dir = lw.facts;
    b.out_dir = lw.out;
    b.policy_path = NULL;
    b.history_dir = NULL;
    return run_ledger(&b, id, lw.reason);
}

/* ledger publish|finalize L ENTRY [--on DATE] */
static int ledger_publication(const cli_args *a, const char *kind, char **w, int n) {
    ledger_words lw;
    int code = read_ledger_words(w, n, 2, " --on ", &lw);
    if (code) return code;
    if (lw.npos < 2) return usage_error("ledger %s needs a LEDGER and an ENTRY", kind);
    gint64 id;
    wz_date on = today();
    if ((code = read_entry_id(lw.pos[1], &id)) || (lw.on && (code = read_date_opt("--on", lw.on, &on)))) return code;
    wz_diags *diags = wz_diags_new(a->max_errors);
    wz_ledger *l = wz_ledger_open(lw.pos[0], false, diags);
    GPtrArray *entries = l ? wz_ledger_entries(l, diags) : NULL;
    gint64 rec = entries ? wz_ledger_publish(l, entries, kind, id, on, diags) : 0;
    char d[11];
    wz_date_format(on, d);
    if (rec) printf(!strcmp(kind, "publish") ? _("wenze: entry %" PRId64 ": entry %" PRId64 " published on %s\n")
                                             : _("wenze: entry %" PRId64 ": entry %" PRId64 " finalized on %s\n"), rec, id, d);
    code = report(diags, false, NULL);
    if (entries) g_ptr_array_free(entries, TRUE);
    wz_ledger_close(l);
    wz_diags_free(diags);
    return code;
}

/* ledger verify L: the chain alone. */
static int ledger_verify(const cli_args *a, char **w, int n) {
    ledger_words lw;
    int code = read_ledger_words(w, n, 1, " ", &lw);
    if (code) return code;
    if (lw.npos < 1) return usage_error("ledger verify needs a LEDGER");
    wz_diags *diags = wz_diags_new(a->max_errors);
    wz_ledger *l = wz_ledger_open(lw.pos[0], false, diags);
    guint count = 0;
    char head[65], *why = NULL;
    gint64 broken = l ? wz_ledger_verify(l, &count, head, &why, diags) : -1;
    code = report(diags, false, NULL);
    if (code == EXIT_OK && broken > 0) {
        fprintf(stderr, _("%s: error: chain broken at entry %" PRId64 ": %s\n"), lw.pos[0], broken, why);
        code = EXIT_POLICY;
    } else if (code == EXIT_OK) {
        printf(ngettext("wenze: %s: %u entry, chain whole; head %s\n", "wenze: %s: %u entries, chain whole; head %s\n", count),
               lw.pos[0], count, head);
    }
    g_free(why);
    wz_ledger_close(l);
    wz_diags_free(diags);
    return code;
}

/* One line of `ledger log` for entry e. */
static void log_line(const GPtrArray *entries, const wz_ledger_entry *e) {
    const wz_jv *pol = wz_jv_get(e->json, "policy");
    printf("%4" G_GINT64_FORMAT "  %s  %-8s", e->id, e->time, e->kind);
    if (!strcmp(e->kind, "policy")) {
        const char *to = wz_jv_string(wz_jv_get(pol, "to"));
        printf("  %s %s  in force %s to %s\n", wz_jv_string(wz_jv_get(pol, "name")), wz_jv_string(wz_jv_get(pol, "version")),
               wz_jv_string(wz_jv_get(pol, "from")), to ? to : "(until the next version)");
    } else if (!strcmp(e->kind, "run")) {
        const char *date = wz_jv_string(wz_jv_get(e->json, "date"));
        const wz_jv *per = wz_jv_get(e->json, "period");
        printf("  %s %s  date %s  period %s..%s  %" G_GINT64_FORMAT " persons", wz_jv_string(wz_jv_get(pol, "name")),
               wz_jv_string(wz_jv_get(pol, "version")), date ? date : "-", per ? wz_jv_string(wz_jv_get(per, "start")) : "-",
               per ? wz_jv_string(wz_jv_get(per, "end")) : "-", wz_jv_get_int(e->json, "persons"));
        gint64 sup = wz_jv_get_int(e->json, "supersedes");
        if (sup) printf("  supersedes %" G_GINT64_FORMAT " (%s)", sup, wz_jv_string(wz_jv_get(e->json, "reason")));
        if (wz_ledger_superseded(entries, e->id, 0)) printf("  [superseded]");
        putchar('\n');
    } else {
        printf("  entry %" G_GINT64_FORMAT " on %s\n", wz_jv_get_int(e->json, "entry"), wz_jv_string(wz_jv_get(e->json, "on")));
    }
}

/* ledger log L */
static int ledger_log(const cli_args *a, char **w, int n) {
    ledger_words lw;
    int code = read_ledger_words(w, n, 1, " ", &lw);
    if (code) return code;
    if (lw.npos < 1) return usage_error("ledger log needs a LEDGER");
    wz_diags *diags = wz_diags_new(a->max_errors);
    wz_ledger *l = wz_ledger_open(lw.pos[0], false, diags);
    GPtrArray *entries = l ? wz_ledger_entries(l, diags) : NULL;
    for (guint i = 0; entries && i < entries->len; i++) log_line(entries, g_ptr_array_index(entries, i));
    code = report(diags, false, NULL);
    if (entries) g_ptr_array_free(entries, TRUE);
    wz_ledger_close(l);
    wz_diags_free(diags);
    return code;
}

/* ledger show L ENTRY [--export DIR]: the entry's record, or its outputs written to DIR. */
static int ledger_show(const cli_args *a, char **w, int n) {
    ledger_words lw;
    int code = read_ledger_words(w, n, 2, " --export ", &lw);
    if (code) return code;
    if (lw.npos < 2) return usage_error("ledger show needs a LEDGER and an ENTRY");
    gint64 id;
    if ((code = read_entry_id(lw.pos[1], &id))) return code;
    wz_diags *diags = wz_diags_new(a->max_errors);
    wz_ledger *l = wz_ledger_open(lw.pos[0], false, diags);
    GPtrArray *entries = l ? wz_ledger_entries(l, diags) : NULL;
    const wz_ledger_entry *e = entries ? wz_ledger_entry_find(entries, id) : NULL;
    if (entries && !e)
        wz_diag_plain(diags, WZ_DIAG_USAGE, WZ_SEV_ERROR, lw.pos[0], "no entry %" PRId64 "; expected an id from `wenze ledger log`", id);
    else if (e && !lw.export_dir) {
        printf("entry %" G_GINT64_FORMAT "\nkind %s\ntime %s\nprev %s\nhash %s\n%s", e->id, e->kind, e->time, e->prev, e->hash, e->body);
    } else if (e && strcmp(e->kind, "run")) {
        wz_diag_plain(diags, WZ_DIAG_USAGE, WZ_SEV_ERROR, lw.pos[0], "entry %" PRId64 " is a %s; only a run has outputs to export", id, e->kind);
    } else if (e) {
        GHashTable *files = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, gstring_free);
        const wz_jv *outs = wz_jv_get(e->json, "outputs");
        bool ok = true;
        for (guint i = 0; i < wz_jv_len(outs); i++) {
            GBytes *b = wz_ledger_read_blob(l, wz_jv_string(wz_jv_get(wz_jv_at(outs, i), "blob")), diags);
            if (!b) {
                ok = false;
                continue;
            }
            gsize len = 0;
            const char *data = g_bytes_get_data(b, &len);
            g_hash_table_insert(files, (gpointer)wz_jv_string(wz_jv_get(wz_jv_at(outs, i), "file")), g_string_new_len(data, (gssize)len));
            g_bytes_unref(b);
        }
        if (ok && wz_output_write_files(files, lw.export_dir, diags))
            printf(_("wenze: wrote entry %" PRId64 "'s %u output files to %s/\n"), id, g_hash_table_size(files), lw.export_dir);
        g_hash_table_unref(files);
    }
    code = report(diags, false, NULL);
    if (entries) g_ptr_array_free(entries, TRUE);
    wz_ledger_close(l);
    wz_diags_free(diags);
    return code;
}

/* The verbs of `wenze ledger`, each with its synopsis. */
static const struct ledger_verb {
    const char *name;
    int (*run)(const cli_args *a, char **w, int n);
    const char *synopsis;
} ledger_verbs[] = {
    {"add-policy", ledger_add_policy, "add-policy LEDGER FILE [--from DATE] [--to DATE]"},
    {"appeal", ledger_appeal, "appeal LEDGER ENTRY --facts DIR --out DIR --reason TEXT"},
    {"publish", NULL, "publish LEDGER ENTRY [--on DATE]"},
    {"finalize", NULL, "finalize LEDGER ENTRY [--on DATE]"},
    {"verify", ledger_verify, "verify LEDGER"},
    {"log", ledger_log, "log LEDGER"},
    {"show", ledger_show, "show LEDGER ENTRY [--export DIR]"},
};

static int cmd_ledger(const cli_args *a) {
    if (a->nwords < 1) return usage_error("ledger needs a verb: add-policy, appeal, publish, finalize, verify, log or show");
    for (size_t i = 0; i < G_N_ELEMENTS(ledger_verbs); i++) {
        const struct ledger_verb *v = &ledger_verbs[i];
        if (strcmp(a->words[0], v->name)) continue;
        if (!v->run) return ledger_publication(a, v->name, a->words + 1, a->nwords - 1);
        return v->run(a, a->words + 1, a->nwords - 1);
    }
    return usage_error("unknown ledger verb '%s'; expected add-policy, appeal, publish, finalize, verify, log or show", a->words[0]);
}

/* replay L [--from D] [--to D] [--facts-root DIR]: every run entry again, one line each. */
static int cmd_replay(const cli_args *a) {
    ledger_words lw;
    int code = read_ledger_words(a->words, a->nwords, 1, " --from --to --facts-root ", &lw);
    if (code) return code;
    if (lw.npos < 1) return usage_error("replay needs a LEDGER");
    wz_date from = INT32_MIN, to = INT32_MAX;
    if ((lw.from && (code = read_date_opt("--from", lw.from, &from))) || (lw.to && (code = read_date_opt("--to", lw.to, &to))))
        return code;
    wz_diags *diags = wz_diags_new(a->max_errors);
    wz_ledger *l = wz_ledger_open(lw.pos[0], false, diags);
    guint count = 0, bad = 0, replayed = 0;
    char head[65], *why = NULL;
    gint64 broken = l ? wz_ledger_verify(l, &count, head, &why, diags) : -1;
    GPtrArray *entries = l && broken >= 0 ? wz_ledger_entries(l, diags) : NULL;
    for (guint i = 0; entries && i < entries->len; i++) {
        const wz_ledger_entry *e = g_ptr_array_index(entries, i);
        if (broken > 0 && e->id >= broken) {
            printf(_("entry %" PRId64 ": chain broken at entry %" PRId64 ": %s\n"), e->id, broken, why);
            bad++;
            break;
        }
        if (strcmp(e->kind, "run")) continue;
        const char *ds = wz_jv_string(wz_jv_get(e->json, "date"));
        if (!ds) ds = wz_jv_string(wz_jv_get(wz_jv_get(e->json, "period"), "end"));
        wz_date d = 0;
        if ((lw.from || lw.to) && (!ds || !wz_date_parse(ds, strlen(ds), &d) || d < from || d > to)) continue;
        GPtrArray *problems = g_ptr_array_new_with_free_func(g_free);
        wz_diags *ed = wz_diags_new(a->max_errors);
        wz_replay_status st = wz_ledger_replay(l, entries, e, lw.facts_root, NULL, (int)a->threads, problems, ed);
        replayed++;
        static const char *const words[] = {N_("identical"), N_("differs"), N_("facts changed since"), N_("policy text altered"), N_("failed")};
        printf(_("entry %" PRId64 ": %s"), e->id, _(words[st]));
        GString *what = g_string_new(NULL);
        for (guint k = 0; k < problems->len; k++) {
            const char *p = g_ptr_array_index(problems, k);
            g_string_append_printf(what, "%s%s", k ? "; " : "", p);
        }
        printf("%s%s\n", what->len ? ": " : "", what->str);
        g_string_free(what, TRUE);
        if (st != WZ_REPLAY_IDENTICAL) bad++;
        print_diags(ed);
        wz_diags_free(ed);
        g_ptr_array_free(problems, TRUE);
    }
    if (entries && broken > 0 && !bad) {
        printf(_("entry %" PRId64 ": chain broken: %s\n"), broken, why);
        bad++;
    }
    code = report(diags, false, NULL);
    if (code == EXIT_OK) {
        printf(ngettext("wenze: %u run replayed, %u identical, %u not\n", "wenze: %u runs replayed, %u identical, %u not\n", replayed),
               replayed, replayed - MIN(bad, replayed), bad);
        if (bad) code = EXIT_POLICY;
    }
    g_free(why);
    if (entries) g_ptr_array_free(entries, TRUE);
    wz_ledger_close(l);
    wz_diags_free(diags);
    return code;
}

/* ---- the command table ---- */

/* What a command accepts after its name; main() checks it before calling the command. */
typedef enum {
    TAKES_NOTHING,       /* no word at all */
    TAKES_POLICY,        /* a POLICY file, and --max-errors */
    TAKES_RUN_OPTIONS,   /* a POLICY file, --facts DIR --out DIR, and every other option */
    TAKES_EXPLAIN,       /* a POLICY file, --facts DIR --person ID, the run's options but --out, and --format/--lang */
    TAKES_WORDS,         /* any words, which the command reads itself (cli_args.words) */
} cli_takes;

/* A line of the usage text: the synopsis, then the help from column USAGE_COLUMN on
 * (a '\n' in the help continues it on the next line, at the same column). */
typedef struct cli_usage {
    const char *synopsis, *help;
} cli_usage;

enum { USAGE_COLUMN = 36 };

typedef struct cli_command {
    const char *name;
    int (*run)(const cli_args *a);
    cli_takes takes;
    cli_usage usage;   /* a NULL synopsis: an alias, not listed */
} cli_command;

/* The options of `run` beyond --facts and --out, listed below it. */
static const cli_usage run_options[] = {
    {"[--param NAME=VALUE]...", N_("override a param (over params.csv and the default)")},
    {"[--history DIR]", N_("earlier runs' output directories, one per period\n(needed by previous() and streak())")},
    {"[--trace]", N_("print every VM instruction to stderr")},
    {"[--timing]", N_("print the time of each phase to stderr")},
    {"[--quiet]", N_("no progress line (shown on a terminal only; it never\nchanges the outputs)")},
    {"[--threads N]", N_("use N threads (default: the number of processors);\nthe outputs are the same for any N")},
    {"[--encoding utf-8|gb18030]", N_("how CSV facts are encoded (default: UTF-8 when\nvalid, else GB18030, per file)")},
    {"[--sheet NAME]", N_("the sheet of .xlsx facts to read (default: the first)")},
    {"[--strict]", N_("refuse facts columns that no field reads\n(default: ignored and listed in summary.json)")},
    {"[--labels zh|en]", N_("headers in words (工号, 姓名, 考勤, 总分, 应发金额 …)\nand a name column, for people to read")},
    {"[--excel]", N_("CSV with a UTF-8 BOM and CRLF, as Excel and WPS\nopen it")},
    {"[--xlsx]", N_("also results.xlsx: a sheet per file, numbers as\nnumbers, the header row frozen")},
    {"[--ledger FILE [--store-facts]]", N_("record the run in the ledger (--store-facts: the\nfacts' bytes too); earlier periods from it")},
    {"[--date D]", N_("the decision's date; with --ledger and no POLICY,\nrun the policy version in force on D")},
    {"[--report FILE.html]", N_("also write one self-contained HTML page: summary,\ncharts, every person with a drill-down\n([--lang en|zh]: its language, else the policy's)")},
};

static const cli_command commands[] = {
    {"check", cmd_check, TAKES_POLICY,
     {"check POLICY [--werror]", N_("check a policy and warn about what cannot be\nright; print nothing when it is fine;\n--werror: a warning fails the check (exit 1)")}},
    {"run", cmd_run, TAKES_RUN_OPTIONS, {"run POLICY --facts DIR --out DIR", N_("evaluate the policy on a facts directory")}},
    {"explain", cmd_explain, TAKES_EXPLAIN,
     {"explain POLICY --facts DIR --person ID", N_("why one person (or school, goal…) got what it got:\nsections, rules and the rows they cite, sanctions,\nawards, responsibility, the pool's arithmetic\n[--format text|json] [--lang en|zh] [--why-not RULE]\n(a rule's parts, each with its value) and run's\n--param, --history, --threads,\n--encoding, --sheet, --strict")}},
    {"disasm", cmd_disasm, TAKES_POLICY, {"disasm POLICY", N_("print the compiled bytecode")}},
    {"ast", cmd_ast, TAKES_POLICY, {"ast POLICY", N_("print the syntax tree")}},
    {"diff", cmd_diff, TAKES_WORDS,
     {"diff OLD NEW [--facts DIR]", N_("what changed between two policy versions, item by\nitem (before → after, both files' lines); with\n--facts, whom it changes, by how much and which\nchange did it (each made alone); --out DIR writes\nimpact.csv and impact.json; --report FILE.html an\nHTML page of the changes and whom they change\n[--format text|json] [--param N=V]... [--history DIR]")}},
    {"test", cmd_test, TAKES_WORDS,
     {"test [--coverage] FILE...", N_("run a policy's tests (*.test.wz): ok or FAIL with\nexpected and actual, then 'N passed, N failed';\nexit 1 when one fails; --coverage: the rules\nno test fired")}},
    {"verify", cmd_verify, TAKES_WORDS,
     {"verify OUT [--rerun [--facts DIR]]", N_("check an output directory against its summary.json\n(every output's SHA-256); --rerun: run the recorded\ncommand again (facts from DIR) and compare byte for\nbyte, naming each changed input; exit 1 on a change")}},
    {"ledger", cmd_ledger, TAKES_WORDS,
     {"ledger VERB LEDGER …", N_("the decision ledger: add-policy LEDGER FILE [--from D]\n[--to D] (a version and its range); appeal LEDGER\nENTRY --facts DIR --out DIR --reason TEXT; publish\nand finalize LEDGER ENTRY [--on D] (3-day 公示);\nverify LEDGER (the hash chain); log LEDGER;\nshow LEDGER ENTRY [--export DIR]")}},
    {"replay", cmd_replay, TAKES_WORDS,
     {"replay LEDGER [--from D] [--to D]", N_("run every recorded run again from its recorded\npolicy text and facts and compare the outputs byte\nfor byte, one line per entry; exit 1 unless all are\nidentical [--facts-root DIR]")}},
    {"fmt", cmd_fmt, TAKES_WORDS, {"fmt [--check] [FILE]...", N_("lay policies out canonically, in place (no FILE or -:\nstdin to stdout); --check: print a diff, exit 1\nwhen a file would change")}},
    {"version", cmd_version, TAKES_NOTHING, {"version", N_("print the engine version")}},
    {"--version", cmd_version, TAKES_NOTHING, {NULL, NULL}},
    {"help", cmd_help, TAKES_NOTHING, {"help [COMMAND]", N_("print this text, or one command's help\n(as does wenze COMMAND --help)")}},
    {"--help", cmd_help, TAKES_NOTHING, {NULL, NULL}},
    {"-h", cmd_help, TAKES_NOTHING, {NULL, NULL}},
};

static void print_usage_line(FILE *to, int indent, const cli_usage *u) {
    /* padded by characters, not bytes: a synopsis may hold "…" */
    int width = (int)g_utf8_strlen(u->synopsis, -1), pad = USAGE_COLUMN - 2 - indent - width;
    fprintf(to, "%*s%s%*s  ", indent, "", u->synopsis, pad > 0 ? pad : 0, "");
    const char *h = _(u->help);
    for (const char *nl; (nl = strchr(h, '\n')); h = nl + 1)
        fprintf(to, "%.*s\n%*s", (int)(nl - h), h, USAGE_COLUMN, "");
    fprintf(to, "%s\n", h);
}

static void print_usage(FILE *to) {
    fputs(_("usage: wenze <command> [options]\n\ncommands:\n"), to);
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++) {
        const cli_command *c = &commands[i];
        if (!c->usage.synopsis) continue;
        print_usage_line(to, 2, &c->usage);
        if (c->takes == TAKES_RUN_OPTIONS)
            for (size_t k = 0; k < G_N_ELEMENTS(run_options); k++) print_usage_line(to, 6, &run_options[k]);
    }
    fputs(_("\noptions: --max-errors N (default 50) limits how many errors are listed;\n"
            "--lang zh|en: messages in Chinese or English (default: LC_ALL, LC_MESSAGES\n"
            "or LANG; zh_CN… is Chinese), with every command\n"
            "exit codes: 0 ok, 1 policy error, 2 facts error, 3 usage error, 4 I/O error\n"),
          to);
}

/* The command called NAME; an alias (--version) gives the command it stands for. */
static const cli_command *find_command(const char *name) {
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
        if (!strcmp(commands[i].name, name)) {
            for (size_t k = 0; !commands[i].usage.synopsis && k < G_N_ELEMENTS(commands); k++)
                if (commands[k].run == commands[i].run && commands[k].usage.synopsis) return &commands[k];
            return &commands[i];
        }
    return NULL;
}

/* One command's help, from the same table as the usage text: its synopsis, what it does,
 * and the options it takes. */
static void print_command_help(FILE *to, const cli_command *c) {
    if (c->run == cmd_help) {
        print_usage(to);
        return;
    }
    fprintf(to, _("usage: wenze %s\n\n%s\n"), c->usage.synopsis, _(c->usage.help));
    if (c->takes == TAKES_NOTHING) return;
    fputs(_("\noptions:\n"), to);
    if (c->takes == TAKES_RUN_OPTIONS)
        for (size_t k = 0; k < G_N_ELEMENTS(run_options); k++) print_usage_line(to, 2, &run_options[k]);
    print_usage_line(to, 2, &(cli_usage){"[--max-errors N]", N_("list at most N errors (default 50)")});
    print_usage_line(to, 2, &(cli_usage){"[--lang zh|en]", N_("messages in Chinese or English (default: LC_ALL,\nLC_MESSAGES or LANG)")});
}

/* `wenze help [COMMAND]`: the usage text, or one command's help. */
static int help_on(int argc, char **argv) {
    if (argc == 0) {
        print_usage(stdout);
        return EXIT_OK;
    }
    if (argc > 1) return usage_error("unexpected argument '%s'", argv[1]);
    const cli_command *c = find_command(argv[0]);
    if (!c) return usage_error("unknown command '%s'", argv[0]);
    print_command_help(stdout, c);
    return EXIT_OK;
}

/* Whether the words after a command ask for its help. */
static bool asks_help(int argc, char **argv) {
    for (int i = 0; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return true;
    return false;
}

/* Whether A holds what command C needs and nothing it does not take. */
static int check_args(const cli_command *c, const cli_args *a) {
    if (c->takes == TAKES_NOTHING || c->takes == TAKES_WORDS) return EXIT_OK;
    if (a->werror && c->run != cmd_check) return usage_error("--werror is an option of check only");
    if ((a->ledger || a->date || a->store_facts) && c->run != cmd_run)
        return usage_error("--ledger, --date and --store-facts are options of run");
    if (a->store_facts && !a->ledger) return usage_error("--store-facts needs --ledger FILE");
    if ((a->labels || a->excel || a->xlsx) && c->run != cmd_run) return usage_error("--labels, --excel and --xlsx are options of run");
    if (a->date && !a->policy_path && !a->ledger) return usage_error("--date without a POLICY needs --ledger FILE");
    if (!a->policy_path && !(a->ledger && a->date)) return usage_error("%s needs a POLICY file", c->name);
    bool explain_only = a->person || a->format || a->why_not;
    if (c->takes == TAKES_RUN_OPTIONS) {
        if (!a->facts_dir || !a->out_dir) return usage_error("%s needs --facts DIR and --out DIR", c->name);
        if (explain_only) return usage_error("%s does not take --person, --format or --why-not (explain does)", c->name);
    } else if (c->takes == TAKES_EXPLAIN) {
        if (!a->facts_dir || !a->person) return usage_error("%s needs --facts DIR and --person ID", c->name);
        if (a->out_dir || a->trace || a->timing) return usage_error("%s writes no files: it takes no --out, --trace or --timing", c->name);
        if (a->report) return usage_error("%s writes no files: it takes no --report (run and diff do)", c->name);
    } else if (explain_only || a->facts_dir || a->out_dir || a->report || a->history_dir || a->overrides->len || a->trace || a->timing ||
               a->threads_given || a->encoding_given || a->sheet || a->strict) {
        return usage_error("%s takes only a POLICY file", c->name);
    }
    return EXIT_OK;
}

/* Takes every "--lang zh|en" out of ARGV (*ARGC shrinks), since it is the one option of every
 * command and decides the language of every message, a usage error in a bad option included;
 * *LANG gets the last one's value, "" when the last has none.  The outputs do not depend on it,
 * so the command line summary.json records has none either. */
static void take_lang(int *argc, char **argv, const char **lang) {
    int n = 1;
    for (int i = 1; i < *argc; i++) {
        if (strcmp(argv[i], "--lang")) argv[n++] = argv[i];
        else *lang = i + 1 < *argc ? argv[++i] : "";
    }
    *argc = n;
    argv[n] = NULL;
}

int main(int argc, char **argv) {
    const char *lang = NULL;
    take_lang(&argc, argv, &lang);
    wz_lang_setup(lang && (!strcmp(lang, "zh") || !strcmp(lang, "en")) ? !strcmp(lang, "zh") : wz_lang_env_zh());
    if (lang && !*lang) return usage_error("%s needs a value", "--lang");
    if (lang && strcmp(lang, "zh") && strcmp(lang, "en")) return usage_error("--lang needs en or zh, found '%s'", lang);
    if (argc < 2) return usage_error("missing command");
    const cli_command *c = find_command(argv[1]);
    if (c && c->run == cmd_help) return help_on(argc - 2, argv + 2);
    if (c && asks_help(argc - 2, argv + 2)) {
        print_command_help(stdout, c);
        return EXIT_OK;
    }
    bool takes_nothing = c && c->takes == TAKES_NOTHING;
    if (takes_nothing && argc > 2) return usage_error("unexpected argument '%s'", argv[2]);
    cli_args a;
    cli_args_init(&a);
    a.lang = lang;   /* explain's and the report's language too (else the policy's) */
    /* the words are read even for an unknown command: a bad option is reported first */
    bool takes_words = c && c->takes == TAKES_WORDS;
    a.words = argv + 2;
    a.nwords = argc - 2;
    a.argv = argv;
    a.argc = argc;
    int code = takes_nothing || takes_words ? EXIT_OK : read_options(&a, argc - 2, argv + 2);
    if (code == EXIT_OK && !c) code = usage_error("unknown command '%s'", argv[1]);
    if (code == EXIT_OK) code = check_args(c, &a);
    if (code == EXIT_OK) code = c->run(&a);
    cli_args_clear(&a);
    return code;
}
