using GridMap.Domain.Geo;
using GridMap.Domain.Partitioning;
using GridMap.Storage.Planning;
using GridMap.Tests.Shared;
using static GridMap.Tests.Shared.LocalRoads;
using NetTopologySuite.Geometries;

namespace GridMap.Storage.Tests;

/// <summary>
/// Road travel for staff assignment on tiny road networks (<see cref="LocalRoads"/>), so every expected route can be
/// added up by hand. The roads are stored the way real data arrives: crossing
/// without shared vertices, ending a fraction of a metre short of the road they meet.
/// </summary>
public class StaffTravelTests
{
    private static StaffMember Staff(string id, double x, double y) => new(id, X0 + x, Y0 + y);
    private static CellSite Cell(int n, double x, double y) => new(n, X0 + x, Y0 + y);

    private static async Task<StaffTravelMatrix> Matrix(TestDatabase db, IReadOnlyList<StaffMember> staff, IReadOnlyList<CellSite> cells)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        return await StaffTravel.MatrixAsync(conn, null, staff, cells);
    }

    private static async Task<(int Edges, int Vertices)> GraphSize(TestDatabase db)
    {
        await using var cmd = db.DataSource.CreateCommand("SELECT edges, vertices FROM road_route_state");
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        return (r.GetInt32(0), r.GetInt32(1));
    }

    [PostgisFact]
    public async Task RoadDistance_AroundAGap_IsTheHandAddedRoute_AndNeverBelowTheStraightLine()
    {
        await using var db = await TestDatabase.CreateAsync();
        await LocalRoads.AddAsync(db, 1, URoads);
        // Base (100,100) joins A at (100,0): 100 m; cell (100,900) joins C at (100,1000): 100 m.
        // Along A 900 m east, B 1000 m north, C 900 m west: 100 + 900 + 1000 + 900 + 100 = 3000 m. Straight: 800 m.
        var m = await Matrix(db, [Staff("s", 100, 100)], [Cell(0, 100, 900)]);
        var p = m.Pair("s", 0);
        Assert.Equal(TravelSource.Road, p.Source);
        Assert.Equal(3000, p.Metres, 0.01);
        Assert.Equal(800, p.StraightMetres, 0.01);
        Assert.Equal(3000, m.Costs["s", 0], 0.01);
        Assert.Equal((3, 4), await GraphSize(db));

        // Any base and any site near the roads: road ≥ straight line (the route is a path between the two points).
        var rng = new Random(11);
        var staff = Enumerable.Range(0, 8).Select(i => Staff($"r{i}", rng.NextDouble() * 1200 - 100, rng.NextDouble() * 1200 - 100)).ToList();
        var cells = Enumerable.Range(0, 8).Select(i => Cell(i, rng.NextDouble() * 1200 - 100, rng.NextDouble() * 1200 - 100)).ToList();
        var all = await Matrix(db, staff, cells);
        Assert.Equal(64, all.Pairs.Count);
        Assert.All(all.Pairs, q =>
        {
            Assert.Equal(TravelSource.Road, q.Source);
            Assert.True(q.Metres >= q.StraightMetres - 1e-6, $"{q.StaffId}→{q.Cell}: road {q.Metres:0.0} m < straight {q.StraightMetres:0.0} m");
            Assert.Equal(StaffAssigner.StraightLine(staff.Single(s => s.Id == q.StaffId), cells.Single(c => c.Cell == q.Cell)), q.StraightMetres, 0.01);
        });
    }

    [PostgisFact]
    public async Task CrossingRoadWithoutSharedVertex_IsNodedAfterTheRoadsChange_AndShortensTheRoute()
    {
        await using var db = await TestDatabase.CreateAsync();
        await LocalRoads.AddAsync(db, 1, URoads);
        var staff = new[] { Staff("s", 100, 100) };
        var cells = new[] { Cell(0, 100, 900) };
        Assert.Equal(3000, (await Matrix(db, staff, cells)).Costs["s", 0], 0.01);
        // D runs north-south at x = 500 across A and C; no vertex of A or C lies on it.
        await LocalRoads.AddAsync(db, 10, ("D 中路", "local", [(500, -200), (500, 1200)]));
        // 100 + 400 along A + 1000 along D + 400 along C + 100 = 2000 m.
        Assert.Equal(2000, (await Matrix(db, staff, cells)).Costs["s", 0], 0.01);
        // A and C split in two, D in three: 8 edges; ends (0,0) (500,0) (1000,0) (1000,1000) (500,1000) (0,1000) (500,-200) (500,1200).
        Assert.Equal((8, 8), await GraphSize(db));
    }

    [PostgisFact]
    public async Task RoadEndingHalfAMetreShortOfAnother_JoinsIt()
    {
        await using var db = await TestDatabase.CreateAsync();
        await LocalRoads.AddAsync(db, 1, URoads);
        // E leaves B westwards but stops 0.3 m short of it (as digitised roads do).
        await LocalRoads.AddAsync(db, 20, ("E 支路", "local", [(200, 500), (999.7, 500)]));
        // Base (1100,500) joins B at (1000,500): 100 m; west along E 800 m; cell (200,520) joins E's end: 20 m → 920 m.
        var m = await Matrix(db, [Staff("s", 1100, 500)], [Cell(0, 200, 520)]);
        Assert.Equal(TravelSource.Road, m.Pair("s", 0).Source);
        Assert.Equal(920, m.Costs["s", 0], 0.01);
    }

    [PostgisFact]
    public async Task PointOffTheNetwork_OrOnAnotherPiece_FallsBackToStraightLineTimesDetour_AndSaysWhy()
    {
        await using var db = await TestDatabase.CreateAsync();
        await LocalRoads.AddAsync(db, 1, URoads);
        await LocalRoads.AddAsync(db, 30, ("F 孤立道路", "local", [(3000, 3000), (3500, 3000)]));
        var staff = new[] { Staff("near", 100, 100), Staff("far", 100, 5000) };
        var cells = new[] { Cell(0, 100, 900), Cell(1, 3200, 3050) };
        var m = await Matrix(db, staff, cells);
        Assert.Equal(TravelSource.Road, m.Pair("near", 0).Source);
        var far = m.Pair("far", 0);
        Assert.Equal(TravelSource.Estimate, far.Source);
        Assert.Equal(4100 * StaffTravel.DetourFactor, far.Metres, 0.01);
        Assert.Equal(EstimateReason.StaffOffNetwork, far.Reason);
        var island = m.Pair("near", 1);
        Assert.Equal(TravelSource.Estimate, island.Source);
        Assert.Equal(island.StraightMetres * StaffTravel.DetourFactor, island.Metres, 6);
        Assert.Equal(EstimateReason.NoRoute, island.Reason);
        Assert.Equal(3, m.Estimated);
    }

    [PostgisFact]
    public async Task Assignment_NearerAsTheCrowFlies_LosesToTheWorkerNearerByRoad()
    {
        await using var db = await TestDatabase.CreateAsync();
        await LocalRoads.AddAsync(db, 1, URoads);
        // The cell (100,900) lies across the gap from S1 (800 m straight, 3000 m by road round the U) and
        // 849 m straight from S2 at (700,1500), who joins C at (700,1000): 500 + 600 + 100 = 1200 m by road.
        var staff = new[] { Staff("S1", 100, 100), Staff("S2", 700, 1500) };
        var cells = new[] { Cell(0, 100, 900) };
        Assert.Equal("S1", StaffAssigner.Assign(cells, staff).StaffOf[0]);
        var road = await Matrix(db, staff, cells);
        Assert.Equal(1200, road.Costs["S2", 0], 0.01);
        var r = StaffAssigner.Assign(cells, staff, costs: road.Costs);
        Assert.Equal("S2", r.StaffOf[0]);
        Assert.Equal(1200, r.TotalDistance, 0.01);
    }

    [PostgisFact]
    public async Task CellSite_IsTheCompoundNearestTheHouseholdWeightedCentre_NotAPointInsideTheTerritory()
    {
        // One long cell 3 km × 200 m; a compound of 900 households at its west end and one of 100 at its east end.
        // The household-weighted centre lies 300 m east of the big compound, so the site is the big compound's point
        // (PointOnSurface of the cell would be mid-cell, 1.5 km from either).
        await using var db = await TestDatabase.CreateAsync();
        var district = Multi(Wgs("POLYGON((-500 -500, 3500 -500, 3500 700, -500 700, -500 -500))"));
        var cellArea = Multi(Wgs("POLYGON((0 0, 3000 0, 3000 200, 0 200, 0 0))"));
        var big = Wgs("POLYGON((50 50, 150 50, 150 150, 50 150, 50 50))");
        var small = Wgs("POLYGON((2850 50, 2950 50, 2950 150, 2850 150, 2850 50))");
        await using (var cmd = db.DataSource.CreateCommand("""
            INSERT INTO branch VALUES (1, '东区', @d);
            INSERT INTO district VALUES ('410105', '金水区', 1, @d);
            INSERT INTO compound (id, name, district_code, footprint, households) VALUES
              (1, '西头大院', '410105', @big, 900), (2, '东头小院', '410105', @small, 100);
            """))
        {
            cmd.Parameters.AddWithValue("d", (Geometry)district); cmd.Parameters.AddWithValue("big", big); cmd.Parameters.AddWithValue("small", small);
            await cmd.ExecuteNonQueryAsync();
        }
        var id = await InsertPreviewAsync(db, district, [new PreviewCell(0, "410105000000001", "长条网格", cellArea)],
            [new PreviewAssignment(1, 0, cellArea), new PreviewAssignment(2, 0, cellArea)]);

        await using var q = db.DataSource.CreateCommand("SELECT x, y FROM plan_cell_sites(@p)");
        q.Parameters.AddWithValue("p", id);
        await using var r = await q.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        Assert.Equal(X0 + 100, r.GetDouble(0), 0);
        Assert.Equal(Y0 + 100, r.GetDouble(1), 0);
        Assert.False(await r.ReadAsync());
    }

    /// <summary>Saves a one-cell preview of district 410105 (1 cell ± 5%, target 1000 households) as the planner would.</summary>
    internal static async Task<long> InsertPreviewAsync(TestDatabase db, MultiPolygon district, IReadOnlyList<PreviewCell> cells, IReadOnlyList<PreviewAssignment> assignments)
    {
        var preview = new NewPreview("district", "410105", "district:410105", "金水区", "410105", district,
            new PlanParams(new PlanParamsArea("district", "410105"), 1, 0.05, null, null, Barriers: true, Nest: false, Seed: 1, TimeLimit: 10, Objective: "compact"),
            new PlanSearch(), 950, 1050, 1000, cells, assignments);
        await using var s = await DbSession.BeginAsync(db.DataSource);
        var id = await PlanRepository.InsertPreviewAsync(s, preview);
        await s.CommitAsync();
        return id;
    }
}
