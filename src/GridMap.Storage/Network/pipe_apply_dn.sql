-- Accepting a wrong-DN record: the pipe takes the DN found.
UPDATE pipe SET dn = r.found_dn FROM pipe_report r WHERE r.id = @report AND pipe.id = r.pipe_id;
