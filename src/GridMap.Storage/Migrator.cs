using Npgsql;

namespace GridMap.Storage;

/// <summary>
/// Applies the numbered scripts in Migrations/ once each, in order, each in its own transaction, and records
/// them in <c>schema_migration</c>. An advisory lock serialises concurrent callers. Safe to run any number of times.
/// </summary>
public static class Migrator
{
    private const long LockKey = 0x67726964_6d6170; // "gridmap"

    /// <summary>Applies pending migrations; returns the names applied by this call (empty when up to date).</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(NpgsqlDataSource db, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await Exec(conn, "SELECT pg_advisory_lock(@k)", ct, ("k", LockKey));
        try
        {
            await Exec(conn, """
                CREATE TABLE IF NOT EXISTS schema_migration (
                  version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                """, ct);
            var applied = new HashSet<int>();
            await using (var cmd = new NpgsqlCommand("SELECT version FROM schema_migration", conn))
            await using (var r = await cmd.ExecuteReaderAsync(ct))
                while (await r.ReadAsync(ct)) applied.Add(r.GetInt32(0));
            var done = new List<string>();
            foreach (var (name, sql) in SqlScripts.All("Migrations"))
            {
                var version = int.Parse(name[..name.IndexOf('_', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
                if (applied.Contains(version)) continue;
                await using var tx = await conn.BeginTransactionAsync(ct);
                await using (var cmd = new NpgsqlCommand(sql, conn, tx)) await cmd.ExecuteNonQueryAsync(ct);
                await using (var cmd = new NpgsqlCommand("INSERT INTO schema_migration (version, name) VALUES (@v, @n)", conn, tx))
                {
                    cmd.Parameters.AddWithValue("v", version);
                    cmd.Parameters.AddWithValue("n", name);
                    await cmd.ExecuteNonQueryAsync(ct);
                }
                await tx.CommitAsync(ct);
                done.Add(name);
            }
            if (done.Count > 0) await conn.ReloadTypesAsync(ct);
            return done;
        }
        finally
        {
            await Exec(conn, "SELECT pg_advisory_unlock(@k)", CancellationToken.None, ("k", LockKey));
        }
    }

    private static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct, params (string, object)[] ps)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (n, v) in ps) cmd.Parameters.AddWithValue(n, v);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
