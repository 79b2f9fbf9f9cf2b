-- One page of an OGC API – Features items response of one layer view (src/GridMap.Storage/Layers/LayerStore.cs):
-- the features whose geometry intersects the optional WGS84 box (@minx NULL = no box), ordered by id, from @offset,
-- at most @limit. numberMatched counts every feature the box selects, so a client paging by the next links stops at it.
-- {view} comes from the layer catalog only; properties are the view's columns but geom, as /api/layers/{id}/features gives.
WITH matched AS (
  SELECT t.*
  FROM {view} t
  WHERE @minx::float8 IS NULL
     OR (t.geom && ST_MakeEnvelope(@minx, @miny, @maxx, @maxy, 4326)
         AND ST_Intersects(t.geom, ST_MakeEnvelope(@minx, @miny, @maxx, @maxy, 4326)))
), page AS (
  SELECT m.* FROM matched m ORDER BY m.id LIMIT @limit OFFSET @offset
)
SELECT (SELECT count(*) FROM matched)::int AS matched,
       (SELECT count(*) FROM page)::int AS returned,
       coalesce((SELECT json_agg(json_build_object(
                  'type', 'Feature',
                  'id', p.id,
                  'geometry', ST_AsGeoJSON(p.geom, 7)::json,
                  'properties', to_jsonb(p) - 'geom'
                ) ORDER BY p.id) FROM page p), '[]'::json)::text AS features;
