-- Streets (or communities, or districts) with compounds: code, name, compounds, households, the largest
-- compound's households (a cell of at most N households cannot hold a bigger one) and a point inside one of
-- its compounds (lon, lat rounded to 7 decimals; to show or click it on a map), optionally within one district.
-- One row per area, ordered by code.
WITH c AS (
  SELECT CASE @kind WHEN 'district' THEN district_code::text WHEN 'street' THEN street_code::text ELSE community_code::text END AS code,
         households, footprint, id
  FROM compound
  WHERE @district::text IS NULL OR district_code = @district
), g AS (
  SELECT code, count(*)::int AS compounds, sum(households)::int AS households, max(households)::int AS max_households,
         (array_agg(ST_PointOnSurface(footprint) ORDER BY id))[(count(*) + 1) / 2] AS point
  FROM c WHERE code IS NOT NULL GROUP BY code
)
SELECT g.code,
       coalesce((SELECT name FROM district WHERE code = g.code AND @kind = 'district'),
                (SELECT name FROM street WHERE code = g.code AND @kind = 'street'),
                (SELECT name FROM community WHERE code = g.code AND @kind = 'community')) AS name,
       g.compounds, g.households, g.max_households,
       round(ST_X(g.point)::numeric, 7) AS lon, round(ST_Y(g.point)::numeric, 7) AS lat
FROM g
ORDER BY g.code;
