/* test_output.c — the files `wenze run` writes.
 *
 * Covers wz_csv_field quoting and wz_json_string escaping; the exact bytes of
 * scores.csv, pay.csv, sanctions.csv, findings.jsonl and summary.json for a
 * tiny policy (CSV quoting of ids, money with exactly 2 places, non-
 * terminating scores rounded half-up at the policy's display places, an empty
 * grade column without a grade, pool/residue figures); that every JSON text
 * parses with json-glib; and wz_output_write: writing a new directory,
 * replacing an earlier output (stale files go), refusing to replace anything
 * else (left untouched, I/O diagnostic), and never leaving temporary
 * directories behind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "check.h"
#include "engine.h"
#include "output.h"
#include "sha256.h"
#include "test_util.h"

/* ---- quoting and escaping ---------------------------------------------------- */

static void expect_csv(const char *in, const char *want)
{
    GString *s = g_string_new("x,");
    wz_csv_field(s, in);
    char *full = g_strconcat("x,", want, NULL);
    assert_string_equal(s->str, full);   /* appends, never replaces */
    g_free(full);
    g_string_free(s, TRUE);
}

static void test_csv_field_quotes_only_when_needed(void **state)
{
    (void)state;
    expect_csv("plain", "plain");
    expect_csv("", "");
    expect_csv("王建国", "王建国");
    expect_csv(" spaced ", " spaced ");
    expect_csv("a,b", "\"a,b\"");
    expect_csv("say \"hi\"", "\"say \"\"hi\"\"\"");
    expect_csv("\"", "\"\"\"\"");
    expect_csv("line\nbreak", "\"line\nbreak\"");
    expect_csv("cr\rhere", "\"cr\rhere\"");
    expect_csv("张三,\"李四\"", "\"张三,\"\"李四\"\"\"");
}

static char *json_of(const char *in)
{
    GString *s = g_string_new(NULL);
    wz_json_string(s, in);
    return g_string_free(s, FALSE);
}

static void test_json_string_escapes(void **state)
{
    (void)state;
    const char *cases[][2] = {
        {"plain", "\"plain\""},
        {"", "\"\""},
        {"a\"b", "\"a\\\"b\""},
        {"back\\slash", "\"back\\\\slash\""},
        {"n\nr\rt\t", "\"n\\nr\\rt\\t\""},
        {"\x01\x1f", "\"\\u0001\\u001f\""},
        {"\x7f", "\"\x7f\""},
        {"病假: 扣 0.2 分", "\"病假: 扣 0.2 分\""},
        {"/", "\"/\""},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *got = json_of(cases[i][0]);
        assert_string_equal(got, cases[i][1]);
        g_free(got);
    }
    /* every control character survives a round trip through a JSON parser */
    GString *all = g_string_new(NULL);
    for (int c = 1; c < 0x20; c++) g_string_append_c(all, (char)c);
    g_string_append(all, "\"\\东流");
    char *lit = json_of(all->str);
    char *doc = g_strdup_printf("[%s]", lit);
    JsonParser *jp = json_parser_new();
    assert_true(json_parser_load_from_data(jp, doc, -1, NULL));
    JsonArray *arr = json_node_get_array(json_parser_get_root(jp));
    assert_string_equal(json_array_get_string_element(arr, 0), all->str);
    g_object_unref(jp);
    g_free(doc);
    g_free(lit);
    g_string_free(all, TRUE);
}

/* ---- fixture ----------------------------------------------------------------- */

typedef struct fx {
    char *facts;       /* facts directory */
    char *parent;      /* where outputs go */
    wz_diags *d;
    wz_policy *p, *p2;
    wz_result *r, *r2;
    GHashTable *files;
} fx;


static int setup(void **state)
{
    fx *x = g_new0(fx, 1);
    x->facts = g_dir_make_tmp("wz-out-facts-XXXXXX", NULL);
    x->parent = g_dir_make_tmp("wz-out-XXXXXX", NULL);
    if (!x->facts || !x->parent) return -1;
    x->d = wz_diags_new(0);
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    fx *x = *state;
    test_remove_tree(x->facts);
    test_remove_tree(x->parent);
    g_free(x->facts);
    g_free(x->parent);
    if (x->files) g_hash_table_unref(x->files);
    wz_result_free(x->r);
    wz_result_free(x->r2);
    wz_policy_free(x->p);
    wz_policy_free(x->p2);
    wz_diags_free(x->d);
    g_free(x);
    return 0;
}

