-- 东流镇中心学校 2019 学年 绩效工资 (policies/dongliu-2019.wz) as one sqlite3 shell script.
--
-- Run through bench/peers/sqlite.sh, which replaces @FACTS@ by the facts directory,
-- @OUT@ by the pay.csv to write, and the path of an absent optional file
-- (research_override.csv, class_teacher.csv) by /dev/null, so its table stays empty.
--
-- Exactness: no REAL arithmetic on money or scores.  Every decimal of the input is
-- turned once into an INTEGER count of thousandths ("_m" columns), and every later
-- step is integer arithmetic on a common denominator; the only divisions are the
-- stated half-up roundings, done as floor((2p + q) / 2q) on exact integers p/q.
-- Products that could leave the 64-bit range are split (quotient and remainder)
-- and the sizes that the splits rely on are checked at the end (see "guards").

.bail on
PRAGMA synchronous = OFF;
PRAGMA temp_store = MEMORY;

-- ---- the fact tables, columns in the order of the CSV files ----
CREATE TABLE params(name TEXT, value TEXT);
CREATE TABLE staff(id TEXT, name TEXT, gender TEXT, birth_date TEXT, post TEXT, status TEXT);
CREATE TABLE leave(id TEXT, date TEXT, kind TEXT, days NUMERIC);
CREATE TABLE signin(id TEXT, date TEXT, missed INTEGER);
CREATE TABLE workload(id TEXT, weekly_hours NUMERIC);
CREATE TABLE routine(id TEXT, routine NUMERIC, research NUMERIC);
CREATE TABLE research_override(id TEXT, research NUMERIC);
CREATE TABLE results(id TEXT, score NUMERIC);
CREATE TABLE discipline(id TEXT, date TEXT, level TEXT);
CREATE TABLE class_teacher(id TEXT, students INTEGER, score NUMERIC);

.import --csv --skip 1 "@FACTS@/params.csv" params
.import --csv --skip 1 "@FACTS@/staff.csv" staff
.import --csv --skip 1 "@FACTS@/leave.csv" leave
.import --csv --skip 1 "@FACTS@/signin.csv" signin
.import --csv --skip 1 "@FACTS@/workload.csv" workload
.import --csv --skip 1 "@FACTS@/routine.csv" routine
.import --csv --skip 1 "@FACTS@/research_override.csv" research_override
.import --csv --skip 1 "@FACTS@/results.csv" results
.import --csv --skip 1 "@FACTS@/discipline.csv" discipline
.import --csv --skip 1 "@FACTS@/class_teacher.csv" class_teacher

-- A decimal x of the input (at most 3 places) in thousandths is round(x * 1000):
-- the double nearest to x is within |x|·2^-53 of it, far less than 0.0005, so the
-- rounding lands on the exact integer.  The guards check that no input had more
-- places (x * 1000 must then be within 1e-6 of an integer).

-- ---- 参数 ----
CREATE TEMP TABLE p AS
SELECT (SELECT CAST(round(value * 1000) AS INTEGER) FROM params WHERE name = 'pool') AS pool_m,
       coalesce((SELECT value FROM params WHERE name = 'year_start'), '2019-09-01') AS ys,
       coalesce((SELECT value FROM params WHERE name = 'semester2_start'), '2020-02-17') AS s2,
       coalesce((SELECT value FROM params WHERE name = 'year_end'), '2020-07-15') AS ye,
       (SELECT count(*) FROM staff) AS n,
       (SELECT sum(CAST(round(weekly_hours * 1000) AS INTEGER)) FROM workload) AS w_m;

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
       sum(abs(x - round(x)) > 1e-6) AS bad
FROM (SELECT id, kind, days * 1000 AS x, CAST(round(days * 1000) AS INTEGER) AS d,
             CASE WHEN date < s2 THEN 1 ELSE 2 END AS s
      FROM leave, p WHERE date BETWEEN ys AND ye)
GROUP BY id;

-- ---- missed sign-ins per person and semester (rows with 0 add nothing: skip them before grouping) ----
CREATE TEMP TABLE sg AS
SELECT id,
       sum(CASE WHEN date < s2 THEN missed ELSE 0 END) AS m1,
       sum(CASE WHEN date < s2 THEN 0 ELSE missed END) AS m2
FROM signin, p WHERE missed <> 0 AND date BETWEEN ys AND ye
GROUP BY id;

-- ---- most severe discipline in the period: k = 10 × (1 − cut) ----
CREATE TEMP TABLE dc AS
SELECT id, min(CASE level WHEN '通报批评' THEN 8 WHEN '警告' THEN 7 WHEN '记过' THEN 2 ELSE 0 END) AS k
FROM discipline, p WHERE date BETWEEN ys AND ye
GROUP BY id;

