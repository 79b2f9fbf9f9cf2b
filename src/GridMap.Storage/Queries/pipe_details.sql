SELECT json_build_object(
  'id', p.id, 'level', p.level, 'flow', p.flow, 'dn', p.dn, 'material', p.material,
  'install_year', p.install_year, 'depth_m', p.depth_m, 'status', p.status,
  'station_id', p.station_id, 'station_name', st.name,
  'length_m', round(ST_Length(p.geom::geography)::numeric, 1),
  'valves', (SELECT coalesce(json_agg(v.id ORDER BY v.id), '[]'::json) FROM valve v WHERE v.pipe_id = p.id)
)::text
FROM pipe p LEFT JOIN station st ON st.id = p.station_id
WHERE p.id = @id;
