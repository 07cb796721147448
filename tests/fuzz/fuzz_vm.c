/* fuzz_vm.c — the VM on valid policies: a small grammar-aware generator builds policies
 * from the input bytes (expressions over a fixed fact, params, aggregates, population
 * aggregates, conditions, classify, a sanction), so that most inputs pass the checker and
 * reach the compiler and the VM.  Each policy that checks runs on a fixed facts directory
 * with 1 and with 3 threads, and every output file must be byte-identical between the two
 * (wenze's determinism promise).  Runtime errors (a division by zero, an overflow) are
 * fine; a crash, a leak, undefined behaviour or a difference is not.  Seeds:
 * tests/fuzz/corpus/vm. */
#include "fuzz_util.h"

#include "check.h"
#include "engine.h"
#include "output.h"

typedef struct gen {
    const uint8_t *p, *end;
    GString *out;
} gen;

static unsigned byte(gen *g) { return g->p < g->end ? *g->p++ : 0; }

static const char *const NUMBERS[] = {"0", "1", "2", "0.5", "3.25", "100", "0.001", "-1", "7", "1000000000000"};
static const char *const LEAVES[] = {"p", "q", "count(f)", "sum(f.x)", "sum(f.x where k == a)", "count(f where k in (b, c))",
                                     "(avg(f.x) ?? 0)", "(min(f.x) ?? 0)", "(max(f.n) ?? 0)", "count(all)",
                                     "sum(all: f.x)", "(avg(all: v) ?? 0)", "v", "sum(f.n)"};
static const char *const OPS[] = {" + ", " - ", " * ", " / "};
static const char *const CMPS[] = {" == ", " != ", " < ", " <= ", " > ", " >= "};

static void num(gen *g, int depth, bool may_v);

static void cond(gen *g, int depth, bool may_v) {
    unsigned b = byte(g);
    if (depth <= 0) b %= 2;
    switch (b % 6) {
    case 0: num(g, depth - 1, may_v); g_string_append(g->out, CMPS[byte(g) % 6]); num(g, depth - 1, may_v); break;
    case 1: g_string_append(g->out, byte(g) % 2 ? "count(f) > 0" : "true"); break;
    case 2: g_string_append(g->out, "("); cond(g, depth - 1, may_v); g_string_append(g->out, " and ");
            cond(g, depth - 1, may_v); g_string_append(g->out, ")"); break;
    case 3: g_string_append(g->out, "("); cond(g, depth - 1, may_v); g_string_append(g->out, " or ");
            cond(g, depth - 1, may_v); g_string_append(g->out, ")"); break;
    case 4: g_string_append(g->out, "not ("); cond(g, depth - 1, may_v); g_string_append(g->out, ")"); break;
    default: g_string_append(g->out, "count(f where x > "); num(g, 0, false); g_string_append(g->out, ") > 0"); break;
    }
}

static void num(gen *g, int depth, bool may_v) {
    unsigned b = byte(g);
    if (depth <= 0) b %= 2;
    switch (b % 7) {
    case 0: g_string_append(g->out, NUMBERS[byte(g) % G_N_ELEMENTS(NUMBERS)]); break;
    case 1: {
        unsigned n = G_N_ELEMENTS(LEAVES) - (may_v ? 0 : 2);
        g_string_append(g->out, LEAVES[byte(g) % n]);
        break;
    }
    case 2: g_string_append(g->out, "("); num(g, depth - 1, may_v); g_string_append(g->out, OPS[byte(g) % 4]);
            num(g, depth - 1, may_v); g_string_append(g->out, ")"); break;
    case 3: g_string_append(g->out, "(if "); cond(g, depth - 1, may_v); g_string_append(g->out, " then ");
            num(g, depth - 1, may_v); g_string_append(g->out, " else "); num(g, depth - 1, may_v);
            g_string_append(g->out, ")"); break;
    case 4: g_string_append_printf(g->out, "round("); num(g, depth - 1, may_v);
            g_string_append_printf(g->out, ", %u)", byte(g) % 4); break;
    case 5: g_string_append(g->out, byte(g) % 2 ? "min(" : "max("); num(g, depth - 1, may_v); g_string_append(g->out, ", ");
            num(g, depth - 1, may_v); g_string_append(g->out, ")"); break;
    default: g_string_append(g->out, "sum(f.x where x > "); num(g, 0, false); g_string_append(g->out, ")"); break;
    }
}

