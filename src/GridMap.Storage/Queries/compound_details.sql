SELECT json_build_object(
  'id', c.id, 'name', c.name, 'address', c.address,
  'district_code', c.district_code, 'district_name', d.name,
  'street_code', c.street_code, 'street_name', s.name,
  'community_code', c.community_code, 'community_name', cm.name,
  'households', c.households, 'buildings', c.buildings, 'heated_area_m2', round(c.heated_area_m2::numeric, 1),
  'built_year', c.built_year, 'heating_system', c.heating_system,
  'retrofit_status', c.retrofit_status, 'retrofit_status_label', rs.label,
  'consent_rate', round(c.consent_rate::numeric, 3), 'dispute', c.dispute, 'dispute_notes', c.dispute_notes,
  'property_management', c.property_management, 'fee_status', c.fee_status,
  'secondary_retrofit_year', c.secondary_retrofit_year,
  'station_id', c.station_id, 'station_name', st.name,
  'cell_code', c.cell_code, 'cell_name', g.name,
  'staff_id', sf.id, 'staff_name', sf.name, 'staff_phone', sf.phone,
  'area_m2', round(ST_Area(c.footprint::geography)::numeric, 0),
  'centroid', json_build_array(round(ST_X(ST_PointOnSurface(c.footprint))::numeric, 7), round(ST_Y(ST_PointOnSurface(c.footprint))::numeric, 7)),
  'follow_up_visits', (SELECT count(*) FROM follow_up_visit v WHERE v.compound_id = c.id)
)::text
FROM compound c
JOIN district d ON d.code = c.district_code
JOIN retrofit_stage rs ON rs.code = c.retrofit_status
LEFT JOIN street s ON s.code = c.street_code
LEFT JOIN community cm ON cm.code = c.community_code
LEFT JOIN station st ON st.id = c.station_id
LEFT JOIN grid_cell g ON g.code = c.cell_code
LEFT JOIN staff sf ON sf.id = g.staff_id
WHERE c.id = @id;
