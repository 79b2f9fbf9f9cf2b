using GridMap.Domain.Demo;
using Npgsql;

namespace GridMap.Storage;

/// <summary>
/// Stores a generated <see cref="DemoCity"/> in one transaction with binary COPY: either the whole city is
/// there afterwards or nothing changed.
/// </summary>
public static class DemoCityLoader
{
    private const string Truncate = """
        TRUNCATE follow_up_visit, valve, pipe, compound, grid_cell, staff, station, heat_source, road,
                 community, street, district, branch RESTART IDENTITY CASCADE
        """;

    private static readonly string CampaignSql = SqlScripts.Get("Demo/campaign_demo.sql");

    /// <summary>The demo campaign (households, visits, stage history, checklist, disputes, follow-ups), generated in SQL from the
    /// loaded compounds; deterministic for a seed and a day (Demo/campaign_demo.sql).</summary>
    private static async Task<ulong> CampaignAsync(NpgsqlConnection conn, NpgsqlTransaction tx, int seed, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(CampaignSql, conn, tx);
        cmd.Parameters.AddWithValue("seed", seed);
        cmd.CommandTimeout = 600;
        return (ulong)Math.Max(0, await cmd.ExecuteNonQueryAsync(ct));
    }

    /// <summary>True when the database holds no compounds (the demo may be loaded).</summary>
    public static async Task<bool> IsEmptyAsync(NpgsqlDataSource db, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT NOT EXISTS (SELECT 1 FROM compound) AND NOT EXISTS (SELECT 1 FROM district)");
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Loads the city. With <paramref name="replace"/> existing campaign data is removed first (same transaction);
    /// without it a non-empty database is refused.
    /// </summary>
    public static async Task LoadAsync(NpgsqlDataSource db, DemoCity city, bool replace, IProgress<(string Step, double Fraction)>? progress = null, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (replace)
        {
            await using var t = new NpgsqlCommand(Truncate, conn, tx);
            await t.ExecuteNonQueryAsync(ct);
        }
        else if (!await IsEmptyAsync(db, ct))
        {
            throw new InvalidOperationException("The database already holds campaign data; use --replace to overwrite it with the demo city.");
        }

        var steps = new (string Name, Func<Task<ulong>> Run)[]
        {
            ("分公司 branches", () => BulkLoader.BranchesAsync(conn, city.Branches, ct)),
            ("行政区 districts", () => BulkLoader.DistrictsAsync(conn, city.Districts, ct)),
            ("街道 streets", () => BulkLoader.StreetsAsync(conn, city.Streets, ct)),
            ("社区 communities", () => BulkLoader.CommunitiesAsync(conn, city.Communities, ct)),
            ("道路 roads", () => BulkLoader.RoadsAsync(conn, city.Roads, ct)),
            ("热源 heat sources", () => BulkLoader.HeatSourcesAsync(conn, city.HeatSources, ct)),
            ("换热站 stations", () => BulkLoader.StationsAsync(conn, city.Stations, ct)),
            ("员工 staff", () => BulkLoader.StaffAsync(conn, city.Staff, ct)),
            ("小区 compounds", () => BulkLoader.CompoundsAsync(conn, city.Compounds, ct)),
            ("管道 pipes", () => BulkLoader.PipesAsync(conn, city.Pipes, ct)),
            ("阀门 valves", () => BulkLoader.ValvesAsync(conn, city.Valves, ct)),
            ("连接关系 connections", () => BulkLoader.ConnectionsAsync(conn, city.Connections, "demo", ct)),
            ("网格与改造进度 cells and campaign", () => CampaignAsync(conn, tx, city.Seed, ct)),
        };
        for (var i = 0; i < steps.Length; i++)
        {
            progress?.Report((steps[i].Name, (double)i / steps.Length));
            await steps[i].Run();
        }
        await tx.CommitAsync(ct);
        progress?.Report(("ANALYZE", 1.0));
        await using var analyze = new NpgsqlCommand("ANALYZE", conn);
        await analyze.ExecuteNonQueryAsync(ct);
    }
}
