using GridMap.Tests.Shared;

namespace GridMap.Cli.Tests;

public class ImportCommandTests
{
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

    private static string WriteTemp(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"gm-import-{Guid.NewGuid():N}.geojson");
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
    public async Task Import_IdClashWithStoredRow_RollsBackWholeFile()
    {
        var (db, env) = await Setup();
        await using var _ = db;
        var first = WriteTemp($$"""{"type":"FeatureCollection","features":[{{Feature("\"id\":2,\"name\":\"a\",\"households\":1", 113.65, 34.75)}}]}""");
        Assert.Equal(0, (await CliRunner.RunAsync(["import", first, "--into", "compounds"], env)).ExitCode);
        var second = WriteTemp($$"""{"type":"FeatureCollection","features":[{{Feature("\"id\":1,\"name\":\"b\",\"households\":1", 113.66, 34.75)}},{{Feature("\"id\":2,\"name\":\"c\",\"households\":1", 113.67, 34.75)}}]}""");
        var r = await CliRunner.RunAsync(["import", second, "--into", "compounds"], env);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("duplicate key", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, await Count(db, "compound"));
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
    }
}
