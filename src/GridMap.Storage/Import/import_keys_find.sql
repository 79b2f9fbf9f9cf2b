-- GridMap ids of a source's external keys (those already imported).
SELECT key, entity_id FROM import_key WHERE kind = @kind AND source = @source AND key = ANY(@keys)
