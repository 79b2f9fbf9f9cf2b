-- The published plans that publishing plan @plan supersedes: the current plan of the same area and every
-- current plan sharing a compound with it.
SELECT q.id FROM plan q, plan me
WHERE me.id = @plan AND q.status = 'published' AND q.area_key = me.area_key
UNION
SELECT DISTINCT q.id FROM plan q JOIN plan_compound qc ON qc.plan_id = q.id
WHERE q.status = 'published' AND qc.compound_id IN (SELECT compound_id FROM plan_compound WHERE plan_id = @plan);
