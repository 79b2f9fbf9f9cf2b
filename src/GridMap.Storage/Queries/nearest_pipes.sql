-- The k pipes nearest to a WGS84 point, by true distance in metres. The KNN operator (<->) on the GiST
-- index finds candidates in degrees (a degree of longitude is shorter than one of latitude here), so it
-- over-fetches 8×k candidates and re-ranks them on the spheroid.
WITH p AS (SELECT ST_SetSRID(ST_MakePoint(@lon, @lat), 4326) AS pt),
cand AS (
  SELECT pipe.id, pipe.level, pipe.flow, pipe.dn, pipe.depth_m, pipe.material, pipe.status, pipe.geom
  FROM pipe, p
  ORDER BY pipe.geom <-> p.pt
  LIMIT @k * 8
)
SELECT c.id, c.level, c.flow, c.dn, c.depth_m, c.material, c.status,
       ST_Distance(c.geom::geography, p.pt::geography) AS distance_m,
       degrees(ST_Azimuth(p.pt::geography, ST_ClosestPoint(c.geom, p.pt)::geography)) AS bearing_deg,
       ST_X(ST_ClosestPoint(c.geom, p.pt)) AS lon, ST_Y(ST_ClosestPoint(c.geom, p.pt)) AS lat
FROM cand c, p
ORDER BY distance_m
LIMIT @k;
