-- The area of a plan: name, district (the one holding most of its compounds) and polygon. A district's or
-- street's official polygon is widened to the 60 m hull of its compounds (demo street polygons are approximate
-- and some compounds stick out); a community has no polygon in the schema, so its hull is its area; a drawn
-- polygon is taken as given (plus the compounds whose inside point it holds).
-- @kind: district | street | community | polygon; @code: the code (null for polygon); @polygon: lon/lat or null.
WITH c AS (
  SELECT footprint, district_code, households FROM plan_area_compounds(@kind, @code, @polygon)
), hull AS (
  SELECT ST_Buffer(ST_ConvexHull(ST_Collect(footprint))::geography, 60)::geometry AS g,
         count(*)::int AS n, coalesce(sum(households), 0)::int AS households,
         mode() WITHIN GROUP (ORDER BY district_code) AS district
  FROM c
), official AS (
  SELECT CASE @kind
           WHEN 'district' THEN (SELECT area FROM district WHERE code = @code)
           WHEN 'street' THEN (SELECT area FROM street WHERE code = @code)
           WHEN 'polygon' THEN @polygon
         END AS g,
         CASE @kind
           WHEN 'district' THEN (SELECT name FROM district WHERE code = @code)
           WHEN 'street' THEN (SELECT d.name || s.name FROM street s JOIN district d ON d.code = s.district_code WHERE s.code = @code)
           WHEN 'community' THEN (SELECT s.name || c.name FROM community c JOIN street s ON s.code = c.street_code WHERE c.code = @code)
           ELSE '自绘范围'
         END AS name
)
SELECT o.name,
       coalesce(h.district, CASE WHEN @kind <> 'polygon' THEN left(@code, 6) END) AS district_code,
       h.n,
       h.households,
       ST_Multi(ST_CollectionExtract(ST_MakeValid(
         CASE WHEN h.g IS NULL THEN o.g WHEN o.g IS NULL THEN h.g ELSE ST_Union(o.g, h.g) END), 3)) AS area
FROM official o, hull h;
