-- One Mapbox vector tile of a layer view: geometries clipped to the tile (64-unit buffer) in Web Mercator.
-- Properties travel as jsonb, which ST_AsMVT expands into tile attributes.
-- {view}, {filter} and the MVT layer name come from the layer catalog only.
WITH bounds AS (
  SELECT ST_TileEnvelope(@z, @x, @y) AS env,
         ST_Transform(ST_TileEnvelope(@z, @x, @y, margin => 64.0 / 4096), 4326) AS env4326
), mvt AS (
  SELECT ST_AsMVTGeom(ST_Transform(t.geom, 3857), b.env, 4096, 64, true) AS mvt_geom,
         to_jsonb(t) - 'geom' AS props
  FROM {view} t, bounds b
  WHERE t.geom && b.env4326 {filter}
)
SELECT ST_AsMVT(m.*, @layer, 4096, 'mvt_geom')
FROM mvt m
WHERE m.mvt_geom IS NOT NULL;