static const char STAFF[] = "id\nT1\nT2\nT3\nT4\n";
static const char F[] = "id,k,x,n\nT1,a,1.5,2\nT1,b,0,0\nT2,c,3,1\nT2,a,0.25,7\nT4,b,100,3\n";

static char *policy_text(const uint8_t *data, size_t size) {
    gen g = {data, data + size, g_string_new(NULL)};
    g_string_append(g.out, "policy \"fuzz\";\nparam p: decimal = 2;\nparam q: int = 3;\n"
                           "fact staff persons key id { id: text; }\n"
                           "fact f { id: person; k: enum(a, b, c); x: decimal; n: int; }\n"
                           "ladder L { u: cut 10%; v: cut 20%; }\nlet v = ");
    num(&g, 4, false);
    g_string_append(g.out, ";\nlet w = ");
    num(&g, 4, true);
    g_string_append(g.out, ";\nsection s \"s\" points 10 {\n    deduct d \"d\" (");
    num(&g, 1, false);
    g_string_append(g.out, ") per ");
    num(&g, 3, true);
    g_string_append(g.out, " when ");
    cond(&g, 2, true);
    g_string_append(g.out, ";\n}\nsanction sv \"sv\" ladder L tier v when ");
    cond(&g, 2, true);
    g_string_append(g.out, ";\ntotal = round(s + w, 2);\ngrade = classify {\n    good when total > ");
    num(&g, 1, false);
    g_string_append(g.out, ";\n    other otherwise;\n};\nnotice n \"n\" when ");
    cond(&g, 3, true);
    g_string_append(g.out, ";\n");
    return g_string_free(g.out, FALSE);
}

static bool same_outputs(GHashTable *a, GHashTable *b) {
    if (g_hash_table_size(a) != g_hash_table_size(b)) return false;
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, a);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        GString *w = g_hash_table_lookup(b, k);
        if (!w || !g_string_equal(v, w)) return false;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static bool ready;
    if (!ready) {
        fuzz_write("staff.csv", STAFF, sizeof STAFF - 1);
        fuzz_write("f.csv", F, sizeof F - 1);
        ready = true;
    }
    if (size > 4096) return 0;
    char *text = policy_text(data, size);
    if (getenv("WZ_FUZZ_PRINT")) fprintf(stderr, "%s", text);
    wz_diags *diags = wz_diags_new(50);
    wz_policy *p = wz_policy_load_text("fuzz.wz", text, strlen(text), diags);
    if (p) {
        wz_engine_options one = {.threads = 1}, three = {.threads = 3};
        wz_diags *d1 = wz_diags_new(50), *d3 = wz_diags_new(50);
        wz_result *r1 = wz_engine_run_opts(p, fuzz_dir(), &one, d1);
        wz_result *r3 = wz_engine_run_opts(p, fuzz_dir(), &three, d3);
        if ((r1 == NULL) != (r3 == NULL)) abort();
        if (r1) {
            GHashTable *f1 = wz_output_render(r1), *f3 = wz_output_render(r3);
            if (!same_outputs(f1, f3)) abort();   /* the thread count changed an output */
            g_hash_table_unref(f1);
            g_hash_table_unref(f3);
            wz_result_free(r1);
            wz_result_free(r3);
        }
        fuzz_render_all(d1);
        fuzz_render_all(d3);
        wz_diags_free(d1);
        wz_diags_free(d3);
    }
    fuzz_render_all(diags);
    wz_diags_free(diags);
    if (p) wz_policy_free(p);
    g_free(text);
    return 0;
}
