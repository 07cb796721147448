/* fuzz_facts.c — a facts file (CSV or JSONL) or params.csv against a fixed policy whose
 * fact has a field of every type: the loader (BOM, quoting, UTF-8, numbers, dates, enums,
 * ranges, optional cells), then the engine and every output rendered in memory.  The first
 * byte picks the file: f.csv, f.jsonl or params.csv; the rest is its content.  Seeds:
 * tests/fuzz/corpus/facts.
 *
 * A CSV input is also loaded as g.csv and h.csv of two facts of the shapes the typed fast
 * path reads (interp/facts_fastcsv.c: person, date, int, enum, and the sign-in shape
 * person, date, int, which has a loop of its own), once with the fast path and once
 * without; anything but the same diagnostics, values, row numbers and counters aborts.
 * Seeds csv-fast-*. */
#include "fuzz_util.h"

#include "check.h"
#include "engine.h"
#include "facts.h"
#include "facts_internal.h"   /* wz_facts_fast_enabled */
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

/* A many-rows fact NAME: id person, date date, n int 0..100 (the sign-in shape). */
static wz_fact_schema *signin_schema(const char *name) {
    wz_fact_schema *s = wz_fact_schema_new(name);
    s->file_required = true;
    wz_fact_schema_add_field(s, "id", WZ_FT_PERSON);
    s->person_field = 0;
    wz_fact_schema_add_field(s, "date", WZ_FT_DATE);
    s->date_field = 1;
    wz_field_schema *n = wz_fact_schema_add_field(s, "n", WZ_FT_INT);
    n->has_min = n->has_max = true;
    n->min = wz_dec_from_int(0);
    n->max = wz_dec_from_int(100);
    return s;
}

/* staff (as the policy's), g: id person, date date, n int 0..100, k enum(a, b, 病假),
 * and h: g without k. */
static GPtrArray *fast_schemas(void) {
    static GPtrArray *a;
    if (!a) {
        a = g_ptr_array_new();
        wz_fact_schema *st = wz_fact_schema_new("staff");
        st->is_population = true;
        st->file_required = true;
        wz_fact_schema_add_field(st, "id", WZ_FT_TEXT);
        wz_fact_schema_add_field(st, "name", WZ_FT_TEXT)->optional = true;
        st->key_field = 0;
        wz_fact_schema *g = signin_schema("g");
        wz_field_schema *k = wz_fact_schema_add_field(g, "k", WZ_FT_ENUM);
        k->enum_values = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(k->enum_values, g_strdup("a"));
        g_ptr_array_add(k->enum_values, g_strdup("b"));
        g_ptr_array_add(k->enum_values, g_strdup("病假"));
        g_ptr_array_add(a, st);
        g_ptr_array_add(a, g);
        g_ptr_array_add(a, signin_schema("h"));
    }
    return a;
}

static wz_facts *fast_load(bool fast, wz_diags *d) {
    wz_period_filter period = {true, wz_date_from_ymd(2019, 9, 1), wz_date_from_ymd(2020, 8, 31)};
    wz_facts_fast_enabled = fast;
    wz_facts *f = wz_facts_load(fast_schemas(), fuzz_dir(), period, d);
    wz_facts_fast_enabled = true;
    return f;
}

/* The fast path against the general one on the same g.csv and h.csv. */
static void fast_differential(const uint8_t *data, size_t len) {
    fuzz_write("g.csv", data, len);
    fuzz_write("h.csv", data, len);
    wz_diags *dg = wz_diags_new(50), *df = wz_diags_new(50);
    wz_facts *g = fast_load(false, dg), *f = fast_load(true, df);
    if ((f == NULL) != (g == NULL) || dg->errors != df->errors || dg->dropped != df->dropped ||
        dg->items->len != df->items->len)
        abort();
    for (guint i = 0; i < dg->items->len; i++) {
        char *a = wz_diag_render(g_ptr_array_index(dg->items, i)), *b = wz_diag_render(g_ptr_array_index(df->items, i));
        if (strcmp(a, b) != 0) abort();
        g_free(a);
        g_free(b);
    }
    for (guint ti = 1; f && ti <= 2; ti++) {
        const wz_fact_table *tg = g_ptr_array_index(g->tables, ti), *tf = g_ptr_array_index(f->tables, ti);
        if (tg->nrows != tf->nrows || tg->rows_read != tf->rows_read || tg->rows_ignored != tf->rows_ignored ||
            tg->rows_blank != tf->rows_blank)
            abort();
        for (uint32_t r = 0; r < tg->nrows; r++) {
            if (tg->line[r] != tf->line[r]) abort();
            for (guint fi = 0; fi < tg->schema->fields->len; fi++)
                if (wz_column_int(tg->columns[fi], r) != wz_column_int(tf->columns[fi], r) ||
                    wz_column_is_missing(tg->columns[fi], r) != wz_column_is_missing(tf->columns[fi], r))
                    abort();
        }
    }
    wz_facts_free(g);
    wz_facts_free(f);
    wz_diags_free(dg);
    wz_diags_free(df);
    fuzz_remove("g.csv");
    fuzz_remove("h.csv");
}

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
    if (which == 0) {
        fast_differential(data + 1, size - 1);
        fuzz_write("f.csv", data + 1, size - 1);
    }
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
