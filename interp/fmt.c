/* fmt.c — `wenze fmt`: the canonical layout of a policy's text (fmt.h says what the
 * layout is).  Three steps: scan the text into tokens and comments (scan), lay them
 * out line by line (lay_out, then align_rows and place_comments), and re-scan the
 * result to prove that nothing but white space changed (same_elems).
 */
#include "fmt.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"
#include "parser.h"
#define YYSTYPE WZYYSTYPE
#define YYLTYPE WZYYLTYPE
#include "lexer.h"

enum {
    INDENT = 4,          /* columns per enclosing { }, and the least a continuation line adds */
    TAB_STOP = 8,        /* how a tab in the source is measured */
    CONTEXT = 3,         /* lines of context around a diff's changes */
    FMT_COMMENT = -100,  /* fmt_elem.kind of a comment (parser.h's tokens are ≥ 0) */
};

/* A token or a comment of the source, in source order. */
typedef struct fmt_elem {
    int kind;             /* a token of parser.h, or FMT_COMMENT */
    uint32_t start, end;  /* its bytes (a comment's without its trailing white space) */
    uint32_t line;        /* 0-based line of the source */
} fmt_elem;

/* One row of a table (KEY: VALUE;) on an output line: byte offsets into the line's code. */
typedef struct fmt_cell {
    guint start, key_end, end;   /* key_end: just after the ':' (0 when there is none) */
} fmt_cell;

/* One line of the output. */
typedef struct fmt_line {
    int indent;             /* columns */
    int orig;               /* the source column the line began at */
    GString *code;          /* the tokens, spaced, without the indent */
    const fmt_elem *comment;   /* a trailing or whole-line comment, or NULL */
    int comment_col;        /* its display column in the source */
    int comment_gap;        /* the columns between the code and a trailing comment in the source */
    int comment_at;         /* its display column in the output */
    bool blank_before;      /* a blank line stood before it in the source */
    guint block;            /* the table block whose rows the line holds (0: none) */
    bool rows_ok;           /* the line holds whole rows of that block and nothing else */
    GArray *cells;          /* fmt_cell */
} fmt_line;

/* A { } being laid out (the text itself is the outermost frame). */
typedef struct fmt_frame {
    int inner, close;       /* indent of the lines inside, and of the closing brace */
    bool expr;              /* classify { } or decide { }: the statement around it goes on after } */
    bool table;             /* the rows of a table */
    guint id;
    bool at_start;          /* the next token starts a statement */
    int paren;              /* ( ) open in this frame */
    int stmt_kind;          /* the first token of the current statement */
    int stmt_orig, stmt_new;   /* the source column and the new indent of its first line */
} fmt_frame;

typedef struct fmt_state {
    const wz_source *src;
    GArray *lines;          /* fmt_line */
    GArray *frames;         /* fmt_frame, the outermost first */
    guint blocks;           /* frame ids handed out */
    const fmt_elem *prev, *prev2;   /* the last two tokens */
    bool prev_sign;         /* prev is a '-' used as a sign */
    bool in_cell;           /* a table row on the current line is open */
} fmt_state;

/* ---- measuring ---- */

/* The display column reached from COL over S[0, LEN): a tab goes to the next tab stop,
 * a wide (CJK) character takes 2 columns, a byte that is not UTF-8 one. */
static int advance(int col, const char *s, size_t len) {
    const char *end = s + len;
    while (s < end) {
        gunichar c = g_utf8_get_char_validated(s, end - s);
        if (c == (gunichar)-1 || c == (gunichar)-2) {
            col++;
            s++;
            continue;
        }
        if (c == '\t') col = (col / TAB_STOP + 1) * TAB_STOP;
        else if (!g_unichar_iszerowidth(c)) col += g_unichar_iswide(c) ? 2 : 1;
        s = g_utf8_next_char(s);
    }
    return col;
}

static int width(const char *s, size_t len) { return advance(0, s, len); }

