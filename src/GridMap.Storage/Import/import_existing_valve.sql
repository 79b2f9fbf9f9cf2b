-- The stored values of the columns an import writes, for the valves a file names (@ids).
SELECT id, state, operable, level, dn, pipe_id, geom
FROM valve WHERE id = ANY(@ids)
