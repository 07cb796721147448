/* replay.c — policy versions, run entries and replays over the ledger (see replay.h). */
#include "replay.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "audit.h"
#include "date.h"
#include "history.h"
#include "i18n.h"
#include "output.h"
#include "sha256.h"

static void blob_free(gpointer p) { g_free(p); }

static gint by_str(gconstpointer a, gconstpointer b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* A blob for bytes that live as long as the append (borrowed). */
static const char *add_blob(GPtrArray *blobs, const void *data, gsize len) {
    wz_ledger_blob *b = g_new0(wz_ledger_blob, 1);
    wz_sha256_hex(data, len, b->sha256);
    b->data = data;
    b->len = len;
    g_ptr_array_add(blobs, b);
    return b->sha256;
}

static void member_str(wz_jbuilder *b, const char *key, const char *val) {
    wz_jb_set_member_name(b, key);
    if (val) wz_jb_add_string_value(b, val);
    else wz_jb_add_null_value(b);
}

static void member_int(wz_jbuilder *b, const char *key, gint64 v) {
    wz_jb_set_member_name(b, key);
    if (v) wz_jb_add_int_value(b, v);
    else wz_jb_add_null_value(b);
}

static void member_date(wz_jbuilder *b, const char *key, bool has, int32_t d) {
    char buf[11];
    if (has) wz_date_format(d, buf);
    member_str(b, key, has ? buf : NULL);
}

/* "sources": the policy file and every file it imports, their bytes stored. */
static void policy_sources(wz_jbuilder *b, const wz_policy *p, GPtrArray *blobs) {
    wz_jb_set_member_name(b, "sources");
    wz_jb_begin_array(b);
    for (guint i = 0; i <= (p->imported ? p->imported->len : 0); i++) {
        const wz_source *src = i == 0 ? p->src : g_ptr_array_index(p->imported, i - 1);
        char *name = wz_output_input_name(p, src);
        wz_jb_begin_object(b);
        member_str(b, "file", name);
        member_str(b, "blob", add_blob(blobs, src->text, src->len));
        wz_jb_end_object(b);
        g_free(name);
    }
    wz_jb_end_array(b);
}

static char *finish(wz_jbuilder *b) {
    wz_jv *v = wz_jb_root(b);
    GString *s = g_string_new(NULL);
    wz_jv_print(s, v);
    wz_jv_free(v);
    wz_jb_free(b);
    return g_string_free(s, FALSE);
}

static const char *jstr(const wz_jv *v, const char *key) { return wz_jv_string(wz_jv_get(v, key)); }

static bool jdate(const wz_jv *v, const char *key, int32_t *out) {
    const char *s = jstr(v, key);
    wz_date d = 0;
    if (!s || !wz_date_parse(s, strlen(s), &d)) return false;
    *out = d;
    return true;
}

static const char *policy_name_of(const wz_ledger_entry *e) {
    return jstr(wz_jv_get(e->json, "policy"), "name");
}

/* A version's range: to = INT32_MAX when open; an open range ends the day
 * before the next version of the same name that starts after it. */
static void version_range(const GPtrArray *entries, const wz_ledger_entry *e, int32_t *from, int32_t *to) {
    const wz_jv *pol = wz_jv_get(e->json, "policy");
    *from = INT32_MIN;
    *to = INT32_MAX;
    jdate(pol, "from", from);
    if (jdate(pol, "to", to)) return;
    for (guint i = 0; i < entries->len; i++) {
        const wz_ledger_entry *o = g_ptr_array_index(entries, i);
        int32_t f;
        if (o != e && !strcmp(o->kind, "policy") && !g_strcmp0(policy_name_of(o), policy_name_of(e)) &&
            jdate(wz_jv_get(o->json, "policy"), "from", &f) && f > *from && f - 1 < *to)
            *to = f - 1;
    }
}

gint64 wz_ledger_register_policy(wz_ledger *l, const wz_policy *p, int32_t from, int32_t to, wz_diags *diags) {
    GPtrArray *entries = wz_ledger_entries(l, diags);
    if (!entries) return 0;
    bool ok = true;
    char a[11], b2[11];
    for (guint i = 0; i < entries->len; i++) {
        const wz_ledger_entry *o = g_ptr_array_index(entries, i);
        if (strcmp(o->kind, "policy") || g_strcmp0(policy_name_of(o), p->title)) continue;
        int32_t of = 0, ot = INT32_MAX;
        const wz_jv *pol = wz_jv_get(o->json, "policy");
        jdate(pol, "from", &of);
        bool open = !jdate(pol, "to", &ot);
        /* an open-ended earlier version yields to a later start; anything else must not overlap */
        bool overlaps = open ? from <= of && (to < 0 || to >= of) : from <= ot && (to < 0 || to >= of);
        if (overlaps) {
            wz_date_format(of, a);
            if (!open) wz_date_format(ot, b2);
            wz_diag_plain(diags, WZ_DIAG_USAGE, WZ_SEV_ERROR, wz_ledger_path(l),
                          "\"%s\" version %s (entry %" PRId64 ") is in force from %s %s%s; expected a version "
                          "whose range does not overlap it%s",
                          p->title, jstr(pol, "version"), o->id, a, open ? "with no end" : "to ", open ? "" : b2,
                          open ? ": register the new version with --from after that date (the old one then ends the day before)"
                               : ": give --from after its end, or --to before its start");
            ok = false;
        }
    }
    gint64 id = 0;
    if (ok) {
        GPtrArray *blobs = g_ptr_array_new_with_free_func(blob_free);
        wz_jbuilder *b = wz_jb_new();
        wz_jb_begin_object(b);
        wz_jb_set_member_name(b, "policy");
        wz_jb_begin_object(b);
        member_str(b, "name", p->title);
        member_str(b, "version", p->version);
        member_date(b, "from", true, from);
        member_date(b, "to", to >= 0, to);
        member_date(b, "effective_from", p->has_effective, p->effective_from);
        member_date(b, "effective_to", p->has_effective, p->effective_to);
        policy_sources(b, p, blobs);
        wz_jb_end_object(b);
        member_str(b, "engine", WZ_VERSION);
        wz_jb_end_object(b);
        char *body = finish(b);
        id = wz_ledger_append(l, "policy", NULL, body, blobs, diags);
        g_free(body);
        g_ptr_array_free(blobs, TRUE);
    }
    g_ptr_array_free(entries, TRUE);
    return id;
}

const wz_ledger_entry *wz_ledger_policy_on(const GPtrArray *entries, int32_t date, const char *name, wz_diags *diags) {
    const wz_ledger_entry *found = NULL;
    guint names = 0;
    char d[11];
    wz_date_format(date, d);
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < entries->len; i++) {
        const wz_ledger_entry *e = g_ptr_array_index(entries, i);
        if (strcmp(e->kind, "policy") || (name && g_strcmp0(policy_name_of(e), name))) continue;
        int32_t from, to;
        version_range(entries, e, &from, &to);
        if (date < from || date > to) continue;
        if (g_hash_table_add(seen, (gpointer)policy_name_of(e))) names++;
        found = e;
    }
    g_hash_table_destroy(seen);
    if (!found)
        wz_diag_plain(diags, WZ_DIAG_USAGE, WZ_SEV_ERROR, NULL,
                      "no policy version registered in the ledger is in force on %s; expected one registered with "
                      "`wenze ledger add-policy LEDGER FILE --from DATE` whose range holds it", d);
    else if (names > 1) {
        wz_diag_plain(diags, WZ_DIAG_USAGE, WZ_SEV_ERROR, NULL,
                      "%u policies registered in the ledger are in force on %s; expected one (keep one ledger per policy, "
                      "or pass the POLICY file)", names, d);
        found = NULL;
    }
    return found;
}