static uint32_t line_start(const wz_source *src, uint32_t line) {
    return g_array_index(src->line_starts, guint32, line);
}

static uint32_t line_of(const wz_source *src, uint32_t offset) {
    uint32_t line = 1;
    wz_source_position(src, offset, &line, NULL);
    return line - 1;
}

/* The display column of byte OFFSET in its source line. */
static int column_of(const wz_source *src, uint32_t offset) {
    uint32_t from = line_start(src, line_of(src, offset));
    return advance(0, src->text + from, offset - from);
}

/* The display width of the white space a source line starts with. */
static int line_indent(const wz_source *src, uint32_t line) {
    uint32_t at = line_start(src, line);
    while (at < src->len && (src->text[at] == ' ' || src->text[at] == '\t')) at++;
    return column_of(src, at);
}

/* ---- scanning ---- */

/* The comments in SRC[from, to), a gap between tokens: it holds only what the scanner
 * skips, white space and comments (`#` or `//` to the end of the line). */
static void add_comments(const wz_source *src, uint32_t from, uint32_t to, GArray *out) {
    const char *t = src->text;
    for (uint32_t i = from; i < to;) {
        if (t[i] != '#' && !(t[i] == '/' && i + 1 < to && t[i + 1] == '/')) {
            i++;
            continue;
        }
        uint32_t end = i;
        while (end < to && t[end] != '\n') end++;
        uint32_t trimmed = end;
        while (trimmed > i && (t[trimmed - 1] == ' ' || t[trimmed - 1] == '\t' || t[trimmed - 1] == '\r')) trimmed--;
        fmt_elem c = {FMT_COMMENT, i, trimmed, line_of(src, i)};
        g_array_append_val(out, c);
        i = end;
    }
}

/* The tokens and comments of SRC in order, or NULL when the scanner reports an error. */
static GArray *scan(const wz_source *src) {
    wz_diags *scratch = wz_diags_new(1);
    wz_parse_ctx ctx = {.src = src, .diags = scratch};
    yyscan_t scanner;
    if (wzyylex_init_extra(&ctx, &scanner) != 0) {
        wz_diags_free(scratch);
        return NULL;
    }
    GArray *out = g_array_new(FALSE, FALSE, sizeof(fmt_elem));
    YY_BUFFER_STATE buf = wzyy_scan_bytes(src->text, (int)src->len, scanner);
    uint32_t at = 0;
    for (;;) {
        WZYYSTYPE value;
        WZYYLTYPE loc;
        int kind = wzyylex(&value, &loc, scanner);
        if (kind == IDENT || kind == STRING) g_free(value.str);
        add_comments(src, at, kind == WZYYEOF ? (uint32_t)src->len : loc.start, out);
        if (kind == WZYYEOF) break;
        if (kind == WZYYerror || kind == WZYYUNDEF) {
            g_array_free(out, TRUE);
            out = NULL;
            break;
        }
        fmt_elem e = {kind, loc.start, loc.end, line_of(src, loc.start)};
        g_array_append_val(out, e);
        at = loc.end;
    }
    wzyy_delete_buffer(buf, scanner);
    wzyylex_destroy(scanner);
    wz_diags_free(scratch);
    return out;
}

/* ---- the spacing between two tokens on a line ---- */

/* Tokens that can be a name (parser.y's `name`: soft keywords are names too). */
static bool is_name(int k) {
    switch (k) {
    case IDENT: case DATE_KW: case TEXT: case KEY: case TOTAL: case GRADE: case STIPEND: case ROUND:
    case CUT: case FOR: case AWARD: case ENTITY: case KEEP: case ROLE: case FIRST: case DIRECT:
        return true;
    default:
        return false;
    }
}

/* Tokens an operand can end with: a '-' after one subtracts, after anything else it is a sign. */
static bool ends_operand(int k) {
    switch (k) {
    case NUMBER: case STRING: case DATE: case TRUE_KW: case FALSE_KW: case ')': case '}': case '%':
        return true;
    default:
        return is_name(k);
    }
}

