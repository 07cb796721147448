/* ledger.h — the decision ledger: an append-only, hash-chained record of
 * policy versions, runs, appeals and publications, in one SQLite file.
 *
 * Every entry is one row of `entries`: id (1, 2, 3 … with no gap), kind
 * ("policy", "run", "publish", "finalize"), time (UTC, ISO 8601), body
 * (canonical JSON text: what the entry records, blobs named by SHA-256),
 * prev (the previous entry's hash; 64 zeros for the first) and hash =
 * SHA-256("wenze-ledger-1\n" id "\n" kind "\n" time "\n" prev "\n" body).
 * Bytes (policy texts, facts, outputs) live once each in `blobs`, keyed by
 * the SHA-256 of their uncompressed bytes, zlib-compressed when that is
 * smaller.  An entry and its blobs are written in one transaction (WAL mode):
 * a process killed at any moment leaves the ledger as it was before or
 * after the entry, never between.  SQL triggers abort any UPDATE or DELETE
 * of the ledger's tables, and nothing in wenze issues one.
 *
 * The library never prints: problems go to diags (WZ_DIAG_IO for the file,
 * WZ_DIAG_USAGE for a request that cannot be met).
 *
 * Ownership: wz_ledger_open() returns a new handle, closed with
 * wz_ledger_close(); wz_ledger_entries() returns a new array whose entries
 * it frees; wz_ledger_read_blob() returns a new GBytes.
 */
#ifndef WZ_LEDGER_H
#define WZ_LEDGER_H

#include <glib.h>

#include "diag.h"
#include "jsonmodel.h"

typedef struct wz_ledger wz_ledger;

typedef struct wz_ledger_entry {
    gint64 id;
    char *kind, *time, *body;
    char prev[65], hash[65];
    wz_jv *json;           /* body, parsed (NULL when it does not parse) */
} wz_ledger_entry;

/* Bytes to store with an entry: data is borrowed until the append returns. */
typedef struct wz_ledger_blob {
    char sha256[65];
    const void *data;
    gsize len;
} wz_ledger_blob;

/* Opens (create: creates it when missing) the ledger at path. */
wz_ledger *wz_ledger_open(const char *path, bool create, wz_diags *diags);
void wz_ledger_close(wz_ledger *l);
const char *wz_ledger_path(const wz_ledger *l);

/* Appends one entry and its blobs (wz_ledger_blob*, may be NULL) in one
 * transaction; time NULL = now.  Returns the new entry's id, or 0. */
gint64 wz_ledger_append(wz_ledger *l, const char *kind, const char *time, const char *body, const GPtrArray *blobs,
                        wz_diags *diags);

/* Every entry, by id. */
GPtrArray *wz_ledger_entries(wz_ledger *l, wz_diags *diags);
/* The entry with id, in entries (from wz_ledger_entries), or NULL. */
const wz_ledger_entry *wz_ledger_entry_find(const GPtrArray *entries, gint64 id);

/* A blob's bytes, uncompressed and checked against its SHA-256; NULL after
 * reporting a missing or altered blob. */
GBytes *wz_ledger_read_blob(wz_ledger *l, const char *sha256, wz_diags *diags);

/* Checks the chain: ids 1…N with no gap, each prev the hash before it, each
 * hash recomputed from the row, each body JSON and every blob it names
 * present with bytes matching their SHA-256.  Returns 0 when whole (*count
 * entries, head = the last hash), else the id of the first broken entry with
 * *why (new string) saying what is wrong. */
gint64 wz_ledger_verify(wz_ledger *l, guint *count, char head[65], char **why, wz_diags *diags);

/* The entry hash of a row (for tests). */
void wz_ledger_entry_hash(gint64 id, const char *kind, const char *time, const char *prev, const char *body, char out[65]);

#endif
