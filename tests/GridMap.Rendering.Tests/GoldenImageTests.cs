using GridMap.Tests.Shared;
using SkiaSharp;

namespace GridMap.Rendering.Tests;

/// <summary>
/// Renderings of the fixed hand-made sample compared with checked-in golden PNGs (tests/GridMap.Rendering.Tests/golden)
/// within a tolerance: a pixel differs when any channel is off by more than <see cref="ChannelTolerance"/>, and at most
/// <see cref="MaxDifferentShare"/> of the pixels may differ (anti-aliasing and font hinting vary slightly between
/// Skia builds). Goldens are regenerated only on purpose: scripts/update-goldens (GRIDMAP_UPDATE_GOLDENS=1).
/// </summary>
public class GoldenImageTests
{
    private const int ChannelTolerance = 40;
    private const double MaxDifferentShare = 0.005;
    private const int Dpi = 60;

    [Fact]
    public void CoverageMap_A4Portrait_MatchesGoldenWithinTolerance() =>
        AssertGolden("coverage-a4-portrait.png", CoverageMapRenderer.Render(Samples.Coverage(), OutputFormat.Png, Dpi));

    [Fact]
    public void CoverageMap_A3Landscape_MatchesGoldenWithinTolerance() =>
        AssertGolden("coverage-a3-landscape.png", CoverageMapRenderer.Render(Samples.Coverage(PaperSize.A3, landscape: true), OutputFormat.Png, 40));

    [Fact]
    public void NoticeBoard_MatchesGoldenWithinTolerance() =>
        AssertGolden("noticeboard.png", NoticeBoardRenderer.Render(Samples.NoticeBoard(), OutputFormat.Png, Dpi));

    [Fact]
    public void GoldenComparison_AMovedCompound_IsCaught()
    {
        // The tolerance must not swallow a real change: recolouring one big compound has to fail the comparison.
        var map = Samples.Map();
        var changed = map with { Compounds = [.. map.Compounds.Select(c => c.Name == "省委家属院" ? c with { Stage = "not_started" } : c)] };
        var a = CoverageMapRenderer.Render(Samples.Coverage(), OutputFormat.Png, Dpi);
        var b = CoverageMapRenderer.Render(Samples.Coverage() with { Map = changed }, OutputFormat.Png, Dpi);
        Assert.True(DifferentShare(a, b) > MaxDifferentShare, "recolouring a compound should exceed the golden tolerance");
    }

    private static void AssertGolden(string name, byte[] png)
    {
        var path = Path.Combine(RepoPaths.Root, "tests", "GridMap.Rendering.Tests", "golden", name);
        if (Environment.GetEnvironmentVariable("GRIDMAP_UPDATE_GOLDENS") == "1")
        {
            File.WriteAllBytes(path, png);
            return;
        }
        Assert.True(File.Exists(path), $"golden {name} is missing: run scripts/update-goldens once and commit it");
        var share = DifferentShare(File.ReadAllBytes(path), png);
        if (share > MaxDifferentShare)
        {
            var actual = Tools.Scratch(Path.GetFileNameWithoutExtension(name)) + ".actual.png";
            File.WriteAllBytes(actual, png);
            Assert.Fail($"{name}: {share:P2} of pixels differ (> {MaxDifferentShare:P2}); actual rendering in {actual}");
        }
    }

    internal static double DifferentShare(byte[] expectedPng, byte[] actualPng)
    {
        using var e = SKBitmap.Decode(expectedPng);
        using var a = SKBitmap.Decode(actualPng);
        Assert.Equal((e.Width, e.Height), (a.Width, a.Height));
        var diff = 0;
        for (var y = 0; y < e.Height; y++)
            for (var x = 0; x < e.Width; x++)
            {
                var p = e.GetPixel(x, y);
                var q = a.GetPixel(x, y);
                if (Math.Abs(p.Red - q.Red) > ChannelTolerance || Math.Abs(p.Green - q.Green) > ChannelTolerance || Math.Abs(p.Blue - q.Blue) > ChannelTolerance)
                    diff++;
            }
        return (double)diff / (e.Width * e.Height);
    }
}
