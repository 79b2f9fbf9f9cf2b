-- A photo of a field record (migration 0018): of a valve record (@valve_report) or a pipe record (@pipe_report).
INSERT INTO field_photo (valve_report_id, pipe_report_id, content_type, bytes, sha256, uploaded_by)
VALUES (@valve_report, @pipe_report, @type, @bytes, @sha, @by)
RETURNING id;
