using GridMap.Domain.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.Triangulate;

namespace GridMap.Domain.Demo;

/// <summary>
/// 街道 have no published polygons, so each district is divided into plausible street areas: the Voronoi regions
/// of one seed per street, clipped to the district. Urban 街道 seeds are spread over the built-up blocks (k-means
/// of the lots), 镇/乡 seeds over the open land away from them, as towns lie outside the old city.
/// </summary>
internal sealed class StreetAreaBuilder(Random random)
{
    /// <summary>Street seeds in metres, keyed by street code; order follows <paramref name="streets"/>.</summary>
    public IReadOnlyList<(Street Street, Coordinate Seed)> PlaceSeeds(DistrictShape district, IReadOnlyList<Street> streets, IReadOnlyList<Coordinate> lotCentroids)
    {
        var urban = streets.Where(NameSource.IsUrbanStreet).ToList();
        var towns = streets.Where(s => !NameSource.IsUrbanStreet(s)).ToList();
        var seeds = new List<(Street, Coordinate)>();
        var centres = lotCentroids.Count >= urban.Count * 3 && urban.Count > 0
            ? KMeans(lotCentroids, urban.Count)
            : urban.Select(_ => RandomPointIn(district.Metric, null, 0)).ToList();
        for (var i = 0; i < urban.Count; i++) seeds.Add((urban[i], centres[i]));
        foreach (var t in towns) seeds.Add((t, RandomPointIn(district.Metric, lotCentroids, 2500)));
        return seeds;
    }

    /// <summary>Voronoi regions of the seeds, clipped to the district (metres); one MultiPolygon per seed, in seed order.</summary>
    public static IReadOnlyList<MultiPolygon> Regions(DistrictShape district, IReadOnlyList<Coordinate> seeds)
    {
        var f = MetricFrame.MetricFactory;
        if (seeds.Count == 1) return [district.Metric];
        var builder = new VoronoiDiagramBuilder();
        builder.SetSites(seeds.ToList());
        var env = new Envelope(district.Metric.EnvelopeInternal);
        env.ExpandBy(5000);
        builder.ClipEnvelope = env;
        var diagram = builder.GetDiagram(f);
        var cells = new Geometry?[seeds.Count];
        for (var i = 0; i < diagram.NumGeometries; i++)
        {
            var cell = diagram.GetGeometryN(i);
            var site = (Coordinate)cell.UserData;
            var k = Nearest(seeds, site);
            cells[k] = cell;
        }
        var result = new List<MultiPolygon>();
        for (var i = 0; i < seeds.Count; i++)
        {
            var clipped = cells[i] is null ? f.CreateMultiPolygon() : DistrictLoader.Repair(cells[i]!.Intersection(district.Metric));
            result.Add(f.CreateMultiPolygon(DistrictLoader.Polygons(clipped).Where(p => p.Area > 1).ToArray()));
        }
        return result;
    }

    public static int Nearest(IReadOnlyList<Coordinate> seeds, Coordinate c)
    {
        var best = 0;
        var bestD = double.MaxValue;
        for (var i = 0; i < seeds.Count; i++)
        {
            var d = seeds[i].Distance(c);
            if (d < bestD) { bestD = d; best = i; }
        }
        return best;
    }

    /// <summary>Deterministic k-means (k-means++ seeding from this generator's Random, 12 Lloyd iterations).</summary>
    public List<Coordinate> KMeans(IReadOnlyList<Coordinate> points, int k)
    {
        var centres = new List<Coordinate> { points[random.Next(points.Count)] };
        var d2 = new double[points.Count];
        while (centres.Count < k)
        {
            double total = 0;
            for (var i = 0; i < points.Count; i++)
            {
                var m = double.MaxValue;
                foreach (var c in centres) m = Math.Min(m, points[i].Distance(c));
                d2[i] = m * m;
                total += d2[i];
            }
            var r = random.NextDouble() * total;
            var pick = points.Count - 1;
            for (var i = 0; i < points.Count; i++)
            {
                r -= d2[i];
                if (r <= 0) { pick = i; break; }
            }
            centres.Add(points[pick]);
        }
        for (var iter = 0; iter < 12; iter++)
        {
            var sx = new double[k];
            var sy = new double[k];
            var n = new int[k];
            foreach (var p in points)
            {
                var c = Nearest(centres, p);
                sx[c] += p.X; sy[c] += p.Y; n[c]++;
            }
            for (var c = 0; c < k; c++)
                if (n[c] > 0) centres[c] = new Coordinate(sx[c] / n[c], sy[c] / n[c]);
        }
        return centres;
    }

    /// <summary>A random point inside the area, preferably at least <paramref name="awayM"/> from every given point.</summary>
    private Coordinate RandomPointIn(MultiPolygon area, IReadOnlyList<Coordinate>? avoid, double awayM)
    {
        var env = area.EnvelopeInternal;
        var prepared = NetTopologySuite.Geometries.Prepared.PreparedGeometryFactory.Prepare(area);
        Coordinate? fallback = null;
        for (var attempt = 0; attempt < 400; attempt++)
        {
            var c = new Coordinate(env.MinX + random.NextDouble() * env.Width, env.MinY + random.NextDouble() * env.Height);
            if (!prepared.Contains(area.Factory.CreatePoint(c))) continue;
            fallback ??= c;
            if (avoid is null || avoid.Count == 0 || avoid.All(a => a.Distance(c) >= awayM)) return c;
        }
        return fallback ?? area.InteriorPoint.Coordinate;
    }
}
