-- Tile change log: every statement that changes a table the map tiles are drawn from records the bounding boxes
-- it touched (old and new geometry envelopes, WGS84) under a data generation number, so the tile cache can drop
-- exactly the tiles a change touches — whether the change came through GridMap or straight into PostgreSQL
-- (QGIS, psql, another tool).
--
-- tile_generation holds one row; every logging statement bumps it with UPDATE, which row-locks it until the
-- writing transaction ends. Writers therefore commit generations in order: once a reader sees generation G,
-- every change with a generation ≤ G is committed and visible (a sequence would not give that: numbers are
-- handed out before commit, so a later number can become visible before an earlier one).
--
-- source names what changed: a table ('compound', 'pipe', …) or an aggregate unit whose figures changed
-- ('agg_branch', 'agg_district', 'agg_street', 'agg_cell': the unit's whole envelope, because its figures are
-- drawn in every tile the unit's polygon reaches). The layer catalog lists the sources each layer depends on.

CREATE TABLE tile_generation (
  one   boolean PRIMARY KEY DEFAULT true CHECK (one),
  gen   bigint NOT NULL,
  -- Names this log: a cache kept on disk belongs to one database (name + epoch), never to a recreated namesake.
  epoch uuid NOT NULL DEFAULT gen_random_uuid()
);
INSERT INTO tile_generation (one, gen) VALUES (true, 0);

CREATE TABLE tile_change (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  gen        bigint NOT NULL,
  source     text NOT NULL,
  min_lon    double precision NOT NULL,
  min_lat    double precision NOT NULL,
  max_lon    double precision NOT NULL,
  max_lat    double precision NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tile_change_gen_idx ON tile_change (gen);

-- Records the boxes of one statement: at most 200 boxes per source (beyond that, their common extent: a bulk
-- load invalidates its whole extent, which is still exact enough and keeps the log small).
CREATE FUNCTION tile_change_record(boxes jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  g bigint;
BEGIN
  IF boxes IS NULL OR jsonb_array_length(boxes) = 0 THEN RETURN; END IF;
  UPDATE tile_generation SET gen = gen + 1 RETURNING gen INTO g;
  INSERT INTO tile_change (gen, source, min_lon, min_lat, max_lon, max_lat)
  SELECT g, s.source, s.x0, s.y0, s.x1, s.y1
  FROM (
    SELECT b->>'s' AS source, (b->>'x0')::float8 AS x0, (b->>'y0')::float8 AS y0, (b->>'x1')::float8 AS x1, (b->>'y1')::float8 AS y1,
           count(*) OVER (PARTITION BY b->>'s') AS n
    FROM jsonb_array_elements(boxes) b
  ) s WHERE s.n <= 200
  UNION ALL
  SELECT g, s.source, min(s.x0), min(s.y0), max(s.x1), max(s.y1)
  FROM (
    SELECT b->>'s' AS source, (b->>'x0')::float8 AS x0, (b->>'y0')::float8 AS y0, (b->>'x1')::float8 AS x1, (b->>'y1')::float8 AS y1,
           count(*) OVER (PARTITION BY b->>'s') AS n
    FROM jsonb_array_elements(boxes) b
  ) s WHERE s.n > 200
  GROUP BY s.source;
  PERFORM pg_notify('tile_change', g::text);
END $$;

CREATE FUNCTION tile_box(source text, g geometry) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN g IS NULL OR ST_IsEmpty(g) THEN NULL
         ELSE jsonb_build_object('s', source, 'x0', ST_XMin(g), 'y0', ST_YMin(g), 'x1', ST_XMax(g), 'y1', ST_YMax(g)) END
$$;

-- The boxes of the aggregate units (branch, district, street, cell) a set of compound rows belongs to.
CREATE FUNCTION tile_unit_boxes(district_codes text[], street_codes text[], cell_codes text[]) RETURNS SETOF jsonb LANGUAGE sql STABLE AS $$
  SELECT tile_box('agg_district', d.area) FROM district d WHERE d.code = ANY (district_codes)
  UNION ALL
  SELECT tile_box('agg_branch', b.area) FROM branch b WHERE b.id IN (SELECT d.branch_id FROM district d WHERE d.code = ANY (district_codes))
  UNION ALL
  SELECT tile_box('agg_street', s.area) FROM street s WHERE s.code = ANY (street_codes) AND s.area IS NOT NULL
  UNION ALL
  SELECT tile_box('agg_cell', c.area) FROM grid_cell c WHERE c.code = ANY (cell_codes)
$$;

-- Transition tables exist only for the statement's own operation (no old_rows on INSERT), so each trigger first
-- copies the rows it may see into one array, then works on that.

-- Tables drawn as they are: TG_ARGV[0] is the geometry column.
CREATE FUNCTION tile_change_geom() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  col text := TG_ARGV[0];
  src text := TG_TABLE_NAME;
  envs geometry[];
  boxes jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE format('SELECT array_agg(ST_Envelope(%I)) FROM new_rows', col) INTO envs;
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE format('SELECT array_agg(ST_Envelope(%I)) FROM old_rows', col) INTO envs;
  ELSE
    EXECUTE format('SELECT array_agg(e) FROM (SELECT ST_Envelope(%I) AS e FROM old_rows UNION ALL SELECT ST_Envelope(%I) FROM new_rows) x', col, col) INTO envs;
  END IF;
  SELECT jsonb_agg(DISTINCT b) INTO boxes FROM (
    SELECT tile_box(src, e) AS b FROM unnest(envs) e
    UNION ALL
    -- A unit's own polygon or name changed: the aggregate layer of that level draws it.
    SELECT tile_box('agg_' || CASE src WHEN 'grid_cell' THEN 'cell' ELSE src END, e) FROM unnest(envs) e
    WHERE src IN ('branch', 'district', 'street', 'grid_cell')
  ) x WHERE b IS NOT NULL;
  -- A district moved to another branch changes both branches' figures (drawn over each branch's whole polygon).
  IF src = 'district' THEN
    IF TG_OP = 'UPDATE' THEN
      SELECT coalesce(boxes, '[]'::jsonb) || coalesce(jsonb_agg(tile_box('agg_branch', b.area)), '[]'::jsonb) INTO boxes
      FROM branch b WHERE b.id IN (SELECT branch_id FROM old_rows UNION SELECT branch_id FROM new_rows);
    ELSIF TG_OP = 'INSERT' THEN
      SELECT coalesce(boxes, '[]'::jsonb) || coalesce(jsonb_agg(tile_box('agg_branch', b.area)), '[]'::jsonb) INTO boxes
      FROM branch b WHERE b.id IN (SELECT branch_id FROM new_rows);
    ELSE
      SELECT coalesce(boxes, '[]'::jsonb) || coalesce(jsonb_agg(tile_box('agg_branch', b.area)), '[]'::jsonb) INTO boxes
      FROM branch b WHERE b.id IN (SELECT branch_id FROM old_rows);
    END IF;
  END IF;
  PERFORM tile_change_record(boxes);
  RETURN NULL;
END $$;

-- Compounds: their own boxes, plus the units (old and new) whose figures they count in.
CREATE FUNCTION tile_change_compound() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  envs geometry[]; ds text[]; ss text[]; cs text[];
  boxes jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(ST_Envelope(footprint)), array_agg(DISTINCT district_code::text), array_agg(DISTINCT street_code::text), array_agg(DISTINCT cell_code::text)
    INTO envs, ds, ss, cs FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(ST_Envelope(footprint)), array_agg(DISTINCT district_code::text), array_agg(DISTINCT street_code::text), array_agg(DISTINCT cell_code::text)
    INTO envs, ds, ss, cs FROM old_rows;
  ELSE
    SELECT array_agg(ST_Envelope(footprint)), array_agg(DISTINCT district_code::text), array_agg(DISTINCT street_code::text), array_agg(DISTINCT cell_code::text)
    INTO envs, ds, ss, cs FROM (SELECT footprint, district_code, street_code, cell_code FROM old_rows
                                UNION ALL SELECT footprint, district_code, street_code, cell_code FROM new_rows) r;
  END IF;
  SELECT jsonb_agg(DISTINCT b) INTO boxes FROM (
    SELECT tile_box('compound', e) AS b FROM unnest(envs) e
    UNION ALL
    SELECT u FROM tile_unit_boxes(ds, ss, cs) u
  ) x WHERE b IS NOT NULL;
  PERFORM tile_change_record(boxes);
  RETURN NULL;
END $$;

-- Follow-up visits count in the figures (overdue follow-ups) of their compound's units.
CREATE FUNCTION tile_change_visit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids int[];
  boxes jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN SELECT array_agg(compound_id) INTO ids FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN SELECT array_agg(compound_id) INTO ids FROM old_rows;
  ELSE SELECT array_agg(compound_id) INTO ids FROM (SELECT compound_id FROM old_rows UNION SELECT compound_id FROM new_rows) r;
  END IF;
  SELECT jsonb_agg(DISTINCT u) INTO boxes
  FROM tile_unit_boxes((SELECT array_agg(DISTINCT c.district_code::text) FROM compound c WHERE c.id = ANY (ids)),
                       (SELECT array_agg(DISTINCT c.street_code::text) FROM compound c WHERE c.id = ANY (ids)),
                       (SELECT array_agg(DISTINCT c.cell_code::text) FROM compound c WHERE c.id = ANY (ids))) u
  WHERE u IS NOT NULL;
  PERFORM tile_change_record(boxes);
  RETURN NULL;
END $$;

-- Staff: their own points, and the cells whose labels carry their name.
CREATE FUNCTION tile_change_staff() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  envs geometry[]; ids int[];
  boxes jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN SELECT array_agg(ST_Envelope(base)), array_agg(id) INTO envs, ids FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN SELECT array_agg(ST_Envelope(base)), array_agg(id) INTO envs, ids FROM old_rows;
  ELSE SELECT array_agg(ST_Envelope(base)), array_agg(id) INTO envs, ids FROM (SELECT id, base FROM old_rows UNION ALL SELECT id, base FROM new_rows) r;
  END IF;
  SELECT jsonb_agg(DISTINCT b) INTO boxes FROM (
    SELECT tile_box('staff', e) AS b FROM unnest(envs) e
    UNION ALL
    SELECT tile_box('grid_cell', g.area) FROM grid_cell g WHERE g.staff_id = ANY (ids)
  ) x WHERE b IS NOT NULL;
  PERFORM tile_change_record(boxes);
  RETURN NULL;
END $$;

-- One trigger per (table, operation): PostgreSQL allows transition tables only on single-event triggers.
DO $$
DECLARE
  t record;
  op text;
BEGIN
  FOR t IN SELECT * FROM (VALUES
      ('branch', 'tile_change_geom', 'area'), ('district', 'tile_change_geom', 'area'), ('street', 'tile_change_geom', 'area'),
      ('grid_cell', 'tile_change_geom', 'area'), ('road', 'tile_change_geom', 'geom'), ('heat_source', 'tile_change_geom', 'geom'),
      ('station', 'tile_change_geom', 'geom'), ('pipe', 'tile_change_geom', 'geom'), ('valve', 'tile_change_geom', 'geom'),
      ('compound', 'tile_change_compound', ''), ('follow_up_visit', 'tile_change_visit', ''), ('staff', 'tile_change_staff', '')
    ) AS v(tbl, fn, col)
  LOOP
    FOREACH op IN ARRAY ARRAY['INSERT', 'UPDATE', 'DELETE'] LOOP
      EXECUTE format('CREATE TRIGGER %I AFTER %s ON %I REFERENCING %s FOR EACH STATEMENT EXECUTE FUNCTION %I(%L)',
        t.tbl || '_tiles_' || lower(op), op, t.tbl,
        CASE op WHEN 'INSERT' THEN 'NEW TABLE AS new_rows' WHEN 'DELETE' THEN 'OLD TABLE AS old_rows'
                ELSE 'OLD TABLE AS old_rows NEW TABLE AS new_rows' END,
        t.fn, t.col);
    END LOOP;
  END LOOP;
END $$;

-- TRUNCATE has no rows to look at: it touches everything the table drew.
CREATE FUNCTION tile_change_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tile_change_record(jsonb_build_array(
    jsonb_build_object('s', CASE WHEN TG_TABLE_NAME IN ('compound', 'follow_up_visit') THEN 'compound' ELSE TG_TABLE_NAME END,
                       'x0', -180, 'y0', -90, 'x1', 180, 'y1', 90),
    jsonb_build_object('s', 'agg_all', 'x0', -180, 'y0', -90, 'x1', 180, 'y1', 90)));
  RETURN NULL;
END $$;
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['branch', 'district', 'street', 'grid_cell', 'road', 'heat_source', 'station', 'pipe', 'valve',
                           'compound', 'follow_up_visit', 'staff'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION tile_change_truncate()', t || '_tiles_truncate', t);
  END LOOP;
END $$;

-- Streets as a layer (the progress_streets layer's GeoJSON pages); streets without a surveyed area are left out.
CREATE VIEW layer_streets AS
  SELECT s.code::text AS id, s.code::text AS code, s.name, s.district_code::text AS district_code, s.area AS geom
  FROM street s WHERE s.area IS NOT NULL;
