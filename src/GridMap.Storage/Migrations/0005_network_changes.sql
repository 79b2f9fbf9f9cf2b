-- A change counter for the network graph the service caches: any write to the tables the graph is built from
-- (pipes, valves, stations, heat sources, compounds) bumps network_change.version in the same transaction, so a
-- service compares one integer per request instead of scanning tables. Statement-level triggers: a bulk COPY
-- of 20,000 pipes bumps the counter once, not 20,000 times.
CREATE TABLE network_change (
  id         int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  version    bigint NOT NULL DEFAULT 1 CHECK (version >= 1),
  changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO network_change (id, version) VALUES (1, 1);

CREATE FUNCTION network_change_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE network_change SET version = version + 1, changed_at = now() WHERE id = 1;
  RETURN NULL;
END $$;

CREATE TRIGGER pipe_network_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pipe
  FOR EACH STATEMENT EXECUTE FUNCTION network_change_bump();
CREATE TRIGGER valve_network_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON valve
  FOR EACH STATEMENT EXECUTE FUNCTION network_change_bump();
CREATE TRIGGER station_network_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON station
  FOR EACH STATEMENT EXECUTE FUNCTION network_change_bump();
CREATE TRIGGER heat_source_network_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON heat_source
  FOR EACH STATEMENT EXECUTE FUNCTION network_change_bump();
-- Compounds are the consumers (households, footprint, station): only those columns matter to the graph.
CREATE TRIGGER compound_network_change AFTER INSERT OR DELETE OR TRUNCATE ON compound
  FOR EACH STATEMENT EXECUTE FUNCTION network_change_bump();
CREATE TRIGGER compound_network_change_update AFTER UPDATE OF households, footprint, station_id, name ON compound
  FOR EACH STATEMENT EXECUTE FUNCTION network_change_bump();