static void put(const char *dir, const char *name, const char *text) { test_put_file(dir, name, text, strlen(text)); }

static char *slurp(const char *dir, const char *name)
{
    char *path = g_build_filename(dir, name, NULL), *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, NULL)) text = NULL;
    g_free(path);
    return text;
}

static char *sha256_of(const char *text)
{
    return g_compute_checksum_for_string(G_CHECKSUM_SHA256, text, -1);
}

static wz_policy *load(fx *x, const char *text)
{
    wz_policy *p = wz_policy_load_text("dir/t.wz", text, strlen(text), x->d);
    if (!p) {
        char *r = x->d->items->len ? wz_diag_render(g_ptr_array_index(x->d->items, 0)) : g_strdup("?");
        fail_msg("policy rejected: %s", r);
    }
    return p;
}

static wz_result *run(fx *x, const wz_policy *p)
{
    wz_result *r = wz_engine_run(p, x->facts, NULL, NULL, x->d);
    if (!r) {
        char *m = x->d->items->len ? wz_diag_render(g_ptr_array_index(x->d->items, 0)) : g_strdup("?");
        fail_msg("run failed: %s", m);
    }
    return r;
}

/* Line numbers below refer to this text. */
static const char POLICY[] =
    "policy \"小测试\" version \"1.0\";\n"                                                      /* 1 */
    "display 2;\n"                                                                                /* 2 */
    "param pool: decimal = 100;\n"                                                                /* 3 */
    "period year from 2019-09-01 to 2020-07-15;\n"                                                /* 4 */
    "fact staff persons key id { id: text; h: decimal; }\n"                                       /* 5 */
    "fact leave dated by date { id: person; date: date; kind: enum(病假, 事假); days: decimal; }\n" /* 6 */
    "fact disc dated by date { id: person; date: date; level: enum(警告, 记过); }\n"              /* 7 */
    "ladder L { 警告: cut 10%; 记过: cut 50%; }\n"                                                /* 8 */
    "sanction d \"处分\" ladder L from disc.level;\n"                                             /* 9 */
    "notice busy \"工作量\\\"偏高\\\"\" when staff.h > 20;\n"                                     /* 10 */
    "section att \"考勤\" points 10 floor 0 {\n"                                                  /* 11 */
    "    deduct sick \"病假\" 0.25 per sum(leave.days where kind == 病假);\n"                     /* 12 */
    "}\n"                                                                                         /* 13 */
    "section w \"工作量\" = staff.h / 3;\n"                                                       /* 14 */
    "total = (att + w) * (1 - cut(L));\n"                                                         /* 15 */
    "let basis = classify { score otherwise; };\n"                                                /* 16 */
    "distribute pool by basis round 2 { score: 1 by total; }\n";                                  /* 17 */

static const char STAFF[] = "id,h\n\"A,1\",10\nB,30\nC,2\n";
static const char LEAVE[] = "id,date,kind,days\n\"A,1\",2019-10-01,病假,2\nB,2020-08-01,病假,9\n";
static const char DISC[] = "id,date,level\nB,2019-11-11,警告\n";

static void render_tiny(fx *x)
{
    put(x->facts, "staff.csv", STAFF);
    put(x->facts, "leave.csv", LEAVE);
    put(x->facts, "disc.csv", DISC);
    x->p = load(x, POLICY);
    x->r = run(x, x->p);
    x->files = wz_output_render(x->r);
}

static const char *file_text(const fx *x, const char *name)
{
    GString *s = g_hash_table_lookup(x->files, name);
    if (!s) fail_msg("no %s rendered", name);
    return s->str;
}

/* ---- rendered files ------------------------------------------------------------ */

static void test_render_produces_exactly_the_five_files(void **state)
{
    fx *x = *state;
    render_tiny(x);
    assert_int_equal(g_hash_table_size(x->files), 5);
    const char *names[] = {"scores.csv", "pay.csv", "sanctions.csv", "findings.jsonl", "summary.json"};
    for (guint i = 0; i < G_N_ELEMENTS(names); i++) assert_non_null(g_hash_table_lookup(x->files, names[i]));
}

