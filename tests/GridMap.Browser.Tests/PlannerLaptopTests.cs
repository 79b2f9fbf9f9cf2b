using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace GridMap.Browser.Tests;

/// <summary>
/// The planner on a laptop screen (1366×768, issue 12 §3), in real Chromium against the real server and the demo city:
/// the plan is fitted to the map between the two side columns, the columns fold away, the move tool shows what a move
/// does before it is made (only neighbouring cells, households after, out-of-window moves flagged and never reported in
/// green), the move button and its answer stay in view, the lock column is on screen, the form refuses bad input in
/// Chinese before sending, and the engine's notes are grouped by kind. Screenshots go to .run/screenshots/planner-laptop-*.png.
/// </summary>
public sealed class PlannerLaptopTests(LiveServer server, ChromiumFixture chromium) : IClassFixture<LiveServer>, IClassFixture<ChromiumFixture>
{
    private const int Width = 1366;
    private const int Height = 768;
    private string BaseUrl => server.BaseUrl.TrimEnd('/');

    private sealed record Street(string Code, int Compounds, int Households, int MaxHouseholds);

    private async Task<List<Street>> StreetsAsync(HttpClient http)
    {
        var areas = await http.GetFromJsonAsync<JsonElement>(BaseUrl + "/api/planning/areas?kind=street");
        return areas.EnumerateArray().Select(a => new Street(a.GetProperty("code").GetString()!, a.GetProperty("compounds").GetInt32(),
            a.GetProperty("households").GetInt32(), a.GetProperty("maxHouseholds").GetInt32())).ToList();
    }

    /// <summary>A preview of a street made through the API (300–500 households per cell, roads off), trying the next street
    /// when one has no plan; returns its id.</summary>
    private async Task<long> PreviewAsync(HttpClient http, Func<Street, bool> which)
    {
        var failures = new List<string>();
        foreach (var s in (await StreetsAsync(http)).Where(which).OrderBy(s => s.Compounds).ThenBy(s => s.Code).Take(4))
        {
            var res = await http.PostAsJsonAsync(BaseUrl + "/api/planning/partitions",
                new { area = new { kind = "street", code = s.Code }, minHouseholds = 300, maxHouseholds = 500, barriers = false, timeLimit = 20 });
            var job = await res.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(res.IsSuccessStatusCode, job.ToString());
            var id = job.GetProperty("id").GetString();
            for (var i = 0; i < 900; i++)
            {
                job = await http.GetFromJsonAsync<JsonElement>($"{BaseUrl}/api/planning/jobs/{id}");
                if (job.GetProperty("status").GetString() is not ("queued" or "running")) break;
                await Task.Delay(100);
            }
            if (job.GetProperty("status").GetString() == "succeeded") return job.GetProperty("planId").GetInt64();
            failures.Add($"{s.Code}: {job}");
        }
        throw new InvalidOperationException("no street could be partitioned: " + string.Join(" | ", failures));
    }

    private async Task<(IPage Page, List<string> Errors)> OpenAsync(string hash)
    {
        var page = await server.NewPageAsync(chromium, Width, Height);
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Dialog += async (_, d) => await d.AcceptAsync();
        await page.GotoAsync(BaseUrl + "/#/planner" + hash);
        await page.Locator("[data-testid=map][data-ready=true]").WaitForAsync(new() { Timeout = 60_000 });
        return (page, errors);
    }

    private static Task RenderCompleteAsync(IPage page) => page.EvaluateAsync(
        "() => new Promise(resolve => { const m = window.gridmapPlanner.map; m.once('rendercomplete', () => resolve(true)); m.render(); })");

    /// <summary>The strip of the map between the two side columns, in page pixels (a folded column is a narrow tab at the top).</summary>
    private static async Task<(double Left, double Right)> VisibleStripAsync(IPage page) =>
        await page.EvaluateAsync<double[]>(@"() => {
            const map = document.querySelector('[data-testid=map]').getBoundingClientRect();
            const side = (c) => { const el = document.querySelector('.side.' + c); return el && !el.classList.contains('collapsed') ? el.getBoundingClientRect() : null; };
            const l = side('planner-left'), r = side('planner-right');
            return [l ? l.right : map.left, r ? r.left : map.right];
        }") is [var left, var right] ? (left, right) : throw new InvalidOperationException();

