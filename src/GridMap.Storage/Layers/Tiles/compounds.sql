-- Compounds from z13, where a compound is legible: footprints with only what the map styles by
-- (status colour, dispute outline), the id (click → details from the API), the district (manager view), and what the
-- hover tooltip says: households, and from z15 (where a compound is large enough to point at) its name.
WITH b AS (
  SELECT ST_TileEnvelope(@z, @x, @y) AS env, ST_Transform(ST_TileEnvelope(@z, @x, @y, margin => 64.0 / 4096), 4326) AS env4326
)
SELECT ST_AsMVT(t, @layer, 4096, 'geom')
FROM (
  SELECT c.id, c.retrofit_status, c.dispute, c.district_code::text AS district_code, c.households,
         CASE WHEN @z >= 15 THEN c.name END AS name,
         ST_AsMVTGeom(ST_Transform(c.footprint, 3857), b.env, 4096, 64, true) AS geom
  FROM compound c, b
  WHERE c.footprint && b.env4326
  -- A fixed feature order: the same data always gives the same bytes, hence the same ETag.
  ORDER BY c.id
) t
WHERE t.geom IS NOT NULL;
