/* xlsx.c — one sheet of an .xlsx workbook as CSV text (see xlsx.h).
 *
 * A workbook is a zip (read with minizip, from the mapped file) of XML
 * parts (parsed with expat, a chunk at a time: a part is never held
 * whole).  The parts are found as Excel finds them, through the
 * relationships: _rels/.rels names the workbook, the workbook's rels name
 * its sheets, shared strings and styles.  Then:
 *
 *   workbook.xml       the sheets' names and rel ids; workbookPr date1904
 *   styles.xml         per cell style (cellXfs), whether its number format is a date
 *   sharedStrings.xml  the strings cells of type "s" index
 *   the sheet          rows of cells: (row, column, text) into `cells`,
 *                      then the merged ranges at its end
 *
 * and the cells are written out as CSV, row N on line N and column K as
 * field K, every row padded to the widest row's width.  Rows above the
 * header (the first row with any text) are empty lines, which the CSV
 * reader skips; rows below it whose cells are all empty become ",,,", which
 * it counts as blank rows.  A line break inside a cell becomes a space: a
 * quoted line break would move every later row off its sheet row number.
 *
 * Why minizip and expat rather than libzip and libxml2: they load with
 * nothing else (zlib), while libzip and libxml2 bring libcrypto, ICU and
 * libstdc++, which made every wenze process — the plain UTF-8 CSV run too —
 * start about 8 ms later.  Element and attribute names are matched by their
 * local name (expat reports "namespace|local"), so a writer's prefixes
 * (<x:c>) do not matter.
 */
#include "xlsx.h"

#include <dlfcn.h>
#include <expat.h>
#include <string.h>
#include <unzip.h>

#include "date.h"
#include "i18n.h"
#include "suggest.h"

/* minizip and expat are opened when a workbook is read, not linked: a run on
 * CSV files (nearly all of them) then loads neither, and starts as fast as
 * before workbooks were read. */
#define XL_ZIP_FUNCTIONS(X) X(unzOpen2_64) X(unzLocateFile) X(unzOpenCurrentFile) X(unzReadCurrentFile) \
    X(unzCloseCurrentFile) X(unzClose)
#define XL_XML_FUNCTIONS(X) X(XML_ParserCreateNS) X(XML_SetUserData) X(XML_SetElementHandler) \
    X(XML_SetCharacterDataHandler) X(XML_Parse) X(XML_GetErrorCode) X(XML_ErrorString) X(XML_StopParser) X(XML_ParserFree)
static struct {
#define X(f) __typeof__(&f) f;
    XL_ZIP_FUNCTIONS(X) XL_XML_FUNCTIONS(X)
#undef X
} xl_fn;

/* Opens both libraries once; false with the reason in *why (a static string or a new one). */
static bool xl_libraries(char **why) {
    static bool loaded;
    if (loaded) return true;
    void *zip = dlopen(WZ_MINIZIP_SONAME, RTLD_NOW | RTLD_LOCAL), *xml = zip ? dlopen(WZ_EXPAT_SONAME, RTLD_NOW | RTLD_LOCAL) : NULL;
    if (!zip || !xml) {
        *why = g_strdup_printf("cannot load %s to read .xlsx files (install libminizip1 and libexpat1, or save the sheet as CSV): %s",
                               zip ? WZ_EXPAT_SONAME : WZ_MINIZIP_SONAME, dlerror());
        if (zip) dlclose(zip);
        return false;
    }
#define X(f) if (!(xl_fn.f = (__typeof__(&f))dlsym(zip, #f))) goto missing;
    XL_ZIP_FUNCTIONS(X)
#undef X
#define X(f) if (!(xl_fn.f = (__typeof__(&f))dlsym(xml, #f))) goto missing;
    XL_XML_FUNCTIONS(X)
#undef X
    loaded = true;
    return true;
missing:
    *why = g_strdup("a library for .xlsx files lacks a function wenze needs; save the sheet as CSV");
    dlclose(zip);
    dlclose(xml);
    return false;
}

#define unzOpen2_64 xl_fn.unzOpen2_64
#define unzLocateFile xl_fn.unzLocateFile
#define unzOpenCurrentFile xl_fn.unzOpenCurrentFile
#define unzReadCurrentFile xl_fn.unzReadCurrentFile
#define unzCloseCurrentFile xl_fn.unzCloseCurrentFile
#define unzClose xl_fn.unzClose
#define XML_ParserCreateNS xl_fn.XML_ParserCreateNS
#define XML_SetUserData xl_fn.XML_SetUserData
#define XML_SetElementHandler xl_fn.XML_SetElementHandler
#define XML_SetCharacterDataHandler xl_fn.XML_SetCharacterDataHandler
#define XML_Parse xl_fn.XML_Parse
#define XML_GetErrorCode xl_fn.XML_GetErrorCode
#define XML_ErrorString xl_fn.XML_ErrorString
#define XML_StopParser xl_fn.XML_StopParser
#define XML_ParserFree xl_fn.XML_ParserFree

