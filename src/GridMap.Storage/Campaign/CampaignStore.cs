using Npgsql;

namespace GridMap.Storage.Campaign;

/// <summary>Compounds, households and counts per campaign stage.</summary>
public sealed record StageCount(string Status, string Label, int Compounds, long Households, int Disputes);

/// <summary>Read side of the retrofit campaign: compound and pipe details, stage statistics, table counts.</summary>
public sealed class CampaignStore(NpgsqlDataSource db)
{
    private static readonly string CompoundSql = SqlScripts.Get("Queries/compound_details.sql");
    private static readonly string PipeSql = SqlScripts.Get("Queries/pipe_details.sql");
    private static readonly string StatsSql = SqlScripts.Get("Queries/retrofit_stats.sql");
    private static readonly string CountsSql = SqlScripts.Get("Queries/table_counts.sql");
    private static readonly string ExtentSql = SqlScripts.Get("Queries/district_extent.sql");
    private static readonly string SearchSql = SqlScripts.Get("Queries/compound_search.sql");

    /// <summary>Details of one compound as JSON text, or null if there is no such compound.</summary>
    public Task<string?> CompoundJsonAsync(int id, CancellationToken ct = default) => ScalarJson(CompoundSql, id, ct);

    /// <summary>Details of one pipe as JSON text, or null if there is no such pipe.</summary>
    public Task<string?> PipeJsonAsync(long id, CancellationToken ct = default) => ScalarJson(PipeSql, id, ct);

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
        var e = g?.EnvelopeInternal ?? throw new KeyNotFoundException($"No district with code '{code}'.");
        return [e.MinX, e.MinY, e.MaxX, e.MaxY];
    }

    /// <summary>Row counts of the main tables as JSON text.</summary>
    public async Task<string> CountsJsonAsync(CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(CountsSql);
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Compounds whose name or address contains <paramref name="query"/> (case-insensitive), best matches
    /// (name prefix) first, at most <paramref name="limit"/> (1–100): id, name, district, status, households, centroid.</summary>
    public async Task<string> SearchJsonAsync(string query, int limit, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(query)) throw new ArgumentException("q must not be empty.");
        if (limit is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(limit), limit, "limit must be between 1 and 100.");
        await using var cmd = db.CreateCommand(SearchSql);
        cmd.Parameters.AddWithValue("q", query.Trim());
        cmd.Parameters.AddWithValue("limit", limit);
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>True when the district code exists.</summary>
    public async Task<bool> DistrictExistsAsync(string code, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT EXISTS (SELECT 1 FROM district WHERE code = @c)");
        cmd.Parameters.AddWithValue("c", code);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private async Task<string?> ScalarJson<T>(string sql, T id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.AddWithValue("id", id!);
        return await cmd.ExecuteScalarAsync(ct) as string;
    }
}