void wz_rm_rf(const char *dir) {
    GDir *d = g_dir_open(dir, 0, NULL);
    if (d) {
        const char *name;
        while ((name = g_dir_read_name(d))) {
            char *path = g_build_filename(dir, name, NULL);
            if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) wz_rm_rf(path);
            else g_remove(path);
            g_free(path);
        }
        g_dir_close(d);
    }
    g_rmdir(dir);
}

static bool write_bytes(const char *path, GBytes *b, wz_diags *diags) {
    char *dir = g_path_get_dirname(path);
    g_mkdir_with_parents(dir, 0755);
    g_free(dir);
    gsize len = 0;
    const char *data = g_bytes_get_data(b, &len);
    GError *err = NULL;
    if (!g_file_set_contents(path, data ? data : "", (gssize)len, &err)) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, path, "cannot write: %s", err->message);
        g_error_free(err);
        return false;
    }
    return true;
}

static char *new_tmpdir(wz_diags *diags) {
    GError *err = NULL;
    char *t = g_dir_make_tmp("wenze-ledger-XXXXXX", &err);
    if (!t) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, g_get_tmp_dir(), "cannot create a temporary directory: %s", err->message);
        g_error_free(err);
    }
    return t;
}

char *wz_ledger_materialize_policy(wz_ledger *l, const wz_jv *policy, char **tmpdir, wz_diags *diags) {
    const wz_jv *srcs = wz_jv_get(policy, "sources");
    *tmpdir = new_tmpdir(diags);
    if (!*tmpdir) return NULL;
    /* an import "../common/x.wz" must land inside the directory: the main
     * file goes as many levels down as the deepest "..". */
    guint depth = 0;
    for (guint i = 1; i < wz_jv_len(srcs); i++) {
        const char *f = jstr(wz_jv_at(srcs, i), "file");
        guint n = 0;
        for (const char *p = f; p && (p = strstr(p, "..")); p += 2) n++;
        depth = MAX(depth, n);
    }
    GString *dir = g_string_new(*tmpdir);
    g_string_append(dir, "/policy");
    for (guint i = 0; i < depth; i++) g_string_append(dir, "/d");
    char *main_path = NULL;
    bool ok = wz_jv_len(srcs) > 0;
    for (guint i = 0; ok && i < wz_jv_len(srcs); i++) {
        const char *f = jstr(wz_jv_at(srcs, i), "file"), *sha = jstr(wz_jv_at(srcs, i), "blob");
        if (!f || !sha || g_str_has_prefix(f, "<stdlib>")) continue;   /* the standard library is the engine's */
        if (g_path_is_absolute(f)) {
            wz_diag_plain(diags, WZ_DIAG_USAGE, WZ_SEV_ERROR, wz_ledger_path(l),
                          "the policy imports %s by an absolute path; expected imports relative to the policy to run it again", f);
            ok = false;
            break;
        }
        GBytes *bytes = wz_ledger_read_blob(l, sha, diags);
        char *path = g_build_filename(dir->str, f, NULL);
        ok = bytes && write_bytes(path, bytes, diags);
        if (i == 0) main_path = g_strdup(path);
        g_free(path);
        if (bytes) g_bytes_unref(bytes);
    }
    g_string_free(dir, TRUE);
    if (!ok) {
        g_free(main_path);
        return NULL;
    }
    return main_path;
}

