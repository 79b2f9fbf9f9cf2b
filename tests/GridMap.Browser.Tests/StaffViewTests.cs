using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Application.Auth;
using GridMap.Storage.Auth;
using GridMap.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GridMap.Browser.Tests;

/// <summary>
/// The grid staff's phone view (#/staff) on a 412 × 915 touch Chromium, signed in as a staff user linked to demo
/// cells: visits recorded offline are queued in IndexedDB, survive a reload, and reach the API in order on reconnect;
/// a compound changed by someone else meanwhile gives a conflict the user sees and resolves; compounds outside the
/// user's cells are not offered and the API refuses them (403). Saves .run/screenshots/staff.png (scripts/screenshots
/// copies it to docs/screenshots).
/// </summary>
public sealed class StaffViewTests(LiveServer server, ChromiumFixture chromium) : IClassFixture<LiveServer>, IClassFixture<ChromiumFixture>
{
    private string BaseUrl => server.BaseUrl.TrimEnd('/');

    /// <summary>A staff user (own name per test: tests share the server) linked to the staff member of a demo cell.</summary>
    private async Task<string> StaffUserAsync(string name)
    {
        await server.CreateUserAsync(name, Roles.Staff, EastBranch);
        var staffId = await server.Services.GetRequiredService<UserStore>().BusiestStaffAsync(EastBranch)
            ?? throw new InvalidOperationException("the demo has no grid worker with cells in branch 1");
        await server.Services.GetRequiredService<UserAccounts>().LinkStaffAsync(name, staffId.ToString(CultureInfo.InvariantCulture));
        return name;
    }

    /// <summary>东区分公司: the demo staff member with the most cells there is the one the demo staff user is linked to.</summary>
    private const int EastBranch = 1;

    private async Task<JsonElement> GetAsync(string user, string path)
    {
        using var http = await server.ClientAsync(user);
        return await http.GetFromJsonAsync<JsonElement>(BaseUrl + path);
    }

