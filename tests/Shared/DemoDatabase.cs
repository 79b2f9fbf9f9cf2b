using GridMap.Domain.Demo;
using GridMap.Storage;

namespace GridMap.Tests.Shared;

/// <summary>A throw-away database holding the demo city (seed 42), cloned from a template generated once per run.</summary>
public static class DemoDatabase
{
    /// <summary>Named after the schema and the generator's build (deterministic builds: same source, same id),
    /// so a changed generator or schema never reuses a stale demo template.</summary>
    public static readonly string Template = "gridmap_test_demo_" + TestDatabase.MigrationsHash() + "_" +
        typeof(DemoCityGenerator).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..8] + "_" +
        // The loader's embedded SQL (e.g. the demo campaign) is part of the demo too.
        typeof(DemoCityLoader).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..8];

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
