-- Field records on valves (crews issue §1): what a crew found on site. Append-only: the latest record of a valve is its
-- field condition, which every later graph (and so every isolation plan, for every user) uses:
--   seized, broken, buried  → the valve cannot be operated (inoperable);
--   found_closed, found_open → its state as found overrides the recorded state;
--   repaired                 → back to the valve's recorded state and operability.
CREATE TABLE valve_report (
  id          bigserial PRIMARY KEY,
  valve_id    bigint NOT NULL REFERENCES valve(id) ON DELETE CASCADE,
  condition   text NOT NULL CHECK (condition IN ('seized', 'broken', 'buried', 'found_closed', 'found_open', 'repaired')),
  note        text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  position    geometry(Point, 4326),
  accuracy_m  double precision CHECK (accuracy_m IS NULL OR (accuracy_m >= 0 AND accuracy_m <= 10000)),
  reported_by text NOT NULL,
  reported_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX valve_report_valve_idx ON valve_report (valve_id, id DESC);

-- A new field record changes the network the engine builds: bump the counter the graph cache compares (0005).
CREATE TRIGGER valve_report_network_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON valve_report
  FOR EACH STATEMENT EXECUTE FUNCTION network_change_bump();

-- Field records are evidence: the application may read and append, never change or remove them.
REVOKE UPDATE, DELETE, TRUNCATE ON valve_report FROM gridmap_app;