/* Whether a '(' after PREV opens its arguments: a function's name, or enum.  A name after
 * any/all/each (a window group) or deduct/bonus (a rule's name) is followed by a space. */
static bool calls(const fmt_elem *prev, const fmt_elem *prev2) {
    if (prev->kind == ENUM) return true;
    if (!is_name(prev->kind)) return false;
    if (!prev2) return true;
    switch (prev2->kind) {
    case ANY: case ALL: case EACH: case DEDUCT: case BONUS:
        return false;
    default:
        return true;
    }
}

static bool space_before(const fmt_state *st, const fmt_elem *t) {
    const fmt_elem *prev = st->prev;
    switch (t->kind) {
    case ',': case ';': case ')': case '.': case ':':
        return false;
    case '%':
        if (prev->kind == NUMBER) return false;
        break;
    case '(':
        if (calls(prev, st->prev2)) return false;
        break;
    default:
        break;
    }
    if (prev->kind == '(' || prev->kind == '.') return false;
    if (st->prev_sign) return false;
    return true;
}

/* ---- laying out ---- */

static fmt_frame *top(fmt_state *st) { return &g_array_index(st->frames, fmt_frame, st->frames->len - 1); }

static fmt_line *line_at(const fmt_state *st, guint i) { return &g_array_index(st->lines, fmt_line, i); }

static int continuation(const fmt_frame *f, int orig) { return f->stmt_new + MAX(INDENT, orig - f->stmt_orig); }

/* Starts an output line for element E, which began at source column ORIG. */
static fmt_line *begin_line(fmt_state *st, const fmt_elem *e, int orig, bool blank) {
    if (st->in_cell) {   /* a row that goes on over lines is not aligned */
        line_at(st, st->lines->len - 1)->rows_ok = false;
        st->in_cell = false;
    }
    fmt_frame *f = top(st);
    int indent;
    if (e->kind == '}') indent = f->close;
    else if (f->at_start) indent = f->inner;
    else if (e->kind == '{') indent = f->stmt_new;   /* a brace on a line of its own */
    else indent = continuation(f, orig);
    fmt_line l = {.indent = indent, .orig = orig, .code = g_string_new(NULL), .blank_before = blank,
                  .cells = g_array_new(FALSE, TRUE, sizeof(fmt_cell))};
    g_array_append_val(st->lines, l);
    return line_at(st, st->lines->len - 1);
}

static void append_token(fmt_state *st, fmt_line *l, const fmt_elem *t) {
    const char *text = st->src->text + t->start;
    size_t len = t->end - t->start;
    if (t->kind == SO_ON && g_ascii_isalpha(text[0])) {
        g_string_append(l->code, "and so on");   /* one token: its inner spaces normalised */
        return;
    }
    if (t->kind == FOR_EACH && g_ascii_isalpha(text[0])) {
        g_string_append(l->code, "for each");    /* likewise */
        return;
    }
    g_string_append_len(l->code, text, len);
}

