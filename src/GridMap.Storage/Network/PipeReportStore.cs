using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace GridMap.Storage.Network;

/// <summary>What a pipe record and its review need to know of the pipe: DN, depth (m), level, line (WGS84), branches.</summary>
public sealed record PipeFacts(long Id, int Dn, double DepthM, string Level, LineString Geometry, IReadOnlyList<int> Branches);

/// <summary>A field record on a pipe to append (migration 0018). Only the members of its <see cref="Kind"/> are set.</summary>
/// <param name="OffsetM">Measured offset from the drawn line, metres (0–50], with <see cref="Side"/> left or right looking along the pipe.</param>
/// <param name="Geometry">The measured line (WGS84) of a <c>geometry</c> record.</param>
public sealed record PipeReportDraft(long PipeId, string Kind, double? DepthM, int? FoundDn, double? OffsetM, string? Side,
    double? ValveLon, double? ValveLat, LineString? Geometry, string Note, double? Lon, double? Lat, double? AccuracyM, string ReportedBy);

/// <summary>A field record on a pipe as stored, with its review when there is one and its photo id when there is one.
/// Positions WGS84; <see cref="DistanceM"/> from the reported position to the pipe as mapped (m).</summary>
public sealed record PipeReportRow(long Id, long PipeId, string Kind, double? DepthM, int? FoundDn, double? OffsetM, string? Side,
    double? ValveLon, double? ValveLat, LineString? Proposed, bool NeedsReview, string Note, double? Lon, double? Lat, double? AccuracyM,
    double? DistanceM, string ReportedBy, DateTimeOffset ReportedAt, string? Outcome, string? Reason, string? ReviewedBy, DateTimeOffset? ReviewedAt,
    long? PhotoId);

/// <summary>A stored photo of a field record.</summary>
public sealed record FieldPhotoRow(string ContentType, byte[] Bytes, string Sha256);

/// <summary>Field records on pipes, their reviews, and the photos of field records (valve and pipe). Writes run in the
/// write pipeline's session; reads on the data source.</summary>
public sealed class PipeReportStore(NpgsqlDataSource db)
{
    private static readonly string FactsSql = SqlScripts.Get("Network/pipe_facts.sql");
    private static readonly string InsertSql = SqlScripts.Get("Network/pipe_report_insert.sql");
    private static readonly string ListSql = SqlScripts.Get("Network/pipe_reports.sql");
    private static readonly string ReviewSql = SqlScripts.Get("Network/pipe_report_review.sql");
    private static readonly string ApplyGeometrySql = SqlScripts.Get("Network/pipe_apply_geometry.sql");
    private static readonly string ApplyDnSql = SqlScripts.Get("Network/pipe_apply_dn.sql");
    private static readonly string ApplyValveSql = SqlScripts.Get("Network/pipe_apply_valve.sql");
    private static readonly string PhotoInsertSql = SqlScripts.Get("Network/field_photo_insert.sql");
    private static readonly string PhotoSql = SqlScripts.Get("Network/field_photo.sql");

