using System.Globalization;
using GridMap.Domain.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using Npgsql;

namespace GridMap.Storage;

/// <summary>What an import needs from the database: free ids, district lookup, the stored values of the entities a file
/// names, the external keys of a source, and the all-or-nothing write (inserts by binary COPY, updates of changed
/// columns only). Every read takes an optional session, so a write plans against what its own transaction sees.</summary>
public sealed class ImportStore(NpgsqlDataSource db)
{
    private static readonly HashSet<string> Kinds = new(StringComparer.Ordinal) { "compound", "pipe", "valve" };

    private NpgsqlCommand Command(DbSession? session, string sql) => session?.Command(sql) ?? db.CreateCommand(sql);

    private static string Kind(string table) =>
        Kinds.Contains(table) ? table : throw new ArgumentException($"no import for table '{table}'", nameof(table));

    /// <summary>The smallest id larger than every id in <paramref name="table"/> (compound, pipe or valve).</summary>
    public async Task<long> NextIdAsync(string table, CancellationToken ct = default) => await NextIdAsync(null, table, ct);

    /// <inheritdoc cref="NextIdAsync(string, CancellationToken)"/>
    public async Task<long> NextIdAsync(DbSession? session, string table, CancellationToken ct = default)
    {
        // The table name is one of three constants (checked by Kind), never request text.
        await using var cmd = Command(session, $"SELECT coalesce(max(id), 0) + 1 FROM {Kind(table)}");
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// <summary>Serialises imports of one kind: held until the session's transaction ends (a second import waits).</summary>
    public async Task LockAsync(DbSession session, string kind, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using var cmd = session.Command("SELECT pg_advisory_xact_lock(hashtext('gridmap.import.' || @kind))");
        cmd.Parameters.AddWithValue("kind", Kind(kind));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A point-in-district lookup over the stored districts (null when outside all of them).</summary>
    public async Task<Func<Point, string?>> DistrictLocatorAsync(CancellationToken ct = default) => (await DistrictsAsync(ct)).Locate;

    /// <summary>The stored districts: their codes and a point-in-district lookup.</summary>
    public async Task<(IReadOnlySet<string> Codes, Func<Point, string?> Locate)> DistrictsAsync(CancellationToken ct = default)
    {
        var tree = new STRtree<(string Code, Geometry Area)>();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        await using var cmd = db.CreateCommand("SELECT code, area FROM district");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var area = (Geometry)r.GetValue(1);
            codes.Add(r.GetString(0).TrimEnd());
            tree.Insert(area.EnvelopeInternal, (r.GetString(0), area));
        }
        tree.Build();
        return (codes, p => tree.Query(p.EnvelopeInternal).FirstOrDefault(d => d.Area.Covers(p)).Code);
    }

    /// <summary>GridMap ids already given to <paramref name="keys"/> of <paramref name="source"/> for <paramref name="kind"/>.</summary>
    public async Task<Dictionary<string, long>> KeysAsync(DbSession? session, string kind, string source, IReadOnlyCollection<string> keys, CancellationToken ct = default)
    {
        var map = new Dictionary<string, long>(StringComparer.Ordinal);
        if (keys.Count == 0) return map;
        await using var cmd = Command(session, SqlScripts.Get("Import/import_keys_find.sql"));
        cmd.Parameters.AddWithValue("kind", Kind(kind));
        cmd.Parameters.AddWithValue("source", source);
        cmd.Parameters.AddWithValue("keys", keys.ToArray());
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) map[r.GetString(0)] = r.GetInt64(1);
        return map;
    }