static void add_token(fmt_state *st, fmt_line *l, const fmt_elem *t) {
    fmt_frame *f = top(st);
    bool starts = f->at_start && t->kind != '}';
    if (l->code->len && space_before(st, t)) g_string_append_c(l->code, ' ');
    if (starts) {
        f->at_start = false;
        f->stmt_kind = t->kind;
        f->stmt_orig = l->orig;
        f->stmt_new = l->indent;
        if (f->table) {
            if (l->code->len == 0) {
                l->rows_ok = true;
                l->block = f->id;
            }
            if (l->rows_ok && l->block == f->id) {
                fmt_cell c = {.start = l->code->len};
                g_array_append_val(l->cells, c);
                st->in_cell = true;
            }
        }
    }
    if (!st->in_cell) l->rows_ok = false;
    append_token(st, l, t);
    fmt_cell *cell = st->in_cell ? &g_array_index(l->cells, fmt_cell, l->cells->len - 1) : NULL;

    switch (t->kind) {
    case '{': {
        bool expr = st->prev && (st->prev->kind == CLASSIFY || st->prev->kind == DECIDE);
        fmt_frame block = {.inner = l->indent + INDENT, .close = l->indent, .expr = expr,
                           .table = !expr && f->stmt_kind == TABLE, .id = ++st->blocks, .at_start = true};
        g_array_append_val(st->frames, block);
        break;
    }
    case '}':
        if (st->frames->len > 1) {
            bool expr = f->expr;
            g_array_set_size(st->frames, st->frames->len - 1);
            if (!expr) top(st)->at_start = true;   /* a block item ends with its } */
        }
        break;
    case '(':
        f->paren++;
        break;
    case ')':
        f->paren--;
        break;
    case ':':
        if (cell && !cell->key_end && f->paren == 0) cell->key_end = l->code->len;
        break;
    case ';':
        if (f->paren > 0) break;
        f->at_start = true;
        if (cell) {
            cell->end = l->code->len;
            if (!cell->key_end) l->rows_ok = false;
            st->in_cell = false;
        }
        break;
    default:
        break;
    }
    st->prev_sign = t->kind == '-' && !(st->prev && ends_operand(st->prev->kind));
    st->prev2 = st->prev;
    st->prev = t;
}

/* Builds the output lines from the elements. */
static void lay_out(fmt_state *st, const GArray *elems) {
    fmt_frame outer = {.at_start = true};
    g_array_append_val(st->frames, outer);
    uint32_t src_line = UINT32_MAX;
    fmt_line *l = NULL;
    for (guint i = 0; i < elems->len; i++) {
        const fmt_elem *e = &g_array_index(elems, fmt_elem, i);
        bool comment = e->kind == FMT_COMMENT;
        /* a second top-level item on a line starts a line of its own */
        bool split = l && e->line == src_line && !comment && st->frames->len == 1 && top(st)->at_start &&
                     l->code->len > 0;
        if (e->line != src_line) {
            bool blank = src_line != UINT32_MAX && e->line > src_line + 1;
            l = begin_line(st, e, line_indent(st->src, e->line), blank);
            src_line = e->line;
        } else if (split) {
            l = begin_line(st, e, column_of(st->src, e->start), false);
        }
        if (comment) {   /* a comment line is indented like the code it stands among (begin_line) */
            l->comment = e;
            l->comment_col = column_of(st->src, e->start);
            if (l->code->len) l->comment_gap = MAX(1, l->comment_col - column_of(st->src, st->prev->end));
            continue;
        }
        add_token(st, l, e);
    }
    if (st->in_cell && l) l->rows_ok = false;
}

/* ---- aligning ---- */

static bool row_line(const fmt_line *l) {
    if (!l->rows_ok || !l->block || !l->cells->len) return false;
    for (guint i = 0; i < l->cells->len; i++) {
        const fmt_cell *c = &g_array_index(l->cells, fmt_cell, i);
        if (!c->key_end || !c->end) return false;
    }
    return true;
}

static void pad(GString *s, int n) {
    for (int i = 0; i < n; i++) g_string_append_c(s, ' ');
}

/* Lines [from, to) hold one row each: their values start in one column. */
static void align_values(fmt_state *st, guint from, guint to) {
    int key_w = 0;
    for (guint i = from; i < to; i++) {
        const fmt_line *l = line_at(st, i);
        const fmt_cell *c = &g_array_index(l->cells, fmt_cell, 0);
        key_w = MAX(key_w, width(l->code->str + c->start, c->key_end - c->start));
    }
    for (guint i = from; i < to; i++) {
        fmt_line *l = line_at(st, i);
        const fmt_cell *c = &g_array_index(l->cells, fmt_cell, 0);
        GString *code = g_string_new_len(l->code->str, c->key_end);
        pad(code, key_w - width(l->code->str + c->start, c->key_end - c->start) + 1);
        g_string_append(code, l->code->str + c->key_end + 1);   /* the value, after its one space */
        g_string_free(l->code, TRUE);
        l->code = code;
    }
}

