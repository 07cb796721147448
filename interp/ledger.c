/* ledger.c — the ledger's store and its hash chain (see ledger.h). */
#include "ledger.h"

#include <sqlite3.h>
#include <string.h>
#include <zlib.h>

#include "i18n.h"
#include "sha256.h"

struct wz_ledger {
    sqlite3 *db;
    char *path;
};

static const char ZERO_HASH[] = "0000000000000000000000000000000000000000000000000000000000000000";

/* The schema.  Appending is the only write: the triggers make an UPDATE or a
 * DELETE of any ledger table fail, whoever issues it. */
static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS entries(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, time TEXT NOT NULL,"
    " body TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS blobs(sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, zlib INTEGER NOT NULL,"
    " data BLOB NOT NULL);"
    "CREATE TRIGGER IF NOT EXISTS entries_no_update BEFORE UPDATE ON entries"
    " BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: entries cannot be changed'); END;"
    "CREATE TRIGGER IF NOT EXISTS entries_no_delete BEFORE DELETE ON entries"
    " BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: entries cannot be deleted'); END;"
    "CREATE TRIGGER IF NOT EXISTS blobs_no_update BEFORE UPDATE ON blobs"
    " BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: stored bytes cannot be changed'); END;"
    "CREATE TRIGGER IF NOT EXISTS blobs_no_delete BEFORE DELETE ON blobs"
    " BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: stored bytes cannot be deleted'); END;";

static bool db_error(wz_ledger *l, wz_diags *diags, const char *doing) {
    wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, l->path, "%s: %s", doing, sqlite3_errmsg(l->db));
    return false;
}

wz_ledger *wz_ledger_open(const char *path, bool create, wz_diags *diags) {
    if (!create && !g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, path, "no ledger here; expected a ledger file that `wenze run --ledger` or `wenze ledger add-policy` created");
        return NULL;
    }
    wz_ledger *l = g_new0(wz_ledger, 1);
    l->path = g_strdup(path);
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &l->db, flags, NULL) != SQLITE_OK) {
        db_error(l, diags, "cannot open the ledger");
        wz_ledger_close(l);
        return NULL;
    }
    sqlite3_busy_timeout(l->db, 10000);
    char *err = NULL;
    /* WAL: a commit is durable and atomic; a kill leaves the last commit whole */
    if (sqlite3_exec(l->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL, &err) != SQLITE_OK ||
        sqlite3_exec(l->db, SCHEMA, NULL, NULL, &err) != SQLITE_OK) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, path, "expected a wenze ledger (an SQLite file): %s",
                      err ? err : sqlite3_errmsg(l->db));
        sqlite3_free(err);
        wz_ledger_close(l);
        return NULL;
    }
    return l;
}

void wz_ledger_close(wz_ledger *l) {
    if (!l) return;
    sqlite3_close(l->db);
    g_free(l->path);
    g_free(l);
}

const char *wz_ledger_path(const wz_ledger *l) { return l->path; }

void wz_ledger_entry_hash(gint64 id, const char *kind, const char *time, const char *prev, const char *body, char out[65]) {
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "wenze-ledger-1\n%" G_GINT64_FORMAT "\n%s\n%s\n%s\n", id, kind, time, prev);
    g_string_append(s, body);
    wz_sha256_hex(s->str, s->len, out);
    g_string_free(s, TRUE);
}

static bool put_blob(wz_ledger *l, sqlite3_stmt *ins, const wz_ledger_blob *b) {
    uLongf clen = compressBound(b->len);
    Bytef *z = g_malloc(clen);
    bool zip = compress2(z, &clen, b->data, b->len, 6) == Z_OK && clen < b->len;
    sqlite3_reset(ins);
    sqlite3_bind_text(ins, 1, b->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 2, (sqlite3_int64)b->len);
    sqlite3_bind_int(ins, 3, zip);
    sqlite3_bind_blob64(ins, 4, zip ? (const void *)z : b->data, zip ? clen : b->len, SQLITE_STATIC);
    bool ok = sqlite3_step(ins) == SQLITE_DONE;
    g_free(z);
    return ok;
}