#define XL_MAX_ROWS 1048576u   /* Excel's limits: a reference past them is not a cell */
#define XL_MAX_COLS 16384u
#define XL_NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define XL_NS_REL_STRICT "http://purl.oclc.org/ooxml/officeDocument/relationships"

/* One cell with text (or, with col 0, the mark of a row that exists): its
 * position and its text in xl_book.texts. */
typedef struct xl_cell {
    uint32_t row, col;
    uint32_t off, len;
} xl_cell;

/* A merged range of the sheet. */
typedef struct xl_range {
    uint32_t r1, c1, r2, c2;
    char *ref;
} xl_range;

typedef struct xl_book {
    unzFile zip;
    const char *file;        /* for messages */
    wz_diags *d;
    bool failed;             /* an error was reported */
    bool date1904;
    GPtrArray *strings;      /* shared strings, char* */
    GArray *xf_is_date;      /* gboolean per cellXfs index */
    GString *texts;          /* every kept cell's text, one after another */
    GArray *cells;           /* xl_cell, in sheet order */
} xl_book;

static void xl_error(xl_book *B, uint32_t row, uint32_t col, const char *fmt, ...) G_GNUC_PRINTF(4, 5);
static void xl_error(xl_book *B, uint32_t row, uint32_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(_(fmt), ap);
    va_end(ap);
    wz_diag_fact(B->d, WZ_SEV_ERROR, B->file, row, col, "%s", msg);
    g_free(msg);
    B->failed = true;
}

/* ---- the zip, from memory ------------------------------------------------------ */

typedef struct xl_mem {
    const char *buf;
    size_t len, pos;
} xl_mem;

static voidpf ZCALLBACK mem_open(voidpf opaque, const void *name, int mode)
{
    (void)name;
    (void)mode;
    ((xl_mem *)opaque)->pos = 0;
    return opaque;
}

static uLong ZCALLBACK mem_read(voidpf opaque, voidpf stream, void *buf, uLong size)
{
    (void)opaque;
    xl_mem *m = stream;
    size_t n = MIN((size_t)size, m->len - m->pos);
    memcpy(buf, m->buf + m->pos, n);
    m->pos += n;
    return (uLong)n;
}

static uLong ZCALLBACK mem_write(voidpf opaque, voidpf stream, const void *buf, uLong size)
{
    (void)opaque;
    (void)stream;
    (void)buf;
    (void)size;
    return 0;   /* read only */
}

static ZPOS64_T ZCALLBACK mem_tell(voidpf opaque, voidpf stream)
{
    (void)opaque;
    return ((xl_mem *)stream)->pos;
}

static long ZCALLBACK mem_seek(voidpf opaque, voidpf stream, ZPOS64_T offset, int origin)
{
    (void)opaque;
    xl_mem *m = stream;
    ZPOS64_T base = origin == ZLIB_FILEFUNC_SEEK_CUR ? m->pos : origin == ZLIB_FILEFUNC_SEEK_END ? m->len : 0;
    if (offset > m->len || base + offset > m->len)
        return -1;
    m->pos = (size_t)(base + offset);
    return 0;
}

static int ZCALLBACK mem_close(voidpf opaque, voidpf stream)
{
    (void)opaque;
    (void)stream;
    return 0;
}

static int ZCALLBACK mem_error(voidpf opaque, voidpf stream)
{
    (void)opaque;
    (void)stream;
    return 0;
}

/* ---- parsing one part ------------------------------------------------------------- */

enum { PART_RELS, PART_WORKBOOK, PART_STYLES, PART_STRINGS, PART_SHEET };

/* What the handlers of one part share: the book, what they fill, and where
 * in the XML they are. */
typedef struct xl_parse {
    xl_book *B;
    XML_Parser p;
    int kind;
    const char *part;         /* the part's name */
    const char *base;         /* PART_RELS: the part whose relationships these are */
    GHashTable *rels;         /* PART_RELS: rel id, and "/type", → target part */
    GPtrArray *sheets;        /* PART_WORKBOOK: xl_sheet_ref* */
    GHashTable *custom;       /* PART_STYLES: numFmtId → is a date */
    int in_xfs;
    GString *text;            /* the text being gathered (a string, a cell's) */
    GString *v;               /* a cell's <v> */
    int in_t, in_rph, in_si, in_is, in_v;
    bool has_v;
    uint32_t row, col;        /* PART_SHEET: the row, and the column of the cell, being read */
    char *ctype;              /* the cell's t attribute */
    long cstyle;              /* its s attribute, or -1 */
    GArray *merges;           /* PART_SHEET: xl_range */
} xl_parse;

