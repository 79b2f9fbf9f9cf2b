-- Records (or re-points) a source's external keys to GridMap ids.
INSERT INTO import_key (kind, source, key, entity_id)
SELECT @kind, @source, k, i FROM unnest(@keys::text[], @ids::bigint[]) AS t(k, i)
ON CONFLICT (kind, source, key) DO UPDATE SET entity_id = EXCLUDED.entity_id, imported_at = now()
