using System.Globalization;
using GridMap.Application.Planning;
using GridMap.Domain.Rules;
using GridMap.Storage;
using GridMap.Storage.Planning;
using GridMap.Tests.Shared;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GridMap.Application.Tests.Planning;

/// <summary>
/// A refused edit leaves the database exactly as it was, even when the rule that refuses it is checked after the edit
/// wrote its rows (the write pipeline's one transaction is rolled back). The plan: four compounds in a row, 0.001° apart,
/// cells A = {1, 2} and B = {3, 4}, an arterial road along the A|B boundary (x = 2) cutting 2 from 3.
/// </summary>
public class RefusedWriteTests
{
    private static readonly WKTReader Reader = new();
    private const double Y0 = 34.75, Y1 = 34.751;

    private static double X(double i) => 113.6 + i * 0.001;

    private static T Wkt<T>(string wkt) where T : Geometry
    {
        var g = (T)Reader.Read(wkt);
        g.SRID = 4326;
        return g;
    }

    private static string Box(double x0, double x1, double y0, double y1) =>
        FormattableString.Invariant($"(({X(x0)} {y0}, {X(x1)} {y0}, {X(x1)} {y1}, {X(x0)} {y1}, {X(x0)} {y0}))");

    private static MultiPolygon Strip(double x0, double x1) => Wkt<MultiPolygon>("MULTIPOLYGON(" + Box(x0, x1, Y0, Y1) + ")");

    private static async Task<(TestDatabase Db, long PlanId)> RowOfFourAsync()
    {
        var db = await TestDatabase.CreateAsync();
        var district = Wkt<MultiPolygon>("MULTIPOLYGON(" + Box(-1, 5, 34.749, 34.752) + ")");
        await using (var cmd = db.DataSource.CreateCommand("""
            INSERT INTO branch VALUES (1, '西区', @d); INSERT INTO district VALUES ('410102', '中原区', 1, @d);
            INSERT INTO road (id, name, kind, geom) VALUES (1, '中原路', 'arterial', @road);
            """))
        {
            cmd.Parameters.AddWithValue("d", (Geometry)district);
            cmd.Parameters.AddWithValue("road", (Geometry)Wkt<LineString>(FormattableString.Invariant($"LINESTRING({X(2)} 34.7495, {X(2)} 34.7515)")));
            await cmd.ExecuteNonQueryAsync();
        }
        for (var i = 1; i <= 4; i++)
        {
            await using var cmd = db.DataSource.CreateCommand("INSERT INTO compound (id, name, district_code, footprint, households) VALUES (@id, @n, '410102', @f, 100)");
            cmd.Parameters.AddWithValue("id", i);
            cmd.Parameters.AddWithValue("n", $"小区{i}");
            cmd.Parameters.AddWithValue("f", (Geometry)Wkt<Polygon>("POLYGON" + Box(i - 0.7, i - 0.3, 34.7503, 34.7507)));
            await cmd.ExecuteNonQueryAsync();
        }
        var preview = new NewPreview("district", "410102", "district:410102", "中原区", "410102", Strip(0, 4),
            new PlanParams(new PlanParamsArea("district", "410102"), 2, 0.05, null, null, Barriers: true, Nest: false, Seed: 1, TimeLimit: 10, Objective: "compact"),
            new PlanSearch(), 190, 210, 200,
            [new PreviewCell(0, "410102000000001", "A", Strip(0, 2)), new PreviewCell(1, "410102000000002", "B", Strip(2, 4))],
            Enumerable.Range(1, 4).Select(i => new PreviewAssignment(i, i <= 2 ? 0 : 1, Strip(i - 1, i))).ToList());
        await using var s = await DbSession.BeginAsync(db.DataSource);
        var id = await PlanRepository.InsertPreviewAsync(s, preview);
        await s.CommitAsync();
        return (db, id);
    }