gint64 wz_ledger_append(wz_ledger *l, const char *kind, const char *time, const char *body, const GPtrArray *blobs,
                        wz_diags *diags) {
    char *now = NULL;
    if (!time) {
        GDateTime *t = g_date_time_new_now_utc();
        now = g_date_time_format(t, "%Y-%m-%dT%H:%M:%SZ");
        g_date_time_unref(t);
        time = now;
    }
    gint64 id = 0;
    sqlite3_stmt *last = NULL, *ins = NULL, *put = NULL;
    /* IMMEDIATE: the write lock from the start, so two appends never read the same head */
    if (sqlite3_exec(l->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        db_error(l, diags, "cannot start writing the ledger");
        g_free(now);
        return 0;
    }
    char prev[65];
    g_strlcpy(prev, ZERO_HASH, sizeof prev);
    gint64 last_id = 0;
    if (sqlite3_prepare_v2(l->db, "SELECT id, hash FROM entries ORDER BY id DESC LIMIT 1", -1, &last, NULL) != SQLITE_OK)
        goto fail;
    if (sqlite3_step(last) == SQLITE_ROW) {
        last_id = sqlite3_column_int64(last, 0);
        g_strlcpy(prev, (const char *)sqlite3_column_text(last, 1), sizeof prev);
    }
    if (sqlite3_prepare_v2(l->db, "INSERT OR IGNORE INTO blobs(sha256, size, zlib, data) VALUES (?, ?, ?, ?)", -1, &put,
                           NULL) != SQLITE_OK)
        goto fail;
    for (guint i = 0; blobs && i < blobs->len; i++)
        if (!put_blob(l, put, g_ptr_array_index(blobs, i))) goto fail;
    char hash[65];
    wz_ledger_entry_hash(last_id + 1, kind, time, prev, body, hash);
    if (sqlite3_prepare_v2(l->db, "INSERT INTO entries(id, kind, time, body, prev, hash) VALUES (?, ?, ?, ?, ?, ?)", -1,
                           &ins, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(ins, 1, last_id + 1);
    sqlite3_bind_text(ins, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 3, time, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 4, body, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 5, prev, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 6, hash, -1, SQLITE_STATIC);
    if (sqlite3_step(ins) != SQLITE_DONE) goto fail;
    if (sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) goto fail;
    id = last_id + 1;
    goto out;
fail:
    db_error(l, diags, "cannot append to the ledger");
    sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
out:
    sqlite3_finalize(last);
    sqlite3_finalize(put);
    sqlite3_finalize(ins);
    g_free(now);
    return id;
}

static void entry_free(gpointer p) {
    wz_ledger_entry *e = p;
    g_free(e->kind);
    g_free(e->time);
    g_free(e->body);
    wz_jv_free(e->json);
    g_free(e);
}

static const char *col_text(sqlite3_stmt *st, int i) {
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

GPtrArray *wz_ledger_entries(wz_ledger *l, wz_diags *diags) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(l->db, "SELECT id, kind, time, body, prev, hash FROM entries ORDER BY id", -1, &st, NULL) !=
        SQLITE_OK) {
        db_error(l, diags, "cannot read the ledger");
        return NULL;
    }
    GPtrArray *out = g_ptr_array_new_with_free_func(entry_free);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        wz_ledger_entry *e = g_new0(wz_ledger_entry, 1);
        e->id = sqlite3_column_int64(st, 0);
        e->kind = g_strdup(col_text(st, 1));
        e->time = g_strdup(col_text(st, 2));
        e->body = g_strdup(col_text(st, 3));
        g_strlcpy(e->prev, col_text(st, 4), sizeof e->prev);
        g_strlcpy(e->hash, col_text(st, 5), sizeof e->hash);
        e->json = wz_jv_parse(e->body, strlen(e->body), NULL);
        g_ptr_array_add(out, e);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        db_error(l, diags, "cannot read the ledger");
        g_ptr_array_free(out, TRUE);
        return NULL;
    }
    return out;
}

const wz_ledger_entry *wz_ledger_entry_find(const GPtrArray *entries, gint64 id) {
    for (guint i = 0; entries && i < entries->len; i++) {
        const wz_ledger_entry *e = g_ptr_array_index(entries, i);
        if (e->id == id) return e;
    }
    return NULL;
}

/* The blob's bytes (NULL when absent: *why says so) without diagnostics. */
static GBytes *read_blob(wz_ledger *l, const char *sha256, char **why) {
    sqlite3_stmt *st = NULL;
    GBytes *out = NULL;
    if (sqlite3_prepare_v2(l->db, "SELECT size, zlib, data FROM blobs WHERE sha256 = ?", -1, &st, NULL) != SQLITE_OK) {
        *why = g_strdup(sqlite3_errmsg(l->db));
        return NULL;
    }
    sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        *why = g_strdup_printf("the stored bytes with SHA-256 %.12s… are missing", sha256);
    } else {
        sqlite3_int64 size = sqlite3_column_int64(st, 0);
        bool zip = sqlite3_column_int(st, 1);
        const void *data = sqlite3_column_blob(st, 2);
        int n = sqlite3_column_bytes(st, 2);
        guint8 *buf = g_malloc(size > 0 ? (gsize)size : 1);
        uLongf got = (uLongf)size;
        bool ok = zip ? uncompress(buf, &got, data, (uLong)n) == Z_OK && got == (uLongf)size
                      : n == size && (memcpy(buf, data ? data : "", (size_t)n), true);
        char hex[65];
        if (ok) wz_sha256_hex(buf, (size_t)size, hex);
        if (!ok || strcmp(hex, sha256)) {
            *why = g_strdup_printf("the stored bytes with SHA-256 %.12s… were altered (they no longer have that SHA-256)", sha256);
            g_free(buf);
        } else {
            out = g_bytes_new_take(buf, (gsize)size);
        }
    }
    sqlite3_finalize(st);
    return out;
}

