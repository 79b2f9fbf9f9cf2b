-- Heat-exchange stations: id and name (label).
WITH b AS (
  SELECT ST_TileEnvelope(@z, @x, @y) AS env, ST_Transform(ST_TileEnvelope(@z, @x, @y, margin => 64.0 / 4096), 4326) AS env4326
)
SELECT ST_AsMVT(t, @layer, 4096, 'geom')
FROM (
  SELECT s.id, s.name,
         ST_AsMVTGeom(ST_Transform(s.geom, 3857), b.env, 4096, 64, true) AS geom
  FROM station s, b
  WHERE s.geom && b.env4326
  -- A fixed feature order: the same data always gives the same bytes, hence the same ETag.
  ORDER BY s.id
) t
WHERE t.geom IS NOT NULL;
