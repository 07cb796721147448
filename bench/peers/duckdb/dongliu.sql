-- 东流镇中心学校 2019 学年 绩效工资 (policies/dongliu-2019.wz) in DuckDB SQL.
--
-- Run by bench/peers/duckdb/dongliu.mjs, which first creates the fact tables
-- (read_csv with explicit column types; an absent optional file is an empty
-- table) and afterwards reads the table "pay" and writes pay.csv.
--
-- Exactness: no DOUBLE anywhere.  Every input decimal is read as text, checked to
-- have at most 3 places, and turned once into a HUGEINT count of thousandths
-- ("_m" columns); every later step is HUGEINT arithmetic on a common denominator
-- (128 bits: no product here comes near 2^127, so unlike the sqlite peer nothing
-- needs splitting).  The only divisions are the stated half-up roundings, done as
-- (2p + q) // 2q on non-negative integers p/q ("//" is integer division).

-- ---- 参数 ----
CREATE TEMP TABLE p AS
SELECT (SELECT m(value) FROM params WHERE name = 'pool') AS pool_m,
       coalesce((SELECT CAST(value AS DATE) FROM params WHERE name = 'year_start'), DATE '2019-09-01') AS ys,
       coalesce((SELECT CAST(value AS DATE) FROM params WHERE name = 'semester2_start'), DATE '2020-02-17') AS s2,
       coalesce((SELECT CAST(value AS DATE) FROM params WHERE name = 'year_end'), DATE '2020-07-15') AS ye,
       CAST((SELECT count(*) FROM staff) AS HUGEINT) AS n,
       (SELECT sum(m(weekly_hours)) FROM workload) AS w_m;

-- ---- leave per person: days (thousandths) by kind and semester, period only ----
CREATE TEMP TABLE lv AS
SELECT id,
       sum(CASE WHEN kind = '病假' AND s = 1 THEN d ELSE 0 END) AS sick1,
       sum(CASE WHEN kind = '病假' AND s = 2 THEN d ELSE 0 END) AS sick2,
       sum(CASE WHEN kind = '事假' THEN d ELSE 0 END) AS personal,
       sum(CASE WHEN kind = '旷工' AND s = 1 THEN d ELSE 0 END) AS absent1,
       sum(CASE WHEN kind = '旷工' AND s = 2 THEN d ELSE 0 END) AS absent2,
       sum(CASE WHEN kind IN ('病假', '事假') AND s = 1 THEN d ELSE 0 END) AS sickpers1,
       sum(CASE WHEN kind IN ('病假', '事假') AND s = 2 THEN d ELSE 0 END) AS sickpers2,
       sum(CASE WHEN kind = '脱产学习' AND s = 1 THEN d ELSE 0 END) AS study1,
       sum(CASE WHEN kind = '脱产学习' AND s = 2 THEN d ELSE 0 END) AS study2,
       count_if(NOT ok3(days)) AS bad
FROM (SELECT id, kind, days, m(days) AS d, CASE WHEN date < s2 THEN 1 ELSE 2 END AS s
      FROM leave, p WHERE date BETWEEN ys AND ye)
GROUP BY id;

-- ---- missed sign-ins per person and semester (rows with 0 add nothing: skip them before grouping) ----
CREATE TEMP TABLE sg AS
SELECT id,
       CAST(sum(CASE WHEN date < s2 THEN missed ELSE 0 END) AS HUGEINT) AS m1,
       CAST(sum(CASE WHEN date < s2 THEN 0 ELSE missed END) AS HUGEINT) AS m2
FROM signin, p WHERE missed <> 0 AND date BETWEEN ys AND ye
GROUP BY id;

-- ---- most severe discipline in the period: k = 10 × (1 − cut) ----
CREATE TEMP TABLE dc AS
SELECT id, CAST(min(CASE level WHEN '通报批评' THEN 8 WHEN '警告' THEN 7 WHEN '记过' THEN 2 ELSE 0 END) AS HUGEINT) AS k
FROM discipline, p WHERE date BETWEEN ys AND ye
GROUP BY id;

-- ---- one row per staff member: the inputs in thousandths, age, basis, stipend ----
CREATE TEMP TABLE person AS
SELECT s.ord, s.id,
       m(w.weekly_hours) AS wh_m,
       m(r.routine) AS routine_m,
       CASE WHEN o.id IS NOT NULL AND
                 ((s.gender = '男' AND age >= 55) OR (s.gender = '女' AND age >= 50))
            THEN m(o.research) ELSE m(r.research) END AS research_m,
       m(res.score) AS score_m,
       -- 考勤 in ten-thousandths of a point: 10 points = 100000
       greatest(0, 100000
              - 2 * greatest(0, coalesce(sick1, 0) - 2000) - 2 * greatest(0, coalesce(sick2, 0) - 2000)
              - 1000 * greatest(0, coalesce(m1, 0) - 5) - 1000 * greatest(0, coalesce(m2, 0) - 5)
              - 5 * coalesce(personal, 0)
              - 50 * (coalesce(absent1, 0) + coalesce(absent2, 0)))::HUGEINT AS att4,
       coalesce(dc.k, 10)::HUGEINT AS k,
       CASE WHEN s.status = '停发工资'
                 OR coalesce(absent1, 0) >= 5000 OR coalesce(absent2, 0) >= 5000
                 OR coalesce(sickpers1, 0) > 60000 OR coalesce(sickpers2, 0) > 60000
                 OR coalesce(study1, 0) > 60000 OR coalesce(study2, 0) > 60000 THEN 'excluded'
            WHEN s.post IN ('督导员', '专职书记', '工会主席', '挂职', '抽调') THEN 'average'
            WHEN s.post = '安排休息' AND ((s.gender = '男' AND age >= 58) OR (s.gender = '女' AND age >= 53))
                 THEN 'average80'
            WHEN s.post = '安排休息' THEN 'average'
            ELSE 'score' END AS basis,
       ct.id IS NOT NULL AS has_ct,
       CAST(least(60 + ct.students, 120) AS HUGEINT) AS month2,   -- monthly base × 2 (30 + 0.5/student, ≤ 60)
       m(ct.score) AS ct_m,
       coalesce(lv.bad, 0)
         + (NOT ok3(w.weekly_hours))::INT + (NOT ok3(r.routine))::INT + (NOT ok3(r.research))::INT
         + coalesce((NOT ok3(o.research))::INT, 0) + (NOT ok3(res.score))::INT
         + coalesce((NOT ok3(ct.score))::INT, 0) AS bad
