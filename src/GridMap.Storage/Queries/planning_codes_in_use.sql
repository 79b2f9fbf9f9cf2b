-- grid_cell codes with the given 12-digit prefixes that stay after replacing @replaced (and legacy rows of @plan's compounds).
SELECT g.code::text FROM grid_cell g
WHERE left(g.code, 12) = ANY(@prefixes)
  AND NOT (g.plan_id IS NOT NULL AND g.plan_id = ANY(@replaced))
  AND NOT (g.plan_id IS NULL AND g.code IN (SELECT c.cell_code FROM compound c JOIN plan_compound m ON m.compound_id = c.id WHERE m.plan_id = @plan));
