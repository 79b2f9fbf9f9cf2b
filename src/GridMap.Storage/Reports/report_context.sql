-- Context drawn under and over the compounds within an extent: district outlines, street outlines (when @streets),
-- grid-cell outlines (only the cell @cell, for a notice board) and roads. kind: 0 district, 1 street, 2 cell, 3 road.
WITH e AS (SELECT ST_MakeEnvelope(@minx, @miny, @maxx, @maxy, 4326) AS env)
SELECT 0 AS kind, d.name, ST_SimplifyPreserveTopology(ST_Boundary(d.area), @tolerance) AS geom FROM district d, e WHERE d.area && e.env
UNION ALL
SELECT 1, s.name, ST_SimplifyPreserveTopology(ST_Boundary(s.area), @tolerance) FROM street s, e WHERE @streets AND s.area IS NOT NULL AND s.area && e.env
UNION ALL
SELECT 2, g.name, ST_Boundary(g.area) FROM grid_cell g WHERE g.code = @cell
UNION ALL
SELECT 3, r.name, ST_SimplifyPreserveTopology(r.geom, @tolerance) FROM road r, e WHERE r.geom && e.env
ORDER BY 1, 2;
