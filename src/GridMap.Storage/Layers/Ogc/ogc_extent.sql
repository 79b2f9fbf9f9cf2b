-- The WGS84 extent of a layer view (NULLs when it is empty). {view} comes from the layer catalog only.
SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(t.geom) AS e FROM {view} t) x;
