-- Where staff travel to for a cell (auto-assign and 路网距离 use the same point), EPSG:4547 metres: the compound of
-- the cell nearest to the cell's household-weighted centre — where the visits are. Compounds sit on the road
-- grid, whereas a point inside a large cell's territory can lie far from any road. A cell without compounds
-- falls back to a point inside its area.
CREATE FUNCTION plan_cell_sites(p_plan bigint)
RETURNS TABLE (idx int, x float8, y float8)
LANGUAGE sql STABLE AS $$
  WITH members AS (
    SELECT pc.cell_idx, ST_Transform(ST_PointOnSurface(c.footprint), 4547) AS p, greatest(c.households, 1)::float8 AS w
    FROM plan_compound pc JOIN compound c ON c.id = pc.compound_id
    WHERE pc.plan_id = p_plan
  ),
  centre AS (
    SELECT cell_idx, ST_SetSRID(ST_MakePoint(sum(ST_X(p) * w) / sum(w), sum(ST_Y(p) * w) / sum(w)), 4547) AS g
    FROM members GROUP BY cell_idx
  ),
  site AS (
    SELECT DISTINCT ON (m.cell_idx) m.cell_idx, m.p
    FROM members m JOIN centre ce USING (cell_idx)
    ORDER BY m.cell_idx, ST_Distance(m.p, ce.g)
  )
  SELECT pc.idx, ST_X(s.p), ST_Y(s.p)
  FROM plan_cell pc
  CROSS JOIN LATERAL (SELECT coalesce((SELECT site.p FROM site WHERE site.cell_idx = pc.idx),
                                      ST_Transform(ST_PointOnSurface(pc.area), 4547)) AS p) s
  WHERE pc.plan_id = p_plan
$$;
