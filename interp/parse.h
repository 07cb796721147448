/* parse.h — turning policy source text into an AST (grammar/lexer.l + parser.y).
 *
 * The scanner and parser are reentrant (no globals): all state lives in a
 * wz_parse_ctx for the duration of one wz_parse() call.
 */
#ifndef WZ_PARSE_H
#define WZ_PARSE_H

#include "ast.h"
#include "diag.h"

typedef struct wz_parse_ctx {
    const wz_source *src;
    wz_diags *diags;
    wz_node *root;       /* POLICY node being built */
    void *scanner;       /* yyscan_t */
    uint32_t offset;     /* scanner's byte offset into src->text */
    uint32_t prev_end;   /* where the token before the last one read ends: a missing ';' belongs there */
} wz_parse_ctx;

/* Reports that n nests more than WZ_MAX_DEPTH levels, at its first byte. */
void wz_parse_too_deep(wz_parse_ctx *ctx, const wz_node *n);

/* Parses src.  Returns a new POLICY node (caller frees with wz_node_free),
 * or NULL after reporting syntax errors into diags. */
wz_node *wz_parse(const wz_source *src, wz_diags *diags);

/* The i-th keyword's English and Chinese spellings (grammar/parser.y's table,
 * for "did you mean"); false past the last.  test_parser checks that each
 * pair scans as one token, as grammar/lexer.l says. */
bool wz_keyword_at(unsigned i, const char **en, const char **zh);

#endif
