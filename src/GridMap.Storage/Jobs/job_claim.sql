-- Claims the oldest queued job for @worker; SKIP LOCKED lets concurrent workers (other instances) take other rows.
UPDATE background_job j
SET status = 'running', stage = 'starting', started_at = clock_timestamp(), heartbeat_at = clock_timestamp(), worker = @worker, attempts = j.attempts + 1
WHERE j.id = (
  SELECT q.id FROM background_job q
  WHERE q.status = 'queued' AND (@kinds::text[] IS NULL OR q.kind = ANY(@kinds))
  ORDER BY q.created_at, q.id
  FOR UPDATE SKIP LOCKED
  LIMIT 1)
RETURNING j.id, j.kind, j.payload::text, j.label, j.created_by, j.attempts;
