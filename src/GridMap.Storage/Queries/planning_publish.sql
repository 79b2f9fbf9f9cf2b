-- Publishes preview @plan as the next version of its area, replacing the published plans @replaced:
-- their grid_cell rows (and legacy rows holding this plan's compounds) go, this plan's cells come in,
-- compounds point at their new cell, and the replaced plans are kept as 'superseded'.
UPDATE plan SET status = 'superseded', superseded_at = now(), superseded_by = @plan WHERE id = ANY(@replaced);
DELETE FROM grid_cell g
WHERE g.plan_id = ANY(@replaced)
   OR (g.plan_id IS NULL AND g.code IN (SELECT c.cell_code FROM compound c JOIN plan_compound m ON m.compound_id = c.id WHERE m.plan_id = @plan));
UPDATE plan SET status = 'published', published_at = now(),
       version = coalesce((SELECT max(version) FROM plan q WHERE q.area_key = plan.area_key), 0) + 1
WHERE id = @plan;
INSERT INTO grid_cell (code, name, district_code, staff_id, area, plan_id, plan_version)
SELECT pc.code, pc.name, p.district_code, pc.staff_id, pc.area, p.id, p.version
FROM plan_cell pc JOIN plan p ON p.id = pc.plan_id WHERE pc.plan_id = @plan;
UPDATE compound c SET cell_code = pc.code
FROM plan_compound m JOIN plan_cell pc ON pc.plan_id = m.plan_id AND pc.idx = m.cell_idx
WHERE m.plan_id = @plan AND c.id = m.compound_id;
