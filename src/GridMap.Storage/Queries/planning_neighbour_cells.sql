-- The cells of a plan, other than its own, that a compound borders: a compound of the cell whose territory shares a
-- boundary of positive length with the compound's territory (the geometric part of planning_adjacency.sql; whether the
-- border is cut by an arterial road is decided with that query's edges). Empty when the compound is not in the plan.
SELECT DISTINCT b.cell_idx
FROM plan_compound a
JOIN plan_compound b ON b.plan_id = a.plan_id AND b.cell_idx <> a.cell_idx AND a.territory && b.territory
WHERE a.plan_id = @plan AND a.compound_id = @compound
  AND ST_Length(ST_CollectionExtract(ST_Intersection(ST_Boundary(a.territory), ST_Boundary(b.territory)), 2)) > 1e-9
ORDER BY 1;
