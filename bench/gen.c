/* wenze-bench-gen: synthetic facts for policies/dongliu-2019.wz at any scale.
 *
 *   wenze-bench-gen --seed S (--staff N | --rows R) --out DIR
 *
 * Writes the ten files of examples/dongliu/ (same schema) into DIR and prints
 * `staff=N rows=TOTAL` (data rows of all files but params.csv, headers excluded).
 *
 * Determinism: the output depends only on the arguments. All randomness comes from
 * splitmix64 seeded by (seed, stream, index); there is no floating point, no rand(),
 * no clock and no locale-dependent formatting, so every machine writes the same bytes.
 * Each staff member's attributes come from their own stream (index = staff number), so
 * a person does not change when another person's draws change.
 *
 * Speed: signin.csv is ~97% of the rows. Its lines are built with memcpy from a
 * precomputed id table and date strings, into 4 MiB buffers written with fwrite.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

typedef uint64_t u64;
typedef uint32_t u32;

/* ---------------------------------------------------------------- PRNG */

static inline u64 mix64(u64 z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

typedef struct { u64 s; } Rng;

static inline u64 next64(Rng *r) { return mix64(r->s += 0x9E3779B97F4A7C15ULL); }

/* Uniform in [0, n) for n < 2^32 by multiply-high: no division, no modulo bias worth
 * mentioning, and identical on every platform. */
static inline u32 below(Rng *r, u32 n) { return (u32)(((next64(r) >> 32) * (u64)n) >> 32); }

/* Independent stream per (purpose, index). */
static Rng stream(u64 seed, u64 salt, u64 index)
{
    Rng r = { mix64(seed ^ mix64(salt * 0xD1B54A32D192ED03ULL + index + 1)) };
    return r;
}

/* Pick an index from a table of weights (weights sum to `total`). */
static int pick(Rng *r, const unsigned *w, int n, unsigned total)
{
    u32 u = below(r, total);
    for (int i = 0; i < n - 1; i++) {
        if (u < w[i]) return i;
        u -= w[i];
    }
    return n - 1;
}

/* ---------------------------------------------------------------- dates */

/* Days since 1970-01-01 (proleptic Gregorian), H. Hinnant's algorithms. */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static void fmt_date(long z, char out[10])
{
    int y, m, d;
    civil_from_days(z, &y, &m, &d);
    out[0] = (char)('0' + y / 1000); out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10); out[3] = (char)('0' + y % 10);
    out[4] = '-'; out[5] = (char)('0' + m / 10); out[6] = (char)('0' + m % 10);
    out[7] = '-'; out[8] = (char)('0' + d / 10); out[9] = (char)('0' + d % 10);
}

/* Dated rows all fall in [TBL_FIRST, TBL_LAST]; their strings are precomputed. */
static long TBL_FIRST, TBL_LAST, YEAR_START, SEM2, YEAR_END;
static char (*date_tbl)[10];

/* ---------------------------------------------------------------- output */

#define BUFSZ (1u << 22)

typedef struct { FILE *f; char *buf, *p; u64 rows; char path[4096]; } Out;

static void die(const char *what, const char *path)
{
    fprintf(stderr, "wenze-bench-gen: %s %s: %s\n", what, path, strerror(errno));
    exit(4);
}

static void flush(Out *o)
{
    size_t n = (size_t)(o->p - o->buf);
    if (n && fwrite(o->buf, 1, n, o->f) != n) die("cannot write", o->path);
    o->p = o->buf;
}

/* Make room for at least n more bytes (every caller asks for a whole row's worth). */
static inline void need(Out *o, size_t n)
{
    if ((size_t)(o->buf + BUFSZ - o->p) < n) flush(o);
}

static inline void put(Out *o, const char *s, size_t n) { memcpy(o->p, s, n); o->p += n; }
static inline void puts_(Out *o, const char *s) { put(o, s, strlen(s)); }
static inline void putc_(Out *o, char c) { *o->p++ = c; }

static inline void put_u(Out *o, u64 v)
{
    char tmp[24];
    int n = 0;
    do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n) *o->p++ = tmp[--n];
}

/* A value held in tenths, always written with one decimal: 125 -> "12.5", 160 -> "16.0". */
static inline void put_tenths(Out *o, u32 t) { put_u(o, t / 10); putc_(o, '.'); putc_(o, (char)('0' + t % 10)); }

