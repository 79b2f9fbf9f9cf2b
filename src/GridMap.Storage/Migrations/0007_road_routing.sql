-- A routable graph of the roads for travel distances (staff base → grid cell), kept beside the road table.
-- The roads as stored are not noded: arterials cross without a shared vertex and local roads end on an
-- arterial only to floating-point precision. road_route_refresh() nodes them with a snap-rounding union on a
-- 1 m grid in EPSG:4547 metres (every crossing becomes a vertex; a road end within about half a metre of
-- another road joins it; overlapping stretches merge) and numbers the ends as vertices. Any change to road
-- marks the graph stale (statement trigger); the next reader rebuilds it (StaffTravel calls the refresh), so
-- bulk loads pay once. Only PostGIS is needed here; shortest paths use pgRouting's pgr_dijkstraCost.

CREATE TABLE road_route_vertex (
  id   int PRIMARY KEY,
  geom geometry(Point, 4547) NOT NULL
);

-- No foreign keys: both tables are derived and rebuilt together by road_route_refresh().
CREATE TABLE road_route_edge (
  id       int PRIMARY KEY,
  source   int NOT NULL,
  target   int NOT NULL,
  length_m double precision NOT NULL CHECK (length_m > 0),
  geom     geometry(LineString, 4547) NOT NULL
);
CREATE INDEX road_route_edge_gix ON road_route_edge USING gist (geom);

CREATE TABLE road_route_state (
  singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  stale        boolean NOT NULL DEFAULT true,
  grid_m       double precision NOT NULL DEFAULT 1.0 CHECK (grid_m > 0),
  refreshed_at timestamptz,
  edges        int,
  vertices     int
);
INSERT INTO road_route_state DEFAULT VALUES;

-- Writers of road and refreshers share one advisory lock, so a refresh never reads roads a concurrent
-- transaction is still changing and then marks the graph fresh.
CREATE FUNCTION road_route_mark_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7267786912);
  UPDATE road_route_state SET stale = true WHERE NOT stale;
  RETURN NULL;
END $$;

CREATE TRIGGER road_route_stale AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON road
  FOR EACH STATEMENT EXECUTE FUNCTION road_route_mark_stale();

-- Rebuilds the graph when stale (or when forced); returns whether it rebuilt. A fresh graph is answered without
-- the lock, so concurrent planners (each calling this inside its own transaction) do not queue behind each other.
CREATE FUNCTION road_route_refresh(force boolean DEFAULT false) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  grid double precision;
BEGIN
  IF NOT force AND NOT (SELECT stale FROM road_route_state) THEN RETURN false; END IF;
  PERFORM pg_advisory_xact_lock(7267786912);
  SELECT grid_m INTO grid FROM road_route_state WHERE stale OR force;
  IF NOT FOUND THEN RETURN false; END IF;
  DELETE FROM road_route_edge;
  DELETE FROM road_route_vertex;
  WITH noded AS MATERIALIZED (
    SELECT row_number() OVER ()::int AS id, g
    FROM (SELECT (ST_Dump(ST_UnaryUnion(ST_Collect(ST_Transform(geom, 4547) ORDER BY id), grid))).geom AS g FROM road) d
    WHERE ST_Length(g) > 0
  ),
  ends AS (
    SELECT id, ST_X(ST_StartPoint(g)) AS sx, ST_Y(ST_StartPoint(g)) AS sy, ST_X(ST_EndPoint(g)) AS ex, ST_Y(ST_EndPoint(g)) AS ey FROM noded
  ),
  -- Snap rounding leaves every end on the grid, so equal coordinates are the same vertex.
  pts AS MATERIALIZED (
    SELECT x, y, row_number() OVER (ORDER BY x, y)::int AS id FROM (SELECT sx AS x, sy AS y FROM ends UNION SELECT ex, ey FROM ends) u
  ),
  v AS (
    INSERT INTO road_route_vertex (id, geom) SELECT id, ST_SetSRID(ST_MakePoint(x, y), 4547) FROM pts
  )
  INSERT INTO road_route_edge (id, source, target, length_m, geom)
  SELECT e.id, s.id, t.id, ST_Length(n.g), n.g
  FROM ends e
  JOIN noded n ON n.id = e.id
  JOIN pts s ON s.x = e.sx AND s.y = e.sy
  JOIN pts t ON t.x = e.ex AND t.y = e.ey;
  UPDATE road_route_state SET stale = false, refreshed_at = now(),
    edges = (SELECT count(*) FROM road_route_edge), vertices = (SELECT count(*) FROM road_route_vertex);
  ANALYZE road_route_edge;
  RETURN true;
END $$;
