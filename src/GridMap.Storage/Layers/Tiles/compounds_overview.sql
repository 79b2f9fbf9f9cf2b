-- Compounds at z10–12, where a compound is a few pixels across: one MultiPoint per (status, dispute) holding every
-- compound's interior point, ordered along a space-filling curve so MVT's delta encoding stays short. The map draws a
-- coloured dot per point; figures per area come from the progress_* layers, details from the API at z13+.
WITH b AS (
  SELECT ST_TileEnvelope(@z, @x, @y) AS env, ST_Transform(ST_TileEnvelope(@z, @x, @y, margin => 64.0 / 4096), 4326) AS env4326
), pts AS (
  SELECT c.retrofit_status, c.dispute, ST_Transform(ST_PointOnSurface(c.footprint), 3857) AS p
  FROM compound c, b
  WHERE c.footprint && b.env4326
)
SELECT ST_AsMVT(t, @layer, 4096, 'geom')
FROM (
  SELECT p.retrofit_status, p.dispute, count(*)::int AS compounds,
         ST_AsMVTGeom(ST_Collect(p.p ORDER BY ST_GeoHash(ST_Transform(p.p, 4326), 10)), b.env, 4096, 64, true) AS geom
  FROM pts p, b
  GROUP BY p.retrofit_status, p.dispute, b.env
  -- A fixed feature order: the same data always gives the same bytes, hence the same ETag.
  ORDER BY p.retrofit_status, p.dispute
) t
WHERE t.geom IS NOT NULL;