/* Leave days are held in halves and written as a clerk would: 4 -> "2", 5 -> "2.5". */
static inline void put_halves(Out *o, u32 h) { put_u(o, h / 2); if (h & 1) put(o, ".5", 2); }

static inline void put_date(Out *o, long z) { put(o, date_tbl[z - TBL_FIRST], 10); }

static void out_open(Out *o, const char *dir, const char *name, const char *header)
{
    snprintf(o->path, sizeof o->path, "%s/%s", dir, name);
    o->f = fopen(o->path, "wb");
    if (!o->f) die("cannot create", o->path);
    o->buf = o->p = malloc(BUFSZ);
    if (!o->buf) { errno = ENOMEM; die("no memory for", o->path); }
    o->rows = 0;
    puts_(o, header);
}

static void out_close(Out *o)
{
    flush(o);
    if (fclose(o->f) != 0) die("cannot close", o->path);
    free(o->buf);
}

/* ---------------------------------------------------------------- vocabulary */

enum { MALE, FEMALE };
static const char *const GENDER[] = { "男", "女" };
enum { TEACHER, NONTEACH, SUPERVISOR, SECRETARY, UNION, SECONDED, LOANED, RESTING };
static const char *const POST[] = { "专任教师", "非教学人员", "督导员", "专职书记",
                                    "工会主席", "挂职", "抽调", "安排休息" };
/* Per mille for staff below the rest age (安排休息 there is rare: ill health). */
static const unsigned POST_W[] = { 810, 110, 15, 15, 15, 15, 15, 5 };
enum { SICK, PERSONAL, ABSENT, MARRIAGE, BEREAVE, MATERNITY, STUDY };
static const char *const KIND[] = { "病假", "事假", "旷工", "婚假", "丧假", "产假", "脱产学习" };
static const unsigned KIND_W[] = { 460, 380, 20, 30, 50, 30, 30 };
static const char *const LEVEL[] = { "通报批评", "警告", "记过", "记大过", "降级", "撤职", "开除" };
static const unsigned LEVEL_W[] = { 40, 25, 15, 10, 5, 3, 2 };
/* Ordinary leave episodes per person, 0..6, in percent: mean 1.9. */
static const unsigned EPIS_W[] = { 25, 25, 18, 13, 9, 6, 4 };

/* Common surnames; the first ten (about half of people) are drawn twice as often. */
static const char SURNAMES[] =
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤";
static const char GIVEN_M[] = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林阳建国志文海峰兵忠德";
static const char GIVEN_F[] = "芳娜敏静丽艳娟霞秀英玲桂兰红梅琳燕萍雪婷慧颖倩洁琴云莉丹萌月凤";
static const char GIVEN_N[] = "晓小春永红海新玉金子思佳一雨天";
#define NCHARS(s) ((sizeof(s) - 1) / 3)   /* every character here is 3 bytes of UTF-8 */

static void put_name(Out *o, Rng *r, int gender)
{
    u32 ns = NCHARS(SURNAMES), k = below(r, ns + 10);
    put(o, SURNAMES + 3 * (k < 10 ? k : k - 10), 3);
    const char *g = gender == MALE ? GIVEN_M : GIVEN_F;
    u32 ng = gender == MALE ? NCHARS(GIVEN_M) : NCHARS(GIVEN_F);
    if (below(r, 100) < 30) { put(o, g + 3 * below(r, ng), 3); return; }
    if (below(r, 100) < 35) put(o, GIVEN_N + 3 * below(r, NCHARS(GIVEN_N)), 3);
    else put(o, g + 3 * below(r, ng), 3);
    put(o, g + 3 * below(r, ng), 3);
}

/* ---------------------------------------------------------------- dated rows */

/* A leave or discipline row, kept in memory so the file can be written in date order. */
typedef struct { u32 staff; uint16_t day; uint16_t halves; uint8_t kind; } Ev;
typedef struct { Ev *v; size_t n, cap; } Evs;

