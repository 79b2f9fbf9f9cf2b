-- Open disputes (compounds flagged dispute) inside the scope (@branch / @district, both NULL = city), largest first,
-- with where they are (district, cell, a WGS84 point on the footprint) so the dashboard can zoom to each.
SELECT c.id, c.name, c.district_code::text, d.name, c.cell_code::text, g.name, c.households, c.retrofit_status, c.dispute_notes,
       ST_X(p.pt), ST_Y(p.pt)
FROM compound c
JOIN district d ON d.code = c.district_code
LEFT JOIN grid_cell g ON g.code = c.cell_code
CROSS JOIN LATERAL (SELECT ST_PointOnSurface(c.footprint) AS pt) p
WHERE c.dispute AND (@branch::int IS NULL OR d.branch_id = @branch::int) AND (@district::text IS NULL OR c.district_code = @district::text)
ORDER BY c.households DESC, c.id
LIMIT @limit;
