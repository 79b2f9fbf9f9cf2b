-- GeoJSON FeatureCollection of one layer view inside a bbox; {view} comes from the layer catalog only.
-- Fetches limit + 1 rows so the caller can tell the result was truncated.
WITH rows AS (
  SELECT t.*
  FROM {view} t
  WHERE t.geom && ST_MakeEnvelope(@minx, @miny, @maxx, @maxy, 4326)
  ORDER BY t.id
  LIMIT @limit + 1
), numbered AS (
  SELECT r.*, row_number() OVER () AS rn FROM rows r
)
SELECT count(*)::int AS n,
       coalesce(json_agg(json_build_object(
         'type', 'Feature',
         'id', n.id,
         'geometry', ST_AsGeoJSON(n.geom, 7)::json,
         'properties', to_jsonb(n) - 'geom' - 'rn'
       )) FILTER (WHERE n.rn <= @limit), '[]'::json)::text AS features
FROM numbered n;
