/* xlsx.c — one sheet of an .xlsx workbook as CSV text (see xlsx.h).
 *
 * A workbook is a zip (libzip) of XML parts (libxml2's xmlReader, which
 * streams: a part is never held whole).  The parts are found as Excel finds
 * them, through the relationships: _rels/.rels names the workbook,
 * the workbook's rels name its sheets, shared strings and styles.  Then:
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
 * libxml2 prints parse errors to stderr unless told otherwise; each reader
 * here gets an error handler that keeps the first message instead.
 */
#include "xlsx.h"

#include <libxml/xmlreader.h>
#include <string.h>
#include <zip.h>

#include "date.h"
#include "suggest.h"

#define XL_MAX_ROWS 1048576u   /* Excel's limits: a reference past them is not a cell */
#define XL_MAX_COLS 16384u
#define XL_NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define XL_NS_REL_STRICT "http://purl.oclc.org/ooxml/officeDocument/relationships"

/* One cell with text: its position and its text in xl_book.texts. */
typedef struct xl_cell {
    uint32_t row, col;
    uint32_t off, len;
} xl_cell;

typedef struct xl_book {
    zip_t *zip;
    const char *file;        /* for messages */
    wz_diags *d;
    bool failed;             /* an error was reported */
    bool date1904;
    GPtrArray *strings;      /* shared strings, char* */
    GArray *xf_is_date;      /* gboolean per cellXfs index */
    GString *texts;          /* every kept cell's text, one after another */
    GArray *cells;           /* xl_cell, in sheet order */
    char *xml_error;         /* the first libxml2 error of the part being read */
} xl_book;

/* ---- small helpers ---------------------------------------------------------- */

static void xl_error(xl_book *B, uint32_t row, uint32_t col, const char *fmt, ...) G_GNUC_PRINTF(4, 5);
static void xl_error(xl_book *B, uint32_t row, uint32_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    wz_diag_fact(B->d, WZ_SEV_ERROR, B->file, row, col, "%s", msg);
    g_free(msg);
    B->failed = true;
}

static void xml_error_handler(void *arg, xmlErrorPtr err)
{
    xl_book *B = arg;
    if (B->xml_error == NULL && err && err->message)
        B->xml_error = g_strstrip(g_strdup(err->message));
}

/* The local name of the reader's node ("c" for <x:c>). */
static bool is(xmlTextReaderPtr r, const char *name)
{
    const xmlChar *n = xmlTextReaderConstLocalName(r);
    return n && strcmp((const char *)n, name) == 0;
}

static char *attr(xmlTextReaderPtr r, const char *name)
{
    return (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)name);
}

/* Text nodes inside an element (significant blanks too: <t xml:space="preserve"> ). */
static bool is_text(int type)
{
    return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
           type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE || type == XML_READER_TYPE_WHITESPACE;
}

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

/* ---- zip parts ---------------------------------------------------------------- */

static int zip_read_cb(void *ctx, char *buf, int len)
{
    zip_int64_t n = zip_fread(ctx, buf, (zip_uint64_t)len);
    return n < 0 ? -1 : (int)n;
}

static int zip_close_cb(void *ctx)
{
    return zip_fclose(ctx) == 0 ? 0 : -1;
}

/* A streaming reader over the part `name`, or NULL when the workbook has no such part. */
static xmlTextReaderPtr open_part(xl_book *B, const char *name)
{
    zip_file_t *zf = zip_fopen(B->zip, name, 0);
    if (zf == NULL)
        return NULL;
    xmlTextReaderPtr r = xmlReaderForIO(zip_read_cb, zip_close_cb, zf, name, NULL, XML_PARSE_NONET);
    if (r)
        xmlTextReaderSetStructuredErrorHandler(r, xml_error_handler, B);
    g_free(B->xml_error);
    B->xml_error = NULL;
    return r;
}

/* Ends reading a part: false, after reporting it, when the XML was bad
 * (rc: the last xmlTextReaderRead's result) or the zip entry was. */
static bool close_part(xl_book *B, xmlTextReaderPtr r, int rc, const char *name)
{
    xmlFreeTextReader(r);
    if (rc < 0 || B->xml_error) {
        xl_error(B, 0, 0, "not a readable workbook: its part %s is damaged (%s); save it again from Excel or WPS",
                 name, B->xml_error ? B->xml_error : "bad XML or a damaged zip entry");
        return false;
    }
    return true;
}

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

/* The relationships of `part` (its _rels/NAME.rels): rel id → target part,
 * and type suffix ("/styles") → target part, in one table. */
