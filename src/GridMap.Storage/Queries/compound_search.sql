-- Compound search by name or address substring; name-prefix matches first, then shorter names.
SELECT c.id, c.name, c.address, c.district_code::text, d.name, c.retrofit_status, c.households,
       round(ST_X(ST_PointOnSurface(c.footprint))::numeric, 7)::float8, round(ST_Y(ST_PointOnSurface(c.footprint))::numeric, 7)::float8
FROM compound c JOIN district d ON d.code = c.district_code
WHERE c.name ILIKE '%' || @q || '%' OR c.address ILIKE '%' || @q || '%'
ORDER BY CASE WHEN c.name ILIKE @q || '%' THEN 0 ELSE 1 END, length(c.name), c.id
LIMIT @limit;
