-- Arterial roads crossing a plan area: the barriers cells must not straddle.
SELECT geom FROM road WHERE kind = 'arterial' AND geom && @area AND ST_Intersects(geom, @area) ORDER BY id;
