-- Campaign progress per district (行政区), drawn as the unit's polygon (simplified to the tile's pixel size) carrying its figures:
-- compounds and households, households by stage (hh_<stage>), completed_share (completed households / households),
-- consent_rate (household-weighted), disputes (disputed compounds) and overdue_followups (completed compounds with
-- no follow-up visit (回访) in the last 90 days).
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
  FROM u, b, LATERAL (
    SELECT count(*)::int AS compounds, coalesce(sum(c.households), 0)::int AS households,
           coalesce(sum(c.households) FILTER (WHERE c.retrofit_status = 'not_started'), 0)::int AS hh_not_started,
           coalesce(sum(c.households) FILTER (WHERE c.retrofit_status = 'publicity'), 0)::int AS hh_publicity,
           coalesce(sum(c.households) FILTER (WHERE c.retrofit_status = 'visiting'), 0)::int AS hh_visiting,
           coalesce(sum(c.households) FILTER (WHERE c.retrofit_status = 'signed'), 0)::int AS hh_signed,
           coalesce(sum(c.households) FILTER (WHERE c.retrofit_status = 'construction'), 0)::int AS hh_construction,
           coalesce(sum(c.households) FILTER (WHERE c.retrofit_status = 'acceptance'), 0)::int AS hh_acceptance,
           coalesce(sum(c.households) FILTER (WHERE c.retrofit_status = 'completed'), 0)::int AS hh_completed,
           coalesce(sum(c.households * c.consent_rate), 0) AS consent_hh,
           count(*) FILTER (WHERE c.dispute)::int AS disputes,
           count(*) FILTER (WHERE c.retrofit_status = 'completed' AND NOT EXISTS (
             SELECT 1 FROM follow_up_visit v WHERE v.compound_id = c.id AND v.visited_on >= current_date - 90))::int AS overdue_followups
    FROM compound c
    WHERE c.district_code = u.code
  ) s
  -- A fixed feature order: the same data always gives the same bytes, hence the same ETag.
  ORDER BY u.code
) t
WHERE t.geom IS NOT NULL;
