-- Cell polygons of some cells of a plan rebuilt as the union of their compounds' territories.
UPDATE plan_cell pc SET area = u.g
FROM (
  SELECT cell_idx, ST_Multi(ST_CollectionExtract(ST_UnaryUnion(ST_Collect(territory)), 3)) AS g
  FROM plan_compound WHERE plan_id = @plan AND cell_idx = ANY(@cells)
  GROUP BY cell_idx
) u
WHERE pc.plan_id = @plan AND pc.idx = u.cell_idx;
