/* module.h — `import`: splicing standard-library and other policy files in.
 *
 * `import "ladders";` names a file of the standard library (stdlib/ladders.wz,
 * embedded into the binary); `import "common/duties.wz";` a file relative to
 * the importing one.  Each imported file is parsed on its own (its spans
 * point into its own source, so messages and findings cite it) and its items
 * take the place of the import, before any checking.  A file imported twice
 * is spliced in once; an import cycle is an error at the import that closes it.
 */
#ifndef WZ_MODULE_H
#define WZ_MODULE_H

#include "ast.h"
#include "diag.h"

/* Replaces the IMPORT items of root (parsed from src) by the imported items.
 * Every source it reads is appended to `sources` (wz_source*), which the
 * caller owns and must keep as long as the AST.  False after reporting
 * errors into diags. */
bool wz_resolve_imports(wz_node *root, const wz_source *src, GPtrArray *sources, wz_diags *diags);

/* The text of stdlib file `name` (with or without ".wz"), or NULL. */
const char *wz_stdlib_text(const char *name);

#endif
