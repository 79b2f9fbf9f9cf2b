using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.Demo;

/// <summary>Grids aligned with a polygon (local roads splitting a face, lanes splitting a block): orientation and line positions.</summary>
internal static class AlignedGrid
{
    /// <summary>Positions from min to max (both ends included) with random spacing in [lo, hi].</summary>
    public static List<double> Cuts(Random random, double min, double max, double lo, double hi)
    {
        var cuts = new List<double> { min };
        var x = min + lo + (hi - lo) * random.NextDouble();
        while (x < max - lo * 0.6)
        {
            cuts.Add(x);
            x += lo + (hi - lo) * random.NextDouble();
        }
        cuts.Add(max);
        return cuts;
    }

    /// <summary>Angle of the polygon's minimum-area rectangle, folded into (-45°, 45°] so grids run roughly N–S and E–W.</summary>
    public static double Orientation(Polygon polygon)
    {
        var rect = MinimumAreaRectangle.GetMinimumRectangle(polygon);
        if (rect is not Polygon p || p.NumPoints < 4) return 0;
        var a = p.Coordinates[0];
        var b = p.Coordinates[1];
        var angle = Math.Atan2(b.Y - a.Y, b.X - a.X);
        while (angle > Math.PI / 4) angle -= Math.PI / 2;
        while (angle <= -Math.PI / 4) angle += Math.PI / 2;
        return angle;
    }
}
