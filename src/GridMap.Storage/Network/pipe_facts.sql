-- A pipe as a field record and its review need it: DN, depth, level, the line, and the branches of the districts it crosses.
SELECT p.id, p.dn, p.depth_m, p.level, p.geom,
       ARRAY(SELECT d.branch_id FROM district d WHERE ST_Intersects(d.area, p.geom) ORDER BY d.branch_id)
FROM pipe p WHERE p.id = @pipe;
