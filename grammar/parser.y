/* parser.y — grammar of the wenze policy language.
 *
 * Pure, reentrant, with byte-span locations.  Actions only build AST nodes
 * (interp/ast.h); every meaning is decided later by interp/check.c.
 * docs/LANGUAGE.md is the reference for what each construct means.
 */
%require "3.7"
%define api.pure full
%define api.prefix {wzyy}
%define api.location.type {wz_span}
%define parse.error custom
%define parse.lac full
%locations
%expect 0
%param {void *scanner}
%parse-param {wz_parse_ctx *ctx}

%code requires {
#include "parse.h"
}

%code provides {
int wzyylex(WZYYSTYPE *yylval, WZYYLTYPE *yylloc, void *scanner);
}

%code {
#include <string.h>

#include "i18n.h"
#include "suggest.h"

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                   \
    do {                                                              \
        if (N) {                                                      \
            (Cur).src = YYRHSLOC(Rhs, 1).src;                         \
            (Cur).start = YYRHSLOC(Rhs, 1).start;                     \
            (Cur).end = YYRHSLOC(Rhs, N).end;                         \
        } else {                                                      \
            (Cur).src = YYRHSLOC(Rhs, 0).src;                         \
            (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;           \
        }                                                             \
    } while (0)

static void wzyyerror(const wz_span *loc, void *scanner, wz_parse_ctx *ctx, const char *msg);

static wz_node *mk(wz_node_kind k, wz_span sp) { return wz_node_new(k, sp); }
static wz_node *mk_name(wz_node_kind k, wz_span sp, char *name) {
    wz_node *n = wz_node_new(k, sp);
    n->name = name;
    return n;
}
static wz_node *mk_bin(int op, wz_span sp, wz_node *a, wz_node *b) {
    wz_node *n = wz_node_new(WZ_N_BINARY, sp);
    n->op = op;
    wz_node_add(n, a);
    wz_node_add(n, b);
    return n;
}
/* A left-associative chain (1+1+…+1) grows the tree, not Bison's stack: stop it as soon as
 * it passes WZ_MAX_DEPTH, instead of building millions of nodes only to refuse them after
 * (the symbols of the rule are not reclaimed on YYABORT: $$, which owns them, is freed). */
#define DEEP(n)                                                       \
    do {                                                              \
        if ((n)->depth > WZ_MAX_DEPTH) {                              \
            wz_parse_too_deep(ctx, (n));                              \
            wz_node_free(n);                                          \
            YYABORT;                                                  \
        }                                                             \
    } while (0)
static wz_node *mk_type(wz_span sp, wz_type_kind t) {
    wz_node *n = wz_node_new(WZ_N_TYPE, sp);
    n->ival = t;
    return n;
}
/* Adds the optional clauses of a rule in their fixed slots. */
/* A DISTRIBUTE node from its head (pool, name, words) and its items (kids
 * [pool slot, basis slot, stipend] + shares): ival = places, label = rounding. */
static wz_node *dist_node(wz_node *head, wz_node *items, wz_span sp, wz_span basis_sp, char *basis, int64_t places, char *method) {
    items->kind = WZ_N_DISTRIBUTE;
    items->span = sp;
    items->ival = places;
    items->label = method;
    items->name = head->name;
    items->text = head->text;
    head->name = head->text = NULL;
    g_ptr_array_index(items->kids, 0) = wz_node_kid(head, 0);
    g_ptr_array_set_size(head->kids, 0);
    wz_node_free(head);
    g_ptr_array_index(items->kids, 1) = mk_name(WZ_N_IDENT, basis_sp, basis);
    return items;
}
static wz_node *rule_slot(wz_node *rule, int slot, wz_node *v) {
    if (rule->kids->pdata[slot]) wz_node_free(rule->kids->pdata[slot]);
    rule->kids->pdata[slot] = v;
    return rule;
}
}

%union {
    char *str;
    wz_dec num;
    wz_date date;
    int64_t ival;
    wz_node *node;
}

%token POLICY "policy" VERSION "version" EFFECTIVE "effective" DISPLAY "display" IMPORT "import"
%token PARAM "param" PERIOD "period" SPLIT "split" INTO "into" AT "at" FROM "from" TO "to"
%token FACT "fact" PERSONS "persons" KEY "key" DATED "dated" BY "by" ONE "one" PER "per"
%token PERSON "person" EVERY "every" OPTIONAL "optional"
%token TEXT "text" INT "int" DECIMAL "decimal" DATE_KW "date" BOOL_KW "bool" ENUM "enum"
%token LET "let" SECTION "section" POINTS "points" FLOOR "floor" CAP "cap"
%token DEDUCT "deduct" BONUS "bonus" FREE "free" WHEN "when"
%token IF "if" THEN "then" ELSE "else" AND "and" OR "or" NOT "not" IN "in" WHERE "where"
%token ALL "all" ANY "any" EACH "each" CLASSIFY "classify" OTHERWISE "otherwise"
%token LADDER "ladder" SANCTION "sanction" TIER "tier" CUT "cut" GRADE "grade" EXCLUDE "exclude"
%token NOTICE "notice" TOTAL "total" DISTRIBUTE "distribute" STIPEND "stipend" ROUND "round"
%token FOR "for" ENTITY "entity" AWARD "award" KEEP "keep" LIMIT "limit" DESC "desc" ASC "asc"
%token RESPONSIBLE "responsible" FIRST "first" DIRECT "direct" REPORTS_TO "reports_to"
%token DECIDE "decide" OVERRIDES "overrides" SHARING "sharing"
%token TEST "test" EXPECT "expect" ROWS "rows" HISTORY "history"
%token ZERO "zero" COUNTS "counts" WITHIN "within"
%token ROLE "role" DUTY "duty" TRUE_KW "true" FALSE_KW "false" TABLE "table" SO_ON "and so on"
%token FOR_EACH "for each"
%token EQ "==" NE "!=" LE "<=" GE ">=" COALESCE "??" DOTDOT ".."
%token <str> IDENT "name" STRING "string"
%token <num> NUMBER "number"
%token <date> DATE "date literal"

%type <node> item items header_opts param period split fact fact_mods fields field type
%type <node> enum_members let section section_opts section_body rules rule rule_opts
%type <node> ladder tiers tier effects effect sanction notice total grade
%type <node> distribute dist_head dist_items dist_item role duties duty table table_rows table_row entity award keep keep_names
%type <node> expr primary args cases rule_amount case opt_where range date_list sort_keys sort_key
%type <node> blame blame_items blame_item blame_measure blame_who opt_when opt_each each_clause decide_cases decide_case name_list
%type <node> test test_items test_item test_rows
%type <str> name opt_label expect_who expect_path
%type <ival> zero_choice

%destructor { g_free($$); } <str>
%destructor { wz_node_free($$); } <node>

%left OR
%left AND
%precedence NOT
%nonassoc EQ NE '<' LE '>' GE IN
%left COALESCE
%left '+' '-'
%left '*' '/'
%precedence UMINUS

%%

policy: items { ctx->root = $1; }
      ;

items: %empty          { $$ = mk(WZ_N_POLICY, @$); }
     | items item      { $$ = $1; if ($2) wz_node_add($$, $2); $$->span.end = @2.end; }
     | items error ';' { $$ = $1; }
     | items error '}' { $$ = $1; }
     ;

item: POLICY STRING header_opts ';'  { $$ = $3; $$->text = $2; $$->span = @$; }
    | DISPLAY NUMBER ';'           { $$ = mk(WZ_N_DISPLAY, @$); int64_t v = 0; wz_dec_to_int64($2, &v); $$->ival = v; $$->num = $2; }
    | IMPORT STRING ';'            { $$ = mk(WZ_N_IMPORT, @$); $$->text = $2; }
    | param | period | split | fact | let | section | ladder | sanction | notice | total | grade
    | distribute | role | table | entity | award | keep | test
    ;

/* A policy test (a *.test.wz file that imports the policy):
 *   test "NAME" { from "FACTS_DIR"; history "DIR"; rows FACT { CELL, …; … } param NAME = VALUE; expect WHO PATH == VALUE; }
 * Grammar only: interp/policytest.c gives it its meaning. */
test: TEST STRING '{' test_items '}'   { $$ = $4; $$->text = $2; $$->span = @$; }
    ;
test_items: %empty               { $$ = mk(WZ_N_TEST, @$); }
          | test_items test_item { $$ = $1; wz_node_add($$, $2); }
          ;
test_item: FROM STRING ';'                  { $$ = mk(WZ_N_TEST_FROM, @$); $$->text = $2; }
         | HISTORY STRING ';'               { $$ = mk(WZ_N_TEST_HISTORY, @$); $$->text = $2; }
         | ROWS name '{' test_rows '}'      { $$ = $4; $$->name = $2; $$->span = @$; }
         | PARAM name '=' expr ';'          { $$ = mk_name(WZ_N_TEST_PARAM, @$, $2); wz_node_add($$, $4); }
         | EXPECT expect_who expect_path EQ expr ';'
                                            { $$ = mk_name(WZ_N_EXPECT, @$, $3); $$->text = $2; wz_node_add($$, $5); }
         ;
test_rows: %empty                { $$ = mk(WZ_N_ROWS, @$); }
         | test_rows args ';'    { $$ = $1; $2->kind = WZ_N_ROW; wz_node_add($$, $2); }
         ;
/* whose value: a person's id or an entity's key, as a name or a quoted text */
expect_who: IDENT | STRING
          | NUMBER               { $$ = wz_dec_to_string($1, 0, 30); }
          ;
expect_path: name                { $$ = $1; }
           | expect_path '.' name { $$ = g_strdup_printf("%s.%s", $1, $3); g_free($1); g_free($3); }
           ;
/* keep NAME, … ;  — values each run records (kept.csv) for later periods' previous() and streak() */
keep: KEEP keep_names ';'  { $$ = $2; $$->span = @$; }
    ;
keep_names: name                 { $$ = mk(WZ_N_KEEP, @$); wz_node_add($$, mk_name(WZ_N_IDENT, @1, $1)); }
          | keep_names ',' name  { $$ = $1; wz_node_add($$, mk_name(WZ_N_IDENT, @3, $3)); }
          ;
/* entity KIND ["label"] [in KIND] ;  — a kind of entity beyond the person: school, teacher,
 * class; `in` nests it in another (a 教研组 in its school) */
entity: ENTITY name opt_label ';'          { $$ = mk_name(WZ_N_ENTITY, @$, $2); $$->text = $3; }
      | ENTITY name opt_label IN name ';'  { $$ = mk_name(WZ_N_ENTITY, @$, $2); $$->text = $3; $$->owner = $5; }
      ;
/* award NAME ["label"] = AMOUNT [when COND] ;  — money to (+) or from (−) each entity */
award: AWARD name opt_label '=' expr opt_when opt_each blame ';' {
           $$ = mk_name(WZ_N_AWARD, @$, $2); $$->text = $3;
           wz_node_add($$, $5); wz_node_add($$, $6); wz_node_add($$, $8); wz_node_add($$, $7);
       }
     ;
/* for each FACT [where COND]  — one award or sanction per row of FACT (an incident);
 * for each W [where COND]  — one per window of group W (a month) */
opt_each: %empty                      { $$ = NULL; }
        | each_clause                 { $$ = $1; }
        ;
each_clause: FOR_EACH name opt_where  { $$ = mk_name(WZ_N_EACH, @$, $2); wz_node_add($$, $3); }
        ;
opt_when: %empty      { $$ = NULL; }
        | WHEN expr   { $$ = $2; }
        ;
/* Who answers for a finding: [duty ROLE.N] [responsible first ROLE [P%], direct ROLE [P%], …] */
blame: %empty                          { $$ = NULL; }
     | blame DUTY name '.' NUMBER      {
           $$ = $1 ? $1 : mk(WZ_N_BLAME, @2);
           $$->span.end = @5.end;
           wz_node *d = mk_name(WZ_N_DUTY, (wz_span){@3.src, @3.start, @5.end}, $3);
           int64_t v = 0; wz_dec_to_int64($5, &v); d->ival = v; d->num = $5;
           wz_node_add($$, d);
       }
     | blame RESPONSIBLE blame_items   {
           $$ = $1 ? $1 : mk(WZ_N_BLAME, @2);
           $$->span.end = @3.end;
           for (guint i = 0; i < wz_node_nkids($3); i++) wz_node_add($$, wz_node_kid($3, i));
           g_ptr_array_set_size($3->kids, 0); wz_node_free($3);
       }
     ;
blame_items: blame_item                  { $$ = mk(WZ_N_BLAME, @$); wz_node_add($$, $1); }
           | blame_items ',' blame_item  { $$ = $1; wz_node_add($$, $3); }
           ;
/* Who, with an optional share (50%; "全部责任" is 100%) and the measure the rule
 * gives that role itself, the leader's own, never the offender's: on a sanction a
 * tier (`tier 诫勉谈话`), on an award an amount read from each holder's own facts
 * (`first 校长 = -2 * staff.monthly_merit_pay`).  Every combination parses; the
 * checker says which ones mean something (a share and an own amount do not). */
blame_item: blame_measure                       { $$ = $1; }
          | blame_measure '=' expr              {
                $$ = $1; $$->span.end = @3.end;
                if (wz_node_nkids($$) == 0) wz_node_add($$, NULL);   /* kids: [tier-or-NULL, amount] */
                wz_node_add($$, $3);
            }
          ;
blame_measure: blame_who                        { $$ = $1; }
          | blame_who NUMBER '%'                { $$ = $1; $$->span.end = @3.end; $$->op = 1; wz_dec_div($2, wz_dec_from_int(100), &$$->num); }
          | blame_who TIER name                 { $$ = $1; $$->span.end = @3.end; wz_node_add($$, mk_name(WZ_N_IDENT, @3, $3)); }
          | blame_who NUMBER '%' TIER name      {
                $$ = $1; $$->span.end = @5.end; $$->op = 1; wz_dec_div($2, wz_dec_from_int(100), &$$->num);
                wz_node_add($$, mk_name(WZ_N_IDENT, @5, $5));
            }
          ;
/* first ROLE | direct ROLE | ROLE, or FACT.FIELD: the role (a goal's lead post)
 * or the person (an accident's class teacher) the entity's own row names */
blame_who: FIRST name              { $$ = mk_name(WZ_N_RESPONSIBLE, @$, $2); $$->ival = WZ_RESP_FIRST; }
         | DIRECT name             { $$ = mk_name(WZ_N_RESPONSIBLE, @$, $2); $$->ival = WZ_RESP_DIRECT; }
         | name                    { $$ = mk_name(WZ_N_RESPONSIBLE, @$, $1); $$->ival = WZ_RESP_PLAIN; }
         | FIRST name '.' name     { $$ = mk_name(WZ_N_RESPONSIBLE, @$, $2); $$->text = $4; $$->ival = WZ_RESP_FIRST; $$->ref_index = -1; }
         | DIRECT name '.' name    { $$ = mk_name(WZ_N_RESPONSIBLE, @$, $2); $$->text = $4; $$->ival = WZ_RESP_DIRECT; $$->ref_index = -1; }
         | name '.' name           { $$ = mk_name(WZ_N_RESPONSIBLE, @$, $1); $$->text = $3; $$->ival = WZ_RESP_PLAIN; $$->ref_index = -1; }
         ;

/* policy "name" version "v" effective D to D ; */
header_opts: %empty                          { $$ = mk(WZ_N_HEADER, @$); }
           | header_opts VERSION STRING      { $$ = $1; g_free($$->name); $$->name = $3; }
           | header_opts EFFECTIVE DATE TO DATE {
                 $$ = $1;
                 wz_node *a = mk(WZ_N_DATE, @3); a->date = $3;
                 wz_node *b = mk(WZ_N_DATE, @5); b->date = $5;
                 wz_node_add($$, a); wz_node_add($$, b);
             }
           ;

/* param NAME : TYPE [= DEFAULT] ; */
param: PARAM name ':' type ';'            { $$ = mk_name(WZ_N_PARAM, @$, $2); wz_node_add($$, $4); wz_node_add($$, NULL); }
     | PARAM name ':' type '=' expr ';'   { $$ = mk_name(WZ_N_PARAM, @$, $2); wz_node_add($$, $4); wz_node_add($$, $6); }
     ;

/* period NAME from EXPR to EXPR ; */
period: PERIOD name FROM expr TO expr ';' { $$ = mk_name(WZ_N_PERIOD, @$, $2); wz_node_add($$, $4); wz_node_add($$, $6); }
      ;

/* split PERIOD into WINDOWS at EXPR, … ;   split PERIOD into WINDOWS every month|week ; (the unit checked later) */
split: SPLIT name INTO name AT date_list ';' { $$ = $6; $$->kind = WZ_N_SPLIT; $$->span = @$; $$->text = $2; $$->name = $4; }
     | SPLIT name INTO name EVERY name ';' {
           $$ = mk(WZ_N_SPLIT, @$); $$->text = $2; $$->name = $4; $$->label = $6;
       }
     | SPLIT name INTO name PER name ';' {   /* 划分 学年 为 月份 每 月; */
           $$ = mk(WZ_N_SPLIT, @$); $$->text = $2; $$->name = $4; $$->label = $6;
       }
     ;
date_list: expr                { $$ = mk(WZ_N_SPLIT, @$); wz_node_add($$, $1); }
         | date_list ',' expr  { $$ = $1; wz_node_add($$, $3); }
         ;

/* fact NAME MODIFIERS { FIELD; … } */
fact: FACT name fact_mods '{' fields '}' {
          $$ = $5; $$->kind = WZ_N_FACT; $$->span = @$; $$->name = $2;
          $$->ival = $3->ival; $$->text = $3->text; $3->text = NULL;
          $$->label = $3->label; $3->label = NULL;
          $$->owner = $3->owner; $3->owner = NULL; wz_node_free($3);
      }
    ;
fact_mods: %empty                        { $$ = mk(WZ_N_FACT, @$); }
         | fact_mods PERSONS KEY name    { $$ = $1; $$->ival |= WZ_FACT_PERSONS; g_free($$->text); $$->text = $4; }
         | fact_mods DATED BY name       { $$ = $1; $$->ival |= WZ_FACT_DATED; g_free($$->label); $$->label = $4; }
         | fact_mods ONE PER PERSON      { $$ = $1; $$->ival |= WZ_FACT_ONE_PER_PERSON; }
         | fact_mods EVERY PERSON        { $$ = $1; $$->ival |= WZ_FACT_EVERY_PERSON | WZ_FACT_ONE_PER_PERSON; }
         | fact_mods OPTIONAL            { $$ = $1; $$->ival |= WZ_FACT_OPTIONAL; }
         /* rows of an entity kind: `for school`, `one per school`, `every school` */
         | fact_mods FOR name            { $$ = $1; g_free($$->owner); $$->owner = $3; }
         | fact_mods FOR PERSON          { $$ = $1; g_free($$->owner); $$->owner = g_strdup("person"); }
         | fact_mods ONE PER name        { $$ = $1; $$->ival |= WZ_FACT_ONE_PER_PERSON; g_free($$->owner); $$->owner = $4; }
         | fact_mods EVERY name          { $$ = $1; $$->ival |= WZ_FACT_EVERY_PERSON | WZ_FACT_ONE_PER_PERSON; g_free($$->owner); $$->owner = $3; }
         ;
fields: %empty        { $$ = mk(WZ_N_FACT, @$); }
      | fields field  { $$ = $1; wz_node_add($$, $2); }
      | fields error ';' { $$ = $1; }
      ;
/* NAME : TYPE [in MIN .. MAX] [optional] ; */
field: name ':' type range ';'           { $$ = mk_name(WZ_N_FIELD, @$, $1); wz_node_add($$, $3); wz_node_add($$, wz_node_kid($4, 0)); wz_node_add($$, wz_node_kid($4, 1)); if ($4) { g_ptr_array_set_size($4->kids, 0); wz_node_free($4); } }
     | name ':' type range OPTIONAL ';'  { $$ = mk_name(WZ_N_FIELD, @$, $1); $$->ival = 1; wz_node_add($$, $3); wz_node_add($$, wz_node_kid($4, 0)); wz_node_add($$, wz_node_kid($4, 1)); if ($4) { g_ptr_array_set_size($4->kids, 0); wz_node_free($4); } }
     ;
range: %empty                   { $$ = NULL; }
     | IN expr DOTDOT expr      { $$ = mk(WZ_N_FIELD, @$); wz_node_add($$, $2); wz_node_add($$, $4); }
     ;
type: TEXT                      { $$ = mk_type(@$, WZ_T_TEXT); }
    | INT                       { $$ = mk_type(@$, WZ_T_INT); }
    | DECIMAL                   { $$ = mk_type(@$, WZ_T_NUMBER); }
    | DATE_KW                   { $$ = mk_type(@$, WZ_T_DATE); }
    | BOOL_KW                   { $$ = mk_type(@$, WZ_T_BOOL); }
    | PERSON                    { $$ = mk_type(@$, WZ_T_PERSON); }
    | ENUM '(' enum_members ')' { $$ = $3; $$->span = @$; }
    | IDENT                     { $$ = mk_name(WZ_N_TYPE, @$, $1); $$->ival = WZ_T_ENTITY; }
    | ROLE                      { $$ = mk_name(WZ_N_TYPE, @$, g_strdup("role")); $$->ival = WZ_T_ENTITY; }
    ;
enum_members: name                  { $$ = mk_type(@$, WZ_T_ENUM); wz_node_add($$, mk_name(WZ_N_IDENT, @1, $1)); }
            | enum_members ',' name { $$ = $1; wz_node_add($$, mk_name(WZ_N_IDENT, @3, $3)); }
            ;

/* let NAME = EXPR ; */
let: LET name '=' expr ';'   { $$ = mk_name(WZ_N_LET, @$, $2); wz_node_add($$, $4); }
   /* let FACT.NAME = EXPR ;  — a row value: EXPR over each row of a many-rows fact */
   | LET name '.' name '=' expr ';' { $$ = mk_name(WZ_N_ROW_LET, @$, $4); $$->label = $2; wz_node_add($$, $6); }
   ;

/* section NAME ["label"] [points N] [floor N] [cap N] { RULES } | = EXPR ; */
section: SECTION name opt_label section_opts section_body {
             $$ = $4; $$->kind = WZ_N_SECTION; $$->span = @$; $$->name = $2; $$->text = $3;
             /* slot 3 is the formula; rules follow */
             g_ptr_array_index($$->kids, 3) = wz_node_kid($5, 0);
             for (guint i = 1; i < wz_node_nkids($5); i++) wz_node_add($$, wz_node_kid($5, i));
             g_ptr_array_set_size($5->kids, 0); wz_node_free($5);
         }
       ;
section_opts: %empty { $$ = mk(WZ_N_SECTION, @$); for (int i = 0; i < 4; i++) wz_node_add($$, NULL); }
            | section_opts POINTS primary { $$ = $1; wz_node_free(g_ptr_array_index($$->kids, 0)); g_ptr_array_index($$->kids, 0) = $3; }
            | section_opts FLOOR primary  { $$ = $1; wz_node_free(g_ptr_array_index($$->kids, 1)); g_ptr_array_index($$->kids, 1) = $3; }
            | section_opts CAP primary    { $$ = $1; wz_node_free(g_ptr_array_index($$->kids, 2)); g_ptr_array_index($$->kids, 2) = $3; }
            ;
section_body: '{' rules '}'   { $$ = $2; }
            | '=' expr ';'    { $$ = mk(WZ_N_SECTION, @$); wz_node_add($$, $2); }
            ;
rules: %empty        { $$ = mk(WZ_N_SECTION, @$); wz_node_add($$, NULL); }
     | rules rule    { $$ = $1; wz_node_add($$, $2); }
     | rules error ';' { $$ = $1; }
     ;
/* deduct NAME ["label"] AMOUNT [per QTY [free N [per WINDOWS]]] [cap N] [when COND] ; */
rule: DEDUCT name opt_label rule_amount rule_opts ';' { $$ = $5; $$->span = @$; $$->ival = -1; $$->name = $2; $$->text = $3; rule_slot($$, 0, $4); }
    | BONUS name opt_label rule_amount rule_opts ';'  { $$ = $5; $$->span = @$; $$->ival = +1; $$->name = $2; $$->text = $3; rule_slot($$, 0, $4); }
    ;
/* A rule's amount is a number or a parenthesised expression, so that a
 * following "label" can never be mistaken for it. */
rule_amount: NUMBER        { $$ = mk(WZ_N_NUMBER, @$); $$->num = $1; }
           | '(' expr ')'  { $$ = $2; }
           ;
rule_opts: %empty                        { $$ = mk(WZ_N_RULE, @$); for (int i = 0; i < 7; i++) wz_node_add($$, NULL); }
         | rule_opts PER primary         { $$ = rule_slot($1, 1, $3); }
         | rule_opts FREE primary PER name { $$ = rule_slot(rule_slot($1, 2, $3), 3, mk_name(WZ_N_IDENT, @5, $5)); }
         | rule_opts CAP primary         { $$ = rule_slot($1, 4, $3); }
         | rule_opts WHEN expr           { $$ = rule_slot($1, 5, $3); }
         | rule_opts each_clause         { $$ = rule_slot($1, 6, $2); }
         ;

/* ladder NAME ["label"] { TIER ["label"] : EFFECT, … ; … }  — tiers from mildest to most severe */
ladder: LADDER name opt_label '{' tiers '}' { $$ = $5; $$->kind = WZ_N_LADDER; $$->span = @$; $$->name = $2; $$->text = $3; }
      ;
tiers: %empty      { $$ = mk(WZ_N_LADDER, @$); }
     | tiers tier  { $$ = $1; wz_node_add($$, $2); }
     | tiers error ';' { $$ = $1; }
     ;
tier: name opt_label ';'                 { $$ = mk_name(WZ_N_TIER, @$, $1); $$->text = $2; }
    | name opt_label ':' effects ';'     { $$ = $4; $$->kind = WZ_N_TIER; $$->span = @$; $$->name = $1; $$->text = $2; }
    ;
effects: effect              { $$ = mk(WZ_N_TIER, @$); wz_node_add($$, $1); }
       | effects ',' effect  { $$ = $1; wz_node_add($$, $3); }
       ;
effect: CUT primary   { $$ = mk(WZ_N_EFFECT, @$); $$->ival = WZ_EFFECT_CUT; wz_node_add($$, $2); }
      | GRADE name    { $$ = mk_name(WZ_N_EFFECT, @$, $2); $$->ival = WZ_EFFECT_GRADE; }
      | EXCLUDE       { $$ = mk(WZ_N_EFFECT, @$); $$->ival = WZ_EFFECT_EXCLUDE; }
      ;

/* sanction NAME ["label"] ladder L from FACT.FIELD [where COND] ;
 * sanction NAME ["label"] ladder L tier T when COND ; */
sanction: SANCTION name opt_label LADDER name FROM name '.' name opt_where opt_each blame ';' {
              $$ = mk_name(WZ_N_SANCTION, @$, $2); $$->text = $3; $$->ival = WZ_SANCTION_FROM_FIELD;
              wz_node_add($$, mk_name(WZ_N_IDENT, @5, $5));
              wz_node *f = mk_name(WZ_N_FIELD_REF, (wz_span){@7.src, @7.start, @9.end}, $7); f->text = $9;
              wz_node_add($$, f); wz_node_add($$, $10); wz_node_add($$, $12); wz_node_add($$, $11);
          }
        | SANCTION name opt_label LADDER name TIER name WHEN expr opt_each blame ';' {
              $$ = mk_name(WZ_N_SANCTION, @$, $2); $$->text = $3; $$->ival = WZ_SANCTION_TIER_WHEN;
              wz_node_add($$, mk_name(WZ_N_IDENT, @5, $5));
              wz_node_add($$, mk_name(WZ_N_IDENT, @7, $7));
              wz_node_add($$, $9); wz_node_add($$, $11); wz_node_add($$, $10);
          }
          /* sanction NAME ladder L at N [when COND]: tier N (1 = mildest; past the top, the top) —
           * "escalating one tier on repeat": at count(violation) */
        | SANCTION name opt_label LADDER name AT expr opt_when opt_each blame ';' {
              $$ = mk_name(WZ_N_SANCTION, @$, $2); $$->text = $3; $$->ival = WZ_SANCTION_AT;
              wz_node_add($$, mk_name(WZ_N_IDENT, @5, $5));
              wz_node_add($$, $7);
              wz_node_add($$, $8); wz_node_add($$, $10); wz_node_add($$, $9);   /* `for each` only to say it does not fit */
          }
        ;
opt_where: %empty        { $$ = NULL; }
         | WHERE expr    { $$ = $2; }
         ;

/* notice NAME "message" when COND ; */
notice: NOTICE name STRING WHEN expr ';'  { $$ = mk_name(WZ_N_NOTICE, @$, $2); $$->text = $3; wz_node_add($$, $5); }
      ;
total: TOTAL '=' expr ';'   { $$ = mk(WZ_N_TOTAL, @$); wz_node_add($$, $3); }
     ;
grade: GRADE '=' expr ';'   { $$ = mk(WZ_N_GRADE, @$); wz_node_add($$, $3); }
     ;

/* distribute POOL by BASIS [round N [METHOD]] { stipend = EXPR; LABEL : WEIGHT [by VALUE]; … }
 * distribute NAME ["label"]: AMOUNT by BASIS …  — one named part of several (岗位, 工作量, 考核) */
distribute: dist_head BY name ROUND NUMBER '{' dist_items '}' {
                int64_t v = 2; wz_dec_to_int64($5, &v);
                $$ = dist_node($1, $7, @$, @3, $3, v, NULL);
            }
          /* distribute POOL by BASIS round N largest_remainder { … }: the rounding method */
          | dist_head BY name ROUND NUMBER name '{' dist_items '}' {
                int64_t v = 2; wz_dec_to_int64($5, &v);
                $$ = dist_node($1, $8, @$, @3, $3, v, $6);
            }
          | dist_head BY name '{' dist_items '}' { $$ = dist_node($1, $5, @$, @3, $3, 2, NULL); }
          ;
/* the head: the pool, or a part's name, words and amount (kid 0) */
dist_head: DISTRIBUTE expr                       { $$ = mk(WZ_N_DISTRIBUTE, @$); wz_node_add($$, $2); }
         | DISTRIBUTE name opt_label ':' expr    { $$ = mk_name(WZ_N_DISTRIBUTE, @$, $2); $$->text = $3; wz_node_add($$, $5); }
         ;
dist_items: %empty   { $$ = mk(WZ_N_DISTRIBUTE, @$); for (int i = 0; i < 3; i++) wz_node_add($$, NULL); }
          | dist_items dist_item {
                $$ = $1;
                if ($2->kind == WZ_N_DISTRIBUTE) { /* stipend */
                    wz_node_free(g_ptr_array_index($$->kids, 2));
                    g_ptr_array_index($$->kids, 2) = wz_node_kid($2, 0);
                    g_ptr_array_set_size($2->kids, 0); wz_node_free($2);
                } else wz_node_add($$, $2);
            }
          | dist_items error ';' { $$ = $1; }
          ;
dist_item: STIPEND '=' expr ';'       { $$ = mk(WZ_N_DISTRIBUTE, @$); wz_node_add($$, $3); }
         | name ':' expr ';'          { $$ = mk_name(WZ_N_SHARE, @$, $1); wz_node_add($$, $3); wz_node_add($$, NULL); }
         | name ':' expr BY expr zero_choice ';' {
               $$ = mk_name(WZ_N_SHARE, @$, $1); wz_node_add($$, $3); wz_node_add($$, $5); $$->ival = $6;
           }
         ;
/* , zero counts | , zero exclude: whether a person whose `by` value is 0 takes a unit of the
 * group (as everyone does when nothing is said) or none (WZ_ZERO_*) */
zero_choice: %empty              { $$ = WZ_ZERO_UNSAID; }
           | ',' ZERO COUNTS     { $$ = WZ_ZERO_COUNTS; }
           | ',' ZERO EXCLUDE    { $$ = WZ_ZERO_EXCLUDE; }
           ;

/* role NAME ["label"] { duty N "text"; … } */
role: ROLE name opt_label '{' duties '}' { $$ = $5; $$->kind = WZ_N_ROLE; $$->span = @$; $$->name = $2; $$->text = $3; }
    | ROLE name opt_label REPORTS_TO name '{' duties '}' {
          $$ = $7; $$->kind = WZ_N_ROLE; $$->span = @$; $$->name = $2; $$->text = $3; $$->label = $5;
      }
    ;
duties: %empty        { $$ = mk(WZ_N_ROLE, @$); }
      | duties duty   { $$ = $1; wz_node_add($$, $2); }
      ;
duty: DUTY NUMBER STRING ';' { $$ = mk(WZ_N_DUTY, @$); int64_t v = 0; wz_dec_to_int64($2, &v); $$->ival = v; $$->num = $2; $$->text = $3; }
    ;

/* table NAME ["label"] { KEY: VALUE; … [and so on;] [otherwise: VALUE;] }, or bands { within KEY: VALUE; … } */
table: TABLE name opt_label '{' table_rows '}' { $$ = $5; $$->kind = WZ_N_TABLE; $$->span = @$; $$->name = $2; $$->text = $3; }
     ;
table_rows: %empty              { $$ = mk(WZ_N_TABLE, @$); }
          | table_rows table_row { $$ = $1; if ($2) wz_node_add($$, $2); else $$->ival = 1; }
          | table_rows error ';' { $$ = $1; }
          ;
table_row: NUMBER ':' expr ';'      { $$ = mk(WZ_N_TABLE_ROW, @$); $$->num = $1; wz_node_add($$, $3); }
         | '-' NUMBER ':' expr ';'  { $$ = mk(WZ_N_TABLE_ROW, @$); $$->num = wz_dec_neg($2); wz_node_add($$, $4); }
         /* a band: `within 0.5: 5;` or, in Chinese order, `0.5 以内: 5;` — keys up to and including
          * 0.5 and above the band before (0.5 天以内 5 元, 1 天以内 15 元 …) */
         | WITHIN NUMBER ':' expr ';'      { $$ = mk(WZ_N_TABLE_ROW, @$); $$->num = $2; $$->op = 1; wz_node_add($$, $4); }
         | WITHIN '-' NUMBER ':' expr ';'  { $$ = mk(WZ_N_TABLE_ROW, @$); $$->num = wz_dec_neg($3); $$->op = 1; wz_node_add($$, $5); }
         | NUMBER WITHIN ':' expr ';'      { $$ = mk(WZ_N_TABLE_ROW, @$); $$->num = $1; $$->op = 1; wz_node_add($$, $4); }
         | '-' NUMBER WITHIN ':' expr ';'  { $$ = mk(WZ_N_TABLE_ROW, @$); $$->num = wz_dec_neg($2); $$->op = 1; wz_node_add($$, $5); }
         | OTHERWISE ':' expr ';'   { $$ = mk(WZ_N_TABLE_ROW, @$); $$->ival = 1; wz_node_add($$, $3); }
         | STRING ':' expr ';'      { $$ = mk(WZ_N_TABLE_ROW, @$); $$->text = $1; wz_node_add($$, $3); }
         | IDENT ':' expr ';'       { $$ = mk(WZ_N_TABLE_ROW, @$); $$->text = $1; wz_node_add($$, $3); }
         | SO_ON ';'                { $$ = NULL; }
         ;

opt_label: %empty   { $$ = NULL; }
         | STRING   { $$ = $1; }
         ;

/* Soft keywords: type and clause words are still usable as names (a fact
 * field called `date`, a value called `total` in expressions). */
name: IDENT        { $$ = $1; }
    | DATE_KW      { $$ = g_strdup("date"); }
    | TEXT         { $$ = g_strdup("text"); }
    | KEY          { $$ = g_strdup("key"); }
    | TOTAL        { $$ = g_strdup("total"); }
    | GRADE        { $$ = g_strdup("grade"); }
    | STIPEND      { $$ = g_strdup("stipend"); }
    | ROUND        { $$ = g_strdup("round"); }
    | CUT          { $$ = g_strdup("cut"); }
    | FOR          { $$ = g_strdup("for"); }
    | AWARD        { $$ = g_strdup("award"); }
    | ENTITY       { $$ = g_strdup("entity"); }
    | KEEP         { $$ = g_strdup("keep"); }
    | ROLE         { $$ = g_strdup("role"); }
    | FIRST        { $$ = g_strdup("first"); }
    | DIRECT       { $$ = g_strdup("direct"); }
    | TEST         { $$ = g_strdup("test"); }
    | EXPECT       { $$ = g_strdup("expect"); }
    | ROWS         { $$ = g_strdup("rows"); }
    | HISTORY      { $$ = g_strdup("history"); }
    ;

expr: primary
    | '-' expr %prec UMINUS   { $$ = mk(WZ_N_UNARY, @$); $$->op = WZ_OP_NEG; wz_node_add($$, $2); }
    | NOT expr                { $$ = mk(WZ_N_UNARY, @$); $$->op = WZ_OP_NOT; wz_node_add($$, $2); }
    | expr '+' expr           { $$ = mk_bin(WZ_OP_ADD, @$, $1, $3); DEEP($$); }
    | expr '-' expr           { $$ = mk_bin(WZ_OP_SUB, @$, $1, $3); DEEP($$); }
    | expr '*' expr           { $$ = mk_bin(WZ_OP_MUL, @$, $1, $3); DEEP($$); }
    | expr '/' expr           { $$ = mk_bin(WZ_OP_DIV, @$, $1, $3); DEEP($$); }
    | expr EQ expr            { $$ = mk_bin(WZ_OP_EQ, @$, $1, $3); DEEP($$); }
    | expr NE expr            { $$ = mk_bin(WZ_OP_NE, @$, $1, $3); DEEP($$); }
    | expr '<' expr           { $$ = mk_bin(WZ_OP_LT, @$, $1, $3); DEEP($$); }
    | expr LE expr            { $$ = mk_bin(WZ_OP_LE, @$, $1, $3); DEEP($$); }
    | expr '>' expr           { $$ = mk_bin(WZ_OP_GT, @$, $1, $3); DEEP($$); }
    | expr GE expr            { $$ = mk_bin(WZ_OP_GE, @$, $1, $3); DEEP($$); }
    | expr AND expr           { $$ = mk_bin(WZ_OP_AND, @$, $1, $3); DEEP($$); }
    | expr OR expr            { $$ = mk_bin(WZ_OP_OR, @$, $1, $3); DEEP($$); }
    | expr COALESCE expr      { $$ = mk(WZ_N_COALESCE, @$); wz_node_add($$, $1); wz_node_add($$, $3); DEEP($$); }
    | expr IN '(' args ')'    {
          $$ = $4; $$->kind = WZ_N_IN; $$->span = @$; g_ptr_array_insert($$->kids, 0, $1);
          $$->depth = MAX($$->depth, $1->depth + 1);
          DEEP($$);
      }
    | IF expr THEN expr ELSE expr %prec OR {
          $$ = mk(WZ_N_IF, @$); wz_node_add($$, $2); wz_node_add($$, $4); wz_node_add($$, $6);
      }
    ;

primary: NUMBER               { $$ = mk(WZ_N_NUMBER, @$); $$->num = $1; }
       | NUMBER '%'           { $$ = mk(WZ_N_NUMBER, @$); wz_dec_div($1, wz_dec_from_int(100), &$$->num); $$->ival = 1; }
       | STRING               { $$ = mk(WZ_N_STRING, @$); $$->text = $1; }
       | DATE                 { $$ = mk(WZ_N_DATE, @$); $$->date = $1; }
       | TRUE_KW              { $$ = mk(WZ_N_BOOL, @$); $$->ival = 1; }
       | FALSE_KW             { $$ = mk(WZ_N_BOOL, @$); $$->ival = 0; }
       | name                 { $$ = mk_name(WZ_N_IDENT, @$, $1); }
       | name '.' name        { $$ = mk_name(WZ_N_FIELD_REF, @$, $1); $$->text = $3; }
       | name '(' ')'         { $$ = mk_name(WZ_N_CALL, @$, $1); }
       | name '(' args ')'    { $$ = $3; $$->kind = WZ_N_CALL; $$->span = @$; $$->name = $1; }
       | name '(' expr WHERE expr ')' {
             $$ = mk_name(WZ_N_AGG, @$, $1); wz_node_add($$, $3); wz_node_add($$, $5);
         }
       | name '(' ALL ')'     { $$ = mk_name(WZ_N_AGG, @$, $1); $$->ival = 1; wz_node_add($$, NULL); wz_node_add($$, NULL); }
       | name '(' ALL WHERE expr ')' {
             $$ = mk_name(WZ_N_AGG, @$, $1); $$->ival = 1; wz_node_add($$, NULL); wz_node_add($$, $5);
         }
       | name '(' ALL ':' expr opt_where ')' {
             $$ = mk_name(WZ_N_AGG, @$, $1); $$->ival = 1; wz_node_add($$, $5); wz_node_add($$, $6);
         }
       /* count(FACT sharing FIELD), sum(FACT.X sharing FIELD): over every row of FACT, of anyone,
        * whose FIELD equals the current row's (the members of a research project) */
       | name '(' expr SHARING name ')' {
             $$ = mk_name(WZ_N_SHARING, @$, $1); wz_node_add($$, $3); $$->label = $5;
         }
       /* count(FACT sharing FIELD where C): those rows, each tested by C (every class of a grade
        * reaching its own target) */
       | name '(' expr SHARING name WHERE expr ')' {
             $$ = mk_name(WZ_N_SHARING, @$, $1); wz_node_add($$, $3); wz_node_add($$, $7); $$->label = $5;
         }
       | ANY name '(' expr ')'   { $$ = mk_name(WZ_N_WINDOWED, @$, $2); $$->op = WZ_Q_ANY; wz_node_add($$, $4); }
       | ALL name '(' expr ')'   { $$ = mk_name(WZ_N_WINDOWED, @$, $2); $$->op = WZ_Q_ALL; wz_node_add($$, $4); }
       | EACH name '(' expr ')'  { $$ = mk_name(WZ_N_WINDOWED, @$, $2); $$->op = WZ_Q_EACH; wz_node_add($$, $4); }
       | CLASSIFY '{' cases '}'  { $$ = $3; $$->span = @$; }
       | DECIDE '{' decide_cases '}'  { $$ = $3; $$->span = @$; }
       | '(' expr ')'         { $$ = $2; }
       ;
/* decide { LABEL ["text"]: VALUE [when COND] [overrides LABEL, …]; … }: the value of the one
 * case that applies and is not overridden by another that applies */
decide_cases: decide_case               { $$ = mk(WZ_N_DECIDE, @$); wz_node_add($$, $1); }
            | decide_cases decide_case  { $$ = $1; wz_node_add($$, $2); }
            ;
decide_case: name opt_label ':' expr opt_when ';' {
                 $$ = mk_name(WZ_N_OPTION, @$, $1); $$->text = $2;
                 wz_node_add($$, $4); wz_node_add($$, $5); wz_node_add($$, NULL);
             }
           | name opt_label ':' expr opt_when OVERRIDES name_list ';' {
                 $$ = mk_name(WZ_N_OPTION, @$, $1); $$->text = $2;
                 wz_node_add($$, $4); wz_node_add($$, $5); wz_node_add($$, $7);
             }
           ;
name_list: name                { $$ = mk(WZ_N_OPTION, @$); wz_node_add($$, mk_name(WZ_N_IDENT, @1, $1)); }
         | name_list ',' name  { $$ = $1; wz_node_add($$, mk_name(WZ_N_IDENT, @3, $3)); }
         ;
sort_keys: sort_key                { $$ = mk(WZ_N_CASE, @$); wz_node_add($$, $1); }
         | sort_keys ',' sort_key  { $$ = $1; wz_node_add($$, $3); }
         ;
sort_key: expr        { $$ = mk(WZ_N_SORT_KEY, @$); $$->ival = 1; wz_node_add($$, $1); }
        | expr ASC    { $$ = mk(WZ_N_SORT_KEY, @$); $$->ival = 1; wz_node_add($$, $1); }
        | expr DESC   { $$ = mk(WZ_N_SORT_KEY, @$); $$->ival = -1; wz_node_add($$, $1); }
        ;
args: expr            { $$ = mk(WZ_N_CALL, @$); wz_node_add($$, $1); }
    | args ',' expr   { $$ = $1; wz_node_add($$, $3); }
    ;
cases: case           { $$ = mk(WZ_N_CLASSIFY, @$); wz_node_add($$, $1); }
     | cases case     { $$ = $1; wz_node_add($$, $2); }
     ;
case: name WHEN expr ';'   { $$ = mk_name(WZ_N_CASE, @$, $1); wz_node_add($$, $3); }
    /* LABEL when COND limit 15% by KEY desc, … ;  — at most 15% get LABEL, in the keys' order */
    | name WHEN expr LIMIT primary BY sort_keys ';' {
          $$ = $7; $$->kind = WZ_N_CASE; $$->span = @$; $$->name = $1;
          g_ptr_array_insert($$->kids, 0, $5);
          g_ptr_array_insert($$->kids, 0, $3);
      }
    | name OTHERWISE ';'   { $$ = mk_name(WZ_N_CASE, @$, $1); wz_node_add($$, NULL); }
    ;
%%

/* The keywords' Chinese spellings, by token; the English spelling is the token's name.
 * grammar/lexer.l scans both, and test_parser checks every pair against it. */
static const struct keyword_zh {
    yysymbol_kind_t sym;
    const char *zh;
} keywords[] = {
    {YYSYMBOL_POLICY, "方案"}, {YYSYMBOL_VERSION, "版本"}, {YYSYMBOL_EFFECTIVE, "生效"}, {YYSYMBOL_DISPLAY, "显示"},
    {YYSYMBOL_IMPORT, "引用"}, {YYSYMBOL_PARAM, "参数"}, {YYSYMBOL_PERIOD, "期间"}, {YYSYMBOL_SPLIT, "划分"},
    {YYSYMBOL_INTO, "为"}, {YYSYMBOL_AT, "于"}, {YYSYMBOL_FROM, "从"}, {YYSYMBOL_TO, "至"},
    {YYSYMBOL_FACT, "事实"}, {YYSYMBOL_PERSONS, "名单"}, {YYSYMBOL_KEY, "主键"}, {YYSYMBOL_DATED, "计日"},
    {YYSYMBOL_BY, "按"}, {YYSYMBOL_ONE, "唯一"}, {YYSYMBOL_PER, "每"}, {YYSYMBOL_PERSON, "人员"},
    {YYSYMBOL_EVERY, "人人"}, {YYSYMBOL_OPTIONAL, "可选"}, {YYSYMBOL_FOR, "属"}, {YYSYMBOL_ENTITY, "单位类"},
    {YYSYMBOL_AWARD, "奖惩"}, {YYSYMBOL_KEEP, "存档"}, {YYSYMBOL_LIMIT, "限额"}, {YYSYMBOL_DESC, "降序"},
    {YYSYMBOL_ASC, "升序"}, {YYSYMBOL_RESPONSIBLE, "责任人"}, {YYSYMBOL_FIRST, "第一"}, {YYSYMBOL_DIRECT, "直接"},
    {YYSYMBOL_REPORTS_TO, "上级"}, {YYSYMBOL_DECIDE, "裁定"}, {YYSYMBOL_OVERRIDES, "优先于"}, {YYSYMBOL_SHARING, "同组"},
    {YYSYMBOL_TEXT, "文本"}, {YYSYMBOL_INT, "整数"}, {YYSYMBOL_DECIMAL, "数值"}, {YYSYMBOL_DATE_KW, "日期"},
    {YYSYMBOL_BOOL_KW, "布尔"}, {YYSYMBOL_ENUM, "枚举"}, {YYSYMBOL_LET, "设"}, {YYSYMBOL_SECTION, "项目"},
    {YYSYMBOL_POINTS, "分值"}, {YYSYMBOL_FLOOR, "保底"}, {YYSYMBOL_CAP, "封顶"}, {YYSYMBOL_DEDUCT, "扣"},
    {YYSYMBOL_BONUS, "加"}, {YYSYMBOL_FREE, "免"}, {YYSYMBOL_WHEN, "当"}, {YYSYMBOL_IF, "如果"},
    {YYSYMBOL_THEN, "则"}, {YYSYMBOL_ELSE, "否则"}, {YYSYMBOL_AND, "且"}, {YYSYMBOL_OR, "或"},
    {YYSYMBOL_NOT, "非"}, {YYSYMBOL_IN, "属于"}, {YYSYMBOL_WHERE, "其中"}, {YYSYMBOL_ALL, "全体"},
    {YYSYMBOL_ANY, "任一"}, {YYSYMBOL_EACH, "逐个"}, {YYSYMBOL_CLASSIFY, "分类"}, {YYSYMBOL_OTHERWISE, "其余"},
    {YYSYMBOL_LADDER, "阶梯"}, {YYSYMBOL_TABLE, "对照表"}, {YYSYMBOL_SO_ON, "依此类推"}, {YYSYMBOL_SANCTION, "处理"},
    {YYSYMBOL_TIER, "档"}, {YYSYMBOL_CUT, "扣减"}, {YYSYMBOL_GRADE, "等次"}, {YYSYMBOL_EXCLUDE, "不参与分配"},
    {YYSYMBOL_NOTICE, "提示"}, {YYSYMBOL_TOTAL, "总分"}, {YYSYMBOL_DISTRIBUTE, "分配"}, {YYSYMBOL_STIPEND, "津贴"},
    {YYSYMBOL_ROUND, "保留"}, {YYSYMBOL_ROLE, "角色"}, {YYSYMBOL_DUTY, "职责"}, {YYSYMBOL_TRUE_KW, "是"},
    {YYSYMBOL_FALSE_KW, "否"}, {YYSYMBOL_TEST, "测试"}, {YYSYMBOL_EXPECT, "预期"}, {YYSYMBOL_ROWS, "数据行"},
    {YYSYMBOL_HISTORY, "往期"}, {YYSYMBOL_ZERO, "为零"}, {YYSYMBOL_COUNTS, "占份"}, {YYSYMBOL_WITHIN, "以内"},
    {YYSYMBOL_FOR_EACH, "逐条"},
};

bool wz_keyword_at(unsigned i, const char **en, const char **zh) {
    if (i >= G_N_ELEMENTS(keywords)) return false;
    *en = yysymbol_name(keywords[i].sym);
    *zh = keywords[i].zh;
    return true;
}

/* "; did you mean 'deduct'?" when the unexpected name at loc is a misspelt keyword that
 * may come here (`dedcut`, `扣分` for `扣`), spelt as the policy spells it: a name with
 * Chinese characters is compared with the Chinese keywords.  Else "". */
static char *keyword_hint(const wz_parse_ctx *ctx, const wz_span *loc, const yysymbol_kind_t *expected, int n) {
    char *word = g_strndup(ctx->src->text + loc->start, loc->end - loc->start);
    bool chinese = false;
    for (const char *p = word; *p; p++) chinese |= (unsigned char)*p >= 0x80;
    wz_suggest s;
    wz_suggest_begin(&s, word);
    for (int i = 0; i < n; i++)
        for (size_t k = 0; k < G_N_ELEMENTS(keywords); k++)
            if (keywords[k].sym == expected[i]) wz_suggest_consider(&s, chinese ? keywords[k].zh : yysymbol_name(expected[i]));
    g_free(word);
    return wz_suggest_hint(wz_suggest_end(&s));
}

/* Whether the policy is written with the Chinese keywords: its first word (after comments
 * and white space) is Chinese, as in 方案 "…" or 事实 staff …. */
static bool writes_chinese(const wz_parse_ctx *ctx) {
    const char *t = ctx->src->text, *end = t + ctx->src->len;
    while (t < end) {
        if (*t == ' ' || *t == '\t' || *t == '\r' || *t == '\n') t++;
        else if (*t == '#' || (*t == '/' && t + 1 < end && t[1] == '/')) {
            while (t < end && *t != '\n') t++;
        } else if (t + 3 <= end && !memcmp(t, "\xEF\xBB\xBF", 3)) t += 3;   /* a byte-order mark */
        else return (unsigned char)*t >= 0x80;
    }
    return false;
}

/* A token as the policy spells its keywords: 扣 in a Chinese policy, deduct otherwise. */
static const char *token_name(yysymbol_kind_t sym, bool chinese) {
    for (size_t k = 0; chinese && k < G_N_ELEMENTS(keywords); k++)
        if (keywords[k].sym == sym) return keywords[k].zh;
    /* the tokens named in words (the %token aliases above), in the reader's language */
    static const char *const words[] = {N_("name"), N_("string"), N_("number"), N_("date literal"), N_("end of file")};
    for (size_t k = 0; k < G_N_ELEMENTS(words); k++)
        if (!strcmp(yysymbol_name(sym), words[k])) return _(words[k]);
    return yysymbol_name(sym);
}

/* "unexpected X, expecting A, B or C" with the token names users know, and the hints for
 * the common slips: '=' for '==', a misspelt keyword, a ';' missing at the end of a line. */
static int yyreport_syntax_error(const yypcontext_t *pctx, void *scanner, wz_parse_ctx *ctx) {
    (void)scanner;
    enum { MAX_LISTED = 9, MAX_EXPECTED = 128 };
    yysymbol_kind_t expected[MAX_EXPECTED];
    int n = yypcontext_expected_tokens(pctx, expected, MAX_EXPECTED);
    yysymbol_kind_t lookahead = yypcontext_token(pctx);
    const wz_span *loc = yypcontext_location(pctx);
    bool expects_semi = false, expects_eq = false;
    for (int i = 0; i < n; i++) {
        expects_semi |= strcmp(yysymbol_name(expected[i]), "';'") == 0;
        expects_eq |= expected[i] == YYSYMBOL_EQ;
    }
    bool real_token = lookahead != YYSYMBOL_YYEMPTY && lookahead != YYSYMBOL_YYEOF;
    /* `when kind = 病假`: where a comparison may continue, '=' was meant as '==' */
    if (real_token && expects_eq && strcmp(yysymbol_name(lookahead), "'='") == 0) {
        wz_diag_at(ctx->diags, WZ_SEV_ERROR, *loc, "syntax error: unexpected '=', use '==' to compare");
        return 0;
    }
    char *hint = lookahead == YYSYMBOL_IDENT ? keyword_hint(ctx, loc, expected, n) : g_strdup("");
    /* `let x = 1 + 2⏎let y …`: the ';' belongs at the end of the line before, after its last token */
    uint32_t la_line = 0, prev_line = 0;
    if (real_token && expects_semi && !*hint && ctx->prev_end > 0) {
        wz_source_position(ctx->src, loc->start, &la_line, NULL);
        wz_source_position(ctx->src, ctx->prev_end, &prev_line, NULL);
    }
    if (la_line > prev_line) {
        wz_diag_at(ctx->diags, WZ_SEV_ERROR, wz_span_of(ctx->src, ctx->prev_end, ctx->prev_end),
                   "syntax error: expecting ';' at the end of this line");
        g_free(hint);
        return 0;
    }
    GString *msg = g_string_new(_("syntax error"));
    if (lookahead == YYSYMBOL_YYEOF)
        g_string_append(msg, _(": unexpected end of file"));
    else if (lookahead != YYSYMBOL_YYEMPTY) {
        size_t len = loc->end > loc->start ? loc->end - loc->start : 0;
        if (len > 0 && len < 40)
            g_string_append_printf(msg, _(": unexpected '%.*s'"), (int)len, ctx->src->text + loc->start);
        else
            g_string_append_printf(msg, _(": unexpected %s"), token_name(lookahead, false));
    }
    bool chinese = writes_chinese(ctx);
    bool can_start_expr = false, can_start_item = false;
    for (int i = 0; i < n; i++) {
        can_start_expr |= expected[i] == YYSYMBOL_NUMBER;
        can_start_item |= expected[i] == YYSYMBOL_LET;
    }
    const char *la = lookahead != YYSYMBOL_YYEMPTY && lookahead != YYSYMBOL_YYEOF ? yysymbol_name(lookahead) : "";
    bool comparison = !strcmp(la, "==") || !strcmp(la, "!=") || !strcmp(la, "'<'") || !strcmp(la, "<=") ||
                      !strcmp(la, "'>'") || !strcmp(la, ">=") || !strcmp(la, "in");
    if (comparison && !can_start_expr) {
        g_string_assign(msg, _("syntax error: comparisons cannot be chained; use 'and'"));
    } else if (n > MAX_LISTED && can_start_expr) {
        g_string_append(msg, _(", expecting an expression"));
    } else if (n > MAX_LISTED && can_start_item) {
        g_string_append(msg, chinese ? _(", expecting a declaration such as 设, 项目, 事实 or 参数")
                                     : _(", expecting a declaration such as let, section, fact or param"));
    } else if (n > 0 && n <= MAX_LISTED) {
        for (int i = 0; i < n; i++)
            g_string_append_printf(msg, "%s%s", i == 0 ? _(", expecting ") : i == n - 1 ? _(" or ") : _(", "),
                                   token_name(expected[i], chinese));
    } else if (n > MAX_LISTED) {
        /* after a complete expression almost any operator may follow: name the ending */
        bool semi = false, close = false;
        for (int i = 0; i < n; i++) {
            semi |= strcmp(yysymbol_name(expected[i]), "';'") == 0;
            close |= strcmp(yysymbol_name(expected[i]), "')'") == 0;
        }
        if (semi) g_string_append(msg, _(", expecting ';' (or an operator to continue the expression)"));
        else if (close) g_string_append(msg, _(", expecting ')' (or an operator to continue the expression)"));
    }
    g_string_append(msg, hint);
    g_free(hint);
    wz_diag_at(ctx->diags, WZ_SEV_ERROR, *loc, "%s", msg->str);
    g_string_free(msg, TRUE);
    return 0;
}

static void wzyyerror(const wz_span *loc, void *scanner, wz_parse_ctx *ctx, const char *msg) {
    (void)scanner;
    /* Bison's only other message: its stack (YYMAXDEPTH) is full, which only brackets,
     * signs and calls nested thousands deep do */
    if (!strcmp(msg, "memory exhausted"))
        msg = _("this expression nests too deeply (brackets, signs or calls inside one another); "
                "split it into named values with 'let'");
    wz_diag_at(ctx->diags, WZ_SEV_ERROR, *loc, "%s", msg);
}
