-- A plan's cells as a GeoJSON FeatureCollection (lon/lat) with their statistics (view plan_cell_stats).
SELECT json_build_object('type', 'FeatureCollection', 'planId', @plan::bigint, 'features', coalesce(json_agg(json_build_object(
  'type', 'Feature', 'id', idx,
  'geometry', ST_AsGeoJSON(cell_area, 8)::json,
  'properties', json_build_object('idx', idx, 'code', code, 'name', name, 'households', households, 'compounds', compounds,
    'deviation', round(deviation::numeric, 4), 'polsbyPopper', round(pp::numeric, 4), 'withinBounds', within, 'oversize', oversize, 'undersize', undersize,
    'contiguous', contiguous, 'locked', locked, 'staffId', staff_id, 'staffName', staff_name, 'staffPinned', staff_pinned)
) ORDER BY idx), '[]'::json))::text
FROM plan_cell_stats WHERE plan_id = @plan;
