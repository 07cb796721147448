/* parse.c — runs the reentrant scanner and parser over one source text. */
#include "parse.h"

#include "parser.h"
#define YYSTYPE WZYYSTYPE
#define YYLTYPE WZYYLTYPE
#include "lexer.h"

int wzyyparse(void *scanner, wz_parse_ctx *ctx);

void wz_parse_too_deep(wz_parse_ctx *ctx, const wz_node *n) {
    wz_diag_at(ctx->diags, WZ_SEV_ERROR, wz_span_of(ctx->src, n->span.start, n->span.start + 1),
               "this expression nests more than %d levels deep (operators, brackets and calls inside one "
               "another); split it into named values with 'let'", WZ_MAX_DEPTH);
}

wz_node *wz_parse(const wz_source *src, wz_diags *diags) {
    wz_parse_ctx ctx = {.src = src, .diags = diags};
    guint errors_before = diags->errors + diags->dropped;
    yyscan_t scanner;
    if (wzyylex_init_extra(&ctx, &scanner) != 0) {
        wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, src->name, "cannot start the scanner");
        return NULL;
    }
    ctx.scanner = scanner;
    YY_BUFFER_STATE buf = wzyy_scan_bytes(src->text, (int)src->len, scanner);
    int rc = wzyyparse(scanner, &ctx);
    wzyy_delete_buffer(buf, scanner);
    wzyylex_destroy(scanner);
    const wz_node *deep = rc == 0 ? wz_node_too_deep(ctx.root, WZ_MAX_DEPTH) : NULL;
    if (deep) wz_parse_too_deep(&ctx, deep);
    if (rc != 0 || deep || diags->errors + diags->dropped > errors_before) {
        wz_node_free(ctx.root);
        return NULL;
    }
    return ctx.root;
}