static GHashTable *read_rels(xl_book *B, const char *part)
{
    GHashTable *rels = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    const char *slash = strrchr(part, '/');
    char *name = slash ? g_strdup_printf("%.*s/_rels/%s.rels", (int)(slash - part), part, slash + 1)
                       : g_strdup_printf("_rels/%s.rels", part);
    xmlTextReaderPtr r = open_part(B, name);
    int rc = 0;
    while (r && (rc = xmlTextReaderRead(r)) == 1) {
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT || !is(r, "Relationship"))
            continue;
        char *id = attr(r, "Id"), *type = attr(r, "Type"), *target = attr(r, "Target"), *mode = attr(r, "TargetMode");
        if (id && target && !(mode && strcmp(mode, "External") == 0)) {
            char *path = resolve_target(part, target);
            if (type && strrchr(type, '/'))
                g_hash_table_replace(rels, g_strdup(strrchr(type, '/')), g_strdup(path));
            g_hash_table_replace(rels, g_strdup(id), path);
        }
        xmlFree(id);
        xmlFree(type);
        xmlFree(target);
        xmlFree(mode);
    }
    if (r)
        close_part(B, r, rc, name);
    g_free(name);
    return rels;
}

/* ---- workbook, styles, shared strings --------------------------------------------------------- */

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

/* The sheets in workbook order, and the date system.  NULL after an error. */
static GPtrArray *read_workbook(xl_book *B, const char *part)
{
    xmlTextReaderPtr r = open_part(B, part);
    if (r == NULL) {
        xl_error(B, 0, 0, "not a workbook: it has no %s; save it from Excel or WPS as .xlsx", part);
        return NULL;
    }
    GPtrArray *sheets = g_ptr_array_new_with_free_func(sheet_ref_free);
    int rc;
    while ((rc = xmlTextReaderRead(r)) == 1) {
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
            continue;
        if (is(r, "workbookPr")) {
            char *v = attr(r, "date1904");
            B->date1904 = v && (strcmp(v, "1") == 0 || g_ascii_strcasecmp(v, "true") == 0);
            xmlFree(v);
        } else if (is(r, "sheet")) {
            xl_sheet_ref *s = g_new0(xl_sheet_ref, 1);
            char *name = attr(r, "name");
            char *rid = (char *)xmlTextReaderGetAttributeNs(r, (const xmlChar *)"id", (const xmlChar *)XL_NS_REL);
            if (rid == NULL)
                rid = (char *)xmlTextReaderGetAttributeNs(r, (const xmlChar *)"id", (const xmlChar *)XL_NS_REL_STRICT);
            s->name = g_strdup(name ? name : "");
            s->rid = g_strdup(rid ? rid : "");
            xmlFree(name);
            xmlFree(rid);
            g_ptr_array_add(sheets, s);
        }
    }
    if (!close_part(B, r, rc, part)) {
        g_ptr_array_unref(sheets);
        return NULL;
    }
    return sheets;
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

static bool read_styles(xl_book *B, const char *part)
{
    xmlTextReaderPtr r = part ? open_part(B, part) : NULL;
    if (r == NULL)
        return true;   /* no styles: no dates */
    GHashTable *custom = g_hash_table_new(g_direct_hash, g_direct_equal);   /* numFmtId → is a date */
    int rc, in_xfs = 0;
    while ((rc = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_END_ELEMENT && is(r, "cellXfs"))
            in_xfs = 0;
        if (type != XML_READER_TYPE_ELEMENT)
            continue;
        if (is(r, "numFmt")) {
            char *id = attr(r, "numFmtId"), *code = attr(r, "formatCode");
            if (id && code)
                g_hash_table_replace(custom, GINT_TO_POINTER(atoi(id)), GINT_TO_POINTER(format_is_date(code)));
            xmlFree(id);
            xmlFree(code);
        } else if (is(r, "cellXfs")) {
            in_xfs = !xmlTextReaderIsEmptyElement(r);
        } else if (in_xfs && is(r, "xf")) {
            char *id = attr(r, "numFmtId");
            long n = id ? atol(id) : 0;
            gpointer v;
            gboolean date = g_hash_table_lookup_extended(custom, GINT_TO_POINTER((int)n), NULL, &v)
                                ? GPOINTER_TO_INT(v) : builtin_is_date(n);
            g_array_append_val(B->xf_is_date, date);
            xmlFree(id);
        }
    }
    g_hash_table_unref(custom);
    return close_part(B, r, rc, part);
}

/* Appends the text of the element the reader is on (<si>, <is>): its <t>
 * runs, rich-text runs included, phonetic guides (<rPh>) left out. */
static int read_text_runs(xmlTextReaderPtr r, GString *out)
{
    if (xmlTextReaderIsEmptyElement(r))
        return 1;
    int depth = xmlTextReaderDepth(r), rc, in_t = 0, in_rph = 0;
    while ((rc = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(r) == depth)
            break;
        if (type == XML_READER_TYPE_ELEMENT && !xmlTextReaderIsEmptyElement(r)) {
            if (is(r, "rPh")) in_rph++;
            else if (is(r, "t")) in_t++;
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (is(r, "rPh")) in_rph--;
            else if (is(r, "t")) in_t--;
        } else if (in_t > 0 && in_rph == 0 && is_text(type)) {
            g_string_append(out, (const char *)xmlTextReaderConstValue(r));
        }
    }
    return rc;
}

static bool read_shared_strings(xl_book *B, const char *part)
{
    xmlTextReaderPtr r = part ? open_part(B, part) : NULL;
    if (r == NULL)
        return true;
    GString *s = g_string_new(NULL);
    int rc;
    while ((rc = xmlTextReaderRead(r)) == 1) {
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT || !is(r, "si"))
            continue;
        g_string_truncate(s, 0);
        if ((rc = read_text_runs(r, s)) != 1)
            break;
        decode_escapes(s);
        g_ptr_array_add(B->strings, g_strdup(s->str));
    }
    g_string_free(s, TRUE);
    return close_part(B, r, rc, part);
}

