-- Households completed over time, per unit of one level (@by) inside the scope (@branch / @district), one point
-- per week from @from to now (the last point is now()). History comes from the recorded stage moves
-- (compound_stage_event, one row per move): a compound is in the stage of its latest event at or before a point, so
-- it counts as completed from its move to 'completed' until a later move (if any) takes it out again. Two cases
-- fall outside the recorded moves and use the compound's maintained retrofit_status instead:
--   * a compound with no stage event at all (loaded before GridMap kept history) is in its current stage throughout;
--   * a compound whose current stage differs from its latest event (set outside the campaign use cases, e.g. by
--     plain SQL) is in its current stage from now on.
-- So the last point always equals today's completed households (the dashboard's headline). Every week has a row
-- (a week with nothing completed: one row with a NULL unit and 0).
WITH c AS (
  SELECT c.id, c.households, c.retrofit_status,
         CASE @by::text WHEN 'branch' THEN d.branch_id::text WHEN 'district' THEN c.district_code::text
                        WHEN 'street' THEN c.street_code::text ELSE c.cell_code::text END AS unit
  FROM compound c JOIN district d ON d.code = c.district_code
  WHERE (@branch::int IS NULL OR d.branch_id = @branch::int) AND (@district::text IS NULL OR c.district_code = @district::text)
), ev AS (
  SELECT e.compound_id, e.stage, e.at, e.id FROM compound_stage_event e JOIN c ON c.id = e.compound_id
), latest AS (
  SELECT DISTINCT ON (compound_id) compound_id, stage FROM ev ORDER BY compound_id, at DESC, id DESC
), moves AS (
  SELECT compound_id, stage, at, id FROM ev
  UNION ALL
  SELECT c.id, c.retrofit_status, '-infinity'::timestamptz, 0 FROM c WHERE NOT EXISTS (SELECT 1 FROM latest l WHERE l.compound_id = c.id)
  UNION ALL
  SELECT c.id, c.retrofit_status, now(), 0 FROM c JOIN latest l ON l.compound_id = c.id WHERE l.stage <> c.retrofit_status
), spans AS (
  SELECT compound_id, stage, at AS since, lead(at) OVER (PARTITION BY compound_id ORDER BY at, id) AS until FROM moves
), done AS (
  SELECT s.compound_id, s.since, s.until FROM spans s WHERE s.stage = 'completed'
), weeks AS (
  SELECT w AS at FROM generate_series(@from::timestamptz, now(), interval '7 days') w
  UNION SELECT now()
)
SELECT w.at, c.unit, coalesce(sum(c.households), 0)::bigint AS completed
FROM weeks w
LEFT JOIN (done JOIN c ON c.id = done.compound_id) ON done.since <= w.at AND (done.until IS NULL OR w.at < done.until)
GROUP BY w.at, c.unit
ORDER BY w.at, c.unit NULLS LAST;
