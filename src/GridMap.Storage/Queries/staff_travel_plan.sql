-- Staffed cells of a plan with the staff base and the cell site in EPSG:4547 metres; the site is the same point
-- inside the cell that auto-assign routes to (Queries/planning_cell_sites.sql).
SELECT pc.idx, s.id, s.name,
       ST_X(ST_Transform(s.base, 4547)), ST_Y(ST_Transform(s.base, 4547)),
       ST_X(ST_Transform(ST_PointOnSurface(pc.area), 4547)), ST_Y(ST_Transform(ST_PointOnSurface(pc.area), 4547))
FROM plan_cell pc
JOIN staff s ON s.id = pc.staff_id
WHERE pc.plan_id = @plan
ORDER BY pc.idx;
