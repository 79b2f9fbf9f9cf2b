using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GridMap.Api.Tests;

/// <summary>The real app over its own copy of the demo city (no grid cells yet: the planner makes them).</summary>
public sealed class PlanningFixture : AppFixture
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => DemoDatabase.CreateAsync();
}

/// <summary>
/// /api/planning against PostGIS and the demo city: background partitions with progress, cancel and clear
/// failures; previews that leave the published plan alone; the editing rules (move, lock, shared edge, staff)
/// answered with 422 and the rule's code; publishing as versions. Each test works on its own street.
/// </summary>
public sealed class PlanningApiTests(PlanningFixture api) : IClassFixture<PlanningFixture>
{
    private HttpClient Client => api.Client;

    private sealed record Street(string Code, int Compounds, int Households, int MaxHouseholds);

    private static readonly SemaphoreSlim StreetLock = new(1, 1);
    private static readonly HashSet<string> Taken = [];

    /// <summary>Streets of 8–30 compounds are kept for <see cref="PreviewAsync"/> (six tests, seven such demo streets);
    /// <see cref="DefaultPlanWhereAsync"/> takes its streets outside that range, so neither pool runs dry because of the other.</summary>
    private static bool InPreviewPool(int compounds) => compounds is >= 8 and <= 30;

    /// <summary>Small demo streets (8–30 compounds), each handed to one test only.</summary>
    private async Task<List<Street>> SmallStreetsAsync()
    {
        var all = await Client.GetFromJsonAsync<JsonElement>("/api/planning/areas?kind=street");
        return all.EnumerateArray()
            .Select(a => new Street(a.GetProperty("code").GetString()!, a.GetProperty("compounds").GetInt32(), a.GetProperty("households").GetInt32(), a.GetProperty("maxHouseholds").GetInt32()))
            .Where(s => InPreviewPool(s.Compounds)).OrderBy(s => s.Compounds).ThenBy(s => s.Code).ToList();
    }

