-- Re-import: sets only the columns named in @changed (the attributes the file gave that differ), leaves the rest.
UPDATE pipe SET
  level        = CASE WHEN 'level' = ANY(@changed) THEN @level ELSE level END,
  flow         = CASE WHEN 'flow' = ANY(@changed) THEN @flow ELSE flow END,
  dn           = CASE WHEN 'dn' = ANY(@changed) THEN @dn ELSE dn END,
  material     = CASE WHEN 'material' = ANY(@changed) THEN @material ELSE material END,
  install_year = CASE WHEN 'install_year' = ANY(@changed) THEN @install_year ELSE install_year END,
  depth_m      = CASE WHEN 'depth_m' = ANY(@changed) THEN @depth_m ELSE depth_m END,
  status       = CASE WHEN 'status' = ANY(@changed) THEN @status ELSE status END,
  geom         = CASE WHEN 'geom' = ANY(@changed) THEN @geom ELSE geom END
WHERE id = @id
