using Npgsql;

namespace GridMap.Storage.StaffWork;

/// <summary>One compound of a staff member's cells as the staff phone view lists it.</summary>
/// <param name="Households">Households of the compound (count).</param>
/// <param name="NotVisited">Households with no visit recorded yet.</param>
/// <param name="FollowUpDue">Date the next follow-up visit (回访) is due, when one is scheduled.</param>
/// <param name="FollowUpOverdue">True when that date has passed without the visit.</param>
public sealed record WorkCompound(int Id, string Name, string Stage, int Households, int NotVisited, DateOnly? FollowUpDue, bool FollowUpOverdue);

/// <summary>A grid cell assigned to the staff member, with its compounds (ordered by name).</summary>
public sealed record WorkCell(string Code, string Name, IReadOnlyList<WorkCompound> Compounds);

/// <summary>Read side of the staff phone view: the cells assigned to the staff record a user is linked to.</summary>
public sealed class StaffWorkStore(NpgsqlDataSource db)
{
    private static readonly string WorkSql = SqlScripts.Get("StaffWork/staff_work.sql");

    /// <summary>The linked staff member's name and cells (null name, no cells: the user is not linked to a staff record).</summary>
    public async Task<(string? StaffName, IReadOnlyList<WorkCell> Cells)> WorkAsync(string userName, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(WorkSql);
        cmd.Parameters.AddWithValue("user", userName);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        string? staff = null;
        var cells = new List<(string Code, string Name, List<WorkCompound> Compounds)>();
        while (await r.ReadAsync(ct))
        {
            staff ??= r.GetString(0);
            var code = r.GetString(1).Trim();
            if (cells.Count == 0 || cells[^1].Code != code) cells.Add((code, r.GetString(2), []));
            if (r.IsDBNull(3)) continue;
            cells[^1].Compounds.Add(new WorkCompound(r.GetInt32(3), r.GetString(4), r.GetString(5), r.GetInt32(6), r.GetInt32(7),
                r.IsDBNull(8) ? null : DateOnly.FromDateTime(r.GetDateTime(8)), r.GetBoolean(9)));
        }
        return (staff, cells.Select(c => new WorkCell(c.Code, c.Name, c.Compounds)).ToList());
    }
}
