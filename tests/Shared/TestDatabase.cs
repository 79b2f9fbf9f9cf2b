using GridMap.Storage;
using Npgsql;

namespace GridMap.Tests.Shared;

/// <summary>
/// A throw-away PostGIS database for one test class: cloned from a migrated template (created once per
/// machine under an advisory lock), dropped on dispose. No test depends on another's data.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    /// <summary>Template named after a hash of the migrations, so a changed schema never reuses a stale template.</summary>
    private static readonly string Template = "gridmap_test_" + MigrationsHash();

    /// <summary>Short hash of every migration's name and text (part of template database names).</summary>
    public static string MigrationsHash()
    {
        var text = string.Concat(SqlScripts.All("Migrations").Select(m => m.Name + "\n" + m.Sql));
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..12].ToLowerInvariant();
    }
    private const long TemplateLock = 0x67_6d_74_65_6d_70;

    public static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
    public static bool Configured => !string.IsNullOrEmpty(AdminConnectionString);
    private static string? AdminConnectionString => Environment.GetEnvironmentVariable("GRIDMAP_TEST_DB") is { Length: > 0 } t ? t
        : Environment.GetEnvironmentVariable(GridMapDatabase.EnvironmentVariable);

    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
        DataSource = GridMapDatabase.Create(connectionString);
    }

    public string Name { get; }
    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; }

    /// <summary>A fresh database with no schema at all (not even PostGIS): for testing migrations themselves.</summary>
    public static Task<TestDatabase> CreateEmptyAsync() => CreateAsync("template0");

    /// <summary>A fresh database with every migration applied (and, if given, seeded from <paramref name="seedTemplate"/>).</summary>
    public static async Task<TestDatabase> CreateAsync(string? seedTemplate = null)
    {
        var admin = AdminConnectionString ?? throw new InvalidOperationException(
            "CI=true but no PostGIS is configured: scripts/test starts one and sets GRIDMAP_DB.");
        await EnsureTemplateAsync(admin, Template, null);
        var name = "gm_t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var conn = new NpgsqlConnection(WithDatabase(admin, "postgres")))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE {seedTemplate ?? Template}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        return new TestDatabase(name, WithDatabase(admin, name));
    }

    /// <summary>
    /// Makes sure a named template database exists: migrated, then filled by <paramref name="seed"/>.
    /// Built once per machine (advisory lock, so parallel test projects wait for the first builder).
    /// </summary>
    public static async Task EnsureTemplateAsync(string admin, string template, Func<NpgsqlDataSource, Task>? seed)
    {
        await using var conn = new NpgsqlConnection(WithDatabase(admin, "postgres"));
        await conn.OpenAsync();
        await Exec(conn, $"SELECT pg_advisory_lock({TemplateLock})");
        try
        {
            await using (var check = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n AND datistemplate", conn))
            {
                check.Parameters.AddWithValue("n", template);
                if (await check.ExecuteScalarAsync() is not null) return;
            }
            await Exec(conn, $"DROP DATABASE IF EXISTS {template}");
            await Exec(conn, $"CREATE DATABASE {template}");
            await using (var ds = GridMapDatabase.Create(WithDatabase(admin, template)))
            {
                await Migrator.MigrateAsync(ds);
                if (seed is not null) await seed(ds);
            }
            NpgsqlConnection.ClearAllPools();
            await Exec(conn, $"ALTER DATABASE {template} WITH is_template true");
        }
        finally
        {
            await Exec(conn, $"SELECT pg_advisory_unlock({TemplateLock})");
        }
    }

    public static string AdminConnection => AdminConnectionString ?? throw new InvalidOperationException("No PostGIS configured (GRIDMAP_DB).");

    public static string WithDatabase(string cs, string db) => new NpgsqlConnectionStringBuilder(cs) { Database = db, Pooling = true }.ConnectionString;

    private static async Task Exec(NpgsqlConnection c, string sql)
    {
        // No timeout: waiting for the template lock lasts as long as another class takes to build the demo template
        // (well past Npgsql's 30 s on a loaded machine).
        await using var cmd = new NpgsqlCommand(sql, c) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        try
        {
            await using var conn = new NpgsqlConnection(WithDatabase(AdminConnection, "postgres"));
            await conn.OpenAsync();
            await Exec(conn, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
        }
        catch (NpgsqlException)
        {
            // Best effort: a leftover gm_t_* database is harmless and is dropped by scripts/test next run.
        }
    }
}
