using GridMap.Application.Planning;
using GridMap.Domain.Geo;
using GridMap.Storage;
using GridMap.Storage.Planning;
using GridMap.Tests.Shared;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GridMap.Application.Tests.Planning;

/// <summary>
/// Staff for a preview over a tiny road network written in EPSG:4547 metres around (450000, 3850000): a "U" of roads
/// round a gap, so the worker nearer as the crow flies is the farther by road.
/// </summary>
public class PlanStaffingTests
{
    private const double X0 = 450_000, Y0 = 3_850_000;

    // C (0,1000) ── (1000,1000)
    //                   │ B
    // A (0,0)    ── (1000,0)
    private static readonly (string Name, string Kind, (double X, double Y)[] Line)[] URoads =
    [
        ("A 南路", "arterial", [(0, 0), (1000, 0)]),
        ("B 东路", "arterial", [(1000, 0), (1000, 1000)]),
        ("C 北路", "local", [(0, 1000), (1000, 1000)]),
    ];

    private static async Task AddRoadsAsync(TestDatabase db)
    {
        var id = 1;
        foreach (var (name, kind, line) in URoads)
        {
            var wkt = "LINESTRING(" + string.Join(",", line.Select(p => FormattableString.Invariant($"{X0 + p.X} {Y0 + p.Y}"))) + ")";
            await using var cmd = db.DataSource.CreateCommand("INSERT INTO road (id, name, kind, geom) VALUES (@id, @name, @kind, ST_Transform(ST_GeomFromText(@wkt, 4547), 4326))");
            cmd.Parameters.AddWithValue("id", (long)id++); cmd.Parameters.AddWithValue("name", name);
            cmd.Parameters.AddWithValue("kind", kind); cmd.Parameters.AddWithValue("wkt", wkt);
            await cmd.ExecuteNonQueryAsync();
        }
    }

    [PostgisFact]
    public async Task SavedPreview_GivesTheCellToTheWorkerNearerByRoad_AndReportsTheRoadKm()
    {
        await using var db = await TestDatabase.CreateAsync();
        await AddRoadsAsync(db);
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

    /// <summary>A WKT in local metres (offset from X0, Y0) as WGS84, the way the tables store it.</summary>
    private static Geometry Wgs(string localWkt)
    {
        var g = new WKTReader().Read(localWkt);
        g.Apply(new Shifter());
        return Crs.GaussKruger114.ToWgs84(g);
    }

    private static MultiPolygon Multi(Geometry g)
    {
        var mp = g is Polygon p ? g.Factory.CreateMultiPolygon([p]) : (MultiPolygon)g;
        mp.SRID = 4326;
        return mp;
    }

    private sealed class Shifter : ICoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;
        public void Filter(CoordinateSequence seq, int i)
        {
            seq.SetX(i, seq.GetX(i) + X0);
            seq.SetY(i, seq.GetY(i) + Y0);
        }
    }
}
