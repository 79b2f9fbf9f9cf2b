-- Copies plan @source (a published or superseded version) as a new preview: the area, request, engine report, bounds,
-- cells (code, name, polygon, staff and pins, locks, contiguity, exception flags), the allowed road crossings and
-- every compound's cell and territory (compounds deleted since are gone with their rows). Returns the new plan's id.
WITH p AS (
  INSERT INTO plan (area_kind, area_code, area_key, area_name, district_code, area, params, lower_bound, upper_bound, target, search, restored_from)
  SELECT area_kind, area_code, area_key, area_name, district_code, area, params, lower_bound, upper_bound, target, search, id
  FROM plan WHERE id = @source
  RETURNING id
), cells AS (
  INSERT INTO plan_cell (plan_id, idx, code, name, area, staff_id, locked, staff_pinned, contiguous, undersize)
  SELECT p.id, c.idx, c.code, c.name, c.area, c.staff_id, c.locked, c.staff_pinned AND c.staff_id IS NOT NULL, c.contiguous, c.undersize
  FROM plan_cell c, p WHERE c.plan_id = @source
  RETURNING 1
), crossings AS (
  INSERT INTO plan_barrier_crossing (plan_id, compound_a, compound_b)
  SELECT p.id, x.compound_a, x.compound_b FROM plan_barrier_crossing x, p WHERE x.plan_id = @source
  RETURNING 1
), compounds AS (
  INSERT INTO plan_compound (plan_id, compound_id, cell_idx, territory)
  SELECT p.id, m.compound_id, m.cell_idx, m.territory FROM plan_compound m, p WHERE m.plan_id = @source
  RETURNING 1
)
SELECT id FROM p;
