using Npgsql;

namespace GridMap.Storage.Campaign;

/// <summary>Read side of the retrofit campaign: compound and pipe details, search, stage statistics, table counts.</summary>
public sealed class CampaignStore(NpgsqlDataSource db)
{
    private static readonly string CompoundSql = SqlScripts.Get("Queries/compound_details.sql");
    private static readonly string PipeSql = SqlScripts.Get("Queries/pipe_details.sql");
    private static readonly string StatsSql = SqlScripts.Get("Queries/retrofit_stats.sql");
    private static readonly string CountsSql = SqlScripts.Get("Queries/table_counts.sql");
    private static readonly string ExtentSql = SqlScripts.Get("Queries/district_extent.sql");
    private static readonly string SearchSql = SqlScripts.Get("Queries/compound_search.sql");

    /// <summary>Details of one compound, or null if there is no such compound.</summary>
    public async Task<CompoundDetails?> CompoundAsync(int id, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(CompoundSql);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new CompoundDetails(r.GetInt32(0), r.GetString(1), Text(r, 2), r.GetString(3), r.GetString(4), Text(r, 5), Text(r, 6), Text(r, 7), Text(r, 8),
            r.GetInt32(9), r.GetInt32(10), r.GetDouble(11), Int(r, 12), r.GetString(13), r.GetString(14), r.GetString(15),
            r.GetDouble(16), r.GetBoolean(17), Text(r, 18), r.GetBoolean(19), r.GetString(20), Int(r, 21), Int(r, 22), Text(r, 23),
            Text(r, 24), Text(r, 25), Int(r, 26), Text(r, 27), Text(r, 28), r.GetDouble(29), [r.GetDouble(30), r.GetDouble(31)], r.GetInt64(32))
        {
            Revision = r.GetInt64(33), FeeCollector = Text(r, 34), AcceptancePassed = r.IsDBNull(35) ? null : r.GetBoolean(35), HouseholdsRecorded = r.GetInt32(36),
        };
    }

    /// <summary>Details of one pipe, or null if there is no such pipe.</summary>
    public async Task<PipeDetails?> PipeAsync(long id, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(PipeSql);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new PipeDetails(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetString(4), Int(r, 5), r.GetDouble(6), r.GetString(7),
            Int(r, 8), Text(r, 9), r.GetDouble(10), r.GetFieldValue<long[]>(11));
    }

    /// <summary>Every campaign stage in order with its compounds and households (zero rows included).</summary>
    public async Task<IReadOnlyList<StageCount>> RetrofitStatsAsync(string? districtCode, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(StatsSql);
        cmd.Parameters.Add(new NpgsqlParameter("district", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)districtCode ?? DBNull.Value });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<StageCount>();
        while (await r.ReadAsync(ct)) list.Add(new StageCount(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetInt64(3), r.GetInt32(4)));
        return list;
    }

    /// <summary>[minLon, minLat, maxLon, maxLat] of a district's compounds (its polygon when it has none).</summary>
    public async Task<double[]> DistrictExtentAsync(string code, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(ExtentSql);
        cmd.Parameters.AddWithValue("district", code);
        var g = await cmd.ExecuteScalarAsync(ct) as NetTopologySuite.Geometries.Geometry;
        var e = g?.EnvelopeInternal ?? throw new KeyNotFoundException($"没有编码为 '{code}' 的行政区 (No district with code '{code}').");
        return [e.MinX, e.MinY, e.MaxX, e.MaxY];
    }

    /// <summary>Row counts of the main tables.</summary>
    public async Task<TableCounts> CountsAsync(CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(CountsSql);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new TableCounts(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7));
    }

    /// <summary>Compounds whose name or address contains <paramref name="query"/> (case-insensitive), best matches
    /// (name prefix) first, at most <paramref name="limit"/> (1–100).</summary>
    public async Task<IReadOnlyList<CompoundHit>> SearchAsync(string query, int limit, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(SearchSql);
        cmd.Parameters.AddWithValue("q", query.Trim());
        cmd.Parameters.AddWithValue("limit", limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<CompoundHit>();
        while (await r.ReadAsync(ct))
            list.Add(new CompoundHit(r.GetInt32(0), r.GetString(1), Text(r, 2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetInt32(6), [r.GetDouble(7), r.GetDouble(8)]));
        return list;
    }

    /// <summary>True when the district code exists.</summary>
    public async Task<bool> DistrictExistsAsync(string code, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT EXISTS (SELECT 1 FROM district WHERE code = @c)");
        cmd.Parameters.AddWithValue("c", code);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    private static int? Int(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt32(i);
}
