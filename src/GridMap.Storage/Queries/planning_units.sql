-- Compounds of some cells of a plan with footprint and territory, for editing.
SELECT m.compound_id, c.households, c.footprint, m.territory, m.cell_idx, c.community_code::text, c.name
FROM plan_compound m JOIN compound c ON c.id = m.compound_id
WHERE m.plan_id = @plan AND m.cell_idx = ANY(@cells)
ORDER BY m.compound_id;
