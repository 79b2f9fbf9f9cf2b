-- Everything the network graph is built from, in EPSG:4547 metres (CGCS2000 / 3-degree Gauss-Krüger CM 114E),
-- ordered by id so the graph (and every id list it reports) is the same on every load.
SELECT version FROM network_change WHERE id = 1;
SELECT id, level, flow, dn, depth_m, status, station_id, ST_Transform(geom, 4547) FROM pipe ORDER BY id;
SELECT id, state, operable, pipe_id, ST_Transform(geom, 4547) FROM valve ORDER BY id;
SELECT id, name, ST_Transform(geom, 4547) FROM station ORDER BY id;
SELECT id, name, ST_Transform(geom, 4547) FROM heat_source ORDER BY id;
SELECT id, name, households, station_id, ST_Transform(footprint, 4547) FROM compound ORDER BY id;
