using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Application.Auth;
using GridMap.Tests.Shared;
using Microsoft.Playwright;

namespace GridMap.Browser.Tests;

/// <summary>
/// History and concurrency in the web client, in real Chromium against the real server and the demo city: two sessions
/// edit the same preview — the second gets the 412 dialog naming who changed it and can reload and redo; the planner and
/// the map's details panel show an entity's history after an edit; a published version is restored as a new preview.
/// Screenshots: .run/screenshots/planner-conflict.png, planner-history.png, details-history.png.
/// </summary>
public sealed class PlanHistoryBrowserTests(LiveServer server, ChromiumFixture chromium) : IClassFixture<LiveServer>, IClassFixture<ChromiumFixture>
{
    private const string OtherAdmin = "admin-li";

    private string BaseUrl => server.BaseUrl.TrimEnd('/');

    private static readonly SemaphoreSlim StreetLock = new(1, 1);
    private static readonly HashSet<string> Taken = [];

    private async Task<JsonElement> SendAsync(HttpClient http, HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var req = new HttpRequestMessage(method, BaseUrl + path) { Content = body is null ? null : JsonContent.Create(body) };
        var res = await http.SendAsync(req);
        var text = await res.Content.ReadAsStringAsync();
        Assert.True(res.StatusCode == expected, $"{method} {path}: expected {expected}, got {res.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A preview of a small demo street no other test of this class uses (or of <paramref name="street"/>).</summary>
    private async Task<long> PreviewAsync(HttpClient http, string? street = null)
    {
        var areas = await http.GetFromJsonAsync<JsonElement>(BaseUrl + "/api/planning/areas?kind=street");
        var streets = areas.EnumerateArray()
            .Select(a => (Code: a.GetProperty("code").GetString()!, Compounds: a.GetProperty("compounds").GetInt32(), Households: a.GetProperty("households").GetInt32(),
                Max: a.GetProperty("maxHouseholds").GetInt32()))
            .Where(s => street is null ? s.Compounds is >= 8 and <= 30 : s.Code == street).OrderBy(s => s.Compounds).ThenBy(s => s.Code).ToList();
        var failures = new List<string>();
        foreach (var s in streets)
        {
            await StreetLock.WaitAsync();
            try { if (!Taken.Add(s.Code) && street is null) continue; }
            finally { StreetLock.Release(); }
            var cells = Math.Max(2, Math.Min(s.Compounds / 2, (int)(1.2 * s.Households / s.Max)));
            var job = await SendAsync(http, HttpMethod.Post, "/api/planning/partitions",
                new { area = new { kind = "street", code = s.Code }, cells, tolerance = 0.3, barriers = false, timeLimit = 20 }, HttpStatusCode.Accepted);
            for (var i = 0; i < 600; i++)
            {
                var j = await http.GetFromJsonAsync<JsonElement>($"{BaseUrl}/api/planning/jobs/{job.GetProperty("id").GetString()}");
                var status = j.GetProperty("status").GetString();
                if (status == "succeeded") return j.GetProperty("planId").GetInt64();
                if (status is not ("queued" or "running")) { failures.Add($"{s.Code}: {j.GetProperty("error")}"); break; }
                await Task.Delay(100);
            }
            if (failures.Count >= 3) break;
        }
        throw new InvalidOperationException("no street could be partitioned: " + string.Join(" | ", failures));
    }

    /// <summary>Opens the planner on plan <paramref name="planId"/>, signed in as <paramref name="user"/> (null: the default admin).</summary>
    private async Task<(IPage Page, List<string> Errors)> OpenPlanAsync(long planId, string? user = null)
    {
        var page = await server.NewPageAsync(chromium, 1600, 1000, user ?? LiveServer.AdminName);
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Dialog += async (_, d) => await d.AcceptAsync();
        await page.GotoAsync($"{BaseUrl}/#/planner?plan={planId}");
        await page.Locator("[data-testid=map][data-ready=true]").WaitForAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("plan-status")).ToContainTextAsync($"方案 #{planId}", new() { Timeout = 30_000 });
        return (page, errors);
    }

    [PostgisFact]
    public async Task TwoSessionsEditOnePlan_TheSecondGetsTheConflictDialog_AndCanRedo()
    {
        using var http = await server.ClientAsync();
        var id = await PreviewAsync(http);
        await server.CreateUserAsync(OtherAdmin, Roles.Admin, null);
        var (mine, myErrors) = await OpenPlanAsync(id);
        var (theirs, theirErrors) = await OpenPlanAsync(id, OtherAdmin);

        // They lock cell 0 first.
        await theirs.GetByTestId("cell-lock-0").CheckAsync();
        await Assertions.Expect(theirs.GetByTestId("plan-message")).ToHaveAttributeAsync("data-state", "accepted");

        // I still see the plan as it was and lock cell 1: refused with the dialog, nothing written.
        await mine.GetByTestId("cell-lock-1").CheckAsync();
        var dialog = mine.GetByTestId("conflict-dialog");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(mine.GetByTestId("conflict-who")).ToContainTextAsync($"此方案已被 {OtherAdmin}（管理员）于");
        await Assertions.Expect(mine.GetByTestId("conflict-who")).ToContainTextAsync("锁定网格");
        await Assertions.Expect(mine.GetByTestId("conflict-changes")).ToContainTextAsync("锁定：否 → 是");
        await Assertions.Expect(dialog).ToContainTextAsync("未执行");
        var plan = await http.GetFromJsonAsync<JsonElement>($"{BaseUrl}/api/planning/plans/{id}");
        Assert.False(plan.GetProperty("cells")[1].GetProperty("locked").GetBoolean());
        await mine.ScreenshotAsync(new() { Path = Screenshots.PathFor("planner-conflict.png") });

        // Reload and redo: my lock goes through on top of theirs.
        await mine.GetByTestId("conflict-redo").ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(mine.GetByTestId("plan-message")).ToHaveAttributeAsync("data-state", "accepted");
        await Assertions.Expect(mine.GetByTestId("cell-lock-0")).ToBeCheckedAsync();
        await Assertions.Expect(mine.GetByTestId("cell-lock-1")).ToBeCheckedAsync();
        plan = await http.GetFromJsonAsync<JsonElement>($"{BaseUrl}/api/planning/plans/{id}");
        Assert.True(plan.GetProperty("cells")[0].GetProperty("locked").GetBoolean());
        Assert.True(plan.GetProperty("cells")[1].GetProperty("locked").GetBoolean());

        // Now they are behind: their next edit gets the dialog too, and "仅重新加载" shows my lock without redoing theirs.
        await theirs.GetByTestId("cell-lock-0").UncheckAsync();
        await Assertions.Expect(theirs.GetByTestId("conflict-dialog")).ToBeVisibleAsync();
        await Assertions.Expect(theirs.GetByTestId("conflict-who")).ToContainTextAsync($"此方案已被 {LiveServer.AdminName}");
        await theirs.GetByTestId("conflict-reload").ClickAsync();
        await Assertions.Expect(theirs.GetByTestId("cell-lock-1")).ToBeCheckedAsync();
        await Assertions.Expect(theirs.GetByTestId("cell-lock-0")).ToBeCheckedAsync();
        Assert.Empty(myErrors);
        Assert.Empty(theirErrors);
    }

    [PostgisFact]
    public async Task AfterAnEdit_ThePlannerShowsTheCellsHistory()
    {
        using var http = await server.ClientAsync();
        var id = await PreviewAsync(http);
        var (page, errors) = await OpenPlanAsync(id);
        // The plan's own history is shown once it loads (the preview was made by a partition).
        await Assertions.Expect(page.Locator("[data-testid=history][data-entity=plan]")).ToHaveAttributeAsync("data-state", "loaded");

        var plan = await http.GetFromJsonAsync<JsonElement>($"{BaseUrl}/api/planning/plans/{id}");
        var staffed = plan.GetProperty("cells").EnumerateArray().First(c => c.GetProperty("staffId").ValueKind == JsonValueKind.Number);
        var idx = staffed.GetProperty("idx").GetInt32();
        var staffName = staffed.GetProperty("staffName").GetString();
        // The worker box is a type-ahead: emptied and confirmed, the cell has no worker.
        await page.GetByTestId($"cell-staff-{idx}").FillAsync("");
        await page.GetByTestId($"cell-staff-{idx}").PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("plan-message")).ToHaveAttributeAsync("data-state", "accepted");
        await Assertions.Expect(page.GetByTestId("plan-message")).ToContainTextAsync("已取消网格员");
        await page.GetByTestId($"cell-lock-{idx}").CheckAsync();
        await Assertions.Expect(page.GetByTestId("plan-message")).ToContainTextAsync("已锁定");

        // Click the cell's row: its history, newest first, in Chinese.
        await page.GetByTestId($"cell-row-{idx}").Locator("td.name").ClickAsync();
        var history = page.Locator($"[data-testid=history][data-entity=cell][data-id='{id}.{idx}']");
        await Assertions.Expect(history).ToHaveAttributeAsync("data-state", "loaded");
        var entries = history.GetByTestId("history-entry");
        await Assertions.Expect(entries).ToHaveCountAsync(2);
        await Assertions.Expect(entries.Nth(0)).ToContainTextAsync("锁定网格");
        await Assertions.Expect(entries.Nth(0)).ToContainTextAsync("锁定：否 → 是");
        await Assertions.Expect(entries.Nth(0)).ToContainTextAsync(LiveServer.AdminName);
        await Assertions.Expect(entries.Nth(1)).ToContainTextAsync("取消网格员");
        await Assertions.Expect(entries.Nth(1)).ToContainTextAsync($"网格员：{staffName} → 无");
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("planner-history.png") });
        Assert.Empty(errors);
    }

    [PostgisFact]
    public async Task RestoreAPublishedVersion_OpensANewPreviewEqualToIt()
    {
        using var http = await server.ClientAsync();
        var id = await PreviewAsync(http);
        await SendAsync(http, HttpMethod.Post, $"/api/planning/plans/{id}/publish", null, HttpStatusCode.OK);
        var (page, errors) = await OpenPlanAsync(id);
        await Assertions.Expect(page.GetByTestId("plan-status")).ToHaveAttributeAsync("data-status", "published");
        var v1 = page.GetByTestId("version-1");
        await Assertions.Expect(v1).ToContainTextAsync("第 1 版（现行）");
        await Assertions.Expect(v1).ToContainTextAsync(LiveServer.AdminName);

        await page.GetByTestId("version-restore-1").ClickAsync();
        await Assertions.Expect(page.GetByTestId("plan-status")).ToHaveAttributeAsync("data-status", "preview");
        await Assertions.Expect(page.GetByTestId("plan-message")).ToContainTextAsync("已将第 1 版恢复为新的预览方案");
        var preview = await page.EvaluateAsync<long>("() => window.gridmapPlanner.plan.id");
        Assert.NotEqual(id, preview);
        var restored = await http.GetFromJsonAsync<JsonElement>($"{BaseUrl}/api/planning/plans/{preview}");
        var original = await http.GetFromJsonAsync<JsonElement>($"{BaseUrl}/api/planning/plans/{id}");
        Assert.Equal(id, restored.GetProperty("restoredFrom").GetInt64());
        Assert.Equal(original.GetProperty("cells").EnumerateArray().Select(c => $"{c.GetProperty("code")}:{c.GetProperty("households")}"),
            restored.GetProperty("cells").EnumerateArray().Select(c => $"{c.GetProperty("code")}:{c.GetProperty("households")}"));
        // The restored preview is editable, and version 1 is still the current plan.
        await Assertions.Expect(page.GetByTestId("cell-lock-0")).ToBeEnabledAsync();
        await Assertions.Expect(page.GetByTestId("version-1")).ToContainTextAsync("（现行）");
        await Assertions.Expect(page.GetByTestId("version-view-1")).ToBeEnabledAsync();
        Assert.Empty(errors);
    }

    [PostgisFact]
    public async Task ClickingACompound_TheDetailsPanelShowsItsHistory_AfterAPublish()
    {
        using var http = await server.ClientAsync();
        var page = await server.NewPageAsync(chromium, 1400, 900);
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(BaseUrl + "/");
        await page.Locator("[data-testid=map][data-ready=true]").WaitForAsync(new() { Timeout = 60_000 });
        var target = await MapProbe.FindClickableCompoundAsync(page);

        // Plan and publish the compound's street: the compound gets its grid cell (an audited change).
        var details = await http.GetFromJsonAsync<JsonElement>($"{BaseUrl}/api/compounds/{target.Id}");
        var street = details.GetProperty("street_code").GetString()!;
        // The demo gives every compound a community cell; the history shows the change from it (or from none).
        var before = details.GetProperty("cell_code").GetString() ?? "无";
        var id = await PreviewAsync(http, street);
        var published = await SendAsync(http, HttpMethod.Post, $"/api/planning/plans/{id}/publish", null, HttpStatusCode.OK);
        var compounds = await http.GetFromJsonAsync<JsonElement>($"{BaseUrl}/api/planning/plans/{id}/compounds");
        var cell = compounds.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("id").GetInt64() == target.Id).GetProperty("properties").GetProperty("cell").GetInt32();
        var code = published.GetProperty("plan").GetProperty("cells").EnumerateArray().Single(c => c.GetProperty("idx").GetInt32() == cell).GetProperty("code").GetString();

        await page.Mouse.ClickAsync(target.X, target.Y);
        var panel = page.Locator("[data-testid=details-panel][data-state=loaded]");
        await panel.WaitForAsync();
        var history = panel.Locator($"[data-testid=history][data-entity=compound][data-id='{target.Id}']");
        await Assertions.Expect(history).ToHaveAttributeAsync("data-state", "loaded");
        var newest = history.GetByTestId("history-entry").First;
        await Assertions.Expect(newest).ToHaveAttributeAsync("data-action", "planning.publish");
        await Assertions.Expect(newest).ToContainTextAsync("发布方案");
        await Assertions.Expect(newest).ToContainTextAsync($"网格编号：{before} → {code}");
        await Assertions.Expect(newest).ToContainTextAsync(LiveServer.AdminName);
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("details-history.png") });
        Assert.Empty(errors);
    }

}
