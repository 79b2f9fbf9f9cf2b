using GridMap.Domain.Geo;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.Partitioning;

/// <summary>
/// Brings unit geometries into metres for measuring areas and perimeters, the same way for every layer of
/// one run (units and barriers). Projected input stays in its own CRS. Lon/lat data around Zhengzhou
/// (lon 112.5–115.5) goes to CGCS2000 / Gauss-Krüger CM 114E (EPSG:4547); other lon/lat data to a
/// sinusoidal projection centred on the data — equal-area, and within a few tenths of a percent in
/// length over a state-sized area, which is all Polsby-Popper needs.
/// </summary>
public sealed class LocalProjection
{
    private const double EarthRadius = 6371008.8;
    private readonly Crs _source;
    private readonly Crs? _gaussKruger;
    private readonly (double Lon0, double Lat0)? _sinusoidal;

    private LocalProjection(Crs source, Crs? gk, (double, double)? sinusoidal)
    {
        _source = source; _gaussKruger = gk; _sinusoidal = sinusoidal;
    }

    /// <summary>What the metric coordinates are, for reports.</summary>
    public string Description => _gaussKruger is not null ? "EPSG:4547" : _sinusoidal is { } s
        ? $"sinusoidal lon0={s.Lon0:0.####} lat0={s.Lat0:0.####}" : _source.Code;

    /// <summary>Chooses the metric CRS for <paramref name="geometries"/> given in <paramref name="crs"/>.</summary>
    public static LocalProjection For(IReadOnlyList<Geometry> geometries, Crs crs)
    {
        ArgumentNullException.ThrowIfNull(crs);
        if (!crs.IsGeographic) return new LocalProjection(crs, null, null);
        var env = new Envelope();
        foreach (var g in geometries) env.ExpandToInclude((crs == Crs.Gcj02Crs ? crs.ToWgs84(g) : g).EnvelopeInternal);
        if (env.IsNull) return new LocalProjection(crs, Crs.GaussKruger114, null);
        if (env.MinX >= 112.5 && env.MaxX <= 115.5) return new LocalProjection(crs, Crs.GaussKruger114, null);
        return new LocalProjection(crs, null, (env.Centre.X, env.Centre.Y));
    }

    /// <summary>Whether geometries given in <paramref name="crs"/> are already metric here (<see cref="ToMetric(Geometry, Crs)"/>
    /// would only copy them).</summary>
    public bool IsIdentityFor(Crs crs) => _gaussKruger is null && _sinusoidal is null && crs == _source;

    /// <summary>Metric copies of <paramref name="geometries"/> given in <paramref name="crs"/>.</summary>
    public static Geometry[] ToMetric(IReadOnlyList<Geometry> geometries, Crs crs)
    {
        var p = For(geometries, crs);
        return geometries.Select(g => p.ToMetric(g, crs)).ToArray();
    }

    /// <summary>A metric copy of <paramref name="g"/> given in <paramref name="crs"/> (which may differ from the
    /// CRS this projection was chosen for, e.g. a barrier file in WGS84 for units in EPSG:4547).</summary>
    public Geometry ToMetric(Geometry g, Crs crs)
    {
        if (_gaussKruger is null && _sinusoidal is null)
        {
            if (crs == _source) return g.Copy();
            if (crs.IsLocal || _source.IsLocal)
                throw new ArgumentException($"cannot combine {crs} with {_source}: local coordinates have no transformation.");
            return _source.FromWgs84(crs.ToWgs84(g));
        }
        var wgs = crs.ToWgs84(g);
        if (_gaussKruger is not null) return _gaussKruger.FromWgs84(wgs);
        var (lon0, lat0) = _sinusoidal!.Value;
        wgs.Apply(new Sinusoidal(lon0, lat0));
        wgs.SRID = 0;
        return wgs;
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
