-- A grid cell for its notice board: name, district, the street most of its compounds are in, the supervising branch
-- (the district's), and the responsible grid worker's name and phone (null when none is assigned).
SELECT g.code::text, g.name, d.name AS district,
       (SELECT s.name FROM compound c JOIN street s ON s.code = c.street_code WHERE c.cell_code = g.code
        GROUP BY s.name ORDER BY count(*) DESC, s.name LIMIT 1) AS street,
       b.name AS branch, st.name AS staff_name, st.phone AS staff_phone
FROM grid_cell g
JOIN district d ON d.code = g.district_code
JOIN branch b ON b.id = d.branch_id
LEFT JOIN staff st ON st.id = g.staff_id
WHERE g.code = @code;
