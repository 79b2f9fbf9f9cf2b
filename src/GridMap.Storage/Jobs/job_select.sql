SELECT id, kind, label, status, stage, fraction, result::text, error, error_rule, cancel_requested, created_by,
       created_at, started_at, finished_at, worker, attempts, clock_timestamp()
FROM background_job WHERE id = @id;
