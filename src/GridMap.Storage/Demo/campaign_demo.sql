-- The demo campaign (issue 10), generated in SQL right after the demo city, deterministic for a given @seed and day
-- (u(key) below is a hash, not a random draw). It makes:
--  * one grid cell (网格) per community with compounds, its area the convex hull of their footprints, assigned round-robin
--    to the grid workers of the district's branch (so staff users have real cells);
--  * households for every compound: exactly `households` rows whose areas sum to `heated_area_m2`, by building, unit
--    (12 flats: 6 floors × 2), floor, room;
--  * answers consistent with each compound's stage (signed and later: the vote rule met, non-agreeing flats bypassed),
--    visits over the past two heating seasons, stage events (a plausible history), the 五化 checklist, acceptance,
--    disputes (open ones on the compounds flagged disputed, resolved ones elsewhere), fee collectors, follow-up visits
--    (some compounds left overdue), and the compound summaries (consent_rate) recomputed from the households.
CREATE TEMP TABLE demo_seed (seed int NOT NULL, today date NOT NULL) ON COMMIT DROP;
INSERT INTO demo_seed VALUES (@seed, current_date);
CREATE FUNCTION pg_temp.u(k text) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$ SELECT (abs(hashtext(k)) % 100000) / 100000.0 $$;

-- Grid cells per community, staffed round-robin by the branch's grid workers.
WITH comm AS (
  SELECT c.community_code, min(c.district_code) AS district_code, ST_Multi(ST_ConvexHull(ST_Collect(c.footprint))) AS area
  FROM compound c WHERE c.community_code IS NOT NULL GROUP BY c.community_code
), ranked AS (
  SELECT m.*, d.branch_id, row_number() OVER (PARTITION BY d.branch_id ORDER BY m.community_code) AS rn
  FROM comm m JOIN district d ON d.code = m.district_code
), workers AS (
  SELECT s.id, s.branch_id, row_number() OVER (PARTITION BY s.branch_id ORDER BY s.id) AS wn, count(*) OVER (PARTITION BY s.branch_id) AS wc
  FROM staff s WHERE s.role = 'grid_worker'
)
INSERT INTO grid_cell (code, name, district_code, staff_id, area)
SELECT r.community_code || '001', coalesce(cm.name, r.community_code) || '网格', r.district_code,
       (SELECT w.id FROM workers w WHERE w.branch_id = r.branch_id AND w.wn = 1 + (r.rn - 1) % w.wc),
       CASE WHEN ST_GeometryType(ST_ConvexHull(r.area)) = 'ST_Polygon' THEN r.area
            ELSE ST_Multi(ST_Buffer(ST_ConvexHull(r.area)::geography, 30)::geometry) END
FROM ranked r LEFT JOIN community cm ON cm.code = r.community_code;
UPDATE compound c SET cell_code = c.community_code || '001' WHERE c.community_code IS NOT NULL;

-- Households: N per compound, flats of 12 per unit, units per building as needed; areas proportional to weights 0.7–1.3.
CREATE TEMP TABLE demo_hh ON COMMIT DROP AS
SELECT c.id AS compound_id, n, c.households AS total, greatest(c.buildings, 1) AS b, c.heated_area_m2 AS area_total,
       0.7 + 0.6 * pg_temp.u(s.seed || ':a:' || c.id || ':' || n) AS w, c.retrofit_status AS stage, c.consent_rate AS rate
FROM compound c, demo_seed s, generate_series(0, c.households - 1) n;

INSERT INTO household (compound_id, building, unit, floor, room, area_m2, owner_name, phone, consent, consent_at, bypass)
SELECT h.compound_id,
       (1 + h.n % h.b)::text || '号楼',
       (1 + (h.n / h.b) / 12)::text || '单元',
       1 + ((h.n / h.b) % 12) / 2,
       ((1 + ((h.n / h.b) % 12) / 2) * 100 + 1 + (h.n / h.b) % 2)::text,
       h.area_total * h.w / sum(h.w) OVER (PARTITION BY h.compound_id),
       substr('王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗', 1 + (abs(hashtext('o' || h.compound_id || ':' || h.n)) % 20), 1) || '先生',
       '13' || lpad((abs(hashtext('p' || h.compound_id || ':' || h.n)) % 1000000000)::text, 9, '0'),
       a.answer,
       CASE WHEN a.answer <> 'none' THEN (s.today - (30 + (pg_temp.u('t' || h.compound_id || ':' || h.n) * 500)::int))::timestamptz END,
       a.answer NOT IN ('agree', 'none') AND h.stage IN ('construction', 'acceptance', 'completed')