bool wz_ledger_superseded(const GPtrArray *entries, gint64 id, gint64 before_id) {
    for (guint i = 0; i < entries->len; i++) {
        const wz_ledger_entry *e = g_ptr_array_index(entries, i);
        if (before_id && e->id >= before_id) break;
        if (!strcmp(e->kind, "run") && wz_jv_get_int(e->json, "supersedes") == id) return true;
    }
    return false;
}

/* The stored kept.csv of a run entry, or NULL. */
static const char *kept_blob(const wz_ledger_entry *e) {
    const wz_jv *outs = wz_jv_get(e->json, "outputs");
    for (guint i = 0; i < wz_jv_len(outs); i++)
        if (!g_strcmp0(jstr(wz_jv_at(outs, i), "file"), "kept.csv")) return jstr(wz_jv_at(outs, i), "blob");
    return NULL;
}

/* A history directory of the kept.csv of the entries ids, in that order. */
static char *history_from_ids(wz_ledger *l, const GPtrArray *entries, const GArray *ids, wz_diags *diags) {
    char *dir = new_tmpdir(diags);
    bool ok = dir != NULL;
    for (guint i = 0; ok && i < ids->len; i++) {
        const wz_ledger_entry *e = wz_ledger_entry_find(entries, g_array_index(ids, gint64, i));
        const char *sha = e ? kept_blob(e) : NULL;
        const char *start = e ? jstr(wz_jv_get(e->json, "period"), "start") : NULL;
        if (!sha || !start) {
            wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, wz_ledger_path(l),
                          "entry %" PRId64 ": expected a run with a period and a kept.csv", g_array_index(ids, gint64, i));
            ok = false;
            break;
        }
        GBytes *b = wz_ledger_read_blob(l, sha, diags);
        char *path = g_strdup_printf("%s/%s.%" G_GINT64_FORMAT "/kept.csv", dir, start, e->id);
        ok = b && write_bytes(path, b, diags);
        g_free(path);
        if (b) g_bytes_unref(b);
    }
    if (!ok && dir) {
        wz_rm_rf(dir);
        g_free(dir);
        dir = NULL;
    }
    return dir;
}

