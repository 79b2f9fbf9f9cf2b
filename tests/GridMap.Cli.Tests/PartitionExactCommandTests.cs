using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GridMap.Cli.Tests;

/// <summary>`gridmap partition --exact`: the real executable on small GeoJSON files, its --report's "exact" object.</summary>
public sealed class PartitionExactCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gm-partition-exact-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Gridmap(params string[] args)
    {
        var r = CliRunner.RunAsync(args).GetAwaiter().GetResult();
        return (r.ExitCode, r.Stdout, r.Stderr);
    }

    private string Path_(string name) => Path.Combine(_dir, name);

    /// <summary>cols × rows square compounds (local metres, 100 m pitch, 10 m streets) with households <paramref name="hh"/>.</summary>
    private string Squares(int cols, int rows, Func<int, int, int> hh)
    {
        var sb = new StringBuilder("{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"local\"}},\"features\":[");
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
            {
                if (r + c > 0) sb.Append(',');
                double x = c * 100 + 5, y = r * 100 + 5;
                string P(double a, double b) => string.Create(CultureInfo.InvariantCulture, $"[{a},{b}]");
                sb.Append("{\"type\":\"Feature\",\"id\":\"c" + r + "_" + c + "\",\"properties\":{\"hh\":" + hh(c, r) + "},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[")
                  .Append(P(x, y)).Append(',').Append(P(x + 90, y)).Append(',').Append(P(x + 90, y + 90)).Append(',').Append(P(x, y + 90)).Append(',').Append(P(x, y))
                  .Append("]]}}");
            }
        sb.Append("]}");
        var path = Path_($"units{cols}x{rows}.geojson");
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    [Fact]
    public void PartitionExact_ThreeCompoundsInARow_ReportsProvedImpossibleWithTheSmallestWindow_AndWritesNoPlan()
    {
        int[] hh = [260, 200, 260];
        var units = Squares(3, 1, (c, _) => hh[c]);
        var (outFile, report) = (Path_("out.geojson"), Path_("rep.json"));
        var (code, _, err) = Gridmap("partition", "--units", units, "--weight", "hh", "--min", "300", "--max", "500", "--exact", "--time-limit", "10",
            "--out", outFile, "--report", report, "--quiet");
        Assert.True(code == 3, err);
        Assert.False(File.Exists(outFile));
        var rep = JsonDocument.Parse(File.ReadAllText(report)).RootElement;
        Assert.False(rep.GetProperty("feasible").GetBoolean());
        var exact = rep.GetProperty("exact");
        Assert.Equal("impossible", exact.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, exact.GetProperty("gap").ValueKind);
        Assert.Equal(JsonValueKind.Null, exact.GetProperty("objective").ValueKind);
        Assert.Equal(JsonValueKind.Number, exact.GetProperty("heuristicObjective").ValueKind);
        var window = exact.GetProperty("smallestWindow");
        Assert.Equal(260, window.GetProperty("minHouseholds").GetDouble());
        Assert.Equal(500, window.GetProperty("maxHouseholds").GetDouble());
        Assert.Contains("300–500", exact.GetProperty("reason").GetString());
        Assert.True(exact.GetProperty("seconds").GetDouble() > 0);
        Assert.Contains("exact: impossible", err);
    }

    [Fact]
    public void PartitionExact_WhenAPlanExists_WritesTheProvedOptimumWithinTheWindow()
    {
        var units = Squares(4, 3, (c, r) => 100 + (c * 37 + r * 53) % 90);
        var (outFile, report) = (Path_("out.geojson"), Path_("rep.json"));
        var (code, _, err) = Gridmap("partition", "--units", units, "--weight", "hh", "--min", "300", "--max", "500", "--exact", "--time-limit", "30",
            "--out", outFile, "--report", report, "--quiet");
        Assert.True(code == 0, err);
        var rep = JsonDocument.Parse(File.ReadAllText(report)).RootElement;
        Assert.True(rep.GetProperty("feasible").GetBoolean());
        var exact = rep.GetProperty("exact");
        Assert.Equal("optimal", exact.GetProperty("status").GetString());
        Assert.Equal(0, exact.GetProperty("gap").GetDouble());
        Assert.True(exact.GetProperty("objective").GetDouble() <= exact.GetProperty("heuristicObjective").GetDouble() + 1e-3);
        Assert.Equal(JsonValueKind.Null, exact.GetProperty("smallestWindow").ValueKind);
        // The written plan is the exact one: every cell within the window.
        var features = JsonDocument.Parse(File.ReadAllText(outFile)).RootElement.GetProperty("features").EnumerateArray().ToArray();
        Assert.Equal(12, features.Length);
        var weights = features.GroupBy(f => f.GetProperty("properties").GetProperty("cell").GetInt32())
            .Select(g => g.Sum(f => f.GetProperty("properties").GetProperty("hh").GetInt32())).ToList();
        Assert.All(weights, w => Assert.InRange(w, 300, 500));
        Assert.All(rep.GetProperty("cells").EnumerateArray(), c => Assert.True(c.GetProperty("contiguous").GetBoolean()));
    }

    [Fact]
    public void PartitionExact_TooManyUnits_IsRefusedAsBadInput()
    {
        var units = Squares(13, 12, (_, _) => 100);
        var (code, _, err) = Gridmap("partition", "--units", units, "--weight", "hh", "--min", "300", "--max", "500", "--exact", "--out", Path_("o.geojson"));
        Assert.Equal(2, code);
        Assert.Contains("150", err);
    }

    [Fact]
    public void PartitionHelp_DescribesExact()
    {
        var (code, stdout, _) = Gridmap("partition", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--exact", stdout);
        Assert.Contains("精确", stdout);
    }
}
