using GridMap.Domain.Partitioning;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GridMap.Domain.Tests.Partitioning;

/// <summary>Small hand-made unit sets for engine tests.</summary>
internal static class TestGrids
{
    public static readonly GeometryFactory Factory = new();
    private static readonly WKTReader Reader = new();

    public static Geometry Wkt(string wkt) => Reader.Read(wkt);

    /// <summary>cols × rows squares of side 100 m that tile the plane (a clean coverage).</summary>
    public static List<PartitionUnit> Squares(int cols, int rows, Func<int, int, double>? weight = null, Func<int, int, string?>? parent = null, double gap = 0)
    {
        var units = new List<PartitionUnit>();
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
            {
                double x = c * 100, y = -r * 100;
                var poly = Factory.CreatePolygon([
                    new Coordinate(x + gap, y - gap), new Coordinate(x + 100 - gap, y - gap), new Coordinate(x + 100 - gap, y - 100 + gap),
                    new Coordinate(x + gap, y - 100 + gap), new Coordinate(x + gap, y - gap)]);
                units.Add(new PartitionUnit($"u{r}_{c}", poly, weight?.Invoke(c, r) ?? 1, parent?.Invoke(c, r)));
            }
        return units;
    }
}
