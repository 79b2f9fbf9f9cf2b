-- Everything the network graph is built from, in EPSG:4547 metres (CGCS2000 / 3-degree Gauss-Krüger CM 114E),
-- ordered by id so the graph (and every id list it reports) is the same on every load.
SELECT version FROM network_change WHERE id = 1;
SELECT id, level, flow, dn, depth_m, status, station_id, ST_Transform(geom, 4547) FROM pipe ORDER BY id;
-- Valves with their field condition (the latest field record, migration 0017) applied: found open/closed is the state,
-- seized/broken/buried cannot be operated; repaired (or no record) leaves the recorded state.
SELECT v.id,
       CASE r.condition WHEN 'found_closed' THEN 'closed' WHEN 'found_open' THEN 'open' ELSE v.state END,
       v.operable AND coalesce(r.condition NOT IN ('seized', 'broken', 'buried'), true),
       v.pipe_id, ST_Transform(v.geom, 4547)
FROM valve v
LEFT JOIN LATERAL (SELECT condition FROM valve_report WHERE valve_id = v.id ORDER BY id DESC LIMIT 1) r ON true
ORDER BY v.id;
SELECT id, name, ST_Transform(geom, 4547) FROM station ORDER BY id;
SELECT id, name, ST_Transform(geom, 4547) FROM heat_source ORDER BY id;
SELECT id, name, households, station_id, ST_Transform(footprint, 4547) FROM compound ORDER BY id;
-- The field records in force (the latest per valve, unless it says repaired), for plans to say what they relied on.
SELECT DISTINCT ON (valve_id) id, valve_id, condition, note, reported_by, reported_at
FROM valve_report ORDER BY valve_id, id DESC;