-- ---- one row per staff member: the inputs in thousandths, age, basis, stipend ----
CREATE TEMP TABLE person AS
SELECT s.rowid AS ord, s.id,
       CAST(round(w.weekly_hours * 1000) AS INTEGER) AS wh_m,
       CAST(round(r.routine * 1000) AS INTEGER) AS routine_m,
       CASE WHEN o.id IS NOT NULL AND
                 ((s.gender = '男' AND age >= 55) OR (s.gender = '女' AND age >= 50))
            THEN CAST(round(o.research * 1000) AS INTEGER)
            ELSE CAST(round(r.research * 1000) AS INTEGER) END AS research_m,
       CAST(round(res.score * 1000) AS INTEGER) AS score_m,
       -- 考勤 in ten-thousandths of a point: 10 points = 100000
       max(0, 100000
              - 2 * max(0, coalesce(sick1, 0) - 2000) - 2 * max(0, coalesce(sick2, 0) - 2000)
              - 1000 * max(0, coalesce(m1, 0) - 5) - 1000 * max(0, coalesce(m2, 0) - 5)
              - 5 * coalesce(personal, 0)
              - 50 * (coalesce(absent1, 0) + coalesce(absent2, 0))) AS att4,
       coalesce(dc.k, 10) AS k,
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
       min(60 + ct.students, 120) AS month2,               -- monthly base × 2 (30 + 0.5/student, ≤ 60)
       CAST(round(ct.score * 1000) AS INTEGER) AS ct_m,
       coalesce(lv.bad, 0)
         + (abs(w.weekly_hours * 1000 - round(w.weekly_hours * 1000)) > 1e-6)
         + (abs(r.routine * 1000 - round(r.routine * 1000)) > 1e-6)
         + (abs(r.research * 1000 - round(r.research * 1000)) > 1e-6)
         + coalesce(abs(o.research * 1000 - round(o.research * 1000)) > 1e-6, 0)
         + (abs(res.score * 1000 - round(res.score * 1000)) > 1e-6)
         + coalesce(abs(ct.score * 1000 - round(ct.score * 1000)) > 1e-6, 0) AS bad
