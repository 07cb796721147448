/* facts_parallel.c — reading one big CSV fact file with several threads.
 *
 * The result must not depend on the thread count in any way: kept rows and
 * their order, row numbers, counts, checksums, and every diagnostic and its
 * order.  So the file is cut into chunks at line breaks, each chunk is read
 * by the very code that reads a whole file (wz_facts_csv_rows) into a slot
 * range of its own, and the chunks are stitched together in file order:
 *
 *   1. scan (parallel): per chunk, count the '\n's and look for '"' and lone
 *      '\r' bytes.  A quoted field may span lines and a lone CR is a line
 *      break memchr does not see, so such files are read sequentially.
 *   2. header (calling thread): read exactly as sequentially; the line
 *      counts then give each chunk its first row number and an upper bound
 *      on its records, hence a slot range [base, base + cap) of the columns
 *      sized for the whole file, disjoint from every other chunk's.
 *   3. rows (parallel): each chunk is read with private scratch state — row
 *      cells, lookup buffer, last person/date caches, missing-cell bitmaps,
 *      counters and a private wz_diags — writing only into its slot range.
 *      The person table and the population's strings are only read.
 *   4. merge (calling thread): in chunk order, the kept rows are moved down
 *      to follow the previous chunk's, counters are added, and diagnostics
 *      are appended, applying the limit as one sequential pass would.
 *
 * Which files: non-population facts with many rows per person (one-per-person
 * and every-person checks depend on the rows before), without text fields
 * (interning writes to the shared string table), of at least
 * FX_PARALLEL_MIN_BYTES.  Everything else is read by the calling thread,
 * while a worker computes the file's SHA-256.
 *
 * The diagnostics limit: a chunk's private list starts with the errors the
 * shared list had before the file, and the same limit, so it formats and
 * keeps at most as many messages as could possibly be kept; merging keeps
 * the first ones in file order and counts the rest as dropped.
 */
#include "facts_internal.h"
#include "sha256.h"

#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

/* ---- a small thread pool ------------------------------------------------ */

/* GLib's GMutex is futex-based inside libglib, which ThreadSanitizer does
 * not instrument, so under -fsanitize=thread the lock operations are
 * announced to it (acquire after locking, release before unlocking). */
#if defined(__SANITIZE_THREAD__)
#define FX_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FX_TSAN 1
#endif
#endif
#ifdef FX_TSAN
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
#else
#define __tsan_acquire(addr) ((void)0)
#define __tsan_release(addr) ((void)0)
#endif

typedef struct fx_task {
    void (*fn)(void *);
    void *arg;
    guint *left;          /* tasks of its batch not finished yet */
} fx_task;

struct fx_pool {
    GMutex m;             /* guards everything below but the checksum's input and output */
    GCond c;
    GQueue shared;        /* fx_task*: for any thread */
    GQueue workers;       /* fx_task*: worker threads only (the checksum) */
    bool quit;
    GPtrArray *threads;   /* GThread*, set before any task runs */
    fx_task sha;
    guint sha_left;
    const char *sha_buf;
    size_t sha_len;
    char sha_out[65];     /* written by the worker; copied out after the wait */
};

static void pool_lock(fx_pool *P)
{
    g_mutex_lock(&P->m);
    __tsan_acquire(&P->m);
}

static void pool_unlock(fx_pool *P)
{
    __tsan_release(&P->m);
    g_mutex_unlock(&P->m);
}

static void pool_sleep(fx_pool *P)
{
    __tsan_release(&P->m);
    g_cond_wait(&P->c, &P->m);
    __tsan_acquire(&P->m);
}

/* Runs t with the lock released; called and returns with it held. */
static void run_task(fx_pool *P, fx_task *t)
{
    guint *left = t->left;   /* t may be freed once its batch is done */
    pool_unlock(P);
    t->fn(t->arg);
    pool_lock(P);
    if (--*left == 0)
        g_cond_broadcast(&P->c);
}

static gpointer worker_main(gpointer data)
{
    fx_pool *P = data;
    pool_lock(P);
    for (;;) {
        fx_task *t = g_queue_pop_head(&P->workers);
        if (t == NULL)
            t = g_queue_pop_head(&P->shared);
        if (t != NULL) {
            run_task(P, t);
            continue;
        }
        if (P->quit)
            break;
        pool_sleep(P);
    }
    pool_unlock(P);
    return NULL;
}

fx_pool *wz_facts_pool_new(int threads)
{
    fx_pool *P = g_new0(fx_pool, 1);
    g_mutex_init(&P->m);
    g_cond_init(&P->c);
    g_queue_init(&P->shared);
    g_queue_init(&P->workers);
    P->threads = g_ptr_array_new();
    for (int i = 1; i < threads; i++) {
        GThread *th = g_thread_try_new("wz-facts", worker_main, P, NULL);
        if (th == NULL)
            break;   /* fewer threads: the calling thread does the rest */
        g_ptr_array_add(P->threads, th);
    }
    return P;
}

