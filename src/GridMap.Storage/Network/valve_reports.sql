-- The field records of one valve, newest first.
SELECT r.id, r.valve_id, r.condition, r.note, ST_X(r.position), ST_Y(r.position), r.accuracy_m, r.reported_by, r.reported_at,
       ST_Distance(r.position::geography, v.geom::geography)
FROM valve_report r JOIN valve v ON v.id = r.valve_id
WHERE r.valve_id = @valve
ORDER BY r.id DESC
LIMIT @limit;
