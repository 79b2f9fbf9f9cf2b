-- Soft barriers and oversize cells in plans, and two pieces of planning SQL shared by several queries.
--
-- plan_barrier_crossing: the adjacency edges across an arterial road that the engine was allowed to use to hold a
-- cell together (soft barriers: a fenced-in group that could not be divided into whole cells was joined to its
-- neighbour there). Edits of the plan treat exactly these pairs as connecting, so a cell that legitimately spans
-- a crossed road is never declared non-contiguous, and no other road may be crossed by hand.
CREATE TABLE plan_barrier_crossing (
  plan_id     bigint NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
  compound_a  int NOT NULL REFERENCES compound(id) ON DELETE CASCADE,
  compound_b  int NOT NULL REFERENCES compound(id) ON DELETE CASCADE,
  PRIMARY KEY (plan_id, compound_a, compound_b),
  CHECK (compound_a < compound_b)
);

-- undersize: the engine proved no cell within the bounds can hold this cell's compounds (a compound no neighbour can
-- join under the maximum, or a group lighter than the minimum with nothing to join); shown, not a balance violation
-- while the cell stays below the minimum.
ALTER TABLE plan_cell ADD COLUMN undersize boolean NOT NULL DEFAULT false;

-- The compounds of a plan area: a district, street or community by code, or those whose inside point a drawn
-- polygon holds. One definition for the area's outline (planning_area.sql) and its compounds (planning_area_compounds.sql).
CREATE FUNCTION plan_area_compounds(kind text, code text, polygon geometry) RETURNS SETOF compound
LANGUAGE sql STABLE AS $$
  SELECT * FROM compound c
  WHERE CASE kind
          WHEN 'district' THEN c.district_code = code
          WHEN 'street' THEN c.street_code = code
          WHEN 'community' THEN c.community_code = code
          ELSE ST_Intersects(ST_PointOnSurface(c.footprint), polygon)
        END
$$;

-- Per-cell statistics of every plan: households, compounds, deviation from the target, Polsby-Popper 4πA/P² on the
-- ellipsoid, within the bounds, oversize (over the maximum only because one compound alone is) and undersize (see
-- above) — neither a balance violation, both shown — staff and lock. Read by planning_plan.sql and planning_cells_geojson.sql.
CREATE VIEW plan_cell_stats AS
SELECT s.*,
       s.households / p.target - 1 AS deviation,
       CASE WHEN s.perimeter_m > 0 THEN 4 * pi() * s.area_m2 / (s.perimeter_m * s.perimeter_m) ELSE 0 END AS pp,
       s.largest > p.upper_bound + 1e-9 AS oversize,
       s.undersize_proven AND s.households < p.lower_bound - 1e-9 AS undersize,
       s.households BETWEEN p.lower_bound - 1e-9 AND p.upper_bound + 1e-9 OR s.largest > p.upper_bound + 1e-9
         OR (s.undersize_proven AND s.households < p.lower_bound - 1e-9) AS within
FROM (
  SELECT pc.plan_id, pc.idx, pc.code::text AS code, pc.name, pc.locked, pc.staff_id, st.name AS staff_name, pc.staff_pinned,
         pc.contiguous, pc.undersize AS undersize_proven, pc.area AS cell_area,
         coalesce(sum(c.households), 0)::int AS households, count(c.id)::int AS compounds, coalesce(max(c.households), 0) AS largest,
         ST_Area(pc.area::geography) AS area_m2, ST_Perimeter(pc.area::geography) AS perimeter_m,
         ST_PointOnSurface(pc.area) AS label
  FROM plan_cell pc
  LEFT JOIN staff st ON st.id = pc.staff_id
  LEFT JOIN plan_compound m ON m.plan_id = pc.plan_id AND m.cell_idx = pc.idx
  LEFT JOIN compound c ON c.id = m.compound_id
  GROUP BY pc.plan_id, pc.idx, st.name
) s JOIN plan p ON p.id = s.plan_id;