    private async Task<JsonElement> Send(HttpMethod method, string url, object? body, HttpStatusCode expected)
    {
        using var req = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        var res = await Client.SendAsync(req);
        var text = await res.Content.ReadAsStringAsync();
        Assert.True(expected == res.StatusCode, $"{method} {url}: expected {expected}, got {res.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private Task<JsonElement> Get(string url, HttpStatusCode expected = HttpStatusCode.OK) => Send(HttpMethod.Get, url, null, expected);

    /// <summary>The stable code of a refused request (ProblemDetails extension <c>rule</c>).</summary>
    private static string? Rule(JsonElement problem) => problem.GetProperty("rule").GetString();

    private async Task<JsonElement> WaitJob(string id)
    {
        for (var i = 0; i < 600; i++)
        {
            var j = await Get($"/api/planning/jobs/{id}");
            var status = j.GetProperty("status").GetString();
            if (status is not ("queued" or "running")) return j;
            await Task.Delay(100);
        }
        throw new TimeoutException($"job {id} did not finish in a minute");
    }

    /// <summary>About two compounds per cell, but never so many cells that the largest compound outweighs a cell.</summary>
    private static int CellsFor(Street s) => Math.Max(2, Math.Min(s.Compounds / 2, (int)(1.2 * s.Households / s.MaxHouseholds)));

    /// <summary>A preview of a small street no other test uses: K ≈ compounds / 2 cells at ±30%, roads off
    /// (demo blocks often hold a single compound). Tries the next street when the engine finds no plan.</summary>
    private async Task<(long PlanId, Street Street)> PreviewAsync()
    {
        var failures = new List<string>();
        foreach (var s in await SmallStreetsAsync())
        {
            await StreetLock.WaitAsync();
            try
            {
                if (!Taken.Add(s.Code)) continue;
            }
            finally { StreetLock.Release(); }
            var job = await Send(HttpMethod.Post, "/api/planning/partitions",
                new { area = new { kind = "street", code = s.Code }, cells = CellsFor(s), tolerance = 0.3, barriers = false, timeLimit = 20 },
                HttpStatusCode.Accepted);
            var done = await WaitJob(job.GetProperty("id").GetString()!);
            if (done.GetProperty("status").GetString() == "succeeded") return (done.GetProperty("planId").GetInt64(), s);
            failures.Add($"{s.Code}: {done.GetProperty("error").GetString()}");
            if (failures.Count >= 3) break;
        }
        throw new InvalidOperationException("no small street could be partitioned: " + string.Join(" | ", failures));
    }

    private async Task<int> CountAsync(string sql)
    {
        await using var cmd = api.Db.DataSource.CreateCommand(sql);
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [PostgisFact]
    public async Task Partition_Street_Returns202Job_ThenPreviewWithStats_AndPublishedPlanUntouched()
    {
        var cellsBefore = await CountAsync("SELECT count(*) FROM grid_cell");
        var (id, street) = await PreviewAsync();
        var plan = await Get($"/api/planning/plans/{id}");
        Assert.Equal("preview", plan.GetProperty("status").GetString());
        var totals = plan.GetProperty("totals");
        Assert.Equal(street.Households, totals.GetProperty("households").GetInt32());
        Assert.Equal(street.Compounds, totals.GetProperty("compounds").GetInt32());
        Assert.True(totals.GetProperty("allContiguous").GetBoolean());
        Assert.True(totals.GetProperty("allWithinBounds").GetBoolean());
        var target = plan.GetProperty("target").GetDouble();
        foreach (var c in plan.GetProperty("cells").EnumerateArray())
        {
            Assert.Matches("^" + street.Code + "[0-9]{6}$", c.GetProperty("code").GetString());
            Assert.InRange(Math.Abs(c.GetProperty("households").GetInt32() / target - 1 - c.GetProperty("deviation").GetDouble()), 0, 6e-5);
            Assert.InRange(c.GetProperty("polsbyPopper").GetDouble(), 0.05, 1);
            Assert.True(c.GetProperty("compounds").GetInt32() >= 1);
        }
        // GeoJSON of cells and assignments; cells cover the compounds exactly once.
        var cells = await Get($"/api/planning/plans/{id}/cells");
        Assert.Equal(plan.GetProperty("cells").GetArrayLength(), cells.GetProperty("features").GetArrayLength());
        var compounds = await Get($"/api/planning/plans/{id}/compounds");
        Assert.Equal(street.Compounds, compounds.GetProperty("features").GetArrayLength());
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM plan_cell a JOIN plan_cell b ON a.plan_id = b.plan_id AND a.idx < b.idx WHERE a.plan_id = {id} AND ST_Area(ST_Intersection(a.area, b.area)::geography) > 1"));
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM plan_compound m JOIN plan_cell pc ON pc.plan_id = m.plan_id AND pc.idx = m.cell_idx JOIN compound c ON c.id = m.compound_id WHERE m.plan_id = {id} AND NOT ST_Covers(ST_Buffer(pc.area, 1e-7), c.footprint)"));
        // The published plan (grid_cell, compound.cell_code) did not change.
        Assert.Equal(cellsBefore, await CountAsync("SELECT count(*) FROM grid_cell"));
        // (the demo's campaign cells, community code + 901, hold the street's compounds: a preview must not move them).
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM compound WHERE street_code = '{street.Code}' AND cell_code IS DISTINCT FROM community_code || '901'"));
    }

    [PostgisTheory]
    [InlineData("{}", "area is required")]
    [InlineData("""{"area":{"kind":"street","code":"4101"}}""", "must be 9 digits")]
    [InlineData("""{"area":{"kind":"county","code":"410105"}}""", "not one of")]
    [InlineData("""{"area":{"kind":"street","code":"410105004"},"cells":5,"minHouseholds":300,"maxHouseholds":500}""", "not both")]
    [InlineData("""{"area":{"kind":"street","code":"410105004"},"minHouseholds":500,"maxHouseholds":300}""", "must exceed")]
    [InlineData("""{"area":{"kind":"street","code":"410105004"},"timeLimit":1000}""", "timeLimit")]
    [InlineData("""{"area":{"kind":"polygon","polygon":{"type":"Point","coordinates":[113.6,34.7]}}}""", "Polygon")]
    public async Task Partition_BadInput_Returns400NamingTheProblem(string body, string expected)
    {
        var res = await Client.PostAsync("/api/planning/partitions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var j = JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        Assert.Equal("invalid-parameter", Rule(j));
        // The detail names the parameter (zh-CN first, the English gloss in brackets).
        Assert.Contains(expected, j.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [PostgisFact]
    public async Task Partition_UnknownStreet_Returns404()
    {
        var j = await Send(HttpMethod.Post, "/api/planning/partitions", new { area = new { kind = "street", code = "410199999" } }, HttpStatusCode.NotFound);
        Assert.Equal("not-found", Rule(j));
        Assert.Contains("410199999", j.GetProperty("detail").GetString());
    }

    /// <summary>Partitions streets no other test uses with the planner's default request (300–500 households per cell,
    /// roads on, i.e. soft barriers) until one gives a plan that <paramref name="wanted"/> accepts; failures must name
    /// the constraint and save nothing.</summary>
    private async Task<(long PlanId, JsonElement Plan)> DefaultPlanWhereAsync(Func<JsonElement, bool> streetFilter, Func<JsonElement, bool> wanted, string what)
    {
        var streets = (await Client.GetFromJsonAsync<JsonElement>("/api/planning/areas?kind=street")).EnumerateArray()
            .Where(s => !InPreviewPool(s.GetProperty("compounds").GetInt32()) && streetFilter(s)).OrderBy(s => s.GetProperty("compounds").GetInt32()).ThenBy(s => s.GetProperty("code").GetString()).ToList();
        var tried = new List<string>();
        foreach (var s in streets)
        {
            var code = s.GetProperty("code").GetString()!;
            await StreetLock.WaitAsync();
            try { if (!Taken.Add(code)) continue; }
            finally { StreetLock.Release(); }
            var plans = await CountAsync("SELECT count(*) FROM plan");
            var job = await Send(HttpMethod.Post, "/api/planning/partitions", new { area = new { kind = "street", code } }, HttpStatusCode.Accepted);
            var done = await WaitJob(job.GetProperty("id").GetString()!);
            if (done.GetProperty("status").GetString() != "succeeded")
            {
                Assert.Matches("balance|contiguity", done.GetProperty("error").GetString()!);
                Assert.Equal(plans, await CountAsync("SELECT count(*) FROM plan"));
                tried.Add($"{code}: failed");
                continue;
            }
            var id = done.GetProperty("planId").GetInt64();
            var plan = await Get($"/api/planning/plans/{id}");
            if (wanted(plan)) return (id, plan);
            tried.Add($"{code}: plan without {what}");
            if (tried.Count >= 30) break;
        }
        throw new InvalidOperationException($"no demo street gave a plan with {what}: " + string.Join(" | ", tried));
    }

    [PostgisFact]
    public async Task Partition_SmallStreetWhereTheHeuristicMissesTheWindow_PlanCarriesSearchExact()
    {
        // Most demo streets have no plan with every cell in 300–500: the planner runs exact mode on them by itself.
        var (_, plan) = await DefaultPlanWhereAsync(s => s.GetProperty("compounds").GetInt32() <= 40,
            p => p.GetProperty("search").GetProperty("exact").ValueKind == JsonValueKind.Object, "exact mode's answer");
        var search = plan.GetProperty("search");
        var exact = search.GetProperty("exact");
        var status = exact.GetProperty("status").GetString();
        Assert.Contains(status, new[] { "optimal", "feasible", "impossible", "unknown" });
        foreach (var name in new[] { "gap", "objective", "heuristicObjective", "reason", "smallestWindow", "seconds" })
            Assert.True(exact.TryGetProperty(name, out _), $"search.exact.{name} is missing: {exact}");
        Assert.True(exact.GetProperty("seconds").GetDouble() > 0);
        Assert.Contains("精确求解", search.GetProperty("warnings")[0].GetString());
        if (status == "impossible")
        {
            // Proved: the preview is the best plan outside the window, and a wider window admits one.
            Assert.False(search.GetProperty("feasible").GetBoolean());
            var window = exact.GetProperty("smallestWindow");
            if (window.ValueKind == JsonValueKind.Object)
            {
                Assert.True(window.GetProperty("minHouseholds").GetDouble() <= 300);
                Assert.True(window.GetProperty("maxHouseholds").GetDouble() >= 500);
                Assert.True(window.GetProperty("minHouseholds").GetDouble() < 300 || window.GetProperty("maxHouseholds").GetDouble() > 500);
            }
        }
        else if (status is "optimal" or "feasible")
        {
            // Exact mode's plan replaced the heuristic's best effort: every cell in the window.
            Assert.True(search.GetProperty("feasible").GetBoolean());
            Assert.True(plan.GetProperty("totals").GetProperty("allWithinBounds").GetBoolean());
        }
        else Assert.False(search.GetProperty("feasible").GetBoolean());
    }

    [PostgisFact]
    public async Task Partition_CompoundBiggerThanTheWindow_IsAnOversizeCell_NotABalanceViolation()
    {
        var (id, plan) = await DefaultPlanWhereAsync(s => s.GetProperty("maxHouseholds").GetInt32() > 500 && s.GetProperty("compounds").GetInt32() <= 40,
            p => p.GetProperty("totals").GetProperty("oversizeCells").GetInt32() > 0, "an oversize cell");
        Assert.True(plan.GetProperty("totals").GetProperty("allWithinBounds").GetBoolean());
        var compounds = (await Get($"/api/planning/plans/{id}/compounds")).GetProperty("features").EnumerateArray()
            .Select(f => (Cell: f.GetProperty("properties").GetProperty("cell").GetInt32(), Households: f.GetProperty("properties").GetProperty("households").GetInt32())).ToList();
        foreach (var c in plan.GetProperty("cells").EnumerateArray())
        {
            var idx = c.GetProperty("idx").GetInt32();
            var biggest = compounds.Where(x => x.Cell == idx).Max(x => x.Households);
            // Oversize exactly when one compound alone is over the maximum; every other cell is within the window
            // unless the engine proved it undersize.
            Assert.Equal(biggest > 500, c.GetProperty("oversize").GetBoolean());
            if (!c.GetProperty("oversize").GetBoolean() && !c.GetProperty("undersize").GetBoolean())
                Assert.InRange(c.GetProperty("households").GetInt32(), 300, 500);
        }
        var warnings = plan.GetProperty("search").GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        Assert.Contains(warnings, w => w.StartsWith("超大网格", StringComparison.Ordinal));
    }

    [PostgisFact]
    public async Task SoftBarriers_CellSpanningACrossedRoad_IsContiguous_AndStaysSoWhenACompoundMovesIn()
    {
        var (id, plan) = await DefaultPlanWhereAsync(s => s.GetProperty("compounds").GetInt32() <= 40,
            p => p.GetProperty("barrierCrossings").GetArrayLength() > 0 && p.GetProperty("cells").GetArrayLength() >= 2, "a barrier crossing and two cells");
        Assert.Equal("soft", plan.GetProperty("search").GetProperty("barrierMode").GetString());
        Assert.Equal(plan.GetProperty("barrierCrossings").GetArrayLength(), await CountAsync($"SELECT count(*) FROM plan_barrier_crossing WHERE plan_id = {id}"));
        // Each stored crossing really crosses an arterial road (the segment between the two compounds' centres).
        Assert.Equal(0, await CountAsync($"""
            SELECT count(*) FROM plan_barrier_crossing x JOIN compound a ON a.id = x.compound_a JOIN compound b ON b.id = x.compound_b
            WHERE x.plan_id = {id} AND NOT EXISTS (SELECT 1 FROM road r WHERE r.kind = 'arterial'
              AND ST_Intersects(r.geom, ST_MakeLine(ST_Centroid(a.footprint), ST_Centroid(b.footprint))))
            """));
        var compounds = (await Get($"/api/planning/plans/{id}/compounds")).GetProperty("features").EnumerateArray()
            .ToDictionary(f => f.GetProperty("id").GetInt32(), f => f.GetProperty("properties").GetProperty("cell").GetInt32());
        // A cell that holds both ends of a crossing spans the road: it must count as contiguous.
        var spanning = plan.GetProperty("barrierCrossings").EnumerateArray()
            .Select(x => (A: compounds[x.GetProperty("a").GetInt32()], B: compounds[x.GetProperty("b").GetInt32()])).Where(x => x.A == x.B).Select(x => x.A).Distinct().ToList();
        Assert.NotEmpty(spanning);
        foreach (var c in spanning)
            Assert.True(plan.GetProperty("cells").EnumerateArray().Single(x => x.GetProperty("idx").GetInt32() == c).GetProperty("contiguous").GetBoolean());
        // Move some compound of another cell into a spanning cell: the edit's contiguity check must still see the crossing.
        var target = spanning[0];
        var reasons = new List<string>();
        foreach (var (compound, cell) in compounds.Where(c => c.Value != target))
        {
            using var req = new HttpRequestMessage(HttpMethod.Post, $"/api/planning/plans/{id}/moves") { Content = JsonContent.Create(new { compoundId = compound, toCell = target }) };
            var res = await Client.SendAsync(req);
            var body = JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement;
            if (res.StatusCode != HttpStatusCode.OK) { reasons.Add($"{Rule(body)}: {body.GetProperty("detail").GetString()}"); continue; }
            var cells = body.GetProperty("plan").GetProperty("cells").EnumerateArray().ToDictionary(x => x.GetProperty("idx").GetInt32());
            Assert.True(cells[target].GetProperty("contiguous").GetBoolean(), $"cell {target} declared split after compound {compound} moved in");
            Assert.True(cells[cell].GetProperty("contiguous").GetBoolean());
            return;
        }
        Assert.Fail("no compound could move into the spanning cell: " + string.Join(" | ", reasons));
    }

    [PostgisFact]
    public async Task Partition_Cancelled_EndsCancelled_AndSavesNothing()
    {
        var plansBefore = await CountAsync("SELECT count(*) FROM plan");
        // A whole district at ±5 % with a long time limit, cancelled once it is seen running. (At ±50 % and a fixed 300 ms wait
        // the engine, once faster, sometimes finished first: the cancel then found a succeeded job.)
        var job = await Send(HttpMethod.Post, "/api/planning/partitions",
            new { area = new { kind = "district", code = "410105" }, cells = 100, tolerance = 0.05, barriers = false, timeLimit = 120 }, HttpStatusCode.Accepted);
        var id = job.GetProperty("id").GetString()!;
        for (var i = 0; i < 500; i++)
        {
            var status = (await Get($"/api/planning/jobs/{id}")).GetProperty("status").GetString();
            if (status == "running") break;
            Assert.Equal("queued", status);
            await Task.Delay(20);
        }
        var cancelled = await Send(HttpMethod.Delete, $"/api/planning/jobs/{id}", null, HttpStatusCode.OK);
        Assert.Contains(cancelled.GetProperty("status").GetString(), new[] { "queued", "running", "cancelled" });
        var done = await WaitJob(id);
        Assert.Equal("cancelled", done.GetProperty("status").GetString());
        Assert.Equal(plansBefore, await CountAsync("SELECT count(*) FROM plan"));
        await Get("/api/planning/jobs/nosuchjob", HttpStatusCode.NotFound);
    }

    [PostgisFact]
    public async Task Move_AcceptedWithNewStats_RejectedWhenNotAdjacentOrLocked()
    {
        var (id, _) = await PreviewAsync();
        var plan = await Get($"/api/planning/plans/{id}");
        var households = plan.GetProperty("cells").EnumerateArray().ToDictionary(c => c.GetProperty("idx").GetInt32(), c => c.GetProperty("households").GetInt32());
        var compounds = (await Get($"/api/planning/plans/{id}/compounds")).GetProperty("features").EnumerateArray()
            .Select(f => (Id: f.GetProperty("id").GetInt32(), Cell: f.GetProperty("properties").GetProperty("cell").GetInt32(), Households: f.GetProperty("properties").GetProperty("households").GetInt32()))
            .ToList();
        var reasons = new List<string>();
        (int Id, int From, int To, int Households)? done = null;
        foreach (var c in compounds)
        {
            foreach (var to in households.Keys.Where(k => k != c.Cell))
            {
                using var req = new HttpRequestMessage(HttpMethod.Post, $"/api/planning/plans/{id}/moves") { Content = JsonContent.Create(new { compoundId = c.Id, toCell = to }) };
                var res = await Client.SendAsync(req);
                var body = JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement;
                if (res.StatusCode == HttpStatusCode.OK)
                {
                    done = (c.Id, c.Cell, to, c.Households);
                    var cells = body.GetProperty("plan").GetProperty("cells").EnumerateArray().ToDictionary(x => x.GetProperty("idx").GetInt32(), x => x.GetProperty("households").GetInt32());
                    Assert.Equal(households[c.Cell] - c.Households, cells[c.Cell]);
                    Assert.Equal(households[to] + c.Households, cells[to]);
                    Assert.True(body.GetProperty("accepted").GetBoolean());
                    break;
                }
                Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
                reasons.Add(Rule(body)!);
            }
            if (done is not null) break;
        }
        Assert.NotNull(done);
        Assert.All(reasons, r => Assert.Contains(r, new[] { "not-adjacent", "would-split-cell", "last-compound" }));
        // A cell that does not touch the compound's territory is not its neighbour: refused, saying so.
        var far = await CountAsync($"SELECT coalesce((SELECT pc.idx FROM plan_cell pc JOIN plan_compound m ON m.plan_id = pc.plan_id AND m.compound_id = {done.Value.Id} WHERE pc.plan_id = {id} AND pc.idx <> m.cell_idx AND NOT ST_Intersects(pc.area, m.territory) ORDER BY pc.idx LIMIT 1), -1)");
        Assert.True(far >= 0, "every cell touches the moved compound; pick a larger street");
        var notAdjacent = await Send(HttpMethod.Post, $"/api/planning/plans/{id}/moves", new { compoundId = done.Value.Id, toCell = far }, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("not-adjacent", Rule(notAdjacent));
        // The moved compound's polygon now lies in its new cell; the old cell no longer holds it.
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM plan_cell pc JOIN compound c ON c.id = {done.Value.Id} WHERE pc.plan_id = {id} AND pc.idx = {done.Value.To} AND ST_Covers(ST_Buffer(pc.area, 1e-7), c.footprint)"));

        // Moving it back into a locked cell is refused, and so is moving out of a locked cell.
        await Send(HttpMethod.Put, $"/api/planning/plans/{id}/cells/{done.Value.From}/lock", new { locked = true }, HttpStatusCode.OK);
        var locked = await Send(HttpMethod.Post, $"/api/planning/plans/{id}/moves", new { compoundId = done.Value.Id, toCell = done.Value.From }, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("target-locked", Rule(locked));
        var stayer = compounds.First(c => c.Cell == done.Value.From && c.Id != done.Value.Id);
        var lockedOut = await Send(HttpMethod.Post, $"/api/planning/plans/{id}/moves", new { compoundId = stayer.Id, toCell = done.Value.To }, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("cell-locked", Rule(lockedOut));
        await Send(HttpMethod.Put, $"/api/planning/plans/{id}/cells/{done.Value.From}/lock", new { locked = false }, HttpStatusCode.OK);
        await Send(HttpMethod.Post, $"/api/planning/plans/{id}/moves", new { compoundId = done.Value.Id, toCell = done.Value.From }, HttpStatusCode.OK);

        await Send(HttpMethod.Post, $"/api/planning/plans/{id}/moves", new { compoundId = 999999, toCell = 0 }, HttpStatusCode.NotFound);
        await Send(HttpMethod.Post, $"/api/planning/plans/{id}/moves", new { compoundId = done.Value.Id, toCell = 999 }, HttpStatusCode.NotFound);
        await Send(HttpMethod.Post, $"/api/planning/plans/{id}/moves", new { compoundId = done.Value.Id }, HttpStatusCode.BadRequest);
        await Send(HttpMethod.Post, "/api/planning/plans/999999/moves", new { compoundId = done.Value.Id, toCell = 0 }, HttpStatusCode.NotFound);
    }

    [PostgisFact]
    public async Task MoveOptions_OfferOnlyNeighbours_WithHouseholdsAfter_BestFitFirst_AndTheMoveDoesWhatTheyShow()
    {
        var (id, _) = await PreviewAsync();
        var plan = await Get($"/api/planning/plans/{id}");
        var households = plan.GetProperty("cells").EnumerateArray().ToDictionary(c => c.GetProperty("idx").GetInt32(), c => c.GetProperty("households").GetInt32());
        var (lower, upper) = (plan.GetProperty("lowerBound").GetDouble(), plan.GetProperty("upperBound").GetDouble());
        var compounds = (await Get($"/api/planning/plans/{id}/compounds")).GetProperty("features").EnumerateArray()
            .Select(f => (Id: f.GetProperty("id").GetInt32(), Cell: f.GetProperty("properties").GetProperty("cell").GetInt32(), Households: f.GetProperty("properties").GetProperty("households").GetInt32()))
            .ToList();
        string Side(int h) => h < lower ? "below" : h > upper ? "above" : "within";
        var fitRank = new Dictionary<string, int> { ["both-within"] = 0, ["closer"] = 1, ["out-of-window"] = 2 };
        foreach (var c in compounds)
        {
            var o = await Get($"/api/planning/plans/{id}/compounds/{c.Id}/moves");
            Assert.Equal(c.Cell, o.GetProperty("fromCell").GetInt32());
            Assert.Equal(c.Households, o.GetProperty("households").GetInt32());
            Assert.Equal(households[c.Cell], o.GetProperty("fromHouseholds").GetInt32());
            Assert.True(o.GetProperty("editable").GetBoolean());
            var targets = o.GetProperty("targets").EnumerateArray().ToList();
            foreach (var t in targets)
            {
                var to = t.GetProperty("toCell").GetInt32();
                Assert.NotEqual(c.Cell, to);
                Assert.Equal(households[c.Cell] - c.Households, t.GetProperty("fromAfter").GetInt32());
                Assert.Equal(households[to] + c.Households, t.GetProperty("toAfter").GetInt32());
                Assert.Equal(Side(households[c.Cell] - c.Households), t.GetProperty("fromSide").GetString());
                Assert.Equal(Side(households[to] + c.Households), t.GetProperty("toSide").GetString());
                var bothWithin = Side(households[c.Cell] - c.Households) == "within" && Side(households[to] + c.Households) == "within";
                Assert.Equal(bothWithin, t.GetProperty("fit").GetString() == "both-within");
            }
            // Allowed before refused; among the allowed, green before amber before red.
            var allowed = targets.Select(t => t.GetProperty("allowed").GetBoolean()).ToList();
            Assert.Equal(allowed.OrderByDescending(a => a), allowed);
            var ranks = targets.Where(t => t.GetProperty("allowed").GetBoolean()).Select(t => fitRank[t.GetProperty("fit").GetString()!]).ToList();
            Assert.Equal(ranks.Order(), ranks);
            Assert.All(targets.Where(t => !t.GetProperty("allowed").GetBoolean()), t => Assert.Contains(t.GetProperty("rule").GetString(), new[] { "would-split-cell", "last-compound" }));
            var first = targets.FirstOrDefault(t => t.GetProperty("allowed").GetBoolean());
            if (first.ValueKind == JsonValueKind.Undefined) continue;

            // Every cell not offered is refused by the move itself as not adjacent: the list holds all the neighbours and only them.
            var offered = targets.Select(t => t.GetProperty("toCell").GetInt32()).ToHashSet();
            foreach (var other in households.Keys.Where(k => k != c.Cell && !offered.Contains(k)))
                Assert.Equal("not-adjacent", Rule(await Send(HttpMethod.Post, $"/api/planning/plans/{id}/moves", new { compoundId = c.Id, toCell = other }, HttpStatusCode.UnprocessableEntity)));
            // A locked target stays listed, refused with the lock as the reason, after the allowed ones.
            var target = first.GetProperty("toCell").GetInt32();
            await Send(HttpMethod.Put, $"/api/planning/plans/{id}/cells/{target}/lock", new { locked = true }, HttpStatusCode.OK);
            var whileLocked = (await Get($"/api/planning/plans/{id}/compounds/{c.Id}/moves")).GetProperty("targets").EnumerateArray().ToList();
            var lockedRow = whileLocked.Single(t => t.GetProperty("toCell").GetInt32() == target);
            Assert.False(lockedRow.GetProperty("allowed").GetBoolean());
            Assert.Equal("target-locked", lockedRow.GetProperty("rule").GetString());
            Assert.Contains("锁定", lockedRow.GetProperty("reason").GetString());
            await Send(HttpMethod.Put, $"/api/planning/plans/{id}/cells/{target}/lock", new { locked = false }, HttpStatusCode.OK);
            // The best offer, made: the plan's households are those the preview showed.
            var moved = await Send(HttpMethod.Post, $"/api/planning/plans/{id}/moves", new { compoundId = c.Id, toCell = target }, HttpStatusCode.OK);
            var after = moved.GetProperty("plan").GetProperty("cells").EnumerateArray().ToDictionary(x => x.GetProperty("idx").GetInt32(), x => x.GetProperty("households").GetInt32());
            Assert.Equal(first.GetProperty("fromAfter").GetInt32(), after[c.Cell]);
            Assert.Equal(first.GetProperty("toAfter").GetInt32(), after[target]);
            await Get($"/api/planning/plans/{id}/compounds/999999/moves", HttpStatusCode.NotFound);
            await Get($"/api/planning/plans/999999/compounds/{c.Id}/moves", HttpStatusCode.NotFound);
            return;
        }
        Assert.Fail("no compound of the preview has an allowed move");
    }

    [PostgisFact]
    public async Task RedrawEdge_MovesBothNeighbours_KeepsTheirUnion_RejectsLooseEnds()
    {
        var (id, _) = await PreviewAsync();
        var plan = await Get($"/api/planning/plans/{id}");
        var n = plan.GetProperty("cells").GetArrayLength();
        // First pair of neighbours with an edge of at least three points (an interior vertex to drag).
        for (var a = 0; a < n; a++)
            for (var b = a + 1; b < n; b++)
            {
                var edges = await Get($"/api/planning/plans/{id}/edges?a={a}&b={b}");
                if (edges.GetArrayLength() == 0) continue;
                var coords = edges[0].GetProperty("coordinates").EnumerateArray().Select(p => new[] { p[0].GetDouble(), p[1].GetDouble() }).ToList();
                if (coords.Count < 3) continue;
                var unionBefore = await AreaSql($"SELECT ST_Area(ST_Union(area)::geography) FROM plan_cell WHERE plan_id = {id} AND idx IN ({a}, {b})");
                var areaABefore = await AreaSql($"SELECT ST_Area(area::geography) FROM plan_cell WHERE plan_id = {id} AND idx = {a}");

                // Ends that do not match the shared edge are refused.
                var loose = coords.Select(p => p.ToArray()).ToList();
                loose[0] = [loose[0][0] + 0.001, loose[0][1]];
                var bad = await Send(HttpMethod.Put, $"/api/planning/plans/{id}/edges", new { a, b, edge = new { type = "LineString", coordinates = loose } }, HttpStatusCode.UnprocessableEntity);
                Assert.Equal("edge-ends-mismatch", Rule(bad));

                // Drag the middle vertex a few metres: both cells change, their union does not.
                foreach (var shift in new[] { 0.00005, -0.00005, 0.00002 })
                {
                    var moved = coords.Select(p => p.ToArray()).ToList();
                    var m = moved.Count / 2;
                    moved[m] = [moved[m][0] + shift, moved[m][1] + shift];
                    using var req = new HttpRequestMessage(HttpMethod.Put, $"/api/planning/plans/{id}/edges") { Content = JsonContent.Create(new { a, b, edge = new { type = "LineString", coordinates = moved } }) };
                    var res = await Client.SendAsync(req);
                    if (res.StatusCode != HttpStatusCode.OK)
                    {
                        Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
                        continue;
                    }
                    var unionAfter = await AreaSql($"SELECT ST_Area(ST_Union(area)::geography) FROM plan_cell WHERE plan_id = {id} AND idx IN ({a}, {b})");
                    var areaAAfter = await AreaSql($"SELECT ST_Area(area::geography) FROM plan_cell WHERE plan_id = {id} AND idx = {a}");
                    Assert.Equal(unionBefore, unionAfter, unionBefore * 1e-6);
                    Assert.NotEqual(areaABefore, areaAAfter, 0.5);
                    // Every cell is still the union of its compounds' territories, and no two cells overlap.
                    Assert.Equal(0, await CountAsync($"SELECT count(*) FROM plan_cell a JOIN plan_cell b ON a.plan_id = b.plan_id AND a.idx < b.idx WHERE a.plan_id = {id} AND ST_Area(ST_Intersection(a.area, b.area)::geography) > 0.5"));
                    Assert.Equal(0, await CountAsync($"SELECT count(*) FROM plan_cell pc WHERE pc.plan_id = {id} AND abs(ST_Area(pc.area::geography) - (SELECT ST_Area(ST_Union(territory)::geography) FROM plan_compound m WHERE m.plan_id = pc.plan_id AND m.cell_idx = pc.idx)) > 1"));
                    return;
                }
            }
        Assert.Fail("no pair of neighbouring cells accepted a small edge change");
    }

    private async Task<double> AreaSql(string sql)
    {
        await using var cmd = api.Db.DataSource.CreateCommand(sql);
        return Convert.ToDouble(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [PostgisFact]
    public async Task Staff_AutoAssignWithinBranch_ManualPinKept_ListsBothSides_RulesEnforced()
    {
        var (id, _) = await PreviewAsync();
        var staff = await Get($"/api/planning/plans/{id}/staff");
        var plan = await Get($"/api/planning/plans/{id}");
        var cells = plan.GetProperty("cells").EnumerateArray().ToList();
        // The preview comes with staff: as many cells as there are grid workers, each worker once.
        var assigned = cells.Where(c => c.GetProperty("staffId").ValueKind == JsonValueKind.Number).Select(c => c.GetProperty("staffId").GetInt32()).ToList();
        Assert.Equal(assigned.Count, assigned.Distinct().Count());
        var available = staff.GetProperty("staff").EnumerateArray().Count(s => !s.GetProperty("busyElsewhere").GetBoolean());
        Assert.Equal(Math.Min(cells.Count, available), assigned.Count);
        var branch = await CountAsync($"SELECT count(DISTINCT s.branch_id) FROM staff s JOIN plan_cell pc ON pc.staff_id = s.id WHERE pc.plan_id = {id}");
        Assert.Equal(1, branch);

        // Unassign cell 0: it is listed without staff, its worker among staff without cells.
        var worker = cells[0].GetProperty("staffId").GetInt32();
        await Send(HttpMethod.Delete, $"/api/planning/plans/{id}/cells/0/staff", null, HttpStatusCode.OK);
        staff = await Get($"/api/planning/plans/{id}/staff");
        Assert.Contains(staff.GetProperty("cellsWithoutStaff").EnumerateArray(), c => c.GetProperty("idx").GetInt32() == 0);
        Assert.Contains(staff.GetProperty("staffWithoutCells").EnumerateArray(), s => s.GetProperty("id").GetInt32() == worker);

        // Pin a free worker to cell 0 by hand; auto-assign keeps the pin.
        var free = staff.GetProperty("staffWithoutCells").EnumerateArray().Select(s => s.GetProperty("id").GetInt32()).First(s => s != worker);
        await Send(HttpMethod.Put, $"/api/planning/plans/{id}/cells/0/staff", new { staffId = free }, HttpStatusCode.OK);
        var after = await Send(HttpMethod.Post, $"/api/planning/plans/{id}/staff/auto", null, HttpStatusCode.OK);
        Assert.Equal(free, after.GetProperty("cells")[0].GetProperty("staffId").GetInt32());
        Assert.True(after.GetProperty("cells")[0].GetProperty("staffPinned").GetBoolean());

        // Rules: one cell per worker in a plan, grid workers of the branch only, unknown staff is 404.
        var other = after.GetProperty("cells")[1].GetProperty("staffId");
        if (other.ValueKind == JsonValueKind.Number)
        {
            var twice = await Send(HttpMethod.Put, $"/api/planning/plans/{id}/cells/0/staff", new { staffId = other.GetInt32() }, HttpStatusCode.UnprocessableEntity);
            Assert.Equal("staff-busy", Rule(twice));
        }
        var outsider = await CountAsync($"SELECT min(s.id) FROM staff s JOIN plan p ON p.id = {id} JOIN district d ON d.code = p.district_code WHERE s.branch_id <> d.branch_id AND s.role = 'grid_worker'");
        var wrongBranch = await Send(HttpMethod.Put, $"/api/planning/plans/{id}/cells/0/staff", new { staffId = outsider }, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("staff-other-branch", Rule(wrongBranch));
        await Send(HttpMethod.Put, $"/api/planning/plans/{id}/cells/0/staff", new { staffId = 987654 }, HttpStatusCode.NotFound);
    }

    [PostgisFact]
    public async Task Publish_WritesGridCellsAndCompoundCells_SecondVersionSupersedesFirst_PublishedIsReadOnly()
    {
        var (first, street) = await PreviewAsync();
        var r1 = await Send(HttpMethod.Post, $"/api/planning/plans/{first}/publish", null, HttpStatusCode.OK);
        Assert.Equal(1, r1.GetProperty("version").GetInt32());
        var k1 = r1.GetProperty("plan").GetProperty("cells").GetArrayLength();
        Assert.Equal(k1, await CountAsync($"SELECT count(*) FROM grid_cell WHERE plan_id = {first} AND plan_version = 1"));
        Assert.Equal(street.Compounds, await CountAsync($"SELECT count(*) FROM compound c JOIN grid_cell g ON g.code = c.cell_code WHERE g.plan_id = {first} AND c.street_code = '{street.Code}'"));
        // Staff and households reach the map layer of cells.
        Assert.Equal(street.Households, await CountAsync($"SELECT sum(households) FROM layer_cells WHERE id IN (SELECT code FROM grid_cell WHERE plan_id = {first})"));
        var current = await Get($"/api/planning/current?area=street:{street.Code}");
        Assert.Equal(first, current.GetProperty("id").GetInt64());

        // A published plan is read-only and cannot be published twice.
        var again = await Send(HttpMethod.Post, $"/api/planning/plans/{first}/publish", null, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("not-preview", Rule(again));
        var edit = await Send(HttpMethod.Put, $"/api/planning/plans/{first}/cells/0/lock", new { locked = true }, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("plan-not-editable", Rule(edit));

        // Partition the same street again (another cell count) and publish: version 2 replaces version 1.
        var job = await Send(HttpMethod.Post, "/api/planning/partitions",
            new { area = new { kind = "street", code = street.Code }, cells = Math.Max(2, CellsFor(street) - 1), tolerance = 0.4, barriers = false, timeLimit = 20 }, HttpStatusCode.Accepted);
        var done = await WaitJob(job.GetProperty("id").GetString()!);
        Assert.True(done.GetProperty("status").GetString() == "succeeded", done.GetProperty("error").ToString());
        var second = done.GetProperty("planId").GetInt64();
        Assert.Equal(k1, await CountAsync($"SELECT count(*) FROM grid_cell WHERE plan_id = {first}")); // preview changes nothing yet
        var r2 = await Send(HttpMethod.Post, $"/api/planning/plans/{second}/publish", null, HttpStatusCode.OK);
        Assert.Equal(2, r2.GetProperty("version").GetInt32());
        Assert.Equal(first, r2.GetProperty("superseded")[0].GetInt64());
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM grid_cell WHERE plan_id = {first}"));
        Assert.Equal(r2.GetProperty("plan").GetProperty("cells").GetArrayLength(), await CountAsync($"SELECT count(*) FROM grid_cell WHERE plan_id = {second}"));
        Assert.Equal(street.Compounds, await CountAsync($"SELECT count(*) FROM compound c JOIN grid_cell g ON g.code = c.cell_code WHERE g.plan_id = {second}"));
        var old = await Get($"/api/planning/plans/{first}");
        Assert.Equal("superseded", old.GetProperty("status").GetString());
        Assert.Equal(second, old.GetProperty("supersededBy").GetInt64());
        Assert.Equal(second, (await Get($"/api/planning/current?area=street:{street.Code}")).GetProperty("id").GetInt64());
        var versions = await Get($"/api/planning/plans?area=street:{street.Code}");
        Assert.Equal(2, versions.EnumerateArray().Count(v => v.GetProperty("version").ValueKind == JsonValueKind.Number));
        await Get("/api/planning/current?area=street:000000000", HttpStatusCode.NotFound);
    }
}
