SELECT json_build_object(
  'branches', (SELECT count(*) FROM branch), 'districts', (SELECT count(*) FROM district),
  'compounds', (SELECT count(*) FROM compound), 'stations', (SELECT count(*) FROM station),
  'pipes', (SELECT count(*) FROM pipe), 'valves', (SELECT count(*) FROM valve),
  'cells', (SELECT count(*) FROM grid_cell), 'staff', (SELECT count(*) FROM staff)
)::text;
