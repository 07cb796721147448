/* main.c — the `wenze` command: the only part of wenze that prints.
 *
 * One function per command (cmd_check, cmd_run, …), one table of commands at the
 * bottom that main() dispatches on and that print_usage() writes the usage text from.
 * The options are read once, by read_options(), into a cli_args for every command.
 *
 * Exit codes (README.md lists them): 0 ok, 1 policy error (or, with check --werror,
 * a warning), 2 facts error, 3 usage error, 4 I/O error.
 */
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "compile.h"
#include "engine.h"
#include "diff.h"
#include "explain.h"
#include "policytest.h"
#include "fmt.h"
#include "lint.h"
#include "output.h"
#include "parse.h"

enum { EXIT_OK = 0, EXIT_POLICY = 1, EXIT_FACTS = 2, EXIT_USAGE = 3, EXIT_IO = 4 };

/* What the command line says after the command name. The strings point into argv. */
typedef struct cli_args {
    const char *policy_path, *facts_dir, *out_dir, *history_dir;
    const char *person, *format, *lang, *why_not;   /* explain: --person ID, --format text|json, --lang en|zh, --why-not RULE */
    const char *sheet;      /* --sheet NAME: the sheet of .xlsx facts */
    wz_encoding encoding;   /* --encoding utf-8|gb18030 of CSV facts (default: detected per file) */
    bool encoding_given, strict;   /* --strict: a facts column no field reads is an error */
    GPtrArray *overrides;   /* the --param NAME=VALUE strings, in order; owned (the array only) */
    guint max_errors;
    guint threads;          /* the number of processors (at most 64) unless --threads is given */
    bool threads_given, trace, timing;
    bool werror;            /* check: a warning fails the check (exit 1) */
    char **words;           /* the words after the command, for one that reads them itself (fmt) */
    int nwords;
} cli_args;

static void print_usage(FILE *to);   /* from the command table, at the bottom */

/* ---- messages and exit codes ---- */

static int usage_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static int usage_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("wenze: ", stderr);
    vfprintf(stderr, fmt, ap);
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
        fprintf(stderr, "wenze: %u more error%s not shown (raise --max-errors to see them)\n", d->dropped,
                d->dropped == 1 ? "" : "s");
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
        fprintf(stderr, "wenze: run failed with %u error%s; no output was written to %s\n", n, n == 1 ? "" : "s",
                run_out_dir);
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
                                        "--person", "--format", "--lang", "--why-not", "--encoding", "--sheet"};
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
    else if (!strcmp(opt, "--person")) a->person = val;
    else if (!strcmp(opt, "--why-not")) a->why_not = val;
    else if (!strcmp(opt, "--sheet")) a->sheet = val;
    else if (!strcmp(opt, "--encoding")) {
        if (!wz_encoding_parse(val, &a->encoding) || !strcmp(val, "auto"))
            return usage_error("--encoding needs utf-8 or gb18030, found '%s'", val);
        a->encoding_given = true;
    }
    else if (!strcmp(opt, "--format")) {
        if (strcmp(val, "text") && strcmp(val, "json")) return usage_error("--format needs text or json, found '%s'", val);
        a->format = val;
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
    if (!g_file_get_contents(a->policy_path, &text, &len, &err)) {
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
        fprintf(stderr, "wenze: %u warning%s treated as error%s (--werror)\n", warnings, warnings == 1 ? "" : "s",
                warnings == 1 ? "" : "s");
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
}

static void run_policy(const cli_args *a, const wz_policy *policy, wz_diags *diags) {
    GString *trace_out = a->trace ? g_string_new(NULL) : NULL;
    wz_engine_options opts = {.overrides = a->overrides, .trace = trace_out, .threads = (int)a->threads,
                              .history_dir = a->history_dir, .encoding = a->encoding, .sheet = a->sheet, .strict = a->strict};
    wz_result *r = wz_engine_run_opts(policy, a->facts_dir, &opts, diags);
    if (trace_out) {
        fputs(trace_out->str, stderr);
        g_string_free(trace_out, TRUE);
    }
    int64_t out_start = g_get_monotonic_time();
    if (r && wz_output_write(r, a->out_dir, diags)) {
        if (a->timing)
            fprintf(stderr, "wenze: timing (ms): facts %.1f, evaluation %.1f, pay %.1f, outputs %.1f; %u thread%s\n",
                    r->us_facts / 1e3, r->us_vm / 1e3, r->us_pay / 1e3, (g_get_monotonic_time() - out_start) / 1e3,
                    a->threads, a->threads == 1 ? "" : "s");
        print_run_summary(policy, r, a->out_dir);
    } else if (!wz_diags_has_errors(diags)) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, a->out_dir, "nothing was written");
    }
    wz_result_free(r);
}

