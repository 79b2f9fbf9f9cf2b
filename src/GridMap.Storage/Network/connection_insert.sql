-- One explicit connection (migration 0019). Without @end, the end of the pipe nearest what it joins (the compound's
-- footprint, the station's or the heat source's point). An existing identical connection inserts nothing.
WITH t AS (
  SELECT coalesce((SELECT footprint FROM compound WHERE id = @compound::int),
                  (SELECT geom FROM station WHERE id = @station::int),
                  (SELECT geom FROM heat_source WHERE id = @source::int)) AS g
)
INSERT INTO network_connection (pipe_id, pipe_end, compound_id, station_id, heat_source_id, source, created_by)
SELECT p.id,
       coalesce(@end::text, CASE WHEN ST_Distance(ST_StartPoint(p.geom)::geography, t.g::geography)
                                   <= ST_Distance(ST_EndPoint(p.geom)::geography, t.g::geography) THEN 'start' ELSE 'end' END),
       @compound::int, @station::int, @source::int, @origin, @by
FROM pipe p, t
WHERE p.id = @pipe AND t.g IS NOT NULL
ON CONFLICT DO NOTHING
RETURNING id, pipe_end;
