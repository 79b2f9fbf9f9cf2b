using GridMap.Application.Planning;
using GridMap.Domain.Geo;
using GridMap.Storage;
using GridMap.Storage.Planning;
using GridMap.Tests.Shared;
using static GridMap.Tests.Shared.LocalRoads;
using NetTopologySuite.Geometries;

namespace GridMap.Application.Tests.Planning;

/// <summary>
/// Staff for a preview over the "U" of roads of <see cref="LocalRoads"/>: the worker nearer as the crow flies is the
/// farther by road.
/// </summary>
public class PlanStaffingTests
{
    [PostgisFact]
    public async Task SavedPreview_GivesTheCellToTheWorkerNearerByRoad_AndReportsTheRoadKm()
    {
        await using var db = await TestDatabase.CreateAsync();
        await LocalRoads.AddAsync(db, 1, URoads);
        var district = Multi(Wgs("POLYGON((-500 -500, 2000 -500, 2000 2000, -500 2000, -500 -500))"));
        var cellArea = Multi(Wgs("POLYGON((50 850, 150 850, 150 950, 50 950, 50 850))"));
        var footprint = Wgs("POLYGON((80 880, 120 880, 120 920, 80 920, 80 880))");
        await using (var cmd = db.DataSource.CreateCommand("""
            INSERT INTO branch VALUES (1, '东区', @d);
            INSERT INTO district VALUES ('410105', '金水区', 1, @d);
            INSERT INTO staff (id, name, phone, role, branch_id, base) VALUES
              (1, '近而绕路', '138 0371 0001', 'grid_worker', 1, @s1), (2, '远而顺路', '138 0371 0002', 'grid_worker', 1, @s2);
            INSERT INTO compound (id, name, district_code, footprint, households) VALUES (1, '河边小区', '410105', @f, 300);
            """))
        {
            cmd.Parameters.AddWithValue("d", (Geometry)district); cmd.Parameters.AddWithValue("s1", Wgs("POINT(100 100)"));
            cmd.Parameters.AddWithValue("s2", Wgs("POINT(700 1500)")); cmd.Parameters.AddWithValue("f", footprint);
            await cmd.ExecuteNonQueryAsync();
        }
        var planning = new Planning(db.DataSource);
        var preview = new NewPreview("district", "410105", "district:410105", "金水区", "410105", district,
            new PlanRequest(new PlanArea("district", "410105"), cells: 1).ToParams(), new PlanSearch(), 285, 315, 300,
            [new PreviewCell(0, "410105000000001", "河边网格", cellArea)], [new PreviewAssignment(1, 0, cellArea)]);
        var id = await planning.Pipeline.RunAsync(new("planning.partition", "test"), s => PlanPartitioner.SavePreviewAsync(s, preview, barriers: true, default));

        Assert.Equal(2, Assert.Single((await planning.Reading.PlanAsync(id)).Cells).StaffId);
        var travel = await planning.Staffing.TravelAsync(id);
        var cell = Assert.Single(travel.Cells);
        Assert.Equal(2, cell.StaffId);
        Assert.Equal("road", cell.Source);
        // The site is a point inside the 100 m square around (100,900), so about 1.2 km (± the square's half-width).
        Assert.InRange(cell.Km, 1.1, 1.3);
        Assert.True(cell.Km >= cell.StraightKm);
        Assert.Equal(0, travel.Estimated);
        Assert.Equal(cell.Km, travel.TotalKm, 2);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => planning.Staffing.TravelAsync(id + 1000));

        // The same figures after automatic assignment; by hand the other worker can be pinned, and is listed.
        var auto = await planning.Staffing.AutoAssignAsync(id);
        Assert.Equal(travel, auto.StaffTravel with { Cells = travel.Cells });
        Assert.Equal(travel.Cells, auto.StaffTravel.Cells);
        var pinned = await planning.Staffing.AssignAsync(new AssignStaffRequest(id, 0, 1));
        Assert.True(pinned.Cells[0].StaffPinned);
        var list = await planning.Staffing.StaffAsync(id);
        Assert.Equal([1, 2], list.Staff.Select(s => s.Id));
        Assert.Equal(0, list.Staff[0].Cell);
        Assert.Equal([2], list.StaffWithoutCells.Select(s => s.Id));
        Assert.Empty(list.CellsWithoutStaff);
    }

    [Fact]
    public void EveryEstimateReason_IsExplainedInChineseThenEnglish()
    {
        foreach (var r in Enum.GetValues<EstimateReason>())
            Assert.Matches(@"^\P{IsBasicLatin}.* \(.+\)$", PlanStaffing.ReasonText(r));
    }
}