static void test_scores_csv_rounds_for_display_only(void **state)
{
    fx *x = *state;
    render_tiny(x);
    /* A: 9.5 + 10/3 = 12.8333…; C: 10 + 2/3 = 10.6666… (half-up at `display 2`); no grade: empty column */
    assert_string_equal(file_text(x, "scores.csv"),
                        "person,att,w,total,grade\n"
                        "\"A,1\",9.5,3.33,12.83,\n"
                        "B,10,10,18,\n"
                        "C,10,0.67,10.67,\n");
    /* the values themselves stay exact */
    wz_value w = wz_vm_value(x->r->vm, wz_policy_find_def(x->p, "w"), 2);
    wz_dec two_thirds;
    assert_int_equal(wz_dec_div(wz_dec_from_int(2), wz_dec_from_int(3), &two_thirds), WZ_DEC_OK);
    assert_int_equal(wz_dec_cmp(w.d, two_thirds), 0);
}

static void test_pay_csv_money_has_two_places(void **state)
{
    fx *x = *state;
    render_tiny(x);
    /* by total: 77/6, 18, 32/3 of 249/6 → 100 × 77/249, 108/249, 64/249 */
    assert_string_equal(file_text(x, "pay.csv"),
                        "person,basis,reward,stipend,amount\n"
                        "\"A,1\",score,30.92,0.00,30.92\n"
                        "B,score,43.37,0.00,43.37\n"
                        "C,score,25.70,0.00,25.70\n");
}

static void test_sanctions_csv(void **state)
{
    fx *x = *state;
    render_tiny(x);
    assert_string_equal(file_text(x, "sanctions.csv"), "person,sanction,rule,source\nB,警告,d,t.wz:9\n");
}

/* Findings say what happened in short (issue 10): a rule's points rounded to the display
 * places (exact in "points"), a sanction's tier by its label with what it does, and a
 * person on a fixed share (an average, an exclusion) a "pay" finding of its own. */
static const char POLICY_MESSAGES[] =
    "policy \"消息\" version \"1\";\n"                                                            /* 1 */
    "display 2;\n"                                                                                /* 2 */
    "param pool: decimal = 300;\n"                                                                /* 3 */
    "fact staff persons key id { id: text; kind: enum(在岗, 停发); n: int; lv: enum(警告, 开除) optional; }\n" /* 4 */
    "grade = classify { 优秀 when total >= 10; 合格 otherwise; };\n"                              /* 5 */
    "ladder L { 警告 \"警告处分\": cut 10%, grade 合格; 开除: exclude; }\n"                        /* 6 */
    "sanction d \"处分\" ladder L tier 警告 when staff.n > 3;\n"                                 /* 7 */
    "section s \"分\" points 10 floor 0 {\n"                                                       /* 8 */
    "    bonus third \"三分之一\" (1 / 3) per staff.n;\n"                                         /* 9 */
    "}\n"                                                                                         /* 10 */
    "let basis = classify { out when staff.kind == 停发; avg when staff.n == 0; score otherwise; };\n" /* 11 */
    "distribute pool by basis round 2 { out: 0; avg: 1; score: 1 by total; }\n";                  /* 12 */

static void test_finding_messages_say_what_happened(void **state)
{
    fx *x = *state;
    put(x->facts, "staff.csv", "id,kind,n,lv\nA,在岗,5,警告\nB,停发,0,\nC,在岗,0,\n");
    x->p = load(x, POLICY_MESSAGES);
    x->r = run(x, x->p);
    x->files = wz_output_render(x->r);
    const char *f = file_text(x, "findings.jsonl");
    /* 5/3 points: 1.67 in the message, exact in "points" */
    assert_non_null(strstr(f, "\"points\":\"1.666666666666666666666666666667\","));
    assert_non_null(strstr(f, "\"message\":\"三分之一: add 1.67 points\"}"));
    /* the tier by its label, with its cut and grade cap */
    assert_non_null(strstr(f, "\"message\":\"处分: 警告处分 (cut 10% of the total; grade at most 合格)\"}"));
    /* B is excluded, C takes the average share: each a pay finding citing the share and the case */
    assert_non_null(strstr(f, "{\"person\":\"B\",\"rule\":\"distribute\",\"kind\":\"pay\",\"source\":\"t.wz:12:36\","
                              "\"basis\":\"out\",\"amount\":\"0.00\",\"rows\":[],"
                              "\"message\":\"basis out (t.wz:11): no share of the pool\"}\n"));
    assert_non_null(strstr(f, "{\"person\":\"C\",\"rule\":\"distribute\",\"kind\":\"pay\""));
    assert_non_null(strstr(f, "\"message\":\"basis avg (t.wz:11): 1 unit × 150 元 = 150.00 元\"}\n"));
    assert_null(strstr(f, "{\"person\":\"A\",\"rule\":\"distribute\""));   /* a pro-rata share: pay.csv says it */
    /* the CLI's and summary.json's count include them: one sanction, one bonus, two pay findings */
    assert_int_equal(wz_result_count(x->r).findings, 4);
}

