namespace GridMap.Tests.Shared;

/// <summary>
/// A test that needs PostGIS. Skipped on a laptop without one (no GRIDMAP_DB); never skipped when CI=true,
/// so a missing database fails the CI run instead of hiding tests (Npgsql's IgnoreExceptOnBuildServer).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgisFactAttribute : FactAttribute
{
    public PostgisFactAttribute()
    {
        if (!TestDatabase.Configured && !TestDatabase.OnCi)
            Skip = "PostGIS not configured: set GRIDMAP_DB (scripts/test does) — this test fails instead when CI=true.";
    }
}

/// <inheritdoc cref="PostgisFactAttribute"/>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgisTheoryAttribute : TheoryAttribute
{
    public PostgisTheoryAttribute()
    {
        if (!TestDatabase.Configured && !TestDatabase.OnCi)
            Skip = "PostGIS not configured: set GRIDMAP_DB (scripts/test does) — this test fails instead when CI=true.";
    }
}