char *wz_ledger_history_dir(wz_ledger *l, const GPtrArray *entries, const char *name, int32_t start, gint64 before_id,
                            GArray *used, wz_diags *diags) {
    /* per distinct period (its start and end), the latest entry that no appeal superseded */
    GHashTable *latest = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < entries->len; i++) {
        const wz_ledger_entry *e = g_ptr_array_index(entries, i);
        if (before_id && e->id >= before_id) break;
        const wz_jv *per = wz_jv_get(e->json, "period");
        int32_t end;
        if (strcmp(e->kind, "run") || g_strcmp0(policy_name_of(e), name) || !jdate(per, "end", &end) || end >= start ||
            !kept_blob(e) || wz_ledger_superseded(entries, e->id, before_id))
            continue;
        g_hash_table_insert(latest, g_strdup_printf("%s..%s", jstr(per, "start"), jstr(per, "end")), (gpointer)e);
    }
    GPtrArray *keys = g_ptr_array_new();
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, latest);
    while (g_hash_table_iter_next(&it, &key, NULL)) g_ptr_array_add(keys, key);
    g_ptr_array_sort(keys, by_str);
    GArray *ids = g_array_new(FALSE, FALSE, sizeof(gint64));
    for (guint i = 0; i < keys->len; i++) {
        const char *k = g_ptr_array_index(keys, i);
        const wz_ledger_entry *e = g_hash_table_lookup(latest, k);
        g_array_append_val(ids, e->id);
        g_array_append_val(used, e->id);
    }
    g_ptr_array_free(keys, TRUE);
    g_hash_table_destroy(latest);
    char *dir = history_from_ids(l, entries, ids, diags);
    g_array_free(ids, TRUE);
    return dir;
}

static const char *const output_order[] = {"scores.csv", "pay.csv", "awards.csv", "kept.csv", "sanctions.csv", "findings.jsonl", "summary.json"};