/* Lines [from, to) hold several rows each: the rows stand in columns. */
static void align_columns(fmt_state *st, guint from, guint to) {
    GArray *col_w = g_array_new(FALSE, TRUE, sizeof(int));
    for (guint i = from; i < to; i++) {
        const fmt_line *l = line_at(st, i);
        if (col_w->len < l->cells->len) g_array_set_size(col_w, l->cells->len);
        for (guint k = 0; k < l->cells->len; k++) {
            const fmt_cell *c = &g_array_index(l->cells, fmt_cell, k);
            int *w = &g_array_index(col_w, int, k);
            *w = MAX(*w, width(l->code->str + c->start, c->end - c->start));
        }
    }
    for (guint i = from; i < to; i++) {
        fmt_line *l = line_at(st, i);
        GString *code = g_string_new(NULL);
        for (guint k = 0; k < l->cells->len; k++) {
            const fmt_cell *c = &g_array_index(l->cells, fmt_cell, k);
            const char *text = l->code->str + c->start;
            g_string_append_len(code, text, c->end - c->start);
            if (k + 1 < l->cells->len) pad(code, g_array_index(col_w, int, k) - width(text, c->end - c->start) + 1);
        }
        g_string_free(l->code, TRUE);
        l->code = code;
    }
    g_array_free(col_w, TRUE);
}

/* Consecutive lines of rows of one table (no blank line between), one row a line or
 * several, are aligned together. */
static void align_rows(fmt_state *st) {
    for (guint i = 0; i < st->lines->len;) {
        const fmt_line *first = line_at(st, i);
        if (!row_line(first)) {
            i++;
            continue;
        }
        bool grid = first->cells->len > 1;
        guint j = i + 1;
        while (j < st->lines->len) {
            const fmt_line *l = line_at(st, j);
            if (!row_line(l) || l->block != first->block || l->blank_before || (l->cells->len > 1) != grid) break;
            j++;
        }
        if (grid) align_columns(st, i, j);
        else align_values(st, i, j);
        i = j;
    }
}

static bool trailing(const fmt_line *l) { return l->comment && l->code->len; }

/* A trailing comment keeps its distance from the code; comments of consecutive lines that
 * shared a column share one again, the nearest that keeps every distance. */
static void place_comments(fmt_state *st) {
    for (guint i = 0; i < st->lines->len; i++) {
        fmt_line *l = line_at(st, i);
        if (!trailing(l)) continue;
        l->comment_at = l->indent + width(l->code->str, l->code->len) + l->comment_gap;
    }
    for (guint i = 0; i < st->lines->len;) {
        const fmt_line *first = line_at(st, i);
        if (!trailing(first)) {
            i++;
            continue;
        }
        int at = first->comment_at;
        guint j = i + 1;
        for (; j < st->lines->len; j++) {
            const fmt_line *l = line_at(st, j);
            if (!trailing(l) || l->blank_before || l->comment_col != first->comment_col) break;
            at = MAX(at, l->comment_at);
        }
        for (guint k = i; k < j; k++) line_at(st, k)->comment_at = at;
        i = j;
    }
}

