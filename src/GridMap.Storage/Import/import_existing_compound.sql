-- The stored values of the columns an import writes, for the compounds a file names (@ids).
SELECT id, name, address, district_code, households, buildings, heated_area_m2, built_year, heating_system, retrofit_status,
       consent_rate, dispute, dispute_notes, property_management, fee_status, footprint
FROM compound WHERE id = ANY(@ids)
