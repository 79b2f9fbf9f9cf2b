-- Staffed cells of a plan with the staff base and the cell site in EPSG:4547 metres; the site is the point
-- auto-assign routes to (plan_cell_sites, migration 0008), computed once for the plan.
WITH site AS MATERIALIZED (SELECT * FROM plan_cell_sites(@plan))
SELECT pc.idx, s.id, s.name,
       ST_X(ST_Transform(s.base, 4547)), ST_Y(ST_Transform(s.base, 4547)),
       site.x, site.y
FROM plan_cell pc
JOIN staff s ON s.id = pc.staff_id
JOIN site ON site.idx = pc.idx
WHERE pc.plan_id = @plan
ORDER BY pc.idx;
