-- Weekly figures per street (same definitions as the progress tiles): compounds, households, households by stage (jsonb
-- stage → households), household-weighted consent, disputed compounds, and overdue follow-ups (completed compounds
-- with no follow-up visit (回访) in the last 90 days). Every street is listed, with zeros when it has no compounds;
-- compounds without a street get one row of their own (code ''), so the column sums equal the city's totals.
WITH s AS (
  SELECT coalesce(c.street_code::text, '') AS code, count(*)::int AS compounds, coalesce(sum(c.households), 0)::bigint AS households,
         coalesce(sum(c.households * c.consent_rate), 0)::float8 AS consent_hh,
         count(*) FILTER (WHERE c.dispute)::int AS disputes,
         count(*) FILTER (WHERE c.retrofit_status = 'completed' AND NOT EXISTS (
           SELECT 1 FROM follow_up_visit v WHERE v.compound_id = c.id AND v.visited_on >= current_date - 90))::int AS overdue
  FROM compound c GROUP BY 1
), h AS (
  SELECT code, jsonb_object_agg(stage, hh) AS by_stage
  FROM (SELECT coalesce(c.street_code::text, '') AS code, c.retrofit_status AS stage, sum(c.households)::bigint AS hh FROM compound c GROUP BY 1, 2) x
  GROUP BY code
)
SELECT coalesce(u.code::text, ''), coalesce(u.name, '（未划分街道）'), p.name AS parent,
       coalesce(s.compounds, 0), coalesce(s.households, 0), coalesce(s.consent_hh, 0), coalesce(s.disputes, 0), coalesce(s.overdue, 0),
       coalesce(h.by_stage, '{}'::jsonb)::text
FROM street u
LEFT JOIN district p ON p.code = u.district_code
FULL JOIN s ON s.code = u.code::text
LEFT JOIN h ON h.code = s.code
WHERE u.code IS NOT NULL OR s.compounds > 0
ORDER BY u.code NULLS LAST;
