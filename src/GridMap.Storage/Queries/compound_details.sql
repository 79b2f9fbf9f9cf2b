-- One compound with its names, station, grid cell and the cell's staff. Columns in CompoundDetails order.
SELECT c.id, c.name, c.address,
  c.district_code::text, d.name,
  c.street_code::text, s.name,
  c.community_code::text, cm.name,
  c.households, c.buildings, round(c.heated_area_m2::numeric, 1)::float8,
  c.built_year, c.heating_system,
  c.retrofit_status, rs.label,
  round(c.consent_rate::numeric, 3)::float8, c.dispute, c.dispute_notes,
  c.property_management, c.fee_status,
  c.secondary_retrofit_year,
  c.station_id, st.name,
  c.cell_code::text, g.name,
  sf.id, sf.name, sf.phone,
  round(ST_Area(c.footprint::geography)::numeric, 0)::float8,
  round(ST_X(ST_PointOnSurface(c.footprint))::numeric, 7)::float8, round(ST_Y(ST_PointOnSurface(c.footprint))::numeric, 7)::float8,
  (SELECT count(*) FROM follow_up_visit v WHERE v.compound_id = c.id),
  c.revision, c.fee_collector, c.acceptance_passed, (SELECT count(*)::int FROM household h WHERE h.compound_id = c.id)
FROM compound c
JOIN district d ON d.code = c.district_code
JOIN retrofit_stage rs ON rs.code = c.retrofit_status
LEFT JOIN street s ON s.code = c.street_code
LEFT JOIN community cm ON cm.code = c.community_code
LEFT JOIN station st ON st.id = c.station_id
LEFT JOIN grid_cell g ON g.code = c.cell_code
LEFT JOIN staff sf ON sf.id = g.staff_id
WHERE c.id = @id;