typedef struct xl_sheet_ref {
    char *name, *rid;
} xl_sheet_ref;

static void sheet_ref_free(gpointer p)
{
    xl_sheet_ref *s = p;
    g_free(s->name);
    g_free(s->rid);
    g_free(s);
}

/* The local part of an expat name ("uri|c" → "c"). */
static const char *local(const char *name)
{
    const char *bar = strrchr(name, '|');
    return bar ? bar + 1 : name;
}

/* The attribute `name`: unprefixed, or with ns, in that namespace. */
static const char *att(const char **atts, const char *name, const char *ns)
{
    for (size_t i = 0; atts[i]; i += 2) {
        const char *bar = strrchr(atts[i], '|');
        bool hit = ns ? bar && strcmp(bar + 1, name) == 0 && (size_t)(bar - atts[i]) == strlen(ns) &&
                            strncmp(atts[i], ns, strlen(ns)) == 0
                      : bar == NULL && strcmp(atts[i], name) == 0;   /* an unprefixed attribute has no namespace */
        if (hit)
            return atts[i + 1];
    }
    return NULL;
}

/* Stops the parse after an error about the sheet has been reported. */
static void stop(xl_parse *P)
{
    XML_StopParser(P->p, XML_FALSE);
}

/* ---- values ---------------------------------------------------------------------- */

/* Excel writes characters XML cannot hold as _xHHHH_ (_x000D_ for a carriage
 * return) and a literal "_x" as _x005F_x: decodes them in place. */
static void decode_escapes(GString *s)
{
    if (strstr(s->str, "_x") == NULL)
        return;
    GString *out = g_string_sized_new(s->len);
    for (size_t i = 0; i < s->len; i++) {
        if (s->str[i] == '_' && i + 6 < s->len + 0 && s->str[i + 1] == 'x' && s->str[i + 6] == '_' &&
            g_ascii_isxdigit(s->str[i + 2]) && g_ascii_isxdigit(s->str[i + 3]) && g_ascii_isxdigit(s->str[i + 4]) &&
            g_ascii_isxdigit(s->str[i + 5])) {
            gunichar c = (gunichar)g_ascii_strtoull(s->str + i + 2, NULL, 16);
            g_string_append_unichar(out, c);
            i += 6;
        } else {
            g_string_append_c(out, s->str[i]);
        }
    }
    g_string_assign(s, out->str);
    g_string_free(out, TRUE);
}


/* Whether a number format code shows a date: y, d, or m without h or s
 * (which would make it minutes), outside "literal text", \x escapes, _x
 * spacing, *x fills and [bracketed] colours or locales. */
static bool format_is_date(const char *code)
{
    bool y = false, m = false, d = false, hs = false;
    for (const char *p = code; *p; p++) {
        switch (*p) {
        case '"':
            while (p[1] && p[1] != '"') p++;
            if (p[1]) p++;
            break;
        case '[':
            while (p[1] && p[1] != ']') p++;
            if (p[1]) p++;
            break;
        case '\\': case '_': case '*':
            if (p[1]) p++;
            break;
        case 'y': case 'Y': y = true; break;
        case 'd': case 'D': d = true; break;
        case 'm': case 'M': m = true; break;
        case 'h': case 'H': case 's': case 'S': hs = true; break;
        default: break;
        }
    }
    return y || d || (m && !hs);
}

/* Built-in number formats that show dates: 14–22 (every locale), and in
 * Chinese (and other East Asian) locales 27–31, 36 and 50–58. */
static bool builtin_is_date(long id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 58);
}


/* "C7" → column 3, row 7 (either may be absent: 0). */
static void parse_ref(const char *ref, uint32_t *row, uint32_t *col)
{
    uint64_t c = 0, r = 0;
    const char *p = ref;
    for (; g_ascii_isalpha(*p) && c <= XL_MAX_COLS; p++)
        c = c * 26 + (uint64_t)(g_ascii_toupper(*p) - 'A' + 1);
    for (; g_ascii_isdigit(*p) && r <= XL_MAX_ROWS; p++)
        r = r * 10 + (uint64_t)(*p - '0');
    *col = c > XL_MAX_COLS + 1 ? XL_MAX_COLS + 1 : (uint32_t)c;
    *row = r > XL_MAX_ROWS + 1 ? XL_MAX_ROWS + 1 : (uint32_t)r;
}

/* A number as the file writes it, in plain decimal notation: 12.50 and 0.1
 * stay as they are; 1E-2 becomes 0.01 and 1.5E+3 1500, by moving the point
 * in the digits — never through a double.  Other text is left as it is. */
