/* fuzz_vm.c — the VM on valid policies: a small grammar-aware generator builds policies
 * from the input bytes (expressions over a fixed fact, params, aggregates, population
 * aggregates, conditions, classify, a sanction; row values `let f.r = …`, rules `for each f
 * [where C]`, `count/sum(f sharing g where C)`; units inside units — `entity grp in school`
 * — with roles, `duty`, `responsible first 校长 tier T` and a leader's own amount `= …`;
 * rules per window, `free N per mo` and `for each mo|half [where C]`, over a dated fact),
 * so that most inputs pass the checker and reach the compiler and the VM.  Each policy that checks runs on a fixed facts directory
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
/* The last two read v: only where v may be read (may_v). */
static const char *const LEAVES[] = {"p", "q", "count(f)", "sum(f.x)", "sum(f.x where k == a)", "count(f where k in (b, c))",
                                     "(avg(f.x) ?? 0)", "(min(f.x) ?? 0)", "(max(f.n) ?? 0)", "count(all)",
                                     "sum(f.n)",
                                     /* the row values of f (always declared) */
                                     "sum(f.r)", "count(f where lvl == u)", "(max(f.r) ?? 0)", "sum(f.x where r > 1)",
                                     "count(f where lvl in (v) and r >= 0)",
                                     /* the rows of anyone sharing the current row's g or k */
                                     "sum(count(f sharing g where x > 1))", "sum(f.x where count(f sharing g where n > 0) > 1)",
                                     "sum(sum(f.x sharing g where n < 5))", "count(f where count(f sharing k) > 1)",
                                     "sum(f.r where count(f sharing g where r > 0) == 0)",
                                     "sum(all: v)", "(avg(all: v) ?? 0)", "v"};
#define LEAVES_READING_V 3
static const char *const OPS[] = {" + ", " - ", " * ", " / "};
static const char *const CMPS[] = {" == ", " != ", " < ", " <= ", " > ", " >= "};

static void num(gen *g, int depth, bool may_v);

/* A threshold inside an aggregate's rows: no aggregate there (they do not nest). */
static void scalar(gen *g) {
    unsigned b = byte(g);
    if (b % 4 == 3) g_string_append(g->out, b % 8 == 3 ? "p" : "q");
    else g_string_append(g->out, NUMBERS[byte(g) % G_N_ELEMENTS(NUMBERS)]);
}

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
    default: g_string_append(g->out, "count(f where x > "); scalar(g); g_string_append(g->out, ") > 0"); break;
    }
}

