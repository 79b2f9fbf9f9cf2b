using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Application.Auth;
using GridMap.Tests.Shared;
using Microsoft.Playwright;

namespace GridMap.Browser.Tests;

/// <summary>
/// A crew's record on a pipe, from a 412×915 phone: made without network (an offset with a photo from the camera input)
/// it waits on the phone, is sent when the network returns, and then waits for review ("待审核") without moving the pipe;
/// a supervisor (network.review) approves it in the review list and the pipe moves for every user; the outcome is in
/// the pipe's history. A crew user sees no review list. Saves .run/screenshots/crew-pipe-record.png and crew-review.png.
/// </summary>
public sealed class CrewPipeRecordTests(LiveServer server, ChromiumFixture chromium) : IClassFixture<LiveServer>, IClassFixture<ChromiumFixture>
{
    private const string CrewUser = "browser-crew-pipes";
    private const string Supervisor = "browser-supervisor";
    private const string OtherUser = "browser-manager-other";

    /// <summary>A 4×4 PNG (what the camera input hands over, in small).</summary>
    private static readonly byte[] Photo = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGO4kKAARwzEcQAtUhUBEfgMFQAAAABJRU5ErkJggg==");

    private string BaseUrl => server.BaseUrl.TrimEnd('/');

    private async Task<JsonElement> ApiAsync(string path, string user = LiveServer.AdminName)
    {
        using var http = await server.ClientAsync(user);
        return await http.GetFromJsonAsync<JsonElement>(BaseUrl + path);
    }

    /// <summary>The pipe's line as the layer serves it to <paramref name="user"/>.</summary>
    private async Task<double[][]> PipeLineAsync(long pipe, double lon, double lat, string user)
    {
        var b = string.Create(CultureInfo.InvariantCulture, $"{lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}");
        var fc = await ApiAsync($"/api/layers/pipes/features?bbox={b}&limit=5000", user);
        var f = fc.GetProperty("features").EnumerateArray().Single(x => x.GetProperty("properties").GetProperty("id").GetInt64() == pipe);
        return f.GetProperty("geometry").GetProperty("coordinates").EnumerateArray()
            .Select(c => new[] { c[0].GetDouble(), c[1].GetDouble() }).ToArray();
    }

