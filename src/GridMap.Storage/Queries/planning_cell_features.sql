-- A plan's cells (GeoJSON geometry, lon/lat to 8 decimals) with their statistics (view plan_cell_stats; deviation and
-- Polsby-Popper rounded to 4 decimals), ordered by cell index.
SELECT idx, ST_AsGeoJSON(cell_area, 8), code, name, households, compounds, round(deviation::numeric, 4), round(pp::numeric, 4),
       within, oversize, undersize, contiguous, locked, staff_id, staff_name, staff_pinned
FROM plan_cell_stats WHERE plan_id = @plan
ORDER BY idx;
