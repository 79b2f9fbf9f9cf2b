using GridMap.Domain.Partitioning;
using Npgsql;

namespace GridMap.Storage.Planning;

/// <summary>How one staff-to-cell travel figure was found.</summary>
public enum TravelSource
{
    /// <summary>Along the road network (pgRouting), with straight access legs to the nearest road.</summary>
    Road,
    /// <summary>No road route: straight line × <see cref="StaffTravel.DetourFactor"/>.</summary>
    Estimate,
}

/// <summary>Why a travel figure is an estimate rather than a road route.</summary>
public enum EstimateReason
{
    /// <summary>The database has no pgRouting.</summary>
    NoPgRouting,
    /// <summary>The staff base is more than <see cref="StaffTravel.MaxSnapMetres"/> from every road.</summary>
    StaffOffNetwork,
    /// <summary>The cell site is more than <see cref="StaffTravel.MaxSnapMetres"/> from every road.</summary>
    CellOffNetwork,
    /// <summary>Both are on the network, but on parts with no path between them.</summary>
    NoRoute,
}

/// <summary>One (staff, cell) travel figure in metres (≥ 0): what the assignment uses, the straight-line distance beside
/// it, where it came from, and for an estimate why the roads could not be used (null for a road route).</summary>
public sealed record TravelPair(string StaffId, int Cell, double Metres, double StraightMetres, TravelSource Source, EstimateReason? Reason);

/// <summary>A staff × cell travel matrix: the costs for <see cref="StaffAssigner"/> and every pair with its source.</summary>
public sealed record StaffTravelMatrix(TravelCostMatrix Costs, IReadOnlyList<TravelPair> Pairs)
{
    /// <summary>Pairs estimated from the straight line because the road network could not join them.</summary>
    public int Estimated => Pairs.Count(p => p.Source == TravelSource.Estimate);

    /// <summary>The pair of a staff member and a cell.</summary>
    public TravelPair Pair(string staffId, int cell) => Pairs.First(p => p.StaffId == staffId && p.Cell == cell);
}

/// <summary>
/// Travel distances from staff bases to grid cells along the roads, for staff assignment. The roads are noded
/// into a routing graph (migration 0007: road_route_edge / road_route_vertex, rebuilt when the roads changed);
/// each point joins the graph at the nearest point of the nearest road within <see cref="MaxSnapMetres"/>, and
/// pgRouting's many-to-many <c>pgr_dijkstraCost</c> joins them in one query (Queries/staff_travel_matrix.sql).
/// Where a point is farther than that from every road, or the two points lie on parts of the network with no
/// path between them, or pgRouting is not installed, the pair falls back to the straight line ×
/// <see cref="DetourFactor"/> and says so. Points and distances are EPSG:4547 metres.
/// </summary>
public static class StaffTravel
{
    /// <summary>Road distance over straight-line distance assumed where there is no road route: the median of the
    /// demo city's routed staff-to-compound pairs is 1.27 (docs/api-planning.md), and 1.3 is the common urban figure.</summary>
    public const double DetourFactor = 1.3;

    /// <summary>A point farther than this from every road is treated as off the network (m).</summary>
    public const double MaxSnapMetres = 1000;

    private static string Sql(string name) => SqlScripts.Get($"Queries/{name}.sql");

    /// <summary>Rebuilds the routing graph if the roads changed since it was built (or always, when <paramref name="force"/>);
    /// returns whether it rebuilt.</summary>
    public static async Task<bool> RefreshAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, bool force = false, CancellationToken ct = default)
    {
        await using var cmd = new NpgsqlCommand("SELECT road_route_refresh(@force)", conn, tx);
        cmd.Parameters.AddWithValue("force", force);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Travel from every staff member's base to every cell site (all EPSG:4547 metres), by road where the
    /// network joins them, otherwise estimated. Refreshes a stale routing graph first.</summary>
    public static async Task<StaffTravelMatrix> MatrixAsync(NpgsqlConnection conn, NpgsqlTransaction? tx,
        IReadOnlyList<StaffMember> staff, IReadOnlyList<CellSite> cells, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(cells);
        var pairs = new List<TravelPair>(staff.Count * cells.Count);
        if (staff.Count > 0 && cells.Count > 0)
        {
            if (!await HasPgRoutingAsync(conn, tx, ct))
            {
                foreach (var s in staff)
                    foreach (var c in cells)
                        pairs.Add(Estimate(s.Id, c.Cell, StaffAssigner.StraightLine(s, c), EstimateReason.NoPgRouting));
            }
            else
            {
                await RefreshAsync(conn, tx, false, ct);
                await using var cmd = new NpgsqlCommand(Sql("staff_travel_matrix"), conn, tx);
                cmd.Parameters.AddWithValue("sx", staff.Select(s => s.X).ToArray());
                cmd.Parameters.AddWithValue("sy", staff.Select(s => s.Y).ToArray());
                cmd.Parameters.AddWithValue("cx", cells.Select(c => c.X).ToArray());
                cmd.Parameters.AddWithValue("cy", cells.Select(c => c.Y).ToArray());
                cmd.Parameters.AddWithValue("max_snap", MaxSnapMetres);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    var s = staff[r.GetInt32(0) - 1];
                    var c = cells[r.GetInt32(1) - 1];
                    var straight = r.GetDouble(3);
                    if (!r.IsDBNull(2)) { pairs.Add(new TravelPair(s.Id, c.Cell, r.GetDouble(2), straight, TravelSource.Road, null)); continue; }
                    var reason = r.IsDBNull(4) ? EstimateReason.StaffOffNetwork : r.IsDBNull(5) ? EstimateReason.CellOffNetwork : EstimateReason.NoRoute;
                    pairs.Add(Estimate(s.Id, c.Cell, straight, reason));
                }
            }
        }
        return new StaffTravelMatrix(new TravelCostMatrix(pairs.Select(p => (p.StaffId, p.Cell, p.Metres))), pairs);
    }

    /// <summary>The travel matrix inside a use case's session (see the overload on a connection).</summary>
    public static Task<StaffTravelMatrix> MatrixAsync(DbSession session, IReadOnlyList<StaffMember> staff, IReadOnlyList<CellSite> cells, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return MatrixAsync(session.Connection, session.Transaction, staff, cells, ct);
    }

    private static TravelPair Estimate(string staffId, int cell, double straight, EstimateReason reason) =>
        new(staffId, cell, straight * DetourFactor, straight, TravelSource.Estimate, reason);

    private static async Task<bool> HasPgRoutingAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pgrouting')", conn, tx);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