    /// <summary>The plan's cells, as drawn, in page pixels: [minX, minY, maxX, maxY].</summary>
    private static Task<double[]> PlanPixelsAsync(IPage page) => page.EvaluateAsync<double[]>(@"() => {
            const h = window.gridmapPlanner, e = h.cellsSource.getExtent(), box = document.querySelector('[data-testid=map]').getBoundingClientRect();
            const a = h.map.getPixelFromCoordinate([e[0], e[3]]), b = h.map.getPixelFromCoordinate([e[2], e[1]]);
            return [box.left + a[0], box.top + a[1], box.left + b[0], box.top + b[1]];
        }");

    /// <summary>True when the element is on screen: inside the viewport and not scrolled out of its scrolling column.</summary>
    private static Task<bool> InViewAsync(ILocator l) => l.EvaluateAsync<bool>(@"el => {
            const r = el.getBoundingClientRect();
            if (r.width === 0 || r.height === 0 || r.top < 0 || r.left < 0 || r.bottom > window.innerHeight || r.right > window.innerWidth) return false;
            for (let p = el.parentElement; p; p = p.parentElement) {
                const s = getComputedStyle(p);
                if (!/(auto|scroll|hidden)/.test(s.overflowY + s.overflowX)) continue;
                const q = p.getBoundingClientRect();
                if (r.top < q.top - 1 || r.bottom > q.bottom + 1 || r.left < q.left - 1 || r.right > q.right + 1) return false;
            }
            return true;
        }");

    private static string Side(int households) => households < 300 ? "below" : households > 500 ? "above" : "within";

