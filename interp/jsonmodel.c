/* jsonmodel.c — a small JSON tree (see jsonmodel.h). */
#include "jsonmodel.h"

#include <string.h>

#include "output.h"

typedef enum { JV_NULL, JV_BOOL, JV_INT, JV_STRING, JV_ARRAY, JV_OBJECT } jv_kind;

struct wz_jv {
    jv_kind kind;
    bool b;
    int64_t i;
    char *s;
    GPtrArray *items;   /* ARRAY: wz_jv*; OBJECT: wz_jv* values, in insertion order */
    GPtrArray *keys;    /* OBJECT: char*, the same order */
};

struct wz_jbuilder {
    GPtrArray *open;    /* wz_jv*: the containers being built, innermost last */
    char *key;          /* the member name for the next value */
    wz_jv *root;
};

static wz_jv *jv_new(jv_kind kind) {
    wz_jv *v = g_new0(wz_jv, 1);
    v->kind = kind;
    if (kind == JV_ARRAY || kind == JV_OBJECT) v->items = g_ptr_array_new_with_free_func((GDestroyNotify)wz_jv_free);
    if (kind == JV_OBJECT) v->keys = g_ptr_array_new_with_free_func(g_free);
    return v;
}

void wz_jv_free(wz_jv *v) {
    if (!v) return;
    g_free(v->s);
    if (v->items) g_ptr_array_free(v->items, TRUE);
    if (v->keys) g_ptr_array_free(v->keys, TRUE);
    g_free(v);
}

wz_jbuilder *wz_jb_new(void) {
    wz_jbuilder *b = g_new0(wz_jbuilder, 1);
    b->open = g_ptr_array_new();
    return b;
}

void wz_jb_free(wz_jbuilder *b) {
    if (!b) return;
    if (!b->root && b->open->len) wz_jv_free(g_ptr_array_index(b->open, 0));   /* an unfinished tree */
    wz_jv_free(b->root);
    g_ptr_array_free(b->open, TRUE);
    g_free(b->key);
    g_free(b);
}

/* Puts v where the builder stands: the root, or the innermost container (under the pending key). */
static void add(wz_jbuilder *b, wz_jv *v) {
    if (!b->open->len) {
        wz_jv_free(b->root);
        b->root = v;
        return;
    }
    wz_jv *c = g_ptr_array_index(b->open, b->open->len - 1);
    g_ptr_array_add(c->items, v);
    if (c->kind == JV_OBJECT) {
        g_ptr_array_add(c->keys, b->key ? b->key : g_strdup(""));
        b->key = NULL;
    }
}

static void begin(wz_jbuilder *b, jv_kind kind) {
    wz_jv *v = jv_new(kind);
    if (b->open->len) add(b, v);
    g_ptr_array_add(b->open, v);
}

static void end(wz_jbuilder *b) {
    wz_jv *v = g_ptr_array_steal_index(b->open, b->open->len - 1);
    if (!b->open->len) b->root = v;
}

void wz_jb_begin_object(wz_jbuilder *b) { begin(b, JV_OBJECT); }
void wz_jb_end_object(wz_jbuilder *b) { end(b); }
void wz_jb_begin_array(wz_jbuilder *b) { begin(b, JV_ARRAY); }
void wz_jb_end_array(wz_jbuilder *b) { end(b); }

void wz_jb_set_member_name(wz_jbuilder *b, const char *key) {
    g_free(b->key);
    b->key = g_strdup(key);
}

void wz_jb_add_string_value(wz_jbuilder *b, const char *s) {
    wz_jv *v = jv_new(JV_STRING);
    v->s = g_strdup(s);
    add(b, v);
}

void wz_jb_add_int_value(wz_jbuilder *b, int64_t i) {
    wz_jv *v = jv_new(JV_INT);
    v->i = i;
    add(b, v);
}

void wz_jb_add_boolean_value(wz_jbuilder *b, bool x) {
    wz_jv *v = jv_new(JV_BOOL);
    v->b = x;
    add(b, v);
}

void wz_jb_add_null_value(wz_jbuilder *b) { add(b, jv_new(JV_NULL)); }

wz_jv *wz_jb_root(wz_jbuilder *b) {
    wz_jv *r = b->root;
    b->root = NULL;
    return r;
}

wz_jv *wz_jv_get(const wz_jv *v, const char *key) {
    if (!v || v->kind != JV_OBJECT) return NULL;
    for (guint i = 0; i < v->keys->len; i++)
        if (!strcmp(g_ptr_array_index(v->keys, i), key)) return g_ptr_array_index(v->items, i);
    return NULL;
}

bool wz_jv_has(const wz_jv *v, const char *key) { return wz_jv_get(v, key) != NULL; }
bool wz_jv_is_object(const wz_jv *v) { return v && v->kind == JV_OBJECT; }
const char *wz_jv_string(const wz_jv *v) { return v && v->kind == JV_STRING ? v->s : NULL; }