static void ev_add(Evs *e, u32 staff, long day, u32 kind, u32 halves)
{
    if (e->n == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 1u << 16;
        e->v = realloc(e->v, e->cap * sizeof *e->v);
        if (!e->v) { errno = ENOMEM; die("no memory for", "events"); }
    }
    e->v[e->n++] = (Ev){ staff, (uint16_t)(day - TBL_FIRST), (uint16_t)halves, (uint8_t)kind };
}

/* Stable counting sort by day: within a day, rows stay in staff order (as a register would). */
static Ev *by_date(const Evs *e)
{
    size_t span = (size_t)(TBL_LAST - TBL_FIRST + 2);
    size_t *at = calloc(span, sizeof *at);
    Ev *out = malloc((e->n ? e->n : 1) * sizeof *out);
    if (!at || !out) { errno = ENOMEM; die("no memory for", "sorting"); }
    for (size_t i = 0; i < e->n; i++) at[e->v[i].day + 1]++;
    for (size_t d = 1; d < span; d++) at[d] += at[d - 1];
    for (size_t i = 0; i < e->n; i++) out[at[e->v[i].day]++] = e->v[i];
    free(at);
    return out;
}

/* Weekdays of the school year, Mon-Fri, as day numbers. */
static long *wdays;
static u32 nwd, nwd1;   /* all weekdays, and those of semester 1 */

/* A weekday index in [lo, hi) not yet used by this person, so nobody gets two leave rows
 * on one day (a sick note is one row per episode). */
static u32 fresh_day(Rng *r, u32 lo, u32 hi, u32 *used, int *nused)
{
    for (;;) {
        u32 k = lo + below(r, hi - lo);
        int dup = 0;
        for (int j = 0; j < *nused; j++) dup |= used[j] == k;
        if (!dup) { used[(*nused)++] = k; return k; }
    }
}

/* Split `total` halves into k rows of at least one half each, dated in one semester. */
static void add_split(Evs *e, Rng *r, u32 staff, u32 kind, u32 total, u32 k, int sem,
                      u32 *used, int *nused, int mixed)
{
    u32 lo = sem ? nwd1 : 0, hi = sem ? nwd : nwd1;
    for (u32 j = 0; j < k; j++) {
        u32 part = total;
        if (j + 1 < k) {
            u32 room = total - (k - 1 - j);        /* leave >= 1 half for each later row */
            part = 1 + below(r, room < 2 * total / (k - j) ? room : 2 * total / (k - j));
        }
        total -= part;
        u32 kk = mixed ? (below(r, 2) ? SICK : PERSONAL) : kind;
        ev_add(e, staff, wdays[fresh_day(r, lo, hi, used, nused)], kk, part);
    }
}

/* ---------------------------------------------------------------- staff */

/* A handful of staff are placed deterministically so that even 10 staff show every pay
 * basis and the boundary rules; everyone else is random. */
enum { A_REST58, A_REST52, A_SUPERVISOR, A_STOPPED, A_ABSENT, A_LONGSICK, A_STUDY, A_OVERRIDE55,
       A_DISCIPLINE, NARCH };

typedef struct {
    int gender, post, stopped, age;
    long birth;
    int absent, longsick, study, outleave;   /* rare leave patterns, see gen_leave */
} Person;

static int full_years(long birth, long at)
{
    int by, bm, bd, ay, am, ad;
    civil_from_days(birth, &by, &bm, &bd);
    civil_from_days(at, &ay, &am, &ad);
    return ay - by - (am < bm || (am == bm && ad < bd));
}

