-- The area a report covers, by kind: its printed name and the WGS84 extent of its compounds (its polygon when it has
-- none). No row = no such area. @kind is one of city, district, street, cell, branch, bbox; @code is the unit's code
-- (branch: name or id); @bbox_* are used by kind bbox only.
WITH a AS (
  SELECT '郑州市'::text AS name, (SELECT ST_Extent(footprint) FROM compound)::geometry AS ext WHERE @kind = 'city'
  UNION ALL
  SELECT d.name, coalesce((SELECT ST_Extent(c.footprint) FROM compound c WHERE c.district_code = d.code)::geometry, d.area)
  FROM district d WHERE @kind = 'district' AND d.code = @code
  UNION ALL
  SELECT d.name || ' ' || s.name, coalesce((SELECT ST_Extent(c.footprint) FROM compound c WHERE c.street_code = s.code)::geometry, s.area)
  FROM street s JOIN district d ON d.code = s.district_code WHERE @kind = 'street' AND s.code = @code
  UNION ALL
  SELECT d.name || ' ' || g.name, ST_Envelope(g.area)
  FROM grid_cell g JOIN district d ON d.code = g.district_code WHERE @kind = 'cell' AND g.code = @code
  UNION ALL
  SELECT b.name, coalesce((SELECT ST_Extent(c.footprint) FROM compound c JOIN district d ON d.code = c.district_code WHERE d.branch_id = b.id)::geometry, b.area)
  FROM branch b WHERE @kind = 'branch' AND (b.name = @code OR b.id::text = @code)
  UNION ALL
  SELECT '选定范围', ST_MakeEnvelope(@bbox_minx, @bbox_miny, @bbox_maxx, @bbox_maxy, 4326) WHERE @kind = 'bbox'
)
SELECT name, ST_XMin(ext), ST_YMin(ext), ST_XMax(ext), ST_YMax(ext) FROM a WHERE ext IS NOT NULL LIMIT 1;
