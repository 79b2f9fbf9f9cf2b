using GridMap.Domain.Demo;
using GridMap.Storage;

namespace GridMap.Tests.Shared;

/// <summary>A throw-away database holding the demo city (seed 42), cloned from a template generated once per run.</summary>
public static class DemoDatabase
{
    public const string Template = "gridmap_test_demo";

    public static async Task<TestDatabase> CreateAsync()
    {
        await TestDatabase.EnsureTemplateAsync(TestDatabase.AdminConnection, Template,
            ds => DemoCityLoader.LoadAsync(ds, DemoCityGenerator.Generate(42), replace: false));
        var db = await TestDatabase.CreateAsync(Template);
        // A template built by an earlier run lacks migrations added since; bring the clone up to date.
        await Migrator.MigrateAsync(db.DataSource);
        return db;
    }
}
