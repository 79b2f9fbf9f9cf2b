-- Planning: partition previews, published plan versions, their cells and compound assignments.
-- A plan covers one area (district / street / community code, or a drawn polygon), keyed by area_key.
-- Publishing a preview makes it the current plan of its area: grid_cell rows carry the plan and its
-- version, compound.cell_code points at them, and the previous version becomes 'superseded' (kept).

CREATE TABLE plan (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  area_kind      text NOT NULL CHECK (area_kind IN ('district', 'street', 'community', 'polygon')),
  area_code      text CHECK ((area_kind = 'polygon') = (area_code IS NULL)),
  area_key       text NOT NULL,
  area_name      text NOT NULL,
  district_code  char(6) NOT NULL REFERENCES district(code),
  area           geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(area)),
  status         text NOT NULL DEFAULT 'preview' CHECK (status IN ('preview', 'published', 'superseded')),
  version        int CHECK (version >= 1),
  params         jsonb NOT NULL,
  lower_bound    double precision NOT NULL CHECK (lower_bound >= 0),
  upper_bound    double precision NOT NULL CHECK (upper_bound >= lower_bound),
  target         double precision NOT NULL CHECK (target > 0),
  search         jsonb,
  created_at     timestamptz NOT NULL DEFAULT now(),
  published_at   timestamptz,
  superseded_at  timestamptz,
  superseded_by  bigint REFERENCES plan(id),
  CHECK ((status = 'preview') = (version IS NULL))
);
-- One current plan per area; every published version has its own number.
CREATE UNIQUE INDEX plan_current_per_area ON plan (area_key) WHERE status = 'published';
CREATE UNIQUE INDEX plan_version_per_area ON plan (area_key, version) WHERE version IS NOT NULL;

CREATE TABLE plan_cell (
  plan_id       bigint NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
  idx           int NOT NULL CHECK (idx >= 0),
  code          char(15) NOT NULL CHECK (code ~ '^[0-9]{15}$'),
  name          text NOT NULL,
  area          geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(area)),
  staff_id      int REFERENCES staff(id) ON DELETE SET NULL,
  locked        boolean NOT NULL DEFAULT false,
  staff_pinned  boolean NOT NULL DEFAULT false,
  contiguous    boolean NOT NULL DEFAULT true,
  PRIMARY KEY (plan_id, idx),
  UNIQUE (plan_id, code),
  CHECK (NOT staff_pinned OR staff_id IS NOT NULL)
);

-- territory: the compound's share of the area (tessellation); cells are unions of territories.
CREATE TABLE plan_compound (
  plan_id      bigint NOT NULL,
  compound_id  int NOT NULL REFERENCES compound(id) ON DELETE CASCADE,
  cell_idx     int NOT NULL,
  territory    geometry(MultiPolygon, 4326) NOT NULL,
  PRIMARY KEY (plan_id, compound_id),
  FOREIGN KEY (plan_id, cell_idx) REFERENCES plan_cell(plan_id, idx) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX plan_compound_compound_idx ON plan_compound (compound_id);
CREATE INDEX plan_compound_territory_gix ON plan_compound USING gist (territory);

ALTER TABLE grid_cell ADD COLUMN plan_id bigint REFERENCES plan(id);
ALTER TABLE grid_cell ADD COLUMN plan_version int;
CREATE INDEX grid_cell_plan_idx ON grid_cell (plan_id);
