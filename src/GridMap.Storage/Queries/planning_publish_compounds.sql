-- Compounds whose cell a publish of preview @plan may change, with their current cell code: the plan's own compounds
-- and those outside it that sit in a cell of a replaced plan @replaced (they lose their cell).
SELECT c.id, c.cell_code::text
FROM compound c
WHERE c.id IN (SELECT compound_id FROM plan_compound WHERE plan_id = @plan)
   OR c.cell_code IN (SELECT code FROM grid_cell WHERE plan_id = ANY(@replaced))
ORDER BY c.id;
