using SkiaSharp;

namespace GridMap.Rendering;

/// <summary>
/// Web Mercator (EPSG:3857) projection of a lon/lat extent into a page rectangle, keeping the aspect ratio
/// (the extent is centred and grown to fill the frame). Distances on the ground are computed from the Mercator scale
/// factor at the frame's centre latitude (1 Mercator metre = cos φ ground metres), so a scale bar is right in
/// Zhengzhou (φ ≈ 34.7°, factor ≈ 0.82), not only at the equator.
/// </summary>
public sealed class MapView
{
    private const double R = 6378137.0;
    private readonly double minX, maxY, scale;

    /// <summary>Fits <paramref name="extent"/> [minLon, minLat, maxLon, maxLat] into <paramref name="frame"/> (points) with a margin share.</summary>
    public MapView(double[] extent, SKRect frame, double margin = 0.04)
    {
        Frame = frame;
        var (x0, y0) = Project(extent[0], extent[1]);
        var (x1, y1) = Project(extent[2], extent[3]);
        var w = Math.Max(x1 - x0, 1) * (1 + 2 * margin);
        var h = Math.Max(y1 - y0, 1) * (1 + 2 * margin);
        scale = Math.Min(frame.Width / w, frame.Height / h);
        var cx = (x0 + x1) / 2;
        var cy = (y0 + y1) / 2;
        minX = cx - frame.Width / 2 / scale;
        maxY = cy + frame.Height / 2 / scale;
        CentreLatitude = Unproject(cy);
    }

    public SKRect Frame { get; }

    /// <summary>Latitude (degrees) at the frame's centre, where the scale bar is true.</summary>
    public double CentreLatitude { get; }

    /// <summary>Ground metres one point on the page stands for, at the centre latitude.</summary>
    public double MetresPerPoint => Math.Cos(CentreLatitude * Math.PI / 180) / scale;

    /// <summary>Page position (points) of a lon/lat.</summary>
    public SKPoint ToPage(double lon, double lat)
    {
        var (x, y) = Project(lon, lat);
        return new SKPoint(Frame.Left + (float)((x - minX) * scale), Frame.Top + (float)((maxY - y) * scale));
    }

    /// <summary>Web Mercator metres of a lon/lat (latitude clamped to ±85.05°).</summary>
    public static (double X, double Y) Project(double lon, double lat)
    {
        lat = Math.Clamp(lat, -85.05112878, 85.05112878);
        return (R * lon * Math.PI / 180, R * Math.Log(Math.Tan(Math.PI / 4 + lat * Math.PI / 360)));
    }

    private static double Unproject(double y) => (2 * Math.Atan(Math.Exp(y / R)) - Math.PI / 2) * 180 / Math.PI;

    /// <summary>A round scale-bar length (1, 2 or 5 × 10ⁿ metres) no longer than <paramref name="maxPoints"/> on the page.</summary>
    public (double Metres, float Points) ScaleBar(float maxPoints)
    {
        var maxMetres = maxPoints * MetresPerPoint;
        var p = Math.Pow(10, Math.Floor(Math.Log10(maxMetres)));
        var m = new[] { 5, 2, 1 }.Select(k => k * p).First(v => v <= maxMetres);
        return (m, (float)(m / MetresPerPoint));
    }
}