    /// <summary>Every row of the plan tables (geometries as EWKB hex), in a stable order.</summary>
    private static async Task<string> SnapshotAsync(TestDatabase db)
    {
        await using var cmd = db.DataSource.CreateCommand("""
            SELECT string_agg(x, E'\n' ORDER BY x) FROM (
              SELECT 'plan ' || p::text AS x FROM plan p
              UNION ALL SELECT 'cell ' || c::text FROM plan_cell c
              UNION ALL SELECT 'compound ' || m::text FROM plan_compound m
              UNION ALL SELECT 'grid ' || g::text FROM grid_cell g) q
            """);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>The A|B edge bent west round compound 2, which lands in B — across the road from 3.</summary>
    private static LineString EdgeRoundCompound2() => Wkt<LineString>(string.Create(CultureInfo.InvariantCulture,
        $"LINESTRING({X(2)} {Y0}, {X(1)} {Y0 + 0.0001}, {X(1)} {Y1 - 0.0001}, {X(2)} {Y1})"));

    [PostgisFact]
    public async Task RedrawEdge_RefusedByContiguityAfterItsRowsWereWritten_LeavesTheDatabaseUnchanged()
    {
        var (db, id) = await RowOfFourAsync();
        await using var _ = db;
        var planning = new Planning(db.DataSource);
        var before = await SnapshotAsync(db);

        // The contiguity of B through the roads is checked on the rows the redraw has just written: refused, rolled back.
        var refused = await Assert.ThrowsAsync<RuleViolation>(() => planning.Editing.RedrawEdgeAsync(new RedrawEdgeRequest(id, 0, 1, EdgeRoundCompound2())));
        Assert.Equal(RuleCodes.WouldSplitCell, refused.Code);
        Assert.Equal(before, await SnapshotAsync(db));

        // Without barriers the same edit is accepted and does change those rows (so the refusal above came after them).
        await using (var cmd = db.DataSource.CreateCommand("UPDATE plan SET params = jsonb_set(params, '{barriers}', 'false')"))
            await cmd.ExecuteNonQueryAsync();
        var roadsOff = await SnapshotAsync(db);
        var done = await planning.Editing.RedrawEdgeAsync(new RedrawEdgeRequest(id, 0, 1, EdgeRoundCompound2()));
        Assert.Equal([2], done.Reassigned);
        Assert.Equal(3, done.Plan.Cells.Single(c => c.Idx == 1).Compounds);
        Assert.NotEqual(roadsOff, await SnapshotAsync(db));
    }

    [PostgisFact]
    public async Task RefusedMoveLockAssignAndPublish_LeaveTheDatabaseUnchanged_WithTheirRuleCodes()
    {
        var (db, id) = await RowOfFourAsync();
        await using var _ = db;
        var planning = new Planning(db.DataSource);
        var before = await SnapshotAsync(db);

        async Task Refused(string code, Func<Task> write)
        {
            var e = await Assert.ThrowsAsync<RuleViolation>(write);
            Assert.Equal(code, e.Code);
            Assert.Equal(before, await SnapshotAsync(db));
        }

        await Refused(RuleCodes.NotAdjacent, () => planning.Editing.MoveCompoundAsync(new MoveCompoundRequest(id, 1, 1)));
        await Refused(RuleCodes.AlreadyInCell, () => planning.Editing.MoveCompoundAsync(new MoveCompoundRequest(id, 3, 1)));
        // 2 touches B, but the road between 2 and 3 keeps it out of B's reach.
        await Refused(RuleCodes.NotAdjacent, () => planning.Editing.MoveCompoundAsync(new MoveCompoundRequest(id, 2, 1)));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => planning.Staffing.AssignAsync(new AssignStaffRequest(id, 0, 99)));
        Assert.Equal(before, await SnapshotAsync(db));

        // Locking commits; a published plan then refuses every edit, and a second publish.
        await planning.Editing.LockCellAsync(new LockCellRequest(id, 0, true));
        before = await SnapshotAsync(db);
        await Refused(RuleCodes.CellLocked, () => planning.Editing.RedrawEdgeAsync(new RedrawEdgeRequest(id, 0, 1, EdgeRoundCompound2())));
        await planning.Publishing.PublishAsync(id);
        before = await SnapshotAsync(db);
        await Refused(RuleCodes.PlanNotEditable, () => planning.Editing.LockCellAsync(new LockCellRequest(id, 0, false)));
        await Refused(RuleCodes.PlanNotEditable, () => planning.Staffing.AssignAsync(new AssignStaffRequest(id, 0, null)));
        await Refused(RuleCodes.NotPreview, () => planning.Publishing.PublishAsync(id));
    }
}
