using Npgsql;

namespace GridMap.Storage;

/// <summary>
/// One connection with one open transaction: the unit every write runs in. Repositories take a session for
/// writes (and for reads that must see the write's own rows); the application layer opens it, commits it once
/// the use case succeeded, and disposing an uncommitted session rolls everything back.
/// </summary>
public sealed class DbSession : IAsyncDisposable
{
    private DbSession(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    public NpgsqlConnection Connection { get; }
    public NpgsqlTransaction Transaction { get; }
    public bool Committed { get; private set; }

    /// <summary>Opens a connection from <paramref name="db"/> and begins a (read committed) transaction.</summary>
    public static async Task<DbSession> BeginAsync(NpgsqlDataSource db, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var conn = await db.OpenConnectionAsync(ct);
        try
        {
            return new DbSession(conn, await conn.BeginTransactionAsync(ct));
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    /// <summary>A command bound to this session's connection and transaction.</summary>
    public NpgsqlCommand Command(string sql) => new(sql, Connection, Transaction);

    /// <summary>Runs <paramref name="sql"/> with named parameters; returns the rows affected.</summary>
    public async Task<int> ExecuteAsync(string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = Command(sql);
        foreach (var (n, v) in parameters) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task CommitAsync(CancellationToken ct = default)
    {
        await Transaction.CommitAsync(ct);
        Committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
