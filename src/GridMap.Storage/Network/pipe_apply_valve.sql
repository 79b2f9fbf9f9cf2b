-- Accepting a missing-valve record: a new valve (open, operable, the pipe's level and DN) on the pipe at the point of
-- the pipe nearest the reported position. Valve ids are the utility's numbers, so the new one takes the next free
-- number (the caller holds a transaction lock, so two accepts cannot take the same).
INSERT INTO valve (id, state, operable, level, dn, pipe_id, geom)
SELECT (SELECT coalesce(max(id), 0) + 1 FROM valve), 'open', true, p.level, p.dn, p.id, ST_ClosestPoint(p.geom, r.valve_geom)
FROM pipe_report r JOIN pipe p ON p.id = r.pipe_id
WHERE r.id = @report
RETURNING id;
