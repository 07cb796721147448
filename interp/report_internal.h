/* report_internal.h — what report.c (a run's page), report_diff.c (a diff's
 * page) and report_html.c (the page's parts: words, escaping, charts, the
 * sortable table, the policy text, writing the file) share. */
#ifndef WZ_REPORT_INTERNAL_H
#define WZ_REPORT_INTERNAL_H

#include "report.h"

/* ---- words: each heading in English and Chinese ---- */
#define REPORT_WORDS(X)                                                        \
    X(REPORT, "Assessment report", "考核报告")                                 \
    X(DIFF_REPORT, "What changes: %s → %s", "修订对比：%s → %s")               \
    X(VERSION, "version", "版本")                                              \
    X(EFFECTIVE, "in force %s to %s", "施行 %s 至 %s")                         \
    X(GENERATED, "generated", "生成于")                                        \
    X(POLICY_FILE, "policy", "方案文件")                                       \
    X(FACTS, "Facts", "数据文件")                                              \
    X(FILE, "file", "文件")                                                    \
    X(ROWS, "rows", "行数")                                                    \
    X(IGNORED, "outside the period", "期外")                                   \
    X(PARAMS, "Params", "参数")                                                \
    X(PARAM, "param", "参数")                                                  \
    X(VALUE, "value", "值")                                                    \
    X(FROM, "from", "来源")                                                    \
    X(SUMMARY, "Summary", "概况")                                              \
    X(PERSONS, "persons", "人员")                                              \
    X(FINDINGS, "findings", "记录")                                            \
    X(MEAN, "mean total", "总分均值")                                          \
    X(MEDIAN, "median total", "总分中位数")                                    \
    X(MIN, "lowest total", "最低总分")                                         \
    X(MAX, "highest total", "最高总分")                                        \
    X(GRADES, "Grades", "等次")                                                \
    X(GRADE, "grade", "等次")                                                  \
    X(COUNT, "count", "人数")                                                  \
    X(SANCTIONS, "Sanctions by tier", "处分与问责（按档次）")                  \
    X(SANCTION, "sanction", "处分")                                            \
    X(TIER, "tier", "档次")                                                    \
    X(NO_SANCTIONS, "No sanctions.", "无处分。")                               \
    X(AWARDS, "Awards and fines", "奖惩")                                      \
    X(AWARD, "rule", "规则")                                                   \
    X(REWARDS, "rewards", "奖励")                                              \
    X(FINES, "fines", "罚款")                                                  \
    X(POOL, "The pool", "奖励性绩效工资总额")                                  \
    X(POOL_TOTAL, "pool", "总额")                                              \
    X(STIPENDS, "stipends", "津贴")                                            \
    X(SHARED, "shared (A = pool − stipends)", "可分配 A = 总额 − 津贴")        \
    X(UNITS, "units", "份数")                                                  \
    X(UNIT, "one unit", "每份")                                                \
    X(DISTRIBUTED, "distributed", "已分配")                                    \
    X(RESIDUE, "residue (pool − Σ amount)", "尾差（总额 − Σ 合计）")           \
    X(CHARTS, "Charts", "图表")                                                \
    X(HIST, "Totals: how many persons in each band", "总分分布（人数）")       \
    X(SECTION_MEANS, "Section means", "各分项均值")                            \
    X(PAY_BY_BASIS, "Pay by basis (Σ amount)", "按分配类别的绩效工资（合计）") \
    X(TIERS_CHART, "Sanctions by tier", "处分档次")                            \
    X(TABLES, "Tables", "明细表")                                             \
    X(TABLE, "All %s", "全部%s")                                             \
    X(ID, "id", "编号")                                                        \
    X(NAME, "name", "姓名")                                                    \
    X(TOTAL, "total", "总分")                                                  \
    X(BASIS, "basis", "分配类别")                                              \
    X(AMOUNT, "pay", "绩效工资")                                               \
    X(AWARDS_COL, "awards", "奖惩金额")                                        \
    X(FILTER, "Filter: id, name, grade…", "筛选：编号、姓名、等次…")          \
    X(SHOWN, "{n} of {all} shown", "显示 {n} / {all}")                         \
    X(DRILL_HINT, "Click a column to sort it; click an id for its explanation.", "点击列名排序；点击编号查看明细。") \
    X(NOT_EMBEDDED, "Not embedded (this page explains the first %u of each kind): %s --person {id}", "本页只含每类前%u条明细，请运行：%s --person {id}") \
    X(POLICY_TEXT, "The policy", "方案原文")                                   \
    X(NONE, "none", "无")                                                      \
    X(CHANGES, "What changed", "修订条目")                                     \
    X(THROUGH, "Values that change through what they read", "因引用而变化的值")  \
    X(NO_CHANGES, "The two versions do not differ.", "两个版本没有差别。")     \
    X(IMPACT, "Who gains, who loses", "谁增谁减")                              \
    X(CHANGED_OF, "%u of %u change: %u gain, %u lose, %u change grade, %u change sanctions; %s moves to those who gain", \
      "%u / %u 有变化：%u 增，%u 减，%u 等次变化，%u 处分变化；%s 转向增加者")  \
    X(CHANGE_CHART, "Change per person", "每人变化")                           \
    X(PARTS, "Each change made alone", "各条修订单独的影响")                   \
    X(CHANGE, "change", "修订")                                                \
    X(PERSONS_CHANGED, "persons", "人数")                                      \
    X(MOVED, "moves to those who gain", "转向增加者")                          \
    X(TOTAL_OLD, "total before", "原总分")                                     \
    X(TOTAL_NEW, "total after", "新总分")                                      \
    X(DTOTAL, "Δ total", "总分变化")                                           \
    X(PAY_OLD, "pay before", "原工资")                                         \
    X(PAY_NEW, "pay after", "新工资")                                          \
    X(DPAY, "Δ pay", "工资变化")                                               \
    X(AWARDS_OLD, "awards before", "原奖惩金额")                               \
    X(AWARDS_NEW, "awards after", "新奖惩金额")                                \
    X(DAWARDS, "Δ awards", "奖惩金额变化")                                     \
    X(SANCTIONS_COL, "sanctions", "处分")                                      \
    X(ADD_UP, "alone they add up to", "单独合计")                              \
    X(INTERACT, "the changes interact: their parts do not add up to the whole", "各修订相互作用：单独影响之和不等于合并影响") \
    X(OLD, "before", "原")                                                     \
    X(NEW, "after", "新")                                                      \
    X(CHART_CAP, "the %u largest of %u", "变化最大的 %u / %u")