static char *render(const fmt_state *st) {
    GString *out = g_string_sized_new(st->src->len + 64);
    const fmt_line *prev = NULL;
    for (guint i = 0; i < st->lines->len; i++) {
        const fmt_line *l = line_at(st, i);
        bool after_open = prev && prev->code->len && prev->code->str[prev->code->len - 1] == '{';
        bool before_close = l->code->len && l->code->str[0] == '}';
        if (l->blank_before && prev && !after_open && !before_close) g_string_append_c(out, '\n');
        pad(out, l->indent);
        g_string_append_len(out, l->code->str, l->code->len);
        if (l->comment) {
            if (l->code->len) pad(out, l->comment_at - l->indent - width(l->code->str, l->code->len));
            g_string_append_len(out, st->src->text + l->comment->start, l->comment->end - l->comment->start);
        }
        g_string_append_c(out, '\n');
        prev = l;
    }
    return g_string_free(out, FALSE);
}

/* ---- checking the result ---- */

/* Whether B holds the tokens and comments of A, spelled the same (`and so on`, `for each` up to their spaces). */
static bool same_elems(const wz_source *a_src, const GArray *a, const wz_source *b_src, const GArray *b,
                       guint *differs) {
    for (guint i = 0; i < a->len; i++) {
        *differs = i;
        if (i >= b->len) return false;
        const fmt_elem *x = &g_array_index(a, fmt_elem, i), *y = &g_array_index(b, fmt_elem, i);
        if (x->kind != y->kind) return false;
        if (x->kind == SO_ON || x->kind == FOR_EACH) continue;
        if (x->end - x->start != y->end - y->start ||
            memcmp(a_src->text + x->start, b_src->text + y->start, x->end - x->start) != 0)
            return false;
    }
    *differs = a->len;
    return a->len == b->len;
}

static void state_clear(fmt_state *st) {
    for (guint i = 0; i < st->lines->len; i++) {
        fmt_line *l = line_at(st, i);
        g_string_free(l->code, TRUE);
        g_array_free(l->cells, TRUE);
    }
    g_array_free(st->lines, TRUE);
    g_array_free(st->frames, TRUE);
}

char *wz_fmt(const wz_source *src, wz_diags *diags) {
    /* as wz_policy_load_text: the scanner takes stray bytes in a comment, but a layout
     * re-scanned from them cannot be proved the same (was: an "internal error") */
    const char *bad = NULL;
    if (!g_utf8_validate(src->text, (gssize)src->len, &bad)) {
        uint32_t at = (uint32_t)(bad - src->text);
        wz_diag_at(diags, WZ_SEV_ERROR, wz_span_of(src, at, at + 1), "the policy is not valid UTF-8 here; save it as UTF-8");
        return NULL;
    }
    wz_node *root = wz_parse(src, diags);
    if (!root) return NULL;
    wz_node_free(root);
    GArray *elems = scan(src);
    if (!elems) {   /* the parser accepted what the scanner rejects: cannot be */
        wz_diag_plain(diags, WZ_DIAG_POLICY, WZ_SEV_ERROR, src->name, "fmt: internal error: the text does not scan");
        return NULL;
    }
    fmt_state st = {.src = src, .lines = g_array_new(FALSE, TRUE, sizeof(fmt_line)),
                    .frames = g_array_new(FALSE, TRUE, sizeof(fmt_frame))};
    lay_out(&st, elems);
    align_rows(&st);
    place_comments(&st);
    char *text = render(&st);
    state_clear(&st);

    wz_source *out = wz_source_new(src->name, text, strlen(text));
    GArray *again = scan(out);
    guint at = 0;
    if (!again || !same_elems(src, elems, out, again, &at)) {
        wz_span where = {src, (uint32_t)src->len, (uint32_t)src->len};
        if (at < elems->len) {
            const fmt_elem *e = &g_array_index(elems, fmt_elem, at);
            where = (wz_span){src, e->start, e->end};
        }
        wz_diag_at(diags, WZ_SEV_ERROR, where, "fmt: internal error: the layout would change this token; "
                                               "nothing was written (please report it)");
        g_free(text);
        text = NULL;
    }
    if (again) g_array_free(again, TRUE);
    wz_source_free(out);
    g_array_free(elems, TRUE);
    if (text && src->len >= 3 && !memcmp(src->text, "\xEF\xBB\xBF", 3)) {   /* a BOM is kept as the file had it */
        char *with = g_strconcat("\xEF\xBB\xBF", text, NULL);
        g_free(text);
        text = with;
    }
    return text;
}