static void test_findings_jsonl_lines(void **state)
{
    fx *x = *state;
    render_tiny(x);
    assert_string_equal(
        file_text(x, "findings.jsonl"),
        "{\"person\":\"A,1\",\"rule\":\"att.sick\",\"kind\":\"deduct\",\"source\":\"t.wz:12:5\",\"points\":\"-0.5\","
        "\"rows\":[{\"file\":\"leave.csv\",\"row\":2}],\"message\":\"病假: deduct 0.5 points\"}\n"
        "{\"person\":\"B\",\"rule\":\"d\",\"kind\":\"sanction\",\"source\":\"t.wz:9:1\",\"sanction\":\"警告\","
        "\"rows\":[{\"file\":\"disc.csv\",\"row\":2}],\"message\":\"处分: 警告 (cut 10% of the total)\"}\n"
        "{\"person\":\"B\",\"rule\":\"busy\",\"kind\":\"notice\",\"source\":\"t.wz:10:1\",\"rows\":[],"
        "\"message\":\"工作量\\\"偏高\\\"\"}\n");
    /* every line is a JSON object of its own */
    char **lines = g_strsplit(file_text(x, "findings.jsonl"), "\n", -1);
    guint n = 0;
    for (char **l = lines; *l && **l; l++, n++) {
        JsonParser *jp = json_parser_new();
        GError *err = NULL;
        if (!json_parser_load_from_data(jp, *l, -1, &err)) fail_msg("line %u: %s", n + 1, err->message);
        JsonObject *o = json_node_get_object(json_parser_get_root(jp));
        assert_non_null(o);
        assert_true(json_object_has_member(o, "person") && json_object_has_member(o, "rows"));
        if (n == 2) assert_string_equal(json_object_get_string_member(o, "message"), "工作量\"偏高\"");
        g_object_unref(jp);
    }
    assert_int_equal(n, 3);
    g_strfreev(lines);
}

