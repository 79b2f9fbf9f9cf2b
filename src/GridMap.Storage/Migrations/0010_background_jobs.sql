-- Background work (planning partitions, later exports and tile seeding) as rows: queued by any GridMap instance,
-- claimed by one worker with FOR UPDATE SKIP LOCKED, progress and heartbeat written back, so a restart loses no job
-- and several instances behind one load balancer share the queue.
CREATE TABLE background_job (
  id               text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{12}$'),
  kind             text NOT NULL,
  payload          jsonb NOT NULL,
  label            text NOT NULL,
  status           text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  stage            text NOT NULL DEFAULT 'queued',
  fraction         double precision NOT NULL DEFAULT 0 CHECK (fraction BETWEEN 0 AND 1),
  result           jsonb,
  error            text,
  error_rule       text,
  cancel_requested boolean NOT NULL DEFAULT false,
  created_by       text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  started_at       timestamptz,
  finished_at      timestamptz,
  heartbeat_at     timestamptz,
  worker           text,
  attempts         int NOT NULL DEFAULT 0 CHECK (attempts >= 0)
);
CREATE INDEX background_job_queued_idx ON background_job (created_at) WHERE status = 'queued';
CREATE INDEX background_job_running_idx ON background_job (heartbeat_at) WHERE status = 'running';
