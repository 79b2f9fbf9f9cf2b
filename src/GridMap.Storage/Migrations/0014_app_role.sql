-- Least privilege: the application (Api, CLI use cases, background jobs) connects as a login role that is a
-- member of the NOLOGIN group gridmap_app; it is no superuser, owns nothing and cannot create objects. Migrations
-- (and the demo loader, which truncates) run as the owner role. The role is cluster-wide: created here only when
-- missing (the owner needs CREATEROLE for that; otherwise a DBA creates it first: CREATE ROLE gridmap_app NOLOGIN).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gridmap_app') THEN
    CREATE ROLE gridmap_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- another database of this cluster created it at the same moment
END $$;

-- Nobody but the owner creates objects in public (PostgreSQL 15's default, made explicit for older upgrades).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO gridmap_app;

-- Tables of migrations 0001–0013 (and any applied before this one) …
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO gridmap_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO gridmap_app;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO gridmap_app;
-- … and of every later migration run by the same owner role.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO gridmap_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO gridmap_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO gridmap_app;

-- The audit log cannot be altered through the application: it may read and append, nothing else
-- (the append-only triggers of 0011 stay as a second line for the owner).
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM gridmap_app;
-- Which migrations ran is the owner's business; the app may read it (gridmap db status).
REVOKE INSERT, UPDATE, DELETE ON schema_migration FROM gridmap_app;
-- PostGIS's own catalogue is read-only for the app.
REVOKE INSERT, UPDATE, DELETE ON spatial_ref_sys FROM gridmap_app;
