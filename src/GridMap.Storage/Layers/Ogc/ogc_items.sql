-- One page of an OGC API – Features items response of one layer view (src/GridMap.Storage/Layers/LayerStore.cs):
-- the features whose geometry intersects the optional box (@minx NULL = no box), ordered by id, from @offset, at most
-- @limit. numberMatched counts every feature the box selects, so a client paging by the next links stops at it.
-- The box is in @bbox_srid (4326 lon/lat, or 4547 easting/northing metres: its edges are segmentized every 50 m before
-- the transform to WGS84, so the straight metre edges stay where they are). Geometries are written in @srid: 4326 as
-- lon/lat (7 decimals), 4547 as [northing, easting] metres (3 decimals) — EPSG:4547's own axis order, which OGC API –
-- Features Part 2 requires — with no "crs" member inside the geometry (options 0).
-- {view} comes from the layer catalog only; properties are the view's columns but geom, as /api/layers/{id}/features gives.
WITH box AS (
  SELECT CASE WHEN @minx::float8 IS NULL THEN NULL
              WHEN @bbox_srid::int = 4326 THEN ST_MakeEnvelope(@minx, @miny, @maxx, @maxy, 4326)
              ELSE ST_Transform(ST_Segmentize(ST_MakeEnvelope(@minx, @miny, @maxx, @maxy, @bbox_srid::int), 50), 4326) END AS g
), matched AS (
  SELECT t.*
  FROM {view} t, box
  WHERE box.g IS NULL OR (t.geom && box.g AND ST_Intersects(t.geom, box.g))
), page AS (
  SELECT m.* FROM matched m ORDER BY m.id LIMIT @limit OFFSET @offset
)
SELECT (SELECT count(*) FROM matched)::int AS matched,
       (SELECT count(*) FROM page)::int AS returned,
       coalesce((SELECT json_agg(json_build_object(
                  'type', 'Feature',
                  'id', p.id,
                  'geometry', (CASE WHEN @srid::int = 4326 THEN ST_AsGeoJSON(p.geom, 7, 0)
                                    ELSE ST_AsGeoJSON(ST_FlipCoordinates(ST_Transform(p.geom, @srid::int)), 3, 0) END)::json,
                  'properties', to_jsonb(p) - 'geom'
                ) ORDER BY p.id) FROM page p), '[]'::json)::text AS features;