    /// <summary>The pipe, or null when there is none with that id.</summary>
    public async Task<PipeFacts?> FactsAsync(long pipeId, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(FactsSql);
        cmd.Parameters.AddWithValue("pipe", pipeId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new PipeFacts(r.GetInt64(0), r.GetInt32(1), r.GetDouble(2), r.GetString(3), r.GetFieldValue<LineString>(4), r.GetFieldValue<int[]>(5));
    }

    /// <summary>Records of one pipe (newest first), or with <paramref name="pendingOnly"/> the records of every pipe that wait for review (oldest first).</summary>
    public async Task<IReadOnlyList<PipeReportRow>> ListAsync(long? pipeId, bool pendingOnly, int limit, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(ListSql);
        return await ReadListAsync(cmd, pipeId, null, pendingOnly, limit, ct);
    }

    /// <summary>One record (null when there is none), read in the caller's transaction when <paramref name="session"/> is given.</summary>
    public async Task<PipeReportRow?> GetAsync(long reportId, DbSession? session = null, CancellationToken ct = default)
    {
        await using var cmd = session?.Command(ListSql) ?? db.CreateCommand(ListSql);
        return (await ReadListAsync(cmd, null, reportId, false, 1, ct)).FirstOrDefault();
    }

    private static async Task<IReadOnlyList<PipeReportRow>> ReadListAsync(NpgsqlCommand cmd, long? pipeId, long? reportId, bool pending, int limit, CancellationToken ct)
    {
        cmd.Parameters.AddWithValue("pipe", NpgsqlDbType.Bigint, (object?)pipeId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("report", NpgsqlDbType.Bigint, (object?)reportId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("pending", pending);
        cmd.Parameters.AddWithValue("limit", limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<PipeReportRow>();
        while (await r.ReadAsync(ct))
            list.Add(new PipeReportRow(r.GetInt64(0), r.GetInt64(1), r.GetString(2), D(r, 3), r.IsDBNull(4) ? null : r.GetInt32(4), D(r, 5),
                r.IsDBNull(6) ? null : r.GetString(6), D(r, 7), D(r, 8), r.IsDBNull(9) ? null : r.GetFieldValue<LineString>(9), r.GetBoolean(10),
                r.GetString(11), D(r, 12), D(r, 13), D(r, 14), D(r, 15) is { } d ? Math.Round(d, 1) : null, r.GetString(16), r.GetFieldValue<DateTimeOffset>(17),
                r.IsDBNull(18) ? null : r.GetString(18), r.IsDBNull(19) ? null : r.GetString(19), r.IsDBNull(20) ? null : r.GetString(20),
                r.IsDBNull(21) ? null : r.GetFieldValue<DateTimeOffset>(21), r.IsDBNull(22) ? null : r.GetInt64(22)));
        return list;
    }

    private static double? D(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);

    /// <summary>Appends a record in the caller's transaction; returns its id.</summary>
    public static async Task<long> AppendAsync(DbSession session, PipeReportDraft d, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(d);
        await using var cmd = session.Command(InsertSql);
        cmd.Parameters.AddWithValue("pipe", d.PipeId);
        cmd.Parameters.AddWithValue("kind", d.Kind);
        cmd.Parameters.AddWithValue("depth", NpgsqlDbType.Double, (object?)d.DepthM ?? DBNull.Value);
        cmd.Parameters.AddWithValue("dn", NpgsqlDbType.Integer, (object?)d.FoundDn ?? DBNull.Value);
        cmd.Parameters.AddWithValue("offset", NpgsqlDbType.Double, (object?)d.OffsetM ?? DBNull.Value);
        cmd.Parameters.AddWithValue("side", NpgsqlDbType.Text, (object?)d.Side ?? DBNull.Value);
        cmd.Parameters.AddWithValue("vlon", NpgsqlDbType.Double, (object?)d.ValveLon ?? DBNull.Value);
        cmd.Parameters.AddWithValue("vlat", NpgsqlDbType.Double, (object?)d.ValveLat ?? DBNull.Value);
        cmd.Parameters.Add(new NpgsqlParameter("geom", NpgsqlDbType.Geometry) { Value = (object?)d.Geometry ?? DBNull.Value });
        cmd.Parameters.AddWithValue("note", d.Note);
        cmd.Parameters.AddWithValue("lon", NpgsqlDbType.Double, (object?)d.Lon ?? DBNull.Value);
        cmd.Parameters.AddWithValue("lat", NpgsqlDbType.Double, (object?)d.Lat ?? DBNull.Value);
        cmd.Parameters.AddWithValue("accuracy", NpgsqlDbType.Double, (object?)d.AccuracyM ?? DBNull.Value);
        cmd.Parameters.AddWithValue("by", d.ReportedBy);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Appends the review of a record in the caller's transaction (a second review violates the primary key).</summary>
    public static async Task ReviewAsync(DbSession session, long reportId, string outcome, string reason, string reviewedBy, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        await session.ExecuteAsync(ReviewSql, ct, ("report", reportId), ("outcome", outcome), ("reason", reason), ("by", reviewedBy));
    }

    /// <summary>Applies an accepted record to its pipe in the caller's transaction: the proposed line, the DN found, or a new
    /// valve (its id returned). Depth records change nothing.</summary>
    public static async Task<long?> ApplyAsync(DbSession session, long reportId, string kind, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        switch (kind)
        {
            case "offset" or "geometry":
                await session.ExecuteAsync(ApplyGeometrySql, ct, ("report", reportId));
                return null;
            case "wrong_dn":
                await session.ExecuteAsync(ApplyDnSql, ct, ("report", reportId));
                return null;
            case "missing_valve":
                await session.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext('gridmap.valve.id'))", ct);
                await using (var cmd = session.Command(ApplyValveSql))
                {
                    cmd.Parameters.AddWithValue("report", reportId);
                    return (long)(await cmd.ExecuteScalarAsync(ct))!;
                }
            default:
                return null;
        }
    }

    /// <summary>Appends the photo of a valve record or a pipe record (exactly one of the two ids) in the caller's transaction.</summary>
    public static async Task<long> AddPhotoAsync(DbSession session, long? valveReportId, long? pipeReportId, string contentType, byte[] bytes,
        string sha256, string uploadedBy, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using var cmd = session.Command(PhotoInsertSql);
        cmd.Parameters.AddWithValue("valve_report", NpgsqlDbType.Bigint, (object?)valveReportId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("pipe_report", NpgsqlDbType.Bigint, (object?)pipeReportId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("type", contentType);
        cmd.Parameters.AddWithValue("bytes", NpgsqlDbType.Bytea, bytes);
        cmd.Parameters.AddWithValue("sha", sha256);
        cmd.Parameters.AddWithValue("by", uploadedBy);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The photo of a valve record or a pipe record, or null.</summary>
    public async Task<FieldPhotoRow?> PhotoAsync(long? valveReportId, long? pipeReportId, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(PhotoSql);
        cmd.Parameters.AddWithValue("valve_report", NpgsqlDbType.Bigint, (object?)valveReportId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("pipe_report", NpgsqlDbType.Bigint, (object?)pipeReportId ?? DBNull.Value);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new FieldPhotoRow(r.GetString(0), r.GetFieldValue<byte[]>(1), r.GetString(2));
    }
}
