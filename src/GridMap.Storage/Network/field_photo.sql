-- The photo of one field record.
SELECT content_type, bytes, sha256 FROM field_photo
WHERE (@valve_report::bigint IS NOT NULL AND valve_report_id = @valve_report)
   OR (@pipe_report::bigint IS NOT NULL AND pipe_report_id = @pipe_report);
