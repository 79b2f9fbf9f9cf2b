-- Re-import: sets only the columns named in @changed (the attributes the file gave that differ), leaves the rest.
UPDATE compound SET
  name                = CASE WHEN 'name' = ANY(@changed) THEN @name ELSE name END,
  address             = CASE WHEN 'address' = ANY(@changed) THEN @address ELSE address END,
  district_code       = CASE WHEN 'district_code' = ANY(@changed) THEN @district_code ELSE district_code END,
  households          = CASE WHEN 'households' = ANY(@changed) THEN @households ELSE households END,
  buildings           = CASE WHEN 'buildings' = ANY(@changed) THEN @buildings ELSE buildings END,
  heated_area_m2      = CASE WHEN 'heated_area_m2' = ANY(@changed) THEN @heated_area_m2 ELSE heated_area_m2 END,
  built_year          = CASE WHEN 'built_year' = ANY(@changed) THEN @built_year ELSE built_year END,
  heating_system      = CASE WHEN 'heating_system' = ANY(@changed) THEN @heating_system ELSE heating_system END,
  retrofit_status     = CASE WHEN 'retrofit_status' = ANY(@changed) THEN @retrofit_status ELSE retrofit_status END,
  consent_rate        = CASE WHEN 'consent_rate' = ANY(@changed) THEN @consent_rate ELSE consent_rate END,
  dispute             = CASE WHEN 'dispute' = ANY(@changed) THEN @dispute ELSE dispute END,
  dispute_notes       = CASE WHEN 'dispute_notes' = ANY(@changed) THEN @dispute_notes ELSE dispute_notes END,
  property_management = CASE WHEN 'property_management' = ANY(@changed) THEN @property_management ELSE property_management END,
  fee_status          = CASE WHEN 'fee_status' = ANY(@changed) THEN @fee_status ELSE fee_status END,
  footprint           = CASE WHEN 'footprint' = ANY(@changed) THEN @footprint ELSE footprint END
WHERE id = @id
