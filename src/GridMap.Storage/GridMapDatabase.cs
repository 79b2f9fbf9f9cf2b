using Npgsql;

namespace GridMap.Storage;

/// <summary>Creates the Npgsql data source GridMap uses: PostGIS geometries map to NetTopologySuite types.</summary>
public static class GridMapDatabase
{
    /// <summary>Environment variable holding the connection string (set by scripts/run and scripts/test).</summary>
    public const string EnvironmentVariable = "GRIDMAP_DB";

    /// <summary>Data source for a connection string; geometry columns read/write as NTS geometries.</summary>
    public static NpgsqlDataSource Create(string connectionString)
    {
        var b = new NpgsqlDataSourceBuilder(connectionString);
        // Map queries repeat with new parameters (tiles, nearest pipe): preparing them saves the planning time.
        if (b.ConnectionStringBuilder.MaxAutoPrepare == 0) b.ConnectionStringBuilder.MaxAutoPrepare = 64;
        b.UseNetTopologySuite();
        return b.Build();
    }

    /// <summary>The connection string from GRIDMAP_DB, or a clear error telling how to get one.</summary>
    public static string ConnectionStringFromEnvironment() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } cs ? cs
            : throw new InvalidOperationException(
                $"No database configured: set {EnvironmentVariable} to a PostGIS connection string, or start GridMap with scripts/run (it starts a local PostGIS and sets it).");
}