    private async Task<(IBrowserContext Context, IPage Page, List<string> Errors)> OpenPhoneAsync(string user)
    {
        var context = await chromium.Browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = 412, Height = 915 },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
            Locale = "zh-CN",
        });
        await server.SignInAsync(context, user);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(BaseUrl + "/#/staff");
        await page.Locator("[data-testid=staff][data-ready=true]").WaitForAsync();
        return (context, page, errors);
    }

    /// <summary>The first compound of the user's cells that has households, as the API lists them.</summary>
    private async Task<(int Compound, JsonElement[] Households)> MyCompoundAsync(string user)
    {
        var work = await GetAsync(user, "/api/staff/work");
        foreach (var c in work.GetProperty("cells").EnumerateArray().SelectMany(c => c.GetProperty("compounds").EnumerateArray()))
        {
            var id = c.GetProperty("id").GetInt32();
            var hh = (await GetAsync(user, $"/api/compounds/{id}/households")).EnumerateArray().ToArray();
            if (hh.Length >= 3) return (id, hh);
        }
        throw new InvalidOperationException($"{user} has no compound with households in their cells");
    }

    private async Task<string> ConsentOfAsync(string user, int compound, long household) =>
        (await GetAsync(user, $"/api/compounds/{compound}/households")).EnumerateArray()
            .First(h => h.GetProperty("id").GetInt64() == household).GetProperty("consent").GetString()!;

    /// <summary>An answer different from what the household has now, so a recorded visit is visible through the API.</summary>
    private static string OtherAnswer(JsonElement household) =>
        household.GetProperty("consent").GetString() == "agree" ? "disagree" : "agree";

    /// <summary>Unfolds the unit (单元) a household is listed under, as a user taps its heading (larger compounds start folded).</summary>
    private static async Task ShowHouseholdAsync(IPage page, long household)
    {
        var unit = page.Locator($"details.staff-unit:has([data-testid=staff-hh-{household}])");
        if (await unit.GetAttributeAsync("open") is null) await unit.Locator("summary").ClickAsync();
        await page.GetByTestId($"staff-hh-{household}").WaitForAsync();
    }

    private static async Task WaitQueuedAsync(IPage page, int n) =>
        await page.Locator($"[data-testid=staff-banner][data-queued='{n}']").WaitForAsync();

    [PostgisFact]
    public async Task VisitsRecordedOffline_SurviveReload_AndReachTheApiInOrderOnReconnect()
    {
        var user = await StaffUserAsync("staff-offline");
        var (compound, households) = await MyCompoundAsync(user);
        var (context, page, errors) = await OpenPhoneAsync(user);

        // Online first: the view keeps my compounds and the app shell for offline use.
        await page.Locator("[data-testid=staff][data-shell=cached]").WaitForAsync();
        await page.Locator("[data-testid=staff][data-prefetched]").WaitForAsync();
        await page.GetByTestId("staff-tab-cells").ClickAsync();
        await page.GetByTestId($"staff-compound-{compound}").ClickAsync();
        await page.GetByTestId("staff-compound").WaitForAsync();

        await context.SetOfflineAsync(true);
        await page.Locator("[data-testid=staff-banner][data-state=offline]").WaitForAsync();
        var a = households[0];
        var b = households[1];
        long aId = a.GetProperty("id").GetInt64(), bId = b.GetProperty("id").GetInt64();
        var aAnswer = OtherAnswer(a);
        var bAnswer = OtherAnswer(b);
        await ShowHouseholdAsync(page, aId);
        await page.GetByTestId($"staff-answer-{aId}-{aAnswer}").ClickAsync();
        await ShowHouseholdAsync(page, bId);
        await page.GetByTestId($"staff-answer-{bId}-{bAnswer}").ClickAsync();
        await WaitQueuedAsync(page, 2);
        Assert.Contains("离线", await page.GetByTestId("staff-banner").InnerTextAsync());
        Assert.Contains("待发送 2 条", await page.GetByTestId("staff-banner").InnerTextAsync());

        // Nothing reached the server yet.
        Assert.Equal(a.GetProperty("consent").GetString(), await ConsentOfAsync(user, compound, aId));

        // Reload without a network: the service worker opens the app, the queue is still there.
        await page.ReloadAsync();
        await page.Locator("[data-testid=staff][data-ready=true][data-mode=offline]").WaitForAsync();
        await WaitQueuedAsync(page, 2);
        await page.GetByTestId("staff-tab-cells").ClickAsync();
        await page.GetByTestId($"staff-compound-{compound}").ClickAsync();
        await ShowHouseholdAsync(page, aId);
        Assert.Equal("queued", await page.GetByTestId($"staff-hh-{aId}").GetAttributeAsync("data-pending"));

        // Reconnect: both visits are sent, in order, and the banner says synced.
        await context.SetOfflineAsync(false);
        await page.Locator("[data-testid=staff-banner][data-state=synced][data-queued='0']").WaitForAsync();
        Assert.Equal(aAnswer, await ConsentOfAsync(user, compound, aId));
        Assert.Equal(bAnswer, await ConsentOfAsync(user, compound, bId));
        // The view shows the server's answers now (no longer pending).
        await page.Locator($"[data-testid=staff-hh-{aId}][data-consent={aAnswer}]:not([data-pending])").WaitForAsync();

        // In order: the history of the compound lists the two visits by this user, a before b.
        var history = await GetAsync(LiveServer.AdminName, $"/api/history?entity=compound&id={compound}");
        var mine = history.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("user").GetString() == user).ToList();
        Assert.True(mine.Count >= 2, $"expected two audited visits by {user}, got {mine.Count}");

        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("staff.png") });
        Assert.Empty(errors);
        await context.CloseAsync();
    }

    /// <summary>A real 1 × 1 PNG, as a phone camera would hand the file input one (the server checks the bytes, not the name).</summary>
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    [PostgisFact]
    public async Task VisitWithAPhoto_FromTheForm_IsStoredWithTheVisit_AndAFileThatIsNoImageIsRefusedOnThePhone()
    {
        var user = await StaffUserAsync("staff-photo");
        var (compound, households) = await MyCompoundAsync(user);
        var (context, page, errors) = await OpenPhoneAsync(user);
        await page.GetByTestId("staff-tab-cells").ClickAsync();
        await page.GetByTestId($"staff-compound-{compound}").ClickAsync();
        await page.GetByTestId("staff-compound").WaitForAsync();
        var household = households[2];
        var id = household.GetProperty("id").GetInt64();
        await ShowHouseholdAsync(page, id);
        await page.GetByTestId($"staff-more-{id}").ClickAsync();
        await page.GetByTestId("visit-form").WaitForAsync();

        // A file that is not an image is refused on the phone already: the note names it and says why, 保存 is off.
        var photo = page.GetByTestId("visit-photo");
        var note = page.GetByTestId("visit-photo-note");
        await photo.SetInputFilesAsync(new FilePayload { Name = "记录.txt", MimeType = "text/plain", Buffer = "不是照片"u8.ToArray() });
        Assert.Equal("error", await note.GetAttributeAsync("data-state"));
        Assert.Contains("记录.txt", await note.InnerTextAsync());
        Assert.Contains("JPEG、PNG 或 WebP", await note.InnerTextAsync());
        Assert.True(await page.GetByTestId("visit-save").IsDisabledAsync());

        // A photo: accepted, and sent with the visit (the visit first, then its photo).
        await photo.SetInputFilesAsync(new FilePayload { Name = "door.png", MimeType = "image/png", Buffer = Png });
        Assert.Equal("ok", await note.GetAttributeAsync("data-state"));
        Assert.Contains("已选 1 张照片", await note.InnerTextAsync());
        var answer = OtherAnswer(household);
        await page.GetByTestId($"visit-answer-{answer}").ClickAsync();
        await page.GetByTestId("visit-notes").FillAsync("门口照片");
        await page.GetByTestId("visit-save").ClickAsync();
        await page.Locator($"[data-testid=staff-hh-{id}][data-consent={answer}]:not([data-pending])").WaitForAsync();
        await page.Locator("[data-testid=staff-banner][data-queued='0']").WaitForAsync();

        // Stored: one photo on this household's visit, the same bytes (SHA-256), sniffed as PNG.
        var sha = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Png)).ToLowerInvariant();
        var db = server.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        var rows = new List<(string Type, int Bytes, string? Notes)>();
        for (var tries = 0; tries < 60 && rows.Count == 0; tries++)
        {
            if (tries > 0) await Task.Delay(500);
            await using var cmd = db.CreateCommand("""
                SELECT p.content_type, p.bytes, v.notes FROM visit_photo p JOIN visit v ON v.id = p.visit_id
                WHERE v.compound_id = $1 AND v.household_id = $2 AND p.sha256 = $3
                """);
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter<int> { TypedValue = compound });
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter<long> { TypedValue = id });
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = sha });
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) rows.Add((r.GetString(0), r.GetInt32(1), r.IsDBNull(2) ? null : r.GetString(2)));
        }
        Assert.Equal([("image/png", Png.Length, "门口照片")], rows);
        Assert.Equal(answer, await ConsentOfAsync(user, compound, id));
        Assert.Empty(errors);
        await context.CloseAsync();
    }

    [PostgisFact]
    public async Task CompoundChangedMeanwhile_ConflictIsShown_AndRedoneOnTheCurrentState()
    {
        var user = await StaffUserAsync("staff-conflict");
        var (compound, households) = await MyCompoundAsync(user);
        var (context, page, errors) = await OpenPhoneAsync(user);
        await page.GetByTestId("staff-tab-cells").ClickAsync();
        await page.GetByTestId($"staff-compound-{compound}").ClickAsync();
        await page.GetByTestId("staff-compound").WaitForAsync();

        await context.SetOfflineAsync(true);
        await page.Locator("[data-testid=staff-banner][data-state=offline]").WaitForAsync();
        var a = households[0];
        var aId = a.GetProperty("id").GetInt64();
        var aAnswer = OtherAnswer(a);
        await ShowHouseholdAsync(page, aId);
        await page.GetByTestId($"staff-answer-{aId}-{aAnswer}").ClickAsync();
        await WaitQueuedAsync(page, 1);

        // Meanwhile another session records a visit on the same compound (its version moves on).
        using (var other = await server.ClientAsync(user))
        {
            var current = await other.GetAsync($"{BaseUrl}/api/compounds/{compound}");
            var etag = current.Headers.ETag?.Tag;
            Assert.NotNull(etag);
            using var req = new HttpRequestMessage(HttpMethod.Post, $"{BaseUrl}/api/compounds/{compound}/visits")
            {
                Content = JsonContent.Create(new { householdId = households[2].GetProperty("id").GetInt64(), outcome = "met", consent = "undecided", notes = "另一台手机" }),
            };
            req.Headers.TryAddWithoutValidation("If-Match", etag);
            var r = await other.SendAsync(req);
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        }

        // Reconnect: the visit made against the old version is refused (412) and shown, not dropped.
        await context.SetOfflineAsync(false);
        var problem = page.Locator("[data-testid^=staff-problem-][data-state=conflict]");
        await problem.WaitForAsync();
        Assert.Equal("conflict", await page.GetByTestId("staff-banner").GetAttributeAsync("data-state"));
        Assert.Contains("冲突", await problem.InnerTextAsync());
        Assert.Equal(a.GetProperty("consent").GetString(), await ConsentOfAsync(user, compound, aId));

        // Redo on the current state: sent with the current version and accepted.
        await problem.Locator("[data-testid^=staff-redo-]").ClickAsync();
        await page.Locator("[data-testid=staff-banner][data-state=synced][data-queued='0']").WaitForAsync();
        Assert.Equal(0, await page.Locator("[data-testid^=staff-problem-]").CountAsync());
        Assert.Equal(aAnswer, await ConsentOfAsync(user, compound, aId));
        Assert.Equal("undecided", await ConsentOfAsync(user, compound, households[2].GetProperty("id").GetInt64()));

        Assert.Empty(errors);
        await context.CloseAsync();
    }

    [PostgisFact]
    public async Task CompoundsOutsideMyCells_AreNotOffered_AndTheApiRefusesThem()
    {
        var user = await StaffUserAsync("staff-scope");
        var work = await GetAsync(user, "/api/staff/work");
        var mine = work.GetProperty("cells").EnumerateArray().SelectMany(c => c.GetProperty("compounds").EnumerateArray()).Select(c => c.GetProperty("id").GetInt32()).ToHashSet();
        Assert.NotEmpty(mine);
        // A compound of the city that is not in my cells.
        var all = await GetAsync(LiveServer.AdminName, "/api/layers/compounds/features?limit=5000");
        var outside = all.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("id").GetInt32()).First(id => !mine.Contains(id));

        var (context, page, errors) = await OpenPhoneAsync(user);
        await page.GetByTestId("staff-tab-cells").ClickAsync();
        await page.Locator("[data-testid^=staff-compound-]").First.WaitForAsync();
        var offered = await page.Locator("[data-testid=staff-cells] [data-compound]").EvaluateAllAsync<int[]>("els => els.map(e => Number(e.dataset.compound))");
        Assert.Equal(mine.Order(), offered.Distinct().Order());
        Assert.DoesNotContain(outside, offered);

        using var http = await server.ClientAsync(user);
        var r = await http.PostAsJsonAsync($"{BaseUrl}/api/compounds/{outside}/visits", new { householdId = (long?)null, outcome = "publicity", consent = (string?)null, notes = "" });
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        var body = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrEmpty(body.GetProperty("rule").GetString()));

        Assert.Empty(errors);
        await context.CloseAsync();
    }
}