/* ---- cell values -------------------------------------------------------------- */

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

/* The text of the cell the reader is on (<c>), by its type t and style s. */
static int read_cell(xl_book *B, xmlTextReaderPtr r, const char *t, long s, GString *out)
{
    if (xmlTextReaderIsEmptyElement(r))
        return 1;
    GString *v = g_string_new(NULL);
    int depth = xmlTextReaderDepth(r), rc, in_v = 0;
    bool has_v = false;
    while ((rc = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(r) == depth)
            break;
        if (type == XML_READER_TYPE_ELEMENT && is(r, "is")) {
            if ((rc = read_text_runs(r, out)) != 1)
                break;
            decode_escapes(out);
        } else if (type == XML_READER_TYPE_ELEMENT && is(r, "v") && !xmlTextReaderIsEmptyElement(r)) {
            in_v = 1;
            has_v = true;
        } else if (type == XML_READER_TYPE_END_ELEMENT && is(r, "v")) {
            in_v = 0;
        } else if (in_v && is_text(type)) {
            g_string_append(v, (const char *)xmlTextReaderConstValue(r));
        }
    }
    if (has_v) {
        if (t && strcmp(t, "s") == 0) {
            char *end = NULL;
            guint64 i = g_ascii_strtoull(v->str, &end, 10);
            if (end != v->str && *end == '\0' && i < B->strings->len)
                g_string_append(out, g_ptr_array_index(B->strings, i));
            else
                g_string_append_printf(out, "#REF! (shared string %s)", v->str);
        } else if (t && strcmp(t, "b") == 0) {
            g_string_append(out, strcmp(v->str, "1") == 0 ? "TRUE" : "FALSE");
        } else if (t && strcmp(t, "d") == 0) {   /* an ISO 8601 date-time: its date */
            g_string_append_len(out, v->str, MIN(v->len, 10));
        } else if (t && (strcmp(t, "str") == 0 || strcmp(t, "e") == 0 || strcmp(t, "inlineStr") == 0)) {
            g_string_append(out, v->str);   /* a formula's text, an error such as #N/A */
            decode_escapes(out);
        } else {
            bool date = s >= 0 && (guint)s < B->xf_is_date->len && g_array_index(B->xf_is_date, gboolean, s);
            if (!(date && serial_date(v->str, B->date1904, out)))
                plain_number(v->str, out);
        }
    }
    g_string_free(v, TRUE);
    return rc;
}

/* ---- the sheet ---------------------------------------------------------------- */

typedef struct xl_range {
    uint32_t r1, c1, r2, c2;
    char *ref;
} xl_range;