static void test_summary_json(void **state)
{
    fx *x = *state;
    render_tiny(x);
    char *psha = sha256_of(POLICY), *s1 = sha256_of(STAFF), *s2 = sha256_of(LEAVE), *s3 = sha256_of(DISC);
    /* summary.json ends with the SHA-256 of every output beside it */
    const char *outs[] = {"scores.csv", "pay.csv", "sanctions.csv", "findings.jsonl"};
    char o[4][65];
    for (int i = 0; i < 4; i++) wz_sha256_hex(file_text(x, outs[i]), strlen(file_text(x, outs[i])), o[i]);
    char *want = g_strdup_printf(
        "{\n"
        "\"policy\": {\"name\": \"小测试\", \"version\": \"1.0\", \"file\": \"t.wz\", \"sha256\": \"%s\"},\n"
        "\"engine\": {\"name\": \"wenze\", \"version\": \"" WZ_VERSION "\"},\n"
        "\"params\": {\n  \"pool\": {\"value\": \"100\", \"source\": \"default\"}},\n"
        "\"period\": {\"start\": \"2019-09-01\", \"end\": \"2020-07-15\"},\n"
        "\"facts\": [\n"
        "  {\"file\": \"staff.csv\", \"sha256\": \"%s\", \"rows_read\": 3, \"rows_ignored\": 0},\n"
        "  {\"file\": \"leave.csv\", \"sha256\": \"%s\", \"rows_read\": 2, \"rows_ignored\": 1},\n"
        "  {\"file\": \"disc.csv\", \"sha256\": \"%s\", \"rows_read\": 1, \"rows_ignored\": 0}],\n"
        "\"counts\": {\"persons\": 3, \"rows_read\": 6, \"rows_ignored\": 1, \"findings\": 3, \"sanctions\": 1},\n"
        "\"pay\": {\"pool\": \"100.00\", \"stipends\": \"0.00\", \"distributed\": \"99.99\", \"residue\": \"0.01\"},\n"
        "\"command\": [],\n"
        "\"inputs\": [\n"
        "  {\"kind\": \"policy\", \"file\": \"t.wz\", \"sha256\": \"%s\"},\n"
        "  {\"kind\": \"facts\", \"file\": \"staff.csv\", \"sha256\": \"%s\"},\n"
        "  {\"kind\": \"facts\", \"file\": \"leave.csv\", \"sha256\": \"%s\"},\n"
        "  {\"kind\": \"facts\", \"file\": \"disc.csv\", \"sha256\": \"%s\"}],\n"
        "\"outputs\": [\n"
        "  {\"file\": \"scores.csv\", \"sha256\": \"%s\"},\n"
        "  {\"file\": \"pay.csv\", \"sha256\": \"%s\"},\n"
        "  {\"file\": \"sanctions.csv\", \"sha256\": \"%s\"},\n"
        "  {\"file\": \"findings.jsonl\", \"sha256\": \"%s\"}]\n"
        "}\n",
        psha, s1, s2, s3, psha, s1, s2, s3, o[0], o[1], o[2], o[3]);
    assert_string_equal(file_text(x, "summary.json"), want);
    g_free(want);
    g_free(psha);
    g_free(s1);
    g_free(s2);
    g_free(s3);
    /* and it is JSON */
    JsonParser *jp = json_parser_new();
    GError *err = NULL;
    if (!json_parser_load_from_data(jp, file_text(x, "summary.json"), -1, &err)) fail_msg("%s", err->message);
    JsonObject *pay = json_object_get_object_member(json_node_get_object(json_parser_get_root(jp)), "pay");
    assert_string_equal(json_object_get_string_member(pay, "residue"), "0.01");
    assert_string_equal(json_object_get_string_member(pay, "pool"), "100.00");
    g_object_unref(jp);
}

/* Without a distribute there is no pay.csv and no "pay" in the summary. */
static void test_render_without_pay(void **state)
{
    fx *x = *state;
    put(x->facts, "staff.csv", "id\nA\n");
    x->p = load(x, "policy \"t\" version \"1\";\nfact staff persons key id { id: text; }\nsection s points 5 { }\n");
    x->r = run(x, x->p);
    x->files = wz_output_render(x->r);
    assert_null(g_hash_table_lookup(x->files, "pay.csv"));
    assert_int_equal(g_hash_table_size(x->files), 4);
    assert_string_equal(file_text(x, "scores.csv"), "person,s,total,grade\nA,5,5,\n");
    assert_string_equal(file_text(x, "sanctions.csv"), "person,sanction,rule,source\n");
    assert_string_equal(file_text(x, "findings.jsonl"), "");
    assert_null(strstr(file_text(x, "summary.json"), "\"pay\""));
    JsonParser *jp = json_parser_new();
    assert_true(json_parser_load_from_data(jp, file_text(x, "summary.json"), -1, NULL));
    g_object_unref(jp);
}

/* ---- writing --------------------------------------------------------------------- */

static int cmp_names(gconstpointer a, gconstpointer b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The names in dir, sorted and joined by spaces. */
static char *sorted_listing(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    if (!d) return g_strdup("(none)");
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    while ((name = g_dir_read_name(d))) g_ptr_array_add(names, g_strdup(name));
    g_dir_close(d);
    g_ptr_array_sort(names, cmp_names);
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < names->len; i++) g_string_append_printf(s, "%s%s", i ? " " : "", (char *)names->pdata[i]);
    g_ptr_array_unref(names);
    return g_string_free(s, FALSE);
}

static void expect_listing(const char *dir, const char *want)
{
    char *got = sorted_listing(dir);
    if (strcmp(got, want)) fail_msg("%s holds '%s', expected '%s'", dir, got, want);
    g_free(got);
}

#define ALL_FILES "findings.jsonl pay.csv sanctions.csv scores.csv summary.json"

/* Each written file holds exactly what was rendered. */
static void expect_written(const fx *x, const char *out)
{
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, x->files);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        char *text = slurp(out, k);
        if (!text) fail_msg("%s was not written", (char *)k);
        assert_string_equal(text, ((GString *)v)->str);
        g_free(text);
    }
}

