/* test_ledger.c — the ledger's store and hash chain (interp/ledger.c).
 *
 * Three entries: 1 a policy whose text is stored, 2 a run whose facts file is
 * stored, 3 a publication.  Each attack is done as an attacker would: with
 * raw SQL on the file, after dropping the triggers that refuse UPDATE and
 * DELETE.  `wz_ledger_verify` must name the first entry the attack broke.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "ledger.h"
#include "replay.h"
#include "sha256.h"
#include "test_util.h"

static const char POLICY_TEXT[] = "policy \"p\" version \"1\";\nfact staff persons key id { id: text; }\n";
/* a facts file large and repetitive enough to be stored compressed */
static char *fact_text(void) {
    GString *s = g_string_new("id,days\n");
    for (int i = 0; i < 500; i++) g_string_append_printf(s, "T%03d,1\n", i);
    return g_string_free(s, FALSE);
}

typedef struct fx {
    char *dir, *path;
    wz_ledger *l;
    wz_diags *d;
    char policy_sha[65], fact_sha[65];
} fx;

static gint64 append(fx *x, const char *kind, const char *body, const void *data, gsize len) {
    GPtrArray *blobs = g_ptr_array_new_with_free_func(g_free);
    if (data) {
        wz_ledger_blob *b = g_new0(wz_ledger_blob, 1);
        wz_sha256_hex(data, len, b->sha256);
        b->data = data;
        b->len = len;
        g_ptr_array_add(blobs, b);
    }
    gint64 id = wz_ledger_append(x->l, kind, "2020-01-01T00:00:00Z", body, blobs, x->d);
    g_ptr_array_free(blobs, TRUE);
    return id;
}

static int setup(void **state) {
    fx *x = g_new0(fx, 1);
    x->dir = g_dir_make_tmp("wz-ledger-XXXXXX", NULL);
    x->path = g_build_filename(x->dir, "ledger", NULL);
    x->d = wz_diags_new(50);
    x->l = wz_ledger_open(x->path, true, x->d);
    assert_non_null(x->l);
    char *facts = fact_text();
    wz_sha256_hex(POLICY_TEXT, strlen(POLICY_TEXT), x->policy_sha);
    wz_sha256_hex(facts, strlen(facts), x->fact_sha);
    char *b1 = g_strdup_printf("{\"policy\": {\"name\": \"p\", \"sources\": [{\"file\": \"p.wz\", \"blob\": \"%s\"}]}}", x->policy_sha);
    char *b2 = g_strdup_printf("{\"facts\": [{\"file\": \"staff.csv\", \"sha256\": \"%s\", \"blob\": \"%s\"}]}", x->fact_sha, x->fact_sha);
    assert_int_equal(append(x, "policy", b1, POLICY_TEXT, strlen(POLICY_TEXT)), 1);
    assert_int_equal(append(x, "run", b2, facts, strlen(facts)), 2);
    assert_int_equal(append(x, "publish", "{\"entry\": 2, \"on\": \"2020-07-01\"}", NULL, 0), 3);
    g_free(b1);
    g_free(b2);
    g_free(facts);
    *state = x;
    return 0;
}

static int teardown(void **state) {
    fx *x = *state;
    wz_ledger_close(x->l);
    wz_diags_free(x->d);
    wz_rm_rf(x->dir);
    g_free(x->dir);
    g_free(x->path);
    g_free(x);
    return 0;
}

/* Raw SQL on the ledger file, triggers dropped first (an attacker's edit). */
static void attack(fx *x, const char *sql) {
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(x->path, &db), SQLITE_OK);
    char *err = NULL;
    const char *drop = "DROP TRIGGER entries_no_update; DROP TRIGGER entries_no_delete;"
                       "DROP TRIGGER blobs_no_update; DROP TRIGGER blobs_no_delete;";
    if (sqlite3_exec(db, drop, NULL, NULL, &err) != SQLITE_OK || sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s", err);
    sqlite3_close(db);
}

/* verify's verdict: the first broken entry (0: whole), *why checked to hold `says`. */
static gint64 verdict(fx *x, const char *says) {
    guint count = 0;
    char head[65], *why = NULL;
    gint64 broken = wz_ledger_verify(x->l, &count, head, &why, x->d);
    if (says) {
        assert_non_null(why);
        if (!strstr(why, says)) fail_msg("expected \"%s\" in: %s", says, why);
    }
    g_free(why);
    return broken;
}

static void test_append_and_read(void **state) {
    fx *x = *state;
    GPtrArray *es = wz_ledger_entries(x->l, x->d);
    assert_int_equal(es->len, 3);
    const wz_ledger_entry *e2 = wz_ledger_entry_find(es, 2), *e1 = wz_ledger_entry_find(es, 1);
    assert_string_equal(e2->kind, "run");
    assert_string_equal(e2->prev, e1->hash);   /* the chain */
    char h[65];
    wz_ledger_entry_hash(2, e2->kind, e2->time, e2->prev, e2->body, h);
    assert_string_equal(h, e2->hash);
    assert_int_equal(wz_jv_get_int(wz_ledger_entry_find(es, 3)->json, "entry"), 2);
    /* stored bytes come back whole, compressed or not */
    GBytes *p = wz_ledger_read_blob(x->l, x->policy_sha, x->d), *f = wz_ledger_read_blob(x->l, x->fact_sha, x->d);
    assert_int_equal(g_bytes_get_size(p), strlen(POLICY_TEXT));
    assert_memory_equal(g_bytes_get_data(p, NULL), POLICY_TEXT, strlen(POLICY_TEXT));
    char *facts = fact_text();
    assert_int_equal(g_bytes_get_size(f), strlen(facts));
    assert_memory_equal(g_bytes_get_data(f, NULL), facts, strlen(facts));
    g_free(facts);
    g_bytes_unref(p);
    g_bytes_unref(f);
    guint count = 0;
    char head[65], *why = NULL;
    assert_int_equal(wz_ledger_verify(x->l, &count, head, &why, x->d), 0);
    assert_int_equal(count, 3);
    assert_string_equal(head, wz_ledger_entry_find(es, 3)->hash);
    assert_null(why);
    g_ptr_array_free(es, TRUE);
    assert_false(wz_diags_has_errors(x->d));
}

