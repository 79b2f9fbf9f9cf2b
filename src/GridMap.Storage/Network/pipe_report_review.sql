-- The outcome of a review (one per record: the primary key refuses a second).
INSERT INTO pipe_report_review (report_id, outcome, reason, reviewed_by) VALUES (@report, @outcome, @reason, @by);
