using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Application.Auth;
using GridMap.Tests.Shared;
using Microsoft.Playwright;

namespace GridMap.Browser.Tests;

/// <summary>
/// The manager dashboard (#/manager) as the manager user on the demo city: a 1920×1080 wall screen makes ONE statistics
/// request on load and its headline equals the API; switching the measure changes the legend; a click on a bar of the
/// league table filters and zooms the map to that branch and scopes the charts to its districts; a click on the map picks
/// the district under it and scopes the charts to its streets; "返回全市" goes back. A 1366×768 laptop shows everything
/// without horizontal overflow, and the print stylesheet hides the map controls but keeps the headline and the legend.
/// </summary>
public sealed class ManagerViewTests(LiveServer server, ChromiumFixture chromium) : IClassFixture<LiveServer>, IClassFixture<ChromiumFixture>
{
    private const string Manager = "dashboard-manager";
    private string BaseUrl => server.BaseUrl.TrimEnd('/');

    private async Task<(IPage Page, List<string> StatsRequests)> OpenAsync(int width, int height)
    {
        await server.CreateUserAsync(Manager, Roles.Manager, null);
        var page = await server.NewPageAsync(chromium, width, height, Manager);
        var stats = new List<string>();
        page.Request += (_, r) => { if (r.Url.Contains("/api/stats/", StringComparison.Ordinal)) lock (stats) stats.Add(r.Url); };
        await page.GotoAsync(BaseUrl + "/#/manager");
        await page.Locator("[data-testid=map][data-ready=true]").WaitForAsync(new() { Timeout = 60_000 });
        await page.Locator("[data-testid=headline-share]").WaitForAsync(new() { Timeout = 30_000 });
        await page.Locator("aside.dash-side[data-loading=false][data-scope=city]").WaitForAsync();
        return (page, stats);
    }

    private async Task<JsonElement> ApiAsync(string query)
    {
        using var http = await server.ClientAsync(Manager);
        return await http.GetFromJsonAsync<JsonElement>(BaseUrl + "/api/stats/progress?" + query);
    }

