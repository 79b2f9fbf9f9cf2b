using System.Diagnostics;
using System.Globalization;
using System.Text;
using GridMap.Tests.Shared;
using Npgsql;
using Xunit.Abstractions;

namespace GridMap.Cli.Tests;

/// <summary>
/// Fault: `gridmap import` (the real program, a child process) killed with SIGKILL mid-way through writing a large file.
/// The database then holds none of that file: no compound, no audit entry — the import is one transaction, and a
/// transaction whose client vanished is rolled back by PostgreSQL.
/// </summary>
public sealed class ImportKillFaultTests(ITestOutputHelper output)
{
    private const string Districts = """
        INSERT INTO branch VALUES (1, '东区', ST_Multi(ST_GeomFromText('POLYGON((113.0 34.0,115.0 34.0,115.0 36.0,113.0 36.0,113.0 34.0))', 4326)));
        INSERT INTO district VALUES ('410105', '金水区', 1, ST_Multi(ST_GeomFromText('POLYGON((113.0 34.0,115.0 34.0,115.0 36.0,113.0 36.0,113.0 34.0))', 4326)));
        """;

    /// <summary>A GeoJSON file of <paramref name="n"/> valid compounds (small squares on a grid inside the district).</summary>
    private static string LargeFile(int n)
    {
        var path = Path.Combine(Path.GetTempPath(), $"gm-kill-{Guid.NewGuid():N}.geojson");
        using var w = new StreamWriter(path, false, new UTF8Encoding(false));
        w.Write("{\"type\":\"FeatureCollection\",\"features\":[");
        for (var i = 0; i < n; i++)
        {
            var x = 113.1 + i % 1000 * 0.0012;
            var y = 34.3 + i / 1000 * 0.0012;
            const double d = 0.001;
            if (i > 0) w.Write(',');
            w.Write(string.Create(CultureInfo.InvariantCulture,
                $"{{\"type\":\"Feature\",\"properties\":{{\"name\":\"压测小区{i}\",\"households\":{50 + i % 400}}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[[[{x:0.######},{y:0.######}],[{x + d:0.######},{y:0.######}],[{x + d:0.######},{y + d:0.######}],[{x:0.######},{y + d:0.######}],[{x:0.######},{y:0.######}]]]}}}}"));
        }
        w.Write("]}");
        return path;
    }

    private static async Task<long> Scalar(TestDatabase db, string sql)
    {
        await using var cmd = db.DataSource.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    [PostgisFact]
    public async Task ImportKilledMidWrite_LeavesNoneOfTheFile()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var cmd = db.DataSource.CreateCommand(Districts)) await cmd.ExecuteNonQueryAsync();
        var file = LargeFile(200_000);
        try
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "gridmap.dll"), "import", file, "--into", "compounds" }) psi.ArgumentList.Add(a);
            // Named so the test can see the import's own session in pg_stat_activity.
            psi.Environment["GRIDMAP_DB"] = new NpgsqlConnectionStringBuilder(db.ConnectionString) { ApplicationName = "gm-kill-test" }.ConnectionString;
            var sw = Stopwatch.StartNew();
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();

            // Mid-way: the import's transaction is open and writing (a COPY or INSERT running in it).
            var seenWriting = TimeSpan.Zero;
            string? query = null;
            while (sw.Elapsed < TimeSpan.FromMinutes(4) && !p.HasExited)
            {
                await using var cmd = db.DataSource.CreateCommand("""
                    SELECT query FROM pg_stat_activity
                    WHERE datname = current_database() AND application_name = 'gm-kill-test' AND xact_start IS NOT NULL
                      AND (query ILIKE '%COPY%' OR query ILIKE '%INSERT%')
                    LIMIT 1
                    """);
                if (await cmd.ExecuteScalarAsync() is string q) { query = q; seenWriting = sw.Elapsed; break; }
                await Task.Delay(20);
            }
            if (p.HasExited) Assert.Fail($"the import finished before it could be killed: {await stdout} {await stderr}");
            Assert.NotNull(query);
            Assert.False(p.HasExited, "the import ended as soon as it started writing: use a larger file");
            p.Kill(entireProcessTree: true); // SIGKILL: no finally blocks, no rollback sent by the client
            await p.WaitForExitAsync();
            var killedAt = sw.Elapsed;

            // PostgreSQL notices the dead client and rolls its transaction back; wait until its session is gone.
            var gone = Stopwatch.StartNew();
            while (await Scalar(db, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'gm-kill-test'") > 0)
            {
                Assert.True(gone.Elapsed < TimeSpan.FromSeconds(60), "the killed import's session is still there after 60 s");
                await Task.Delay(50);
            }
            output.WriteLine($"writing seen at {seenWriting.TotalSeconds:0.00} s ({query![..Math.Min(60, query.Length)]}…), killed at {killedAt.TotalSeconds:0.00} s (exit {p.ExitCode}), session gone {gone.Elapsed.TotalMilliseconds:0} ms later");
            Assert.NotEqual(0, p.ExitCode);
            Assert.Equal(0, await Scalar(db, "SELECT count(*) FROM compound"));
            Assert.Equal(0, await Scalar(db, "SELECT count(*) FROM audit_log"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
