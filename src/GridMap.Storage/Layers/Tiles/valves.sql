-- Valves: state and operability as found in the field (the latest field record applied, migration 0017: the symbol),
-- the field condition, id (click → details).
WITH b AS (
  SELECT ST_TileEnvelope(@z, @x, @y) AS env, ST_Transform(ST_TileEnvelope(@z, @x, @y, margin => 64.0 / 4096), 4326) AS env4326
)
SELECT ST_AsMVT(t, @layer, 4096, 'geom')
FROM (
  SELECT v.id, v.state, v.operable, v.condition,
         ST_AsMVTGeom(ST_Transform(v.geom, 3857), b.env, 4096, 64, true) AS geom
  FROM layer_valves v, b
  WHERE v.geom && b.env4326
  -- A fixed feature order: the same data always gives the same bytes, hence the same ETag.
  ORDER BY v.id
) t
WHERE t.geom IS NOT NULL;
