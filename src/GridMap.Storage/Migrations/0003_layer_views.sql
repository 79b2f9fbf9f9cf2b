-- One view per map layer: an id, the properties clients see, and geom (SRID 4326).
-- The tile and GeoJSON endpoints read only these views (listed in tiles/catalog.json).

CREATE VIEW layer_branches AS
  SELECT id, name, area AS geom FROM branch;

CREATE VIEW layer_districts AS
  SELECT d.code AS id, d.code, d.name, d.branch_id, b.name AS branch_name, d.area AS geom
  FROM district d JOIN branch b ON b.id = d.branch_id;

CREATE VIEW layer_roads AS
  SELECT id, name, geom FROM road;

CREATE VIEW layer_compounds AS
  SELECT id, name, district_code::text AS district_code, households, buildings, heating_system, retrofit_status,
         round(consent_rate::numeric, 3)::float8 AS consent_rate, dispute, station_id, cell_code::text AS cell_code,
         footprint AS geom
  FROM compound;

CREATE VIEW layer_stations AS
  SELECT s.id, s.name, s.capacity_kw, s.district_code::text AS district_code,
         coalesce((SELECT sum(c.households) FROM compound c WHERE c.station_id = s.id), 0)::int AS households_served,
         s.geom
  FROM station s;

CREATE VIEW layer_heat_sources AS
  SELECT id, name, capacity_mw, geom FROM heat_source;

CREATE VIEW layer_pipes AS
  SELECT id, level, flow, dn, material, install_year, depth_m, status, station_id, geom FROM pipe;

CREATE VIEW layer_valves AS
  SELECT id, state, operable, level, dn, pipe_id, geom FROM valve;

CREATE VIEW layer_cells AS
  SELECT g.code AS id, g.code::text AS code, g.name, g.district_code::text AS district_code, g.staff_id, s.name AS staff_name,
         coalesce((SELECT sum(c.households) FROM compound c WHERE c.cell_code = g.code), 0)::int AS households,
         (SELECT count(*) FROM compound c WHERE c.cell_code = g.code)::int AS compounds,
         g.area AS geom
  FROM grid_cell g LEFT JOIN staff s ON s.id = g.staff_id;

CREATE VIEW layer_staff AS
  SELECT id, name, role, branch_id, base AS geom FROM staff;
