-- Grid cells a publish of preview @plan touches, for the audit log: the rows planning_publish.sql deletes (those of the
-- replaced plans @replaced, and legacy rows holding this plan's compounds) and, once published, the rows of @plan.
SELECT g.code::text, g.name, g.staff_id, g.area
FROM grid_cell g
WHERE g.plan_id = ANY(@replaced)
   OR (g.plan_id IS NULL AND g.code IN (SELECT c.cell_code FROM compound c JOIN plan_compound m ON m.compound_id = c.id WHERE m.plan_id = @plan))
   OR g.plan_id = @plan
ORDER BY g.code;
