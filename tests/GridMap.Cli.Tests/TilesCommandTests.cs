using System.Diagnostics;
using GridMap.Tests.Shared;

namespace GridMap.Cli.Tests;

/// <summary>`gridmap tiles export`: an MBTiles file GDAL reads back (layers, features, metadata), and clear refusals.</summary>
public class TilesCommandTests
{
    [PostgisFact]
    public async Task Export_WritesMbtilesThatGdalReads()
    {
        await using var db = await DemoDatabase.CreateAsync();
        var env = new Dictionary<string, string> { ["GRIDMAP_DB"] = db.ConnectionString };
        var dir = Directory.CreateTempSubdirectory("gm-mbtiles-");
        try
        {
            var file = Path.Combine(dir.FullName, "centre.mbtiles");
            var r = await CliRunner.RunAsync(["tiles", "export", "--bbox", "113.62,34.72,113.70,34.78", "--minzoom", "10", "--maxzoom", "14", "--out", file], env, 300);
            Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
            Assert.Contains("tiles", r.Stdout, StringComparison.Ordinal);

            var info = await Run("ogrinfo", "-ro", "-so", file, "compounds");
            Assert.True(info.Code == 0, info.Err);
            Assert.Contains("driver `MBTiles'", info.Out + info.Err, StringComparison.Ordinal);
            Assert.Contains("format=pbf", info.Out, StringComparison.Ordinal);
            var count = System.Text.RegularExpressions.Regex.Match(info.Out, @"Feature Count: (\d+)");
            Assert.True(count.Success && int.Parse(count.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 10, info.Out);
            // The vector_layers metadata names every layer, including the aggregated ones, with their attributes.
            var all = await Run("ogrinfo", "-ro", "-so", file);
            foreach (var layer in new[] { "compounds", "pipes", "progress_districts", "progress_streets" })
                Assert.Contains(layer, all.Out, StringComparison.Ordinal);
            var progress = await Run("ogrinfo", "-ro", "-so", file, "progress_districts");
            Assert.Contains("completed_share", progress.Out, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Theory]
    [InlineData("--bbox", "113.7,34.7,113.6,34.8", "empty")]
    [InlineData("--minzoom", "9", "greater than --maxzoom")]
    [InlineData("--out", "x.zip", ".mbtiles")]
    public async Task Export_RefusesBadInput(string option, string value, string expected)
    {
        var args = new Dictionary<string, string> { ["--bbox"] = "113.6,34.7,113.7,34.8", ["--minzoom"] = "5", ["--maxzoom"] = "8", ["--out"] = "/tmp/x.mbtiles" };
        args[option] = value;
        if (option == "--minzoom") args["--maxzoom"] = "8";
        var r = await CliRunner.RunAsync(["tiles", "export", .. args.SelectMany(kv => new[] { kv.Key, kv.Value }), "--db", "Host=127.0.0.1;Port=1;Database=none"]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(expected, r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_DescribesTheOptions()
    {
        var r = await CliRunner.RunAsync(["tiles", "export", "--help"]);
        Assert.Equal(0, r.ExitCode);
        foreach (var o in new[] { "--bbox", "--minzoom", "--maxzoom", "--out" }) Assert.Contains(o, r.Stdout, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Out, string Err)> Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await o, await e);
    }
}
