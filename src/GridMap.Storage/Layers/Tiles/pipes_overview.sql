-- Pipes below z13: only primary supply pipes (what the map draws there), with what the style reads.
WITH b AS (
  SELECT ST_TileEnvelope(@z, @x, @y) AS env, ST_Transform(ST_TileEnvelope(@z, @x, @y, margin => 64.0 / 4096), 4326) AS env4326
)
SELECT ST_AsMVT(t, @layer, 4096, 'geom')
FROM (
  SELECT p.id, p.level, p.flow, p.dn, p.status,
         ST_AsMVTGeom(ST_Simplify(ST_Transform(p.geom, 3857), 40075016.686 / (4096 * 2 ^ @z), true), b.env, 4096, 64, true) AS geom
  FROM pipe p, b
  WHERE p.geom && b.env4326 AND p.level = 'primary' AND p.flow = 'supply'
  -- A fixed feature order: the same data always gives the same bytes, hence the same ETag.
  ORDER BY p.id
) t
WHERE t.geom IS NOT NULL;