gint64 wz_ledger_record_run(wz_ledger *l, const wz_ledger_run *run, wz_diags *diags) {
    const wz_result *r = run->r;
    const wz_policy *p = r->policy;
    GPtrArray *blobs = g_ptr_array_new_with_free_func(blob_free);
    GPtrArray *held = g_ptr_array_new_with_free_func(g_free);   /* facts bytes read for storing */
    const GString *sum = g_hash_table_lookup(run->files, "summary.json");
    wz_jv *summary = sum ? wz_jv_parse(sum->str, sum->len, NULL) : NULL;
    bool ok = summary != NULL;
    wz_jbuilder *b = wz_jb_new();
    wz_jb_begin_object(b);
    wz_jb_set_member_name(b, "policy");
    wz_jb_begin_object(b);
    member_str(b, "name", p->title);
    member_str(b, "version", p->version);
    member_date(b, "effective_from", p->has_effective, p->effective_from);
    member_date(b, "effective_to", p->has_effective, p->effective_to);
    member_int(b, "version_entry", run->version_entry);
    policy_sources(b, p, blobs);
    wz_jb_end_object(b);
    member_str(b, "date", run->date);
    wz_jb_set_member_name(b, "period");
    if (r->vm->has_period) {
        wz_jb_begin_object(b);
        member_date(b, "start", true, r->vm->period_start);
        member_date(b, "end", true, r->vm->period_end);
        wz_jb_end_object(b);
    } else wz_jb_add_null_value(b);
    wz_jb_set_member_name(b, "params");   /* values and where each came from, as summary.json has them */
    if (summary && wz_jv_get(summary, "params")) wz_jb_add_value(b, wz_jv_get(summary, "params"));
    else wz_jb_add_null_value(b);
    member_str(b, "facts_dir", run->facts_dir);
    wz_jb_set_member_name(b, "facts");
    wz_jb_begin_array(b);
    const wz_jv *inputs = summary ? wz_jv_get(summary, "inputs") : NULL;
    for (guint i = 0; ok && i < wz_jv_len(inputs); i++) {
        const wz_jv *in = wz_jv_at(inputs, i);
        const char *kind = jstr(in, "kind"), *file = jstr(in, "file"), *sha = jstr(in, "sha256");
        if (strcmp(kind, "facts") && strcmp(kind, "params")) continue;
        wz_jb_begin_object(b);
        member_str(b, "file", file);
        member_str(b, "sha256", sha);
        if (run->store_facts) {   /* the bytes read again, and checked to be those the run read */
            char *path = g_build_filename(run->facts_dir, file, NULL), *text = NULL;
            gsize len = 0;
            char got[65] = "";
            if (g_file_get_contents(path, &text, &len, NULL)) wz_sha256_hex(text, len, got);
            if (strcmp(got, sha)) {
                wz_diag_plain(diags, WZ_DIAG_FACTS, WZ_SEV_ERROR, path,
                              "changed while the run read it (SHA-256 %.12s…, the run read %.12s…); nothing was recorded", got, sha);
                ok = false;
                g_free(text);
            } else {
                g_ptr_array_add(held, text);
                member_str(b, "blob", add_blob(blobs, text, len));
            }
            g_free(path);
        }
        wz_jb_end_object(b);
    }
    wz_jb_end_array(b);
    wz_jb_set_member_name(b, "history");
    if (run->history_entries) {
        wz_jb_begin_object(b);
        wz_jb_set_member_name(b, "entries");
        wz_jb_begin_array(b);
        for (guint i = 0; i < run->history_entries->len; i++) wz_jb_add_int_value(b, g_array_index(run->history_entries, gint64, i));
        wz_jb_end_array(b);
        wz_jb_end_object(b);
    } else if (run->history_dir) {
        wz_jb_begin_object(b);
        member_str(b, "dir", run->history_dir);
        wz_jb_end_object(b);
    } else wz_jb_add_null_value(b);
    wz_jb_set_member_name(b, "overrides");
    wz_jb_begin_array(b);
    for (guint i = 0; run->overrides && i < run->overrides->len; i++) wz_jb_add_string_value(b, g_ptr_array_index(run->overrides, i));
    wz_jb_end_array(b);
    member_str(b, "engine", WZ_VERSION);
    wz_jb_set_member_name(b, "command");
    if (summary && wz_jv_get(summary, "command")) wz_jb_add_value(b, wz_jv_get(summary, "command"));
    else wz_jb_add_null_value(b);
    wz_jb_set_member_name(b, "persons");
    wz_jb_add_int_value(b, r->facts->npersons);
    wz_jb_set_member_name(b, "outputs");
    wz_jb_begin_array(b);
    for (guint i = 0; i < G_N_ELEMENTS(output_order); i++) {
        const GString *f = g_hash_table_lookup(run->files, output_order[i]);
        if (!f) continue;
        wz_jb_begin_object(b);
        member_str(b, "file", output_order[i]);
        member_str(b, "blob", add_blob(blobs, f->str, f->len));
        wz_jb_end_object(b);
    }
    wz_jb_end_array(b);
    member_int(b, "supersedes", run->supersedes);
    member_str(b, "reason", run->reason);
    wz_jb_end_object(b);
    char *body = finish(b);
    gint64 id = ok ? wz_ledger_append(l, "run", NULL, body, blobs, diags) : 0;
    g_free(body);
    wz_jv_free(summary);
    g_ptr_array_free(blobs, TRUE);
    g_ptr_array_free(held, TRUE);
    return id;
}

