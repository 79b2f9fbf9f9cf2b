-- One plan as JSON: parameters, bounds, per-cell statistics (households, deviation from the target,
-- Polsby-Popper 4πA/P² on the ellipsoid, compounds, contiguity, staff, lock) and totals.
WITH p AS (SELECT * FROM plan WHERE id = @plan),
cells AS (
  SELECT pc.idx, pc.code::text AS code, pc.name, pc.locked, pc.staff_id, s.name AS staff_name, pc.staff_pinned, pc.contiguous,
         coalesce(sum(c.households), 0)::int AS households, count(c.id)::int AS compounds,
         ST_Area(pc.area::geography) AS area_m2, ST_Perimeter(pc.area::geography) AS perimeter_m,
         ST_PointOnSurface(pc.area) AS label
  FROM plan_cell pc
  LEFT JOIN staff s ON s.id = pc.staff_id
  LEFT JOIN plan_compound m ON m.plan_id = pc.plan_id AND m.cell_idx = pc.idx
  LEFT JOIN compound c ON c.id = m.compound_id
  WHERE pc.plan_id = @plan
  GROUP BY pc.plan_id, pc.idx, s.name
),
stats AS (
  SELECT cells.*, households / p.target - 1 AS deviation,
         CASE WHEN perimeter_m > 0 THEN 4 * pi() * area_m2 / (perimeter_m * perimeter_m) ELSE 0 END AS pp,
         households BETWEEN p.lower_bound - 1e-9 AND p.upper_bound + 1e-9 AS within
  FROM cells, p
)
SELECT json_build_object(
  'id', p.id, 'status', p.status, 'version', p.version,
  'area', json_build_object('kind', p.area_kind, 'code', p.area_code, 'key', p.area_key, 'name', p.area_name, 'districtCode', p.district_code::text),
  'params', p.params, 'search', p.search,
  'lowerBound', p.lower_bound, 'upperBound', p.upper_bound, 'target', p.target,
  'bbox', json_build_array(ST_XMin(p.area), ST_YMin(p.area), ST_XMax(p.area), ST_YMax(p.area)),
  'createdAt', p.created_at, 'publishedAt', p.published_at, 'supersededAt', p.superseded_at, 'supersededBy', p.superseded_by,
  'cells', coalesce((SELECT json_agg(json_build_object(
      'idx', idx, 'code', code, 'name', name, 'households', households, 'compounds', compounds,
      'deviation', round(deviation::numeric, 4), 'polsbyPopper', round(pp::numeric, 4), 'contiguous', contiguous,
      'withinBounds', within, 'locked', locked, 'staffId', staff_id, 'staffName', staff_name, 'staffPinned', staff_pinned,
      'labelPoint', json_build_array(round(ST_X(label)::numeric, 6), round(ST_Y(label)::numeric, 6))) ORDER BY idx) FROM stats), '[]'::json),
  'totals', (SELECT json_build_object(
      'cells', count(*), 'households', coalesce(sum(households), 0), 'compounds', coalesce(sum(compounds), 0),
      'maxDeviation', round(coalesce(max(abs(deviation)), 0)::numeric, 4), 'meanPolsbyPopper', round(coalesce(avg(pp), 0)::numeric, 4),
      'allContiguous', coalesce(bool_and(contiguous), true), 'allWithinBounds', coalesce(bool_and(within), true),
      'cellsWithoutStaff', count(*) FILTER (WHERE staff_id IS NULL), 'lockedCells', count(*) FILTER (WHERE locked)) FROM stats)
)::text
FROM p;
