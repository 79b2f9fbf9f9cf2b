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

-- The map shows valves as found: the layer (features, OGC) and the tiles carry the field condition, with the state and
-- operability it implies (as the network graph applies them, Network/network_load.sql).
CREATE OR REPLACE VIEW layer_valves AS
  SELECT v.id,
         CASE r.condition WHEN 'found_closed' THEN 'closed' WHEN 'found_open' THEN 'open' ELSE v.state END AS state,
         v.operable AND coalesce(r.condition NOT IN ('seized', 'broken', 'buried'), true) AS operable,
         v.level, v.dn, v.pipe_id, v.geom,
         CASE WHEN r.condition = 'repaired' THEN NULL ELSE r.condition END AS condition
  FROM valve v
  LEFT JOIN LATERAL (SELECT condition FROM valve_report WHERE valve_id = v.id ORDER BY id DESC LIMIT 1) r ON true;

-- A field record changes how its valve is drawn: record the valve's tiles in the change log (0015).
CREATE FUNCTION tile_change_valve_report() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  boxes jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(DISTINCT tile_box('valve', v.geom)) INTO boxes FROM valve v WHERE v.id IN (SELECT valve_id FROM new_rows);
  ELSE
    SELECT jsonb_agg(DISTINCT tile_box('valve', v.geom)) INTO boxes FROM valve v WHERE v.id IN (SELECT valve_id FROM old_rows);
  END IF;
  PERFORM tile_change_record(boxes);
  RETURN NULL;
END $$;
CREATE TRIGGER valve_report_tiles_insert AFTER INSERT ON valve_report REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tile_change_valve_report();
CREATE TRIGGER valve_report_tiles_delete AFTER DELETE ON valve_report REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tile_change_valve_report();
