using System.CommandLine;
using GridMap.Storage;

namespace GridMap.Cli.Commands;

/// <summary>`gridmap db migrate|status` — schema management.</summary>
internal static class DbCommand
{
    public static Command Create()
    {
        var cmd = new Command("db", "数据库：迁移与状态 (database schema: apply migrations, show status)");
        var db = CliSupport.DbOption();

        var migrate = new Command("migrate", "应用尚未执行的数据库迁移 (apply pending numbered migrations; safe to run twice)") { db };
        migrate.SetAction((p, ct) => CliSupport.Run(async () =>
        {
            // Migrations run as the schema owner (GRIDMAP_OWNER_DB when set), never as the app's least-privilege role.
            await using var ds = CliSupport.OpenOwnerDatabase(p, db);
            var applied = await Migrator.MigrateAsync(ds, ct);
            Console.WriteLine(applied.Count == 0 ? "database is up to date" : $"applied {applied.Count} migration(s): {string.Join(", ", applied)}");
            return 0;
        }));

        var status = new Command("status", "显示迁移与数据行数 (show applied migrations and row counts)") { db };
        status.SetAction((p, ct) => CliSupport.Run(async () =>
        {
            await using var ds = CliSupport.OpenDatabase(p, db);
            await using var c = ds.CreateCommand("SELECT version, name, applied_at FROM schema_migration ORDER BY version");
            await using var r = await c.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) Console.WriteLine($"{r.GetInt32(0):0000} {r.GetString(1)} {r.GetDateTime(2):u}");
            await r.DisposeAsync();
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(await new GridMap.Storage.Campaign.CampaignStore(ds).CountsAsync(ct), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)));
            return 0;
        }));

        cmd.Subcommands.Add(migrate);
        cmd.Subcommands.Add(status);
        return cmd;
    }
}