FROM demo_hh h, demo_seed s,
LATERAL (SELECT pg_temp.u(s.seed || ':c:' || h.compound_id || ':' || h.n) AS r) x,
LATERAL (SELECT CASE
  WHEN h.stage IN ('not_started', 'publicity') THEN 'none'
  WHEN h.stage = 'visiting' THEN CASE WHEN x.r < h.rate THEN 'agree' WHEN x.r < h.rate + 0.08 THEN 'disagree'
                                      WHEN x.r < h.rate + 0.2 THEN 'undecided' WHEN x.r < h.rate + 0.3 THEN 'absent' ELSE 'none' END
  -- signed and later: 88% agree, 5% disagree, 4% undecided, 3% absent (participation 93%, agreement 95%: the rule is met)
  ELSE CASE WHEN x.r < 0.88 THEN 'agree' WHEN x.r < 0.93 THEN 'disagree' WHEN x.r < 0.97 THEN 'undecided' ELSE 'absent' END
  END AS answer) a;

-- Visits: every answered household of compounds still collecting answers (visiting, signed) once, one in ten elsewhere
-- (the demo's answers stand for the rest), plus a publicity event per compound past not_started.
INSERT INTO visit (compound_id, household_id, staff_id, actor, visited_at, outcome, consent, notes)
SELECT h.compound_id, h.id, g.staff_id, coalesce(st.name, 'demo'), h.consent_at,
       CASE h.consent WHEN 'absent' THEN 'not_home' WHEN 'disagree' THEN 'refused' ELSE 'met' END, h.consent, NULL
FROM household h JOIN compound c ON c.id = h.compound_id
LEFT JOIN grid_cell g ON g.code = c.cell_code LEFT JOIN staff st ON st.id = g.staff_id
WHERE h.consent <> 'none' AND (c.retrofit_status IN ('visiting', 'signed') OR h.id % 10 = 0);
INSERT INTO visit (compound_id, household_id, staff_id, actor, visited_at, outcome, notes)
SELECT c.id, NULL, g.staff_id, coalesce(st.name, 'demo'), (s.today - 560 + (pg_temp.u('pv' || c.id) * 60)::int)::timestamptz, 'publicity', '小区宣传点、服务指南'
FROM compound c CROSS JOIN demo_seed s LEFT JOIN grid_cell g ON g.code = c.cell_code LEFT JOIN staff st ON st.id = g.staff_id
WHERE c.retrofit_status <> 'not_started';

-- Stage history over the past two heating seasons: publicity 400–600 days ago, then each stage 20–80 days later,
-- the last one no later than a week ago (completed ones spread so that some follow-ups are due, some overdue).
WITH c AS (
  SELECT c.id, rs.ord, (s.today - 420 - (pg_temp.u('s0' || c.id) * 180)::int) AS start, s.today
  FROM compound c JOIN retrofit_stage rs ON rs.code = c.retrofit_status CROSS JOIN demo_seed s WHERE rs.ord > 0
), steps AS (
  SELECT c.id, rs.code, rs.ord, c.start, c.today, c.ord AS top,
         sum(20 + (pg_temp.u('s' || rs.ord || ':' || c.id) * 60)::int) OVER (PARTITION BY c.id ORDER BY rs.ord) AS offs
  FROM c JOIN retrofit_stage rs ON rs.ord BETWEEN 1 AND c.ord
)
INSERT INTO compound_stage_event (compound_id, stage, at, actor)
SELECT id, code, (least(start + offs::int, today - 7 - (top - ord) * 3))::timestamptz + interval '10 hours', 'demo'
FROM steps ORDER BY id, ord;

-- 五化 checklist: complete for acceptance and completed, partly done in construction.
INSERT INTO acceptance_item (compound_id, item, evidence, signed_off_by, signed_off_at)
SELECT c.id, i.item, i.label || '：' || c.name || ' 验收资料', 'demo', now() - interval '20 days'
FROM compound c CROSS JOIN (VALUES (1, 'design', '设计图纸'), (2, 'materials', '材料合格证'), (3, 'process', '施工记录'),
                                   (4, 'operations', '智能监控接入'), (5, 'inspection', '数字化验收报告')) i(k, item, label)
WHERE c.retrofit_status IN ('acceptance', 'completed')
   OR (c.retrofit_status = 'construction' AND i.k <= 1 + (pg_temp.u('ck' || c.id) * 4)::int);
UPDATE compound SET acceptance_passed = true, acceptance_notes = '并网验收通过' WHERE retrofit_status = 'completed';
UPDATE compound SET fee_collector = CASE WHEN property_management THEN '物业代收' ELSE '热力公司收费员' END
WHERE retrofit_status IN ('construction', 'acceptance', 'completed');

-- Disputes: the flagged compounds have an open or in-progress one; some other compounds a resolved one.
INSERT INTO dispute (compound_id, household_ids, summary, owner, status, opened_at, opened_by)
SELECT c.id, coalesce((SELECT array_agg(h.id) FROM (SELECT h.id FROM household h WHERE h.compound_id = c.id AND h.consent = 'disagree' ORDER BY h.id LIMIT 2) h), '{}'),
       coalesce(c.dispute_notes, '住户对改造方案有异议'), coalesce(st.name, '网格员'),
       CASE WHEN pg_temp.u('d' || c.id) < 0.5 THEN 'open' ELSE 'in_progress' END, now() - (10 + (pg_temp.u('do' || c.id) * 90)::int) * interval '1 day', 'demo'
FROM compound c LEFT JOIN grid_cell g ON g.code = c.cell_code LEFT JOIN staff st ON st.id = g.staff_id
WHERE c.dispute;
INSERT INTO dispute (compound_id, summary, owner, status, resolution, opened_at, opened_by, resolved_at)
SELECT c.id, '施工期间停暖时间过长', coalesce(st.name, '网格员'), 'resolved', '调整施工时段，补偿热费一个月',
       now() - interval '200 days', 'demo', now() - interval '170 days'
FROM compound c LEFT JOIN grid_cell g ON g.code = c.cell_code LEFT JOIN staff st ON st.id = g.staff_id
WHERE NOT c.dispute AND c.retrofit_status IN ('construction', 'acceptance', 'completed') AND pg_temp.u('dr' || c.id) < 0.08;

-- Follow-ups: about two thirds of the completed compounds are visited on schedule up to last month; the rest fall behind.
INSERT INTO follow_up_visit (compound_id, staff_id, visited_on, notes)
SELECT c.id, g.staff_id, (s.today - 35 - (pg_temp.u('f' || c.id) * 20)::int), '室温达标，住户满意'
FROM compound c CROSS JOIN demo_seed s LEFT JOIN grid_cell g ON g.code = c.cell_code
WHERE c.retrofit_status = 'completed' AND pg_temp.u('fu' || c.id) < 0.66;
INSERT INTO follow_up_visit (compound_id, staff_id, visited_on, notes)
SELECT c.id, g.staff_id, (s.today - 3 - (pg_temp.u('f2' || c.id) * 4)::int), '回访：供热正常'
FROM compound c CROSS JOIN demo_seed s LEFT JOIN grid_cell g ON g.code = c.cell_code
WHERE c.retrofit_status = 'completed' AND pg_temp.u('fu' || c.id) < 0.45;

-- Metered heat use for a quarter of the completed compounds (GJ/m² per season, before and after).
INSERT INTO compound_heat_use (compound_id, period, season, gj_per_m2)
SELECT c.id, p.period, p.season, round((CASE p.period WHEN 'before' THEN 0.42 ELSE 0.31 END * (0.9 + 0.2 * pg_temp.u('m' || p.period || c.id)))::numeric, 3)
FROM compound c CROSS JOIN (VALUES ('before', '2023-2024'), ('after', '2025-2026')) p(period, season)
WHERE c.retrofit_status = 'completed' AND pg_temp.u('meter' || c.id) < 0.25;

-- The compound summary follows the households: share agreeing.
UPDATE compound c SET consent_rate = x.rate
FROM (SELECT compound_id, round((count(*) FILTER (WHERE consent = 'agree'))::numeric / count(*), 4)::float8 AS rate FROM household GROUP BY compound_id) x
WHERE x.compound_id = c.id AND c.consent_rate IS DISTINCT FROM x.rate;