gint64 wz_ledger_publish(wz_ledger *l, const GPtrArray *entries, const char *kind, gint64 of, int32_t on, wz_diags *diags) {
    const wz_ledger_entry *e = wz_ledger_entry_find(entries, of);
    char d[11];
    wz_date_format(on, d);
    if (!e || strcmp(e->kind, "run")) {
        wz_diag_plain(diags, WZ_DIAG_USAGE, WZ_SEV_ERROR, wz_ledger_path(l),
                      "entry %" PRId64 " %s; expected the id of a run (see `wenze ledger log`)", of,
                      e ? "is not a run" : "does not exist");
        return 0;
    }
    if (!strcmp(kind, "finalize")) {
        int32_t published = INT32_MIN;
        for (guint i = 0; i < entries->len; i++) {
            const wz_ledger_entry *x = g_ptr_array_index(entries, i);
            int32_t on_x;
            if (!strcmp(x->kind, "publish") && wz_jv_get_int(x->json, "entry") == of && jdate(x->json, "on", &on_x))
                published = MAX(published, on_x);
        }
        if (published == INT32_MIN) {
            wz_diag_plain(diags, WZ_DIAG_POLICY, WZ_SEV_ERROR, wz_ledger_path(l),
                          "entry %" PRId64 " was never published; expected `wenze ledger publish` and a %d-day 公示 first",
                          of, WZ_PUBLICITY_DAYS);
            return 0;
        }
        if (on < published + WZ_PUBLICITY_DAYS) {
            char p[11], f[11];
            wz_date_format(published, p);
            wz_date_format(published + WZ_PUBLICITY_DAYS, f);
            wz_diag_plain(diags, WZ_DIAG_POLICY, WZ_SEV_ERROR, wz_ledger_path(l),
                          "entry %" PRId64 " was published on %s: its %d-day 公示 runs until %s, so it can be "
                          "finalized on %s at the earliest, not %s", of, p, WZ_PUBLICITY_DAYS, f, f, d);
            return 0;
        }
    }
    wz_jbuilder *b = wz_jb_new();
    wz_jb_begin_object(b);
    member_int(b, "entry", of);
    member_str(b, "on", d);
    wz_jb_end_object(b);
    char *body = finish(b);
    gint64 id = wz_ledger_append(l, kind, NULL, body, NULL, diags);
    g_free(body);
    return id;
}

/* The --param values a run entry records. */
static GPtrArray *recorded_overrides(const wz_jv *arr) {
    GPtrArray *out = g_ptr_array_new();
    for (guint i = 0; i < wz_jv_len(arr); i++) g_ptr_array_add(out, (gpointer)wz_jv_string(wz_jv_at(arr, i)));
    return out;
}

wz_result *wz_ledger_run_policy_of(wz_ledger *l, const wz_ledger_entry *e, const char *facts_dir, GPtrArray *overrides,
                                   const char *history_dir, int threads, wz_policy **policy, char **tmpdir, wz_diags *diags) {
    *policy = NULL;
    char *path = wz_ledger_materialize_policy(l, wz_jv_get(e->json, "policy"), tmpdir, diags);
    if (!path) return NULL;
    *policy = wz_policy_load(path, diags);
    g_free(path);
    if (!*policy) return NULL;
    wz_engine_options opts = {.overrides = overrides, .threads = threads, .history_dir = history_dir};
    return wz_engine_run_opts(*policy, facts_dir, &opts, diags);
}

static void gstring_free(gpointer s) { g_string_free(s, TRUE); }

bool wz_ledger_history_of(wz_ledger *l, const GPtrArray *entries, const wz_ledger_entry *e, const char **dir, char **tmpdir,
                          wz_diags *diags) {
    const wz_jv *hist = wz_jv_get(e->json, "history");
    *dir = jstr(hist, "dir");
    *tmpdir = NULL;
    if (!wz_jv_get(hist, "entries")) return true;
    GArray *ids = g_array_new(FALSE, FALSE, sizeof(gint64));
    const wz_jv *arr = wz_jv_get(hist, "entries");
    for (guint i = 0; i < wz_jv_len(arr); i++) {
        gint64 id = wz_jv_int(wz_jv_at(arr, i));
        g_array_append_val(ids, id);
    }
    *tmpdir = history_from_ids(l, entries, ids, diags);
    g_array_free(ids, TRUE);
    *dir = *tmpdir;
    return *tmpdir != NULL;
}

GPtrArray *wz_ledger_overrides_of(const wz_ledger_entry *e) { return recorded_overrides(wz_jv_get(e->json, "overrides")); }