bool wz_jv_get_bool(const wz_jv *obj, const char *key) {
    const wz_jv *v = wz_jv_get(obj, key);
    return v && v->kind == JV_BOOL && v->b;
}

int64_t wz_jv_get_int(const wz_jv *obj, const char *key) {
    const wz_jv *v = wz_jv_get(obj, key);
    return v && v->kind == JV_INT ? v->i : 0;
}

guint wz_jv_len(const wz_jv *v) { return v && v->kind == JV_ARRAY ? v->items->len : 0; }
wz_jv *wz_jv_at(const wz_jv *v, guint i) { return i < wz_jv_len(v) ? g_ptr_array_index(v->items, i) : NULL; }

static void print_at(GString *out, const wz_jv *v, int indent) {
    switch (v->kind) {
    case JV_NULL: g_string_append(out, "null"); return;
    case JV_BOOL: g_string_append(out, v->b ? "true" : "false"); return;
    case JV_INT: g_string_append_printf(out, "%" G_GINT64_FORMAT, v->i); return;
    case JV_STRING: wz_json_string(out, v->s); return;
    case JV_ARRAY: case JV_OBJECT: break;
    }
    bool object = v->kind == JV_OBJECT;
    if (!v->items->len) {
        g_string_append(out, object ? "{}" : "[]");
        return;
    }
    g_string_append(out, object ? "{\n" : "[\n");
    for (guint i = 0; i < v->items->len; i++) {
        g_string_append_printf(out, "%*s", indent + 2, "");
        if (object) {
            wz_json_string(out, g_ptr_array_index(v->keys, i));
            g_string_append(out, " : ");
        }
        print_at(out, g_ptr_array_index(v->items, i), indent + 2);
        g_string_append(out, i + 1 < v->items->len ? ",\n" : "\n");
    }
    g_string_append_printf(out, "%*s%c", indent, "", object ? '}' : ']');
}

void wz_jv_print(GString *out, const wz_jv *v) { print_at(out, v, 0); }

/* ---- reading JSON text (summary.json, ledger entries) ----
 *
 * A recursive-descent reader over the builder: objects, arrays, strings with
 * their escapes (\uXXXX and surrogate pairs), true/false/null and whole
 * numbers, which is all wenze writes.  A fraction or exponent is an error. */

typedef struct jreader {
    const char *p, *end;
    wz_jbuilder *b;
    const char *error;
    int depth;
} jreader;

static void skip_ws(jreader *R) {
    while (R->p < R->end && (*R->p == ' ' || *R->p == '\n' || *R->p == '\r' || *R->p == '\t')) R->p++;
}

static bool fail_at(jreader *R, const char *what) {
    if (!R->error) R->error = what;
    return false;
}

