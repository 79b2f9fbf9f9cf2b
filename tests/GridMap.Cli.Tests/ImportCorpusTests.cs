using System.Globalization;
using System.Text;
using System.Text.Json;
using GridMap.Tests.Shared;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace GridMap.Cli.Tests;

/// <summary>
/// The bad-input corpus, generated into a temp folder: every file is run through the real `gridmap import` against a real
/// PostGIS test database, and is either refused with a message naming the feature and the reason, or accepted correctly.
/// Row counts (compound, pipe, valve, import_key, audit_log) are compared before and after: a refused file writes nothing.
/// </summary>
public sealed class ImportCorpusTests : IClassFixture<ImportCorpusTests.Corpus>
{
    private readonly Corpus _c;
    public ImportCorpusTests(Corpus c) => _c = c;

    public sealed class Corpus : IAsyncLifetime
    {
        public TestDatabase Db { get; private set; } = null!;
        public Dictionary<string, string> Env { get; private set; } = null!;
        public string Dir { get; } = Path.Combine(Path.GetTempPath(), $"gm-corpus-{Guid.NewGuid():N}");

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(Dir);
            if (!TestDatabase.Configured && !TestDatabase.OnCi) return;
            Db = await TestDatabase.CreateAsync();
            await using (var cmd = Db.DataSource.CreateCommand("""
                INSERT INTO branch VALUES (1, '东区', ST_Multi(ST_GeomFromText('POLYGON((113.6 34.7,113.8 34.7,113.8 34.9,113.6 34.9,113.6 34.7))', 4326)));
                INSERT INTO district VALUES ('410105', '金水区', 1, ST_Multi(ST_GeomFromText('POLYGON((113.6 34.7,113.8 34.7,113.8 34.9,113.6 34.9,113.6 34.7))', 4326)));
                INSERT INTO pipe (id, level, flow, dn, geom) VALUES (7, 'secondary', 'supply', 200, ST_GeomFromText('LINESTRING(113.65 34.75,113.66 34.75)', 4326));
                """)) await cmd.ExecuteNonQueryAsync();
            Env = new Dictionary<string, string> { ["GRIDMAP_DB"] = Db.ConnectionString };
        }

        public async Task DisposeAsync()
        {
            if (Db is not null) await Db.DisposeAsync();
            try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
        }

        public string Write(string name, string text) => WriteBytes(name, Encoding.UTF8.GetBytes(text));

        public string WriteBytes(string name, byte[] bytes)
        {
            var path = Path.Combine(Dir, name);
            File.WriteAllBytes(path, bytes);
            return path;
        }

        public async Task<Dictionary<string, long>> CountsAsync()
        {
            var counts = new Dictionary<string, long>();
            foreach (var t in new[] { "compound", "pipe", "valve", "import_key", "audit_log" })
            {
                await using var cmd = Db.DataSource.CreateCommand($"SELECT count(*) FROM {t}");
                counts[t] = (long)(await cmd.ExecuteScalarAsync())!;
            }
            return counts;
        }

