-- Field records on pipes with their review (if any) and photo (if any): of one pipe (@pipe), or the pending ones
-- (@pending: needs review, no review yet) of every pipe; newest first (pending: oldest first, the queue's order).
SELECT r.id, r.pipe_id, r.kind, r.depth_m, r.found_dn, r.offset_m, r.side,
       ST_X(r.valve_geom), ST_Y(r.valve_geom), r.proposed_geom, r.needs_review,
       r.note, ST_X(r.position), ST_Y(r.position), r.accuracy_m,
       ST_Distance(r.position::geography, p.geom::geography),
       r.reported_by, r.reported_at,
       v.outcome, v.reason, v.reviewed_by, v.reviewed_at,
       ph.id
FROM pipe_report r
JOIN pipe p ON p.id = r.pipe_id
LEFT JOIN pipe_report_review v ON v.report_id = r.id
LEFT JOIN field_photo ph ON ph.pipe_report_id = r.id
WHERE (@pipe::bigint IS NULL OR r.pipe_id = @pipe)
  AND (@report::bigint IS NULL OR r.id = @report)
  AND (NOT @pending::boolean OR (r.needs_review AND v.report_id IS NULL))
ORDER BY CASE WHEN @pending::boolean THEN r.id ELSE -r.id END
LIMIT @limit;
