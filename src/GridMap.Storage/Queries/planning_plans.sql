-- Plans, newest first (at most 200), optionally of one area key and/or status, with their number of cells.
SELECT id, status, version, area_key, area_name, district_code::text, created_at, published_at, superseded_by,
       (SELECT count(*) FROM plan_cell pc WHERE pc.plan_id = plan.id)
FROM plan
WHERE (@key::text IS NULL OR area_key = @key) AND (@status::text IS NULL OR status = @status)
ORDER BY id DESC
LIMIT 200;
