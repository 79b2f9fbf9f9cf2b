-- Compounds of a plan area (plan_area_compounds, the same selection as planning_area.sql), in id order.
SELECT id, name, footprint, households, community_code::text, street_code::text, district_code::text
FROM plan_area_compounds(@kind, @code, @polygon)
ORDER BY id;
