/* facts_schema.c — fact schemas: what a policy says a fact file holds.
 *
 * A schema is built by the checker (or a test) field by field and owned by
 * the caller; the loader only reads it.  Besides construction this file
 * answers the questions every scanner asks of a schema: which field a
 * column or key names, and the field list a message about the wrong
 * columns or keys shows.
 */
#include "facts_internal.h"

#include <string.h>

static void field_schema_free(gpointer p)
{
    wz_field_schema *f = p;
    g_free(f->name);
    if (f->enum_values)
        g_ptr_array_unref(f->enum_values);
    g_free(f);
}

wz_fact_schema *wz_fact_schema_new(const char *name)
{
    wz_fact_schema *s = g_new0(wz_fact_schema, 1);
    s->name = g_strdup(name);
    s->fields = g_ptr_array_new_with_free_func(field_schema_free);
    s->key_field = -1;
    s->person_field = -1;
    s->date_field = -1;
    return s;
}

/* enum_values starts NULL: the caller sets it for ENUM fields, and
 * wz_fact_schema_free() unrefs it (so give it a g_free free func). */
wz_field_schema *wz_fact_schema_add_field(wz_fact_schema *s, const char *name, wz_field_type type)
{
    wz_field_schema *f = g_new0(wz_field_schema, 1);
    f->name = g_strdup(name);
    f->type = type;
    f->min = WZ_DEC_ZERO;
    f->max = WZ_DEC_ZERO;
    g_ptr_array_add(s->fields, f);
    return f;
}

void wz_fact_schema_free(wz_fact_schema *s)
{
    if (s == NULL)
        return;
    g_free(s->name);
    g_ptr_array_unref(s->fields);
    g_free(s);
}

const char *wz_field_type_name(wz_field_type t)
{
    switch (t) {
    case WZ_FT_TEXT: return "text";
    case WZ_FT_INT: return "int";
    case WZ_FT_DECIMAL: return "decimal";
    case WZ_FT_DATE: return "date";
    case WZ_FT_BOOL: return "bool";
    case WZ_FT_ENUM: return "enum";
    case WZ_FT_PERSON: return "person";
    }
    return "?";
}

/* "id, name, hire_date" for messages about the wrong columns or keys. */
void wz_facts_append_field_list(GString *m, const wz_fact_schema *s)
{
    for (guint i = 0; i < s->fields->len; i++) {
        const wz_field_schema *f = g_ptr_array_index(s->fields, i);
        if (i > 0)
            g_string_append(m, ", ");
        g_string_append(m, f->name);
    }
}

int wz_facts_field_index(const wz_fact_schema *s, const char *p, size_t len)
{
    for (guint i = 0; i < s->fields->len; i++) {
        const wz_field_schema *f = g_ptr_array_index(s->fields, i);
        if (strlen(f->name) == len && memcmp(f->name, p, len) == 0)
            return (int)i;
    }
    return -1;
}
