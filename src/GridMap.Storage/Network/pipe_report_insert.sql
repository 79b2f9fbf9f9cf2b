-- One field record on a pipe (migration 0018). A measured offset becomes the proposed line here, in metres
-- (EPSG:4547): ST_OffsetCurve to the left for a positive distance; the result is turned to run the same way as the
-- pipe (older GEOS reverse a right offset). An offset that does not give one line (a pipe folding back on itself)
-- leaves proposed_geom NULL, which the table's check refuses.
WITH p AS (SELECT geom FROM pipe WHERE id = @pipe),
off AS (
  SELECT ST_LineMerge(ST_Transform(ST_OffsetCurve(ST_Transform(p.geom, 4547),
           CASE @side::text WHEN 'left' THEN @offset::float8 ELSE -@offset::float8 END), 4326)) AS g, p.geom AS orig
  FROM p WHERE @kind::text = 'offset'
),
line AS (
  SELECT CASE WHEN GeometryType(g) <> 'LINESTRING' THEN NULL
              WHEN ST_Distance(ST_StartPoint(g), ST_StartPoint(orig)) > ST_Distance(ST_EndPoint(g), ST_StartPoint(orig)) THEN ST_Reverse(g)
              ELSE g END AS g
  FROM off
)
INSERT INTO pipe_report (pipe_id, kind, depth_m, found_dn, offset_m, side, valve_geom, proposed_geom, needs_review,
                         note, position, accuracy_m, reported_by)
VALUES (@pipe, @kind, @depth, @dn, @offset, @side,
        CASE WHEN @vlon::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(@vlon::float8, @vlat::float8), 4326) END,
        CASE @kind::text WHEN 'offset' THEN (SELECT g FROM line) WHEN 'geometry' THEN ST_SetSRID(@geom::geometry, 4326) END,
        @kind::text <> 'depth', @note,
        CASE WHEN @lon::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(@lon::float8, @lat::float8), 4326) END,
        @accuracy, @by)
RETURNING id;
