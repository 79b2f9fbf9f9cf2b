-- Connected adjacency between the compounds of some cells of a plan: territories sharing a boundary of
-- positive length (touching at a point is not adjacency; measured with an overlay, which GEOS computes robustly,
-- where ST_Relate can throw on nearly degenerate rings left by hand edits), and —
-- when the plan uses barriers — the segment between the two footprint centroids crosses no arterial road
-- (the same rule as UnitGraphBuilder), unless the engine allowed that very crossing (plan_barrier_crossing).
SELECT a.compound_id, b.compound_id
FROM plan_compound a
JOIN plan_compound b ON b.plan_id = a.plan_id AND a.compound_id < b.compound_id AND a.territory && b.territory
JOIN compound ca ON ca.id = a.compound_id
JOIN compound cb ON cb.id = b.compound_id
WHERE a.plan_id = @plan
  AND a.cell_idx = ANY(@cells) AND b.cell_idx = ANY(@cells)
  AND ST_Length(ST_CollectionExtract(ST_Intersection(ST_Boundary(a.territory), ST_Boundary(b.territory)), 2)) > 1e-9
  AND NOT (@barriers AND EXISTS (
        SELECT 1 FROM road r
        WHERE r.kind = 'arterial' AND r.geom && ST_MakeLine(ST_Centroid(ca.footprint), ST_Centroid(cb.footprint))
          AND ST_Intersects(r.geom, ST_MakeLine(ST_Centroid(ca.footprint), ST_Centroid(cb.footprint))))
      AND NOT EXISTS (
        SELECT 1 FROM plan_barrier_crossing x
        WHERE x.plan_id = @plan AND x.compound_a = a.compound_id AND x.compound_b = b.compound_id));
