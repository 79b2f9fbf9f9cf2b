using GridMap.Domain.IO;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Polygonize;
using NetTopologySuite.Operation.Union;

namespace GridMap.Domain.Demo;

/// <summary>A named arterial in metres (a noded piece of the derived arterial lines).</summary>
internal sealed record Arterial(long Id, string Name, LineString Wgs84, LineString Metric);

/// <summary>A city block in metres: the area between roads inside one district; blocks split from one arterial face share <see cref="Face"/>.</summary>
internal sealed record Block(int Index, int Face, string DistrictCode, Polygon Area);

/// <summary>
/// Reads the derived arterials and polygonizes them (after noding, together with the district boundaries so a
/// block never straddles two districts) into the blocks that compounds are placed in.
/// </summary>
internal static class BlockBuilder
{
    /// <summary>Faces up to this size are blocks as they are; larger ones are split by local roads (支路).</summary>
    public const double MaxBlockM2 = 800_000;
    /// <summary>Faces larger than this are open country enclosed by district edges, not urban fabric.</summary>
    public const double MaxFaceM2 = 20_000_000;
    public const double MinBlockM2 = 40_000;

    public static IReadOnlyList<Arterial> LoadArterials()
    {
        var set = FeatureFile.ReadGeoJson(DemoData.ReadText(DemoData.Arterials));
        var list = new List<Arterial>();
        foreach (var f in set.Features)
        {
            if (f.Geometry is not LineString ls || ls.NumPoints < 2) continue;
            var name = f.Properties.TryGetValue("road", out var r) && r is string s && s.Length > 0 ? s : "未命名道路";
            var wgs = (LineString)ls.Copy();
            wgs.SRID = 4326;
            list.Add(new Arterial(list.Count + 1, name, wgs, MetricFrame.ToMetric(wgs)));
        }
        return list;
    }

    /// <summary>
    /// Blocks between the arterials, and the local roads (支路) drawn to split faces the sparse derived arterials
    /// leave too large (the 2013 bus data misses many streets of the old centre). Local roads are in metres.
    /// </summary>
    public static (IReadOnlyList<Block> Blocks, IReadOnlyList<LineString> LocalRoads) Build(IReadOnlyList<Arterial> arterials, IReadOnlyList<DistrictShape> districts, Random random)
    {
        var lines = new List<Geometry>(arterials.Select(a => (Geometry)a.Metric));
        foreach (var d in districts) lines.Add(d.Metric.Boundary);
        var noded = UnaryUnionOp.Union(lines);
        var polygonizer = new Polygonizer(extractOnlyPolygonal: false);
        polygonizer.Add(noded);
        var faces = polygonizer.GetPolygons().Cast<Polygon>()
            .OrderBy(f => f.EnvelopeInternal.MinX).ThenBy(f => f.EnvelopeInternal.MinY).ToList();

        var blocks = new List<Block>();
        var localRoads = new List<LineString>();
        var faceIndex = -1;
        foreach (var face in faces)
        {
            faceIndex++;
            if (face.Area is < MinBlockM2 or > MaxFaceM2) continue;
            var district = districts.FirstOrDefault(d => d.Metric.Contains(face.InteriorPoint));
            if (district is null) continue;
            // A face bounded only by district edges (no arterial) is not a block.
            if (!arterials.Any(a => a.Metric.EnvelopeInternal.Intersects(face.EnvelopeInternal) && a.Metric.Distance(face) < 1)) continue;
            if (face.Area <= MaxBlockM2)
            {
                blocks.Add(new Block(blocks.Count, faceIndex, district.Code, face));
                continue;
            }
            foreach (var part in Split(face, localRoads, random))
                blocks.Add(new Block(blocks.Count, faceIndex, district.Code, part));
        }
        return (blocks, localRoads);
    }

    /// <summary>Splits a large face by a grid of local roads 380–560 m apart, aligned with the face.</summary>
    private static IEnumerable<Polygon> Split(Polygon face, List<LineString> roads, Random random)
    {
        var f = face.Factory;
        var angle = AlignedGrid.Orientation(face);
        var c = face.Centroid.Coordinate;
        var toLocal = NetTopologySuite.Geometries.Utilities.AffineTransformation.RotationInstance(-angle, c.X, c.Y);
        var toWorld = NetTopologySuite.Geometries.Utilities.AffineTransformation.RotationInstance(angle, c.X, c.Y);
        var local = toLocal.Transform(face);
        var env = local.EnvelopeInternal;
        var xs = AlignedGrid.Cuts(random, env.MinX, env.MaxX, 380, 560);
        var ys = AlignedGrid.Cuts(random, env.MinY, env.MaxY, 380, 560);
        foreach (var x in xs.Skip(1).SkipLast(1))
            AddRoad(roads, f.CreateLineString([new Coordinate(x, env.MinY - 1), new Coordinate(x, env.MaxY + 1)]), local, toWorld);
        foreach (var y in ys.Skip(1).SkipLast(1))
            AddRoad(roads, f.CreateLineString([new Coordinate(env.MinX - 1, y), new Coordinate(env.MaxX + 1, y)]), local, toWorld);
        for (var i = 0; i + 1 < xs.Count; i++)
        for (var j = 0; j + 1 < ys.Count; j++)
        {
            var cell = f.CreatePolygon([new(xs[i], ys[j]), new(xs[i + 1], ys[j]), new(xs[i + 1], ys[j + 1]), new(xs[i], ys[j + 1]), new(xs[i], ys[j])]);
            var piece = cell.Intersection(local);
            foreach (var p in DistrictLoader.Polygons(piece))
                if (p.Area >= MinBlockM2) yield return (Polygon)toWorld.Transform(p);
        }
    }

    private static void AddRoad(List<LineString> roads, LineString line, Geometry local, NetTopologySuite.Geometries.Utilities.AffineTransformation toWorld)
    {
        var clipped = line.Intersection(local);
        for (var i = 0; i < clipped.NumGeometries; i++)
            if (clipped.GetGeometryN(i) is LineString { IsEmpty: false } ls && ls.Length > 1) roads.Add((LineString)toWorld.Transform(ls));
    }
}
