-- The stretches of boundary two cells of a plan share (merged lines; GeoJSON geometries, lon/lat to 10 decimals),
-- longest first.
SELECT ST_AsGeoJSON(d.geom, 10)
FROM plan_cell a
JOIN plan_cell b ON b.plan_id = a.plan_id AND b.idx = @b
CROSS JOIN LATERAL ST_Dump(ST_LineMerge(ST_CollectionExtract(ST_Intersection(ST_Boundary(a.area), ST_Boundary(b.area)), 2))) d
WHERE a.plan_id = @plan AND a.idx = @a
ORDER BY ST_Length(d.geom) DESC;
