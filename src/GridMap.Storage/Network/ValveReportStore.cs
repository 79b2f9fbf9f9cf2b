using Npgsql;

namespace GridMap.Storage.Network;

/// <summary>A field record on a valve as stored (migration 0017): position WGS84, <see cref="DistanceM"/> from the valve when a position was given.</summary>
public sealed record ValveReportRow(long Id, long ValveId, string Condition, string Note, double? Lon, double? Lat, double? AccuracyM,
    string ReportedBy, DateTimeOffset ReportedAt, double? DistanceM, long? PhotoId = null);

/// <summary>What a field record needs to know of its valve: recorded state and operability, the condition in force, its branches.</summary>
public sealed record ValveFacts(long Id, string State, bool Operable, string? Condition, IReadOnlyList<int> Branches);

/// <summary>Reads and appends field records on valves. Appends run inside the write pipeline's session.</summary>
public sealed class ValveReportStore(NpgsqlDataSource db)
{
    private static readonly string InsertSql = SqlScripts.Get("Network/valve_report_insert.sql");
    private static readonly string ListSql = SqlScripts.Get("Network/valve_reports.sql");
    private static readonly string FactsSql = SqlScripts.Get("Network/valve_facts.sql");

    /// <summary>The valve, or null when there is none with that id.</summary>
    public async Task<ValveFacts?> FactsAsync(long valveId, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(FactsSql);
        cmd.Parameters.AddWithValue("valve", valveId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new ValveFacts(r.GetInt64(0), r.GetString(1), r.GetBoolean(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetFieldValue<int[]>(4));
    }

    /// <summary>The valve's field records, newest first (at most <paramref name="limit"/>), or only record <paramref name="reportId"/> of it.</summary>
    public async Task<IReadOnlyList<ValveReportRow>> ListAsync(long valveId, int limit, long? reportId = null, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(ListSql);
        cmd.Parameters.AddWithValue("valve", valveId);
        cmd.Parameters.AddWithValue("report", NpgsqlTypes.NpgsqlDbType.Bigint, (object?)reportId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("limit", limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<ValveReportRow>();
        while (await r.ReadAsync(ct)) list.Add(Read(r));
        return list;
    }

    /// <summary>Appends a record in the caller's transaction.</summary>
    public static async Task<ValveReportRow> AppendAsync(DbSession session, long valveId, string condition, string note, double? lon, double? lat,
        double? accuracyM, string reportedBy, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using var cmd = session.Command(InsertSql);
        cmd.Parameters.AddWithValue("valve", valveId);
        cmd.Parameters.AddWithValue("condition", condition);
        cmd.Parameters.AddWithValue("note", note);
        cmd.Parameters.AddWithValue("lon", NpgsqlTypes.NpgsqlDbType.Double, (object?)lon ?? DBNull.Value);
        cmd.Parameters.AddWithValue("lat", NpgsqlTypes.NpgsqlDbType.Double, (object?)lat ?? DBNull.Value);
        cmd.Parameters.AddWithValue("accuracy", NpgsqlTypes.NpgsqlDbType.Double, (object?)accuracyM ?? DBNull.Value);
        cmd.Parameters.AddWithValue("by", reportedBy);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return Read(r);
    }

    private static ValveReportRow Read(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3),
        r.IsDBNull(4) ? null : r.GetDouble(4), r.IsDBNull(5) ? null : r.GetDouble(5), r.IsDBNull(6) ? null : r.GetDouble(6),
        r.GetString(7), r.GetFieldValue<DateTimeOffset>(8), r.IsDBNull(9) ? null : Math.Round(r.GetDouble(9), 1), r.IsDBNull(10) ? null : r.GetInt64(10));
}