static int cmd_run(const cli_args *a) {
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
    } else if (!g_file_get_contents(path, &text, &len, &err)) {
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
    if (!wz_diags_has_errors(diags)) printf("%u passed, %u failed\n", counts.passed, counts.failed);   /* else the error is the outcome */
    g_ptr_array_free(files, TRUE);
    int code = report(diags, counts.failed > 0, NULL);
    wz_diags_free(diags);
    return code;
}

/* diff OLD NEW [--format text|json] [--facts DIR [--param N=V]... [--history DIR]]: what changed
 * between two versions, and with --facts whom it changes. */
static int cmd_diff(const cli_args *a) {
    const char *files[2] = {NULL, NULL}, *facts = NULL, *history = NULL;
    bool json = false;
    GPtrArray *overrides = g_ptr_array_new();
    int nfiles = 0, code = EXIT_OK;
    for (int i = 0; i < a->nwords && code == EXIT_OK; i++) {
        const char *w = a->words[i];
        bool valued = !strcmp(w, "--facts") || !strcmp(w, "--format") || !strcmp(w, "--param") || !strcmp(w, "--history");
        if (valued && i + 1 == a->nwords) code = usage_error("%s needs a value", w);
        else if (!strcmp(w, "--facts")) facts = a->words[++i];
        else if (!strcmp(w, "--history")) history = a->words[++i];
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
    if (code != EXIT_OK) {
        g_ptr_array_free(overrides, TRUE);
        return code;
    }
    wz_diags *diags = wz_diags_new(a->max_errors);
    wz_policy *old = wz_policy_load(files[0], diags), *new_ = old ? wz_policy_load(files[1], diags) : NULL;
    GString *out = g_string_new(NULL);
    if (old && new_) {
        wz_diff_policies(old, new_, json && !facts, out);
        if (facts) {
            wz_engine_options opts = {.overrides = overrides, .threads = (int)a->threads, .history_dir = history};
            wz_result *ra = wz_engine_run_opts(old, facts, &opts, diags);
            wz_result *rb = ra ? wz_engine_run_opts(new_, facts, &opts, diags) : NULL;
            if (rb) {
                if (json) g_string_truncate(out, 0);
                wz_diff_impact(ra, rb, json, out);
            }
            wz_result_free(ra);
            wz_result_free(rb);
        }
    }
    if (!wz_diags_has_errors(diags)) fputs(out->str, stdout);
    g_string_free(out, TRUE);
    code = report(diags, !old || !new_, NULL);
    wz_policy_free(old);
    wz_policy_free(new_);
    wz_diags_free(diags);
    g_ptr_array_free(overrides, TRUE);
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
    {"[--param NAME=VALUE]...", "override a param (over params.csv and the default)"},
    {"[--history DIR]", "earlier runs' output directories, one per period\n(needed by previous() and streak())"},
    {"[--trace]", "print every VM instruction to stderr"},
    {"[--timing]", "print the time of each phase to stderr"},
    {"[--threads N]", "use N threads (default: the number of processors);\nthe outputs are the same for any N"},
    {"[--encoding utf-8|gb18030]", "how CSV facts are encoded (default: UTF-8 when\nvalid, else GB18030, per file)"},
    {"[--sheet NAME]", "the sheet of .xlsx facts to read (default: the first)"},
    {"[--strict]", "refuse facts columns that no field reads\n(default: ignored and listed in summary.json)"},
};

static const cli_command commands[] = {
    {"check", cmd_check, TAKES_POLICY,
     {"check POLICY [--werror]", "check a policy and warn about what cannot be\nright; print nothing when it is fine;\n--werror: a warning fails the check (exit 1)"}},
    {"run", cmd_run, TAKES_RUN_OPTIONS, {"run POLICY --facts DIR --out DIR", "evaluate the policy on a facts directory"}},
    {"explain", cmd_explain, TAKES_EXPLAIN,
     {"explain POLICY --facts DIR --person ID", "why one person (or school, goal…) got what it got:\nsections, rules and the rows they cite, sanctions,\nawards, responsibility, the pool's arithmetic\n[--format text|json] [--lang en|zh] [--why-not RULE]\n(a rule's parts, each with its value) and run's\n--param, --history, --threads,\n--encoding, --sheet, --strict"}},
    {"disasm", cmd_disasm, TAKES_POLICY, {"disasm POLICY", "print the compiled bytecode"}},
    {"ast", cmd_ast, TAKES_POLICY, {"ast POLICY", "print the syntax tree"}},
    {"diff", cmd_diff, TAKES_WORDS,
     {"diff OLD NEW [--facts DIR]", "what changed between two policy versions, item by\nitem (before → after, both files' lines); with\n--facts, whom it changes and by how much\n[--format text|json] [--param N=V]... [--history DIR]"}},
    {"test", cmd_test, TAKES_WORDS,
     {"test [--coverage] FILE...", "run a policy's tests (*.test.wz): ok or FAIL with\nexpected and actual, then 'N passed, N failed';\nexit 1 when one fails; --coverage: the rules\nno test fired"}},
    {"fmt", cmd_fmt, TAKES_WORDS, {"fmt [--check] [FILE]...", "lay policies out canonically, in place (no FILE or -:\nstdin to stdout); --check: print a diff, exit 1\nwhen a file would change"}},
    {"version", cmd_version, TAKES_NOTHING, {"version", "print the engine version"}},
    {"--version", cmd_version, TAKES_NOTHING, {NULL, NULL}},
    {"help", cmd_help, TAKES_NOTHING, {"help [COMMAND]", "print this text, or one command's help\n(as does wenze COMMAND --help)"}},
    {"--help", cmd_help, TAKES_NOTHING, {NULL, NULL}},
    {"-h", cmd_help, TAKES_NOTHING, {NULL, NULL}},
};

static void print_usage_line(FILE *to, int indent, const cli_usage *u) {
    fprintf(to, "%*s%-*s  ", indent, "", USAGE_COLUMN - 2 - indent, u->synopsis);
    const char *h = u->help;
    for (const char *nl; (nl = strchr(h, '\n')); h = nl + 1)
        fprintf(to, "%.*s\n%*s", (int)(nl - h), h, USAGE_COLUMN, "");
    fprintf(to, "%s\n", h);
}

static void print_usage(FILE *to) {
    fputs("usage: wenze <command> [options]\n\ncommands:\n", to);
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++) {
        const cli_command *c = &commands[i];
        if (!c->usage.synopsis) continue;
        print_usage_line(to, 2, &c->usage);
        if (c->takes == TAKES_RUN_OPTIONS)
            for (size_t k = 0; k < G_N_ELEMENTS(run_options); k++) print_usage_line(to, 6, &run_options[k]);
    }
    fputs("\noptions: --max-errors N (default 50) limits how many errors are listed\n"
          "exit codes: 0 ok, 1 policy error, 2 facts error, 3 usage error, 4 I/O error\n",
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
    fprintf(to, "usage: wenze %s\n\n%s\n", c->usage.synopsis, c->usage.help);
    if (c->takes == TAKES_NOTHING) return;
    fputs("\noptions:\n", to);
    if (c->takes == TAKES_RUN_OPTIONS)
        for (size_t k = 0; k < G_N_ELEMENTS(run_options); k++) print_usage_line(to, 2, &run_options[k]);
    print_usage_line(to, 2, &(cli_usage){"[--max-errors N]", "list at most N errors (default 50)"});
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
    if (!a->policy_path) return usage_error("%s needs a POLICY file", c->name);
    bool explain_only = a->person || a->format || a->lang || a->why_not;
    if (c->takes == TAKES_RUN_OPTIONS) {
        if (!a->facts_dir || !a->out_dir) return usage_error("%s needs --facts DIR and --out DIR", c->name);
        if (explain_only) return usage_error("%s does not take --person, --format or --lang (explain does)", c->name);
    } else if (c->takes == TAKES_EXPLAIN) {
        if (!a->facts_dir || !a->person) return usage_error("%s needs --facts DIR and --person ID", c->name);
        if (a->out_dir || a->trace || a->timing) return usage_error("%s writes no files: it takes no --out, --trace or --timing", c->name);
    } else if (explain_only || a->facts_dir || a->out_dir || a->history_dir || a->overrides->len || a->trace || a->timing ||
               a->threads_given || a->encoding_given || a->sheet || a->strict) {
        return usage_error("%s takes only a POLICY file", c->name);
    }
    return EXIT_OK;
}

int main(int argc, char **argv) {
    setlocale(LC_ALL, "C.UTF-8");
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
    /* the words are read even for an unknown command: a bad option is reported first */
    bool takes_words = c && c->takes == TAKES_WORDS;
    a.words = argv + 2;
    a.nwords = argc - 2;
    int code = takes_nothing || takes_words ? EXIT_OK : read_options(&a, argc - 2, argv + 2);
    if (code == EXIT_OK && !c) code = usage_error("unknown command '%s'", argv[1]);
    if (code == EXIT_OK) code = check_args(c, &a);
    if (code == EXIT_OK) code = c->run(&a);
    cli_args_clear(&a);
    return code;
}
