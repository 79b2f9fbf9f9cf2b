-- Which of @ids are stored pipes (a valve's pipe_id must name one).
SELECT id FROM pipe WHERE id = ANY(@ids)
