-- Open disputes inside the scope (@branch / @district, both NULL = city), one row per disputed compound, the longest
-- open first: from the dispute records (纠纷, migration 0016) that are not resolved — how many, how many in progress,
-- when the oldest was opened, the latest one's owner and summary — with where the compound is (district, cell, a WGS84
-- point on the footprint) so the dashboard can zoom to it. A compound flagged disputed with no record (set by an import
-- or another tool) is listed too, with no count.
SELECT c.id, c.name, c.district_code::text, d.name, c.cell_code::text, g.name, c.households, c.retrofit_status,
       coalesce(o.latest_summary, c.dispute_notes), ST_X(p.pt), ST_Y(p.pt),
       o.open_count, o.in_progress, o.oldest, o.owner
FROM compound c
JOIN district d ON d.code = c.district_code
LEFT JOIN grid_cell g ON g.code = c.cell_code
CROSS JOIN LATERAL (
  SELECT count(*)::int AS open_count,
         count(*) FILTER (WHERE x.status = 'in_progress')::int AS in_progress,
         min(x.opened_at) AS oldest,
         (array_agg(x.owner ORDER BY x.opened_at DESC, x.id DESC))[1] AS owner,
         (array_agg(x.summary ORDER BY x.opened_at DESC, x.id DESC))[1] AS latest_summary
  FROM dispute x
  WHERE x.compound_id = c.id AND x.status <> 'resolved'
) o
CROSS JOIN LATERAL (SELECT ST_PointOnSurface(c.footprint) AS pt) p
WHERE (c.dispute OR o.open_count > 0)
  AND (@branch::int IS NULL OR d.branch_id = @branch::int) AND (@district::text IS NULL OR c.district_code = @district::text)
ORDER BY o.oldest NULLS LAST, c.households DESC, c.id
LIMIT @limit;