static void test_write_creates_a_new_directory(void **state)
{
    fx *x = *state;
    render_tiny(x);
    char *out = g_build_filename(x->parent, "out", NULL);
    assert_true(wz_output_write(x->r, out, x->d));
    assert_int_equal(x->d->errors, 0);
    expect_listing(out, ALL_FILES);
    expect_written(x, out);
    expect_listing(x->parent, "out");   /* no temporary directory left behind */
    /* parents are created as needed */
    char *deep = g_build_filename(x->parent, "a", "b", "out", NULL);
    assert_true(wz_output_write(x->r, deep, x->d));
    expect_listing(deep, ALL_FILES);
    char *ab = g_build_filename(x->parent, "a", "b", NULL);
    expect_listing(ab, "out");
    g_free(ab);
    g_free(deep);
    g_free(out);
}

static void test_write_replaces_an_earlier_output(void **state)
{
    fx *x = *state;
    render_tiny(x);
    char *out = g_build_filename(x->parent, "out", NULL);
    assert_true(wz_output_write(x->r, out, x->d));
    /* a second run of a policy without pay replaces it: pay.csv goes */
    x->p2 = load(x, "policy \"t\" version \"2\";\nfact staff persons key id { id: text; h: decimal; }\n"
                    "section s = staff.h;\n");
    x->r2 = run(x, x->p2);
    assert_true(wz_output_write(x->r2, out, x->d));
    assert_int_equal(x->d->errors, 0);
    expect_listing(out, "findings.jsonl sanctions.csv scores.csv summary.json");
    char *scores = slurp(out, "scores.csv");
    assert_string_equal(scores, "person,s,total,grade\n\"A,1\",10,10,\nB,30,30,\nC,2,2,\n");
    g_free(scores);
    expect_listing(x->parent, "out");
    g_free(out);
}

static void test_write_into_an_empty_directory(void **state)
{
    fx *x = *state;
    render_tiny(x);
    char *out = g_build_filename(x->parent, "out", NULL);
    assert_int_equal(g_mkdir(out, 0755), 0);
    assert_true(wz_output_write(x->r, out, x->d));
    expect_listing(out, ALL_FILES);
    expect_listing(x->parent, "out");
    g_free(out);
}

static void expect_refused(fx *x, const char *out)
{
    guint before = x->d->errors;
    assert_false(wz_output_write(x->r, out, x->d));
    assert_int_equal(x->d->errors, before + 1);
    const wz_diag *g = g_ptr_array_index(x->d->items, x->d->items->len - 1);
    assert_int_equal(g->kind, WZ_DIAG_IO);
    assert_int_equal(g->severity, WZ_SEV_ERROR);
    assert_string_equal(g->file, out);
}

static void test_write_refuses_a_directory_that_is_not_an_output(void **state)
{
    fx *x = *state;
    render_tiny(x);
    char *out = g_build_filename(x->parent, "out", NULL);
    assert_int_equal(g_mkdir(out, 0755), 0);
    put(out, "notes.txt", "mine\n");
    expect_refused(x, out);
    expect_listing(out, "notes.txt");
    char *notes = slurp(out, "notes.txt");
    assert_string_equal(notes, "mine\n");
    g_free(notes);
    expect_listing(x->parent, "out");

    /* a user's directory that merely holds a summary.json is not an output either */
    put(out, "summary.json", "{\"mine\": true}\n");
    expect_refused(x, out);
    expect_listing(out, "notes.txt summary.json");
    char *summary = slurp(out, "summary.json");
    assert_string_equal(summary, "{\"mine\": true}\n");
    g_free(summary);
    expect_listing(x->parent, "out");
    g_free(out);
}

static void test_write_refuses_a_plain_file(void **state)
{
    fx *x = *state;
    render_tiny(x);
    put(x->parent, "out", "a file\n");
    char *out = g_build_filename(x->parent, "out", NULL);
    expect_refused(x, out);
    char *text = slurp(x->parent, "out");
    assert_string_equal(text, "a file\n");
    g_free(text);
    expect_listing(x->parent, "out");
    g_free(out);
}

/* Regression (was a bug): with a trailing slash the "parent" is the output directory itself:
 * wz_output_write creates PARENT/out, then fails to rename it into its own
 * temporary subdirectory ("cannot replace: Invalid argument") and leaves an
 * empty PARENT/out behind; every later attempt fails the same way. */
