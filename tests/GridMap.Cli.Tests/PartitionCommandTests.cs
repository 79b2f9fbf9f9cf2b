using GridMap.Tests.Shared;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GridMap.Cli.Tests;

/// <summary>Runs the real `gridmap partition` executable on the Iowa shapefile and on small GeoJSON files.</summary>
public sealed class PartitionCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gm-partition-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Gridmap(params string[] args)
    {
        var r = CliRunner.RunAsync(args).GetAwaiter().GetResult();
        return (r.ExitCode, r.Stdout, r.Stderr);
    }


    private static string IowaShp => RepoPaths.SharedData("partition", "iowa_counties", "IA_county.shp");

    private string Path_(string name) => Path.Combine(_dir, name);

    /// <summary>cols × rows square compounds (local metres, 100 m pitch, 10 m streets) as GeoJSON.</summary>
    private string Squares(int cols, int rows, Func<int, int, string> props, string? crs = "local")
    {
        var sb = new StringBuilder("{\"type\":\"FeatureCollection\",");
        if (crs is not null) sb.Append("\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"" + crs + "\"}},");
        sb.Append("\"features\":[");
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
            {
                if (r + c > 0) sb.Append(',');
                double x = c * 100 + 5, y = r * 100 + 5;
                string P(double a, double b) => string.Create(CultureInfo.InvariantCulture, $"[{a},{b}]");
                sb.Append("{\"type\":\"Feature\",\"id\":\"c" + r + "_" + c + "\",\"properties\":{" + props(c, r) + "},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[")
                  .Append(P(x, y)).Append(',').Append(P(x + 90, y)).Append(',').Append(P(x + 90, y + 90)).Append(',').Append(P(x, y + 90)).Append(',').Append(P(x, y))
                  .Append("]]}}");
            }
        sb.Append("]}");
        var path = Path_($"units{cols}x{rows}.geojson");
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    private static JsonElement[] Features(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("features").EnumerateArray().ToArray();

    [Fact]
    public void Gridmap_RunsWithoutTieringOrBackgroundGc_AndAPartitionIsTheSameEitherWay()
    {
        // The CLI's runtime configuration turns tiered compilation and background GC off (batch work on few cores;
        // GridMap.Cli.csproj); `scripts/run` serves with both on through the environment, which overrides it.
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "gridmap.runtimeconfig.json")))
            .RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.False(config.GetProperty("System.Runtime.TieredCompilation").GetBoolean());
        Assert.False(config.GetProperty("System.GC.Concurrent").GetBoolean());
        // 24 × 24 compounds: above the size where the GeoJSON is read on all cores. The plan must not depend on how the
        // code was compiled or collected.
        var units = Squares(24, 24, (c, r) => $"\"hh\":{40 + (c * 7 + r * 3) % 25}");
        (int Code, string Err) Run(bool asServed, string outFile, params string[] extra)
        {
            var env = asServed ? new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "1", ["DOTNET_gcConcurrent"] = "1" } : null;
            var r = CliRunner.RunAsync(new[] { "partition", "--units", units, "--weight", "hh", "--cells", "8", "--tolerance", "0.05", "--seed", "3",
                "--time-limit", "60", "--out", outFile, "--quiet" }.Concat(extra), env).GetAwaiter().GetResult();
            return (r.ExitCode, r.Stderr);
        }
        var batch = Run(false, Path_("batch.geojson"));
        var served = Run(true, Path_("served.geojson"));
        Assert.True(batch.Code == 0, batch.Err);
        Assert.True(served.Code == 0, served.Err);
        Assert.Equal(File.ReadAllText(Path_("batch.geojson")), File.ReadAllText(Path_("served.geojson")));
        var bad = Run(false, Path_("bad.geojson"), "--objective", "compact", "--barriers", Path_("missing.geojson"));
        Assert.Equal(2, bad.Code);
        Assert.Contains("--barriers file not found", bad.Err);
        Assert.False(File.Exists(Path_("bad.geojson")));
    }

    [Fact]
    public void Partition_OnLinux_AsksForHugePagesOnTheHeap_AndNotWhenTurnedOff_WithTheSamePlan()
    {
        // HugePages.Advise: madvise(MADV_HUGEPAGE) on the runtime's large reservations; the profile line says what it did.
        var units = Squares(12, 12, (c, r) => $"\"hh\":{40 + (c * 7 + r * 3) % 25}");
        (int Code, string Err) Run(string hugePages, string outFile)
        {
            var env = new Dictionary<string, string> { ["GRIDMAP_PARTITION_PROFILE"] = "1", ["GRIDMAP_HUGEPAGES"] = hugePages };
            var r = CliRunner.RunAsync(new[] { "partition", "--units", units, "--weight", "hh", "--cells", "4", "--tolerance", "0.05", "--seed", "3",
                "--time-limit", "60", "--out", outFile, "--quiet" }, env).GetAwaiter().GetResult();
            return (r.ExitCode, r.Stderr);
        }
        var on = Run("1", Path_("on.geojson"));
        var off = Run("0", Path_("off.geojson"));
        Assert.True(on.Code == 0, on.Err);
        Assert.True(off.Code == 0, off.Err);
        if (OperatingSystem.IsLinux()) Assert.Matches(@"profile huge pages: advised [1-9]\d* GB", on.Err);
        Assert.Contains("profile huge pages: off", off.Err, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path_("off.geojson")), File.ReadAllText(Path_("on.geojson")));
    }

    [Fact]
    public void Partition_LoadsWithoutCollections_AndNotWhenTurnedOff_WithTheSamePlan_AndARefusedInputStillSaysWhy()
    {
        // LoadPhase: a no-GC region over reading and projecting, ended before the graph; the profile line says whether it began.
        var units = Squares(12, 12, (c, r) => $"\"hh\":{40 + (c * 7 + r * 3) % 25}");
        (int Code, string Err) Run(string noGc, string unitsFile, string outFile, string weight = "hh")
        {
            var env = new Dictionary<string, string> { ["GRIDMAP_PARTITION_PROFILE"] = "1", ["GRIDMAP_NOGC_LOAD"] = noGc };
            var r = CliRunner.RunAsync(new[] { "partition", "--units", unitsFile, "--weight", weight, "--cells", "4", "--tolerance", "0.05", "--seed", "3",
                "--time-limit", "60", "--out", outFile, "--quiet" }, env).GetAwaiter().GetResult();
            return (r.ExitCode, r.Stderr);
        }
        var on = Run("1", units, Path_("nogc-on.geojson"));
        var off = Run("0", units, Path_("nogc-off.geojson"));
        Assert.True(on.Code == 0, on.Err);
        Assert.True(off.Code == 0, off.Err);
        Assert.Contains("profile load without GC: yes", on.Err, StringComparison.Ordinal);
        Assert.Contains("profile load without GC: no", off.Err, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path_("nogc-off.geojson")), File.ReadAllText(Path_("nogc-on.geojson")));
        // Refused while loading (no such weight): the usual message and exit code, nothing written.
        var bad = Run("1", units, Path_("nogc-bad.geojson"), "nope");
        Assert.Equal(2, bad.Code);
        Assert.Contains("has no 'nope' property (--weight)", bad.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path_("nogc-bad.geojson")));
    }

    [Fact]
    public void Partition_WritesEachUnitsPolygonAsItWasRead_ButAClockwiseOneCounterClockwise()
    {
        // The plan copies a unit's geometry text from the input (no coordinate formatted again) when the writer would write it
        // the same; a clockwise shell is written reversed, as RFC 7946 wants. 24 × 24 units, pretty-printed, every fifth clockwise.
        var geometries = new List<string>();
        var sb = new StringBuilder("{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"local\"}},\"features\":[\n");
        for (var k = 0; k < 24 * 24; k++)
        {
            int c = k % 24, r = k / 24;
            string P(double a, double b) => string.Create(CultureInfo.InvariantCulture, $"[ {a:0.0}, {b} ]");
            double x = c * 100 + 5, y = r * 100 + 5;
            var ring = k % 5 == 0
                ? new[] { P(x, y), P(x, y + 90), P(x + 90, y + 90), P(x + 90, y), P(x, y) }
                : new[] { P(x, y), P(x + 90, y), P(x + 90, y + 90), P(x, y + 90), P(x, y) };
            var geometry = "{\n      \"type\": \"Polygon\",\n      \"coordinates\": [\n        [ " + string.Join(",\n          ", ring) + " ]\n      ]\n    }";
            geometries.Add(geometry);
            sb.Append(k > 0 ? ",\n" : "").Append("  {\"type\":\"Feature\",\"id\":\"u").Append(k).Append("\",\"properties\":{\"hh\":").Append(40 + (c * 7 + r * 3) % 25)
              .Append("},\"geometry\":").Append(geometry).Append('}');
        }
        File.WriteAllText(Path_("pretty.geojson"), sb.Append("\n]}").ToString());
        var (code, _, err) = Gridmap("partition", "--units", Path_("pretty.geojson"), "--weight", "hh", "--cells", "8", "--tolerance", "0.05",
            "--seed", "3", "--time-limit", "60", "--out", Path_("pretty-plan.geojson"), "--quiet");
        Assert.True(code == 0, err);
        var plan = File.ReadAllText(Path_("pretty-plan.geojson"));
        var features = Features(Path_("pretty-plan.geojson"));
        Assert.Equal(geometries.Count, features.Length);
        for (var k = 0; k < geometries.Count; k++)
        {
            var g = features[k].GetProperty("geometry");
            Assert.Equal(k % 5 != 0, g.GetRawText() == geometries[k]); // the counter-clockwise ones, as they were
            Assert.Equal(k % 5 != 0, plan.Contains(geometries[k], StringComparison.Ordinal));
            var shell = g.GetProperty("coordinates")[0].EnumerateArray().Select(p => (X: p[0].GetDouble(), Y: p[1].GetDouble())).ToArray();
            var area2 = 0.0;
            for (var i = 0; i + 1 < shell.Length; i++) area2 += shell[i].X * shell[i + 1].Y - shell[i + 1].X * shell[i].Y;
            Assert.True(area2 > 0, $"unit {k}: shell not counter-clockwise");
            Assert.True(features[k].GetProperty("properties").TryGetProperty("cell", out _));
            Assert.Equal(40 + (k % 24 * 7 + k / 24 * 3) % 25, features[k].GetProperty("properties").GetProperty("hh").GetInt32());
        }
    }

    [Fact]
    public void Partition_IowaCountiesCutEdges_WritesEveryCountyWithACellAndAReport()
    {
        var (outFile, report) = (Path_("ia.geojson"), Path_("ia-report.json"));
        var (code, _, err) = Gridmap("partition", "--units", IowaShp, "--weight", "DP0010001", "--cells", "4", "--tolerance", "0.005",
            "--objective", "cut-edges", "--seed", "1", "--time-limit", "60", "--out", outFile, "--report", report);
        Assert.True(code == 0, err);
        var features = Features(outFile);
        Assert.Equal(99, features.Length);
        foreach (var f in features)
        {
            var p = f.GetProperty("properties");
            Assert.InRange(p.GetProperty("cell").GetInt32(), 0, 3);
            Assert.True(p.TryGetProperty("GEOID10", out _) && p.TryGetProperty("NAMELSAD10", out _));
        }
        var rep = JsonDocument.Parse(File.ReadAllText(report)).RootElement;
        Assert.True(rep.GetProperty("feasible").GetBoolean());
        var totals = rep.GetProperty("totals");
        Assert.Equal(3_046_355, totals.GetProperty("weight").GetDouble());
        Assert.True(totals.GetProperty("cut_edges").GetInt32() <= 35, $"cut edges {totals.GetProperty("cut_edges")}");
        var cells = rep.GetProperty("cells").EnumerateArray().ToArray();
        Assert.Equal(4, cells.Length);
        Assert.All(cells, c => Assert.InRange(c.GetProperty("deviation").GetDouble(), -0.005, 0.005));
        Assert.All(cells, c => Assert.True(c.GetProperty("contiguous").GetBoolean()));
        // The report's cell weights are the sums of the written features' weights.
        var sums = features.GroupBy(f => f.GetProperty("properties").GetProperty("cell").GetInt32())
            .ToDictionary(g => g.Key, g => g.Sum(f => f.GetProperty("properties").GetProperty("DP0010001").GetDouble()));
        Assert.All(cells, c => Assert.Equal(sums[c.GetProperty("cell").GetInt32()], c.GetProperty("weight").GetDouble()));
        Assert.True(rep.GetProperty("runtime_seconds").GetDouble() > 0);
    }

    [Fact]
    public void Partition_WithWindow_ChoosesKAndKeepsEveryCellInTheWindow()
    {
        var units = Squares(8, 6, (c, r) => $"\"households\":{40 + (c * 7 + r * 13) % 30},\"name\":\"小区{c}-{r}\"");
        var (outFile, report) = (Path_("out.geojson"), Path_("rep.json"));
        var (code, _, err) = Gridmap("partition", "--units", units, "--weight", "households", "--min", "300", "--max", "500", "--out", outFile, "--report", report);
        Assert.True(code == 0, err);
        var features = Features(outFile);
        Assert.Equal(48, features.Length);
        Assert.All(features, f => Assert.StartsWith("小区", f.GetProperty("properties").GetProperty("name").GetString()));
        var weights = features.GroupBy(f => f.GetProperty("properties").GetProperty("cell").GetInt32())
            .Select(g => g.Sum(f => f.GetProperty("properties").GetProperty("households").GetDouble())).ToList();
        Assert.All(weights, w => Assert.InRange(w, 300, 500));
        var k = JsonDocument.Parse(File.ReadAllText(report)).RootElement.GetProperty("totals").GetProperty("cells").GetInt32();
        Assert.Equal(weights.Count, k);
    }

    [Fact]
    public void Partition_WithNestAndBarrier_KeepsCellsInsideCommunitiesAndOffTheRoad()
    {
        var units = Squares(8, 4, (c, r) => $"\"hh\":100,\"community\":\"{(r < 2 ? "north" : "south")}\"");
        var barrier = Path_("road.geojson");
        File.WriteAllText(barrier, "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"local\"}},\"features\":[{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[400,-50],[400,450]]}}]}");
        var outFile = Path_("nest.geojson");
        var (code, _, err) = Gridmap("partition", "--units", units, "--weight", "hh", "--min", "300", "--max", "500", "--nest-by", "community",
            "--barriers", barrier, "--out", outFile);
        Assert.True(code == 0, err);
        foreach (var cell in Features(outFile).GroupBy(f => f.GetProperty("properties").GetProperty("cell").GetInt32()))
        {
            Assert.Single(cell.Select(f => f.GetProperty("properties").GetProperty("community").GetString()).Distinct());
            Assert.Single(cell.Select(f => f.GetProperty("geometry").GetProperty("coordinates")[0][0][0].GetDouble() < 400).Distinct());
        }
    }

    [Fact]
    public void Partition_BarrierModeSoft_CrossesARoadOnlyWhereAFencedInGroupNeedsIt_AndReportsIt()
    {
        // 4 × 2 compounds of 100 households; a road cuts off the first column (200 households: too light for 300–500).
        var units = Squares(4, 2, (c, r) => $"\"hh\":100,\"key\":\"c{r}_{c}\"");
        var barrier = Path_("road.geojson");
        File.WriteAllText(barrier, "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"local\"}},\"features\":[{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[100,-50],[100,250]]}}]}");
        var hardOut = Path_("hard.geojson");
        var (hardCode, _, hardErr) = Gridmap("partition", "--units", units, "--weight", "hh", "--min", "300", "--max", "500", "--barriers", barrier, "--out", hardOut);
        Assert.Equal(3, hardCode);
        Assert.Contains("contiguity", hardErr);
        Assert.False(File.Exists(hardOut));

        var outFile = Path_("soft.geojson");
        var report = Path_("soft.json");
        var (code, _, err) = Gridmap("partition", "--units", units, "--weight", "hh", "--min", "300", "--max", "500", "--barriers", barrier,
            "--barrier-mode", "soft", "--out", outFile, "--report", report);
        Assert.True(code == 0, err);
        Assert.Contains("warning", err);
        var r = JsonDocument.Parse(File.ReadAllText(report)).RootElement;
        Assert.Equal("soft", r.GetProperty("barrier_mode").GetString());
        var crossing = Assert.Single(r.GetProperty("barrier_crossings").EnumerateArray().ToArray());
        var features = Features(outFile);
        var cellOf = features.ToDictionary(f => f.GetProperty("properties").GetProperty("key").GetString()!, f => f.GetProperty("properties").GetProperty("cell").GetInt32());
        // The crossing joins a west compound to an east one, and the cell holding the west column is the one that crosses there.
        var (a, b) = (crossing.GetProperty("a").GetString()!, crossing.GetProperty("b").GetString()!);
        Assert.NotEqual(a.EndsWith("_0", StringComparison.Ordinal), b.EndsWith("_0", StringComparison.Ordinal));
        Assert.Equal(cellOf[a], cellOf[b]);
        foreach (var cell in features.GroupBy(f => f.GetProperty("properties").GetProperty("cell").GetInt32()))
            Assert.InRange(cell.Sum(f => f.GetProperty("properties").GetProperty("hh").GetInt32()), 300, 500);
    }

    [Fact]
    public void Partition_Infeasible_ExitsNonZeroNamingTheConstraintAndWritesNothing()
    {
        var units = Squares(5, 1, (_, _) => "\"hh\":10");
        var outFile = Path_("none.geojson");
        var (code, _, err) = Gridmap("partition", "--units", units, "--weight", "hh", "--cells", "2", "--tolerance", "0.05", "--time-limit", "2", "--out", outFile);
        Assert.Equal(3, code);
        Assert.Contains("balance", err);
        Assert.False(File.Exists(outFile));
        Assert.Empty(Directory.GetFiles(_dir, ".*tmp*"));
    }

    [Theory]
    [InlineData("missing-file")]
    [InlineData("both-modes")]
    [InlineData("no-mode")]
    [InlineData("bad-weight")]
    [InlineData("not-polygons")]
    [InlineData("bad-objective")]
    public void Partition_BadInput_ExitsNonZeroWithAMessage(string what)
    {
        var units = Squares(3, 3, (c, _) => c == 1 && what == "bad-weight" ? "\"hh\":\"many\"" : "\"hh\":5");
        if (what == "not-polygons")
        {
            units = Path_("points.geojson");
            File.WriteAllText(units, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"hh\":1},\"geometry\":{\"type\":\"Point\",\"coordinates\":[113.6,34.7]}}]}");
        }
        var outFile = Path_("bad.geojson");
        string[] args = what switch
        {
            "missing-file" => ["--units", Path_("nope.geojson"), "--weight", "hh", "--cells", "2", "--out", outFile],
            "both-modes" => ["--units", units, "--weight", "hh", "--cells", "2", "--min", "1", "--max", "3", "--out", outFile],
            "no-mode" => ["--units", units, "--weight", "hh", "--out", outFile],
            "bad-objective" => ["--units", units, "--weight", "hh", "--cells", "2", "--objective", "pretty", "--out", outFile],
            _ => ["--units", units, "--weight", "hh", "--cells", "2", "--out", outFile],
        };
        var (code, _, err) = Gridmap(["partition", .. args]);
        Assert.NotEqual(0, code);
        Assert.False(string.IsNullOrWhiteSpace(err));
        var expected = what switch
        {
            "missing-file" => "not found",
            "both-modes" => "not both",
            "no-mode" => "--cells",
            "bad-weight" => "not a number",
            "not-polygons" => "polygons",
            _ => "pretty",
        };
        Assert.Contains(expected, err);
        Assert.False(File.Exists(outFile));
    }

    [Fact]
    public void Help_DescribesTheContract()
    {
        var (code, stdout, _) = Gridmap("partition", "--help");
        Assert.Equal(0, code);
        foreach (var o in new[] { "--units", "--weight", "--cells", "--tolerance", "--min", "--max", "--objective", "--barriers", "--barrier-mode", "--nest-by", "--seed", "--time-limit", "--out", "--report" })
            Assert.Contains(o, stdout);
    }
}
