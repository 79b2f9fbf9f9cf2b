-- Connections are data (crews issue §2): which pipe end joins a compound (the end of its service pipe), a station
-- (the station's primary side for a primary pipe, its secondary side otherwise) or a heat source (its feeder).
-- The network load uses these first and infers by distance only where a compound, station or heat source has none for
-- a flow — each inferred connection is a finding (connection_inferred, with its distance) an engineer can confirm,
-- which adds a row here (source 'confirmed', audited). Rows come from the utility's data on import
-- (pipe attributes compound / station / heat_source, source 'import'), from the demo generator ('demo'), or from a
-- confirmation.
CREATE TABLE network_connection (
  id             bigserial PRIMARY KEY,
  pipe_id        bigint NOT NULL REFERENCES pipe(id) ON DELETE CASCADE,
  pipe_end       text NOT NULL CHECK (pipe_end IN ('start', 'end')),
  compound_id    int REFERENCES compound(id) ON DELETE CASCADE,
  station_id     int REFERENCES station(id) ON DELETE CASCADE,
  heat_source_id int REFERENCES heat_source(id) ON DELETE CASCADE,
  source         text NOT NULL CHECK (source IN ('import', 'demo', 'confirmed')),
  created_by     text NOT NULL DEFAULT 'system',
  created_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (num_nonnulls(compound_id, station_id, heat_source_id) = 1)
);
CREATE UNIQUE INDEX network_connection_once ON network_connection (pipe_id, pipe_end, coalesce(compound_id, -1), coalesce(station_id, -1), coalesce(heat_source_id, -1));
CREATE INDEX network_connection_compound_idx ON network_connection (compound_id) WHERE compound_id IS NOT NULL;
CREATE INDEX network_connection_station_idx ON network_connection (station_id) WHERE station_id IS NOT NULL;

-- A connection changes the graph the engine builds.
CREATE TRIGGER network_connection_network_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON network_connection
  FOR EACH STATEMENT EXECUTE FUNCTION network_change_bump();
