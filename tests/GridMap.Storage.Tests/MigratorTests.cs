using GridMap.Storage;
using GridMap.Tests.Shared;

namespace GridMap.Storage.Tests;

public class MigratorTests
{
    [PostgisFact]
    public async Task Migrate_RunTwice_SecondRunAppliesNothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        var again = await Migrator.MigrateAsync(db.DataSource);
        Assert.Empty(again);
        await using var cmd = db.DataSource.CreateCommand("SELECT count(*) FROM schema_migration");
        var recorded = (long)(await cmd.ExecuteScalarAsync())!;
        Assert.Equal(SqlScripts.All("Migrations").Count, recorded);
    }

    [PostgisFact]
    public async Task Migrate_ConcurrentCallers_ApplyEachMigrationOnce()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var drop = db.DataSource.CreateCommand("DELETE FROM schema_migration WHERE version = (SELECT max(version) FROM schema_migration)"))
            await drop.ExecuteNonQueryAsync();
        // The last migration's objects still exist, so re-applying it twice would fail; the lock must serialise callers.
        await using (var undo = db.DataSource.CreateCommand(LastMigrationUndo()))
            await undo.ExecuteNonQueryAsync();
        var results = await Task.WhenAll(Migrator.MigrateAsync(db.DataSource), Migrator.MigrateAsync(db.DataSource));
        Assert.Equal(1, results.Sum(r => r.Count));
    }

    private static string LastMigrationUndo()
    {
        var (name, _) = SqlScripts.All("Migrations")[^1];
        // Each migration is undone by dropping the views/tables it creates; keep this list beside the newest migration.
        return name switch
        {
            "0003_layer_views" => string.Join(";", new[] { "branches", "districts", "roads", "compounds", "stations", "heat_sources", "pipes", "valves", "cells", "staff" }
                .Select(v => $"DROP VIEW layer_{v}")),
            _ => throw new InvalidOperationException($"add an undo for {name} here"),
        };
    }
}
