using Npgsql;
using NpgsqlTypes;

namespace GridMap.Storage.Network;

/// <summary>Explicit connections (migration 0019): a pipe end joined to a compound, a station or a heat source.</summary>
public sealed class ConnectionStore(NpgsqlDataSource db)
{
    private static readonly string InsertSql = SqlScripts.Get("Network/connection_insert.sql");
    private static readonly string TargetSql = SqlScripts.Get("Network/connection_target.sql");

    /// <summary>The branches of the target and the pipe, or null when the target does not exist.</summary>
    public async Task<IReadOnlyList<int>?> BranchesAsync(string kind, int id, long pipeId, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(TargetSql);
        Bind(cmd, kind, id);
        cmd.Parameters.AddWithValue("pipe", pipeId);
        return await cmd.ExecuteScalarAsync(ct) is int[] b ? b : null;
    }

    /// <summary>Adds a connection in the caller's transaction; null when the same connection exists already (or the pipe
    /// or target does not exist). <paramref name="end"/> null: the pipe end nearest the target.</summary>
    public static async Task<(long Id, string End)?> AddAsync(DbSession session, string kind, int id, long pipeId, string? end, string origin, string by,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using var cmd = session.Command(InsertSql);
        Bind(cmd, kind, id);
        cmd.Parameters.AddWithValue("pipe", pipeId);
        cmd.Parameters.AddWithValue("end", NpgsqlDbType.Text, (object?)end ?? DBNull.Value);
        cmd.Parameters.AddWithValue("origin", origin);
        cmd.Parameters.AddWithValue("by", by);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (r.GetInt64(0), r.GetString(1)) : null;
    }

    private static void Bind(NpgsqlCommand cmd, string kind, int id)
    {
        cmd.Parameters.AddWithValue("compound", NpgsqlDbType.Integer, kind == "compound" ? (object)id : DBNull.Value);
        cmd.Parameters.AddWithValue("station", NpgsqlDbType.Integer, kind == "station" ? (object)id : DBNull.Value);
        cmd.Parameters.AddWithValue("source", NpgsqlDbType.Integer, kind == "heat_source" ? (object)id : DBNull.Value);
    }
}
