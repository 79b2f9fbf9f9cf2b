using GridMap.Domain.Geo;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.Tests.Geo;

public class CrsTests
{
    [Fact]
    public void Gcj02_FromWgs84_MatchesPublishedCheckPoint()
    {
        var (lon, lat) = Gcj02.FromWgs84(113.65, 34.75);
        Assert.Equal(113.656078, lon, 5);
        Assert.Equal(34.748856, lat, 5);
    }

    [Fact]
    public void Gcj02_RoundTrip_IsWithinOneCentimetre()
    {
        var (gx, gy) = Gcj02.FromWgs84(113.7, 34.8);
        var (x, y) = Gcj02.ToWgs84(gx, gy);
        Assert.True(Math.Abs(x - 113.7) < 1e-7 && Math.Abs(y - 34.8) < 1e-7, $"{x},{y}");
    }

    [Fact]
    public void GaussKruger114_CentralMeridian_HasFalseEasting500km()
    {
        var (x, y) = Crs.GaussKruger114.FromWgs84Point(114.0, 34.75);
        Assert.Equal(500000, x, 3);
        Assert.InRange(y, 3_845_000, 3_848_000); // ~34.75° of meridian arc on CGCS2000
    }

    [Fact]
    public void Zone38_DiffersFromCm114_OnlyByZonePrefix()
    {
        var (x1, y1) = Crs.GaussKruger114.FromWgs84Point(113.65, 34.75);
        var (x2, y2) = Crs.GaussKrugerZone38.FromWgs84Point(113.65, 34.75);
        Assert.Equal(38_000_000, x2 - x1, 6);
        Assert.Equal(y1, y2, 6);
    }

    [Fact]
    public void ToWgs84_FromGaussKruger_RoundTripsWithinMillimetre()
    {
        var p = new Point(113.6543, 34.7654) { SRID = 4326 };
        var gk = Crs.GaussKruger114.FromWgs84(p);
        Assert.Equal(4547, gk.SRID);
        var back = (Point)Crs.GaussKruger114.ToWgs84(gk);
        Assert.True(back.Distance(p) < 1e-8, back.AsText());
    }

    [Theory]
    [InlineData("EPSG:4547", "EPSG:4547")]
    [InlineData("urn:ogc:def:crs:EPSG::4526", "EPSG:4526")]
    [InlineData("urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326")]
    [InlineData("4490", "EPSG:4490")]
    [InlineData("gcj02", "GCJ-02")]
    [InlineData("local", "local")]
    public void Parse_AcceptsCommonSpellings(string text, string code) => Assert.Equal(code, Crs.Parse(text).Code);

    [Fact]
    public void Parse_Unknown_NamesSupportedSystems()
    {
        var e = Assert.Throws<ArgumentException>(() => Crs.Parse("EPSG:2000"));
        Assert.Contains("EPSG:4547", e.Message, StringComparison.Ordinal);
    }
}