GBytes *wz_ledger_read_blob(wz_ledger *l, const char *sha256, wz_diags *diags) {
    char *why = NULL;
    GBytes *b = read_blob(l, sha256, &why);
    if (!b && diags) wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, l->path, "%s", why);
    g_free(why);
    return b;
}

/* Every "blob" member anywhere in v. */
static void collect_blobs(const wz_jv *v, GPtrArray *into) {
    for (guint i = 0; i < wz_jv_members(v); i++) {
        const char *k = wz_jv_key(v, i);
        const wz_jv *m = wz_jv_member(v, i);
        if (!strcmp(k, "blob") && wz_jv_string(m)) g_ptr_array_add(into, (gpointer)wz_jv_string(m));
        else collect_blobs(m, into);
    }
    for (guint i = 0; i < wz_jv_len(v); i++) collect_blobs(wz_jv_at(v, i), into);
}

gint64 wz_ledger_verify(wz_ledger *l, guint *count, char head[65], char **why, wz_diags *diags) {
    *why = NULL;
    *count = 0;
    g_strlcpy(head, ZERO_HASH, 65);
    GPtrArray *entries = wz_ledger_entries(l, diags);
    if (!entries) return -1;
    gint64 broken = 0;
    char prev[65];
    g_strlcpy(prev, ZERO_HASH, sizeof prev);
    GHashTable *checked = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < entries->len && !broken; i++) {
        const wz_ledger_entry *e = g_ptr_array_index(entries, i);
        gint64 want = (gint64)i + 1;
        char hash[65];
        wz_ledger_entry_hash(e->id, e->kind, e->time, e->prev, e->body, hash);
        if (e->id != want) {
            broken = want;
            *why = g_strdup_printf(_("entry %" PRId64 " is missing: the next row is entry %" PRId64
                                   " (a row was deleted or renumbered)"), want, e->id);
        } else if (strcmp(e->prev, prev)) {
            broken = want;
            *why = g_strdup_printf(_("entry %" PRId64 " does not follow entry %" PRId64
                                   ": its previous hash is %.12s…, expected %.12s… (a row was deleted, inserted or reordered)"),
                                   want, want - 1, e->prev, prev);
        } else if (strcmp(hash, e->hash)) {
            broken = want;
            *why = g_strdup_printf(_("entry %" PRId64 " was edited: its content hashes to %.12s…, the chain records %.12s…"),
                                   want, hash, e->hash);
        } else if (!e->json) {
            broken = want;
            *why = g_strdup_printf(_("entry %" PRId64 ": its body is not JSON"), want);
        } else {
            GPtrArray *refs = g_ptr_array_new();
            collect_blobs(e->json, refs);
            for (guint k = 0; k < refs->len && !broken; k++) {
                const char *sha = g_ptr_array_index(refs, k);
                if (g_hash_table_contains(checked, sha)) continue;
                char *bad = NULL;
                GBytes *b = read_blob(l, sha, &bad);
                if (!b) {
                    broken = want;
                    *why = g_strdup_printf("entry %" PRId64 ": %s", want, bad);
                } else {
                    g_hash_table_add(checked, g_strdup(sha));
                    g_bytes_unref(b);
                }
                g_free(bad);
            }
            g_ptr_array_free(refs, TRUE);
        }
        g_strlcpy(prev, e->hash, sizeof prev);
        if (!broken) {
            *count = (guint)want;
            g_strlcpy(head, e->hash, 65);
        }
    }
    g_hash_table_destroy(checked);
    g_ptr_array_free(entries, TRUE);
    return broken;
}