static void plain_number(const char *v, GString *out)
{
    const char *e = strpbrk(v, "eE");
    if (e == NULL) {
        g_string_append(out, v);
        return;
    }
    const char *p = v;
    bool neg = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    GString *digits = g_string_new(NULL);
    long point = -1;
    for (; p < e; p++) {
        if (g_ascii_isdigit(*p))
            g_string_append_c(digits, *p);
        else if (*p == '.' && point < 0)
            point = (long)digits->len;
        else
            break;
    }
    char *end = NULL;
    long exp = strtol(e + 1, &end, 10);
    if (p != e || digits->len == 0 || end == e + 1 || *end || exp > 400 || exp < -400) {
        g_string_free(digits, TRUE);
        g_string_append(out, v);   /* not a number: the cell's type check says so */
        return;
    }
    if (point < 0)
        point = (long)digits->len;
    point += exp;
    GString *n = g_string_new(neg ? "-" : "");
    if (point <= 0) {
        g_string_append(n, "0.");
        for (long i = 0; i < -point; i++) g_string_append_c(n, '0');
        g_string_append(n, digits->str);
    } else if ((size_t)point >= digits->len) {
        g_string_append(n, digits->str);
        for (size_t i = digits->len; i < (size_t)point; i++) g_string_append_c(n, '0');
    } else {
        g_string_append_len(n, digits->str, point);
        g_string_append_c(n, '.');
        g_string_append(n, digits->str + point);
    }
    /* leading zeros of the whole part: "0012.5" → "12.5" */
    size_t sign = neg ? 1 : 0, z = sign;
    while (z + 1 < n->len && n->str[z] == '0' && n->str[z + 1] != '.')
        z++;
    g_string_erase(n, (gssize)sign, (gssize)(z - sign));
    g_string_append(out, n->str);
    g_string_free(n, TRUE);
    g_string_free(digits, TRUE);
}

/* A date cell's serial number as YYYY-MM-DD: days since 1899-12-31 in the
 * 1900 system, where Excel (after Lotus 1-2-3) counts a 1900-02-29 that
 * never was — serial 60, written as such so that the date check refuses it
 * — and days since 1904-01-01 in the 1904 system.  The time of day (the
 * fraction) is dropped.  Serial 0 of the 1900 system is 1900-01-00, as
 * Excel shows it (refused too).  False when v is no serial. */
static bool serial_date(const char *v, bool date1904, GString *out)
{
    const char *p = v;
    uint64_t n = 0;
    if (!g_ascii_isdigit(*p))
        return false;
    for (; g_ascii_isdigit(*p); p++) {
        n = n * 10 + (uint64_t)(*p - '0');
        if (n > 2958465)   /* 9999-12-31 */
            return false;
    }
    if (*p == '.')
        for (p++; g_ascii_isdigit(*p); p++) {}
    if (*p)
        return false;
    char buf[11];
    if (date1904) {
        wz_date_format(wz_date_from_ymd(1904, 1, 1) + (wz_date)n, buf);
    } else if (n == 0) {
        g_strlcpy(buf, "1900-01-00", sizeof buf);
    } else if (n == 60) {
        g_strlcpy(buf, "1900-02-29", sizeof buf);
    } else {
        wz_date_format(wz_date_from_ymd(1899, 12, n < 60 ? 31 : 30) + (wz_date)n, buf);
    }
    g_string_append(out, buf);
    return true;
}



/* ---- the handlers ------------------------------------------------------------------ */

/* A relationship target resolved against the folder of the part whose rels
 * these are: "worksheets/sheet1.xml" from "xl/workbook.xml" is
 * "xl/worksheets/sheet1.xml"; "/xl/styles.xml" is absolute. */
static char *resolve_target(const char *part, const char *target)
{
    if (target[0] == '/')
        return g_strdup(target + 1);
    const char *slash = strrchr(part, '/');
    GString *path = g_string_new(NULL);
    if (slash)
        g_string_append_len(path, part, slash - part + 1);
    while (g_str_has_prefix(target, "../")) {   /* up one folder */
        target += 3;
        if (path->len > 0)
            g_string_truncate(path, path->len - 1);
        char *up = strrchr(path->str, '/');
        g_string_truncate(path, up ? (gsize)(up - path->str) + 1 : 0);
    }
    g_string_append(path, target);
    return g_string_free(path, FALSE);
}

static void cell_done(xl_parse *P);

