-- Households completed over time, per unit of one level (@by) inside the scope (@branch / @district), one point
-- per week from @from to now. History comes from the audit log: a compound counts as completed from the last
-- recorded change that set retrofit_status = 'completed'; a compound completed with no such record (loaded or
-- completed before GridMap kept history) counts from the start. Compounds not completed now count nowhere, so the
-- last point equals today's completed households.
WITH c AS (
  SELECT c.id, c.households,
         CASE @by::text WHEN 'branch' THEN d.branch_id::text WHEN 'district' THEN c.district_code::text
                        WHEN 'street' THEN c.street_code::text ELSE c.cell_code::text END AS unit,
         (SELECT max(a.at) FROM audit_log a
          WHERE a.entity = 'compound' AND a.entity_id = c.id::text AND a.after ->> 'retrofit_status' = 'completed') AS done_at
  FROM compound c JOIN district d ON d.code = c.district_code
  WHERE c.retrofit_status = 'completed'
    AND (@branch::int IS NULL OR d.branch_id = @branch::int) AND (@district::text IS NULL OR c.district_code = @district::text)
), weeks AS (
  SELECT w AS at FROM generate_series(@from::timestamptz, now(), interval '7 days') w
  UNION SELECT now()
)
SELECT w.at, c.unit, coalesce(sum(c.households), 0)::bigint AS completed
FROM weeks w
JOIN c ON c.done_at IS NULL OR c.done_at <= w.at
GROUP BY w.at, c.unit
ORDER BY w.at, c.unit NULLS LAST;
