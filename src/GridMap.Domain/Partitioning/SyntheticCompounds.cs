using NetTopologySuite.Geometries;

namespace GridMap.Domain.Partitioning;

/// <summary>
/// Zhengzhou-like synthetic residential compounds for tests and benchmarks: rectangular walled compounds
/// of varied size on a block grid, separated by 15–40 m streets, with an arterial road every few blocks,
/// households 40–900 per compound (log-normal). Coordinates are metres in EPSG:4547 around Zhengzhou.
/// Deterministic for a given seed.
/// </summary>
public static class SyntheticCompounds
{
    private const double OriginX = 480_000, OriginY = 3_850_000;
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4547);

    /// <summary>Generates <paramref name="count"/> compounds (≥ 1) and the arterial roads between them.</summary>
    public static (List<PartitionUnit> Units, List<Geometry> Arterials) Generate(int count, int seed = 1, int arterialEvery = 6)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var rng = new Random(seed);
        var cols = (int)Math.Ceiling(Math.Sqrt(count * 1.3));
        var units = new List<PartitionUnit>(count);
        const double pitch = 130;
        for (var i = 0; i < count; i++)
        {
            int col = i % cols, row = i / cols;
            var gapX = col % arterialEvery == 0 ? 40 : 15 + rng.NextDouble() * 10;
            var gapY = row % arterialEvery == 0 ? 40 : 15 + rng.NextDouble() * 10;
            var x0 = OriginX + col * pitch + gapX / 2;
            var y0 = OriginY - row * pitch - gapY / 2;
            var w = pitch - gapX - rng.NextDouble() * 20;
            var h = pitch - gapY - rng.NextDouble() * 20;
            var ring = new[]
            {
                new Coordinate(x0, y0), new Coordinate(x0 + w, y0), new Coordinate(x0 + w, y0 - h),
                new Coordinate(x0, y0 - h), new Coordinate(x0, y0),
            };
            var households = Math.Round(Math.Clamp(Math.Exp(5.0 + 0.55 * Normal(rng)), 40, 900));
            units.Add(new PartitionUnit($"C{i:000000}", Factory.CreatePolygon(ring), households));
        }
        var rows = (count + cols - 1) / cols;
        var arterials = new List<Geometry>();
        for (var c = arterialEvery; c < cols; c += arterialEvery)
        {
            var x = OriginX + c * pitch;
            arterials.Add(Factory.CreateLineString([new Coordinate(x, OriginY + 50), new Coordinate(x, OriginY - rows * pitch - 50)]));
        }
        for (var r = arterialEvery; r < rows; r += arterialEvery)
        {
            var y = OriginY - r * pitch;
            arterials.Add(Factory.CreateLineString([new Coordinate(OriginX - 50, y), new Coordinate(OriginX + cols * pitch + 50, y)]));
        }
        return (units, arterials);
    }

    private static double Normal(Random rng)
    {
        var u1 = 1 - rng.NextDouble(); var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
