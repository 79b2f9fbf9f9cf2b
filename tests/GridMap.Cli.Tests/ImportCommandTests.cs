using GridMap.Tests.Shared;

namespace GridMap.Cli.Tests;

public sealed class ImportCommandTests : IDisposable
{
    // Each test's input files in a folder of its own, removed afterwards.
    private readonly string _dir = Directory.CreateTempSubdirectory("gm-import-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private const string Districts = """
        INSERT INTO branch VALUES (1, '东区', ST_Multi(ST_GeomFromText('POLYGON((113.6 34.7,113.8 34.7,113.8 34.9,113.6 34.9,113.6 34.7))', 4326)));
        INSERT INTO district VALUES ('410105', '金水区', 1, ST_Multi(ST_GeomFromText('POLYGON((113.6 34.7,113.8 34.7,113.8 34.9,113.6 34.9,113.6 34.7))', 4326)));
        """;

    private static string Feature(string props, double x, double y, double d = 0.001) =>
        "{\"type\":\"Feature\",\"properties\":{" + props + "},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" +
        FormattableString.Invariant($"[[[{x},{y}],[{x + d},{y}],[{x + d},{y + d}],[{x},{y + d}],[{x},{y}]]]") + "}}";

    private static async Task<(TestDatabase Db, Dictionary<string, string> Env)> Setup()
    {
        var db = await TestDatabase.CreateAsync();
        await using (var cmd = db.DataSource.CreateCommand(Districts)) await cmd.ExecuteNonQueryAsync();
        return (db, new Dictionary<string, string> { ["GRIDMAP_DB"] = db.ConnectionString });
    }

    private static async Task<long> Count(TestDatabase db, string table)
    {
        await using var cmd = db.DataSource.CreateCommand($"SELECT count(*) FROM {table}");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private string WriteTemp(string json)
    {
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.geojson");
        File.WriteAllText(path, json);
        return path;
    }

    [PostgisFact]
    public async Task Import_ValidCompounds_AreStoredWithDistrictFromLocation()
    {
        var (db, env) = await Setup();
        await using var _ = db;
        var file = WriteTemp($$"""{"type":"FeatureCollection","features":[{{Feature("\"name\":\"文化路小区\",\"households\":300", 113.65, 34.75)}},{{Feature("\"name\":\"纬五路小区\",\"households\":120,\"retrofit_status\":\"施工\"", 113.66, 34.76)}}]}""");
        var r = await CliRunner.RunAsync(["import", file, "--into", "compounds"], env);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("imported 2 compounds", r.Stdout, StringComparison.Ordinal);
        await using var cmd = db.DataSource.CreateCommand("SELECT string_agg(district_code || ':' || retrofit_status, ',' ORDER BY id) FROM compound");
        Assert.Equal("410105:not_started,410105:construction", (string?)await cmd.ExecuteScalarAsync());
    }

    [PostgisFact]
    public async Task Import_OneInvalidFeature_WritesNothingAndNamesIt()
    {
        var (db, env) = await Setup();
        await using var _ = db;
        var bowTie = """{"type":"Feature","properties":{"id":42,"name":"坏","households":5},"geometry":{"type":"Polygon","coordinates":[[[113.65,34.75],[113.652,34.752],[113.652,34.75],[113.65,34.752],[113.65,34.75]]]}}""";
        var file = WriteTemp($$"""{"type":"FeatureCollection","features":[{{Feature("\"name\":\"好\",\"households\":300", 113.66, 34.76)}},{{bowTie}}]}""");
        var r = await CliRunner.RunAsync(["import", file, "--into", "compounds"], env);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("feature #1 (id 42)", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was written", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, await Count(db, "compound"));

        var repaired = await CliRunner.RunAsync(["import", file, "--into", "compounds", "--repair"], env);
        Assert.True(repaired.ExitCode == 0, repaired.Stderr);
        Assert.Equal(2, await Count(db, "compound"));
    }

    [PostgisFact]
    public async Task Reimport_WithIntegerIds_UpdatesByIdInsteadOfDuplicateKey()
    {
        var (db, env) = await Setup();
        await using var _ = db;
        var first = WriteTemp($$"""{"type":"FeatureCollection","features":[{{Feature("\"id\":2,\"name\":\"a\",\"households\":1", 113.65, 34.75)}}]}""");
        Assert.Equal(0, (await CliRunner.RunAsync(["import", first, "--into", "compounds"], env)).ExitCode);
        var second = WriteTemp($$"""{"type":"FeatureCollection","features":[{{Feature("\"id\":1,\"name\":\"b\",\"households\":1", 113.66, 34.75)}},{{Feature("\"id\":2,\"name\":\"c\",\"households\":1", 113.65, 34.75)}}]}""");
        var r = await CliRunner.RunAsync(["import", second, "--into", "compounds"], env);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.DoesNotContain("duplicate key", r.Stderr + r.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 added, 1 changed, 0 unchanged, 0 refused", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("compound 2: name", r.Stdout, StringComparison.Ordinal);
        await using var cmd = db.DataSource.CreateCommand("SELECT string_agg(id || ':' || name, ',' ORDER BY id) FROM compound");
        Assert.Equal("1:b,2:c", (string?)await cmd.ExecuteScalarAsync());
    }

    private static async Task<string?> Text(TestDatabase db, string sql)
    {
        await using var cmd = db.DataSource.CreateCommand(sql);
        return Convert.ToString(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [PostgisFact]
    public async Task ExternalKeys_AreImportedAndReimportIsAnUpsertWithDryRunSummary()
    {
        var (db, env) = await Setup();
        await using var _ = db;
        var dir = Path.Combine(_dir, "keys");
        Directory.CreateDirectory(dir);
        try
        {
            var v1 = Path.Combine(dir, "xq-survey.geojson");
            File.WriteAllText(v1, $$"""{"type":"FeatureCollection","features":[{{Feature("\"id\":\"XQ-0012\",\"name\":\"文化路小区\",\"households\":300,\"buildings\":4", 113.65, 34.75)}},{{Feature("\"id\":\"T1\",\"name\":\"纬五路小区\",\"households\":120", 113.66, 34.76)}}]}""");
            var r1 = await CliRunner.RunAsync(["import", v1, "--into", "compounds"], env);
            Assert.True(r1.ExitCode == 0, r1.Stderr);
            Assert.Contains("2 added, 0 changed, 0 unchanged, 0 refused (source 'xq-survey')", r1.Stdout, StringComparison.Ordinal);
            Assert.Equal("2", await Text(db, "SELECT count(*) FROM import_key WHERE kind = 'compound' AND source = 'xq-survey' AND key IN ('XQ-0012', 'T1')"));
            var xqId = await Text(db, "SELECT entity_id FROM import_key WHERE key = 'XQ-0012'");
            Assert.Equal("300", await Text(db, $"SELECT households FROM compound WHERE id = {xqId}"));

            // The corrected file: XQ-0012 has new households (buildings not given: left alone), T1 as before, T2 new.
            var v2 = Path.Combine(dir, "xq-survey-v2.geojson");
            File.WriteAllText(v2, $$"""{"type":"FeatureCollection","features":[{{Feature("\"id\":\"XQ-0012\",\"name\":\"文化路小区\",\"households\":320", 113.65, 34.75)}},{{Feature("\"id\":\"T1\",\"name\":\"纬五路小区\",\"households\":120", 113.66, 34.76)}},{{Feature("\"id\":\"T2\",\"name\":\"新小区\",\"households\":80", 113.67, 34.77)}}]}""");
            var report = Path.Combine(dir, "report.json");
            var dry = await CliRunner.RunAsync(["import", v2, "--into", "compounds", "--source", "xq-survey", "--dry-run", "--report", report], env);
            Assert.True(dry.ExitCode == 0, dry.Stderr);
            Assert.Contains("dry run", dry.Stdout, StringComparison.Ordinal);
            Assert.Contains("1 added, 1 changed, 1 unchanged, 0 refused", dry.Stdout, StringComparison.Ordinal);
            Assert.Contains($"feature #0 (key XQ-0012) → compound {xqId}: households", dry.Stdout, StringComparison.Ordinal);
            Assert.Equal("300", await Text(db, $"SELECT households FROM compound WHERE id = {xqId}"));
            Assert.Equal("2", await Text(db, "SELECT count(*) FROM compound"));
            using (var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(report)))
            {
                var root = doc.RootElement;
                Assert.True(root.GetProperty("dry_run").GetBoolean());
                Assert.False(root.GetProperty("written").GetBoolean());
                Assert.Equal(1, root.GetProperty("added").GetInt32());
                Assert.Equal(1, root.GetProperty("changed").GetInt32());
                Assert.Equal(1, root.GetProperty("unchanged").GetInt32());
                var change = root.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("action").GetString() == "change");
                Assert.Equal("XQ-0012", change.GetProperty("key").GetString());
                Assert.Equal(["households"], change.GetProperty("attributes").EnumerateArray().Select(a => a.GetString()));
            }

            var real = await CliRunner.RunAsync(["import", v2, "--into", "compounds", "--source", "xq-survey"], env);
            Assert.True(real.ExitCode == 0, real.Stderr);
            Assert.Contains("imported 3 compounds: 1 added, 1 changed, 1 unchanged, 0 refused", real.Stdout, StringComparison.Ordinal);
            Assert.Equal("320|4", await Text(db, $"SELECT households || '|' || buildings FROM compound WHERE id = {xqId}"));
            Assert.Equal("3", await Text(db, "SELECT count(*) FROM compound"));
            // Audited: the change with before/after, the addition with its attributes.
            Assert.Equal("300|320", await Text(db, $"SELECT (before->>'households') || '|' || (after->>'households') FROM audit_log WHERE entity = 'compound' AND entity_id = '{xqId}' AND before IS NOT NULL"));
            Assert.Equal("1", await Text(db, "SELECT count(*) FROM audit_log WHERE action = 'import.compounds' AND before IS NULL AND after->>'import_key' = 'T2'"));

            var again = await CliRunner.RunAsync(["import", v2, "--into", "compounds", "--source", "xq-survey"], env);
            Assert.True(again.ExitCode == 0, again.Stderr);
            Assert.Contains("0 added, 0 changed, 3 unchanged", again.Stdout, StringComparison.Ordinal);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [PostgisFact]
    public async Task Refused_DryRun_StillSummarisesTheValidFeatures_AndReportsProblems()
    {
        var (db, env) = await Setup();
        await using var _ = db;
        var file = WriteTemp($$"""{"type":"FeatureCollection","features":[{{Feature("\"id\":\"A\",\"name\":\"好\",\"households\":3", 113.65, 34.75)}},{{Feature("\"id\":\"B\",\"name\":\"坏\",\"households\":\"三\"", 113.66, 34.75)}}]}""");
        var report = Path.Combine(_dir, "report.json");
        try
        {
            var r = await CliRunner.RunAsync(["import", file, "--into", "compounds", "--dry-run", "--report", report], env);
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("feature #1 (id B): property 'households' = '三' is not a whole number", r.Stderr, StringComparison.Ordinal);
            Assert.Contains("1 added, 0 changed, 0 unchanged, 1 refused", r.Stdout, StringComparison.Ordinal);
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(report));
            var p = doc.RootElement.GetProperty("problems").EnumerateArray().Single();
            Assert.Equal(1, p.GetProperty("index").GetInt32());
            Assert.Equal("B", p.GetProperty("id").GetString());
            Assert.Equal(0, await Count(db, "compound"));
        }
        finally { File.Delete(report); }
    }

    [Fact]
    public async Task Import_MissingFile_SaysSoWithoutTouchingTheDatabase()
    {
        var r = await CliRunner.RunAsync(["import", "/nonexistent/x.geojson", "--into", "pipes"],
            new Dictionary<string, string> { ["GRIDMAP_DB"] = "Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x;Timeout=2" });
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("x.geojson", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_DescribesImportOptions()
    {
        var r = await CliRunner.RunAsync(["import", "--help"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("--into", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("--repair", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("--dry-run", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("--report", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("--source", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("Z", r.Stdout, StringComparison.Ordinal);
    }
}
