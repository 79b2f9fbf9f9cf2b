-- Outcome figures per unit (@kind: cell, street, branch, city): completed compounds and their heated area, and where
-- metered (compound_heat_use, latest season of each period) the area-weighted heat use per m² before and after.
WITH m AS (
  SELECT h.compound_id,
         (SELECT x.gj_per_m2 FROM compound_heat_use x WHERE x.compound_id = h.compound_id AND x.period = 'before' ORDER BY x.season DESC LIMIT 1) AS before,
         (SELECT x.gj_per_m2 FROM compound_heat_use x WHERE x.compound_id = h.compound_id AND x.period = 'after' ORDER BY x.season DESC LIMIT 1) AS after
  FROM (SELECT DISTINCT compound_id FROM compound_heat_use) h
), c AS (
  SELECT CASE @kind WHEN 'cell' THEN c.cell_code::text WHEN 'street' THEN c.street_code::text WHEN 'branch' THEN d.branch_id::text ELSE 'city' END AS code,
         c.heated_area_m2 AS area, m.before, m.after
  FROM compound c JOIN district d ON d.code = c.district_code LEFT JOIN m ON m.compound_id = c.id
  WHERE c.retrofit_status = 'completed'
)
SELECT c.code,
       coalesce(CASE @kind WHEN 'cell' THEN (SELECT g.name FROM grid_cell g WHERE g.code::text = c.code)
                            WHEN 'street' THEN (SELECT s.name FROM street s WHERE s.code::text = c.code)
                            WHEN 'branch' THEN (SELECT b.name FROM branch b WHERE b.id::text = c.code) ELSE '全市' END, c.code) AS name,
       count(*)::int, round(sum(c.area)::numeric, 1)::float8,
       count(*) FILTER (WHERE c.before IS NOT NULL AND c.after IS NOT NULL)::int,
       (sum(c.before * c.area) FILTER (WHERE c.before IS NOT NULL AND c.after IS NOT NULL)
         / nullif(sum(c.area) FILTER (WHERE c.before IS NOT NULL AND c.after IS NOT NULL), 0))::float8,
       (sum(c.after * c.area) FILTER (WHERE c.before IS NOT NULL AND c.after IS NOT NULL)
         / nullif(sum(c.area) FILTER (WHERE c.before IS NOT NULL AND c.after IS NOT NULL), 0))::float8
FROM c WHERE c.code IS NOT NULL
GROUP BY c.code ORDER BY c.code;
