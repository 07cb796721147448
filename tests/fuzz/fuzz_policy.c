/* fuzz_policy.c — policy text through the lexer, the parser, the checker, lint, the
 * compiler, the printers and fmt.  Any input must give a policy or diagnostics: no crash,
 * no hang, no leak, no undefined behaviour.  Seeds: tests/fuzz/corpus/policy (the shipped
 * policies and the language examples). */
#include "fuzz_util.h"

#include "ast.h"
#include "bytecode.h"
#include "check.h"
#include "compile.h"
#include "fmt.h"
#include "lint.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 64 * 1024) return 0;
    wz_diags *diags = wz_diags_new(50);
    wz_policy *p = wz_policy_load_text("fuzz.wz", (const char *)data, size, diags);
    if (p) {
        wz_lint(p, diags);
        wz_program *prog = wz_compile(p);
        if (prog) wz_program_free(prog);
        GString *ast = g_string_new(NULL);
        wz_ast_print(ast, p->ast, 0);
        g_string_free(ast, TRUE);
        fuzz_render_all(diags);   /* before the policy, which owns the source they point into */
        wz_diags_free(diags);
        wz_policy_free(p);
    } else {
        fuzz_render_all(diags);   /* a failed check handed its source to the diags */
        wz_diags_free(diags);
    }

    /* fmt parses and scans on its own, and must never change a token */
    wz_diags *fd = wz_diags_new(50);
    wz_source *src = wz_source_new("fuzz.wz", (const char *)data, size);
    char *out = wz_fmt(src, fd);
    for (guint i = 0; i < fd->items->len; i++) {
        const char *m = ((const wz_diag *)g_ptr_array_index(fd->items, i))->message;
        if (m && g_str_has_prefix(m, "fmt: internal error")) abort();   /* fmt's own check found a changed token */
    }
    g_free(out);
    wz_diags_free(fd);
    wz_source_free(src);
    return 0;
}
