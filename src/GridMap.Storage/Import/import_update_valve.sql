-- Re-import: sets only the columns named in @changed (the attributes the file gave that differ), leaves the rest.
UPDATE valve SET
  state    = CASE WHEN 'state' = ANY(@changed) THEN @state ELSE state END,
  operable = CASE WHEN 'operable' = ANY(@changed) THEN @operable ELSE operable END,
  level    = CASE WHEN 'level' = ANY(@changed) THEN @level ELSE level END,
  dn       = CASE WHEN 'dn' = ANY(@changed) THEN @dn ELSE dn END,
  pipe_id  = CASE WHEN 'pipe_id' = ANY(@changed) THEN @pipe_id ELSE pipe_id END,
  geom     = CASE WHEN 'geom' = ANY(@changed) THEN @geom ELSE geom END
WHERE id = @id
