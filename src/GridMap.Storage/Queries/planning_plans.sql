-- Plans, newest first, optionally of one area key and/or status, as a JSON array of summaries.
SELECT coalesce(json_agg(json_build_object('id', id, 'status', status, 'version', version, 'areaKey', area_key, 'areaName', area_name,
  'districtCode', district_code::text, 'createdAt', created_at, 'publishedAt', published_at, 'supersededBy', superseded_by,
  'cells', (SELECT count(*) FROM plan_cell pc WHERE pc.plan_id = plan.id)) ORDER BY id DESC), '[]'::json)::text
FROM (SELECT * FROM plan WHERE (@key::text IS NULL OR area_key = @key) AND (@status::text IS NULL OR status = @status) ORDER BY id DESC LIMIT 200) plan;