    [Fact]
    public async Task Laptop_PlanFitsBetweenThePanels_PanelsFold_LockColumnOnScreen_MovePreviewFlagsOutOfWindow_AnswerInView()
    {
        using var http = await server.ClientAsync();
        var planId = await PreviewAsync(http, s => s.MaxHouseholds <= 500 && s.Compounds is >= 15 and <= 60);
        var (page, errors) = await OpenAsync($"?plan={planId}");
        await Assertions.Expect(page.GetByTestId("plan-status")).ToHaveAttributeAsync("data-status", "preview", new() { Timeout = 60_000 });
        await RenderCompleteAsync(page);

        // 1. Layout: the plan lies inside the strip between the columns (not under the right one), wholly on screen.
        var (left, right) = await VisibleStripAsync(page);
        Assert.True(right - left >= 540, $"only {right - left:0} px of map between the columns");
        var px = await PlanPixelsAsync(page);
        Assert.True(px[0] >= left - 1 && px[2] <= right + 1, $"plan spans x {px[0]:0}–{px[2]:0}, visible strip {left:0}–{right:0}");
        Assert.True(px[1] >= 0 && px[3] <= Height, $"plan spans y {px[1]:0}–{px[3]:0}");
        // The lock column is on screen (first column), as is the first row's lock box.
        Assert.True(await InViewAsync(page.GetByTestId("cell-lock-0")), "the lock box of the first cell is off-screen");
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("planner-laptop-plan.png") });

        // 2. The columns fold: the map between them widens to (nearly) the whole window, and unfold again.
        await page.GetByTestId("collapse-left").ClickAsync();
        await page.GetByTestId("collapse-right").ClickAsync();
        var (l2, r2) = await VisibleStripAsync(page);
        Assert.True(r2 - l2 >= Width - 60, $"folded, the map strip is {r2 - l2:0} px");
        Assert.False(await page.GetByTestId("plan-cells").IsVisibleAsync());
        await page.GetByTestId("collapse-left").ClickAsync();
        await page.GetByTestId("collapse-right").ClickAsync();
        await Assertions.Expect(page.GetByTestId("plan-cells")).ToBeVisibleAsync();

        // 3. The move preview, compound by compound, against the plan as the API reports it.
        var plan = await http.GetFromJsonAsync<JsonElement>($"{BaseUrl}/api/planning/plans/{planId}");
        var households = plan.GetProperty("cells").EnumerateArray().ToDictionary(c => c.GetProperty("idx").GetInt32(), c => c.GetProperty("households").GetInt32());
        var compounds = (await http.GetFromJsonAsync<JsonElement>($"{BaseUrl}/api/planning/plans/{planId}/compounds")).GetProperty("features").EnumerateArray()
            .Select(f => (Id: f.GetProperty("id").GetInt32(), Cell: f.GetProperty("properties").GetProperty("cell").GetInt32(), Households: f.GetProperty("properties").GetProperty("households").GetInt32()))
            .OrderByDescending(c => c.Households).ToList();
        (int Id, int From, int To, int Households)? risky = null;
        var looked = 0;
        foreach (var c in compounds.Take(30))
        {
            await page.EvaluateAsync($"() => {{ const f = window.gridmapPlanner.compoundsSource.getFeatureById({c.Id}); const v = window.gridmapPlanner.map.getView(); v.setCenter(f.getGeometry().getInteriorPoint().getCoordinates()); v.setZoom(17); }}");
            await RenderCompleteAsync(page);
            var (sl, sr) = await VisibleStripAsync(page);
            var mapBox = (await page.GetByTestId("map").BoundingBoxAsync())!;
            // Click the compound where it is drawn (centred in the map, which is under the middle of the screen).
            var at = await page.EvaluateAsync<double[]>($"() => window.gridmapPlanner.map.getPixelFromCoordinate(window.gridmapPlanner.compoundsSource.getFeatureById({c.Id}).getGeometry().getInteriorPoint().getCoordinates())");
            if (mapBox.X + at[0] < sl || mapBox.X + at[0] > sr) continue;
            await page.Mouse.ClickAsync((float)(mapBox.X + at[0]), (float)(mapBox.Y + at[1]));
            await Assertions.Expect(page.GetByTestId("move-compound")).ToHaveAttributeAsync("data-compound", c.Id.ToString(CultureInfo.InvariantCulture));
            await Assertions.Expect(page.GetByTestId("move-compound")).ToHaveAttributeAsync("data-ready", "true");
            looked++;
            var api = await http.GetFromJsonAsync<JsonElement>($"{BaseUrl}/api/planning/plans/{planId}/compounds/{c.Id}/moves");
            if (await page.GetByTestId("move-refused").IsVisibleAsync())
            {
                // A rule of the compound's own cell refuses every neighbour alike: said once, and indeed no move is allowed.
                Assert.All(api.GetProperty("targets").EnumerateArray(), t => Assert.False(t.GetProperty("allowed").GetBoolean()));
                continue;
            }
            var rows = await page.Locator("[data-testid=move-options] .move-option").EvaluateAllAsync<JsonElement>(
                "rows => rows.map(r => ({ to: Number(r.querySelector('input').value), fit: r.dataset.fit, allowed: r.dataset.allowed === 'true', text: r.innerText, border: getComputedStyle(r).borderLeftColor }))");
            // Exactly the server's neighbours, in its order (best fit first), each row showing both cells' households after.
            Assert.Equal(api.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("toCell").GetInt32()), rows.EnumerateArray().Select(r => r.GetProperty("to").GetInt32()));
            foreach (var r in rows.EnumerateArray())
            {
                var to = r.GetProperty("to").GetInt32();
                Assert.NotEqual(c.Cell, to);
                var (fromAfter, toAfter) = (households[c.Cell] - c.Households, households[to] + c.Households);
                var text = r.GetProperty("text").GetString()!.Replace(",", "");
                Assert.Contains($"{households[c.Cell]}→{fromAfter}", text);
                Assert.Contains($"{households[to]}→{toAfter}", text);
                var both = Side(fromAfter) == "within" && Side(toAfter) == "within";
                Assert.Equal(both, r.GetProperty("fit").GetString() == "both-within");
                // Out-of-window rows are marked red, never green.
                if (r.GetProperty("fit").GetString() == "out-of-window") Assert.Equal("rgb(198, 40, 40)", r.GetProperty("border").GetString());
                if (both) Assert.Equal("rgb(46, 125, 50)", r.GetProperty("border").GetString());
                if (r.GetProperty("allowed").GetBoolean() && !both && Side(toAfter) != "within" && Side(households[to]) == "within") risky ??= (c.Id, c.Cell, to, c.Households);
            }
            // Best fit first: when some allowed move keeps both cells in the window, it is the one chosen by default.
            var firstAllowed = rows.EnumerateArray().FirstOrDefault(r => r.GetProperty("allowed").GetBoolean());
            if (firstAllowed.ValueKind != JsonValueKind.Undefined && rows.EnumerateArray().Any(r => r.GetProperty("allowed").GetBoolean() && r.GetProperty("fit").GetString() == "both-within"))
            {
                Assert.Equal("both-within", firstAllowed.GetProperty("fit").GetString());
                await Assertions.Expect(page.GetByTestId($"move-target-{firstAllowed.GetProperty("to").GetInt32()}")).ToBeCheckedAsync();
                await Assertions.Expect(page.GetByTestId("move-effect")).ToHaveAttributeAsync("data-fit", "both-within");
            }
            if (risky is not null) break;
        }
        Assert.True(risky is not null, $"none of {looked} compounds has a move that pushes a cell out of 300–500");
        var (id, from, target, hh) = risky!.Value;

        // 4. Choose the move that leaves the window: said in red before, button says so, both in view.
        await page.GetByTestId($"move-target-{target}").CheckAsync();
        await Assertions.Expect(page.GetByTestId("move-effect")).ToHaveAttributeAsync("data-fit", "out-of-window");
        var effect = await page.GetByTestId("move-effect").InnerTextAsync();
        Assert.Contains("超过上限", effect);
        Assert.Contains(((households[target] + hh)).ToString("N0", CultureInfo.GetCultureInfo("zh-CN")), effect);
        await Assertions.Expect(page.GetByTestId("move-apply")).ToContainTextAsync("会超出范围");
        Assert.True(await InViewAsync(page.GetByTestId("move-apply")), "the move button is below the fold");
        Assert.True(await InViewAsync(page.GetByTestId("move-effect")), "the move's preview is below the fold");
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("planner-laptop-move.png") });

        // 5. Made: accepted, but in amber with the warning — not a green success — and the answer is in view.
        var loaded = page.EvaluateAsync("() => window.gridmapPlanner.loaded()");
        await page.GetByTestId("move-apply").ClickAsync();
        await loaded;
        var message = page.GetByTestId("plan-message");
        Assert.Equal("accepted", await message.GetAttributeAsync("data-state"));
        Assert.Equal("warn", await message.GetAttributeAsync("data-tone"));
        Assert.Contains("超过上限", await message.InnerTextAsync());
        Assert.True(await InViewAsync(message), "the move's answer is below the fold");
        var after = await http.GetFromJsonAsync<JsonElement>($"{BaseUrl}/api/planning/plans/{planId}");
        var cells = after.GetProperty("cells").EnumerateArray().ToDictionary(x => x.GetProperty("idx").GetInt32(), x => x.GetProperty("households").GetInt32());
        Assert.Equal(households[target] + hh, cells[target]);
        Assert.Equal(households[from] - hh, cells[from]);
        // The summary no longer claims every cell is in range.
        var outside = cells.Values.Count(v => v < 300 || v > 500);
        Assert.True(outside >= 1);
        await Assertions.Expect(page.GetByTestId("plan-window")).ToHaveAttributeAsync("data-outside", outside.ToString(CultureInfo.InvariantCulture));
        Assert.DoesNotContain("都在", await page.GetByTestId("plan-window").InnerTextAsync());
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("planner-laptop-moved.png") });
        Assert.True(errors.Count == 0, "script errors: " + string.Join(" | ", errors));
    }

    [Fact]
    public async Task Laptop_FormRefusesBadWindowsInChinese_BeforeSending()
    {
        var (page, errors) = await OpenAsync("");
        var partitions = 0;
        page.Request += (_, r) => { if (r.Url.Contains("/api/planning/partitions", StringComparison.Ordinal)) partitions++; };
        // Pick an area the usual way, so the run button is live.
        using var http = await server.ClientAsync();
        var areas = await http.GetFromJsonAsync<JsonElement>(BaseUrl + "/api/planning/areas?kind=street");
        var point = areas[0].GetProperty("point");
        var (lon, lat) = (point[0].GetDouble(), point[1].GetDouble());
        await page.EvaluateAsync(string.Create(CultureInfo.InvariantCulture,
            $"() => {{ const v = window.gridmapPlanner.map.getView(); v.setCenter([{lon * 20037508.342789244 / 180}, {Math.Log(Math.Tan((90 + lat) * Math.PI / 360)) * 6378137}]); v.setZoom(15); }}"));
        await RenderCompleteAsync(page);
        var box = (await page.GetByTestId("map").BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await Assertions.Expect(page.GetByTestId("plan-run")).ToBeEnabledAsync();

        var error = page.GetByTestId("form-error");
        // min > max: said beside the fields as they are typed, in Chinese, the max field marked.
        await page.GetByTestId("min-households").FillAsync("600");
        await page.GetByTestId("max-households").FillAsync("500");
        await Assertions.Expect(error).ToBeVisibleAsync();
        await Assertions.Expect(error).ToContainTextAsync("必须大于最少户数");
        await Assertions.Expect(page.GetByTestId("max-households")).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.DoesNotMatch("[A-Za-z]{3,}", await error.InnerTextAsync());
        await page.GetByTestId("plan-run").ClickAsync();
        await Assertions.Expect(page.GetByTestId("plan-message")).ToHaveAttributeAsync("data-state", "rejected");
        Assert.False(await page.GetByTestId("plan-progress").IsVisibleAsync());

        // An empty minimum is not a silent 0.
        await page.GetByTestId("max-households").FillAsync("500");
        await page.GetByTestId("min-households").FillAsync("");
        await Assertions.Expect(error).ToContainTextAsync("请填写每格最少户数");
        await Assertions.Expect(page.GetByTestId("min-households")).ToHaveAttributeAsync("aria-invalid", "true");
        await page.GetByTestId("plan-run").ClickAsync();
        await Assertions.Expect(page.GetByTestId("plan-message")).ToContainTextAsync("请填写每格最少户数");

        // Not a number (typed text a number box cannot hold).
        await page.GetByTestId("min-households").FocusAsync();
        await page.Keyboard.TypeAsync("abc");
        await page.GetByTestId("min-households").DispatchEventAsync("input");
        await Assertions.Expect(error).ToContainTextAsync(new System.Text.RegularExpressions.Regex("须为数字|请填写每格最少户数"));

        // Fixed: the message goes, the fields are no longer marked — and nothing was ever sent.
        await page.GetByTestId("min-households").FillAsync("300");
        await Assertions.Expect(error).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("min-households")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Equal(0, partitions);
        // Expert settings are folded under 高级, in words a planner uses.
        Assert.False(await page.GetByTestId("seed").IsVisibleAsync());
        await page.GetByTestId("advanced-toggle").ClickAsync();
        await Assertions.Expect(page.GetByTestId("advanced")).ToContainTextAsync("尝试序号");
        Assert.DoesNotContain("种子", await page.GetByTestId("planner-setup").InnerTextAsync());
        Assert.True(errors.Count == 0, "script errors: " + string.Join(" | ", errors));
    }

    [Fact]
    public async Task Laptop_WarningsGroupedByKindWithCounts_SummaryCountsOversizeCellsApart()
    {
        using var http = await server.ClientAsync();
        // A street holding a compound above 500 households: its cell is oversize, the engine notes it.
        var planId = await PreviewAsync(http, s => s.MaxHouseholds > 500 && s.Compounds is >= 8 and <= 80);
        var plan = await http.GetFromJsonAsync<JsonElement>($"{BaseUrl}/api/planning/plans/{planId}");
        var warnings = plan.GetProperty("search").GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        var oversizeNotes = warnings.Count(w => w.StartsWith("超大网格", StringComparison.Ordinal));
        Assert.True(oversizeNotes >= 1, "the street's plan has no oversize note: " + string.Join(" | ", warnings));

        var (page, errors) = await OpenAsync($"?plan={planId}");
        await Assertions.Expect(page.GetByTestId("plan-status")).ToHaveAttributeAsync("data-status", "preview", new() { Timeout = 60_000 });
        var group = page.GetByTestId("warning-group-oversize");
        await Assertions.Expect(group).ToHaveAttributeAsync("data-count", oversizeNotes.ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(group.Locator("summary")).ToContainTextAsync($"超大网格 · {oversizeNotes} 条");
        // Every note is in exactly one group.
        var grouped = await page.Locator("[data-testid=plan-warnings] .warning-group").EvaluateAllAsync<int[]>("gs => gs.map(g => Number(g.dataset.count))");
        Assert.Equal(warnings.Count, grouped.Sum());
        Assert.Equal(warnings.Count, await page.Locator("[data-testid=plan-warnings] li").CountAsync());
        // Expandable: opened, its notes show.
        if (!await group.EvaluateAsync<bool>("d => d.open")) await group.Locator("summary").ClickAsync();
        await Assertions.Expect(group.Locator("li").First).ToBeVisibleAsync();

        // The summary: the largest deviation is over ordinary cells only, and cells outside the window are counted, not denied.
        var cells = plan.GetProperty("cells").EnumerateArray().ToList();
        var ordinary = cells.Where(c => !c.GetProperty("oversize").GetBoolean() && !c.GetProperty("undersize").GetBoolean()).Select(c => c.GetProperty("deviation").GetDouble()).ToList();
        var max = ordinary.Count == 0 ? 0 : ordinary.OrderByDescending(Math.Abs).First();
        var expected = (max > 0 ? "+" : "") + (max * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        await Assertions.Expect(page.GetByTestId("plan-deviation")).ToContainTextAsync(expected);
        var outside = cells.Count(c => c.GetProperty("households").GetInt32() is < 300 or > 500);
        await Assertions.Expect(page.GetByTestId("plan-window")).ToHaveAttributeAsync("data-outside", outside.ToString(CultureInfo.InvariantCulture));
        if (outside > 0) Assert.DoesNotContain("都在", await page.GetByTestId("plan-window").InnerTextAsync());
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("planner-laptop-warnings.png") });
        Assert.True(errors.Count == 0, "script errors: " + string.Join(" | ", errors));
    }
}