static int hex4(const char *s) {
    int v = 0;
    for (int i = 0; i < 4; i++) {
        int c = s[i], d = g_ascii_xdigit_value((char)c);
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

/* A string literal at R->p (the opening quote); a new string, or NULL. */
static char *read_string(jreader *R) {
    if (R->p >= R->end || *R->p != '"') return fail_at(R, "expected a string"), NULL;
    R->p++;
    GString *s = g_string_new(NULL);
    while (R->p < R->end && *R->p != '"') {
        unsigned char c = (unsigned char)*R->p++;
        if (c < 0x20) break;
        if (c != '\\') {
            g_string_append_c(s, (char)c);
            continue;
        }
        if (R->p >= R->end) break;
        char e = *R->p++;
        switch (e) {
        case '"': case '\\': case '/': g_string_append_c(s, e); break;
        case 'b': g_string_append_c(s, '\b'); break;
        case 'f': g_string_append_c(s, '\f'); break;
        case 'n': g_string_append_c(s, '\n'); break;
        case 'r': g_string_append_c(s, '\r'); break;
        case 't': g_string_append_c(s, '\t'); break;
        case 'u': {
            int u = R->end - R->p >= 4 ? hex4(R->p) : -1;
            if (u < 0) goto bad;
            R->p += 4;
            if (u >= 0xD800 && u < 0xDC00 && R->end - R->p >= 6 && R->p[0] == '\\' && R->p[1] == 'u') {
                int lo = hex4(R->p + 2);
                if (lo >= 0xDC00 && lo < 0xE000) {
                    u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                    R->p += 6;
                }
            }
            g_string_append_unichar(s, (gunichar)u);
            break;
        }
        default: goto bad;
        }
    }
    if (R->p < R->end && *R->p == '"') {
        R->p++;
        return g_string_free(s, FALSE);
    }
bad:
    g_string_free(s, TRUE);
    fail_at(R, "a bad string");
    return NULL;
}

static bool read_value(jreader *R) {
    skip_ws(R);
    if (R->p >= R->end) return fail_at(R, "unexpected end of the text");
    if (++R->depth > 200) return fail_at(R, "nested too deeply");
    bool ok = true;
    char c = *R->p;
    if (c == '{' || c == '[') {
        bool obj = c == '{';
        R->p++;
        obj ? wz_jb_begin_object(R->b) : wz_jb_begin_array(R->b);
        skip_ws(R);
        if (R->p < R->end && *R->p == (obj ? '}' : ']')) R->p++;
        else
            for (;;) {
                if (obj) {
                    skip_ws(R);
                    char *key = read_string(R);
                    if (!key) return false;
                    wz_jb_set_member_name(R->b, key);
                    g_free(key);
                    skip_ws(R);
                    if (R->p >= R->end || *R->p++ != ':') return fail_at(R, "expected ':'");
                }
                if (!read_value(R)) return false;
                skip_ws(R);
                if (R->p < R->end && *R->p == ',') {
                    R->p++;
                    continue;
                }
                if (R->p < R->end && *R->p == (obj ? '}' : ']')) {
                    R->p++;
                    break;
                }
                return fail_at(R, obj ? "expected ',' or '}'" : "expected ',' or ']'");
            }
        obj ? wz_jb_end_object(R->b) : wz_jb_end_array(R->b);
    } else if (c == '"') {
        char *s = read_string(R);
        if (!s) return false;
        wz_jb_add_string_value(R->b, s);
        g_free(s);
    } else if (c == '-' || g_ascii_isdigit(c)) {
        const char *start = R->p++;
        while (R->p < R->end && g_ascii_isdigit(*R->p)) R->p++;
        if (R->p < R->end && (*R->p == '.' || *R->p == 'e' || *R->p == 'E')) return fail_at(R, "a number that is not whole");
        char *num = g_strndup(start, (gsize)(R->p - start));
        wz_jb_add_int_value(R->b, g_ascii_strtoll(num, NULL, 10));
        g_free(num);
    } else if (R->end - R->p >= 4 && !strncmp(R->p, "true", 4)) {
        R->p += 4;
        wz_jb_add_boolean_value(R->b, true);
    } else if (R->end - R->p >= 5 && !strncmp(R->p, "false", 5)) {
        R->p += 5;
        wz_jb_add_boolean_value(R->b, false);
    } else if (R->end - R->p >= 4 && !strncmp(R->p, "null", 4)) {
        R->p += 4;
        wz_jb_add_null_value(R->b);
    } else {
        ok = fail_at(R, "expected a value");
    }
    R->depth--;
    return ok;
}

wz_jv *wz_jv_parse(const char *text, gsize len, const char **error) {
    jreader R = {.p = text, .end = text + len, .b = wz_jb_new()};
    bool ok = read_value(&R);
    skip_ws(&R);
    if (ok && R.p != R.end) ok = fail_at(&R, "text after the value");
    wz_jv *v = ok ? wz_jb_root(R.b) : NULL;
    if (error) *error = ok ? NULL : R.error;
    wz_jb_free(R.b);
    return v;
}

const char *wz_jv_key(const wz_jv *v, guint i) {
    return v && v->kind == JV_OBJECT && i < v->keys->len ? g_ptr_array_index(v->keys, i) : NULL;
}

guint wz_jv_members(const wz_jv *v) { return v && v->kind == JV_OBJECT ? v->keys->len : 0; }
wz_jv *wz_jv_member(const wz_jv *v, guint i) { return i < wz_jv_members(v) ? g_ptr_array_index(v->items, i) : NULL; }

void wz_jb_add_value(wz_jbuilder *b, const wz_jv *v) {
    switch (v->kind) {
    case JV_NULL: wz_jb_add_null_value(b); return;
    case JV_BOOL: wz_jb_add_boolean_value(b, v->b); return;
    case JV_INT: wz_jb_add_int_value(b, v->i); return;
    case JV_STRING: wz_jb_add_string_value(b, v->s); return;
    case JV_ARRAY:
        wz_jb_begin_array(b);
        for (guint i = 0; i < v->items->len; i++) wz_jb_add_value(b, g_ptr_array_index(v->items, i));
        wz_jb_end_array(b);
        return;
    case JV_OBJECT:
        wz_jb_begin_object(b);
        for (guint i = 0; i < v->items->len; i++) {
            wz_jb_set_member_name(b, g_ptr_array_index(v->keys, i));
            wz_jb_add_value(b, g_ptr_array_index(v->items, i));
        }
        wz_jb_end_object(b);
        return;
    }
}

int64_t wz_jv_int(const wz_jv *v) { return v && v->kind == JV_INT ? v->i : 0; }
