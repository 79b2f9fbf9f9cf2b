-- Compounds outside plan @plan that lose their cell when the plans @replaced are superseded.
SELECT count(*)::int FROM compound c JOIN grid_cell g ON g.code = c.cell_code
WHERE g.plan_id = ANY(@replaced)
  AND c.id NOT IN (SELECT compound_id FROM plan_compound WHERE plan_id = @plan);
