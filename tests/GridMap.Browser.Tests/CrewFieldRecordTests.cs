using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Application.Auth;
using GridMap.Tests.Shared;
using Microsoft.Playwright;

namespace GridMap.Browser.Tests;

/// <summary>
/// A crew's field record on a valve, from the phone: recorded online it changes the server's plan (for every user);
/// recorded without network it waits in the phone's queue, survives the page, and is sent when the network returns;
/// a record the server refuses is shown with the reason until the crew discards it. Saves .run/screenshots/crew-record.png.
/// </summary>
public sealed class CrewFieldRecordTests(LiveServer server, ChromiumFixture chromium) : IClassFixture<LiveServer>, IClassFixture<ChromiumFixture>
{
    private string BaseUrl => server.BaseUrl.TrimEnd('/');
    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private async Task<JsonElement> ApiAsync(string path)
    {
        using var http = await server.ClientAsync();
        return await http.GetFromJsonAsync<JsonElement>(BaseUrl + path);
    }

    private static long[] PlanValves(JsonElement plan) => CrewPhone.PlanValves(plan);

    private static Task<long[]> ShownValvesAsync(IPage page) => CrewPhone.ShownValvesAsync(page);

    [PostgisFact]
    public async Task ValveRecords_OnlineChangeEveryonesPlan_OfflineAreQueuedAndSent_RefusedAreShown()
    {
        // A secondary supply pipe in central Zhengzhou whose plan closes at least two valves, and a spot beside it.
        var fc = await ApiAsync("/api/layers/pipes/features?bbox=113.62,34.74,113.68,34.78&limit=5000");
        long pipe = 0;
        long[] valves = [];
        double lon = 0, lat = 0;
        foreach (var f in fc.GetProperty("features").EnumerateArray())
        {
            var p = f.GetProperty("properties");
            if (p.GetProperty("level").GetString() != "secondary" || p.GetProperty("flow").GetString() != "supply") continue;
            var id = p.GetProperty("id").GetInt64();
            var plan = await ApiAsync($"/api/network/isolate?pipe={id}");
            if (PlanValves(plan).Length < 2) continue;
            var c = f.GetProperty("geometry").GetProperty("coordinates");
            (pipe, valves) = (id, PlanValves(plan));
            lon = double.Parse(((float)((c[0][0].GetDouble() + c[1][0].GetDouble()) / 2)).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            lat = double.Parse(((float)((c[0][1].GetDouble() + c[1][1].GetDouble()) / 2)).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            break;
        }
        Assert.True(pipe > 0, "no secondary pipe whose plan closes two valves");

        var (context, page, errors) = await CrewPhone.OpenAsync(server, chromium, lon, lat, 8);
        await page.Locator("[data-testid=crew-map][data-ready=true]").WaitForAsync();
        await page.EvaluateAsync($"() => window.gridmapCrew.isolate({pipe}, [{F(lon)}, {F(lat)}])");
        await page.Locator("[data-testid=crew-plan][data-state=ready]").WaitForAsync();
        Assert.Equal(valves.Order(), (await ShownValvesAsync(page)).Order());

        // ── online: the first valve is seized ──
        var seized = valves[0];
        await page.GetByTestId($"crew-record-{seized}").ClickAsync();
        await page.Locator("[data-testid=crew-record-form] input[value=seized]").CheckAsync();
        await page.Locator("[data-testid=crew-record-form] textarea").FillAsync("阀杆锈死");
        await page.GetByTestId("crew-record-form").ScreenshotAsync(new() { Path = Screenshots.PathFor("crew-record.png") });
        await page.GetByTestId("crew-record-submit").ClickAsync();
        await page.GetByTestId("crew-field-records").WaitForAsync();
        Assert.Contains("卡死", await page.GetByTestId("crew-field-records").InnerTextAsync());
        Assert.DoesNotContain(seized, await ShownValvesAsync(page));
        var stored = (await ApiAsync($"/api/network/valves/{seized}/reports"))[0];
        Assert.Equal("seized", stored.GetProperty("condition").GetString());
        Assert.Equal("阀杆锈死", stored.GetProperty("note").GetString());
        Assert.Equal(lon, stored.GetProperty("lon").GetDouble(), 5);
        Assert.Equal(8, stored.GetProperty("accuracy_m").GetDouble());
        // Another request, no inoperable parameter: the server's plan passes the seized valve.
        var serverPlan = await ApiAsync($"/api/network/isolate?pipe={pipe}");
        Assert.Contains(seized, serverPlan.GetProperty("inoperable").EnumerateArray().Select(x => x.GetInt64()));
        Assert.Equal(PlanValves(serverPlan).Order(), (await ShownValvesAsync(page)).Order());

        // ── no network: the next valve is found buried; the record waits on the phone, across a reload ──
        var buried = (await ShownValvesAsync(page))[0];
        await context.SetOfflineAsync(true);
        await page.GetByTestId($"crew-record-{buried}").ClickAsync();
        await page.Locator("[data-testid=crew-record-form] input[value=buried]").CheckAsync();
        await page.GetByTestId("crew-record-submit").ClickAsync();
        await page.Locator("[data-testid=crew-records][data-queued='1']").WaitForAsync();
        Assert.Empty((await ApiAsync($"/api/network/valves/{buried}/reports")).EnumerateArray());

        // ── the network returns: the queue is sent by itself ──
        await context.SetOfflineAsync(false);
        await page.Locator("[data-testid=crew-records][data-queued='0']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 20_000 });
        var sent = (await ApiAsync($"/api/network/valves/{buried}/reports"))[0];
        Assert.Equal("buried", sent.GetProperty("condition").GetString());
        // Another user (another crew's phone, no inoperable parameter) gets a plan that passes the valve recorded offline.
        await server.CreateUserAsync("browser-crew-other", Roles.Crew, null);
        using (var other = await server.ClientAsync("browser-crew-other"))
        {
            var otherPlan = await other.GetFromJsonAsync<JsonElement>($"{BaseUrl}/api/network/isolate?pipe={pipe}");
            Assert.Contains(buried, otherPlan.GetProperty("inoperable").EnumerateArray().Select(x => x.GetInt64()));
            Assert.DoesNotContain(buried, PlanValves(otherPlan));
            Assert.Contains(otherPlan.GetProperty("fieldRecords").EnumerateArray(), r => r.GetProperty("valve").GetInt64() == buried);
        }

        // ── a record the server refuses (no such valve) is shown with the reason, then discarded ──
        await page.EvaluateAsync("""
            () => localStorage.setItem('gridmap.crew.fieldQueue', JSON.stringify([{ key: 'k1', valve: 999999999, condition: 'broken', note: '', at: new Date().toISOString() }]))
            """);
        await page.EvaluateAsync("() => window.gridmapCrew.flushRecords()");
        var refused = page.GetByTestId("crew-record-refused-999999999");
        await refused.WaitForAsync();
        Assert.Contains("999999999", await refused.InnerTextAsync());
        await refused.Locator("button").ClickAsync();
        await refused.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.Equal("[]", await page.EvaluateAsync<string>("() => localStorage.getItem('gridmap.crew.fieldQueue')"));

        Assert.Empty(errors);
        await context.CloseAsync();
    }
}
