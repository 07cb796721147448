/* check_units.c — units inside units: `entity group "教研组" in school;`.
 *
 * Schools organise responsibility in nested units (school ⊃ 教研组 / 年级组 /
 * 备课组): a post held at an enclosing unit answers for findings in the units
 * inside it — the 教研组长 at the group, the 校长 at the school.  Here the
 * checker makes sure each `in` names another kind, that no chain of them goes
 * round, and that the facts say which enclosing unit each unit is in: a
 * `one per KIND` fact with a field of the enclosing kind.  The run walks that
 * chain, innermost first (engine_blame.c).
 */
#include "check_internal.h"

#include <string.h>

/* The field of a one-per fact of `kind` that names an entity of `parent`:
 * sets *fact and *field, or leaves them -1.  The first such fact, in
 * declaration order. */
static void find_parent_field(checker *c, int kind, int parent, int *fact, int *field) {
    for (guint f = 0; f < c->p->facts->len && *fact < 0; f++) {
        const wz_fact_schema *s = check_fact_at(c, (int)f);
        if (s->entity != kind || !s->one_per_person) continue;
        const wz_node *fn = g_ptr_array_index(c->p->fact_nodes, f);
        for (guint i = 0; i < wz_node_nkids(fn) && *fact < 0; i++) {
            const wz_node *t = wz_node_kid(wz_node_kid(fn, i), 0);
            if (t->ival != WZ_T_ENTITY || check_kind_index(c, t->name) != parent) continue;
            *fact = (int)f;
            *field = check_field_index(s, wz_node_kid(fn, i)->name);
        }
    }
}

void check_units(checker *c) {
    GPtrArray *kinds = c->p->kinds;
    for (guint k = 1; k < kinds->len; k++) {
        wz_entity_kind *kind = g_ptr_array_index(kinds, k);
        const wz_node *n = kind->node;
        if (!n || !n->owner) continue;
        int parent = check_kind_index(c, n->owner);
        if (parent < 0) {
            char *hint = check_hint_name(c, n->owner, 1u << NAME_KIND);
            ERR(n->span, "'%s' is in '%s', which is not an entity kind, expecting one declared with 'entity %s;'%s", n->name, n->owner,
                n->owner, hint);
            g_free(hint);
            continue;
        }
        /* (a unit in a person cannot be written: 'person' is a type word, not a name) */
        kind->parent = parent;
        find_parent_field(c, (int)k, parent, &kind->parent_fact, &kind->parent_field);
        if (kind->parent_fact < 0)
            ERR(n->span, "'%s' is in '%s', but no fact says which %s each %s is in, expecting a field of type %s on a "
                         "'one per %s' fact, as in 'fact %s_units one per %s { %s: %s; %s: %s; }'",
                n->name, n->owner, n->owner, n->name, n->owner, n->name, n->name, n->name, n->name, n->name, n->owner, n->owner);
    }
    for (guint k = 1; k < kinds->len; k++) {   /* no unit is inside itself */
        const wz_entity_kind *kind = g_ptr_array_index(kinds, k);
        int up = kind->parent;
        for (guint steps = 0; up > 0 && steps < kinds->len; steps++) {
            if (up == (int)k) {
                ERR(kind->node->span, "'%s' is inside itself through 'in'; units nest one way, as a 教研组 in its school", kind->name);
                break;
            }
            up = ((const wz_entity_kind *)g_ptr_array_index(kinds, (guint)up))->parent;
        }
    }
}
