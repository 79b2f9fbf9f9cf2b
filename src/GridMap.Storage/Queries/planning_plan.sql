-- One plan as JSON: parameters, bounds, per-cell statistics (view plan_cell_stats: households, deviation from the
-- target, Polsby-Popper 4πA/P² on the ellipsoid, compounds, contiguity, oversize, staff, lock), totals, and the
-- arterial-road crossings the engine allowed (soft barriers) as lines between the two compounds' centres.
WITH p AS (SELECT * FROM plan WHERE id = @plan),
stats AS (SELECT * FROM plan_cell_stats WHERE plan_id = @plan)
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
      'withinBounds', within, 'oversize', oversize, 'undersize', undersize, 'locked', locked, 'staffId', staff_id, 'staffName', staff_name, 'staffPinned', staff_pinned,
      'labelPoint', json_build_array(round(ST_X(label)::numeric, 6), round(ST_Y(label)::numeric, 6))) ORDER BY idx) FROM stats), '[]'::json),
  'barrierCrossings', coalesce((SELECT json_agg(json_build_object(
      'a', x.compound_a, 'b', x.compound_b, 'aName', ca.name, 'bName', cb.name,
      'line', ST_AsGeoJSON(ST_MakeLine(ST_Centroid(ca.footprint), ST_Centroid(cb.footprint)), 7)::json) ORDER BY x.compound_a, x.compound_b)
    FROM plan_barrier_crossing x JOIN compound ca ON ca.id = x.compound_a JOIN compound cb ON cb.id = x.compound_b
    WHERE x.plan_id = p.id), '[]'::json),
  'totals', (SELECT json_build_object(
      'cells', count(*), 'households', coalesce(sum(households), 0), 'compounds', coalesce(sum(compounds), 0),
      'maxDeviation', round(coalesce(max(abs(deviation)), 0)::numeric, 4), 'meanPolsbyPopper', round(coalesce(avg(pp), 0)::numeric, 4),
      'allContiguous', coalesce(bool_and(contiguous), true), 'allWithinBounds', coalesce(bool_and(within), true),
      'oversizeCells', count(*) FILTER (WHERE oversize), 'undersizeCells', count(*) FILTER (WHERE undersize),
      'cellsWithoutStaff', count(*) FILTER (WHERE staff_id IS NULL), 'lockedCells', count(*) FILTER (WHERE locked)) FROM stats)
)::text
FROM p;
