using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Application.Auth;
using GridMap.Tests.Shared;

namespace GridMap.Api.Tests;

/// <summary>
/// GET /api/staff/work (the staff phone view's "my cells") against a real PostGIS, on the campaign fixture: a staff user
/// linked to 王芳 sees exactly the compounds of 王芳's cells (compared with SQL over grid_cell/compound), with household and
/// not-yet-visited counts that match the household and visit tables; a visit moves "not yet visited" down by one; a user
/// linked to no staff record (a staff user not linked, a manager, the admin) gets 200 with no cells; unsigned is 401.
/// </summary>
public sealed class StaffWorkApiTests(CampaignFixture app) : IClassFixture<CampaignFixture>
{
    private async Task<long> ScalarAsync(string sql)
    {
        await using var cmd = app.Db.DataSource.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    private async Task<HashSet<int>> IdsAsync(string sql)
    {
        var ids = new HashSet<int>();
        await using var cmd = app.Db.DataSource.CreateCommand(sql);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) ids.Add(r.GetInt32(0));
        return ids;
    }

    private static IEnumerable<JsonElement> Compounds(JsonElement work) =>
        work.GetProperty("cells").EnumerateArray().SelectMany(c => c.GetProperty("compounds").EnumerateArray());

    /// <summary>A second grid worker with a cell of their own (compound 3 moves into it), so "exactly mine" has something to exclude.</summary>
    private async Task SecondStaffCellAsync()
    {
        await using var cmd = app.Db.DataSource.CreateCommand("""
            INSERT INTO staff (id, name, phone, role, branch_id, base) VALUES (2, '李强', '138 0371 0002', 'grid_worker', 1, ST_SetSRID(ST_MakePoint(113.75, 34.76), 4326)) ON CONFLICT DO NOTHING;
            INSERT INTO grid_cell (code, name, district_code, staff_id, area) VALUES
              ('410104001001001', '管城1网格', '410104', 2, ST_Multi(ST_GeomFromText('POLYGON((113.70 34.70,113.80 34.70,113.80 34.80,113.70 34.80,113.70 34.70))', 4326)))
              ON CONFLICT DO NOTHING;
            UPDATE compound SET cell_code = '410104001001001' WHERE id = 3;
            """);
        await cmd.ExecuteNonQueryAsync();
    }

    [PostgisFact]
    public async Task LinkedStaff_SeesExactlyTheCompoundsOfTheirCells_WithHouseholdAndNotVisitedCountsFromTheTables()
    {
        await SecondStaffCellAsync();
        using var staff = await app.StaffClientAsync();

        var res = await staff.GetAsync("/api/staff/work");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var work = await res.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("王芳", work.GetProperty("staffName").GetString());

        var expected = await IdsAsync("""
            SELECT c.id FROM compound c JOIN grid_cell g ON g.code = c.cell_code JOIN staff s ON s.id = g.staff_id WHERE s.name = '王芳'
            """);
        var listed = Compounds(work).Select(c => c.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(expected.Count, listed.Count); // each compound once
        Assert.Equal(expected.Order(), listed.Order());
        Assert.DoesNotContain(3, listed); // 李强's cell
        Assert.Equal(await ScalarAsync("SELECT count(*) FROM grid_cell g JOIN staff s ON s.id = g.staff_id WHERE s.name = '王芳'"),
            work.GetProperty("cells").GetArrayLength());

        foreach (var c in Compounds(work))
        {
            var id = c.GetProperty("id").GetInt32();
            Assert.Equal(await ScalarAsync($"SELECT count(*) FROM household WHERE compound_id = {id}"), c.GetProperty("households").GetInt64());
            Assert.Equal(await ScalarAsync($"SELECT count(*) FROM household h WHERE h.compound_id = {id} AND NOT EXISTS (SELECT 1 FROM visit v WHERE v.household_id = h.id)"),
                c.GetProperty("notVisited").GetInt64());
            await using var stage = app.Db.DataSource.CreateCommand($"SELECT retrofit_status FROM compound WHERE id = {id}");
            Assert.Equal((string?)await stage.ExecuteScalarAsync(), c.GetProperty("stage").GetString());
        }
    }

    [PostgisFact]
    public async Task AVisitToAHouseholdNotYetVisited_LowersNotVisitedByOne()
    {
        using var staff = await app.StaffClientAsync();
        static int NotVisited(JsonElement work, int id) => Compounds(work).Single(c => c.GetProperty("id").GetInt32() == id).GetProperty("notVisited").GetInt32();

        var before = await staff.GetFromJsonAsync<JsonElement>("/api/staff/work");
        var households = await staff.GetFromJsonAsync<JsonElement>("/api/compounds/28/households");
        var notVisitedId = await ScalarAsync("SELECT min(h.id) FROM household h WHERE h.compound_id = 28 AND NOT EXISTS (SELECT 1 FROM visit v WHERE v.household_id = h.id)");
        Assert.Contains(households.EnumerateArray(), h => h.GetProperty("id").GetInt64() == notVisitedId);

        var current = await staff.GetAsync("/api/compounds/28");
        using var req = new HttpRequestMessage(HttpMethod.Post, "/api/compounds/28/visits")
        {
            Content = JsonContent.Create(new { householdId = notVisitedId, outcome = "met", consent = "undecided", notes = "走访" }),
        };
        req.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.Created, (await staff.SendAsync(req)).StatusCode);

        var after = await staff.GetFromJsonAsync<JsonElement>("/api/staff/work");
        Assert.Equal(NotVisited(before, 28) - 1, NotVisited(after, 28));
    }

    [PostgisFact]
    public async Task UsersLinkedToNoStaffRecord_GetNoCells_NotAnError()
    {
        foreach (var role in new[] { Roles.Staff, Roles.Manager, Roles.Admin })
        {
            using var c = await app.ClientAs(role, role == Roles.Admin ? null : 1);
            var res = await c.GetAsync("/api/staff/work");
            Assert.Equal(HttpStatusCode.OK, res.StatusCode);
            var work = await res.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(0, work.GetProperty("cells").GetArrayLength());
            Assert.Equal(JsonValueKind.Null, work.GetProperty("staffName").ValueKind);
        }
    }

    [PostgisFact]
    public async Task Unsigned_Is401_WithProblemDetails()
    {
        using var anon = app.AnonymousClient();
        var res = await anon.GetAsync("/api/staff/work");
        Assert.Equal(HttpStatusCode.Unauthorized, res.StatusCode);
        Assert.Equal("application/problem+json", res.Content.Headers.ContentType?.MediaType);
    }
}