    [PostgisFact]
    public async Task PipeOffset_RecordedOfflineWithPhoto_SyncsAndWaitsForReview_ApprovedItMovesThePipeForEveryone()
    {
        await server.CreateUserAsync(CrewUser, Roles.Crew, null);
        await server.CreateUserAsync(Supervisor, Roles.Planner, null);
        await server.CreateUserAsync(OtherUser, Roles.Manager, null);
        var (lon, lat) = await CrewPhone.SpotAsync(server);

        // ── the crew's phone: the nearest pipe, recorded without network ──
        var (context, page, errors) = await CrewPhone.OpenAsync(server, chromium, lon, lat, 6, CrewUser, 412, 915);
        await page.Locator("[data-testid=crew-map][data-ready=true]").WaitForAsync();
        await page.Locator("[data-testid=crew-nearest][data-state=ready]").WaitForAsync();
        var pipe = long.Parse(await page.Locator("[data-testid=crew-nearest] button.crew-pipe").First.GetAttributeAsync("data-pipe") ?? "0", CultureInfo.InvariantCulture);
        Assert.True(pipe > 0);
        var before = await PipeLineAsync(pipe, lon, lat, OtherUser);
        // A crew has no review list.
        Assert.True(await page.GetByTestId("crew-reviews").IsHiddenAsync());
        var recordBtn = page.GetByTestId($"crew-pipe-record-{pipe}");
        var box = await recordBtn.BoundingBoxAsync();
        Assert.True(box is { Height: >= 44 }, $"the record button is {box?.Height} px tall");

        await context.SetOfflineAsync(true);
        await recordBtn.ClickAsync();
        var form = page.GetByTestId("crew-pipe-record-form");
        await form.WaitForAsync();
        Assert.Equal("image/*", await page.GetByTestId("crew-pipe-photo").GetAttributeAsync("accept"));
        Assert.NotNull(await page.GetByTestId("crew-pipe-photo").GetAttributeAsync("capture"));
        await form.Locator("input[value=offset]").CheckAsync();
        await page.GetByTestId("crew-pipe-side").SelectOptionAsync("left");
        await page.GetByTestId("crew-pipe-offsetM").FillAsync("3");
        await page.GetByTestId("crew-pipe-photo").SetInputFilesAsync(new FilePayload { Name = "pipe.png", MimeType = "image/png", Buffer = Photo });
        await form.Locator("textarea").FillAsync("探测仪实测，管线在人行道下");
        await form.ScreenshotAsync(new() { Path = Screenshots.PathFor("crew-pipe-record.png") });
        await page.GetByTestId("crew-pipe-record-submit").ClickAsync();
        await page.Locator("[data-testid=crew-pipe-records][data-queued='1']").WaitForAsync();
        Assert.Contains("含照片", await page.GetByTestId("crew-pipe-records-queued").InnerTextAsync());
        Assert.Empty((await ApiAsync($"/api/network/pipes/{pipe}/reports")).EnumerateArray());

        // ── the network returns: record and photo are sent by themselves, and the record waits for review ──
        await context.SetOfflineAsync(false);
        await page.Locator("[data-testid=crew-pipe-records][data-queued='0']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        var sent = page.GetByTestId($"crew-pipe-record-sent-{pipe}");
        await sent.WaitForAsync();
        Assert.Equal("pending", await sent.GetAttributeAsync("data-status"));
        Assert.Contains("待审核", await sent.InnerTextAsync());
        var stored = (await ApiAsync($"/api/network/pipes/{pipe}/reports"))[0];
        Assert.Equal("offset", stored.GetProperty("kind").GetString());
        Assert.Equal("pending", stored.GetProperty("status").GetString());
        Assert.Equal(3, stored.GetProperty("offset_m").GetDouble());
        Assert.Equal("left", stored.GetProperty("side").GetString());
        Assert.Equal(6, stored.GetProperty("accuracy_m").GetDouble());
        Assert.Equal(CrewUser, stored.GetProperty("reported_by").GetString());
        var report = stored.GetProperty("id").GetInt64();
        using (var http = await server.ClientAsync(OtherUser))
            Assert.Equal(Photo, await http.GetByteArrayAsync(BaseUrl + stored.GetProperty("photo_url").GetString()));
        // Pending: the pipe has not moved.
        Assert.Equal(before, await PipeLineAsync(pipe, lon, lat, OtherUser));

        // ── the supervisor reviews it on a phone: approve ──
        var (sContext, sPage, sErrors) = await CrewPhone.OpenAsync(server, chromium, lon, lat, 6, Supervisor, 412, 915);
        await sPage.Locator("[data-testid=crew-map][data-ready=true]").WaitForAsync();
        var item = sPage.GetByTestId($"crew-review-{report}");
        await sPage.GetByTestId("crew-reviews").Locator("summary").ClickAsync();
        await item.WaitForAsync();
        Assert.Contains($"管段 #{pipe}", await item.InnerTextAsync());
        Assert.Contains("向左偏 3 米", await item.InnerTextAsync());
        Assert.True(await sPage.GetByTestId($"crew-review-photo-{report}").EvaluateAsync<bool>("img => img.complete && img.naturalWidth === 4"));
        // Rejecting needs a reason.
        await sPage.GetByTestId($"crew-review-reject-{report}").ClickAsync();
        await item.Locator("[role=alert]").WaitForAsync();
        Assert.Equal("pending", (await ApiAsync($"/api/network/pipes/{pipe}/reports"))[0].GetProperty("status").GetString());
        await sPage.GetByTestId($"crew-review-reason-{report}").FillAsync("与开挖照片一致");
        await item.ScreenshotAsync(new() { Path = Screenshots.PathFor("crew-review.png") });
        await sPage.GetByTestId($"crew-review-approve-{report}").ClickAsync();
        var outcome = sPage.GetByTestId($"crew-review-outcome-{report}");
        await outcome.WaitForAsync();
        Assert.Contains("已批准", await outcome.InnerTextAsync());

        // ── the pipe moved, for another user too, to the line the record proposed ──
        var after = await PipeLineAsync(pipe, lon, lat, OtherUser);
        var proposed = stored.GetProperty("proposed").EnumerateArray().Select(c => new[] { c[0].GetDouble(), c[1].GetDouble() }).ToArray();
        Assert.NotEqual(before, after);
        Assert.Equal(proposed.Length, after.Length);
        for (var i = 0; i < after.Length; i++)
        {
            Assert.Equal(proposed[i][0], after[i][0], 6);
            Assert.Equal(proposed[i][1], after[i][1], 6);
        }
        // About 3 m from where it was drawn (degrees at Zhengzhou's latitude: 1 m ≈ 1.1e-5° lon, 9.0e-6° lat).
        var dx = (after[0][0] - before[0][0]) * 111_320 * Math.Cos(lat * Math.PI / 180);
        var dy = (after[0][1] - before[0][1]) * 110_574;
        Assert.InRange(Math.Sqrt(dx * dx + dy * dy), 2.5, 3.5);

        // ── the outcome is in the pipe's history, on the crew's phone ──
        await page.GetByTestId($"crew-pipe-record-{pipe}").ClickAsync();
        var history = page.GetByTestId("crew-pipe-history").Locator($"li[data-report='{report}']");
        await history.WaitForAsync();
        Assert.Equal("accepted", await history.GetAttributeAsync("data-status"));
        Assert.Contains("与开挖照片一致", await history.InnerTextAsync());

        Assert.Empty(errors);
        Assert.Empty(sErrors);
        await sContext.CloseAsync();
        await context.CloseAsync();
    }
}
