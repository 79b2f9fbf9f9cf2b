-- Cells of a plan as sites for staff assignment: a point inside each cell in EPSG:4547 metres.
SELECT idx, ST_X(ST_Transform(ST_PointOnSurface(area), 4547)), ST_Y(ST_Transform(ST_PointOnSurface(area), 4547)),
       staff_id, staff_pinned
FROM plan_cell WHERE plan_id = @plan ORDER BY idx;