static bool read_sheet(xl_book *B, const char *part, GArray *merges)
{
    xmlTextReaderPtr r = open_part(B, part);
    if (r == NULL) {
        xl_error(B, 0, 0, "not a readable workbook: the sheet's part %s is missing", part);
        return false;
    }
    GString *text = g_string_new(NULL);
    uint32_t row = 0, col = 0;
    int rc;
    while ((rc = xmlTextReaderRead(r)) == 1) {
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
            continue;
        if (is(r, "row")) {
            char *rr = attr(r, "r");
            uint32_t c;
            if (rr)
                parse_ref(rr, &row, &c);
            else
                row++;
            xmlFree(rr);
            col = 0;
            if (row == 0 || row > XL_MAX_ROWS) {
                xl_error(B, 0, 0, "not a readable workbook: a row number out of range in %s", part);
                break;
            }
            /* an empty row still counts when it has cells: record it with none */
            xl_cell mark = {row, 0, 0, 0};
            g_array_append_val(B->cells, mark);
        } else if (is(r, "c")) {
            char *ref = attr(r, "r"), *t = attr(r, "t"), *s = attr(r, "s");
            uint32_t rrow = row, c = col + 1;
            if (ref)
                parse_ref(ref, &rrow, &c);
            if (c == 0 || c > XL_MAX_COLS || rrow != row) {
                xl_error(B, row, 0, "not a readable workbook: cell %s is out of place in %s", ref ? ref : "?", part);
                xmlFree(ref);
                xmlFree(t);
                xmlFree(s);
                break;
            }
            col = c;
            g_string_truncate(text, 0);
            rc = read_cell(B, r, t, s ? atol(s) : -1, text);
            xmlFree(ref);
            xmlFree(t);
            xmlFree(s);
            if (rc != 1)
                break;
            if (text->len > 0) {
                xl_cell cell = {row, col, (uint32_t)B->texts->len, (uint32_t)text->len};
                g_string_append_len(B->texts, text->str, (gssize)text->len);
                g_array_append_val(B->cells, cell);
            }
        } else if (is(r, "mergeCell")) {
            char *ref = attr(r, "ref");
            if (ref && strchr(ref, ':')) {
                xl_range m = {.ref = g_strdup(ref)};
                parse_ref(ref, &m.r1, &m.c1);
                parse_ref(strchr(ref, ':') + 1, &m.r2, &m.c2);
                g_array_append_val(merges, m);
            }
            xmlFree(ref);
        }
    }
    g_string_free(text, TRUE);
    if (B->failed) {
        xmlFreeTextReader(r);
        return false;
    }
    return close_part(B, r, rc, part);
}

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

/* ---- the workbook ---------------------------------------------------------------- */

GString *wz_xlsx_sheet_csv(const char *buf, size_t len, const char *sheet, const char *file, char **sheet_used,
                           wz_diags *d)
{
    *sheet_used = NULL;
    xl_book B = {.file = file, .d = d};
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(buf, len, 0, &ze);
    if (src)
        B.zip = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (B.zip == NULL) {
        xl_error(&B, 0, 0, "not a readable workbook (%s); save it again from Excel or WPS as .xlsx",
                 zip_error_strerror(&ze));
        if (src)
            zip_source_free(src);
        zip_error_fini(&ze);
        return NULL;
    }
    zip_error_fini(&ze);
    B.strings = g_ptr_array_new_with_free_func(g_free);
    B.xf_is_date = g_array_new(FALSE, FALSE, sizeof(gboolean));
    B.texts = g_string_new(NULL);
    B.cells = g_array_new(FALSE, FALSE, sizeof(xl_cell));
    GArray *merges = g_array_new(FALSE, FALSE, sizeof(xl_range));
    GString *csv = NULL;

    GHashTable *root = read_rels(&B, "");
    const char *wb_part = g_hash_table_lookup(root, "/officeDocument");
    char *workbook = g_strdup(wb_part ? wb_part : "xl/workbook.xml");
    GHashTable *rels = read_rels(&B, workbook);
    GPtrArray *sheets = B.failed ? NULL : read_workbook(&B, workbook);
    const xl_sheet_ref *chosen = NULL;
    if (sheets && sheets->len == 0)
        xl_error(&B, 0, 0, "the workbook has no sheet");
    for (guint i = 0; sheets && i < sheets->len && !chosen; i++) {
        const xl_sheet_ref *s = g_ptr_array_index(sheets, i);
        if (sheet ? strcmp(s->name, sheet) == 0 : i == 0)
            chosen = s;
    }
    if (sheets && sheets->len && !chosen) {
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
    if (chosen && !B.failed) {
        const char *sheet_part = g_hash_table_lookup(rels, chosen->rid);
        if (sheet_part == NULL)
            xl_error(&B, 0, 0, "not a readable workbook: sheet \"%s\" has no part", chosen->name);
        else if (read_styles(&B, g_hash_table_lookup(rels, "/styles")) &&
                 read_shared_strings(&B, g_hash_table_lookup(rels, "/sharedStrings")) &&
                 read_sheet(&B, sheet_part, merges))
            csv = write_csv(&B, merges);
        if (csv)
            *sheet_used = g_strdup(chosen->name);
    }

    for (guint i = 0; i < merges->len; i++)
        g_free(g_array_index(merges, xl_range, i).ref);
    g_array_unref(merges);
    if (sheets)
        g_ptr_array_unref(sheets);
    g_hash_table_unref(rels);
    g_hash_table_unref(root);
    g_free(workbook);
    g_ptr_array_unref(B.strings);
    g_array_unref(B.xf_is_date);
    g_string_free(B.texts, TRUE);
    g_array_unref(B.cells);
    g_free(B.xml_error);
    zip_discard(B.zip);
    return csv;
}
