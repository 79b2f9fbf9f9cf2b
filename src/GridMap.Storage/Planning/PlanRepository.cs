using System.Text.Json;
using GridMap.Domain.Planning;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace GridMap.Storage.Planning;

/// <summary>One cell of a new preview: 0-based index, 15-digit code, name and polygon (lon/lat); <paramref name="Undersize"/> when
/// the engine proved no cell within the bounds can hold its compounds.</summary>
public sealed record PreviewCell(int Index, string Code, string Name, MultiPolygon Area, bool Undersize = false);

/// <summary>A compound's cell (0-based index) and territory (lon/lat) in a new preview.</summary>
public sealed record PreviewAssignment(int CompoundId, int Cell, MultiPolygon Territory);

/// <summary>Everything a preview is saved from: the area (kind, code — null for a polygon —, key, name, 6-digit district,
/// polygon lon/lat), the request and the engine's report as stored, the households bounds and target per cell
/// (0 ≤ lower ≤ target ≤ upper), cells, compound assignments and the arterial-road crossings the engine allowed
/// (pairs of compound ids).</summary>
public sealed record NewPreview(string AreaKind, string? AreaCode, string AreaKey, string AreaName, string DistrictCode, MultiPolygon Area,
    PlanParams Params, PlanSearch Search, double LowerBound, double UpperBound, double Target,
    IReadOnlyList<PreviewCell> Cells, IReadOnlyList<PreviewAssignment> Assignments)
{
    /// <summary>Pairs of compound ids whose adjacency across an arterial road the engine allowed (soft barriers).</summary>
    public IReadOnlyList<(int A, int B)> BarrierCrossings { get; init; } = [];
}

/// <summary>A plan row locked for a write: its status (preview | published | superseded) and the request's barriers and nesting.</summary>
public sealed record PlanLock(string Status, bool Barriers, bool Nest);

/// <summary>The editable state of one cell: 15-digit code, lock, staff, contiguity and polygon (lon/lat).</summary>
public sealed record PlanCellState(string Code, bool Locked, int? StaffId, bool Contiguous, Geometry Area);

