-- One field record on a valve (migration 0017); position optional (WGS84 lon/lat of the crew's phone).
INSERT INTO valve_report (valve_id, condition, note, position, accuracy_m, reported_by)
VALUES (@valve, @condition, @note,
        CASE WHEN @lon::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(@lon::float8, @lat::float8), 4326) END,
        @accuracy, @by)
RETURNING id, valve_id, condition, note, ST_X(position), ST_Y(position), accuracy_m, reported_by, reported_at,
          ST_Distance(position::geography, (SELECT geom FROM valve WHERE id = @valve)::geography), NULL::bigint;
