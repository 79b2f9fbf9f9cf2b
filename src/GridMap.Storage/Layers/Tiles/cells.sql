-- Grid cells from z15: code, name and the responsible staff member's name (labels).
WITH b AS (
  SELECT ST_TileEnvelope(@z, @x, @y) AS env, ST_Transform(ST_TileEnvelope(@z, @x, @y, margin => 64.0 / 4096), 4326) AS env4326
)
SELECT ST_AsMVT(t, @layer, 4096, 'geom')
FROM (
  SELECT g.code::text AS code, g.name, s.name AS staff_name,
         ST_AsMVTGeom(ST_Transform(g.area, 3857), b.env, 4096, 64, true) AS geom
  FROM grid_cell g LEFT JOIN staff s ON s.id = g.staff_id, b
  WHERE g.area && b.env4326
  -- A fixed feature order: the same data always gives the same bytes, hence the same ETag.
  ORDER BY g.code
) t
WHERE t.geom IS NOT NULL;
