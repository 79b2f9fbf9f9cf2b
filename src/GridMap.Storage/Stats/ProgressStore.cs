using Npgsql;
using NpgsqlTypes;

namespace GridMap.Storage.Stats;

/// <summary>A scope of the campaign statistics: the city (both null), one branch or one district.</summary>
public sealed record ProgressScope(int? Branch, string? District)
{
    public static ProgressScope City { get; } = new(null, null);
}

/// <summary>
/// Raw figures of one unit (branch, district, street or cell): compounds and households per stage (in
/// <c>retrofit_stage.ord</c> order), the household-weighted consent sum (Σ households × consent rate), disputed
/// compounds and overdue follow-ups. <paramref name="Code"/> null = the compounds of the scope that belong to no unit
/// of the level (no street or no cell).
/// </summary>
public sealed record ProgressUnitRow(
    string? Code, string? Name, string? Parent, string? ParentName, int? BranchId,
    int[] CompoundsByStage, long[] HouseholdsByStage, double ConsentHouseholds, int Disputes, int OverdueFollowUps);

/// <summary>One disputed compound: where it is (WGS84 point on its footprint), the latest open dispute's summary and owner, how
/// many of its disputes are not resolved (of them in progress) and when the oldest was opened (0 and null for a compound
/// flagged disputed without a dispute record).</summary>
public sealed record DisputeRow(int Id, string Name, string DistrictCode, string DistrictName, string? CellCode, string? CellName,
    int Households, string RetrofitStatus, string? Notes, double Lon, double Lat,
    int OpenCount, int InProgress, DateTimeOffset? OldestOpenedAt, string? Owner);

/// <summary>Completed households of one unit (null = no unit of the level) at one time.</summary>
public sealed record TimelineRow(DateTimeOffset At, string? Unit, long Completed);

/// <summary>Read side of the progress dashboard: per-unit figures, open disputes and the completion timeline.
/// Levels are <c>branch</c>, <c>district</c>, <c>street</c>, <c>cell</c> (checked by the caller; the SQL binds them).</summary>
public sealed class ProgressStore(NpgsqlDataSource db)
{
    private static readonly string UnitsSql = SqlScripts.Get("Stats/progress_units.sql");
    private static readonly string StagesSql = SqlScripts.Get("Stats/progress_stages.sql");
    private static readonly string DisputesSql = SqlScripts.Get("Stats/progress_disputes.sql");
    private static readonly string TimelineSql = SqlScripts.Get("Stats/progress_timeline.sql");
    private static readonly string HistoryStartSql = SqlScripts.Get("Stats/progress_history_start.sql");
    private static readonly string ScopeNameSql = SqlScripts.Get("Stats/progress_scope_name.sql");

    /// <summary>Name of the branch or district of <paramref name="scope"/>, or null when it does not exist.</summary>
    public async Task<string?> ScopeNameAsync(ProgressScope scope, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(ScopeNameSql);
        Bind(cmd.Parameters, "branch", scope);
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    /// <summary>The campaign stages in order: (code, Chinese label).</summary>
    public async Task<IReadOnlyList<(string Code, string Label)>> StagesAsync(CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(StagesSql);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<(string, string)>();
        while (await r.ReadAsync(ct)) list.Add((r.GetString(0), r.GetString(1)));
        return list;
    }

    /// <summary>Every unit of <paramref name="level"/> inside <paramref name="scope"/>, ordered by code, plus a last row with a
    /// null code when some compounds of the scope belong to no unit of the level; <c>now()</c> of the same statement.</summary>
    public async Task<(IReadOnlyList<ProgressUnitRow> Rows, DateTimeOffset AsOf)> UnitsAsync(string level, ProgressScope scope, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn);
        var q = new NpgsqlBatchCommand(UnitsSql);
        Bind(q.Parameters, level, scope);
        batch.BatchCommands.Add(q);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT now()"));
        await using var r = await batch.ExecuteReaderAsync(ct);
        var list = new List<ProgressUnitRow>();
        while (await r.ReadAsync(ct))
            list.Add(new ProgressUnitRow(Text(r, 0), Text(r, 1), Text(r, 2), Text(r, 3), r.IsDBNull(4) ? null : r.GetInt32(4),
                r.GetFieldValue<int[]>(5), r.GetFieldValue<long[]>(6), r.GetDouble(7), r.GetInt32(8), r.GetInt32(9)));
        await r.NextResultAsync(ct);
        await r.ReadAsync(ct);
        return (list, r.GetFieldValue<DateTimeOffset>(0));
    }

    /// <summary>Disputed compounds inside the scope, the longest open first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<DisputeRow>> DisputesAsync(ProgressScope scope, int limit, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(DisputesSql);
        Bind(cmd.Parameters, "branch", scope);
        cmd.Parameters.AddWithValue("limit", limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<DisputeRow>();
        while (await r.ReadAsync(ct))
            list.Add(new DisputeRow(r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetString(3), Text(r, 4), Text(r, 5), r.GetInt32(6),
                r.GetString(7), Text(r, 8), r.GetDouble(9), r.GetDouble(10),
                r.GetInt32(11), r.GetInt32(12), r.IsDBNull(13) ? null : r.GetFieldValue<DateTimeOffset>(13), Text(r, 14)));
        return list;
    }

    /// <summary>When recorded stage history begins (the first audited stage change), or null when there is none.</summary>
    public async Task<DateTimeOffset?> HistoryStartAsync(CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(HistoryStartSql);
        return await cmd.ExecuteScalarAsync(ct) is DateTime t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
    }

    /// <summary>Completed households per unit of <paramref name="level"/> at weekly points from <paramref name="from"/> to now
    /// (the last point is now). Units with none completed at a point are absent from it.</summary>
    public async Task<IReadOnlyList<TimelineRow>> TimelineAsync(string level, ProgressScope scope, DateTimeOffset from, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(TimelineSql);
        Bind(cmd.Parameters, level, scope);
        cmd.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = from.UtcDateTime });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<TimelineRow>();
        while (await r.ReadAsync(ct))
            list.Add(new TimelineRow(r.GetFieldValue<DateTimeOffset>(0), Text(r, 1), r.GetInt64(2)));
        return list;
    }

    private static void Bind(NpgsqlParameterCollection p, string level, ProgressScope scope)
    {
        p.Add(new NpgsqlParameter("by", NpgsqlDbType.Text) { Value = level });
        p.Add(new NpgsqlParameter("branch", NpgsqlDbType.Integer) { Value = (object?)scope.Branch ?? DBNull.Value });
        p.Add(new NpgsqlParameter("district", NpgsqlDbType.Text) { Value = (object?)scope.District ?? DBNull.Value });
    }

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
