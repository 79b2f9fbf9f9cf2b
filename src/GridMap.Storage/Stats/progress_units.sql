-- Campaign progress of every unit of one level (@by: branch | district | street | cell), optionally only inside one
-- branch (@branch) or one district (@district). The figures follow the aggregated progress tiles
-- (Layers/Tiles/progress_*.sql, migration 0016's campaign_progress): households by stage, household-weighted consent,
-- disputed compounds, and overdue follow-ups = completed compounds whose next follow-up (回访) is past due by the
-- campaign's schedule (campaign_follow_up_due: completion from the stage events, the last follow_up_visit).
-- Compounds that belong to no unit of the level (no street, no cell) come back as one row with a NULL code, so
-- the rows always add up to the scope. Stage arrays follow retrofit_stage.ord.
WITH units AS (
  SELECT b.id::text AS code, b.name, NULL::text AS parent, NULL::text AS parent_name, b.id AS branch_id
  FROM branch b
  WHERE @by::text = 'branch' AND (@branch::int IS NULL OR b.id = @branch::int)
    AND (@district::text IS NULL OR b.id = (SELECT d.branch_id FROM district d WHERE d.code = @district::text))
  UNION ALL
  SELECT d.code::text, d.name, d.branch_id::text, b.name, d.branch_id
  FROM district d JOIN branch b ON b.id = d.branch_id
  WHERE @by::text = 'district' AND (@branch::int IS NULL OR d.branch_id = @branch::int) AND (@district::text IS NULL OR d.code = @district::text)
  UNION ALL
  SELECT s.code::text, s.name, s.district_code::text, d.name, d.branch_id
  FROM street s JOIN district d ON d.code = s.district_code
  WHERE @by::text = 'street' AND (@branch::int IS NULL OR d.branch_id = @branch::int) AND (@district::text IS NULL OR s.district_code = @district::text)
  UNION ALL
  SELECT g.code::text, g.name, g.district_code::text, d.name, d.branch_id
  FROM grid_cell g JOIN district d ON d.code = g.district_code
  WHERE @by::text = 'cell' AND (@branch::int IS NULL OR d.branch_id = @branch::int) AND (@district::text IS NULL OR g.district_code = @district::text)
), c AS (
  SELECT c.households, c.retrofit_status, c.consent_rate, c.dispute,
         CASE @by::text WHEN 'branch' THEN d.branch_id::text WHEN 'district' THEN c.district_code::text
                        WHEN 'street' THEN c.street_code::text ELSE c.cell_code::text END AS unit,
         (c.retrofit_status = 'completed' AND coalesce(campaign_follow_up_due(
            (SELECT max(ev.at)::date FROM compound_stage_event ev WHERE ev.compound_id = c.id AND ev.stage = 'completed'),
            (SELECT max(f.visited_on) FROM follow_up_visit f WHERE f.compound_id = c.id)) < current_date, false)) AS overdue
  FROM compound c JOIN district d ON d.code = c.district_code
  WHERE (@branch::int IS NULL OR d.branch_id = @branch::int) AND (@district::text IS NULL OR c.district_code = @district::text)
), per AS (
  SELECT unit, retrofit_status, count(*)::int AS n, sum(households)::bigint AS hh, sum(households * consent_rate) AS consent_hh,
         count(*) FILTER (WHERE dispute)::int AS disputes, count(*) FILTER (WHERE overdue)::int AS overdue
  FROM c GROUP BY unit, retrofit_status
), rows AS (
  SELECT code, name, parent, parent_name, branch_id FROM units
  UNION ALL
  SELECT NULL, NULL, NULL, NULL, NULL WHERE EXISTS (SELECT 1 FROM c WHERE c.unit IS NULL OR c.unit NOT IN (SELECT code FROM units))
)
SELECT r.code, r.name, r.parent, r.parent_name, r.branch_id,
       array(SELECT coalesce(sum(p.n), 0)::int FROM retrofit_stage rs
             LEFT JOIN per p ON p.retrofit_status = rs.code AND (p.unit = r.code OR (r.code IS NULL AND (p.unit IS NULL OR p.unit NOT IN (SELECT code FROM units))))
             GROUP BY rs.ord ORDER BY rs.ord) AS compounds_by_stage,
       array(SELECT coalesce(sum(p.hh), 0)::bigint FROM retrofit_stage rs
             LEFT JOIN per p ON p.retrofit_status = rs.code AND (p.unit = r.code OR (r.code IS NULL AND (p.unit IS NULL OR p.unit NOT IN (SELECT code FROM units))))
             GROUP BY rs.ord ORDER BY rs.ord) AS households_by_stage,
       coalesce(s.consent_hh, 0)::float8 AS consent_hh, coalesce(s.disputes, 0)::int AS disputes, coalesce(s.overdue, 0)::int AS overdue
FROM rows r
LEFT JOIN LATERAL (
  SELECT sum(p.consent_hh) AS consent_hh, sum(p.disputes) AS disputes, sum(p.overdue) AS overdue
  FROM per p WHERE p.unit = r.code OR (r.code IS NULL AND (p.unit IS NULL OR p.unit NOT IN (SELECT code FROM units)))
) s ON true
ORDER BY r.code NULLS LAST;