    private static string[] Codes(JsonElement report) =>
        report.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("households").GetInt64() > 0)
            .Select(r => r.GetProperty("code").GetString()!).Order(StringComparer.Ordinal).ToArray();

    private static async Task<string[]> ChartCodesAsync(IPage page, string testId) =>
        ((await page.GetByTestId(testId).GetAttributeAsync("data-codes")) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Order(StringComparer.Ordinal).ToArray();

    private static long Digits(string s) => long.Parse(new string(s.Where(char.IsAsciiDigit).ToArray()), CultureInfo.InvariantCulture);

    private static async Task<double> ZoomAsync(IPage page) => await page.EvaluateAsync<double>("() => window.gridmap.map.getView().getZoom()");

    [PostgisFact]
    public async Task WallScreen_OneStatsRequest_HeadlineEqualsApi_MeasureChangesLegend_BarAndMapClicksFilter_BackToCity()
    {
        var (page, stats) = await OpenAsync(1920, 1080);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        lock (stats) Assert.True(stats.Count == 1, "stats requests on load: " + string.Join(" | ", stats));
        Assert.Contains("/api/stats/progress?", stats[0]);

        // Headline = the API's city total.
        var city = await ApiAsync("by=branch");
        var total = city.GetProperty("total");
        var shareText = await page.GetByTestId("headline-share").Locator(".value").InnerTextAsync();
        Assert.EndsWith("%", shareText.Trim());
        var shownShare = double.Parse(shareText.Trim().TrimEnd('%'), CultureInfo.InvariantCulture) / 100;
        Assert.InRange(shownShare, total.GetProperty("completedShare").GetDouble() - 0.0006, total.GetProperty("completedShare").GetDouble() + 0.0006);
        var hh = (await page.GetByTestId("headline-households").Locator(".value").InnerTextAsync()).Split('/');
        Assert.Equal(total.GetProperty("householdsCompleted").GetInt64(), Digits(hh[0]));
        Assert.Equal(total.GetProperty("households").GetInt64(), Digits(hh[1]));
        Assert.Equal(total.GetProperty("disputes").GetInt64(), Digits(await page.GetByTestId("headline-disputes").Locator(".value").InnerTextAsync()));
        Assert.Equal(total.GetProperty("overdueFollowUps").GetInt64(), Digits(await page.GetByTestId("headline-overdue").Locator(".value").InnerTextAsync()));
        Assert.Contains("数据截至", await page.GetByTestId("as-of").InnerTextAsync());
        Assert.True(total.GetProperty("disputes").GetInt64() > 0 && total.GetProperty("householdsCompleted").GetInt64() > 0, "the demo has progress and disputes");
        // Wall screen: the headline figures are large (read from across a room).
        var px = await page.GetByTestId("headline-share").Locator(".value").EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)");
        Assert.True(px >= 40, $"headline font {px}px");
        // The league table lists the branches with households, the disputes list every open dispute of the city.
        Assert.Equal(Codes(city), await ChartCodesAsync(page, "chart-league"));
        Assert.Equal(total.GetProperty("disputes").GetInt64(), await page.Locator("[data-testid=dispute-list] button[data-compound]").CountAsync());
        // The timeline has points from the recorded stage history and ends at today's completed households.
        var timelineEnd = await page.GetByTestId("chart-timeline").GetAttributeAsync("data-last");
        Assert.Equal(total.GetProperty("householdsCompleted").GetInt64(), long.Parse(timelineEnd!, CultureInfo.InvariantCulture));

        // Switching the measure changes the legend.
        var legend = page.GetByTestId("choropleth-legend");
        var before = await legend.InnerTextAsync();
        await page.GetByTestId("measure").SelectOptionAsync("consent");
        await page.Locator("[data-testid=choropleth-legend][data-measure=consent]").WaitForAsync();
        var after = await legend.InnerTextAsync();
        Assert.NotEqual(before, after);
        Assert.Contains("同意", await page.Locator(".choro-title").InnerTextAsync());
        await page.GetByTestId("measure").SelectOptionAsync("completed");

        // A click on a branch's bar: the map selects and zooms to it, the charts list its districts (one more request).
        var branch = Codes(city).First();
        var bar = await page.EvaluateAsync<JsonElement>($"() => window.gridmap.dashboard.leagueBar('{branch}')");
        Assert.Equal(JsonValueKind.Object, bar.ValueKind);
        await page.Mouse.ClickAsync((float)bar.GetProperty("x").GetDouble(), (float)bar.GetProperty("y").GetDouble());
        await page.Locator($"[data-testid=dash-map][data-selected='{branch}'][data-zoomed-to='{branch}']").WaitForAsync();
        await page.Locator($"aside.dash-side[data-loading=false][data-scope='branch:{branch}']").WaitForAsync();
        var inBranch = await ApiAsync($"by=district&within=branch:{branch}");
        Assert.Equal(Codes(inBranch), await ChartCodesAsync(page, "chart-league"));
        Assert.Contains(inBranch.GetProperty("withinName").GetString()!, await page.GetByTestId("dash-scope").InnerTextAsync());
        Assert.Equal(inBranch.GetProperty("total").GetProperty("disputes").GetInt64(),
            await page.Locator("[data-testid=dispute-list] button[data-compound]").CountAsync());
        lock (stats) Assert.Equal(2, stats.Count);

        // Back to the city.
        await page.GetByTestId("back-city").ClickAsync();
        await page.Locator("aside.dash-side[data-loading=false][data-scope=city]").WaitForAsync();
        Assert.Equal(Codes(city), await ChartCodesAsync(page, "chart-league"));
        Assert.Null(await page.GetByTestId("dash-map").GetAttributeAsync("data-selected"));
        Assert.True(await page.GetByTestId("back-city").IsHiddenAsync());
        await page.WaitForFunctionAsync("() => !window.gridmap.map.getView().getAnimating()");
        var cityZoom = await ZoomAsync(page);

        // A click on the map (district choropleth): the district under the click is picked, the map zooms in to it and
        // the charts list its streets. The point clicked is an open dispute's compound, whose district the API names.
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=map]').dataset.ready === 'true'");
        var disputes = (await ApiAsync("by=district&include=disputes")).GetProperty("disputes").EnumerateArray()
            .Select(d => (Lon: d.GetProperty("lon").GetDouble(), Lat: d.GetProperty("lat").GetDouble(), District: d.GetProperty("districtCode").GetString()!))
            .ToList();
        var target = await page.EvaluateAsync<JsonElement>("""
            (pts) => {
              const map = window.gridmap.map;
              const r = map.getTargetElement().getBoundingClientRect();
              for (const [lon, lat, district] of pts) {
                const x = lon * 20037508.34 / 180;
                const y = Math.log(Math.tan((90 + lat) * Math.PI / 360)) * 6378137;
                const p = map.getPixelFromCoordinate([x, y]);
                if (!p) continue;
                const px = r.left + p[0], py = r.top + p[1];
                const el = document.elementFromPoint(px, py);
                if (el && el.tagName === 'CANVAS' && el.closest('.ol-viewport')) return { x: px, y: py, district };
              }
              return null;
            }
            """, disputes.Select(d => new object[] { d.Lon, d.Lat, d.District }).ToArray());
        Assert.Equal(JsonValueKind.Object, target.ValueKind);
        var district = target.GetProperty("district").GetString()!;
        await page.Mouse.ClickAsync((float)target.GetProperty("x").GetDouble(), (float)target.GetProperty("y").GetDouble());
        await page.Locator($"[data-testid=dash-map][data-selected='{district}'][data-zoomed-to='{district}']").WaitForAsync();
        await page.Locator($"aside.dash-side[data-loading=false][data-scope='district:{district}']").WaitForAsync();
        var inDistrict = await ApiAsync($"by=street&within=district:{district}");
        Assert.Equal(Codes(inDistrict), await ChartCodesAsync(page, "chart-league"));
        await page.WaitForFunctionAsync("() => !window.gridmap.map.getView().getAnimating()");
        Assert.True(await ZoomAsync(page) > cityZoom + 0.5, $"zoomed in to the district: {await ZoomAsync(page)} vs the city {cityZoom}");

        await page.GetByTestId("back-city").ClickAsync();
        await page.Locator("aside.dash-side[data-loading=false][data-scope=city]").WaitForAsync();
        Assert.Equal(Codes(city), await ChartCodesAsync(page, "chart-league"));

        // Printed: map controls and the top bar hidden, the headline and the legend on the page, bar colours kept.
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        Assert.True(await page.Locator(".dash-controls").IsHiddenAsync());
        Assert.True(await page.Locator(".ol-zoom").First.IsHiddenAsync());
        Assert.True(await page.GetByTestId("headline-share").IsVisibleAsync());
        Assert.True(await page.GetByTestId("choropleth-legend").IsVisibleAsync());
        Assert.Equal("exact", await page.GetByTestId("headline-share").EvaluateAsync<string>("e => getComputedStyle(e).printColorAdjust || getComputedStyle(e).webkitPrintColorAdjust"));
        await page.EmulateMediaAsync(new() { Media = Media.Screen });

        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("manager.png") });
        await page.Context.CloseAsync();
    }

    [PostgisFact]
    public async Task Laptop1366x768_NothingOverflows_EveryPartIsOnScreen()
    {
        var (page, _) = await OpenAsync(1366, 768);
        // No horizontal scrolling of the page, no headline figure cut off, the side column fits its width.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
            "the page scrolls sideways");
        var clipped = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('[data-testid=dash-head] > *, [data-testid=dash-head] .value, [data-testid=dash-head] .label, aside.dash-side')]
              .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => (e.dataset.testid || e.className) + ': ' + e.scrollWidth + '>' + e.clientWidth)
            """);
        Assert.True(clipped.Length == 0, "overflowing: " + string.Join("; ", clipped));
        foreach (var id in new[] { "headline-share", "headline-households", "headline-disputes", "headline-overdue", "as-of", "map-controls", "chart-league" })
        {
            var box = await page.GetByTestId(id).BoundingBoxAsync();
            Assert.True(box is not null && box.X >= 0 && box.Y >= 0 && box.X + box.Width <= 1366 + 0.5 && box.Y + box.Height <= 768 + 0.5,
                $"{id} is not fully on screen: {box?.X},{box?.Y} {box?.Width}×{box?.Height}");
        }
        // No text under 14 px in the dashboard.
        var small = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('.dash-head *, .dash-side h2, .dash-side h3, .dash-side li, .dash-side p, .dash-mapbox *')]
              .filter(e => e.childNodes.length && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
              .filter(e => parseFloat(getComputedStyle(e).fontSize) < 14).map(e => e.tagName + '.' + e.className + ' ' + getComputedStyle(e).fontSize)
            """);
        Assert.True(small.Length == 0, "text below 14 px: " + string.Join("; ", small.Take(5)));
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("manager-laptop.png") });
        await page.Context.CloseAsync();
    }
}