static void XMLCALL on_start(void *ud, const char *name, const char **atts)
{
    xl_parse *P = ud;
    xl_book *B = P->B;
    const char *n = local(name);
    switch (P->kind) {
    case PART_RELS:
        if (strcmp(n, "Relationship") == 0) {
            const char *id = att(atts, "Id", NULL), *type = att(atts, "Type", NULL), *target = att(atts, "Target", NULL),
                       *mode = att(atts, "TargetMode", NULL);
            if (id && target && !(mode && strcmp(mode, "External") == 0)) {
                char *path = resolve_target(P->base, target);
                if (type && strrchr(type, '/'))
                    g_hash_table_replace(P->rels, g_strdup(strrchr(type, '/')), g_strdup(path));
                g_hash_table_replace(P->rels, g_strdup(id), path);
            }
        }
        break;
    case PART_WORKBOOK:
        if (strcmp(n, "workbookPr") == 0) {
            const char *v = att(atts, "date1904", NULL);
            B->date1904 = v && (strcmp(v, "1") == 0 || g_ascii_strcasecmp(v, "true") == 0);
        } else if (strcmp(n, "sheet") == 0) {
            const char *sname = att(atts, "name", NULL), *rid = att(atts, "id", XL_NS_REL);
            if (rid == NULL)
                rid = att(atts, "id", XL_NS_REL_STRICT);
            xl_sheet_ref *s = g_new0(xl_sheet_ref, 1);
            s->name = g_strdup(sname ? sname : "");
            s->rid = g_strdup(rid ? rid : "");
            g_ptr_array_add(P->sheets, s);
        }
        break;
    case PART_STYLES:
        if (strcmp(n, "numFmt") == 0) {
            const char *id = att(atts, "numFmtId", NULL), *code = att(atts, "formatCode", NULL);
            if (id && code)
                g_hash_table_replace(P->custom, GINT_TO_POINTER(atoi(id)), GINT_TO_POINTER(format_is_date(code)));
        } else if (strcmp(n, "cellXfs") == 0) {
            P->in_xfs = 1;
        } else if (P->in_xfs && strcmp(n, "xf") == 0) {
            const char *id = att(atts, "numFmtId", NULL);
            long k = id ? atol(id) : 0;
            gpointer v;
            gboolean date = g_hash_table_lookup_extended(P->custom, GINT_TO_POINTER((int)k), NULL, &v)
                                ? GPOINTER_TO_INT(v) : builtin_is_date(k);
            g_array_append_val(B->xf_is_date, date);
        }
        break;
    case PART_STRINGS:
    case PART_SHEET:
        if (strcmp(n, "si") == 0) {
            P->in_si = 1;
            g_string_truncate(P->text, 0);
        } else if (strcmp(n, "t") == 0) {
            P->in_t++;
        } else if (strcmp(n, "rPh") == 0) {   /* a phonetic guide: not the cell's text */
            P->in_rph++;
        } else if (strcmp(n, "is") == 0) {
            P->in_is = 1;
        } else if (strcmp(n, "v") == 0) {
            P->in_v = 1;
            P->has_v = true;
        } else if (strcmp(n, "row") == 0) {
            const char *r = att(atts, "r", NULL);
            uint32_t c;
            if (r)
                parse_ref(r, &P->row, &c);
            else
                P->row++;
            P->col = 0;
            if (P->row == 0 || P->row > XL_MAX_ROWS) {
                xl_error(B, 0, 0, "not a readable workbook: a row number out of range in %s", P->part);
                stop(P);
                return;
            }
            xl_cell mark = {P->row, 0, 0, 0};   /* a row with no text still counts (a blank row) */
            g_array_append_val(B->cells, mark);
        } else if (strcmp(n, "c") == 0) {
            const char *ref = att(atts, "r", NULL), *t = att(atts, "t", NULL), *sty = att(atts, "s", NULL);
            uint32_t row = P->row, col = P->col + 1;
            if (ref)
                parse_ref(ref, &row, &col);
            if (col == 0 || col > XL_MAX_COLS || row != P->row) {
                xl_error(B, P->row, 0, "not a readable workbook: cell %s is out of place in %s", ref ? ref : "?",
                         P->part);
                stop(P);
                return;
            }
            P->col = col;
            g_free(P->ctype);
            P->ctype = g_strdup(t);
            P->cstyle = sty ? atol(sty) : -1;
            P->has_v = false;
            g_string_truncate(P->text, 0);
            g_string_truncate(P->v, 0);
        } else if (strcmp(n, "mergeCell") == 0) {
            const char *ref = att(atts, "ref", NULL);
            if (ref && strchr(ref, ':')) {
                xl_range m = {.ref = g_strdup(ref)};
                parse_ref(ref, &m.r1, &m.c1);
                parse_ref(strchr(ref, ':') + 1, &m.r2, &m.c2);
                g_array_append_val(P->merges, m);
            }
        }
        break;
    }
}