/* ---- the diff ---- */

typedef struct diff_line {
    const char *s;
    int len;
    bool newline;   /* ends with '\n' (only the last line may not) */
} diff_line;

typedef struct diff_op {
    char op;        /* ' ', '-', '+' */
    guint a, b;     /* lines of the old and the new text before this one */
} diff_op;

static GArray *split_lines(const char *t) {
    GArray *lines = g_array_new(FALSE, FALSE, sizeof(diff_line));
    while (*t) {
        const char *nl = strchr(t, '\n');
        diff_line l = {t, nl ? (int)(nl - t) : (int)strlen(t), nl != NULL};
        g_array_append_val(lines, l);
        t = nl ? nl + 1 : t + l.len;
    }
    return lines;
}

static bool same_line(const diff_line *x, const diff_line *y) {
    return x->len == y->len && x->newline == y->newline && memcmp(x->s, y->s, x->len) == 0;
}

static void push_op(GArray *ops, char op, guint a, guint b) {
    diff_op o = {op, a, b};
    g_array_append_val(ops, o);
}

/* The edit script from A to B: the common prefix and suffix, and a longest common
 * subsequence of the rest (policies are small; past 16M cells the middle is replaced whole). */
static GArray *edit_script(const GArray *A, const GArray *B) {
    const diff_line *a = (const diff_line *)(void *)A->data, *b = (const diff_line *)(void *)B->data;
    guint n = A->len, m = B->len, pre = 0, suf = 0;
    while (pre < n && pre < m && same_line(&a[pre], &b[pre])) pre++;
    while (suf < n - pre && suf < m - pre && same_line(&a[n - 1 - suf], &b[m - 1 - suf])) suf++;
    GArray *ops = g_array_new(FALSE, FALSE, sizeof(diff_op));
    for (guint i = 0; i < pre; i++) push_op(ops, ' ', i, i);
    guint dn = n - pre - suf, dm = m - pre - suf;
    const diff_line *x = a + pre, *y = b + pre;
    if ((guint64)(dn + 1) * (dm + 1) <= 16u * 1024 * 1024) {
        /* len[i][j]: the LCS of x[i..] and y[j..] */
        guint32 *len = g_new0(guint32, (gsize)(dn + 1) * (dm + 1));
#define LEN(i, j) len[(gsize)(i) * (dm + 1) + (j)]
        for (guint i = dn; i-- > 0;)
            for (guint j = dm; j-- > 0;)
                LEN(i, j) = same_line(&x[i], &y[j]) ? LEN(i + 1, j + 1) + 1 : MAX(LEN(i + 1, j), LEN(i, j + 1));
        guint i = 0, j = 0;
        while (i < dn || j < dm) {
            if (i < dn && j < dm && same_line(&x[i], &y[j])) {
                push_op(ops, ' ', pre + i, pre + j);
                i++, j++;
            } else if (j == dm || (i < dn && LEN(i + 1, j) >= LEN(i, j + 1))) {
                push_op(ops, '-', pre + i, pre + j);
                i++;
            } else {
                push_op(ops, '+', pre + i, pre + j);
                j++;
            }
        }
#undef LEN
        g_free(len);
    } else {
        for (guint i = 0; i < dn; i++) push_op(ops, '-', pre + i, pre);
        for (guint j = 0; j < dm; j++) push_op(ops, '+', pre + dn, pre + j);
    }
    for (guint i = 0; i < suf; i++) push_op(ops, ' ', n - suf + i, m - suf + i);
    return ops;
}

static void range(GString *out, char sign, guint start, guint count) {
    if (count == 1) g_string_append_printf(out, "%c%u", sign, start + 1);
    else g_string_append_printf(out, "%c%u,%u", sign, count ? start + 1 : start, count);
}

