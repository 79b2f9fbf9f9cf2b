using GridMap.Domain.Geo;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.Partitioning;

/// <summary>
/// Brings unit geometries into metres for measuring areas and perimeters. Data around Zhengzhou
/// (lon 112.5–115.5) goes to CGCS2000 / Gauss-Krüger CM 114E (EPSG:4547); other lon/lat data goes to a
/// sinusoidal projection centred on the data — equal-area, and within a few tenths of a percent in
/// length over a state-sized area, which is all Polsby-Popper needs. Projected input is used as is.
/// </summary>
public static class LocalProjection
{
    private const double EarthRadius = 6371008.8;

    /// <summary>Returns metric copies of <paramref name="geometries"/> given in <paramref name="crs"/>.</summary>
    public static Geometry[] ToMetric(IReadOnlyList<Geometry> geometries, Crs crs)
    {
        if (!crs.IsGeographic) return geometries.Select(g => g.Copy()).ToArray();
        var env = new Envelope();
        foreach (var g in geometries) env.ExpandToInclude(g.EnvelopeInternal);
        if (env.IsNull) return [];
        var wgs = geometries.Select(g => crs == Crs.Gcj02Crs ? crs.ToWgs84(g) : g).ToArray();
        if (env.MinX >= 112.5 && env.MaxX <= 115.5) return wgs.Select(g => Crs.GaussKruger114.FromWgs84(g)).ToArray();
        var lon0 = env.Centre.X;
        var lat0 = env.Centre.Y;
        return wgs.Select(g => Project(g, lon0, lat0)).ToArray();
    }

    /// <summary>Sinusoidal projection centred at (lon0, lat0), metres.</summary>
    public static Geometry Project(Geometry g, double lon0, double lat0)
    {
        var copy = g.Copy();
        copy.Apply(new Sinusoidal(lon0, lat0));
        copy.SRID = 0;
        return copy;
    }

    private sealed class Sinusoidal(double lon0, double lat0) : IEntireCoordinateSequenceFilter
    {
        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                var lat = seq.GetY(i) * Math.PI / 180;
                seq.SetX(i, EarthRadius * (seq.GetX(i) - lon0) * Math.PI / 180 * Math.Cos(lat));
                seq.SetY(i, EarthRadius * (lat - lat0 * Math.PI / 180));
            }
        }
        public bool Done => false;
        public bool GeometryChanged => true;
    }
}
