-- Accepting a geometry correction: the pipe takes the line proposed by the record (in the review's transaction).
UPDATE pipe SET geom = r.proposed_geom FROM pipe_report r WHERE r.id = @report AND pipe.id = r.pipe_id;
