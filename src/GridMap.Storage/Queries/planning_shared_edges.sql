-- The stretches of boundary two cells of a plan share (merged lines, lon/lat), as GeoJSON geometries.
SELECT coalesce(json_agg(ST_AsGeoJSON(d.geom, 10)::json ORDER BY ST_Length(d.geom) DESC), '[]'::json)::text
FROM plan_cell a
JOIN plan_cell b ON b.plan_id = a.plan_id AND b.idx = @b
CROSS JOIN LATERAL ST_Dump(ST_LineMerge(ST_CollectionExtract(ST_Intersection(ST_Boundary(a.area), ST_Boundary(b.area)), 2))) d
WHERE a.plan_id = @plan AND a.idx = @a;