typedef enum report_word {
#define X(id, en, zh) RW_##id,
    REPORT_WORDS(X)
#undef X
} report_word;

const char *rw(bool zh, report_word w);

/* ---- text into HTML ---- */
void rh_text(GString *out, const char *s);              /* &, <, >, " escaped */
void rh_dec(GString *out, wz_dec d, int places);        /* shown: rounded half up to places */
void rh_json_string(GString *out, const char *s);       /* a JSON string safe inside <script> */
void rh_json_member(GString *out, bool *first, const char *key, const char *value);   /* [,]"key":"value" */
void rh_date(GString *out, int64_t seconds);            /* "2026-11-01 08:00 UTC" */
/* A table's heading row, <tr><th>…</th>…</tr>: each text escaped (NULL: an empty
 * heading), a numeric column's heading right-aligned like its cells. */
typedef struct rh_th {
    const char *text;
    bool num;
} rh_th;
void rh_head_row(GString *out, const rh_th *th, guint n);

/* ---- the page ---- */
void rh_page_begin(GString *out, bool zh, const char *title);
/* data: the JSON object #wz-data holds (the drill-downs); then the script. */
void rh_page_end(GString *out, const GString *data);
/* The policy's text with line numbers, each line an anchor #L<n> (id_prefix
 * before the L for a second policy). */
void rh_policy_text(GString *out, const wz_policy *p, const char *heading, const char *id_prefix);
/* "dongliu-2019.wz:96" as a link to the embedded line. */
void rh_source_link(GString *out, const wz_policy *p, wz_span at, const char *id_prefix);
const char *rh_file_name(const char *path);

/* ---- charts: inline SVG ---- */
/* Horizontal bars, one per label; value (≥ 0, or signed with diverging)
 * sets the length, shown is printed beside it. */
typedef struct rh_bar {
    const char *label;
    double value;
    const char *shown;
} rh_bar;
void rh_bars(GString *out, const char *caption, const rh_bar *bars, guint n, bool diverging);
/* Vertical bars: a histogram of counts over bands labelled edges[0..n]. */
void rh_histogram(GString *out, const char *caption, const guint *counts, char **edges, guint n);

/* ---- a sortable, filterable table ---- */
typedef struct rh_table rh_table;
/* id: the table's element id; selftest_col: the column the page's self-test sorts. */
rh_table *rh_table_new(const char *id);
/* A column; numeric columns are right-aligned and sorted by value. */
void rh_table_column(rh_table *t, const char *heading, const char *name, bool numeric, bool selftest);
/* Starts a row for entity id (its first cell is the drill-down button). */
void rh_table_row(rh_table *t, const char *id);
/* The next cell: its HTML and its sort key (a number when the column is
 * numeric: missing when has_num is false). */
void rh_table_cell(rh_table *t, const char *html, bool has_num, wz_dec num, const char *text_key);
/* Appends the filter box, the table and frees it. */
void rh_table_finish(rh_table *t, GString *out, bool zh);

#endif
