namespace GridMap.Storage.Planning;

/// <summary>
/// Publishing a preview as the next version of its area, inside the caller's <see cref="DbSession"/>: the plans it
/// replaces, the cell codes that must stay unique, the compounds that lose their cell, and the switch itself
/// (planning_publish.sql: grid_cell and compound.cell_code replaced, the replaced plans kept as superseded).
/// Publishes serialise on <see cref="LockPublishingAsync"/>, a transaction-scoped advisory lock.
/// </summary>
public static class PublishRepository
{
    /// <summary>Key of the advisory lock every publish holds until its transaction ends.</summary>
    public const long PublishLockKey = 7072657669657773;

    private static string Sql(string name) => SqlScripts.Get($"Queries/{name}.sql");

    /// <summary>Waits for, then holds until commit or rollback, the lock that serialises publishes: publishing replaces rows
    /// other publishers may touch.</summary>
    public static Task LockPublishingAsync(DbSession s, CancellationToken ct = default) =>
        s.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", ct, ("key", PublishLockKey));

    /// <summary>The published plans that publishing <paramref name="planId"/> supersedes: the current plan of its area and
    /// every current plan sharing a compound with it (planning_replaced.sql).</summary>
    public static async Task<IReadOnlyList<long>> ReplacedAsync(DbSession s, long planId, CancellationToken ct = default)
    {
        await using var cmd = s.Command(Sql("planning_replaced"));
        cmd.Parameters.AddWithValue("plan", planId);
        var list = new List<long>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(r.GetInt64(0));
        return list;
    }

    /// <summary>grid_cell codes with one of the 12-digit <paramref name="prefixes"/> that stay after the publish (planning_codes_in_use.sql).</summary>
    public static async Task<IReadOnlySet<string>> CodesInUseAsync(DbSession s, long planId, IReadOnlyList<long> replaced, IEnumerable<string> prefixes, CancellationToken ct = default)
    {
        await using var cmd = s.Command(Sql("planning_codes_in_use"));
        cmd.Parameters.AddWithValue("plan", planId);
        cmd.Parameters.AddWithValue("replaced", replaced.ToArray());
        cmd.Parameters.AddWithValue("prefixes", prefixes.Distinct().ToArray());
        var codes = new HashSet<string>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) codes.Add(r.GetString(0));
        return codes;
    }

    /// <summary>Gives cell <paramref name="idx"/> of the plan a new 15-digit code.</summary>
    public static Task RenumberCellAsync(DbSession s, long planId, int idx, string code, CancellationToken ct = default) =>
        s.ExecuteAsync("UPDATE plan_cell SET code = @c WHERE plan_id = @plan AND idx = @i", ct, ("c", code), ("plan", planId), ("i", idx));

    /// <summary>Number of compounds outside the plan that lose their cell when the <paramref name="replaced"/> plans are superseded.</summary>
    public static async Task<int> OrphansAsync(DbSession s, long planId, IReadOnlyList<long> replaced, CancellationToken ct = default)
    {
        await using var cmd = s.Command(Sql("planning_orphans"));
        cmd.Parameters.AddWithValue("plan", planId);
        cmd.Parameters.AddWithValue("replaced", replaced.ToArray());
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Publishes the plan, superseding <paramref name="replaced"/>; returns the version it became (≥ 1).</summary>
    public static async Task<int> PublishAsync(DbSession s, long planId, IReadOnlyList<long> replaced, CancellationToken ct = default)
    {
        await s.ExecuteAsync(Sql("planning_publish"), ct, ("plan", planId), ("replaced", replaced.ToArray()));
        await using var cmd = s.Command("SELECT version FROM plan WHERE id = @plan");
        cmd.Parameters.AddWithValue("plan", planId);
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The grid cells a publish touches (planning_publish_cells.sql): before it, those it will delete; after it, those it
    /// made (and any left of the replaced plans: none). By code.</summary>
    public static async Task<IReadOnlyDictionary<string, GridCellRow>> GridCellsAsync(DbSession s, long planId, IReadOnlyList<long> replaced, CancellationToken ct = default)
    {
        await using var cmd = s.Command(Sql("planning_publish_cells"));
        cmd.Parameters.AddWithValue("plan", planId);
        cmd.Parameters.AddWithValue("replaced", replaced.ToArray());
        var rows = new SortedDictionary<string, GridCellRow>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            rows[r.GetString(0)] = new GridCellRow(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetInt32(2), r.GetFieldValue<NetTopologySuite.Geometries.Geometry>(3));
        return rows;
    }

    /// <summary>The cell code of every compound a publish may move (planning_publish_compounds.sql), by compound id.</summary>
    public static async Task<IReadOnlyDictionary<int, string?>> CompoundCodesAsync(DbSession s, long planId, IReadOnlyList<long> replaced, CancellationToken ct = default)
    {
        await using var cmd = s.Command(Sql("planning_publish_compounds"));
        cmd.Parameters.AddWithValue("plan", planId);
        cmd.Parameters.AddWithValue("replaced", replaced.ToArray());
        var rows = new Dictionary<int, string?>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) rows[r.GetInt32(0)] = r.IsDBNull(1) ? null : r.GetString(1);
        return rows;
    }

    /// <summary>The compounds' cell codes now, by id (null: no cell).</summary>
    public static async Task<IReadOnlyDictionary<int, string?>> CompoundCodesAsync(DbSession s, IEnumerable<int> ids, CancellationToken ct = default)
    {
        await using var cmd = s.Command("SELECT id, cell_code::text FROM compound WHERE id = ANY(@ids)");
        cmd.Parameters.AddWithValue("ids", ids.ToArray());
        var rows = new Dictionary<int, string?>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) rows[r.GetInt32(0)] = r.IsDBNull(1) ? null : r.GetString(1);
        return rows;
    }
}

/// <summary>A published grid cell: 15-digit code, name, staff and polygon (lon/lat).</summary>
public sealed record GridCellRow(string Code, string Name, int? StaffId, NetTopologySuite.Geometries.Geometry Area);