/* Runs tasks until *left reaches 0.  The calling thread never takes a
 * worker-only task while there are workers: it would hold up the batches
 * it has to push next. */
static void pool_wait(fx_pool *P, guint *left)
{
    pool_lock(P);
    while (*left > 0) {
        fx_task *t = g_queue_pop_head(&P->shared);
        if (t == NULL && P->threads->len == 0)
            t = g_queue_pop_head(&P->workers);
        if (t != NULL)
            run_task(P, t);
        else
            pool_sleep(P);
    }
    pool_unlock(P);
}

void wz_facts_pool_free(fx_pool *P)
{
    if (P == NULL)
        return;
    pool_wait(P, &P->sha_left);
    pool_lock(P);
    P->quit = true;
    g_cond_broadcast(&P->c);
    pool_unlock(P);
    for (guint i = 0; i < P->threads->len; i++)
        g_thread_join(g_ptr_array_index(P->threads, i));
    g_ptr_array_unref(P->threads);
    g_mutex_clear(&P->m);
    g_cond_clear(&P->c);
    g_free(P);
}

void wz_facts_pool_for(fx_pool *P, void (*fn)(void *), void *arg, size_t size, size_t n)
{
    if (P == NULL || n <= 1) {
        for (size_t i = 0; i < n; i++)
            fn((char *)arg + i * size);
        return;
    }
    fx_task *tasks = g_new(fx_task, n);
    guint left = (guint)n;
    for (size_t i = 0; i < n; i++)
        tasks[i] = (fx_task){fn, (char *)arg + i * size, &left};
    pool_lock(P);
    for (size_t i = 0; i < n; i++)
        g_queue_push_tail(&P->shared, &tasks[i]);
    g_cond_broadcast(&P->c);
    pool_unlock(P);
    pool_wait(P, &left);
    g_free(tasks);
}

static void sha_task(void *arg)
{
    fx_pool *P = arg;
    wz_sha256_hex(P->sha_buf, P->sha_len, P->sha_out);
}

void wz_facts_pool_sha(fx_pool *P, const char *buf, size_t len)
{
    P->sha_buf = buf;
    P->sha_len = len;
    P->sha = (fx_task){sha_task, P, &P->sha_left};
    pool_lock(P);
    P->sha_left++;
    g_queue_push_tail(&P->workers, &P->sha);
    g_cond_broadcast(&P->c);
    pool_unlock(P);
}

void wz_facts_pool_sha_wait(fx_pool *P, char *out)
{
    pool_wait(P, &P->sha_left);
    memcpy(out, P->sha_out, sizeof P->sha_out);
}

gint wz_facts_parallel_files;

/* ---- chunks ------------------------------------------------------------- */

/* Chunks: a few per thread so that a slow one (or the checksum, which takes
 * a worker for a while) does not leave the others idle. */
#define FX_CHUNK_BYTES ((size_t)8 << 20)
#define FX_MIN_CHUNK_BYTES ((size_t)64 << 10)
#define FX_MAX_CHUNKS 4096

typedef struct fx_par {
    fx_table *T;
    const char *buf;
    size_t len;
    bool mapped;          /* buf is the file's read-only mapping */
    const int *colmap;
    size_t ncols;
} fx_par;

typedef struct fx_chunk {
    const fx_par *X;
    size_t start, end;     /* bytes [start, end): whole lines */
    size_t newlines;       /* '\n' bytes in [start, end) (step 1) */
    bool quote, lone_cr;
    uint32_t line;         /* row number at start */
    uint32_t base, cap;    /* slot range of the columns */
    wz_fact_table t;       /* private counters; columns point at colp */
    wz_column *colv;       /* shallow column copies into [base, base + cap) */
    wz_column **colp;
    wz_diags *d;
} fx_chunk;

static void scan_task(void *arg)
{
    fx_chunk *k = arg;
    const char *buf = k->X->buf, *p = buf + k->start, *end = buf + k->end;
    size_t nl = 0;
    for (const char *q = p; q < end; nl++) {
        q = memchr(q, '\n', (size_t)(end - q));
        if (q == NULL)
            break;
        q++;
    }
    k->newlines = nl;
    k->quote = memchr(p, '"', (size_t)(end - p)) != NULL;
    for (const char *q = p; q < end; q++) {
        q = memchr(q, '\r', (size_t)(end - q));
        if (q == NULL)
            break;
        if (q + 1 >= buf + k->X->len || q[1] != '\n') {
            k->lone_cr = true;
            break;
        }
    }
}

