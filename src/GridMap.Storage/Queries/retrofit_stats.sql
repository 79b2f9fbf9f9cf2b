-- Compounds, households and disputed compounds per campaign stage (all stages listed, in order),
-- optionally for one district.
SELECT rs.code, rs.label, count(c.id)::int AS compounds, coalesce(sum(c.households), 0)::bigint AS households,
       count(c.id) FILTER (WHERE c.dispute)::int AS disputes
FROM retrofit_stage rs
LEFT JOIN compound c ON c.retrofit_status = rs.code AND (@district::text IS NULL OR c.district_code = @district::text)
GROUP BY rs.code, rs.label, rs.ord
ORDER BY rs.ord;