static void gen_person(Rng *r, int arch, Person *p)
{
    p->gender = below(r, 100) < 58 ? FEMALE : MALE;   /* township schools: more women */
    if (below(r, 100) < 12) {
        /* Birthdays on and next to the 55/50 (override) and 58/53 (rest) boundaries; a
         * few use the other gender's boundary so the gender test matters. */
        int g = below(r, 100) < 85 ? p->gender : !p->gender, rest = (int)below(r, 2);
        int year = g == MALE ? (rest ? 1961 : 1964) : (rest ? 1966 : 1969);
        p->birth = days_from_civil(year, 9, 1) + (long)below(r, 3) - 1;
    } else {
        long a = days_from_civil(1958, 1, 1), b = days_from_civil(1999, 1, 1);
        p->birth = a + (long)below(r, (u32)(b - a));
    }
    if (arch == A_REST58 || arch == A_OVERRIDE55) p->gender = MALE;
    if (arch == A_REST52) p->gender = FEMALE;
    if (arch == A_REST58) p->birth = days_from_civil(1961, 9, 1);
    if (arch == A_REST52) p->birth = days_from_civil(1966, 9, 2);
    if (arch == A_OVERRIDE55) p->birth = days_from_civil(1964, 9, 1);
    p->age = full_years(p->birth, YEAR_START);

    /* 安排休息 is mostly for staff past the rest age (男58/女53), as in 四.7. */
    int old = p->age >= (p->gender == MALE ? 58 : 53);
    p->post = old && below(r, 100) < 15 ? RESTING : pick(r, POST_W, 8, 1000);
    p->stopped = below(r, 1000) < 3;
    p->absent = below(r, 1000) < 8;
    p->longsick = below(r, 1000) < 8;
    p->study = below(r, 1000) < 5;
    p->outleave = below(r, 100) < 1;

    if (arch >= 0) {   /* archetypes: on duty and without rare leave unless that is the point */
        p->stopped = arch == A_STOPPED;
        p->absent = arch == A_ABSENT ? 2 : 0;
        p->longsick = arch == A_LONGSICK ? 2 : 0;
        p->study = arch == A_STUDY ? 2 : 0;
        p->outleave |= arch == A_DISCIPLINE;   /* and out-of-period rows to be ignored */
        p->post = arch == A_REST58 || arch == A_REST52 ? RESTING
                : arch == A_SUPERVISOR ? SUPERVISOR : TEACHER;
    }
}

/* Ordinary episodes, then the rare patterns that drive the exclusions of 四.8. A flag of 2
 * (archetype) always crosses the line; a flag of 1 usually does, otherwise it lands
 * exactly on or just below it. */
static void gen_leave(Evs *e, Rng *r, u32 i, const Person *p)
{
    u32 used[16];
    int nused = 0;
    int n = pick(r, EPIS_W, 7, 100);
    for (int k = 0; k < n; k++) {
        int kind = pick(r, KIND_W, 7, 1000);
        if (kind == MATERNITY && (p->gender == MALE || p->age > 45)) kind = SICK;
        if (kind == MARRIAGE && p->age > 45) kind = PERSONAL;
        u32 h;
        switch (kind) {
        case SICK: case PERSONAL: h = 1 + below(r, 10); break;      /* 0.5 .. 5 */
        case ABSENT: h = 1 + below(r, 4); break;                    /* 0.5 .. 2 */
        case MARRIAGE: h = below(r, 3) ? 6 : 20; break;             /* 3 or 10 */
        case BEREAVE: h = 2 * (1 + below(r, 3)); break;             /* 1 .. 3 */
        case MATERNITY: h = 2 * (98 + 30 * below(r, 3)); break;     /* 98, 128, 158 */
        default: h = 2 * (1 + below(r, 10)); break;                 /* study 1 .. 10 */
        }
        ev_add(e, i, wdays[fresh_day(r, 0, nwd, used, &nused)], (u32)kind, h);
    }
    if (p->absent) {       /* 旷工 >= 5 days in one semester excludes; 4 or 4.5 does not */
        u32 tot = p->absent == 2 || below(r, 10) < 7 ? 10 + below(r, 7) : 8 + below(r, 2);
        add_split(e, r, i, ABSENT, tot, 1 + below(r, 3), (int)below(r, 2), used, &nused, 0);
    }
    if (p->longsick) {     /* 病假+事假 > 60 days in one semester excludes; exactly 60 does not */
        u32 tot = p->longsick == 2 || below(r, 10) < 7 ? 122 + below(r, 80) : 120;
        add_split(e, r, i, SICK, tot, 2 + below(r, 2), (int)below(r, 2), used, &nused, 1);
    }
    if (p->study) {        /* 脱产学习 > 60 days in one semester excludes; exactly 60 does not */
        u32 tot = p->study == 2 || below(r, 10) < 6 ? 122 + below(r, 60) : 120;
        add_split(e, r, i, STUDY, tot, 1 + below(r, 2), (int)below(r, 2), used, &nused, 0);
    }
    if (p->outleave) {     /* filed just before or after the school year: ignored by the policy */
        long d = below(r, 2) ? YEAR_START - 1 - (long)below(r, 12) : YEAR_END + 1 + (long)below(r, 14);
        ev_add(e, i, d, below(r, 2) ? SICK : PERSONAL, 1 + below(r, 6));
    }
}

