-- The field records of one valve (or one record of it, @report), newest first, with the id of each one's photo.
SELECT r.id, r.valve_id, r.condition, r.note, ST_X(r.position), ST_Y(r.position), r.accuracy_m, r.reported_by, r.reported_at,
       ST_Distance(r.position::geography, v.geom::geography),
       (SELECT ph.id FROM field_photo ph WHERE ph.valve_report_id = r.id)
FROM valve_report r JOIN valve v ON v.id = r.valve_id
WHERE r.valve_id = @valve AND (@report::bigint IS NULL OR r.id = @report)
ORDER BY r.id DESC
LIMIT @limit;
