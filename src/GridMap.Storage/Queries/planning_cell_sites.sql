-- Cells of a plan as sites for staff assignment (plan_cell_sites: the compound nearest the cell's household-weighted
-- centre, EPSG:4547 metres), with their staff and pin. The function runs once (materialised), not once per cell.
WITH site AS MATERIALIZED (SELECT * FROM plan_cell_sites(@plan))
SELECT pc.idx, s.x, s.y, pc.staff_id, pc.staff_pinned
FROM plan_cell pc
JOIN site s ON s.idx = pc.idx
WHERE pc.plan_id = @plan
ORDER BY pc.idx;
