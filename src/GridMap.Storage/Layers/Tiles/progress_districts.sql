-- Campaign progress per district (行政区), drawn as the unit's polygon (simplified to the tile's pixel size) carrying its figures
-- from campaign_progress (migration 0016, shared by the four progress layers): compounds and households, households by
-- stage (hh_<stage>), completed_share (completed households / households), consent_rate (household-weighted), disputes
-- (disputed compounds) and overdue_followups (completed compounds whose next follow-up visit (回访) is past due, by the
-- configured schedule: campaign_follow_up_due).
WITH b AS (
  SELECT ST_TileEnvelope(@z, @x, @y) AS env, ST_Transform(ST_TileEnvelope(@z, @x, @y, margin => 64.0 / 4096), 4326) AS env4326
), u AS (
  SELECT u0.code::text AS code, u0.name AS name, u0.area AS area
  FROM district u0, b
  WHERE u0.area && b.env4326
)
SELECT ST_AsMVT(t, @layer, 4096, 'geom')
FROM (
  SELECT u.code, u.name, s.compounds, s.households,
         s.hh_not_started, s.hh_publicity, s.hh_visiting, s.hh_signed, s.hh_construction, s.hh_acceptance, s.hh_completed,
         CASE WHEN s.households > 0 THEN round(s.hh_completed::numeric / s.households, 4)::float8 ELSE 0 END AS completed_share,
         CASE WHEN s.households > 0 THEN round(s.consent_hh::numeric / s.households, 4)::float8 ELSE 0 END AS consent_rate,
         s.disputes, s.overdue_followups,
         ST_AsMVTGeom(ST_Simplify(ST_Transform(u.area, 3857), 40075016.686 / (4096 * 2 ^ @z), true), b.env, 4096, 64, true) AS geom
  FROM u, b, LATERAL campaign_progress('district', u.code) s
  -- A fixed feature order: the same data always gives the same bytes, hence the same ETag.
  ORDER BY u.code
) t
WHERE t.geom IS NOT NULL;