/// <summary>
/// Writes of plans, their cells and compound assignments, each inside the caller's <see cref="DbSession"/> (one
/// transaction per use case: a use case that fails leaves nothing behind). <see cref="LockAsync"/> takes the plan row
/// <c>FOR UPDATE</c>, so concurrent writes to one plan serialise. Geometries are WGS84 lon/lat; cells are numbered
/// from 0. Rules are not checked here: the application layer decides, this only reads and writes rows.
/// </summary>
public static class PlanRepository
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static string Sql(string name) => SqlScripts.Get($"Queries/{name}.sql");

    /// <summary>Inserts a preview (plan, cells, allowed crossings, compound assignments); returns its id.</summary>
    public static async Task<long> InsertPreviewAsync(DbSession s, NewPreview p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(p);
        long id;
        await using (var cmd = s.Command("""
            INSERT INTO plan (area_kind, area_code, area_key, area_name, district_code, area, params, lower_bound, upper_bound, target, search)
            VALUES (@kind, @code, @key, @name, @district, @area, @params, @lower, @upper, @target, @search) RETURNING id
            """))
        {
            cmd.Parameters.AddWithValue("kind", p.AreaKind);
            cmd.Parameters.Add(new NpgsqlParameter("code", NpgsqlDbType.Text) { Value = (object?)p.AreaCode ?? DBNull.Value });
            cmd.Parameters.AddWithValue("key", p.AreaKey);
            cmd.Parameters.AddWithValue("name", p.AreaName);
            cmd.Parameters.AddWithValue("district", p.DistrictCode);
            cmd.Parameters.AddWithValue("area", (Geometry)p.Area);
            // The request and the engine's report are stored as jsonb documents (read back by PlanQueries).
            cmd.Parameters.Add(new NpgsqlParameter("params", NpgsqlDbType.Jsonb) { Value = JsonSerializer.SerializeToDocument(p.Params, Json) });
            cmd.Parameters.AddWithValue("lower", p.LowerBound);
            cmd.Parameters.AddWithValue("upper", p.UpperBound);
            cmd.Parameters.AddWithValue("target", p.Target);
            cmd.Parameters.Add(new NpgsqlParameter("search", NpgsqlDbType.Jsonb) { Value = JsonSerializer.SerializeToDocument(p.Search, Json) });
            id = (long)(await cmd.ExecuteScalarAsync(ct))!;
        }
        await using var batch = new NpgsqlBatch(s.Connection, s.Transaction);
        foreach (var c in p.Cells)
            batch.BatchCommands.Add(BatchCommand("INSERT INTO plan_cell (plan_id, idx, code, name, area, undersize) VALUES (@p, @i, @c, @n, @a, @u)",
                ("p", id), ("i", c.Index), ("c", c.Code), ("n", c.Name), ("a", (Geometry)c.Area), ("u", c.Undersize)));
        foreach (var (a, b) in p.BarrierCrossings)
            batch.BatchCommands.Add(BatchCommand("INSERT INTO plan_barrier_crossing (plan_id, compound_a, compound_b) VALUES (@p, @a, @b)",
                ("p", id), ("a", Math.Min(a, b)), ("b", Math.Max(a, b))));
        foreach (var a in p.Assignments)
            batch.BatchCommands.Add(BatchCommand("INSERT INTO plan_compound (plan_id, compound_id, cell_idx, territory) VALUES (@p, @c, @i, @t)",
                ("p", id), ("c", a.CompoundId), ("i", a.Cell), ("t", (Geometry)a.Territory)));
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(ct);
        return id;
    }

    /// <summary>Locks the plan row (<c>FOR UPDATE</c>) and reads its status, barriers and nesting; null when there is no such plan.</summary>
    public static async Task<PlanLock?> LockAsync(DbSession s, long id, CancellationToken ct = default)
    {
        await using var cmd = s.Command("SELECT status, coalesce((params->>'barriers')::bool, true), coalesce((params->>'nest')::bool, false) FROM plan WHERE id = @plan FOR UPDATE");
        cmd.Parameters.AddWithValue("plan", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? new PlanLock(r.GetString(0), r.GetBoolean(1), r.GetBoolean(2)) : null;
    }

    /// <summary>Copies a published version as a new preview (planning_restore.sql); returns the new plan's id.</summary>
    public static async Task<long> RestoreAsPreviewAsync(DbSession s, long sourceId, CancellationToken ct = default)
    {
        await using var cmd = s.Command(Sql("planning_restore"));
        cmd.Parameters.AddWithValue("source", sourceId);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>A plan's version (null for a preview or an unknown plan).</summary>
    public static async Task<int?> VersionAsync(DbSession s, long id, CancellationToken ct = default)
    {
        await using var cmd = s.Command("SELECT version FROM plan WHERE id = @plan");
        cmd.Parameters.AddWithValue("plan", id);
        return await cmd.ExecuteScalarAsync(ct) as int?;
    }

    /// <summary>Every cell of a plan by index (empty when the plan has none or does not exist).</summary>
    public static async Task<IReadOnlyDictionary<int, PlanCellState>> CellsAsync(DbSession s, long id, CancellationToken ct = default)
    {
        await using var cmd = s.Command("SELECT idx, code::text, locked, staff_id, contiguous, area FROM plan_cell WHERE plan_id = @plan ORDER BY idx");
        cmd.Parameters.AddWithValue("plan", id);
        var cells = new SortedDictionary<int, PlanCellState>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            cells[r.GetInt32(0)] = new PlanCellState(r.GetString(1), r.GetBoolean(2), r.IsDBNull(3) ? null : r.GetInt32(3), r.GetBoolean(4), r.GetFieldValue<Geometry>(5));
        return cells;
    }

    /// <summary>The cell a compound is in within a plan; null when the compound is not in the plan.</summary>
    public static async Task<int?> CompoundCellAsync(DbSession s, long id, int compoundId, CancellationToken ct = default)
    {
        await using var cmd = s.Command("SELECT cell_idx FROM plan_compound WHERE plan_id = @plan AND compound_id = @c");
        cmd.Parameters.AddWithValue("plan", id);
        cmd.Parameters.AddWithValue("c", compoundId);
        return await cmd.ExecuteScalarAsync(ct) as int?;
    }

    /// <summary>The compounds of some cells of a plan with households, footprint, territory, cell, community and name, by id.</summary>
    public static async Task<IReadOnlyList<PlanUnit>> UnitsAsync(DbSession s, long id, int[] cells, CancellationToken ct = default)
    {
        await using var cmd = s.Command(Sql("planning_units"));
        cmd.Parameters.AddWithValue("plan", id);
        cmd.Parameters.AddWithValue("cells", cells);
        var list = new List<PlanUnit>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new PlanUnit(r.GetInt32(0), r.GetInt32(1), r.GetFieldValue<Geometry>(2), r.GetFieldValue<Geometry>(3), r.GetInt32(4),
                r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6)));
        return list;
    }

    /// <summary>Connected adjacency between the compounds of some cells (pairs of compound ids, see planning_adjacency.sql):
    /// shared territory boundary of positive length, and — when <paramref name="barriers"/> — not across an arterial road
    /// unless the plan allows that crossing.</summary>
    public static async Task<IReadOnlyList<(int A, int B)>> AdjacencyAsync(DbSession s, long id, int[] cells, bool barriers, CancellationToken ct = default)
    {
        await using var cmd = s.Command(Sql("planning_adjacency"));
        cmd.Parameters.AddWithValue("plan", id);
        cmd.Parameters.AddWithValue("cells", cells);
        cmd.Parameters.AddWithValue("barriers", barriers);
        var list = new List<(int, int)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add((r.GetInt32(0), r.GetInt32(1)));
        return list;
    }

    /// <summary>The cells (other than its own) whose compounds' territories share a boundary with the compound's territory
    /// (planning_neighbour_cells.sql), ascending; whether a road cuts the border is left to <see cref="AdjacencyAsync"/>.</summary>
    public static async Task<int[]> NeighbourCellsAsync(DbSession s, long id, int compoundId, CancellationToken ct = default)
    {
        await using var cmd = s.Command(Sql("planning_neighbour_cells"));
        cmd.Parameters.AddWithValue("plan", id);
        cmd.Parameters.AddWithValue("compound", compoundId);
        var list = new List<int>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(r.GetInt32(0));
        return [.. list];
    }

    /// <summary>Moves a compound to another cell (its territory goes with it).</summary>
    public static Task SetCompoundCellAsync(DbSession s, long id, int compoundId, int cell, CancellationToken ct = default) =>
        s.ExecuteAsync("UPDATE plan_compound SET cell_idx = @to WHERE plan_id = @plan AND compound_id = @c", ct, ("to", cell), ("plan", id), ("c", compoundId));

    /// <summary>Rebuilds the polygons of some cells as the union of their compounds' territories.</summary>
    public static Task RebuildCellAreasAsync(DbSession s, long id, int[] cells, CancellationToken ct = default) =>
        s.ExecuteAsync(Sql("planning_cell_union"), ct, ("plan", id), ("cells", cells));

    /// <summary>Marks some cells contiguous or not.</summary>
    public static Task SetContiguousAsync(DbSession s, long id, int[] cells, bool contiguous, CancellationToken ct = default) =>
        s.ExecuteAsync("UPDATE plan_cell SET contiguous = @c WHERE plan_id = @plan AND idx = ANY(@cells)", ct, ("c", contiguous), ("plan", id), ("cells", cells));

    /// <summary>Locks or unlocks a cell.</summary>
    public static Task SetLockedAsync(DbSession s, long id, int idx, bool locked, CancellationToken ct = default) =>
        s.ExecuteAsync("UPDATE plan_cell SET locked = @l WHERE plan_id = @plan AND idx = @i", ct, ("l", locked), ("plan", id), ("i", idx));

    /// <summary>Writes a redrawn edge: each compound's cell and territory, and the new polygons of the cells (marked contiguous).</summary>
    public static async Task ApplyRedrawAsync(DbSession s, long id, IReadOnlyList<PlanUnit> units, IReadOnlyList<(int Idx, Geometry Area)> cells, CancellationToken ct = default)
    {
        await using var batch = new NpgsqlBatch(s.Connection, s.Transaction);
        foreach (var u in units)
            batch.BatchCommands.Add(BatchCommand("UPDATE plan_compound SET cell_idx = @i, territory = ST_Multi(@t) WHERE plan_id = @plan AND compound_id = @c",
                ("i", u.Cell), ("t", u.Territory), ("plan", id), ("c", u.Id)));
        foreach (var (idx, area) in cells)
            batch.BatchCommands.Add(BatchCommand("UPDATE plan_cell SET area = ST_Multi(@g), contiguous = true WHERE plan_id = @plan AND idx = @i",
                ("g", area), ("plan", id), ("i", idx)));
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(ct);
    }

    internal static NpgsqlBatchCommand BatchCommand(string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        foreach (var (n, v) in parameters) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        return cmd;
    }
}
