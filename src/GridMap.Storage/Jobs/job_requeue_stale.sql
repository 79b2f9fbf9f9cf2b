-- Jobs whose worker stopped sending heartbeats (the process died) go back to the queue, or fail after @maxAttempts.
UPDATE background_job
SET status = CASE WHEN attempts >= @maxAttempts THEN 'failed' ELSE 'queued' END,
    stage = CASE WHEN attempts >= @maxAttempts THEN 'failed' ELSE 'queued' END,
    error = CASE WHEN attempts >= @maxAttempts THEN '任务多次中断，已放弃 (the worker stopped ' || attempts || ' times; giving up).' ELSE error END,
    error_rule = CASE WHEN attempts >= @maxAttempts THEN 'job-abandoned' ELSE error_rule END,
    finished_at = CASE WHEN attempts >= @maxAttempts THEN clock_timestamp() ELSE NULL END,
    worker = NULL, fraction = 0
WHERE status = 'running' AND heartbeat_at < clock_timestamp() - make_interval(secs => @staleSeconds)
RETURNING id;
