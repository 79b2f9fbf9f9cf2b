namespace GridMap.Domain.Geo;

/// <summary>
/// The public GCJ-02 ("Mars coordinates") offset used by Chinese web maps (AMap, Tencent).
/// Valid inside China only; outside it the offset is zero, as in the published formula.
/// Forward is closed-form; the inverse iterates to a residual below 1e-7 degrees (~1 cm).
/// </summary>
public static class Gcj02
{
    private const double A = 6378245.0;
    private const double Ee = 0.00669342162296594323;

    /// <summary>True when (lon, lat) lies in the rough China box where the offset applies.</summary>
    public static bool InChina(double lon, double lat) => lon is > 72.004 and < 137.8347 && lat is > 0.8293 and < 55.8271;

    /// <summary>WGS84 (lon, lat) in degrees to GCJ-02.</summary>
    public static (double Lon, double Lat) FromWgs84(double lon, double lat)
    {
        if (!InChina(lon, lat)) return (lon, lat);
        var (dLon, dLat) = Delta(lon, lat);
        return (lon + dLon, lat + dLat);
    }

    /// <summary>GCJ-02 (lon, lat) in degrees to WGS84 by fixed-point iteration of the forward formula.</summary>
    public static (double Lon, double Lat) ToWgs84(double lon, double lat)
    {
        if (!InChina(lon, lat)) return (lon, lat);
        double x = lon, y = lat;
        for (var i = 0; i < 30; i++)
        {
            var (fx, fy) = FromWgs84(x, y);
            double ex = fx - lon, ey = fy - lat;
            x -= ex; y -= ey;
            if (Math.Abs(ex) < 1e-9 && Math.Abs(ey) < 1e-9) break;
        }
        return (x, y);
    }

    private static (double DLon, double DLat) Delta(double lon, double lat)
    {
        double x = lon - 105.0, y = lat - 35.0;
        double dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.Sqrt(Math.Abs(x));
        dLat += (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
        dLat += (20.0 * Math.Sin(y * Math.PI) + 40.0 * Math.Sin(y / 3.0 * Math.PI)) * 2.0 / 3.0;
        dLat += (160.0 * Math.Sin(y / 12.0 * Math.PI) + 320 * Math.Sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
        double dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.Sqrt(Math.Abs(x));
        dLon += (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
        dLon += (20.0 * Math.Sin(x * Math.PI) + 40.0 * Math.Sin(x / 3.0 * Math.PI)) * 2.0 / 3.0;
        dLon += (150.0 * Math.Sin(x / 12.0 * Math.PI) + 300.0 * Math.Sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
        double radLat = lat / 180.0 * Math.PI;
        double magic = Math.Sin(radLat);
        magic = 1 - Ee * magic * magic;
        double sqrtMagic = Math.Sqrt(magic);
        dLat = dLat * 180.0 / (A * (1 - Ee) / (magic * sqrtMagic) * Math.PI);
        dLon = dLon * 180.0 / (A / sqrtMagic * Math.Cos(radLat) * Math.PI);
        return (dLon, dLat);
    }
}
