using Npgsql;
using NpgsqlTypes;

namespace GridMap.Storage.Planning;

/// <summary>A grid worker of a plan's branch: id, name, base in EPSG:4547 metres, whether they already hold a cell of a
/// current plan that publishing this one would not replace, and the cell (index) of this plan they hold, if any.</summary>
public sealed record StaffCandidate(int Id, string Name, double X, double Y, bool BusyElsewhere, int? Cell);

/// <summary>A cell of a plan as a destination for staff: index, site in EPSG:4547 metres (the compound nearest the cell's
/// household-weighted centre, migration 0008), its staff and whether that staff was pinned by hand.</summary>
public sealed record CellSiteRow(int Idx, double X, double Y, int? StaffId, bool Pinned);

/// <summary>A staffed cell of a plan: index, staff id and name, the staff base and the cell site (EPSG:4547 metres).</summary>
public sealed record StaffedCell(int Idx, int StaffId, string StaffName, double StaffX, double StaffY, double SiteX, double SiteY);

/// <summary>
/// Staff of plans, inside the caller's <see cref="DbSession"/>: the grid workers who could take a plan's cells, cell
/// sites to route them to, and writing who holds which cell. Coordinates are EPSG:4547 metres.
/// </summary>
public static class StaffRepository
{
    private static string Sql(string name) => SqlScripts.Get($"Queries/{name}.sql");

    /// <summary>Grid workers of the plan's branch (by id), with their base, whether they are busy in another current plan and
    /// their cell in this plan (planning_staff.sql; "another" excludes the plans publishing this one would replace).</summary>
    public static async Task<IReadOnlyList<StaffCandidate>> CandidatesAsync(DbSession s, long planId, CancellationToken ct = default)
    {
        var replaced = await PublishRepository.ReplacedAsync(s, planId, ct);
        await using var cmd = s.Command(Sql("planning_staff"));
        cmd.Parameters.AddWithValue("plan", planId);
        cmd.Parameters.AddWithValue("replaced", replaced.ToArray());
        var list = new List<StaffCandidate>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new StaffCandidate(r.GetInt32(0), r.GetString(1), r.GetDouble(3), r.GetDouble(4), r.GetBoolean(5), r.IsDBNull(6) ? null : r.GetInt32(6)));
        return list;
    }

    /// <summary>The role of a staff member (grid_worker, supervisor, …); null when there is no such staff member.</summary>
    public static async Task<string?> RoleAsync(DbSession s, int staffId, CancellationToken ct = default)
    {
        await using var cmd = s.Command("SELECT role FROM staff WHERE id = @s");
        cmd.Parameters.AddWithValue("s", staffId);
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    /// <summary>Names of some staff members by id (unknown ids are left out).</summary>
    public static async Task<IReadOnlyDictionary<int, string>> NamesAsync(DbSession s, IEnumerable<int> ids, CancellationToken ct = default)
    {
        await using var cmd = s.Command("SELECT id, name FROM staff WHERE id = ANY(@ids)");
        cmd.Parameters.AddWithValue("ids", ids.Distinct().ToArray());
        var names = new Dictionary<int, string>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) names[r.GetInt32(0)] = r.GetString(1);
        return names;
    }

    /// <summary>Every cell of a plan as a site for staff assignment, by index (planning_cell_sites.sql).</summary>
    public static async Task<IReadOnlyList<CellSiteRow>> CellSitesAsync(DbSession s, long planId, CancellationToken ct = default)
    {
        await using var cmd = s.Command(Sql("planning_cell_sites"));
        cmd.Parameters.AddWithValue("plan", planId);
        var list = new List<CellSiteRow>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new CellSiteRow(r.GetInt32(0), r.GetDouble(1), r.GetDouble(2), r.IsDBNull(3) ? null : r.GetInt32(3), r.GetBoolean(4)));
        return list;
    }

    /// <summary>The staffed cells of a plan with staff base and cell site, by index (staff_travel_plan.sql).</summary>
    public static async Task<IReadOnlyList<StaffedCell>> StaffedCellsAsync(DbSession s, long planId, CancellationToken ct = default)
    {
        await using var cmd = s.Command(Sql("staff_travel_plan"));
        cmd.Parameters.AddWithValue("plan", planId);
        var list = new List<StaffedCell>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new StaffedCell(r.GetInt32(0), r.GetInt32(1), r.GetString(2), r.GetDouble(3), r.GetDouble(4), r.GetDouble(5), r.GetDouble(6)));
        return list;
    }

    /// <summary>Sets (or clears, when null) the staff of one cell, pinned when set by hand.</summary>
    public static Task SetCellStaffAsync(DbSession s, long planId, int idx, int? staffId, bool pinned, CancellationToken ct = default) =>
        s.ExecuteAsync("UPDATE plan_cell SET staff_id = @s, staff_pinned = @pin WHERE plan_id = @plan AND idx = @i", ct,
            ("s", staffId), ("pin", pinned), ("plan", planId), ("i", idx));

    /// <summary>Writes an automatic assignment: the staff (or none) of each listed cell; pins are left as they are.</summary>
    public static async Task SetAssignedStaffAsync(DbSession s, long planId, IReadOnlyDictionary<int, int?> staffOfCell, CancellationToken ct = default)
    {
        await using var batch = new NpgsqlBatch(s.Connection, s.Transaction);
        foreach (var (idx, staff) in staffOfCell)
        {
            var cmd = new NpgsqlBatchCommand("UPDATE plan_cell SET staff_id = @s WHERE plan_id = @plan AND idx = @i");
            cmd.Parameters.Add(new NpgsqlParameter("s", NpgsqlDbType.Integer) { Value = (object?)staff ?? DBNull.Value });
            cmd.Parameters.AddWithValue("plan", planId);
            cmd.Parameters.AddWithValue("i", idx);
            batch.BatchCommands.Add(cmd);
        }
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(ct);
    }
}
