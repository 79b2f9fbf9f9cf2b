-- A plan's cells as a GeoJSON FeatureCollection (lon/lat) with their statistics.
WITH p AS (SELECT * FROM plan WHERE id = @plan),
cells AS (
  SELECT pc.idx, pc.code::text AS code, pc.name, pc.locked, pc.staff_id, s.name AS staff_name, pc.staff_pinned, pc.contiguous, pc.area AS cell_area,
         coalesce(sum(c.households), 0)::int AS households, count(c.id)::int AS compounds
  FROM plan_cell pc
  LEFT JOIN staff s ON s.id = pc.staff_id
  LEFT JOIN plan_compound m ON m.plan_id = pc.plan_id AND m.cell_idx = pc.idx
  LEFT JOIN compound c ON c.id = m.compound_id
  WHERE pc.plan_id = @plan
  GROUP BY pc.plan_id, pc.idx, s.name
)
SELECT json_build_object('type', 'FeatureCollection', 'planId', (SELECT id FROM p), 'features', coalesce(json_agg(json_build_object(
  'type', 'Feature', 'id', idx,
  'geometry', ST_AsGeoJSON(cell_area, 8)::json,
  'properties', json_build_object('idx', idx, 'code', code, 'name', name, 'households', households, 'compounds', compounds,
    'deviation', round((households / p.target - 1)::numeric, 4),
    'polsbyPopper', round((4 * pi() * ST_Area(cell_area::geography) / nullif(ST_Perimeter(cell_area::geography) ^ 2, 0))::numeric, 4),
    'withinBounds', households BETWEEN p.lower_bound - 1e-9 AND p.upper_bound + 1e-9,
    'contiguous', contiguous, 'locked', locked, 'staffId', staff_id, 'staffName', staff_name, 'staffPinned', staff_pinned)
) ORDER BY idx), '[]'::json))::text
FROM cells, p;
