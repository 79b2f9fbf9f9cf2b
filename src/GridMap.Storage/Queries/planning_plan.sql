-- One plan in four result sets (one round trip):
-- 1. the plan row: status, version, area, the request (params) and the engine's report (search) as stored (jsonb),
--    bounds and target (households), bbox of the area (lon/lat), timestamps, the plan that superseded it, its revision (ETag);
-- 2. per-cell statistics (view plan_cell_stats: households, deviation from the target and Polsby-Popper 4πA/P² on the
--    ellipsoid rounded to 4 decimals, compounds, contiguity, exception cells, lock, staff, a label point to 6 decimals);
-- 3. the arterial-road crossings the engine allowed (soft barriers) as lines between the two compounds' centres;
-- 4. totals over the cells.
-- No row in 1 when there is no such plan.
SELECT p.id, p.status, p.version, p.area_kind, p.area_code, p.area_key, p.area_name, p.district_code::text,
       p.params, p.search, p.lower_bound, p.upper_bound, p.target,
       ST_XMin(p.area), ST_YMin(p.area), ST_XMax(p.area), ST_YMax(p.area),
       p.created_at, p.published_at, p.superseded_at, p.superseded_by, p.revision, p.restored_from
FROM plan p WHERE p.id = @plan;

SELECT idx, code, name, households, compounds, round(deviation::numeric, 4), round(pp::numeric, 4),
       contiguous, within, oversize, undersize, locked, staff_id, staff_name, staff_pinned,
       round(ST_X(label)::numeric, 6), round(ST_Y(label)::numeric, 6)
FROM plan_cell_stats WHERE plan_id = @plan
ORDER BY idx;

SELECT x.compound_a, x.compound_b, ca.name, cb.name,
       ST_AsGeoJSON(ST_MakeLine(ST_Centroid(ca.footprint), ST_Centroid(cb.footprint)), 7)
FROM plan_barrier_crossing x JOIN compound ca ON ca.id = x.compound_a JOIN compound cb ON cb.id = x.compound_b
WHERE x.plan_id = @plan
ORDER BY x.compound_a, x.compound_b;

SELECT count(*), coalesce(sum(households), 0), coalesce(sum(compounds), 0),
       round(coalesce(max(abs(deviation)), 0)::numeric, 4), round(coalesce(avg(pp), 0)::numeric, 4),
       coalesce(bool_and(contiguous), true), coalesce(bool_and(within), true),
       count(*) FILTER (WHERE oversize), count(*) FILTER (WHERE undersize),
       count(*) FILTER (WHERE staff_id IS NULL), count(*) FILTER (WHERE locked)
FROM plan_cell_stats WHERE plan_id = @plan;