        public async Task<object?> ScalarAsync(string sql)
        {
            await using var cmd = Db.DataSource.CreateCommand(sql);
            return await cmd.ExecuteScalarAsync();
        }
    }

    private static string Square(double x, double y, double d = 0.001) =>
        FormattableString.Invariant($"[[[{x},{y}],[{x + d},{y}],[{x + d},{y + d}],[{x},{y + d}],[{x},{y}]]]");

    private static string Compound(string props, string coordinates, string type = "Polygon") =>
        "{\"type\":\"Feature\",\"properties\":{" + props + "},\"geometry\":{\"type\":\"" + type + "\",\"coordinates\":" + coordinates + "}}";

    private static string Collection(params string[] features) => "{\"type\":\"FeatureCollection\",\"features\":[" + string.Join(",", features) + "]}";

    private static readonly string Good = Compound("\"name\":\"好小区\",\"households\":100", Square(113.70, 34.80));

    /// <summary>Runs the import and asserts it was refused (exit 1), naming each of <paramref name="expected"/>, with nothing written.</summary>
    private async Task<CliRunner.Result> AssertRefused(string file, string into, params string[] expected)
    {
        var before = await _c.CountsAsync();
        var r = await CliRunner.RunAsync(["import", file, "--into", into], _c.Env);
        Assert.True(r.ExitCode == 1, $"exit {r.ExitCode}\n{r.Stdout}\n{r.Stderr}");
        foreach (var e in expected) Assert.Contains(e, r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("database:", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await _c.CountsAsync());
        return r;
    }

    private async Task<CliRunner.Result> AssertAccepted(string file, string into, string table, int added, params string[] extra)
    {
        var before = await _c.CountsAsync();
        var r = await CliRunner.RunAsync([.. new[] { "import", file, "--into", into }, .. extra], _c.Env, timeoutSeconds: 300);
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}\n{r.Stdout}\n{r.Stderr}");
        var after = await _c.CountsAsync();
        Assert.Equal(before[table] + added, after[table]);
        return r;
    }

    [PostgisFact]
    public async Task Malformed_Json_IsRefusedAsAWhole() =>
        await AssertRefused(_c.Write("malformed.geojson", "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",,}]}"), "compounds", "not valid JSON");

    [PostgisFact]
    public async Task Malformed_WrongJsonKinds_AreRefusedNotCrashed()
    {
        await AssertRefused(_c.Write("not-object.geojson", "[1,2,3]"), "compounds", "must be a JSON object");
        await AssertRefused(_c.Write("type-number.geojson", "{\"type\":5,\"features\":[]}"), "compounds", "GeoJSON 'type' must be a string");
        await AssertRefused(_c.Write("features-object.geojson", "{\"type\":\"FeatureCollection\",\"features\":{}}"), "compounds", "no 'features' array");
        await AssertRefused(_c.Write("geometry-string.geojson", Collection(Good, "{\"type\":\"Feature\",\"properties\":{\"name\":\"x\",\"households\":1},\"geometry\":\"POINT(1 2)\"}")),
            "compounds", "feature #1", "geometry could not be parsed");
    }

    [PostgisFact]
    public async Task Truncated_File_IsRefusedAndNothingWritten()
    {
        var full = Collection(Enumerable.Range(0, 50).Select(i => Compound($"\"name\":\"小区{i}\",\"households\":{i}", Square(113.61 + i * 0.002, 34.71))).ToArray());
        await AssertRefused(_c.Write("truncated.geojson", full[..(full.Length / 2)]), "compounds", "not valid JSON");
    }

    [PostgisFact]
    public async Task BowTie_IsRefusedNamingTheFeature_AndRepairedOnRequest()
    {
        var bowTie = Compound("\"id\":\"BT-1\",\"name\":\"蝴蝶\",\"households\":5", "[[[113.65,34.75],[113.652,34.752],[113.652,34.75],[113.65,34.752],[113.65,34.75]]]");
        var file = _c.Write("bowtie.geojson", Collection(Good, bowTie));
        await AssertRefused(file, "compounds", "feature #1 (id BT-1)", "invalid geometry", "Self-intersection", "--repair");
        await AssertAccepted(file, "compounds", "compound", 2, "--repair");
    }

    [PostgisFact]
    public async Task UnclosedRing_IsRefusedNamingTheFeature() =>
        await AssertRefused(_c.Write("unclosed.geojson", Collection(Good, Compound("\"id\":\"U1\",\"name\":\"未闭合\",\"households\":5",
            "[[[113.65,34.75],[113.652,34.75],[113.652,34.752],[113.65,34.752]]]"))), "compounds", "feature #1 (id U1)", "geometry could not be parsed");

    [PostgisFact]
    public async Task SwappedAxes_AreRefusedSayingLatLon() =>
        await AssertRefused(_c.Write("swapped.geojson", Collection(Good, Compound("\"id\":\"S1\",\"name\":\"反了\",\"households\":5", "[[[34.75,113.65],[34.75,113.652],[34.752,113.652],[34.752,113.65],[34.75,113.65]]]"))),
            "compounds", "feature #1 (id S1)", "axes swapped");

    [PostgisFact]
    public async Task ProjectedCoordinatesWithoutCrs_AreRefusedAskingForCrs() =>
        await AssertRefused(_c.Write("projected.geojson", Collection(Compound("\"id\":\"P1\",\"name\":\"投影\",\"households\":5",
            "[[[38500000,3850000],[38500100,3850000],[38500100,3850100],[38500000,3850100],[38500000,3850000]]]"))), "compounds", "feature #0 (id P1)", "outside the service area", "--crs");

    [PostgisFact]
    public async Task ZValues_AreDroppedAndSaidSo()
    {
        var z = Compound("\"id\":\"Z1\",\"name\":\"有高程\",\"households\":5", "[[[113.71,34.81,95.5],[113.712,34.81,95.5],[113.712,34.812,96],[113.71,34.812,96],[113.71,34.81,95.5]]]");
        var line = "{\"type\":\"Feature\",\"properties\":{\"id\":\"ZL\",\"level\":\"secondary\",\"dn\":150},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[113.7,34.8,90],[113.71,34.8,91]]}}";
        var r = await AssertAccepted(_c.Write("z.geojson", Collection(z, Compound("\"id\":\"Z2\",\"name\":\"也有\",\"households\":5", "[[[113.72,34.81,1],[113.722,34.81,1],[113.722,34.812,1],[113.72,34.812,1],[113.72,34.81,1]]]"))),
            "compounds", "compound", 2);
        Assert.Contains("2 features had Z; dropped", r.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, Convert.ToInt32(await _c.ScalarAsync("SELECT ST_NDims(footprint) FROM compound WHERE name = '有高程'"), CultureInfo.InvariantCulture));
        var p = await AssertAccepted(_c.Write("z-pipe.geojson", Collection(line)), "pipes", "pipe", 1);
        Assert.Contains("1 features had Z; dropped", p.Stdout, StringComparison.Ordinal);
    }

    [PostgisFact]
    public async Task HugeNumbers_AreRefusedNamingFeatureAndProperty()
    {
        await AssertRefused(_c.Write("huge-households.geojson", Collection(Good, Compound("\"id\":\"H1\",\"name\":\"大\",\"households\":1e20", Square(113.7, 34.8)))),
            "compounds", "feature #1 (id H1)", "'households'", "not a whole number");
        await AssertRefused(_c.Write("huge-coords.geojson", Collection(Good, Compound("\"id\":\"H2\",\"name\":\"远\",\"households\":1", "[[[1e300,1e300],[1e301,1e300],[1e301,1e301],[1e300,1e300]]]"))),
            "compounds", "feature #1 (id H2)");
        await AssertRefused(_c.Write("overflow-coords.geojson", Collection(Good, Compound("\"id\":\"H3\",\"name\":\"溢出\",\"households\":1", "[[[1e400,34.8],[113.7,34.8],[113.7,34.9],[1e400,34.8]]]"))),
            "compounds", "feature #1 (id H3)");
        await AssertRefused(_c.Write("negative.geojson", Collection(Good, Compound("\"id\":\"H4\",\"name\":\"负\",\"households\":-3", Square(113.7, 34.8)))),
            "compounds", "feature #1 (id H4)", "cannot be negative");
        await AssertRefused(_c.Write("dn.geojson", Collection("{\"type\":\"Feature\",\"properties\":{\"id\":\"V1\",\"dn\":99999},\"geometry\":{\"type\":\"Point\",\"coordinates\":[113.7,34.8]}}")),
            "valves", "feature #0 (id V1)", "dn 99999");
    }

    [PostgisFact]
    public async Task TextWhereNumbersBelong_IsRefusedNamingTheProperty()
    {
        await AssertRefused(_c.Write("text-number.geojson", Collection(Good, Compound("\"id\":\"T1\",\"name\":\"文字\",\"households\":\"很多\"", Square(113.7, 34.8)))),
            "compounds", "feature #1 (id T1)", "property 'households' = '很多' is not a whole number");
        await AssertRefused(_c.Write("text-coord.geojson", Collection(Good, Compound("\"id\":\"T2\",\"name\":\"文字\",\"households\":1", "[[[\"113.7\",34.8],[113.71,34.8],[113.71,34.81],[\"113.7\",34.8]]]"))),
            "compounds", "feature #1 (id T2)", "geometry could not be parsed");
        await AssertRefused(_c.Write("text-year.geojson", Collection(Compound("\"id\":\"T3\",\"name\":\"年\",\"households\":1,\"built_year\":1066", Square(113.7, 34.8)))),
            "compounds", "feature #0 (id T3)", "not a year between 1900 and 2100");
    }

    [PostgisFact]
    public async Task DuplicateIds_AreRefusedNamingTheSecond()
    {
        await AssertRefused(_c.Write("dup-keys.geojson", Collection(Compound("\"id\":\"XQ-1\",\"name\":\"a\",\"households\":1", Square(113.7, 34.8)),
            Compound("\"id\":\"XQ-1\",\"name\":\"b\",\"households\":1", Square(113.71, 34.8)))), "compounds", "feature #1 (id XQ-1)", "appears more than once");
        await AssertRefused(_c.Write("dup-ids.geojson", Collection(Compound("\"id\":5,\"name\":\"a\",\"households\":1", Square(113.7, 34.8)),
            Compound("\"id\":5,\"name\":\"b\",\"households\":1", Square(113.71, 34.8)))), "compounds", "feature #1 (id 5)", "appears more than once");
    }

    [PostgisFact]
    public async Task NulBytes_AreRefused()
    {
        await AssertRefused(_c.Write("nul-escaped.geojson", Collection(Good, Compound("\"id\":\"N1\",\"name\":\"a\\u0000b\",\"households\":1", Square(113.7, 34.8)))),
            "compounds", "feature #1 (id N1)", "NUL character");
        var raw = Encoding.UTF8.GetBytes(Collection(Good, Compound("\"id\":\"N2\",\"name\":\"a\u0000b\",\"households\":1", Square(113.7, 34.8))));
        await AssertRefused(_c.WriteBytes("nul-raw.geojson", raw), "compounds", "not valid JSON");
    }

    [PostgisFact]
    public async Task SqlInNames_IsStoredVerbatim()
    {
        const string evil = "x'); DROP TABLE compound; -- \"; SELECT pg_sleep(10);";
        var name = JsonSerializer.Serialize(evil);
        await AssertAccepted(_c.Write("sql.geojson", Collection(Compound($"\"id\":\"SQL-1\",\"name\":{name},\"households\":1,\"address\":\"Robert'); DROP TABLE pipe;--\"", Square(113.75, 34.85)))),
            "compounds", "compound", 1);
        Assert.Equal(evil, await _c.ScalarAsync("SELECT c.name FROM compound c JOIN import_key k ON k.kind = 'compound' AND k.entity_id = c.id WHERE k.key = 'SQL-1'"));
        Assert.Equal(1L, await _c.ScalarAsync("SELECT count(*) FROM pipe WHERE id = 7"));
    }

    [PostgisFact]
    public async Task UnknownReferences_AreRefusedPerFeature_NotByTheDatabase()
    {
        await AssertRefused(_c.Write("bad-district.geojson", Collection(Good, Compound("\"id\":\"D1\",\"name\":\"外区\",\"households\":1,\"district_code\":\"999999\"", Square(113.7, 34.8)))),
            "compounds", "feature #1 (id D1)", "district_code '999999' is not a known district");
        await AssertRefused(_c.Write("bad-pipe.geojson", Collection("{\"type\":\"Feature\",\"properties\":{\"id\":\"V9\",\"pipe_id\":424242},\"geometry\":{\"type\":\"Point\",\"coordinates\":[113.7,34.8]}}")),
            "valves", "feature #0 (id V9)", "pipe_id 424242 is not a stored pipe");
    }

    private static Encoding Gbk()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(936);
    }

    private const string Wgs84Prj = "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]";

    private string WriteGbkShapefile(string name, bool keepCpg)
    {
        var f = new GeometryFactory(new PrecisionModel(), 4326);
        var features = new[] { ("金水花园小区", 300, 113.73), ("纬五路３号院", 120, 113.735) }.Select(t =>
            (IFeature)new Feature(f.CreatePolygon([new(t.Item3, 34.83), new(t.Item3 + 0.001, 34.83), new(t.Item3 + 0.001, 34.831), new(t.Item3, 34.831), new(t.Item3, 34.83)]),
                new AttributesTable { { "name", t.Item1 }, { "households", t.Item2 } })).ToList();
        var shp = Path.Combine(_c.Dir, name + ".shp");
        NetTopologySuite.IO.Esri.Shapefile.WriteAllFeatures(features, shp, Wgs84Prj, Gbk());
        var cpg = Path.ChangeExtension(shp, ".cpg");
        if (keepCpg) File.WriteAllText(cpg, "GBK");
        else if (File.Exists(cpg)) File.Delete(cpg);
        // The names really are GBK bytes in the .dbf (not UTF-8): 金 is BD F0 in GBK.
        var dbf = File.ReadAllBytes(Path.ChangeExtension(shp, ".dbf"));
        Assert.True(dbf.AsSpan().IndexOf(new byte[] { 0xBD, 0xF0 }) >= 0, "the test shapefile is not GBK-encoded");
        return shp;
    }

    [PostgisFact]
    public async Task GbkShapefile_WithCpg_KeepsChineseNames()
    {
        await AssertAccepted(WriteGbkShapefile("gbk-cpg", keepCpg: true), "compounds", "compound", 2);
        Assert.Equal(1L, await _c.ScalarAsync("SELECT count(*) FROM compound WHERE name = '金水花园小区' AND households = 300"));
        Assert.Equal(1L, await _c.ScalarAsync("SELECT count(*) FROM compound WHERE name = '纬五路３号院'"));
    }

    [PostgisFact]
    public async Task GbkShapefile_WithoutCpg_IsReadByItsLanguageDriverId()
    {
        var shp = WriteGbkShapefile("gbk-ldid", keepCpg: false);
        var dbf = File.ReadAllBytes(Path.ChangeExtension(shp, ".dbf"));
        Assert.Equal(0x4D, dbf[29]); // the dBASE language driver id of code page 936
        const string named = "SELECT count(*) FROM compound WHERE name IN ('金水花园小区', '纬五路３号院')";
        var before = (long)(await _c.ScalarAsync(named))!;
        await AssertAccepted(shp, "compounds", "compound", 2, "--source", "gbk-ldid-survey");
        Assert.Equal(before + 2, await _c.ScalarAsync(named));
    }

    private static string Valves(int n, Func<int, string>? props = null)
    {
        var sb = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        for (var i = 0; i < n; i++)
        {
            if (i > 0) sb.Append(',');
            var x = 113.61 + (i % 1000) * 0.00015;
            var y = 34.71 + (i / 1000) * 0.00015;
            sb.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"Feature\",\"properties\":{{\"id\":\"V-{i}\",\"dn\":100{props?.Invoke(i)}}},\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{x:0.######},{y:0.######}]}}}}");
        }
        return sb.Append("]}").ToString();
    }

    [PostgisFact]
    public async Task Large_200kFeatures_WithOneBadAtTheEnd_WritesNothing_ThenImportsWholly()
    {
        var bad = _c.Write("big-bad.geojson", Valves(200_000, i => i == 199_999 ? ",\"state\":\"半开\"" : ""));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        await AssertRefused(bad, "valves", "feature #199999 (id V-199999)", "半开");
        var refusedS = sw.Elapsed.TotalSeconds;
        var good = _c.Write("big.geojson", Valves(200_000));
        sw.Restart();
        var r = await AssertAccepted(good, "valves", "valve", 200_000);
        Assert.Contains("200000 added, 0 changed, 0 unchanged", r.Stdout, StringComparison.Ordinal);
        var importS = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var again = await CliRunner.RunAsync(["import", good, "--into", "valves", "--dry-run"], _c.Env, timeoutSeconds: 300);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("0 added, 0 changed, 200000 unchanged", again.Stdout, StringComparison.Ordinal);
        Console.WriteLine(FormattableString.Invariant($"200k valves: refused in {refusedS:0.0} s, imported in {importS:0.0} s, dry-run re-import {sw.Elapsed.TotalSeconds:0.0} s"));
    }
}
