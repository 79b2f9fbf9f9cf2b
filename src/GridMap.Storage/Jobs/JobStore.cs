using Npgsql;
using NpgsqlTypes;

namespace GridMap.Storage.Jobs;

/// <summary>A queued job as a worker claims it: its kind, JSON payload, label for people, who queued it, and which attempt this is (1-based).</summary>
public sealed record ClaimedJob(string Id, string Kind, string PayloadJson, string Label, string CreatedBy, int Attempt);

/// <summary>A job row as callers see it. <see cref="Fraction"/> 0–1; <see cref="Now"/> is the database clock when read (elapsed time without clock skew).</summary>
public sealed record JobRow(string Id, string Kind, string Label, string Status, string Stage, double Fraction, string? ResultJson, string? Error,
    string? ErrorRule, bool CancelRequested, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    string? Worker, int Attempts, DateTimeOffset Now);

/// <summary>
/// The background job queue in PostgreSQL (table background_job): enqueue, claim with FOR UPDATE SKIP LOCKED, progress
/// and heartbeat, finish, cancel, and re-queue jobs whose worker died. Every method is one statement, so it is safe
/// from any number of threads and instances.
/// </summary>
public sealed class JobStore(NpgsqlDataSource db)
{
    private static readonly string ClaimSql = SqlScripts.Get("Jobs/job_claim.sql");
    private static readonly string RequeueSql = SqlScripts.Get("Jobs/job_requeue_stale.sql");
    private static readonly string SelectSql = SqlScripts.Get("Jobs/job_select.sql");

    /// <summary>Queues a job; returns its id (12 hex digits).</summary>
    public async Task<string> EnqueueAsync(string kind, string payloadJson, string label, string createdBy, CancellationToken ct = default)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        await using var cmd = db.CreateCommand("INSERT INTO background_job (id, kind, payload, label, created_by) VALUES (@id, @kind, @payload::jsonb, @label, @by)");
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("kind", kind);
        cmd.Parameters.AddWithValue("payload", payloadJson);
        cmd.Parameters.AddWithValue("label", label);
        cmd.Parameters.AddWithValue("by", createdBy);
        await cmd.ExecuteNonQueryAsync(ct);
        return id;
    }

    /// <summary>Claims the oldest queued job of one of <paramref name="kinds"/> (any kind when null) for <paramref name="worker"/>, or null when none waits.</summary>
    public async Task<ClaimedJob?> ClaimAsync(string worker, IReadOnlyCollection<string>? kinds, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(ClaimSql);
        cmd.Parameters.AddWithValue("worker", worker);
        cmd.Parameters.Add(new NpgsqlParameter("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = kinds is null ? DBNull.Value : kinds.ToArray() });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new ClaimedJob(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt32(5));
    }

    /// <summary>Writes progress and the heartbeat of a running job; returns true when someone asked to cancel it.</summary>
    public async Task<bool> ReportAsync(string id, string worker, string stage, double fraction, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("""
            UPDATE background_job SET stage = @stage, fraction = greatest(fraction, @fraction), heartbeat_at = clock_timestamp()
            WHERE id = @id AND worker = @worker AND status = 'running' RETURNING cancel_requested
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("worker", worker);
        cmd.Parameters.AddWithValue("stage", stage);
        cmd.Parameters.AddWithValue("fraction", Math.Clamp(fraction, 0, 1));
        // No row: the job was re-queued (our heartbeat was late) or removed — stop working on it.
        return await cmd.ExecuteScalarAsync(ct) is not bool cancel || cancel;
    }

    /// <summary>Ends a running job held by <paramref name="worker"/>: succeeded (with a result), failed (error, rule code) or cancelled.</summary>
    public async Task FinishAsync(string id, string worker, string status, string? resultJson, string? error, string? errorRule, CancellationToken ct = default)
    {
        if (status is not ("succeeded" or "failed" or "cancelled")) throw new ArgumentException($"'{status}' is not a final job status.", nameof(status));
        await using var cmd = db.CreateCommand("""
            UPDATE background_job SET status = @status, stage = CASE WHEN @status = 'succeeded' THEN 'done' ELSE @status END,
              fraction = CASE WHEN @status = 'succeeded' THEN 1 ELSE fraction END,
              result = @result::jsonb, error = @error, error_rule = @rule, finished_at = clock_timestamp(), heartbeat_at = clock_timestamp()
            WHERE id = @id AND worker = @worker AND status = 'running'
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("worker", worker);
        cmd.Parameters.AddWithValue("status", status);
        cmd.Parameters.Add(new NpgsqlParameter("result", NpgsqlDbType.Text) { Value = (object?)resultJson ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("error", NpgsqlDbType.Text) { Value = (object?)error ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("rule", NpgsqlDbType.Text) { Value = (object?)errorRule ?? DBNull.Value });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Puts a running job back in the queue (its worker is shutting down): another worker, or this one after a restart, runs it again.</summary>
    public async Task ReleaseAsync(string id, string worker, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("""
            UPDATE background_job SET status = 'queued', stage = 'queued', fraction = 0, worker = NULL, started_at = NULL
            WHERE id = @id AND worker = @worker AND status = 'running'
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("worker", worker);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Cancels a job: a queued one at once, a running one by flagging it (its worker stops at the next progress report). Returns false for an unknown id.</summary>
    public async Task<bool> CancelAsync(string id, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("""
            UPDATE background_job SET
              cancel_requested = status IN ('queued', 'running'),
              status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
              stage = CASE WHEN status = 'queued' THEN 'cancelled' ELSE stage END,
              error = CASE WHEN status = 'queued' THEN '已取消，未保存任何结果 (cancelled; nothing saved).' ELSE error END,
              error_rule = CASE WHEN status = 'queued' THEN 'cancelled' ELSE error_rule END,
              finished_at = CASE WHEN status = 'queued' THEN clock_timestamp() ELSE finished_at END
            WHERE id = @id RETURNING id
            """);
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    /// <summary>Re-queues running jobs without a heartbeat for <paramref name="staleAfter"/>; after <paramref name="maxAttempts"/> they fail. Returns their ids.</summary>
    public async Task<IReadOnlyList<string>> RequeueStaleAsync(TimeSpan staleAfter, int maxAttempts, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(RequeueSql);
        cmd.Parameters.AddWithValue("staleSeconds", staleAfter.TotalSeconds);
        cmd.Parameters.AddWithValue("maxAttempts", maxAttempts);
        var ids = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) ids.Add(r.GetString(0));
        return ids;
    }

    /// <summary>Deletes finished jobs older than <paramref name="keep"/> (their results — previews — live in their own tables); returns how many.</summary>
    public async Task<int> PruneAsync(TimeSpan keep, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("DELETE FROM background_job WHERE finished_at < clock_timestamp() - make_interval(secs => @keep)");
        cmd.Parameters.AddWithValue("keep", keep.TotalSeconds);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The job, or null when there is no such id.</summary>
    public async Task<JobRow?> GetAsync(string id, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(SelectSql);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new JobRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetDouble(5),
            r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8), r.GetBoolean(9),
            r.GetString(10), r.GetFieldValue<DateTimeOffset>(11), r.IsDBNull(12) ? null : r.GetFieldValue<DateTimeOffset>(12),
            r.IsDBNull(13) ? null : r.GetFieldValue<DateTimeOffset>(13), r.IsDBNull(14) ? null : r.GetString(14), r.GetInt32(15), r.GetFieldValue<DateTimeOffset>(16));
    }
}
