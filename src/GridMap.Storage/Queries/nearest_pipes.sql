-- The k pipes nearest to a WGS84 point, by true distance in metres. The KNN operator (<->) on the GiST
-- index finds candidates in degrees (a degree of longitude is shorter than one of latitude here), so it
-- over-fetches 8×k candidates and re-ranks them on the spheroid. The point must be written out in the
-- ORDER BY (not joined from a CTE): only a constant operand lets PostgreSQL use the index for KNN.
WITH cand AS (
  SELECT pipe.id, pipe.level, pipe.flow, pipe.dn, pipe.depth_m, pipe.material, pipe.status, pipe.geom
  FROM pipe
  ORDER BY pipe.geom <-> ST_SetSRID(ST_MakePoint(@lon, @lat), 4326)
  LIMIT @k * 8
), p AS (SELECT ST_SetSRID(ST_MakePoint(@lon, @lat), 4326) AS pt)
SELECT c.id, c.level, c.flow, c.dn, c.depth_m, c.material, c.status,
       ST_Distance(c.geom::geography, p.pt::geography) AS distance_m,
       degrees(ST_Azimuth(p.pt::geography, ST_ClosestPoint(c.geom, p.pt)::geography)) AS bearing_deg,
       ST_X(ST_ClosestPoint(c.geom, p.pt)) AS lon, ST_Y(ST_ClosestPoint(c.geom, p.pt)) AS lat
FROM cand c, p
ORDER BY distance_m
LIMIT @k;
