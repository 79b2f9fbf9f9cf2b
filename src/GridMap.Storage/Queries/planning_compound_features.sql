-- A plan's compounds: footprint (GeoJSON geometry, lon/lat to 7 decimals), name, households, cell, community and street,
-- ordered by compound id.
SELECT c.id, ST_AsGeoJSON(c.footprint, 7), c.name, c.households, m.cell_idx, c.community_code::text, c.street_code::text
FROM plan_compound m JOIN compound c ON c.id = m.compound_id
WHERE m.plan_id = @plan
ORDER BY c.id;