    /// <summary>Records that <paramref name="keys"/> of <paramref name="source"/> are these GridMap ids (new keys added, known ones re-pointed).</summary>
    public async Task SaveKeysAsync(DbSession session, string kind, string source, IReadOnlyList<(string Key, long Id)> keys, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (keys.Count == 0) return;
        await using var cmd = session.Command(SqlScripts.Get("Import/import_keys_save.sql"));
        cmd.Parameters.AddWithValue("kind", Kind(kind));
        cmd.Parameters.AddWithValue("source", source);
        cmd.Parameters.AddWithValue("keys", keys.Select(k => k.Key).ToArray());
        cmd.Parameters.AddWithValue("ids", keys.Select(k => k.Id).ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The stored values (column → value, as <see cref="GridMap.Domain.Import.ImportColumns.Values"/> gives them) of the
    /// entities of <paramref name="kind"/> among <paramref name="ids"/>.</summary>
    public async Task<Dictionary<long, Dictionary<string, object?>>> ExistingAsync(DbSession? session, string kind, IReadOnlyCollection<long> ids, CancellationToken ct = default)
    {
        var rows = new Dictionary<long, Dictionary<string, object?>>();
        if (ids.Count == 0) return rows;
        await using var cmd = Command(session, SqlScripts.Get($"Import/import_existing_{Kind(kind)}.sql"));
        cmd.Parameters.AddWithValue("ids", ids.ToArray());
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 1; i < r.FieldCount; i++)
                row[r.GetName(i)] = r.IsDBNull(i) ? null : r.GetValue(i) is string s ? s.TrimEnd() : r.GetValue(i);
            rows[Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture)] = row;
        }
        return rows;
    }

    /// <summary>Which of <paramref name="ids"/> are stored pipes.</summary>
    public async Task<HashSet<long>> PipesAmongAsync(DbSession? session, IReadOnlyCollection<long> ids, CancellationToken ct = default)
    {
        var found = new HashSet<long>();
        if (ids.Count == 0) return found;
        await using var cmd = Command(session, SqlScripts.Get("Import/import_ids_existing.sql"));
        cmd.Parameters.AddWithValue("ids", ids.ToArray());
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) found.Add(r.GetInt64(0));
        return found;
    }

    /// <summary>Writes all items in the caller's transaction (binary COPY); any constraint violation fails the whole session.</summary>
    public async Task<ulong> WriteAsync<T>(DbSession session, IReadOnlyList<T> items, CancellationToken ct = default) => items switch
    {
        _ when items.Count == 0 => 0,
        IReadOnlyList<Compound> c => await BulkLoader.CompoundsAsync(session.Connection, c, ct),
        IReadOnlyList<Pipe> p => await BulkLoader.PipesAsync(session.Connection, p, ct),
        IReadOnlyList<Valve> v => await BulkLoader.ValvesAsync(session.Connection, v, ct),
        _ => throw new ArgumentException($"cannot import {typeof(T).Name}"),
    };

    /// <summary>Updates stored entities of <paramref name="kind"/> in the caller's transaction: for each, only the
    /// <c>Changed</c> columns are set, from <c>Values</c> (column → value). Sent in batches of 500 statements.</summary>
    public async Task<int> UpdateAsync(DbSession session, string kind, IReadOnlyList<(long Id, IReadOnlyDictionary<string, object?> Values, IReadOnlyList<string> Changed)> rows,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var sql = SqlScripts.Get($"Import/import_update_{Kind(kind)}.sql");
        var n = 0;
        foreach (var chunk in rows.Chunk(500))
        {
            await using var batch = new NpgsqlBatch(session.Connection, session.Transaction);
            foreach (var (id, values, changed) in chunk)
            {
                var c = new NpgsqlBatchCommand(sql);
                c.Parameters.AddWithValue("id", kind == "compound" ? (int)id : id);
                c.Parameters.AddWithValue("changed", changed.ToArray());
                foreach (var (name, value) in values)
                    c.Parameters.Add(Parameter(name, value));
                batch.BatchCommands.Add(c);
            }
            n += await batch.ExecuteNonQueryAsync(ct);
        }
        return n;
    }

    private static NpgsqlParameter Parameter(string name, object? value) => value switch
    {
        null => new NpgsqlParameter(name, DBNull.Value),
        Geometry g => new NpgsqlParameter(name, NpgsqlTypes.NpgsqlDbType.Geometry) { Value = WithSrid(g) },
        _ => new NpgsqlParameter(name, value),
    };

    private static Geometry WithSrid(Geometry g)
    {
        if (g.SRID == 4326) return g;
        var copy = g.Copy();
        copy.SRID = 4326;
        return copy;
    }
}