FROM (SELECT staff.rowid AS ord, staff.*,
             year(ys) - year(birth_date)
               - CASE WHEN month(ys) * 100 + day(ys) < month(birth_date) * 100 + day(birth_date) THEN 1 ELSE 0 END AS age
      FROM staff, p) AS s
LEFT JOIN workload w ON w.id = s.id
LEFT JOIN routine r ON r.id = s.id
LEFT JOIN research_override o ON o.id = s.id
LEFT JOIN results res ON res.id = s.id
LEFT JOIN class_teacher ct ON ct.id = s.id
LEFT JOIN lv ON lv.id = s.id
LEFT JOIN sg ON sg.id = s.id
LEFT JOIN dc ON dc.id = s.id;

-- ---- total score in cents of a point, rounded half-up ----
-- score = att4/10^4 + (9·routine_m + 4·research_m)/12000 + score_m/1000 + 30·n·wh_m/w_m
--       = x/60000 + 30·n·wh_m/w_m,   x = 6·att4 + 5·(9·routine_m + 4·research_m) + 60·score_m.
-- total × 100 = k/10 × score × 100 = (k·x·w_m + 6000·300·k·n·wh_m) / (6000·w_m).
CREATE TEMP TABLE scored AS
SELECT ord, id, basis,
       (2 * (k * x * w_m + 1800000 * k * n * wh_m) + 6000 * w_m) // (12000 * w_m) AS total_c,
       CASE WHEN basis <> 'excluded' AND has_ct
            THEN (2 * month2 * ct_m + 200) // 400 ELSE 0 END AS stipend_c,   -- month2/2 × ct_m/1000 /100 × 10 yuan
       bad
FROM (SELECT *, 6 * att4 + 5 * (9 * routine_m + 4 * research_m) + 60 * score_m AS x FROM person), p;

-- ---- the pool ----
-- A = pool − Σ stipends (thousandths of a yuan); avg = A ÷ (n_score + n_average + 0.8·n_average80)
--   = 5·A / n5 with n5 = 5·n_score + 5·n_average + 4·n_average80; in cents avg = a_m / (2·n5).
CREATE TEMP TABLE pool AS
SELECT a_m, n5, n_score * a_m AS kk,          -- score reward (cents) = kk · total_c / dd
       2 * n5 * sum_t AS dd
FROM (SELECT pool_m - 10 * (SELECT sum(stipend_c) FROM scored) AS a_m,
             CAST((SELECT 5 * count_if(basis IN ('score', 'average')) + 4 * count_if(basis = 'average80')
                   FROM scored) AS HUGEINT) AS n5,
             CAST((SELECT count_if(basis = 'score') FROM scored) AS HUGEINT) AS n_score,
             (SELECT sum(total_c) FROM scored WHERE basis = 'score') AS sum_t
      FROM p);

CREATE TEMP TABLE pay AS
SELECT ord, id, basis, stipend_c,
       CASE basis
         WHEN 'excluded' THEN 0
         WHEN 'average' THEN (a_m + n5) // (2 * n5)                 -- round(a_m / (2·n5))
         WHEN 'average80' THEN (4 * a_m + 5 * n5) // (10 * n5)       -- round(2·a_m / (5·n5))
         ELSE CASE WHEN coalesce(dd, 0) = 0 THEN (a_m + n5) // (2 * n5)   -- all score totals 0: equal shares
                   ELSE (2 * kk * total_c + dd) // (2 * dd) END END AS reward_c
FROM scored, pool;

-- ---- guards: the runner stops (exit status 1) instead of printing a wrong cent ----
CREATE TEMP TABLE checks AS
SELECT 'pool missing from params.csv' AS what, (SELECT pool_m IS NOT NULL FROM p) AS ok
UNION ALL SELECT 'an input decimal is not a number with at most 3 places', (SELECT sum(bad) = 0 FROM scored)
UNION ALL SELECT 'workload/routine/results need one row per staff member',
       (SELECT count(*) FROM workload) = n AND (SELECT count(*) FROM routine) = n
       AND (SELECT count(*) FROM results) = n AND (SELECT count(*) FROM person) = n
       AND (SELECT count(*) FROM person WHERE wh_m IS NULL OR routine_m IS NULL OR score_m IS NULL) = 0 FROM p
UNION ALL SELECT 'stipends exceed the pool', (SELECT a_m >= 0 FROM pool)
UNION ALL SELECT 'no weekly hours at all', (SELECT w_m > 0 FROM p);
