/* history.h — earlier periods' kept values, for previous() and streak().
 *
 * A policy's `keep NAME;` makes every run write kept.csv (kind,entity,name,
 * value: one line per entity and kept value).  `wenze run --history DIR`
 * hands a later run the output directories of earlier runs: DIR holds one
 * subdirectory per earlier period, oldest first in name order (2006, 2007 …),
 * each with the kept.csv its run wrote.  The ledger will later supply the
 * same periods from its records.
 *
 * Ownership: wz_history_load() returns a new wz_history; free with
 * wz_history_free().  Values borrowed from it (text) live as long as it.
 */
#ifndef WZ_HISTORY_H
#define WZ_HISTORY_H

#include <glib.h>
#include <stdint.h>

#include "diag.h"

typedef struct wz_kept_cell {
    const char *value;        /* the text written, as in kept.csv */
    uint32_t row;             /* its line in kept.csv (header = 1) */
} wz_kept_cell;

typedef struct wz_history_period {
    char *name;               /* the subdirectory: "2007" */
    char *file;               /* "DIR/2007/kept.csv", as messages show it */
    char sha256[65];          /* of kept.csv's bytes */
    GHashTable *cells;        /* "kind\037entity\037name" → wz_kept_cell* */
    GHashTable *names;        /* "kind\037name" of every kept value the period has */
    GStringChunk *chunk;
} wz_history_period;

typedef struct wz_history {
    char *dir;
    GPtrArray *periods;       /* wz_history_period*, oldest first */
} wz_history;

/* Reads every period of dir.  Returns NULL after reporting problems (a
 * missing directory or kept.csv, a malformed row) into diags. */
wz_history *wz_history_load(const char *dir, wz_diags *diags);
void wz_history_free(wz_history *h);

/* The cell of (kind, entity, name) in period p, or NULL. */
const wz_kept_cell *wz_history_cell(const wz_history_period *p, const char *kind, const char *entity, const char *name);
/* Whether period p kept `name` for entities of `kind` at all. */
gboolean wz_history_has(const wz_history_period *p, const char *kind, const char *name);

#endif