static void test_write_accepts_a_trailing_slash(void **state)
{
    fx *x = *state;
    render_tiny(x);
    char *out = g_strconcat(x->parent, "/out/", NULL);
    assert_true(wz_output_write(x->r, out, x->d));
    char *dir = g_build_filename(x->parent, "out", NULL);
    expect_listing(dir, ALL_FILES);
    expect_listing(x->parent, "out");
    g_free(dir);
    g_free(out);
}

/* Regression (was a bug): a text param's value was dropped (it becomes the policy string #0), so
 * summary.json shows "value": "" for it. */
static void test_summary_shows_text_param_value(void **state)
{
    fx *x = *state;
    put(x->facts, "staff.csv", "id\nA\n");
    x->p = load(x, "policy \"t\" version \"1\";\nparam who: text = \"B\";\n"
                   "fact staff persons key id { id: text; }\nsection s points 1 { }\n");
    x->r = run(x, x->p);
    x->files = wz_output_render(x->r);
    assert_non_null(strstr(file_text(x, "summary.json"), "\"who\": {\"value\": \"B\", \"source\": \"default\"}"));
}

/* ---- the layout a clerk opens (output_layout.c) ---------------------------------- */

static void test_layout_options_from_the_command_line(void **state)
{
    (void)state;
    const char *argv[] = {"wenze", "run", "p.wz", "--labels", "zh", "--xlsx"};
    GPtrArray *cmd = g_ptr_array_new();
    for (guint i = 0; i < G_N_ELEMENTS(argv); i++) g_ptr_array_add(cmd, (gpointer)argv[i]);
    wz_output_options o = wz_output_options_from_command(cmd);
    assert_int_equal(o.labels, WZ_LABELS_ZH);
    assert_true(o.xlsx);
    assert_false(o.excel);
    o = wz_output_options_from_command(NULL);
    assert_int_equal(o.labels, WZ_LABELS_NONE);
    g_ptr_array_free(cmd, TRUE);
}

/* --labels zh --excel: headers in words, sections by label, a quoted id kept whole, BOM and CRLF. */
static void test_layout_labels_and_excel(void **state)
{
    fx *x = *state;
    put(x->facts, "staff.csv", STAFF);
    put(x->facts, "leave.csv", LEAVE);
    put(x->facts, "disc.csv", DISC);
    x->p = load(x, POLICY);
    x->r = run(x, x->p);
    const char *argv[] = {"wenze", "run", "--labels", "zh", "--excel"};
    GPtrArray *cmd = g_ptr_array_new();
    for (guint i = 0; i < G_N_ELEMENTS(argv); i++) g_ptr_array_add(cmd, (gpointer)argv[i]);
    x->r->command = cmd;
    x->files = wz_output_render(x->r);
    assert_string_equal(file_text(x, "scores.csv"),
                        "\xEF\xBB\xBF工号,考勤,工作量,总分,等次\r\n"
                        "\"A,1\",9.5,3.33,12.83,\r\n"
                        "B,10,10,18,\r\n"
                        "C,10,0.67,10.67,\r\n");
    assert_true(g_str_has_prefix(file_text(x, "pay.csv"), "\xEF\xBB\xBF工号,分配类别,奖励性绩效,津贴,应发金额\r\n"));
    assert_null(strchr(file_text(x, "findings.jsonl"), '\r'));   /* JSON is for programs: unchanged */
    x->r->command = NULL;
    g_ptr_array_free(cmd, TRUE);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_write_accepts_a_trailing_slash),
        T(test_summary_shows_text_param_value),
        cmocka_unit_test(test_csv_field_quotes_only_when_needed),
        cmocka_unit_test(test_json_string_escapes),
        T(test_render_produces_exactly_the_five_files),
        T(test_scores_csv_rounds_for_display_only),
        T(test_pay_csv_money_has_two_places),
        T(test_sanctions_csv),
        T(test_findings_jsonl_lines),
        T(test_finding_messages_say_what_happened),
        T(test_summary_json),
        T(test_render_without_pay),
        T(test_write_creates_a_new_directory),
        T(test_write_replaces_an_earlier_output),
        T(test_write_into_an_empty_directory),
        T(test_write_refuses_a_directory_that_is_not_an_output),
        T(test_write_refuses_a_plain_file),
        cmocka_unit_test(test_layout_options_from_the_command_line),
        T(test_layout_labels_and_excel),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
