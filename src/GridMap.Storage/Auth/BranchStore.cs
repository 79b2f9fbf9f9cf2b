using NetTopologySuite.Geometries;
using Npgsql;

namespace GridMap.Storage.Auth;

/// <summary>A branch (分公司): id and name.</summary>
public sealed record BranchRow(int Id, string Name);

/// <summary>
/// Branches, and the branch a resource belongs to (through its district): what branch scoping decides by. Every lookup
/// returns null when the resource does not exist.
/// </summary>
public sealed class BranchStore(NpgsqlDataSource db)
{
    /// <summary>Every branch, by id.</summary>
    public async Task<IReadOnlyList<BranchRow>> ListAsync(CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT id, name FROM branch ORDER BY id");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<BranchRow>();
        while (await r.ReadAsync(ct)) list.Add(new BranchRow(r.GetInt32(0), r.GetString(1)));
        return list;
    }

    /// <summary>The branch of a district (6-digit code).</summary>
    public Task<int?> OfDistrictAsync(string districtCode, CancellationToken ct = default) =>
        ScalarAsync("SELECT branch_id FROM district WHERE code = @k", districtCode, ct);

    /// <summary>The branch of a plan (through the plan's district).</summary>
    public Task<int?> OfPlanAsync(long planId, CancellationToken ct = default) =>
        ScalarAsync("SELECT d.branch_id FROM plan p JOIN district d ON d.code = p.district_code WHERE p.id = @k", planId, ct);

    /// <summary>The branch of a grid cell (by its 15-digit code).</summary>
    public Task<int?> OfCellAsync(string cellCode, CancellationToken ct = default) =>
        ScalarAsync("SELECT d.branch_id FROM grid_cell c JOIN district d ON d.code = c.district_code WHERE c.code = @k", cellCode, ct);

    /// <summary>The branch of a compound.</summary>
    public Task<int?> OfCompoundAsync(int compoundId, CancellationToken ct = default) =>
        ScalarAsync("SELECT d.branch_id FROM compound c JOIN district d ON d.code = c.district_code WHERE c.id = @k", compoundId, ct);

    /// <summary>The branches whose districts a WGS84 polygon overlaps (none when it lies outside every district).</summary>
    public async Task<IReadOnlyList<int>> OfPolygonAsync(Geometry polygon, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("""
            SELECT DISTINCT branch_id FROM district
            WHERE ST_Intersects(area, @g) AND NOT ST_Touches(area, @g) ORDER BY branch_id
            """);
        cmd.Parameters.AddWithValue("g", polygon);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<int>();
        while (await r.ReadAsync(ct)) list.Add(r.GetInt32(0));
        return list;
    }

    private async Task<int?> ScalarAsync<TKey>(string sql, TKey key, CancellationToken ct) where TKey : notnull
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.AddWithValue("k", key);
        return await cmd.ExecuteScalarAsync(ct) is int id ? id : null;
    }
}
