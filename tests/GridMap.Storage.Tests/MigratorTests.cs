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
    public async Task Migrate_ConcurrentCallersOnEmptyDatabase_ApplyEachMigrationExactlyOnce()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        var results = await Task.WhenAll(Migrator.MigrateAsync(db.DataSource), Migrator.MigrateAsync(db.DataSource), Migrator.MigrateAsync(db.DataSource));
        var all = SqlScripts.All("Migrations").Select(m => m.Name).ToArray();
        // The advisory lock serialises callers: one applies everything, the others find nothing left to do.
        Assert.Equal(all, results.SelectMany(r => r).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(1, results.Count(r => r.Count > 0));
    }
}
