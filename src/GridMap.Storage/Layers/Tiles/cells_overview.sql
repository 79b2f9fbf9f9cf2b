-- Grid cell outlines below z15 (no labels there): code only.
WITH b AS (
  SELECT ST_TileEnvelope(@z, @x, @y) AS env, ST_Transform(ST_TileEnvelope(@z, @x, @y, margin => 64.0 / 4096), 4326) AS env4326
)
SELECT ST_AsMVT(t, @layer, 4096, 'geom')
FROM (
  SELECT g.code::text AS code,
         ST_AsMVTGeom(ST_Simplify(ST_Transform(g.area, 3857), 40075016.686 / (4096 * 2 ^ @z), true), b.env, 4096, 64, true) AS geom
  FROM grid_cell g, b
  WHERE g.area && b.env4326
  -- A fixed feature order: the same data always gives the same bytes, hence the same ETag.
  ORDER BY g.code
) t
WHERE t.geom IS NOT NULL;