/* The triggers refuse an UPDATE or DELETE through SQL. */
static void test_triggers_refuse_changes(void **state) {
    fx *x = *state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(x->path, &db), SQLITE_OK);
    char *err = NULL;
    assert_int_not_equal(sqlite3_exec(db, "UPDATE entries SET body = '{}' WHERE id = 2", NULL, NULL, &err), SQLITE_OK);
    assert_non_null(strstr(err, "append-only"));
    sqlite3_free(err);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM entries WHERE id = 3", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM blobs", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE blobs SET zlib = 0", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(verdict(x, NULL), 0);
}

static void test_edited_row(void **state) {
    fx *x = *state;
    attack(x, "UPDATE entries SET body = replace(body, '2020-07-01', '2020-06-01') WHERE id = 3");
    assert_int_equal(verdict(x, "entry 3 was edited"), 3);
}

static void test_edited_row_with_its_hash(void **state) {
    fx *x = *state;
    /* rehashing the edited row is not enough: the next entry's prev no longer matches */
    GPtrArray *es = wz_ledger_entries(x->l, x->d);
    const wz_ledger_entry *e = wz_ledger_entry_find(es, 2);
    const char *body = "{\"facts\": []}";
    char h[65];
    wz_ledger_entry_hash(2, e->kind, e->time, e->prev, body, h);
    char *sql = g_strdup_printf("UPDATE entries SET body = '%s', hash = '%s' WHERE id = 2", body, h);
    attack(x, sql);
    g_free(sql);
    g_ptr_array_free(es, TRUE);
    assert_int_equal(verdict(x, "entry 3 does not follow entry 2"), 3);
}

static void test_deleted_row(void **state) {
    fx *x = *state;
    attack(x, "DELETE FROM entries WHERE id = 2");
    assert_int_equal(verdict(x, "entry 2 is missing"), 2);
}

static void test_reordered_rows(void **state) {
    fx *x = *state;
    /* entries 2 and 3 change places: ids swapped, rows otherwise as they were */
    attack(x, "UPDATE entries SET id = 100 WHERE id = 2; UPDATE entries SET id = 2 WHERE id = 3;"
              "UPDATE entries SET id = 3 WHERE id = 100;");
    assert_int_equal(verdict(x, "entry 2"), 2);
}

static void test_edited_stored_policy(void **state) {
    fx *x = *state;
    char *sql = g_strdup_printf("UPDATE blobs SET zlib = 0, size = 5, data = CAST('evil!' AS BLOB) WHERE sha256 = '%s'", x->policy_sha);
    attack(x, sql);
    g_free(sql);
    assert_int_equal(verdict(x, "were altered"), 1);
    wz_diags *d = wz_diags_new(10);
    assert_null(wz_ledger_read_blob(x->l, x->policy_sha, d));
    assert_true(wz_diags_has_errors(d));
    wz_diags_free(d);
}

static void test_edited_stored_fact(void **state) {
    fx *x = *state;
    /* the bytes replaced by other valid compressed bytes: still caught by their hash */
    char *sql = g_strdup_printf("UPDATE blobs SET data = (SELECT data FROM blobs WHERE sha256 = '%s'), zlib = "
                                "(SELECT zlib FROM blobs WHERE sha256 = '%s'), size = (SELECT size FROM blobs WHERE sha256 = '%s')"
                                " WHERE sha256 = '%s'",
                                x->policy_sha, x->policy_sha, x->policy_sha, x->fact_sha);
    attack(x, sql);
    g_free(sql);
    assert_int_equal(verdict(x, "were altered"), 2);
}

static void test_deleted_stored_fact(void **state) {
    fx *x = *state;
    char *sql = g_strdup_printf("DELETE FROM blobs WHERE sha256 = '%s'", x->fact_sha);
    attack(x, sql);
    g_free(sql);
    assert_int_equal(verdict(x, "are missing"), 2);
}

/* Reopening keeps the chain; an append continues it. */
static void test_reopen_and_append(void **state) {
    fx *x = *state;
    wz_ledger_close(x->l);
    x->l = wz_ledger_open(x->path, false, x->d);
    assert_non_null(x->l);
    assert_int_equal(append(x, "finalize", "{\"entry\": 2, \"on\": \"2020-07-04\"}", NULL, 0), 4);
    assert_int_equal(verdict(x, NULL), 0);
    /* a file that is not a ledger */
    char *bad = g_build_filename(x->dir, "not-a-ledger", NULL);
    g_file_set_contents(bad, "hello, this is text", -1, NULL);
    wz_diags *d = wz_diags_new(10);
    assert_null(wz_ledger_open(bad, false, d));
    assert_true(wz_diags_has_errors(d));
    wz_diags_free(d);
    g_free(bad);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_append_and_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_triggers_refuse_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edited_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edited_row_with_its_hash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reordered_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edited_stored_policy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edited_stored_fact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_stored_fact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reopen_and_append, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
