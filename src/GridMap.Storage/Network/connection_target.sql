-- Does the compound / station / heat source exist, and which branches is it in (with the pipe's).
SELECT ARRAY(SELECT DISTINCT d.branch_id FROM district d
             WHERE ST_Intersects(d.area, t.g) OR ST_Intersects(d.area, (SELECT geom FROM pipe WHERE id = @pipe)) ORDER BY 1)
FROM (SELECT coalesce((SELECT footprint FROM compound WHERE id = @compound::int),
                      (SELECT geom FROM station WHERE id = @station::int),
                      (SELECT geom FROM heat_source WHERE id = @source::int)) AS g) t
WHERE t.g IS NOT NULL;