static void XMLCALL on_end(void *ud, const char *name)
{
    xl_parse *P = ud;
    const char *n = local(name);
    if (P->kind == PART_STYLES && strcmp(n, "cellXfs") == 0) {
        P->in_xfs = 0;
    } else if (P->kind == PART_STRINGS || P->kind == PART_SHEET) {
        if (strcmp(n, "t") == 0) {
            P->in_t--;
        } else if (strcmp(n, "rPh") == 0) {
            P->in_rph--;
        } else if (strcmp(n, "is") == 0) {
            P->in_is = 0;
        } else if (strcmp(n, "v") == 0) {
            P->in_v = 0;
        } else if (strcmp(n, "si") == 0 && P->kind == PART_STRINGS) {
            P->in_si = 0;
            decode_escapes(P->text);
            g_ptr_array_add(P->B->strings, g_strdup(P->text->str));
        } else if (strcmp(n, "c") == 0 && P->kind == PART_SHEET) {
            cell_done(P);
        }
    }
}

static void XMLCALL on_text(void *ud, const char *s, int len)
{
    xl_parse *P = ud;
    if (P->in_v)
        g_string_append_len(P->v, s, len);
    else if ((P->in_si || P->in_is) && P->in_t > 0 && P->in_rph == 0)
        g_string_append_len(P->text, s, len);
}

/* Parses the part `name` with the handlers for `kind`.  False when the
 * workbook has no such part (*missing) or, after reporting it, when the
 * part is damaged. */
static bool parse_part(xl_parse *P, const char *name, bool *missing)
{
    xl_book *B = P->B;
    *missing = false;
    if (unzLocateFile(B->zip, name, 1) != UNZ_OK) {
        *missing = true;
        return false;
    }
    if (unzOpenCurrentFile(B->zip) != UNZ_OK) {
        xl_error(B, 0, 0, "not a readable workbook: its part %s cannot be opened; save it again from Excel or WPS",
                 name);
        return false;
    }
    P->part = name;
    P->p = XML_ParserCreateNS(NULL, '|');
    XML_SetUserData(P->p, P);
    XML_SetElementHandler(P->p, on_start, on_end);
    XML_SetCharacterDataHandler(P->p, on_text);
    char buf[16384];
    int n;
    const char *problem = NULL;
    while (!B->failed) {
        n = unzReadCurrentFile(B->zip, buf, sizeof buf);
        if (n < 0) {
            problem = "a damaged zip entry";
            break;
        }
        if (XML_Parse(P->p, buf, n, n == 0) == XML_STATUS_ERROR) {
            if (!B->failed)
                problem = XML_ErrorString(XML_GetErrorCode(P->p));
            break;
        }
        if (n == 0)
            break;
    }
    if (unzCloseCurrentFile(B->zip) == UNZ_CRCERROR && !problem && !B->failed)
        problem = "a damaged zip entry (bad CRC)";
    XML_ParserFree(P->p);
    P->p = NULL;
    if (problem)
        xl_error(B, 0, 0, "not a readable workbook: its part %s is damaged (%s); save it again from Excel or WPS",
                 name, problem);
    return !B->failed;
}

/* The relationships of `part` (its _rels/NAME.rels): rel id → target part,
 * and type suffix ("/styles") → target part, in one table. */
static GHashTable *read_rels(xl_book *B, const char *part)
{
    GHashTable *rels = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    const char *slash = strrchr(part, '/');
    char *name = slash ? g_strdup_printf("%.*s/_rels/%s.rels", (int)(slash - part), part, slash + 1)
                       : g_strdup_printf("_rels/%s.rels", part);
    xl_parse P = {.B = B, .kind = PART_RELS, .rels = rels, .base = part};
    bool missing;
    parse_part(&P, name, &missing);   /* no rels: no parts found through them */
    g_free(name);
    return rels;
}

/* ---- the CSV text ------------------------------------------------------------------ */

static int cell_order(gconstpointer a, gconstpointer b)
{
    const xl_cell *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    return x->col < y->col ? -1 : x->col > y->col;
}

/* Appends a cell's text as a CSV field: quoted when it holds a comma or a
 * quote; a line break becomes a space (see the top of the file). */
static void csv_field(GString *out, const char *p, size_t len)
{
    bool quote = false;
    for (size_t i = 0; i < len && !quote; i++)
        quote = p[i] == ',' || p[i] == '"' || p[i] == '\n' || p[i] == '\r';
    if (quote)
        g_string_append_c(out, '"');
    for (size_t i = 0; i < len; i++) {
        char c = p[i];
        if (c == '"')
            g_string_append(out, "\"\"");
        else if (c == '\r' && i + 1 < len && p[i + 1] == '\n')
            continue;
        else if (c == '\n' || c == '\r')
            g_string_append_c(out, ' ');
        else
            g_string_append_c(out, c);
    }
    if (quote)
        g_string_append_c(out, '"');
}

