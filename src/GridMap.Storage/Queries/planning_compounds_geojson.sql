-- A plan's compounds as a GeoJSON FeatureCollection (footprints, lon/lat) with their cell.
SELECT json_build_object('type', 'FeatureCollection', 'planId', @plan, 'features', coalesce(json_agg(json_build_object(
  'type', 'Feature', 'id', c.id,
  'geometry', ST_AsGeoJSON(c.footprint, 7)::json,
  'properties', json_build_object('id', c.id, 'name', c.name, 'households', c.households, 'cell', m.cell_idx,
    'community', c.community_code::text, 'street', c.street_code::text)
) ORDER BY c.id), '[]'::json))::text
FROM plan_compound m JOIN compound c ON c.id = m.compound_id
WHERE m.plan_id = @plan;