FROM (SELECT staff.rowid, staff.*,
             CAST(substr(ys, 1, 4) AS INTEGER) - CAST(substr(birth_date, 1, 4) AS INTEGER)
               - (substr(ys, 6) < substr(birth_date, 6)) AS age
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
-- total × 100 = k/10 × score × 100 = k·x/6000 + 300·k·n·wh_m/w_m.  Each part is split
-- into quotient and remainder; the remainders r1/6000 + r2/w_m are added exactly:
-- half-up = a1 + a2 + floor((2·r1·w_m + 2·6000·r2 + 6000·w_m) / (2·6000·w_m)).
CREATE TEMP TABLE scored AS
SELECT ord, id, basis,
       a1 + a2 + (2 * r1 * w_m + 12000 * r2 + 6000 * w_m) / (12000 * w_m) AS total_c,
       CASE WHEN basis <> 'excluded' AND has_ct
            THEN (2 * month2 * ct_m + 200) / 400 ELSE 0 END AS stipend_c,   -- month2/2 × ct_m/1000 /100 × 10 yuan
       bad
FROM (SELECT pe.*, w_m,
             (k * x) / 6000 AS a1, (k * x) % 6000 AS r1,
             (300 * k * n * wh_m) / w_m AS a2, (300 * k * n * wh_m) % w_m AS r2
      FROM (SELECT *, 6 * att4 + 5 * (9 * routine_m + 4 * research_m) + 60 * score_m AS x FROM person) pe, p);

-- ---- the pool ----
-- A = pool − Σ stipends (thousandths of a yuan); avg = A ÷ (n_score + n_average + 0.8·n_average80)
--   = 5·A / n5 with n5 = 5·n_score + 5·n_average + 4·n_average80.
CREATE TEMP TABLE pool AS
SELECT a_m, n5, n_score, sum_t,
       n_score * a_m AS kk,                  -- score reward (cents) = kk · total_c / dd
       2 * n5 * sum_t AS dd
FROM (SELECT pool_m - 10 * (SELECT sum(stipend_c) FROM scored) AS a_m,
             (SELECT 5 * count(*) FILTER (WHERE basis IN ('score', 'average'))
                   + 4 * count(*) FILTER (WHERE basis = 'average80') FROM scored) AS n5,
             (SELECT count(*) FROM scored WHERE basis = 'score') AS n_score,
             (SELECT sum(total_c) FROM scored WHERE basis = 'score') AS sum_t
      FROM p);

-- score reward = floor(kk·t/dd) rounded half-up.  kk·t can pass 2^63, so with
-- kk = kq·dd + kr it is kq·t + kr·t/dd, and kr·t/dd (kr < dd) is a long division of
-- t in base-1000 digits t3 t2 t1 t0 (t < 10^12): each step keeps q and r < dd, and
-- r·1000 + kr·999 < 2000·dd stays below 2^63 (guard: dd < 4·10^15).
CREATE TEMP TABLE pay AS
SELECT ord, id, basis, stipend_c,
       CASE basis
         WHEN 'excluded' THEN 0
         WHEN 'average' THEN (a_m + n5) / (2 * n5)                  -- round(a_m / (2·n5))
         WHEN 'average80' THEN (4 * a_m + 5 * n5) / (10 * n5)        -- round(2·a_m / (5·n5))
         ELSE CASE WHEN dd = 0 THEN (a_m + n5) / (2 * n5)           -- all score totals 0: equal shares
                   ELSE kq * total_c + q0 + (2 * r0 >= dd) END END AS reward_c
FROM (SELECT *, q1 * 1000 + (r1 * 1000 + kr * t0) / dd AS q0, (r1 * 1000 + kr * t0) % dd AS r0
 FROM (SELECT *, q2 * 1000 + (r2 * 1000 + kr * t1) / dd AS q1, (r2 * 1000 + kr * t1) % dd AS r1
  FROM (SELECT *, q3 * 1000 + (r3 * 1000 + kr * t2) / dd AS q2, (r3 * 1000 + kr * t2) % dd AS r2
   FROM (SELECT *, (kr * t3) / dd AS q3, (kr * t3) % dd AS r3
    FROM (SELECT s.*, a_m, n5, dd, kk / dd AS kq, kk % dd AS kr,
                 total_c / 1000000000 AS t3, total_c / 1000000 % 1000 AS t2,
                 total_c / 1000 % 1000 AS t1, total_c % 1000 AS t0
          FROM scored s, pool)))));

-- ---- guards: stop (exit status 1) instead of printing a wrong cent ----
-- (the failed ones are listed on stdout, which sqlite.sh sends to stderr)
CREATE TEMP TABLE checks AS
SELECT 'pool missing from params.csv' AS what, (SELECT pool_m IS NOT NULL FROM p) AS ok
UNION ALL SELECT 'an input decimal has more than 3 places', (SELECT sum(bad) = 0 FROM scored)
UNION ALL SELECT 'workload/routine/results need one row per staff member',
       (SELECT count(*) FROM workload) = n AND (SELECT count(*) FROM routine) = n
       AND (SELECT count(*) FROM results) = n AND (SELECT count(*) FROM person) = n
       AND (SELECT count(*) FROM person WHERE wh_m IS NULL OR routine_m IS NULL OR score_m IS NULL) = 0 FROM p
UNION ALL SELECT 'stipends exceed the pool', (SELECT a_m >= 0 FROM pool)
UNION ALL SELECT 'no weekly hours at all', (SELECT w_m > 0 FROM p)
UNION ALL SELECT 'sizes beyond the 64-bit splits',
       (SELECT typeof(kk) = 'integer' AND (dd IS NULL OR (typeof(dd) = 'integer' AND dd < 4000000000000000)) FROM pool)
       AND (SELECT w_m < 100000000000000 FROM p)
       AND (SELECT count(*) FROM scored WHERE typeof(total_c) <> 'integer' OR total_c >= 1000000000000) = 0
       AND (SELECT count(*) FROM pay WHERE typeof(reward_c) <> 'integer') = 0;
CREATE TEMP TABLE guard(ok INTEGER CHECK (ok));
SELECT 'dongliu.sql: ' || what FROM checks WHERE NOT coalesce(ok, 0);
INSERT INTO guard SELECT coalesce(ok, 0) FROM checks;

-- ---- pay.csv ----
.output "@OUT@"
.headers on
.mode list
.separator ,
SELECT id AS person, basis,
       printf('%d.%02d', reward_c / 100, reward_c % 100) AS reward,
       printf('%d.%02d', stipend_c / 100, stipend_c % 100) AS stipend,
       printf('%d.%02d', (reward_c + stipend_c) / 100, (reward_c + stipend_c) % 100) AS amount
FROM pay ORDER BY ord;
.output stdout
