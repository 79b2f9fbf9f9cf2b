-- One pipe with its station, length on the ellipsoid and valves. Columns in PipeDetails order.
SELECT p.id, p.level, p.flow, p.dn, p.material, p.install_year, p.depth_m, p.status,
  p.station_id, st.name,
  round(ST_Length(p.geom::geography)::numeric, 1)::float8,
  (SELECT coalesce(array_agg(v.id ORDER BY v.id), '{}') FROM valve v WHERE v.pipe_id = p.id)
FROM pipe p LEFT JOIN station st ON st.id = p.station_id
WHERE p.id = @id;
