-- The retrofit schedule of a cell's compounds: furthest stage first, then by name.
SELECT c.name, c.households, c.retrofit_status, c.consent_rate, c.dispute
FROM compound c JOIN retrofit_stage rs ON rs.code = c.retrofit_status
WHERE c.cell_code = @code
ORDER BY rs.ord DESC, c.name, c.id;
