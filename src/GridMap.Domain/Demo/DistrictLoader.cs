using GridMap.Domain.Geo;
using GridMap.Domain.IO;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Union;

namespace GridMap.Domain.Demo;

/// <summary>One repaired district: WGS84 area (valid MultiPolygon) and the same area in metres.</summary>
internal sealed record DistrictShape(string Code, string Name, MultiPolygon Wgs84, MultiPolygon Metric);

/// <summary>
/// Loads the MIT-licensed echarts district polygons (GCJ-02, ~100 m rounding, all 12 invalid as published),
/// repairs them, removes the overlaps the rounding created (earlier codes keep the shared strip, so the
/// districts form a coverage without double counting), and converts them to WGS84.
/// </summary>
internal static class DistrictLoader
{
    /// <summary>Parts smaller than this after overlap removal are rounding slivers, not territory.</summary>
    private const double MinPartM2 = 20_000;

    public static IReadOnlyList<DistrictShape> Load() => Load(DemoData.ReadText(DemoData.Districts));

    public static IReadOnlyList<DistrictShape> Load(string geoJson)
    {
        var set = FeatureFile.ReadGeoJson(geoJson, Crs.Gcj02Crs);
        var raw = new List<(string Code, string Name, Geometry Metric)>();
        foreach (var f in set.Features)
        {
            var code = f.Id ?? throw new InvalidOperationException($"District feature #{f.Index} has no id (adcode).");
            var name = f.Properties.TryGetValue("name", out var n) && n is string s ? s : throw new InvalidOperationException($"District {code} has no name.");
            if (f.Geometry is null) throw new InvalidOperationException($"District {code} {name}: {f.GeometryError}");
            var fixedGcj = Repair(f.Geometry);
            var wgs = Crs.Gcj02Crs.ToWgs84(fixedGcj);
            raw.Add((code, name, MetricFrame.ToMetric(Repair(wgs))));
        }
        raw.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));

        var result = new List<DistrictShape>();
        var earlier = new List<Geometry>();
        foreach (var (code, name, metric) in raw)
        {
            // Only neighbours can overlap: subtract the earlier districts that touch this one.
            var touching = earlier.Where(e => e.EnvelopeInternal.Intersects(metric.EnvelopeInternal) && e.Intersects(metric)).ToList();
            var own = touching.Count == 0 ? metric : Repair(metric.Difference(UnaryUnionOp.Union(touching)));
            var parts = Polygons(own).Where(p => p.Area >= MinPartM2).ToArray();
            var mp = MetricFrame.MetricFactory.CreateMultiPolygon(parts);
            var wgs = MetricFrame.ToWgs84(mp);
            if (!wgs.IsValid) wgs = MetricFrame.Wgs84Factory.CreateMultiPolygon(Polygons(Repair(wgs)).ToArray());
            if (!wgs.IsValid) throw new InvalidOperationException($"District {code} {name} could not be repaired.");
            result.Add(new DistrictShape(code, name, wgs, mp));
            earlier.Add(metric);
        }
        return result;
    }

    /// <summary>NTS GeometryFixer keeps all polygonal area (unlike buffer(0), which can drop lobes of a bow-tie).</summary>
    public static Geometry Repair(Geometry g) => g.IsValid ? g : GeometryFixer.Fix(g);

    public static IEnumerable<Polygon> Polygons(Geometry g)
    {
        for (var i = 0; i < g.NumGeometries; i++)
        {
            var part = g.GetGeometryN(i);
            if (part is Polygon { IsEmpty: false } p) yield return p;
            else if (part is GeometryCollection gc) foreach (var q in Polygons(gc)) yield return q;
        }
    }
}
