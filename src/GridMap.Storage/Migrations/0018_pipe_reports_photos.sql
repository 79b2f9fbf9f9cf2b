-- Field records on pipes and photos on field records (crews issue §1).
--
-- A pipe record is what a crew measured or found at a pipe:
--   depth          the pipe's depth (m) — a plain fact: stored and shown, changes nothing;
--   wrong_dn       the DN found differs from the map — changes network data: waits for review, accept sets pipe.dn;
--   missing_valve  a valve on site that the map lacks — waits for review, accept adds the valve on the pipe;
--   offset         the pipe lies offset_m to the left/right of its drawn line (looking from its first vertex to its
--                  last) — a geometry correction: waits for review, accept moves the pipe;
--   geometry       the pipe's line as measured (a new LineString) — a geometry correction, as offset.
-- The proposed line of a geometry correction is computed when the record is filed (proposed_geom), so the reviewer
-- accepts exactly what they saw. Records and reviews are append-only evidence; a review is one row per record (the
-- primary key refuses a second review), and accepting applies the change in the review's own transaction.
CREATE TABLE pipe_report (
  id            bigserial PRIMARY KEY,
  pipe_id       bigint NOT NULL REFERENCES pipe(id) ON DELETE CASCADE,
  kind          text NOT NULL CHECK (kind IN ('depth', 'wrong_dn', 'missing_valve', 'offset', 'geometry')),
  depth_m       double precision CHECK (depth_m IS NULL OR depth_m BETWEEN 0 AND 10),
  found_dn      int CHECK (found_dn IS NULL OR found_dn BETWEEN 15 AND 1400),
  offset_m      double precision CHECK (offset_m IS NULL OR (offset_m > 0 AND offset_m <= 50)),
  side          text CHECK (side IS NULL OR side IN ('left', 'right')),
  valve_geom    geometry(Point, 4326),
  proposed_geom geometry(LineString, 4326),
  needs_review  boolean NOT NULL,
  note          text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  position      geometry(Point, 4326),
  accuracy_m    double precision CHECK (accuracy_m IS NULL OR (accuracy_m >= 0 AND accuracy_m <= 10000)),
  reported_by   text NOT NULL,
  reported_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (kind <> 'depth' OR depth_m IS NOT NULL),
  CHECK (kind <> 'wrong_dn' OR found_dn IS NOT NULL),
  CHECK (kind <> 'missing_valve' OR valve_geom IS NOT NULL),
  CHECK (kind <> 'offset' OR (offset_m IS NOT NULL AND side IS NOT NULL AND proposed_geom IS NOT NULL)),
  CHECK (kind <> 'geometry' OR proposed_geom IS NOT NULL),
  CHECK (needs_review = (kind <> 'depth'))
);
CREATE INDEX pipe_report_pipe_idx ON pipe_report (pipe_id, id DESC);

CREATE TABLE pipe_report_review (
  report_id   bigint PRIMARY KEY REFERENCES pipe_report(id) ON DELETE CASCADE,
  outcome     text NOT NULL CHECK (outcome IN ('accepted', 'rejected')),
  reason      text NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
  reviewed_by text NOT NULL,
  reviewed_at timestamptz NOT NULL DEFAULT now()
);

-- Photos of field records, kept in the database (bytea, TOASTed out of line) so a backup holds the evidence with
-- the record. One photo per record; JPEG, PNG or WebP, at most 8 MiB (checked by the application too: 413/415).
CREATE TABLE field_photo (
  id              bigserial PRIMARY KEY,
  valve_report_id bigint UNIQUE REFERENCES valve_report(id) ON DELETE CASCADE,
  pipe_report_id  bigint UNIQUE REFERENCES pipe_report(id) ON DELETE CASCADE,
  content_type    text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  bytes           bytea NOT NULL CHECK (octet_length(bytes) BETWEEN 1 AND 8388608),
  sha256          text NOT NULL,
  uploaded_by     text NOT NULL,
  uploaded_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (num_nonnulls(valve_report_id, pipe_report_id) = 1)
);

-- Evidence: the application may read and append, never change or remove (as valve_report, 0017).
REVOKE UPDATE, DELETE, TRUNCATE ON pipe_report FROM gridmap_app;
REVOKE UPDATE, DELETE, TRUNCATE ON pipe_report_review FROM gridmap_app;
REVOKE UPDATE, DELETE, TRUNCATE ON field_photo FROM gridmap_app;
