-- Travel along the roads from every staff base (@sx, @sy) to every cell site (@cx, @cy), all EPSG:4547 metres.
-- Each point joins the network at the nearest point of the nearest routing edge within @max_snap metres (a
-- straight access leg), runs along that edge to one of its two ends, and the ends are joined by pgRouting's
-- many-to-many pgr_dijkstraCost (undirected, cost = length) in one call; two points on one edge may also go
-- straight along it. One row per (staff, cell), 1-based ordinals: road metres (null when there is no route:
-- a point too far from every road, or no path between their parts of the network), straight-line metres and
-- each point's access leg (null = not on the network).
WITH pts AS (
  SELECT 's'::text AS side, i::int AS i, ST_SetSRID(ST_MakePoint(x, y), 4547) AS g
  FROM unnest(@sx::float8[], @sy::float8[]) WITH ORDINALITY AS u(x, y, i)
  UNION ALL
  SELECT 'c', i::int, ST_SetSRID(ST_MakePoint(x, y), 4547)
  FROM unnest(@cx::float8[], @cy::float8[]) WITH ORDINALITY AS u(x, y, i)
),
snap AS MATERIALIZED (
  SELECT p.side, p.i, p.g, e.id AS edge, e.source, e.target, e.length_m,
         ST_LineLocatePoint(e.geom, p.g) AS f, ST_Distance(e.geom, p.g) AS access_m
  FROM pts p
  LEFT JOIN LATERAL (
    SELECT id, source, target, length_m, geom FROM road_route_edge
    WHERE ST_DWithin(geom, p.g, @max_snap) ORDER BY geom <-> p.g, id LIMIT 1
  ) e ON true
),
ends AS MATERIALIZED (
  SELECT side, i, source::bigint AS v, access_m + f * length_m AS leg FROM snap WHERE edge IS NOT NULL
  UNION ALL
  SELECT side, i, target::bigint, access_m + (1 - f) * length_m FROM snap WHERE edge IS NOT NULL
),
net AS MATERIALIZED (
  SELECT start_vid, end_vid, agg_cost
  FROM pgr_dijkstraCost(
    'SELECT id, source, target, length_m AS cost, length_m AS reverse_cost FROM road_route_edge',
    coalesce((SELECT array_agg(DISTINCT v) FROM ends WHERE side = 's'), '{}'::bigint[]),
    coalesce((SELECT array_agg(DISTINCT v) FROM ends WHERE side = 'c'), '{}'::bigint[]),
    directed => false)
),
routes AS (
  -- pgr_dijkstraCost has no row for a vertex to itself: that leg costs nothing.
  SELECT a.i AS si, b.i AS ci, a.leg + CASE WHEN a.v = b.v THEN 0 ELSE n.agg_cost END + b.leg AS m
  FROM ends a
  JOIN ends b ON b.side = 'c'
  LEFT JOIN net n ON n.start_vid = a.v AND n.end_vid = b.v
  WHERE a.side = 's'
  UNION ALL
  SELECT a.i, b.i, a.access_m + abs(a.f - b.f) * a.length_m + b.access_m
  FROM snap a
  JOIN snap b ON b.side = 'c' AND b.edge = a.edge
  WHERE a.side = 's'
),
best AS (
  SELECT si, ci, min(m) AS m FROM routes GROUP BY si, ci
)
SELECT s.i AS staff, c.i AS cell, b.m AS road_m, ST_Distance(s.g, c.g) AS straight_m, s.access_m AS staff_access_m, c.access_m AS cell_access_m
FROM snap s
JOIN snap c ON c.side = 'c'
LEFT JOIN best b ON b.si = s.i AND b.ci = c.i
WHERE s.side = 's'
ORDER BY s.i, c.i;
