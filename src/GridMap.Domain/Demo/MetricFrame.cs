using GridMap.Domain.Geo;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.Demo;

/// <summary>
/// The generator works in metres (CGCS2000 / 3-degree Gauss-Krüger CM 114E, EPSG:4547, whose central meridian
/// runs 30 km east of central Zhengzhou, so scale error is below 1e-5) and converts results back to WGS84.
/// Output coordinates are rounded to 1e-7° (~1 cm) so that shared pipe endpoints stay bit-identical.
/// </summary>
internal static class MetricFrame
{
    public static readonly GeometryFactory Wgs84Factory = new(new PrecisionModel(), 4326);
    public static readonly GeometryFactory MetricFactory = new(new PrecisionModel(), 4547);
    private static readonly Crs Frame = Crs.GaussKruger114;

    public static T ToMetric<T>(T wgs84) where T : Geometry
    {
        var g = (T)Frame.FromWgs84(wgs84);
        g.SRID = 4547;
        return g;
    }

    public static T ToWgs84<T>(T metric) where T : Geometry
    {
        var g = (T)Frame.ToWgs84(metric);
        g.Apply(new RoundFilter());
        g.GeometryChanged();
        g.SRID = 4326;
        return g;
    }

    public static Point ToWgs84Point(Coordinate metric)
    {
        var (lon, lat) = Frame.ToWgs84Point(metric.X, metric.Y);
        return Wgs84Factory.CreatePoint(new Coordinate(Round(lon), Round(lat)));
    }

    public static Coordinate ToMetric(double lon, double lat)
    {
        var (x, y) = Frame.FromWgs84Point(lon, lat);
        return new Coordinate(x, y);
    }

    private static double Round(double v) => Math.Round(v * 1e7) / 1e7;

    private sealed class RoundFilter : IEntireCoordinateSequenceFilter
    {
        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                seq.SetX(i, Round(seq.GetX(i)));
                seq.SetY(i, Round(seq.GetY(i)));
            }
        }
        public bool Done => false;
        public bool GeometryChanged => true;
    }
}