char *wz_fmt_diff(const char *name, const char *old_text, const char *new_text) {
    if (!strcmp(old_text, new_text)) return NULL;
    GArray *A = split_lines(old_text), *B = split_lines(new_text);
    GArray *ops = edit_script(A, B);
    const diff_op *op = (const diff_op *)(void *)ops->data;
    GString *out = g_string_new(NULL);
    g_string_append_printf(out, "--- a/%s\n+++ b/%s\n", name, name);
    guint n = ops->len;
    for (guint i = 0; i < n;) {
        while (i < n && op[i].op == ' ') i++;
        if (i == n) break;
        /* the changes from i on, joined while no more than 2 × CONTEXT equal lines part them */
        guint end = i;
        for (;;) {
            while (end < n && op[end].op != ' ') end++;
            guint next = end;
            while (next < n && op[next].op == ' ') next++;
            if (next < n && next - end <= 2 * CONTEXT) end = next;
            else break;
        }
        guint from = i >= CONTEXT ? i - CONTEXT : 0, to = MIN(n, end + CONTEXT);
        guint a_count = 0, b_count = 0;
        for (guint k = from; k < to; k++) {
            a_count += op[k].op != '+';
            b_count += op[k].op != '-';
        }
        g_string_append(out, "@@ ");
        range(out, '-', op[from].a, a_count);
        g_string_append_c(out, ' ');
        range(out, '+', op[from].b, b_count);
        g_string_append(out, " @@\n");
        for (guint k = from; k < to; k++) {
            const diff_line *l = op[k].op == '+' ? &g_array_index(B, diff_line, op[k].b)
                                                 : &g_array_index(A, diff_line, op[k].a);
            g_string_append_c(out, op[k].op);
            g_string_append_len(out, l->s, l->len);
            g_string_append(out, l->newline ? "\n" : "\n\\ No newline at end of file\n");
        }
        i = to;
    }
    g_array_free(ops, TRUE);
    g_array_free(A, TRUE);
    g_array_free(B, TRUE);
    return g_string_free(out, FALSE);
}

/* ---- writing ---- */

static bool io_error(wz_diags *diags, const char *path, const char *what, int err) {
    wz_diag_plain(diags, WZ_DIAG_IO, WZ_SEV_ERROR, path, "cannot %s: %s", what, g_strerror(err));
    return false;
}

bool wz_fmt_write_file(const char *path, const char *text, size_t len, wz_diags *diags) {
    char *target = realpath(path, NULL);
    if (!target) return io_error(diags, path, "read the policy", errno);
    struct stat st;
    if (stat(target, &st) != 0) {
        int err = errno;
        free(target);
        return io_error(diags, path, "read the policy", err);
    }
    char *dir = g_path_get_dirname(target), *base = g_path_get_basename(target);
    char *tmp = g_strdup_printf("%s/.%s.tmp-XXXXXX", dir, base);
    bool ok = false;
    int err = 0;
    int fd = g_mkstemp_full(tmp, O_WRONLY, st.st_mode & 07777);
    if (fd < 0) {
        err = errno;
    } else {
        size_t done = 0;
        while (done < len) {
            ssize_t w = write(fd, text + done, len - done);
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) break;
            done += (size_t)w;
        }
        if (done < len || fchmod(fd, st.st_mode & 07777) != 0 || fsync(fd) != 0) err = errno;
        if (close(fd) != 0 && !err) err = errno;
        if (!err && rename(tmp, target) != 0) err = errno;
        if (err) g_unlink(tmp);
        ok = !err;
    }
    if (ok) {   /* make the rename itself durable */
        int dfd = open(dir, O_RDONLY);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
    } else {
        io_error(diags, path, "write the formatted policy", err ? err : EIO);
    }
    g_free(tmp);
    g_free(dir);
    g_free(base);
    free(target);
    return ok;
}
