-- The extent of a district's compounds (falls back to the district polygon when it has none).
SELECT coalesce(ST_Extent(c.footprint), ST_Extent(d.area))::geometry
FROM district d LEFT JOIN compound c ON c.district_code = d.code
WHERE d.code = @district;
