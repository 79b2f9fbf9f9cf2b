-- GridMap core schema. All geometries are WGS84 lon/lat (SRID 4326); metric work uses EPSG:4547
-- (CGCS2000 / 3-degree Gauss-Krüger CM 114E) or geography. Constraints keep stored data valid.

CREATE TABLE branch (
  id          int PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  area        geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(area))
);

CREATE TABLE district (
  code        char(6) PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
  name        text NOT NULL,
  branch_id   int NOT NULL REFERENCES branch(id),
  area        geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(area))
);

CREATE TABLE street (
  code          char(9) PRIMARY KEY CHECK (code ~ '^[0-9]{9}$'),
  name          text NOT NULL,
  district_code char(6) NOT NULL REFERENCES district(code),
  area          geometry(MultiPolygon, 4326) CHECK (area IS NULL OR ST_IsValid(area))
);

CREATE TABLE community (
  code        char(12) PRIMARY KEY CHECK (code ~ '^[0-9]{12}$'),
  name        text NOT NULL,
  street_code char(9) NOT NULL REFERENCES street(code)
);

CREATE TABLE road (
  id    bigint PRIMARY KEY,
  name  text NOT NULL,
  geom  geometry(LineString, 4326) NOT NULL CHECK (ST_IsValid(geom))
);

CREATE TABLE heat_source (
  id          int PRIMARY KEY,
  name        text NOT NULL,
  capacity_mw double precision NOT NULL CHECK (capacity_mw >= 0),
  geom        geometry(Point, 4326) NOT NULL
);

CREATE TABLE station (
  id            int PRIMARY KEY,
  name          text NOT NULL,
  district_code char(6) REFERENCES district(code),
  capacity_kw   double precision NOT NULL CHECK (capacity_kw >= 0),
  geom          geometry(Point, 4326) NOT NULL
);

CREATE TABLE staff (
  id        int PRIMARY KEY,
  name      text NOT NULL,
  phone     text NOT NULL CHECK (phone ~ '^[0-9 +-]{7,20}$'),
  role      text NOT NULL CHECK (role IN ('grid_worker', 'supervisor', 'engineer')),
  branch_id int NOT NULL REFERENCES branch(id),
  base      geometry(Point, 4326) NOT NULL
);

-- Retrofit campaign stages: 未启动 → 宣传 → 入户走访 → 签约 → 施工 → 验收 → 完成.
CREATE TABLE retrofit_stage (
  code  text PRIMARY KEY,
  label text NOT NULL UNIQUE,
  ord   int NOT NULL UNIQUE
);
INSERT INTO retrofit_stage (code, label, ord) VALUES
  ('not_started', '未启动', 0), ('publicity', '宣传', 1), ('visiting', '入户走访', 2), ('signed', '签约', 3),
  ('construction', '施工', 4), ('acceptance', '验收', 5), ('completed', '完成', 6);

CREATE TABLE grid_cell (
  code          char(15) PRIMARY KEY CHECK (code ~ '^[0-9]{15}$'),
  name          text NOT NULL,
  district_code char(6) NOT NULL REFERENCES district(code),
  staff_id      int REFERENCES staff(id) ON DELETE SET NULL,
  area          geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(area))
);

CREATE TABLE compound (
  id                      int PRIMARY KEY,
  name                    text NOT NULL CHECK (length(name) > 0),
  address                 text,
  district_code           char(6) NOT NULL REFERENCES district(code),
  street_code             char(9) REFERENCES street(code),
  community_code          char(12) REFERENCES community(code),
  footprint               geometry(Polygon, 4326) NOT NULL CHECK (ST_IsValid(footprint) AND NOT ST_IsEmpty(footprint)),
  households              int NOT NULL CHECK (households >= 0),
  buildings               int NOT NULL DEFAULT 0 CHECK (buildings >= 0),
  heated_area_m2          double precision NOT NULL DEFAULT 0 CHECK (heated_area_m2 >= 0),
  built_year              int CHECK (built_year BETWEEN 1900 AND 2100),
  heating_system          text NOT NULL DEFAULT 'series' CHECK (heating_system IN ('series', 'parallel', 'mixed')),
  retrofit_status         text NOT NULL DEFAULT 'not_started' REFERENCES retrofit_stage(code),
  consent_rate            double precision NOT NULL DEFAULT 0 CHECK (consent_rate BETWEEN 0 AND 1),
  dispute                 boolean NOT NULL DEFAULT false,
  dispute_notes           text,
  property_management     boolean NOT NULL DEFAULT false,
  fee_status              text NOT NULL DEFAULT 'paid' CHECK (fee_status IN ('paid', 'partial', 'arrears')),
  secondary_retrofit_year int CHECK (secondary_retrofit_year BETWEEN 1950 AND 2100),
  station_id              int REFERENCES station(id) ON DELETE SET NULL,
  cell_code               char(15) REFERENCES grid_cell(code) ON DELETE SET NULL
);

-- 回访: follow-up visits recorded after completion.
CREATE TABLE follow_up_visit (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  compound_id int NOT NULL REFERENCES compound(id) ON DELETE CASCADE,
  staff_id    int REFERENCES staff(id) ON DELETE SET NULL,
  visited_on  date NOT NULL,
  notes       text
);

CREATE TABLE pipe (
  id           bigint PRIMARY KEY,
  level        text NOT NULL CHECK (level IN ('primary', 'secondary', 'building')),
  flow         text NOT NULL CHECK (flow IN ('supply', 'return')),
  dn           int NOT NULL CHECK (dn BETWEEN 15 AND 1400),
  material     text NOT NULL DEFAULT 'steel',
  install_year int CHECK (install_year BETWEEN 1900 AND 2100),
  depth_m      double precision NOT NULL DEFAULT 1.2 CHECK (depth_m BETWEEN 0 AND 10),
  status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  station_id   int REFERENCES station(id) ON DELETE SET NULL,
  geom         geometry(LineString, 4326) NOT NULL CHECK (ST_IsValid(geom) AND ST_NPoints(geom) >= 2)
);

CREATE TABLE valve (
  id       bigint PRIMARY KEY,
  state    text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
  operable boolean NOT NULL DEFAULT true,
  level    text NOT NULL DEFAULT 'secondary' CHECK (level IN ('primary', 'secondary', 'building')),
  dn       int NOT NULL DEFAULT 100 CHECK (dn BETWEEN 15 AND 1400),
  pipe_id  bigint REFERENCES pipe(id) ON DELETE SET NULL,
  geom     geometry(Point, 4326) NOT NULL
);

CREATE INDEX branch_area_gix ON branch USING gist (area);
CREATE INDEX district_area_gix ON district USING gist (area);
CREATE INDEX street_area_gix ON street USING gist (area);
CREATE INDEX road_geom_gix ON road USING gist (geom);
CREATE INDEX heat_source_geom_gix ON heat_source USING gist (geom);
CREATE INDEX station_geom_gix ON station USING gist (geom);
CREATE INDEX staff_base_gix ON staff USING gist (base);
CREATE INDEX grid_cell_area_gix ON grid_cell USING gist (area);
CREATE INDEX compound_footprint_gix ON compound USING gist (footprint);
CREATE INDEX compound_district_idx ON compound (district_code);
CREATE INDEX compound_station_idx ON compound (station_id);
CREATE INDEX compound_cell_idx ON compound (cell_code);
CREATE INDEX pipe_geom_gix ON pipe USING gist (geom);
CREATE INDEX pipe_station_idx ON pipe (station_id);
CREATE INDEX valve_geom_gix ON valve USING gist (geom);
CREATE INDEX valve_pipe_idx ON valve (pipe_id);
