/* jsonmodel.h — a small JSON tree: built with a builder, read back, printed.
 *
 * explain builds its model as JSON and renders it either as JSON or as text.
 * A library (json-glib) would do, but loading it and its GObject stack costs
 * every wenze command a few milliseconds at start-up; this is the little
 * explain needs: objects keep their members in insertion order, numbers are
 * whole (exact amounts travel as strings), and the printer writes the layout
 * json-glib's pretty printer does (`"key" : value`, two-space indent).
 *
 * Ownership: wz_jb_root() hands the tree to the caller, who frees it with
 * wz_jv_free(); everything read from a tree is borrowed from it.
 */
#ifndef WZ_JSONMODEL_H
#define WZ_JSONMODEL_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct wz_jv wz_jv;
typedef struct wz_jbuilder wz_jbuilder;

wz_jbuilder *wz_jb_new(void);
void wz_jb_free(wz_jbuilder *b);
void wz_jb_begin_object(wz_jbuilder *b);
void wz_jb_end_object(wz_jbuilder *b);
void wz_jb_begin_array(wz_jbuilder *b);
void wz_jb_end_array(wz_jbuilder *b);
/* The key of the next value added inside an object. */
void wz_jb_set_member_name(wz_jbuilder *b, const char *key);
void wz_jb_add_string_value(wz_jbuilder *b, const char *s);
void wz_jb_add_int_value(wz_jbuilder *b, int64_t v);
void wz_jb_add_boolean_value(wz_jbuilder *b, bool v);
void wz_jb_add_null_value(wz_jbuilder *b);
/* A copy of v (borrowed), added where the builder stands. */
void wz_jb_add_value(wz_jbuilder *b, const wz_jv *v);
/* The finished tree (the caller owns it), or NULL when nothing was built. */
wz_jv *wz_jb_root(wz_jbuilder *b);

void wz_jv_free(wz_jv *v);
/* Member key of an object, or NULL (absent, or v is no object). */
wz_jv *wz_jv_get(const wz_jv *v, const char *key);
bool wz_jv_has(const wz_jv *v, const char *key);
bool wz_jv_is_object(const wz_jv *v);
/* A string's text, or NULL for anything else (null included). */
const char *wz_jv_string(const wz_jv *v);
bool wz_jv_get_bool(const wz_jv *obj, const char *key);
int64_t wz_jv_get_int(const wz_jv *obj, const char *key);
/* A whole number's value, 0 for anything else. */
int64_t wz_jv_int(const wz_jv *v);
/* An array's length (0 for anything else) and its i-th element. */
guint wz_jv_len(const wz_jv *v);
wz_jv *wz_jv_at(const wz_jv *v, guint i);

/* An object's member count, the i-th member's key and value (NULL past the end). */
guint wz_jv_members(const wz_jv *v);
const char *wz_jv_key(const wz_jv *v, guint i);
wz_jv *wz_jv_member(const wz_jv *v, guint i);

/* Reads JSON text: objects, arrays, strings, true, false, null and whole
 * numbers (what wenze writes).  A new tree, or NULL with *error (a static
 * string) saying what was expected. */
wz_jv *wz_jv_parse(const char *text, gsize len, const char **error);

/* Appends v, pretty-printed, to out. */
void wz_jv_print(GString *out, const wz_jv *v);

#endif