static GString *write_csv(xl_book *B, GArray *merges)
{
    GArray *cells = B->cells;
    g_array_sort(cells, cell_order);   /* stable for rows in order; files may list cells out of order */
    uint32_t width = 0, header = 0;
    for (guint i = 0; i < cells->len; i++) {
        const xl_cell *c = &g_array_index(cells, xl_cell, i);
        if (c->col == 0)
            continue;
        width = MAX(width, c->col);
        if (header == 0 || c->row < header)
            header = c->row;
    }
    for (guint i = 0; header && i < merges->len; i++) {
        const xl_range *m = &g_array_index(merges, xl_range, i);
        if (m->r1 <= header && header <= m->r2) {
            xl_error(B, header, m->c1,
                     "merged cells %s in the header row; unmerge them so that each column has its own name "
                     "in its own cell",
                     m->ref);
            return NULL;
        }
    }
    GString *out = g_string_sized_new(B->texts->len + cells->len * 2 + 64);
    uint32_t line = 1;   /* the line the output is on */
    for (guint i = 0; i < cells->len;) {
        uint32_t row = g_array_index(cells, xl_cell, i).row;
        while (line < row) {
            g_string_append_c(out, '\n');
            line++;
        }
        bool shown = header != 0 && row >= header;   /* rows above the header stay empty lines */
        uint32_t next = 1;                            /* the column of the next field */
        guint j = i;
        for (; j < cells->len && g_array_index(cells, xl_cell, j).row == row; j++) {
            const xl_cell *c = &g_array_index(cells, xl_cell, j);
            if (!shown || c->col < next)   /* the row's mark (column 0), or a cell given twice */
                continue;
            for (; next <= c->col; next++)
                if (next > 1)
                    g_string_append_c(out, ',');
            csv_field(out, B->texts->str + c->off, c->len);
        }
        for (; shown && next <= width; next++)
            if (next > 1)
                g_string_append_c(out, ',');
        i = j;
    }
    g_string_append_c(out, '\n');
    return out;
}


/* The text of the cell just read (<c>…</c>), by its type and style, kept
 * when not empty. */
static void cell_done(xl_parse *P)
{
    xl_book *B = P->B;
    const char *t = P->ctype;
    GString *out = P->text;   /* an inline string's text is already there */
    if (P->in_is == 0 && out->len > 0 && !(t && strcmp(t, "inlineStr") == 0))
        g_string_truncate(out, 0);   /* text gathered outside <is> is no value */
    if (t && strcmp(t, "inlineStr") == 0) {
        decode_escapes(out);
    } else if (P->has_v) {
        const char *v = P->v->str;
        if (t && strcmp(t, "s") == 0) {
            char *end = NULL;
            guint64 i = g_ascii_strtoull(v, &end, 10);
            if (end != v && *end == '\0' && i < B->strings->len)
                g_string_append(out, g_ptr_array_index(B->strings, i));
            else
                g_string_append_printf(out, "#REF! (shared string %s)", v);
        } else if (t && strcmp(t, "b") == 0) {
            g_string_append(out, strcmp(v, "1") == 0 ? "TRUE" : "FALSE");
        } else if (t && strcmp(t, "d") == 0) {   /* an ISO 8601 date-time: its date */
            g_string_append_len(out, v, MIN(P->v->len, 10));
        } else if (t && (strcmp(t, "str") == 0 || strcmp(t, "e") == 0)) {
            g_string_append(out, v);   /* a formula's text, an error such as #N/A */
            decode_escapes(out);
        } else {
            long s = P->cstyle;
            bool date = s >= 0 && (guint)s < B->xf_is_date->len && g_array_index(B->xf_is_date, gboolean, s);
            if (!(date && serial_date(v, B->date1904, out)))
                plain_number(v, out);
        }
    }
    if (out->len > 0) {
        xl_cell cell = {P->row, P->col, (uint32_t)B->texts->len, (uint32_t)out->len};
        g_string_append_len(B->texts, out->str, (gssize)out->len);
        g_array_append_val(B->cells, cell);
    }
    g_string_truncate(out, 0);
}

/* ---- the workbook ---------------------------------------------------------------- */

