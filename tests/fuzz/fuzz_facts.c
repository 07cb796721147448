/* fuzz_facts.c — a facts file (CSV or JSONL) or params.csv against a fixed policy whose
 * fact has a field of every type: the loader (BOM, quoting, UTF-8, numbers, dates, enums,
 * ranges, optional cells), then the engine and every output rendered in memory.  The first
 * byte picks the file: f.csv, f.jsonl or params.csv; the rest is its content.  Seeds:
 * tests/fuzz/corpus/facts. */
#include "fuzz_util.h"

#include "check.h"
#include "engine.h"
#include "output.h"

static const char POLICY[] =
    "policy \"fuzz\";\n"
    "param p: decimal = 1;\n"
    "param q: int = 2;\n"
    "param start: date = 2019-09-01;\n"
    "param on: bool = true;\n"
    "period 学年 from start to 2020-08-31;\n"
    "fact staff persons key id { id: text; name: text optional; }\n"
    "fact f dated by date {\n"
    "    id: person; date: date; k: enum(a, b, 病假); n: int optional; x: decimal in 0 .. 1000;\n"
    "    ok: bool optional; t: text optional; m: enum(u, v) optional;\n"
    "}\n"
    "ladder L { u: cut 10%; v: cut 20%; }\n"
    "section s \"s\" points 10 floor 0 {\n"
    "    deduct d1 \"d1\" 1 per sum(f.x where k == a);\n"
    "    deduct d2 \"d2\" 0.5 per count(f where k in (b, 病假));\n"
    "    deduct d3 \"d3\" 1 per sum(f.n ?? 0);\n"
    "}\n"
    "sanction sm \"sm\" ladder L from f.m;\n"
    "total = round((s + p * q) * (1 - cut(L)), 2);\n";

static const char STAFF[] = "id,name\nT1,甲\nT2,\nT3,丙\n";
static const char F_CSV[] = "id,date,k,n,x,ok,t,m\nT1,2019-10-01,a,1,2.5,true,x,u\n";
static const char PARAMS[] = "name,value\np,1.5\n";

static wz_policy *policy(void) {
    static wz_policy *p;
    if (!p) {
        wz_diags *d = wz_diags_new(0);
        p = wz_policy_load_text("fuzz.wz", POLICY, sizeof POLICY - 1, d);
        if (!p) {
            fuzz_render_all(d);
            abort();   /* the fixed policy must check */
        }
        wz_diags_free(d);
        fuzz_write("staff.csv", STAFF, sizeof STAFF - 1);
    }
    return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size > 64 * 1024) return 0;
    const wz_policy *p = policy();
    int which = data[0] % 3;
    fuzz_remove("f.csv");
    fuzz_remove("f.jsonl");
    fuzz_remove("params.csv");
    if (which == 0) fuzz_write("f.csv", data + 1, size - 1);
    else if (which == 1) fuzz_write("f.jsonl", data + 1, size - 1);
    else {
        fuzz_write("f.csv", F_CSV, sizeof F_CSV - 1);
        fuzz_write("params.csv", data + 1, size - 1);
    }
    (void)PARAMS;
    wz_diags *diags = wz_diags_new(50);
    wz_result *r = wz_engine_run(p, fuzz_dir(), NULL, NULL, diags);
    if (r) {
        GHashTable *files = wz_output_render(r);
        g_hash_table_unref(files);
        wz_result_free(r);
    }
    fuzz_render_all(diags);
    wz_diags_free(diags);
    return 0;
}