static void num(gen *g, int depth, bool may_v) {
    unsigned b = byte(g);
    if (depth <= 0) b %= 2;
    switch (b % 7) {
    case 0: g_string_append(g->out, NUMBERS[byte(g) % G_N_ELEMENTS(NUMBERS)]); break;
    case 1: {
        unsigned n = G_N_ELEMENTS(LEAVES) - (may_v ? 0 : LEAVES_READING_V);
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
    default: g_string_append(g->out, "sum(f.x where x > "); scalar(g); g_string_append(g->out, ")"); break;
    }
}

/* Expressions on one row of f: its fields, params, numbers and (rv) the row value r. */
static void rownum(gen *g, int depth, bool rv);

static void rowcond(gen *g, int depth, bool rv) {
    unsigned b = byte(g);
    if (depth <= 0) b %= 3;
    switch (b % 6) {
    case 0: rownum(g, depth - 1, rv); g_string_append(g->out, CMPS[byte(g) % 6]); rownum(g, depth - 1, rv); break;
    case 1: g_string_append(g->out, byte(g) % 2 ? "k == a" : "k in (b, c)"); break;
    case 2: g_string_append(g->out, byte(g) % 2 ? "n > 1" : "x <= 0.5"); break;
    case 3: g_string_append(g->out, "("); rowcond(g, depth - 1, rv); g_string_append(g->out, byte(g) % 2 ? " and " : " or ");
            rowcond(g, depth - 1, rv); g_string_append(g->out, ")"); break;
    case 4: g_string_append(g->out, "not ("); rowcond(g, depth - 1, rv); g_string_append(g->out, ")"); break;
    default: g_string_append(g->out, rv ? "r > 2" : "f.n == 0"); break;
    }
}

static void rownum(gen *g, int depth, bool rv) {
    static const char *const ROW_LEAVES[] = {"x", "n", "f.x", "f.n", "p", "q", "r"};
    unsigned b = byte(g);
    if (depth <= 0) b %= 2;
    switch (b % 6) {
    case 0: g_string_append(g->out, NUMBERS[byte(g) % G_N_ELEMENTS(NUMBERS)]); break;
    case 1: g_string_append(g->out, ROW_LEAVES[byte(g) % (G_N_ELEMENTS(ROW_LEAVES) - (rv ? 0 : 1))]); break;
    case 2: g_string_append(g->out, "("); rownum(g, depth - 1, rv); g_string_append(g->out, OPS[byte(g) % 4]);
            rownum(g, depth - 1, rv); g_string_append(g->out, ")"); break;
    case 3: g_string_append(g->out, "(if "); rowcond(g, depth - 1, rv); g_string_append(g->out, " then ");
            rownum(g, depth - 1, rv); g_string_append(g->out, " else "); rownum(g, depth - 1, rv);
            g_string_append(g->out, ")"); break;
    case 4: g_string_append(g->out, "round("); rownum(g, depth - 1, rv); g_string_append_printf(g->out, ", %u)", byte(g) % 3); break;
    default: g_string_append(g->out, byte(g) % 2 ? "min(" : "max("); rownum(g, depth - 1, rv); g_string_append(g->out, ", ");
             rownum(g, depth - 1, rv); g_string_append(g->out, ")"); break;
    }
}

/* A unit's amount (a group's or a school's): its own rows, params, numbers. */
static void unitnum(gen *g, const char *fact, const char *field) {
    switch (byte(g) % 5) {
    case 0: g_string_append_printf(g->out, "sum(%s.%s)", fact, field); break;
    case 1: g_string_append_printf(g->out, "count(%s)", fact); break;
    case 2: g_string_append_printf(g->out, "(%s * count(%s))", NUMBERS[byte(g) % G_N_ELEMENTS(NUMBERS)], fact); break;
    case 3: g_string_append(g->out, "p"); break;
    default: g_string_append(g->out, NUMBERS[byte(g) % G_N_ELEMENTS(NUMBERS)]); break;
    }
}

/* A leader's own amount, from the holder's own facts: their pay, params, numbers. */
static void ownnum(gen *g) {
    static const char *const OWN[] = {"-2 * staff.pay", "-(staff.pay / 3)", "p * staff.pay", "-q", "-round(staff.pay * 0.15, 2)",
                                      "(if staff.pay > 1000 then -1 else -2) * staff.pay", "0"};
    g_string_append(g->out, OWN[byte(g) % G_N_ELEMENTS(OWN)]);
}

/* Who answers for a unit's (or a person's) finding, after `duty` or alone. */
static void responsible(gen *g, bool award, bool person) {
    switch (byte(g) % (award ? 5 : 4)) {
    case 0: g_string_append(g->out, person ? " duty 教师.1" : " duty 组长.1"); break;
    case 1: g_string_append(g->out, person ? " duty 教师.1 responsible first 校长" : " responsible first 校长, direct 组长"); break;
    case 2: g_string_append(g->out, award ? " responsible direct 组长 60%, first 校长 40%" : " duty 组长.1 responsible first 校长 tier u"); break;
    case 3: g_string_append(g->out, award ? (person ? " duty 教师.1 responsible first 校长 = " : " responsible direct 组长, first 校长 = ")
                                          : " responsible first 校长 tier v, direct 组长");
            if (award) ownnum(g);
            break;
    default: g_string_append(g->out, person ? " duty 教师.1 responsible first 组长 = " : " responsible first 校长 = ");
             ownnum(g);
             if (!person) g_string_append(g->out, ", direct 组长");
             break;
    }
}

/* The newer syntax, after the rules the generator always wrote (so the older seeds keep
 * their meaning): row values, per-incident rules and, when units is set, units inside units
 * with the rules that the roles of their holders answer for. */
static void newer_rules(gen *g, bool units) {
    g_string_append(g->out, "let f.r = ");
    rownum(g, 3, false);
    g_string_append(g->out, ";\nlet f.lvl = classify {\n    u when ");
    rowcond(g, 2, true);
    g_string_append(g->out, ";\n    v otherwise;\n};\naward ea \"ea\" = ");
    rownum(g, 2, true);
    g_string_append(g->out, " for each f");
    if (byte(g) % 2) {
        g_string_append(g->out, " where ");
        rowcond(g, 2, true);
    }
    switch (byte(g) % 3) {
    case 0: g_string_append(g->out, ";\nsanction es \"es\" ladder L from f.lvl for each f"); break;
    case 1: g_string_append(g->out, ";\nsanction es \"es\" ladder L from f.lvl for each f where ");
            rowcond(g, 1, true);
            break;
    default: g_string_append(g->out, ";\nsanction es \"es\" ladder L tier u when ");
             rowcond(g, 2, true);
             g_string_append(g->out, " for each f");
             break;
    }
    g_string_append(g->out, ";\nlet shared = ");
    num(g, 2, true);
    g_string_append(g->out, ";\n");
    if (!units) return;
    g_string_append(g->out, "sanction gs \"gs\" ladder L ");
    if (byte(g) % 2) g_string_append(g->out, "at sum(lapse.n)");
    else {
        g_string_append(g->out, "tier v when ");
        unitnum(g, "lapse", "n");
        g_string_append(g->out, CMPS[byte(g) % 6]);
        unitnum(g, "lapse", "n");
    }
    responsible(g, false, false);
    g_string_append(g->out, ";\naward ga \"ga\" = -(");
    unitnum(g, "lapse", "n");
    g_string_append(g->out, ") when count(lapse) > 0");
    responsible(g, true, false);
    g_string_append(g->out, ";\naward sa \"sa\" = ");
    unitnum(g, "inc", "m");
    g_string_append(g->out, " when sum(inc.m) > ");
    g_string_append(g->out, NUMBERS[byte(g) % 3]);
    g_string_append(g->out, " responsible first 校长 = ");
    ownnum(g);
    g_string_append(g->out, ", direct 组长;\naward pa \"pa\" = -(");
    num(g, 1, false);
    g_string_append(g->out, ") when count(f) > ");
    g_string_append(g->out, NUMBERS[byte(g) % 3]);
    responsible(g, true, true);
    g_string_append(g->out, ";\nsanction ps \"ps\" ladder L at count(f where k == a)");
    responsible(g, false, true);
    g_string_append(g->out, ";\n");
}

/* A value of one window's rows of the dated fact att (and constants), for a `for each W` part. */
static const char *const ATT_LEAVES[] = {"count(att)", "sum(att.m)", "count(att where m > 1)", "(max(att.m) ?? 0)",
                                         "sum(att.m where lvl == u)", "p", "2", "0.5"};

static void attnum(gen *g) {
    unsigned b = byte(g);
    g_string_append(g->out, ATT_LEAVES[b % G_N_ELEMENTS(ATT_LEAVES)]);
    if (b & 0x80) {
        g_string_append(g->out, OPS[byte(g) % 3]);   /* no division: a window may count 0 */
        g_string_append(g->out, ATT_LEAVES[byte(g) % G_N_ELEMENTS(ATT_LEAVES)]);
    }
}

static void attcond(gen *g) {
    attnum(g);
    g_string_append(g->out, CMPS[byte(g) % 6]);
    attnum(g);
}

/* Rules per window, last (older seeds keep their meaning): a rule whose allowance is per
 * month, and a rule, an award and sanctions `for each` month or half-term. */
static void window_rules(gen *g) {
    static const char *const GROUPS[] = {"mo", "half"};
    g_string_append(g->out, "let att.lvl = classify {\n    u when m > ");
    scalar(g);
    g_string_append(g->out, ";\n    v otherwise;\n};\nsection ws \"ws\" points 5 {\n    deduct wd \"wd\" (");
    num(g, 1, false);
    g_string_append(g->out, ") per count(att where m > 0) free ");
    g_string_append(g->out, NUMBERS[byte(g) % 3]);
    g_string_append(g->out, " per mo;\n    bonus wb \"wb\" (");
    attnum(g);
    g_string_append(g->out, ")");
    if (byte(g) % 2) {
        g_string_append(g->out, " cap ");
        g_string_append(g->out, NUMBERS[byte(g) % 4]);
    }
    g_string_append_printf(g->out, " for each %s", GROUPS[byte(g) % 2]);
    if (byte(g) % 2) {
        g_string_append(g->out, " where ");
        attcond(g);
    }
    g_string_append(g->out, ";\n}\naward wa \"wa\" = ");
    attnum(g);
    g_string_append(g->out, " when ");
    attcond(g);
    g_string_append_printf(g->out, " for each %s", GROUPS[byte(g) % 2]);
    g_string_append(g->out, ";\nsanction wt \"wt\" ladder L tier u when ");
    attcond(g);
    g_string_append_printf(g->out, " for each %s;\nsanction wf \"wf\" ladder L from att.lvl", GROUPS[byte(g) % 2]);
    if (byte(g) % 2) {
        g_string_append(g->out, " where m != ");
        scalar(g);
    }
    g_string_append_printf(g->out, " for each %s;\n", GROUPS[byte(g) % 2]);
}

/* staff's post, school, grp and pay are read only by a policy with units; the others ignore them. */
static const char STAFF[] = "id,post,school,grp,pay\nT1,校长,S1,,3000\nT2,组长,S1,G1,2000\nT3,教师,S1,G1,1000\n"
                            "T4,教师,S1,G2,1500\nT5,校长,S2,,2800\nT6,组长,S2,G3,1800\nT7,教师,S2,G3,1200\n";
static const char F[] = "id,k,x,n,g\nT1,a,1.5,2,A\nT1,b,0,0,B\nT2,c,3,1,A\nT2,a,0.25,7,\nT4,b,100,3,B\nT7,a,2,1,A\n";
static const char GRPS[] = "grp,school\nG1,S1\nG2,S1\nG3,S2\n";
static const char LAPSE[] = "grp,n\nG1,2\nG2,1\nG3,4\nG1,1\n";
static const char INC[] = "school,m\nS1,1\nS2,3\n";
static const char ATT[] = "id,date,m\nT1,2019-09-02,1\nT1,2019-09-20,3\nT1,2019-11-20,0\nT2,2019-10-01,2\n"
                          "T3,2019-12-31,5\nT3,2020-01-01,1\nT4,2019-08-31,9\nT7,2019-11-15,2\nT7,2019-11-16,2\n";

static char *policy_text(const uint8_t *data, size_t size) {
    gen g = {data, data + size, g_string_new(NULL)};
    g_string_append(g.out, "ladder L { u: cut 10%; v: cut 20%; }\nlet v = ");
    num(&g, 4, false);
    g_string_append(g.out, ";\nlet w = ");
    num(&g, 4, true);
    g_string_append(g.out, ";\nsection s \"s\" points 10 {\n    deduct d \"d\" (");
    num(&g, 1, false);
    g_string_append(g.out, ") per (");
    num(&g, 3, true);
    g_string_append(g.out, ") when ");
    cond(&g, 2, true);
    g_string_append(g.out, ";\n}\nsanction sv \"sv\" ladder L tier v when ");
    cond(&g, 2, true);
    g_string_append(g.out, ";\ntotal = round(s + w, 2);\ngrade = classify {\n    good when total > ");
    num(&g, 1, false);
    g_string_append(g.out, ";\n    other otherwise;\n};\nnotice n \"n\" when ");
    cond(&g, 3, true);
    g_string_append(g.out, ";\n");
    /* a policy without units declares none of their facts and roles (the files are there) */
    bool units = byte(&g) % 4 != 3;
    newer_rules(&g, units);
    window_rules(&g);
    GString *head = g_string_new("policy \"fuzz\";\nparam p: decimal = 2;\nparam q: int = 3;\n"
                                 "fact f { id: person; k: enum(a, b, c); x: decimal; n: int; g: text optional; }\n"
                                 "period yr from 2019-09-01 to 2020-01-31;\nsplit yr into mo every month;\n"
                                 "split yr into half at 2019-11-16;\nfact att dated by date { id: person; date: date; m: int; }\n");
    if (units)
        g_string_append(head, "role 校长 { duty 1 \"全面负责\"; }\nrole 组长 reports_to 校长 { duty 1 \"组织教研\"; }\n"
                              "role 教师 reports_to 组长 { duty 1 \"按时上课\"; }\n"
                              "entity school \"学校\";\nentity grp \"组\" in school;\n"
                              "fact staff persons key id { id: text; post: role; school: school; grp: grp optional; pay: decimal; }\n"
                              "fact grps one per grp { grp: grp; school: school; }\n"
                              "fact lapse for grp { grp: grp; n: int; }\nfact inc for school { school: school; m: int; }\n");
    else
        g_string_append(head, "fact staff persons key id { id: text; }\n");
    g_string_append(head, g.out->str);
    g_string_free(g.out, TRUE);
    return g_string_free(head, FALSE);
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
        fuzz_write("grps.csv", GRPS, sizeof GRPS - 1);
        fuzz_write("lapse.csv", LAPSE, sizeof LAPSE - 1);
        fuzz_write("inc.csv", INC, sizeof INC - 1);
        fuzz_write("att.csv", ATT, sizeof ATT - 1);
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