GString *wz_xlsx_sheet_csv(const char *buf, size_t len, const char *sheet, const char *file, char **sheet_used,
                           wz_diags *d)
{
    *sheet_used = NULL;
    xl_book B = {.file = file, .d = d};
    char *why = NULL;
    if (!xl_libraries(&why)) {
        xl_error(&B, 0, 0, "%s", why);
        g_free(why);
        return NULL;
    }
    xl_mem mem = {.buf = buf, .len = len};
    zlib_filefunc64_def io = {mem_open, mem_read, mem_write, mem_tell, mem_seek, mem_close, mem_error, &mem};
    B.zip = unzOpen2_64(file, &io);
    if (B.zip == NULL) {
        xl_error(&B, 0, 0, "not a readable workbook (not a zip archive, or a damaged one); save it again from "
                           "Excel or WPS as .xlsx");
        return NULL;
    }
    B.strings = g_ptr_array_new_with_free_func(g_free);
    B.xf_is_date = g_array_new(FALSE, FALSE, sizeof(gboolean));
    B.texts = g_string_new(NULL);
    B.cells = g_array_new(FALSE, FALSE, sizeof(xl_cell));
    GArray *merges = g_array_new(FALSE, FALSE, sizeof(xl_range));
    GPtrArray *sheets = g_ptr_array_new_with_free_func(sheet_ref_free);
    GHashTable *custom = g_hash_table_new(g_direct_hash, g_direct_equal);
    GString *text = g_string_new(NULL), *v = g_string_new(NULL);
    GString *csv = NULL;
    bool missing = false;

    GHashTable *root = read_rels(&B, "");
    const char *wb_part = g_hash_table_lookup(root, "/officeDocument");
    char *workbook = g_strdup(wb_part ? wb_part : "xl/workbook.xml");
    GHashTable *rels = read_rels(&B, workbook);
    xl_parse W = {.B = &B, .kind = PART_WORKBOOK, .sheets = sheets};
    if (!B.failed && !parse_part(&W, workbook, &missing) && missing)
        xl_error(&B, 0, 0, "not a workbook: it has no %s; save it from Excel or WPS as .xlsx", workbook);
    const xl_sheet_ref *chosen = NULL;
    if (!B.failed && sheets->len == 0)
        xl_error(&B, 0, 0, "the workbook has no sheet");
    for (guint i = 0; !B.failed && i < sheets->len && !chosen; i++) {
        const xl_sheet_ref *s = g_ptr_array_index(sheets, i);
        if (sheet ? strcmp(s->name, sheet) == 0 : i == 0)
            chosen = s;
    }
    if (!B.failed && !chosen) {
        GString *names = g_string_new(NULL);
        wz_suggest sg;
        wz_suggest_begin(&sg, sheet);
        for (guint i = 0; i < sheets->len; i++) {
            const xl_sheet_ref *s = g_ptr_array_index(sheets, i);
            g_string_append_printf(names, "%s%s", i ? ", " : "", s->name);
            wz_suggest_consider(&sg, s->name);
        }
        char *hint = wz_suggest_hint(wz_suggest_end(&sg));
        xl_error(&B, 0, 0, "no sheet \"%s\" in the workbook (--sheet); its sheets are %s%s", sheet, names->str, hint);
        g_free(hint);
        g_string_free(names, TRUE);
    }
    const char *sheet_part = chosen ? g_hash_table_lookup(rels, chosen->rid) : NULL;
    if (!B.failed && sheet_part == NULL)
        xl_error(&B, 0, 0, "not a readable workbook: sheet \"%s\" has no part", chosen->name);
    /* styles and shared strings are optional parts: none means no dates, no shared strings */
    const char *styles = g_hash_table_lookup(rels, "/styles"), *strings = g_hash_table_lookup(rels, "/sharedStrings");
    xl_parse S = {.B = &B, .kind = PART_STYLES, .custom = custom};
    if (!B.failed && styles)
        parse_part(&S, styles, &missing);
    xl_parse T = {.B = &B, .kind = PART_STRINGS, .text = text, .v = v};
    if (!B.failed && strings)
        parse_part(&T, strings, &missing);
    xl_parse X = {.B = &B, .kind = PART_SHEET, .text = text, .v = v, .merges = merges, .cstyle = -1};
    if (!B.failed && !parse_part(&X, sheet_part, &missing) && missing)
        xl_error(&B, 0, 0, "not a readable workbook: the sheet's part %s is missing", sheet_part);
    if (!B.failed)
        csv = write_csv(&B, merges);
    if (csv)
        *sheet_used = g_strdup(chosen->name);

    g_free(X.ctype);
    for (guint i = 0; i < merges->len; i++)
        g_free(g_array_index(merges, xl_range, i).ref);
    g_array_unref(merges);
    g_ptr_array_unref(sheets);
    g_hash_table_unref(custom);
    g_string_free(text, TRUE);
    g_string_free(v, TRUE);
    g_hash_table_unref(rels);
    g_hash_table_unref(root);
    g_free(workbook);
    g_ptr_array_unref(B.strings);
    g_array_unref(B.xf_is_date);
    g_string_free(B.texts, TRUE);
    g_array_unref(B.cells);
    unzClose(B.zip);
    return csv;
}
