-- One feature of a layer view by its id (compared as text: districts, streets and cells are keyed by code), as a GeoJSON
-- Feature; no row when there is none. Geometry in @srid as in ogc_items.sql (4547: [northing, easting] metres).
-- {view} comes from the layer catalog only.
SELECT json_build_object(
         'type', 'Feature',
         'id', t.id,
         'geometry', (CASE WHEN @srid::int = 4326 THEN ST_AsGeoJSON(t.geom, 7, 0)
                           ELSE ST_AsGeoJSON(ST_FlipCoordinates(ST_Transform(t.geom, @srid::int)), 3, 0) END)::json,
         'properties', to_jsonb(t) - 'geom'
       )::text
FROM {view} t
WHERE t.id::text = @id;