static void rows_task(void *arg)
{
    fx_chunk *k = arg;
    const fx_par *X = k->X;
    const fx_table *T = X->T;

    /* Private state: the loader's scratch, the table's caches.  The counters
     * live on this thread's stack while it works (no false sharing with the
     * neighbouring chunk's). */
    fx_loader L = *T->L;
    L.d = k->d;
    L.tmp = g_string_new(NULL);
    L.row = (fx_row){.scratch = g_string_new(NULL)};
    L.byfield = g_new0(fx_cell, T->nfields + 1);   /* + the sink of unread columns */
    wz_fact_table t = k->t;
    fx_table C = *T;
    C.L = &L;
    C.t = &t;
    C.cap = k->cap;
    C.first_line = NULL;   /* only for one-row-per-person checks */
    C.keys = NULL;
    C.last_person = -1;
    C.last_date_ok = false;

    fx_scan sc;
    memset(&sc, 0, sizeof sc);
    sc.b = X->buf;
    sc.len = k->end;
    sc.pos = k->start;
    sc.line = k->line;
    sc.d = k->d;
    sc.file = t.file;
    /* Chunks end at line breaks, so the file is valid UTF-8 iff every chunk
     * is; an invalid chunk checks its cells one by one, as a whole file would. */
    sc.utf8_ok = T->utf8 == 1 || wz_facts_utf8_valid(X->buf + k->start, k->end - k->start);
    sc.plain = true;   /* a file with a '"' is never split into chunks */
    wz_facts_read_rows(&C, &sc, X->colmap, X->ncols);
#if defined(MADV_DONTNEED)
    /* The chunk's bytes are read: its whole pages of the mapping are given
     * back, so the file does not stay resident beside the columns it became
     * (it was the largest part of the peak).  Only pages wholly inside the
     * chunk, which no other chunk reads; the checksum, if it has not passed
     * them yet, reads them again from the page cache (the same bytes: the
     * mapping is private and never written). */
    if (X->mapped) {
        uintptr_t a = ((uintptr_t)(X->buf + k->start) + 4095) & ~(uintptr_t)4095;
        uintptr_t e = (uintptr_t)(X->buf + k->end) & ~(uintptr_t)4095;
        if (e > a)
            (void)madvise((void *)a, e - a, MADV_DONTNEED);
    }
#endif

    k->t = t;
    g_free(L.byfield);
    g_free(L.row.cells);
    g_string_free(L.row.scratch, TRUE);
    g_string_free(L.tmp, TRUE);
}

/* Appends part's diagnostics to d as if they had been reported to d. */
static void merge_diags(wz_diags *d, wz_diags *part)
{
    gsize n = 0;
    gpointer *items = g_ptr_array_steal(part->items, &n);
    for (gsize i = 0; i < n; i++) {
        wz_diag *it = items[i];
        if (it->severity == WZ_SEV_ERROR && d->limit > 0 && d->errors >= d->limit) {
            d->dropped++;
            g_ptr_array_add(part->items, it);   /* freed with part */
            continue;
        }
        if (it->severity == WZ_SEV_ERROR)
            d->errors++;
        g_ptr_array_add(d->items, it);
    }
    g_free(items);
    d->dropped += part->dropped;
    wz_diags_free(part);
}

static bool qualifies(const fx_table *T)
{
    const wz_fact_schema *s = T->s;
    if (s->is_population || s->one_per_person || s->every_person || T->keys)
        return false;
    for (guint fi = 0; fi < T->nfields; fi++) {
        const wz_field_schema *f = g_ptr_array_index(s->fields, fi);
        if (f->type == WZ_FT_TEXT)
            return false;
    }
    return true;
}

