-- Everything the network graph is built from, in EPSG:4547 metres (CGCS2000 / 3-degree Gauss-Krüger CM 114E),
-- ordered by id so the graph (and every id list it reports) is the same on every load.
SELECT version FROM network_change WHERE id = 1;
SELECT id, level, flow, dn, depth_m, status, station_id, ST_Transform(geom, 4547) FROM pipe ORDER BY id;
-- Valves as found: layer_valves applies the latest field record (migration 0017: found open/closed is the state,
-- seized/broken/buried cannot be operated), the one place that mapping is written.
SELECT id, state, operable, pipe_id, ST_Transform(geom, 4547) FROM layer_valves ORDER BY id;
SELECT id, name, ST_Transform(geom, 4547) FROM station ORDER BY id;
SELECT id, name, ST_Transform(geom, 4547) FROM heat_source ORDER BY id;
SELECT id, name, households, station_id, ST_Transform(footprint, 4547) FROM compound ORDER BY id;
-- The field records in force (the latest per valve, unless it says repaired), for plans to say what they relied on.
SELECT DISTINCT ON (valve_id) id, valve_id, condition, note, reported_by, reported_at
FROM valve_report ORDER BY valve_id, id DESC;
-- Explicit connections (migration 0019): the pipe end and the compound, station or heat source it joins. The load uses
-- them first and infers by distance only where one is missing for a flow.
SELECT pipe_id, pipe_end = 'start', compound_id, station_id, heat_source_id FROM network_connection ORDER BY id;
