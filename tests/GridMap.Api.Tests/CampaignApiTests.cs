using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Application.Auth;
using GridMap.Storage.Campaign;
using GridMap.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace GridMap.Api.Tests;

/// <summary>The tiny city plus hand-made campaign compounds (21–28) in the staffed cell 410105001001001, each with 12
/// households of 100 m² in two units (rooms 1–6: 1单元, 7–12: 2单元), and a staff user linked to staff 1 (王芳, that cell).</summary>
public sealed class CampaignFixture : AppFixture
{
    public const string StaffUser = "wangfang";

    /// <summary>Photos go to a temporary folder, never into the repository.</summary>
    public static readonly string PhotoFolder = Path.Combine(Path.GetTempPath(), "gridmap-test-photos-" + Environment.ProcessId);

    protected override void ConfigureApp(IWebHostBuilder builder) =>
        builder.UseSetting("GridMap:Campaign:PhotoFolder", PhotoFolder);

    private static string Compound(int id, string name, string stage, double x) => $"""
        INSERT INTO compound (id, name, district_code, footprint, households, heated_area_m2, retrofit_status, heating_system, consent_rate, cell_code) VALUES
          ({id}, '{name}', '410105', ST_GeomFromText('POLYGON(({x} 34.780,{x + 0.001} 34.780,{x + 0.001} 34.781,{x} 34.781,{x} 34.780))', 4326), 12, 1200, '{stage}', 'series', 0, '410105001001001');
        INSERT INTO household (compound_id, building, unit, floor, room, area_m2, owner_name, phone)
          SELECT {id}, '1号楼', (1 + (n - 1) / 6)::text || '单元', 1 + (n - 1) % 6, n::text, 100, '业主' || n, '1380000000' || (n % 10) FROM generate_series(1, 12) n;
        """;

    protected override async Task<TestDatabase> CreateDatabaseAsync()
    {
        var db = await TestDatabase.CreateAsync();
        var seed = ApiFixture.Seed
            + Compound(21, "全流程小区", "visiting", 113.610) + Compound(22, "未达表决小区", "visiting", 113.612)
            + Compound(23, "网格员小区", "publicity", 113.614) + Compound(24, "并发小区", "visiting", 113.616)
            + Compound(25, "新鲜度小区", "publicity", 113.618) + Compound(26, "纠纷小区", "construction", 113.620)
            + Compound(27, "回访小区", "completed", 113.622) + Compound(28, "照片小区", "visiting", 113.624)
            // 22: 7 of 12 agree with 200 m² each (area enough), 5 absent: participation by count 7/12 < 2/3.
            + "UPDATE household SET consent = 'agree', area_m2 = 200 WHERE compound_id = 22 AND room::int <= 7;"
            + "UPDATE household SET consent = 'absent' WHERE compound_id = 22 AND room::int > 7;";
        await using var cmd = db.DataSource.CreateCommand(seed);
        await cmd.ExecuteNonQueryAsync();
        return db;
    }

    public async Task<HttpClient> StaffClientAsync()
    {
        await CreateUserAsync(StaffUser, Roles.Staff, 1);
        using (GridMap.Application.Pipeline.CallerScope.RunAs(GridMap.Application.Pipeline.Caller.System))
            await Factory.Services.GetRequiredService<UserAccounts>().LinkStaffAsync(StaffUser, "王芳");
        return await ClientForAsync(StaffUser);
    }
}

/// <summary>
/// The campaign API (issue 10) against a real PostGIS: visits set answers, both consents computed on hand-made compounds,
/// every stage rule allowed and refused (422 with its rule), riser blocking lifted by bypasses, the 五化 checklist and
/// acceptance, disputes and fee status, follow-up schedule and overdue flag, staff cell scoping (403), audit with the user's
/// name, 412 on a stale If-Match, and tile/statistics freshness after a stage change.
/// </summary>
public sealed class CampaignApiTests(CampaignFixture app) : IClassFixture<CampaignFixture>
{
    private static async Task<JsonElement> Json(HttpResponseMessage res) => JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement;

    private static async Task<string?> Rule(HttpResponseMessage res) =>
        (await Json(res)).TryGetProperty("rule", out var r) ? r.GetString() : null;

    private static async Task<Dictionary<string, long>> RoomsAsync(HttpClient c, int compound)
    {
        var list = await c.GetFromJsonAsync<JsonElement>($"/api/compounds/{compound}/households");
        return list.EnumerateArray().ToDictionary(h => h.GetProperty("room").GetString()!, h => h.GetProperty("id").GetInt64());
    }