bool wz_facts_load_csv_parallel(fx_table *T, fx_pool *P, const char *buf, size_t len, bool mapped)
{
    if (!qualifies(T) || len < FX_PARALLEL_MIN_BYTES)
        return false;
    fx_loader *L = T->L;
    wz_fact_table *t = T->t;
    fx_par X = {.T = T, .buf = buf, .len = len, .mapped = mapped};

    /* 1. Cut at line breaks and scan. */
    size_t want = MAX((size_t)L->threads * 4, len / FX_CHUNK_BYTES);
    want = MIN(want, MAX(len / FX_MIN_CHUNK_BYTES, 1));
    want = MIN(want, FX_MAX_CHUNKS);
    fx_chunk *ks = g_new0(fx_chunk, want);
    size_t nk = 0, pos = 0;
    while (pos < len && nk < want) {
        size_t end = len;
        if (nk + 1 < want) {
            size_t target = MAX(pos, (size_t)((guint64)len * (nk + 1) / want));
            const char *nl = memchr(buf + target, '\n', len - target);
            end = nl ? (size_t)(nl - buf) + 1 : len;
        }
        ks[nk] = (fx_chunk){.X = &X, .start = pos, .end = end};
        nk++;
        pos = end;
    }
    wz_facts_pool_for(P, scan_task, ks, sizeof *ks, nk);
    size_t newlines = 0;
    bool ok = true;
    for (size_t i = 0; i < nk; i++) {
        newlines += ks[i].newlines;
        ok = ok && !ks[i].quote && !ks[i].lone_cr;
    }
    if (!ok || newlines + 1 >= UINT32_MAX) {
        g_free(ks);
        return false;   /* the sequential reader handles (or reports) it */
    }

    /* 2. The header, and each chunk's rows and slots. */
    uint32_t cap = (uint32_t)(newlines + 1);
    wz_facts_alloc_columns(T, cap);
    fx_scan sc;
    memset(&sc, 0, sizeof sc);
    sc.b = buf;
    sc.len = len;
    sc.line = 1;
    sc.d = L->d;
    sc.file = t->file;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        sc.pos = 3;
    /* utf8_ok false: the header's cells are checked one by one, which
     * reports exactly what checking the whole file first would. */
    sc.utf8_ok = false;
    X.colmap = wz_facts_csv_header(T, &sc, &X.ncols);
    if (X.colmap == NULL) {
        g_free(ks);
        return true;    /* reported; no row is read after a bad header */
    }

    size_t first = 0, before = 0;   /* first data chunk; '\n's before it */
    while (first < nk && ks[first].end <= sc.pos)
        before += ks[first++].newlines;
    uint32_t base = 0, line = sc.line;
    for (size_t i = first; i < nk; i++) {
        fx_chunk *k = &ks[i];
        before += k->newlines;
        uint32_t line_end = (uint32_t)(1 + before);   /* row number at k->end */
        if (i == first)
            k->start = sc.pos;
        k->line = line;
        /* every record ends at a line break of the chunk, but the file's last */
        k->cap = line_end - line + (i + 1 == nk);
        k->base = base;
        base += k->cap;
        line = line_end;
        g_assert(base <= cap);

        k->t = *t;
        k->t.nrows = k->t.rows_read = k->t.rows_ignored = k->t.rows_blank = 0;
        k->t.ignored_columns = NULL;
        k->colv = g_new(wz_column, T->nfields ? T->nfields : 1);
        k->colp = g_new(wz_column *, T->nfields ? T->nfields : 1);
        for (guint fi = 0; fi < T->nfields; fi++) {
            const wz_column *c = t->columns[fi];
            k->colv[fi] = (wz_column){
                .type = c->type,
                .narrow = c->narrow,
                .ints = c->ints ? c->ints + k->base : NULL,
                .i32 = c->i32 ? c->i32 + k->base : NULL,
                .decs = c->decs ? c->decs + k->base : NULL,
            };
            k->colp[fi] = &k->colv[fi];
        }
        k->t.columns = k->colp;
        k->t.line = t->line + k->base;
        k->t.by_person_start = NULL;
        k->d = wz_diags_new(L->d->limit);
        k->d->errors = L->d->errors;   /* so that it is full exactly when d would be */
    }

    g_atomic_int_inc(&wz_facts_parallel_files);

    /* 3. Read the chunks. */
    wz_facts_pool_for(P, rows_task, ks + first, sizeof *ks, nk - first);

    /* 4. Stitch them together in file order. */
    uint32_t off = 0;
    for (size_t i = first; i < nk; i++) {
        fx_chunk *k = &ks[i];
        uint32_t n = k->t.nrows;
        for (guint fi = 0; fi < T->nfields; fi++) {
            wz_column *c = t->columns[fi];
            const wz_column *kc = &k->colv[fi];
            if (n > 0 && k->base != off) {
                if (c->ints)
                    memmove(c->ints + off, c->ints + k->base, sizeof *c->ints * n);
                if (c->i32)
                    memmove(c->i32 + off, c->i32 + k->base, sizeof *c->i32 * n);
                if (c->decs)
                    memmove(c->decs + off, c->decs + k->base, sizeof *c->decs * n);
            }
            if (kc->missing) {
                /* allocated exactly when a sequential read would have */
                if (c->missing == NULL)
                    c->missing = g_new0(uint8_t, cap / 8 + 1);
                for (uint32_t r = 0; r < n; r++)
                    if ((kc->missing[r >> 3] >> (r & 7)) & 1)
                        c->missing[(off + r) >> 3] |= (uint8_t)(1u << ((off + r) & 7));
                g_free(kc->missing);
            }
        }
        if (n > 0 && k->base != off)
            memmove(t->line + off, t->line + k->base, sizeof *t->line * n);
        off += n;
        t->nrows += n;
        t->rows_read += k->t.rows_read;
        t->rows_ignored += k->t.rows_ignored;
        t->rows_blank += k->t.rows_blank;
        merge_diags(L->d, k->d);
        g_free(k->colv);
        g_free(k->colp);
    }
    g_free((int *)X.colmap);
    g_free(ks);
    return true;
}
