-- One feature of a layer view by its id (compared as text: districts, streets and cells are keyed by code), as a GeoJSON
-- Feature; no row when there is none. {view} comes from the layer catalog only.
SELECT json_build_object(
         'type', 'Feature',
         'id', t.id,
         'geometry', ST_AsGeoJSON(t.geom, 7)::json,
         'properties', to_jsonb(t) - 'geom'
       )::text
FROM {view} t
WHERE t.id::text = @id;
