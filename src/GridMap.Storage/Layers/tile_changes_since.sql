-- The committed data generation and every change logged after generation @since (one statement, one snapshot: a
-- change with a generation ≤ the returned one is always among the rows, see migration 0015).
-- The first row carries the generation and the log's name (database + epoch) with a NULL source; change rows follow,
-- ordered by generation.
SELECT * FROM (
  SELECT gen, NULL::text AS source, 0::float8 AS min_lon, 0::float8 AS min_lat, 0::float8 AS max_lon, 0::float8 AS max_lat,
         current_database() || '-' || left(epoch::text, 8) AS log_name
  FROM tile_generation
  UNION ALL
  SELECT c.gen, c.source, c.min_lon, c.min_lat, c.max_lon, c.max_lat, NULL
  FROM tile_change c
  WHERE c.gen > @since AND c.gen <= (SELECT gen FROM tile_generation)
) u
ORDER BY u.source IS NOT NULL, u.gen;
