-- A valve as a field record needs it: its recorded state, the latest field condition, and the branches of the districts it lies in.
SELECT v.id, v.state, v.operable,
       (SELECT condition FROM valve_report WHERE valve_id = v.id ORDER BY id DESC LIMIT 1),
       ARRAY(SELECT d.branch_id FROM district d WHERE ST_Intersects(d.area, v.geom) ORDER BY d.branch_id)
FROM valve v WHERE v.id = @valve;
