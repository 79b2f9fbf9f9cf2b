using GridMap.Domain.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using Npgsql;

namespace GridMap.Storage;

/// <summary>What an import needs from the database: free ids, district lookup, and an all-or-nothing write.</summary>
public sealed class ImportStore(NpgsqlDataSource db)
{
    /// <summary>The smallest id larger than every id in <paramref name="table"/> (compound, pipe or valve).</summary>
    public async Task<long> NextIdAsync(string table, CancellationToken ct = default)
    {
        if (table is not ("compound" or "pipe" or "valve")) throw new ArgumentException($"no id sequence for table '{table}'");
        await using var cmd = db.CreateCommand($"SELECT coalesce(max(id), 0) + 1 FROM {table}");
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A point-in-district lookup over the stored districts (null when outside all of them).</summary>
    public async Task<Func<Point, string?>> DistrictLocatorAsync(CancellationToken ct = default)
    {
        var tree = new STRtree<(string Code, Geometry Area)>();
        await using var cmd = db.CreateCommand("SELECT code, area FROM district");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var area = (Geometry)r.GetValue(1);
            tree.Insert(area.EnvelopeInternal, (r.GetString(0), area));
        }
        tree.Build();
        return p => tree.Query(p.EnvelopeInternal).FirstOrDefault(d => d.Area.Covers(p)).Code;
    }

    /// <summary>Writes all items in the caller's transaction (binary COPY); any constraint violation fails the whole session.</summary>
    public async Task<ulong> WriteAsync<T>(DbSession session, IReadOnlyList<T> items, CancellationToken ct = default) => items switch
    {
        IReadOnlyList<Compound> c => await BulkLoader.CompoundsAsync(session.Connection, c, ct),
        IReadOnlyList<Pipe> p => await BulkLoader.PipesAsync(session.Connection, p, ct),
        IReadOnlyList<Valve> v => await BulkLoader.ValvesAsync(session.Connection, v, ct),
        _ => throw new ArgumentException($"cannot import {typeof(T).Name}"),
    };
}
