-- Grid workers of the plan's branch with their base in EPSG:4547 metres, whether they already hold a cell
-- of a current plan that publishing @plan would not replace (@replaced), and the cell of @plan they hold.
SELECT s.id, s.name, s.branch_id,
       ST_X(ST_Transform(s.base, 4547)) AS x, ST_Y(ST_Transform(s.base, 4547)) AS y,
       EXISTS (SELECT 1 FROM grid_cell g
               WHERE g.staff_id = s.id AND (g.plan_id IS NULL OR NOT g.plan_id = ANY(@replaced))
                 AND NOT EXISTS (SELECT 1 FROM compound c JOIN plan_compound m ON m.compound_id = c.id AND m.plan_id = @plan
                                 WHERE c.cell_code = g.code AND g.plan_id IS NULL)) AS busy,
       (SELECT pc.idx FROM plan_cell pc WHERE pc.plan_id = @plan AND pc.staff_id = s.id LIMIT 1) AS cell_idx
FROM staff s
JOIN plan p ON p.id = @plan
JOIN district d ON d.code = p.district_code
WHERE s.role = 'grid_worker' AND s.branch_id = d.branch_id
ORDER BY s.id;
