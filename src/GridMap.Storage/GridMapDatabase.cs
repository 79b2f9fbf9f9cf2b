using Npgsql;

namespace GridMap.Storage;

/// <summary>Creates the Npgsql data source GridMap uses: PostGIS geometries map to NetTopologySuite types.</summary>
public static class GridMapDatabase
{
    /// <summary>Environment variable holding the application's connection string (set by scripts/run and scripts/test):
    /// in the local set-up a least-privilege login role, member of <see cref="AppRole"/>.</summary>
    public const string EnvironmentVariable = "GRIDMAP_DB";

    /// <summary>Environment variable holding the owner's connection string: migrations and the demo loader run as this
    /// role (it owns the schema). Unset: <see cref="EnvironmentVariable"/> is used for those too.</summary>
    public const string OwnerEnvironmentVariable = "GRIDMAP_OWNER_DB";

    /// <summary>The NOLOGIN group role migration 0014 grants the application's privileges to (read/write on the data,
    /// read + append on audit_log, nothing on the schema). A login role the app uses is a member of it.</summary>
    public const string AppRole = "gridmap_app";

    /// <summary>Data source for a connection string; geometry columns read/write as NTS geometries.</summary>
    public static NpgsqlDataSource Create(string connectionString)
    {
        var b = new NpgsqlDataSourceBuilder(connectionString);
        // Map queries repeat with new parameters (tiles, nearest pipe): preparing them saves the planning time.
        if (b.ConnectionStringBuilder.MaxAutoPrepare == 0) b.ConnectionStringBuilder.MaxAutoPrepare = 64;
        b.UseNetTopologySuite();
        return b.Build();
    }

    /// <summary>
    /// The data source vector tiles are built on (<see cref="Layers.TileDataSource"/>): the same database, its own pool, and
    /// <c>No Reset On Close</c>. Npgsql otherwise sends "SET SESSION AUTHORIZATION DEFAULT;RESET ALL;CLOSE ALL;UNLISTEN *;
    /// SELECT pg_advisory_unlock_all();DISCARD SEQUENCES;DISCARD TEMP" ahead of the next command every time a pooled
    /// connection comes back, i.e. before every tile (seen in the server log: docs/tiles-performance.md, round 3). A tile
    /// query is one read-only statement that leaves no session state behind (no SET, temp table, LISTEN, advisory lock,
    /// cursor), so there is nothing to reset; nothing else may run on this pool.
    /// </summary>
    public static Layers.TileDataSource CreateForTiles(string connectionString)
    {
        var b = new NpgsqlDataSourceBuilder(connectionString);
        if (b.ConnectionStringBuilder.MaxAutoPrepare == 0) b.ConnectionStringBuilder.MaxAutoPrepare = 64;
        // Unless the connection string says otherwise (the bench's A/B row sets "No Reset On Close=false").
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose")) b.ConnectionStringBuilder.NoResetOnClose = true;
        return new Layers.TileDataSource(b.Build());
    }

    /// <summary>The connection string from GRIDMAP_DB, or a clear error telling how to get one.</summary>
    public static string ConnectionStringFromEnvironment() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } cs ? cs
            : throw new InvalidOperationException(
                $"No database configured: set {EnvironmentVariable} to a PostGIS connection string, or start GridMap with scripts/run (it starts a local PostGIS and sets it).");

    /// <summary>The owner's connection string (migrations, demo load): GRIDMAP_OWNER_DB, else GRIDMAP_DB.</summary>
    public static string OwnerConnectionStringFromEnvironment() =>
        Environment.GetEnvironmentVariable(OwnerEnvironmentVariable) is { Length: > 0 } cs ? cs : ConnectionStringFromEnvironment();

    /// <summary>
    /// Makes sure a login role <paramref name="login"/> exists and is a member of <see cref="AppRole"/> (created NOLOGIN
    /// when missing), as a role with CREATEROLE (the owner) sees it; <paramref name="password"/> is set when the login is
    /// created. Idempotent and safe when several processes race (roles are cluster-wide, so a per-database lock cannot
    /// serialise them: a lost race is retried). Names and password are quoted by the server (format %I/%L).
    /// </summary>
    public static async Task EnsureAppLoginAsync(NpgsqlDataSource owner, string login, string password, CancellationToken ct = default)
    {
        string[] steps =
        [
            "SELECT format('CREATE ROLE %I NOLOGIN', @app) WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = @app)",
            "SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT PASSWORD %L', @login, @password) WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = @login)",
            """
            SELECT format('GRANT %I TO %I', @app, @login) WHERE NOT EXISTS (
              SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
              WHERE g.rolname = @app AND u.rolname = @login)
            """,
        ];
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var conn = await owner.OpenConnectionAsync(ct);
                foreach (var sql in steps)
                {
                    string? ddl;
                    await using (var q = new NpgsqlCommand(sql, conn))
                    {
                        q.Parameters.AddWithValue("app", AppRole);
                        q.Parameters.AddWithValue("login", login);
                        q.Parameters.AddWithValue("password", password);
                        ddl = await q.ExecuteScalarAsync(ct) as string;
                    }
                    if (ddl is null) continue;
                    await using var d = new NpgsqlCommand(ddl, conn);
                    await d.ExecuteNonQueryAsync(ct);
                }
                return;
            }
            catch (PostgresException e) when (attempt < 5 && e.SqlState is PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.InternalError)
            {
                // Another process created or changed the same role between our check and our DDL: look again.
                await Task.Delay(50 * attempt, ct);
            }
        }
    }
}
