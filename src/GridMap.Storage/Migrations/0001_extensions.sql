-- PostGIS is required; pgRouting is optional (used where available for network queries).
CREATE EXTENSION IF NOT EXISTS postgis;
DO $$ BEGIN
  CREATE EXTENSION IF NOT EXISTS pgrouting;
EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'pgrouting not available: %', SQLERRM;
END $$;