/* ---------------------------------------------------------------- main */

static void usage(void)
{
    fputs("usage: wenze-bench-gen --seed S (--staff N | --rows R) --out DIR\n", stderr);
    exit(3);
}

static u64 parse_u64(const char *s)
{
    u64 v = 0;
    if (!*s) usage();
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10) usage();
        v = v * 10 + (u64)(*s - '0');
    }
    return v;
}

static void mkdirs(char *path)   /* mkdir -p */
{
    for (char *q = path + 1; ; q++) {
        if (*q == '/' || *q == 0) {
            char c = *q;
            *q = 0;
            if (mkdir(path, 0777) != 0 && errno != EEXIST) die("cannot create", path);
            *q = c;
            if (!c) break;
        }
    }
}

int main(int argc, char **argv)
{
    u64 seed = 0, staff = 0, rows = 0;
    int have_seed = 0;
    char *dir = NULL;
    for (int a = 1; a < argc; a++) {
        if (a + 1 >= argc) usage();
        if (!strcmp(argv[a], "--seed")) { seed = parse_u64(argv[++a]); have_seed = 1; }
        else if (!strcmp(argv[a], "--staff")) staff = parse_u64(argv[++a]);
        else if (!strcmp(argv[a], "--rows")) rows = parse_u64(argv[++a]);
        else if (!strcmp(argv[a], "--out")) dir = argv[++a];
        else usage();
    }
    if (!have_seed || !dir || !*dir || (!staff == !rows)) usage();

    YEAR_START = days_from_civil(2019, 9, 1);
    SEM2 = days_from_civil(2020, 2, 17);
    YEAR_END = days_from_civil(2020, 7, 15);
    TBL_FIRST = days_from_civil(2019, 6, 1);   /* discipline rows may predate the year */
    TBL_LAST = days_from_civil(2020, 8, 31);
    date_tbl = malloc((size_t)(TBL_LAST - TBL_FIRST + 1) * sizeof *date_tbl);
    wdays = malloc((size_t)(YEAR_END - YEAR_START + 1) * sizeof *wdays);
    if (!date_tbl || !wdays) return 4;
    for (long z = TBL_FIRST; z <= TBL_LAST; z++) fmt_date(z, date_tbl[z - TBL_FIRST]);
    for (long z = YEAR_START; z <= YEAR_END; z++) {
        if ((z + 3) % 7 >= 5) continue;         /* 1970-01-01 was a Thursday: Mon = 0 */
        if (z < SEM2) nwd1++;
        wdays[nwd++] = z;
    }

    /* Expected rows per staff, in thousandths: signin weekdays + staff, workload, routine,
     * results (4) + leave 1.9 + rare leave ~0.05 + class_teacher ~0.25 + override,
     * discipline and out-of-period signin ~0.04 (checked against generated totals). */
    if (rows) {
        u64 per = (u64)nwd * 1000 + 6240;
        staff = (rows * 1000 + per / 2) / per;
        if (staff < 10) staff = 10;
    }
    if (staff > 9999999) {
        fputs("wenze-bench-gen: at most 9999999 staff (ids are P + 7 digits)\n", stderr);
        return 3;
    }
    u32 N = (u32)staff;
    mkdirs(dir);

    /* Archetype k sits at a seed-chosen place in the k-th of NARCH equal blocks. */
    u32 pos[NARCH];
    {
        Rng r = stream(seed, 7, 0);
        u32 block = N / NARCH;
        for (u32 k = 0; k < NARCH; k++)
            pos[k] = block ? k * block + below(&r, block) : (k < N ? k : UINT32_MAX);
    }

    char *ids = malloc((size_t)N * 8);
    uint8_t *sig = malloc(N);   /* per person: sign-in miss class (bits 0-1), rows outside (2-3) */
    if (!ids || !sig) return 4;

    Out fs, fw, fr, fres, fo, fc;
    out_open(&fs, dir, "staff.csv", "id,name,gender,birth_date,post,status\n");
    out_open(&fw, dir, "workload.csv", "id,weekly_hours\n");
    out_open(&fr, dir, "routine.csv", "id,routine,research\n");
    out_open(&fres, dir, "results.csv", "id,score\n");
    out_open(&fo, dir, "research_override.csv", "id,research\n");
    out_open(&fc, dir, "class_teacher.csv", "id,students,score\n");
    Evs leave = { 0 }, disc = { 0 };
    u32 next_arch = 0;
    char bd[10];

    for (u32 i = 0; i < N; i++) {
        char *id = ids + (size_t)i * 8;
        u32 v = i + 1;
        id[0] = 'P';
        for (int k = 7; k >= 1; k--) { id[k] = (char)('0' + v % 10); v /= 10; }

        int arch = -1;
        while (next_arch < NARCH && pos[next_arch] < i) next_arch++;
        if (next_arch < NARCH && pos[next_arch] == i) arch = (int)next_arch;

        Rng r = stream(seed, 1, i);
        Person p;
        gen_person(&r, arch, &p);

        need(&fs, 256);
        put(&fs, id, 8); putc_(&fs, ',');
        put_name(&fs, &r, p.gender); putc_(&fs, ',');
        puts_(&fs, GENDER[p.gender]); putc_(&fs, ',');
        fmt_date(p.birth, bd); put(&fs, bd, 10); putc_(&fs, ',');
        puts_(&fs, POST[p.post]); putc_(&fs, ',');
        puts_(&fs, p.stopped ? "停发工资" : "在岗"); putc_(&fs, '\n');
        fs.rows++;

        need(&fw, 64); put(&fw, id, 8); putc_(&fw, ',');
        put_tenths(&fw, 80 + below(&r, 121)); putc_(&fw, '\n'); fw.rows++;

        need(&fr, 64); put(&fr, id, 8); putc_(&fr, ',');
        put_tenths(&fr, 200 + below(&r, 201)); putc_(&fr, ',');
        put_tenths(&fr, 100 + below(&r, 201)); putc_(&fr, '\n'); fr.rows++;

        need(&fres, 64); put(&fres, id, 8); putc_(&fres, ',');
        put_tenths(&fres, 80 + below(&r, 121)); putc_(&fres, '\n'); fres.rows++;

        /* 酌情赋分 is meant for 男55/女50 and up; a few clerks enter it for others too. */
        int senior = p.age >= (p.gender == MALE ? 55 : 50);
        if (below(&r, 1000) < (senior ? 35u : 3u) || arch == A_OVERRIDE55) {
            need(&fo, 64); put(&fo, id, 8); putc_(&fo, ',');
            put_tenths(&fo, 100 + below(&r, 201)); putc_(&fo, '\n'); fo.rows++;
        }
        if (p.post == TEACHER && below(&r, 100) < 30) {
            need(&fc, 64); put(&fc, id, 8); putc_(&fc, ',');
            put_u(&fc, 20 + below(&r, 51)); putc_(&fc, ',');
            put_tenths(&fc, 600 + below(&r, 401)); putc_(&fc, '\n'); fc.rows++;
        }

        gen_leave(&leave, &r, i, &p);
        if (below(&r, 1000) < 10 || arch == A_DISCIPLINE) {   /* 1%: one or two decisions */
            if (arch == A_DISCIPLINE) ev_add(&disc, i, wdays[below(&r, nwd)], 2, 0);   /* 记过 */
            else for (u32 k = 1 + below(&r, 2); k; k--) {
                long d = below(&r, 10) ? wdays[below(&r, nwd)]
                       : below(&r, 2) ? TBL_FIRST + (long)below(&r, (u32)(YEAR_START - TBL_FIRST))
                       : YEAR_END + 1 + (long)below(&r, (u32)(TBL_LAST - YEAR_END));
                ev_add(&disc, i, d, (u32)pick(&r, LEVEL_W, 7, 100), 0);
            }
        }

        /* Sign-in habits: half diligent, a third ordinary, the rest careless. */
        u32 c = below(&r, 100);
        sig[i] = (uint8_t)(c < 50 ? 0 : c < 85 ? 1 : 2);
        if (below(&r, 100) < 1 || arch == A_DISCIPLINE) sig[i] |= (uint8_t)((1 + below(&r, 3)) << 2);
    }
    u64 total = fs.rows + fw.rows + fr.rows + fres.rows + fo.rows + fc.rows;
    out_close(&fs); out_close(&fw); out_close(&fr); out_close(&fres); out_close(&fo); out_close(&fc);

    /* leave.csv and discipline.csv: in date order, like a register. */
    Out fl, fd;
    Ev *ev = by_date(&leave);
    out_open(&fl, dir, "leave.csv", "id,date,kind,days\n");
    for (size_t k = 0; k < leave.n; k++) {
        need(&fl, 64);
        put(&fl, ids + (size_t)ev[k].staff * 8, 8); putc_(&fl, ',');
        put_date(&fl, TBL_FIRST + ev[k].day); putc_(&fl, ',');
        puts_(&fl, KIND[ev[k].kind]); putc_(&fl, ',');
        put_halves(&fl, ev[k].halves); putc_(&fl, '\n');
    }
    fl.rows = leave.n;
    free(ev);
    ev = by_date(&disc);
    out_open(&fd, dir, "discipline.csv", "id,date,level\n");
    for (size_t k = 0; k < disc.n; k++) {
        need(&fd, 64);
        put(&fd, ids + (size_t)ev[k].staff * 8, 8); putc_(&fd, ',');
        put_date(&fd, TBL_FIRST + ev[k].day); putc_(&fd, ',');
        puts_(&fd, LEVEL[ev[k].kind]); putc_(&fd, '\n');
    }
    fd.rows = disc.n;
    free(ev); free(leave.v); free(disc.v);
    total += fl.rows + fd.rows;
    out_close(&fl); out_close(&fd);

    /* signin.csv: the daily export, grouped by date then staff. Miss chance per row by
     * class: 2%, 10%, 25% (about 8% overall); a miss is 1 (75%), 2 or 3. One 64-bit
     * draw per row from a single stream keeps this loop at memcpy speed. */
    static const u32 MISS[3] = { 1311, 6554, 16384 };   /* out of 65536 */
    Out fsi;
    out_open(&fsi, dir, "signin.csv", "id,date,missed\n");
    Rng r = stream(seed, 2, 0);
    long before = YEAR_START - 2, after = YEAR_END + 1;   /* Fri 2019-08-30, Thu 2020-07-16 */
    for (long t = -1; t <= (long)nwd; t++) {
        long day = t < 0 ? before : t == (long)nwd ? after : wdays[t];
        int edge = t < 0 ? 4 : t == (long)nwd ? 8 : 0;
        char tail[12];
        tail[0] = ',';
        memcpy(tail + 1, date_tbl[day - TBL_FIRST], 10);
        tail[11] = ',';
        for (u32 i = 0; i < N; i++) {
            if (edge && !(sig[i] & edge)) continue;
            need(&fsi, 32);
            u64 x = next64(&r);
            u32 m = 0;
            if ((x & 0xFFFF) < MISS[sig[i] & 3]) {
                u32 s = (u32)(x >> 16) & 0xFF;
                m = s < 192 ? 1 : s < 236 ? 2 : 3;
            }
            memcpy(fsi.p, ids + (size_t)i * 8, 8);
            memcpy(fsi.p + 8, tail, 12);
            fsi.p[20] = (char)('0' + m);
            fsi.p[21] = '\n';
            fsi.p += 22;
            fsi.rows++;
        }
    }
    total += fsi.rows;
    out_close(&fsi);

    /* params.csv: 8000 yuan a head plus some fen, so the pool never divides evenly. */
    Out fp;
    out_open(&fp, dir, "params.csv", "name,value\n");
    Rng rp = stream(seed, 3, 0);
    u32 fen = 1 + below(&rp, 99);
    need(&fp, 256);
    puts_(&fp, "pool,");
    put_u(&fp, (u64)N * 8000);
    putc_(&fp, '.'); putc_(&fp, (char)('0' + fen / 10)); putc_(&fp, (char)('0' + fen % 10));
    puts_(&fp, "\nyear_start,2019-09-01\nsemester2_start,2020-02-17\nyear_end,2020-07-15\n");
    out_close(&fp);

    free(ids); free(sig); free(date_tbl); free(wdays);
    printf("staff=%u rows=%llu\n", N, (unsigned long long)total);
    return 0;
}
