-- Roads get a class: arterials (主干道) are the barriers grid cells must not straddle; local roads (支路) are
-- drawn on the basemap but cells may cross them. Demo databases loaded before this migration mark their
-- schematic local roads by name.
ALTER TABLE road ADD COLUMN kind text NOT NULL DEFAULT 'arterial' CHECK (kind IN ('arterial', 'local'));
UPDATE road SET kind = 'local' WHERE name = '支路（示意）';
CREATE OR REPLACE VIEW layer_roads AS
  SELECT id, name, geom, kind FROM road;
