-- The district, street and community at a point (lon/lat): the district whose polygon holds it; street and
-- community of the nearest compound within 1 km (demo street polygons are approximate and cover only some streets).
WITH pt AS (SELECT ST_SetSRID(ST_MakePoint(@lon, @lat), 4326) AS g),
near AS (
  SELECT c.street_code, c.community_code
  FROM compound c, pt
  WHERE ST_DWithin(c.footprint::geography, pt.g::geography, 1000)
  ORDER BY c.footprint <-> pt.g
  LIMIT 1
)
SELECT (SELECT d.code::text FROM district d, pt WHERE ST_Intersects(d.area, pt.g) LIMIT 1),
       (SELECT street_code::text FROM near),
       (SELECT community_code::text FROM near);
