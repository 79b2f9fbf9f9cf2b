-- Compound search by name or address substring; name-prefix matches first, then shorter names.
SELECT coalesce(json_agg(r ORDER BY r.rank, length(r.name), r.id), '[]'::json)::text
FROM (
  SELECT c.id, c.name, c.address, c.district_code::text AS district_code, d.name AS district_name,
         c.retrofit_status, c.households,
         json_build_array(round(ST_X(ST_PointOnSurface(c.footprint))::numeric, 7), round(ST_Y(ST_PointOnSurface(c.footprint))::numeric, 7)) AS centroid,
         CASE WHEN c.name ILIKE @q || '%' THEN 0 ELSE 1 END AS rank
  FROM compound c JOIN district d ON d.code = c.district_code
  WHERE c.name ILIKE '%' || @q || '%' OR c.address ILIKE '%' || @q || '%'
  ORDER BY rank, length(c.name), c.id
  LIMIT @limit
) r;