wz_replay_status wz_ledger_replay(wz_ledger *l, const GPtrArray *entries, const wz_ledger_entry *e, const char *facts_root,
                                  const char *facts_override, int threads, GPtrArray *problems, wz_diags *diags) {
    wz_replay_status status = WZ_REPLAY_FAILED;
    const wz_jv *body = e->json;
    char *facts_tmp = NULL, *policy_tmp = NULL, *history_tmp = NULL, *facts_dir = NULL;
    wz_policy *policy = NULL;
    wz_result *r = NULL;
    GPtrArray *overrides = recorded_overrides(wz_jv_get(body, "overrides"));
    /* the policy's texts: each still has its SHA-256 */
    const wz_jv *srcs = wz_jv_get(wz_jv_get(body, "policy"), "sources");
    for (guint i = 0; i < wz_jv_len(srcs); i++) {
        GBytes *b = wz_ledger_read_blob(l, jstr(wz_jv_at(srcs, i), "blob"), NULL);
        if (!b) {
            g_ptr_array_add(problems, g_strdup(jstr(wz_jv_at(srcs, i), "file")));
            status = WZ_REPLAY_POLICY_ALTERED;
            goto out;
        }
        g_bytes_unref(b);
    }
    /* the facts: stored, or read again and checked against their SHA-256 */
    const wz_jv *facts = wz_jv_get(body, "facts");
    bool stored = wz_jv_len(facts) > 0 && jstr(wz_jv_at(facts, 0), "blob");
    if (facts_override) facts_dir = g_strdup(facts_override);
    else if (stored) {
        if (!(facts_tmp = new_tmpdir(diags))) goto out;
        facts_dir = g_strdup(facts_tmp);
    } else {
        const char *rec = jstr(body, "facts_dir");
        facts_dir = facts_root && !g_path_is_absolute(rec) ? g_build_filename(facts_root, rec, NULL) : g_strdup(rec);
    }
    for (guint i = 0; i < wz_jv_len(facts); i++) {
        const wz_jv *f = wz_jv_at(facts, i);
        char *path = g_build_filename(facts_dir, jstr(f, "file"), NULL);
        if (stored && !facts_override) {
            GBytes *b = wz_ledger_read_blob(l, jstr(f, "blob"), NULL);
            if (!b) {
                g_ptr_array_add(problems, g_strdup_printf(_("%s (its stored bytes were altered)"), jstr(f, "file")));
                status = WZ_REPLAY_FACTS_CHANGED;
            } else {
                write_bytes(path, b, diags);
                g_bytes_unref(b);
            }
        } else {
            char *text = NULL, got[65] = "";
            gsize len = 0;
            if (g_file_get_contents(path, &text, &len, NULL)) wz_sha256_hex(text, len, got);
            if (strcmp(got, jstr(f, "sha256"))) {
                g_ptr_array_add(problems, got[0] ? g_strdup(path) : g_strdup_printf(_("%s (missing)"), path));
                status = WZ_REPLAY_FACTS_CHANGED;
            }
            g_free(text);
        }
        g_free(path);
    }
    if (status == WZ_REPLAY_FACTS_CHANGED) goto out;
    /* earlier periods as the run had them */
    const char *history_dir = NULL;
    if (!wz_ledger_history_of(l, entries, e, &history_dir, &history_tmp, diags)) goto out;
    r = wz_ledger_run_policy_of(l, e, facts_dir, overrides, history_dir, threads, &policy, &policy_tmp, diags);
    if (!r) goto out;
    GPtrArray *command = g_ptr_array_new();
    const wz_jv *cmd = wz_jv_get(body, "command");
    for (guint i = 0; i < wz_jv_len(cmd); i++) g_ptr_array_add(command, (gpointer)wz_jv_string(wz_jv_at(cmd, i)));
    r->command = command;
    GHashTable *got = wz_output_render(r);
    GHashTable *want = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, gstring_free);
    const wz_jv *outs = wz_jv_get(body, "outputs");
    bool read_ok = true;
    for (guint i = 0; i < wz_jv_len(outs); i++) {
        GBytes *b = wz_ledger_read_blob(l, jstr(wz_jv_at(outs, i), "blob"), diags);
        if (!b) {
            read_ok = false;
            continue;
        }
        gsize len = 0;
        const char *data = g_bytes_get_data(b, &len);
        g_hash_table_insert(want, (gpointer)jstr(wz_jv_at(outs, i), "file"), g_string_new_len(data, (gssize)len));
        g_bytes_unref(b);
    }
    if (read_ok) status = wz_audit_files(want, got, problems) ? WZ_REPLAY_DIFFERS : WZ_REPLAY_IDENTICAL;
    g_hash_table_unref(want);
    g_hash_table_unref(got);
    g_ptr_array_free(command, TRUE);
out:
    wz_result_free(r);
    wz_policy_free(policy);
    g_ptr_array_free(overrides, TRUE);
    for (char **t = (char *[]){facts_tmp, policy_tmp, history_tmp, NULL}; *t; t++) wz_rm_rf(*t);
    g_free(facts_tmp);
    g_free(policy_tmp);
    g_free(history_tmp);
    g_free(facts_dir);
    return status;
}
