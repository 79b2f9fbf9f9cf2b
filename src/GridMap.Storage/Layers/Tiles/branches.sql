-- Branch service areas with their names (labels); simplified to the tile's pixel size.
WITH b AS (
  SELECT ST_TileEnvelope(@z, @x, @y) AS env, ST_Transform(ST_TileEnvelope(@z, @x, @y, margin => 64.0 / 4096), 4326) AS env4326
)
SELECT ST_AsMVT(t, @layer, 4096, 'geom')
FROM (
  SELECT u.id, u.name,
         ST_AsMVTGeom(ST_Simplify(ST_Transform(u.area, 3857), 40075016.686 / (4096 * 2 ^ @z), true), b.env, 4096, 64, true) AS geom
  FROM branch u, b
  WHERE u.area && b.env4326
  -- A fixed feature order: the same data always gives the same bytes, hence the same ETag.
  ORDER BY u.id
) t
WHERE t.geom IS NOT NULL;
