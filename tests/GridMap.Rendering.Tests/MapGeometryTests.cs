using System.Text.Json;
using GridMap.Tests.Shared;
using SkiaSharp;

namespace GridMap.Rendering.Tests;

public class MapGeometryTests
{
    private static double Haversine(double lon1, double lat1, double lon2, double lat2)
    {
        const double r = 6371008.8;
        double Rad(double d) => d * Math.PI / 180;
        var a = Math.Pow(Math.Sin(Rad(lat2 - lat1) / 2), 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(Rad(lon2 - lon1) / 2), 2);
        return 2 * r * Math.Asin(Math.Sqrt(a));
    }

    [Theory]
    [InlineData(34.75)] // Zhengzhou
    [InlineData(0.0)]
    [InlineData(60.0)]
    public void ScaleBar_MetresPerPoint_MatchesGroundDistanceAtTheMapsLatitude(double lat)
    {
        var view = new MapView([113.60, lat - 0.02, 113.70, lat + 0.02], new SKRect(0, 0, 500, 400));
        // Ground distance along the centre parallel across 100 points of page.
        var a = Unproject(view, 200, 200);
        var b = Unproject(view, 300, 200);
        var ground = Haversine(a.Lon, a.Lat, b.Lon, b.Lat);
        Assert.InRange(100 * view.MetresPerPoint / ground, 0.995, 1.005);
    }

    [Fact]
    public void ScaleBar_IsARoundLengthNoLongerThanAllowed()
    {
        var view = new MapView([113.60, 34.70, 113.70, 34.80], new SKRect(0, 0, 500, 400));
        var (metres, points) = view.ScaleBar(120);
        Assert.True(points <= 120);
        Assert.Contains(metres / Math.Pow(10, Math.Floor(Math.Log10(metres))), new[] { 1.0, 2.0, 5.0 });
        Assert.InRange(points, 120 / 2.5f, 120);
    }

    private static (double Lon, double Lat) Unproject(MapView view, float px, float py)
    {
        // Invert ToPage numerically (bisection per axis): independent of MapView's own maths.
        double lo = 100, hi = 130;
        for (var i = 0; i < 60; i++) { var m = (lo + hi) / 2; if (view.ToPage(m, 0).X < px) lo = m; else hi = m; }
        var lon = lo;
        double la = -80, lb = 80;
        for (var i = 0; i < 60; i++) { var m = (la + lb) / 2; if (view.ToPage(lon, m).Y > py) la = m; else lb = m; }
        return (lon, la);
    }

    [Fact]
    public void LabelPlacer_DropsALabelThatOverlapsAKeptOneOrLeavesTheFrame()
    {
        var placer = new LabelPlacer(new SKRect(0, 0, 100, 100));
        placer.Reserve(new SKRect(0, 80, 40, 100));
        Assert.True(placer.TryPlace(new SKRect(10, 10, 40, 20)));
        Assert.False(placer.TryPlace(new SKRect(30, 15, 60, 25)));   // overlaps the first
        Assert.False(placer.TryPlace(new SKRect(90, 50, 110, 60)));  // leaves the frame
        Assert.False(placer.TryPlace(new SKRect(5, 85, 20, 95)));    // on the legend
        Assert.True(placer.TryPlace(new SKRect(50, 50, 80, 60)));
    }

    [Fact]
    public void Palette_IsTheSharedStylesJson_InCampaignOrder()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "tiles", "styles.json")));
        var expected = doc.RootElement.GetProperty("retrofitStatus").EnumerateArray()
            .Select(e => (e.GetProperty("code").GetString(), e.GetProperty("label").GetString(), e.GetProperty("fill").GetString()!.ToLowerInvariant())).ToArray();
        var actual = Palette.Shared.Stages.Select(s => ((string?)s.Code, (string?)s.Label, $"#{s.Fill.Red:x2}{s.Fill.Green:x2}{s.Fill.Blue:x2}")).ToArray();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Fonts_ResolveNotoSansCjkSc()
    {
        Assert.Contains("Noto Sans CJK", Fonts.Regular.FamilyName);
        using var font = Fonts.Font(12);
        Assert.NotEqual(0, font.GetGlyph('网'));
    }
}