    private static async Task VisitAsync(HttpClient c, int compound, long household, string consent) =>
        Assert.Equal(HttpStatusCode.Created, (await c.PostAsJsonAsync($"/api/compounds/{compound}/visits",
            new { householdId = household, outcome = consent == "absent" ? "not_home" : "met", consent, notes = "测试" })).StatusCode);

    private static Task<HttpResponseMessage> StageAsync(HttpClient c, int compound, string stage) =>
        c.PostAsJsonAsync($"/api/compounds/{compound}/stage", new { stage });

    private async Task<long> ScalarAsync(string sql)
    {
        await using var cmd = app.Db.DataSource.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [PostgisFact]
    public async Task EveryStageRule_RefusedUntilItsConditionHolds_ThenAllowed_WithConsentsAtTheThresholds_AndAudited()
    {
        using var planner = await app.ClientAs(Roles.Planner, 1);
        var rooms = await RoomsAsync(planner, 21);
        Assert.Equal(12, rooms.Count);
        Assert.All((await planner.GetFromJsonAsync<JsonElement>("/api/compounds/21/households")).EnumerateArray(),
            h => Assert.Equal("none", h.GetProperty("consent").GetString()));

        // 8 of 12 take part (2/3 exactly), 6 of the 8 agree (3/4 exactly); by area too (all 100 m²).
        foreach (var r in new[] { "1", "2", "3", "7", "8", "9" }) await VisitAsync(planner, 21, rooms[r], "agree");
        foreach (var r in new[] { "4", "10" }) await VisitAsync(planner, 21, rooms[r], "disagree");
        await VisitAsync(planner, 21, rooms["5"], "absent");

        var c = await planner.GetFromJsonAsync<JsonElement>("/api/compounds/21");
        var consent = c.GetProperty("consent");
        Assert.Equal("visiting", c.GetProperty("stage").GetString());
        Assert.Equal(0.6667, consent.GetProperty("participationByArea").GetDouble());
        Assert.Equal(0.6667, consent.GetProperty("participationByCount").GetDouble());
        Assert.Equal(0.75, consent.GetProperty("agreementByArea").GetDouble());
        Assert.Equal(0.75, consent.GetProperty("agreementByCount").GetDouble());
        Assert.True(consent.GetProperty("voteRuleMet").GetBoolean());
        var blocked = consent.GetProperty("blockedUnits").EnumerateArray().ToList();
        Assert.Equal(2, blocked.Count);
        Assert.Equal(new[] { rooms["4"], rooms["5"], rooms["6"] }, blocked[0].GetProperty("households").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(0.5, c.GetProperty("consent_rate").GetDouble()); // the maintained summary: 6 of 12 agree

        Assert.Equal("stage-order", await Rule(await StageAsync(planner, 21, "construction")));
        var signed = await StageAsync(planner, 21, "signed");
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Equal("signed", (await Json(signed)).GetProperty("stage").GetString());

        var refused = await StageAsync(planner, 21, "construction");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("no-unit-ready", await Rule(refused));
        foreach (var r in new[] { "4", "5", "6" })
            Assert.Equal(HttpStatusCode.OK, (await planner.PostAsJsonAsync($"/api/compounds/21/households/{rooms[r]}/bypass", new { bypass = true })).StatusCode);
        Assert.Equal(1, (await planner.GetFromJsonAsync<JsonElement>("/api/compounds/21")).GetProperty("consent").GetProperty("blockedUnits").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await StageAsync(planner, 21, "construction")).StatusCode);

        Assert.Equal("checklist-incomplete", await Rule(await StageAsync(planner, 21, "acceptance")));
        foreach (var item in new[] { "design", "materials", "process", "operations" })
            Assert.Equal(HttpStatusCode.OK, (await planner.PutAsJsonAsync($"/api/compounds/21/checklist/{item}", new { evidence = $"{item} 证据.pdf" })).StatusCode);
        Assert.Equal("checklist-incomplete", await Rule(await StageAsync(planner, 21, "acceptance")));
        Assert.Equal(HttpStatusCode.BadRequest, (await planner.PutAsJsonAsync("/api/compounds/21/checklist/inspection", new { evidence = " " })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await planner.PutAsJsonAsync("/api/compounds/21/checklist/inspection", new { evidence = "验收报告.pdf" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await StageAsync(planner, 21, "acceptance")).StatusCode);

        Assert.Equal("acceptance-not-passed", await Rule(await StageAsync(planner, 21, "completed")));
        Assert.Equal(HttpStatusCode.OK, (await planner.PostAsJsonAsync("/api/compounds/21/acceptance", new { passed = true, notes = "并网验收通过" })).StatusCode);
        var done = await StageAsync(planner, 21, "completed");
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal("completed", (await Json(done)).GetProperty("retrofit_status").GetString());

        Assert.Equal(4, await ScalarAsync("SELECT count(*) FROM compound_stage_event WHERE compound_id = 21 AND actor = 'planner-b1'"));
        var campaign = await planner.GetFromJsonAsync<JsonElement>("/api/compounds/21/campaign");
        Assert.Equal(new[] { "signed", "construction", "acceptance", "completed" },
            campaign.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("stage").GetString()));
        Assert.All(campaign.GetProperty("checklist").EnumerateArray(), i => Assert.False(string.IsNullOrEmpty(i.GetProperty("evidence").GetString())));

        var history = await planner.GetFromJsonAsync<JsonElement>("/api/history?entity=compound&id=21&limit=100");
        var actions = history.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("user").GetString() == "planner-b1")
            .Select(i => i.GetProperty("action").GetString()).ToList();
        Assert.Contains("campaign.move-stage", actions);
        Assert.Contains("campaign.record-visit", actions);
        Assert.Contains("campaign.set-bypass", actions);
    }

    [PostgisFact]
    public async Task Signed_WhenOneFlatShortOfTwoThirdsByCount_IsRefused_AndNothingChanges()
    {
        var c = await app.Client.GetFromJsonAsync<JsonElement>("/api/compounds/22");
        Assert.True(c.GetProperty("consent").GetProperty("participationByArea").GetDouble() > 2.0 / 3);
        Assert.False(c.GetProperty("consent").GetProperty("voteRuleMet").GetBoolean());
        var res = await StageAsync(app.Client, 22, "signed");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
        Assert.Equal("vote-rule-not-met", await Rule(res));
        Assert.Equal(HttpStatusCode.BadRequest, (await StageAsync(app.Client, 22, "finished")).StatusCode);
        Assert.Equal("visiting", (await app.Client.GetFromJsonAsync<JsonElement>("/api/compounds/22")).GetProperty("stage").GetString());
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM compound_stage_event WHERE compound_id = 22"));
    }

    [PostgisFact]
    public async Task Staff_RecordsOnlyInTheirCells_OthersAre403_AndManagerWritesNothing()
    {
        using var staff = await app.StaffClientAsync();
        var rooms = await RoomsAsync(staff, 23);
        await VisitAsync(staff, 23, rooms["1"], "agree");
        Assert.Equal(HttpStatusCode.Created, (await staff.PostAsJsonAsync("/api/compounds/23/visits", new { householdId = (long?)null, outcome = "publicity", notes = "宣传点" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await StageAsync(staff, 23, "visiting")).StatusCode);

        var other = await staff.PostAsJsonAsync("/api/compounds/3/visits", new { householdId = (long?)null, outcome = "publicity" });
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(AccessDenied.NotYourCell, await Rule(other));

        using var unlinked = await app.ClientAs(Roles.Staff, 1);
        Assert.Equal(AccessDenied.NotYourCell, await Rule(await unlinked.PostAsJsonAsync("/api/compounds/23/visits", new { outcome = "publicity" })));
        using var manager = await app.ClientAs(Roles.Manager);
        var m = await manager.PostAsJsonAsync("/api/compounds/23/visits", new { outcome = "publicity" });
        Assert.Equal(HttpStatusCode.Forbidden, m.StatusCode);
        Assert.Equal(AccessDenied.Forbidden, await Rule(m));

        // Contact is for those who visit: the staff user sees it, the manager gets it masked.
        Assert.Equal("业主1", (await staff.GetFromJsonAsync<JsonElement>("/api/compounds/23/households"))[0].GetProperty("ownerName").GetString());
        Assert.Equal(JsonValueKind.Null, (await manager.GetFromJsonAsync<JsonElement>("/api/compounds/23/households"))[0].GetProperty("ownerName").ValueKind);

        var history = await app.Client.GetFromJsonAsync<JsonElement>("/api/history?entity=visit&id=" +
            await ScalarAsync("SELECT max(id) FROM visit WHERE compound_id = 23 AND household_id IS NOT NULL"));
        Assert.Equal(CampaignFixture.StaffUser, history.GetProperty("items")[0].GetProperty("user").GetString());
    }

    [PostgisFact]
    public async Task Write_WithAStaleIfMatch_Is412WithTheCurrentCompound_AndWritesNothing()
    {
        var get = await app.Client.GetAsync("/api/compounds/24");
        var etag = get.Headers.ETag?.Tag;
        Assert.NotNull(etag);
        var rooms = await RoomsAsync(app.Client, 24);

        using var first = new HttpRequestMessage(HttpMethod.Post, "/api/compounds/24/visits") { Content = JsonContent.Create(new { householdId = rooms["1"], outcome = "met", consent = "agree" }) };
        first.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        var ok = await app.Client.SendAsync(first);
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        Assert.NotEqual(etag, ok.Headers.ETag?.Tag);

        var visits = await ScalarAsync("SELECT count(*) FROM visit WHERE compound_id = 24");
        using var stale = new HttpRequestMessage(HttpMethod.Post, "/api/compounds/24/visits") { Content = JsonContent.Create(new { householdId = rooms["2"], outcome = "met", consent = "disagree" }) };
        stale.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        var res = await app.Client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.PreconditionFailed, res.StatusCode);
        Assert.Equal("precondition-failed", await Rule(res));
        Assert.Contains("compound-24-r", await res.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(visits, await ScalarAsync("SELECT count(*) FROM visit WHERE compound_id = 24"));
        Assert.Equal("none", (await app.Client.GetFromJsonAsync<JsonElement>("/api/compounds/24/households")).EnumerateArray()
            .Single(h => h.GetProperty("room").GetString() == "2").GetProperty("consent").GetString());
    }

    [PostgisFact]
    public async Task StageChange_ShowsAtOnceInRetrofitStats_AndInTheNextProgressTile()
    {
        const string tile = "/tiles/progress_cells/12/3340/1625.mvt";
        var statsBefore = await app.Client.GetFromJsonAsync<JsonElement>("/api/stats/retrofit");
        var tileBefore = await app.Client.GetByteArrayAsync(tile);
        var genBefore = await ScalarAsync("SELECT gen FROM tile_generation");
        Assert.Equal(HttpStatusCode.OK, (await StageAsync(app.Client, 25, "visiting")).StatusCode);

        var statsAfter = await app.Client.GetFromJsonAsync<JsonElement>("/api/stats/retrofit");
        int Count(JsonElement s, string stage) => s.GetProperty("byStatus").EnumerateArray().Single(r => r.GetProperty("status").GetString() == stage).GetProperty("compounds").GetInt32();
        Assert.Equal(Count(statsBefore, "publicity") - 1, Count(statsAfter, "publicity"));
        Assert.Equal(Count(statsBefore, "visiting") + 1, Count(statsAfter, "visiting"));
        Assert.True(await ScalarAsync($"SELECT count(*) FROM tile_change WHERE gen > {genBefore} AND source = 'agg_cell'") > 0);
        Assert.NotEqual(tileBefore, await app.Client.GetByteArrayAsync(tile));
    }

    [PostgisFact]
    public async Task Dispute_MovesOpenInProgressResolved_WithTheResolution_AndFeeStatusIsRecorded()
    {
        var rooms = await RoomsAsync(app.Client, 26);
        // The manager dashboard's dispute list (GET /api/stats/progress?include=disputes) follows the records.
        async Task<JsonElement?> Listed()
        {
            var j = await app.Client.GetFromJsonAsync<JsonElement>("/api/stats/progress?by=district&include=disputes");
            return j.GetProperty("disputes").EnumerateArray().Where(d => d.GetProperty("id").GetInt32() == 26).Select(d => (JsonElement?)d).SingleOrDefault();
        }
        var before = await Listed() is { } b0 ? (b0.GetProperty("openCount").GetInt32(), b0.GetProperty("inProgress").GetInt32()) : (0, 0);
        var open = await app.Client.PostAsJsonAsync("/api/compounds/26/disputes", new { summary = "施工噪音", owner = "王芳", householdIds = new[] { rooms["3"] } });
        Assert.Equal(HttpStatusCode.Created, open.StatusCode);
        var id = (await Json(open)).GetProperty("id").GetInt64();
        Assert.True((await app.Client.GetFromJsonAsync<JsonElement>("/api/compounds/26")).GetProperty("dispute").GetBoolean());
        var listed = (await Listed())!.Value;
        Assert.Equal(before.Item1 + 1, listed.GetProperty("openCount").GetInt32());
        Assert.Equal("王芳", listed.GetProperty("owner").GetString());
        Assert.Equal("施工噪音", listed.GetProperty("notes").GetString());
        Assert.Equal(JsonValueKind.String, listed.GetProperty("oldestOpenedAt").ValueKind);

        Assert.Equal(HttpStatusCode.BadRequest, (await app.Client.PostAsJsonAsync($"/api/compounds/26/disputes/{id}", new { status = "resolved" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsJsonAsync($"/api/compounds/26/disputes/{id}", new { status = "in_progress" })).StatusCode);
        Assert.True((await app.Client.GetFromJsonAsync<JsonElement>("/api/compounds/26")).GetProperty("dispute").GetBoolean());
        Assert.Equal(before.Item2 + 1, (await Listed())!.Value.GetProperty("inProgress").GetInt32());
        var resolved = await app.Client.PostAsJsonAsync($"/api/compounds/26/disputes/{id}", new { status = "resolved", resolution = "调整施工时间" });
        Assert.Equal("resolved", (await Json(resolved)).GetProperty("status").GetString());
        Assert.False((await app.Client.GetFromJsonAsync<JsonElement>("/api/compounds/26")).GetProperty("dispute").GetBoolean());
        Assert.Equal(before.Item1, await Listed() is { } after ? after.GetProperty("openCount").GetInt32() : 0);
        Assert.Equal("dispute-order", await Rule(await app.Client.PostAsJsonAsync($"/api/compounds/26/disputes/{id}", new { status = "open" })));

        var fee = await app.Client.PutAsJsonAsync("/api/compounds/26/fee", new { status = "arrears", collector = "物业代收" });
        Assert.Equal(HttpStatusCode.OK, fee.StatusCode);
        Assert.Equal("arrears", (await Json(fee)).GetProperty("fee_status").GetString());
        Assert.Equal("物业代收", (await Json(fee)).GetProperty("fee_collector").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Client.PutAsJsonAsync("/api/compounds/26/fee", new { status = "free" })).StatusCode);
    }

    [PostgisTheory]
    [InlineData("2025-12-01", null, "2025-12-08")]   // completed in the heating season: within 7 days
    [InlineData("2025-06-01", null, "2025-11-22")]   // completed in summer: 7 days after the heating start (11-15)
    [InlineData("2025-06-01", "2025-11-20", "2025-12-20")] // then monthly in the season
    [InlineData("2025-06-01", "2026-02-20", "2026-11-22")] // a month later is past the season's end (03-15): next season
    [InlineData("2025-11-15", null, "2025-11-22")]   // completed on the first heating day
    public async Task FollowUpSchedule_FirstWithin7DaysOfHeatingStart_ThenMonthlyInTheSeason(string completed, string? last, string due)
    {
        var store = app.Factory.Services.GetRequiredService<CampaignWorkStore>();
        Assert.Equal(DateOnly.Parse(due, System.Globalization.CultureInfo.InvariantCulture),
            await store.FollowUpDueAsync(DateOnly.Parse(completed, System.Globalization.CultureInfo.InvariantCulture),
                last is null ? null : DateOnly.Parse(last, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [PostgisFact]
    public async Task CompletedCompound_WithNoFollowUp_IsOverdue_UntilOneIsRecorded()
    {
        await ScalarAsync("WITH i AS (INSERT INTO compound_stage_event (compound_id, stage, at, actor) VALUES (27, 'completed', now() - interval '400 days', 'test') RETURNING 1) SELECT count(*) FROM i");
        var before = (await app.Client.GetFromJsonAsync<JsonElement>("/api/compounds/27")).GetProperty("follow_up");
        Assert.True(before.GetProperty("overdue").GetBoolean());
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM compound_follow_up WHERE compound_id = 27 AND overdue"));
        var res = await app.Client.PostAsJsonAsync("/api/compounds/27/follow-ups", new { notes = "室温 20℃" });
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var after = (await Json(res)).GetProperty("followUp");
        Assert.False(after.GetProperty("overdue").GetBoolean());
        Assert.True(DateOnly.Parse(after.GetProperty("due").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > DateOnly.FromDateTime(DateTime.UtcNow));
        Assert.Equal("stage-order", await Rule(await app.Client.PostAsJsonAsync("/api/compounds/28/follow-ups", new { notes = "x" })));
    }

    [PostgisFact]
    public async Task Photo_IsStoredWhenItIsAnImage_AndRefusedOtherwise()
    {
        var visit = await app.Client.PostAsJsonAsync("/api/compounds/28/visits", new { outcome = "publicity" });
        var id = (await Json(visit)).GetProperty("visit").GetProperty("id").GetInt64();
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0];
        using var ok = new ByteArrayContent(png);
        ok.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var res = await app.Client.PostAsync($"/api/compounds/28/visits/{id}/photos", ok);
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        Assert.Equal(1, await ScalarAsync($"SELECT count(*) FROM visit_photo WHERE visit_id = {id}"));
        using var text = new ByteArrayContent("not a photo"u8.ToArray());
        text.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Client.PostAsync($"/api/compounds/28/visits/{id}/photos", text)).StatusCode);
    }
}
