using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Tests.Shared;
using Microsoft.Playwright;

namespace GridMap.Browser.Tests;

/// <summary>
/// The crew view (#/crew) on a phone-sized Chromium with a set geolocation, against the real server and the demo
/// city: the nearest pipe is the one the API names, tapping it shows the API's isolation plan, a broken valve gives
/// the API's new plan at once; then, after downloading the area, the same with the browser context offline (the
/// service worker opens the app, plans come from the TypeScript port over IndexedDB). Saves .run/screenshots/crew.png (scripts/screenshots copies it to docs/screenshots).
/// </summary>
public sealed class CrewTests(LiveServer server, ChromiumFixture chromium) : IClassFixture<LiveServer>, IClassFixture<ChromiumFixture>
{
    private string BaseUrl => server.BaseUrl.TrimEnd('/');
    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private async Task<JsonElement> ApiAsync(string path)
    {
        using var http = await server.ClientAsync();
        return await http.GetFromJsonAsync<JsonElement>(BaseUrl + path);
    }

    /// <summary>A spot 1 m north-west of the middle of the first leg of a secondary supply pipe in central Zhengzhou.</summary>
    private async Task<(double Lon, double Lat)> SpotAsync()
    {
        var fc = await ApiAsync("/api/layers/pipes/features?bbox=113.62,34.74,113.68,34.78&limit=5000");
        var pipe = fc.GetProperty("features").EnumerateArray().First(f =>
            f.GetProperty("properties").GetProperty("level").GetString() == "secondary" &&
            f.GetProperty("properties").GetProperty("flow").GetString() == "supply" &&
            f.GetProperty("geometry").GetProperty("coordinates").GetArrayLength() >= 2);
        var c = pipe.GetProperty("geometry").GetProperty("coordinates");
        double x0 = c[0][0].GetDouble(), y0 = c[0][1].GetDouble(), x1 = c[1][0].GetDouble(), y1 = c[1][1].GetDouble();
        // Playwright takes the geolocation as single-precision floats and sends their shortest decimal form to the
        // browser: use exactly that value.
        static double AsBrowserSees(double v) => double.Parse(((float)v).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return (AsBrowserSees((x0 + x1) / 2 - 0.00001), AsBrowserSees((y0 + y1) / 2 + 0.000005));
    }

    private Task<(IBrowserContext Context, IPage Page, List<string> Errors)> OpenPhoneAsync(double lon, double lat, double accuracy) =>
        CrewPhone.OpenAsync(server, chromium, lon, lat, accuracy);

    private static Task<long[]> ShownValvesAsync(IPage page) => CrewPhone.ShownValvesAsync(page);

    private static long[] PlanValves(JsonElement plan) => CrewPhone.PlanValves(plan);

    private static async Task WaitPlanAsync(IPage page, string source, int inoperable)
    {
        var sel = $"[data-testid=crew-plan][data-state=ready][data-source={source}]";
        await page.Locator(sel).WaitForAsync();
        if (inoperable > 0) await page.GetByTestId("crew-inoperable").WaitForAsync();
    }

    [PostgisFact]
    public async Task Crew_OnlineThenOffline_NearestPipeAndIsolationPlans_AgreeWithTheApi()
    {
        var (lon, lat) = await SpotAsync();
        var nearest = await ApiAsync($"/api/network/nearest?lon={F(lon)}&lat={F(lat)}&k=5");
        var first = nearest.GetProperty("pipes")[0];
        var pipe = first.GetProperty("id").GetInt64();
        var (context, page, errors) = await OpenPhoneAsync(lon, lat, 12);

        // ── online ──
        await page.Locator("[data-testid=crew-nearest][data-state=ready]").WaitForAsync();
        Assert.Equal("online", await page.GetByTestId("crew").GetAttributeAsync("data-mode"));
        Assert.Equal(pipe.ToString(CultureInfo.InvariantCulture), await page.Locator("[data-testid=crew-nearest] li button").First.GetAttributeAsync("data-pipe"));
        Assert.Contains("12", await page.GetByTestId("crew-accuracy").InnerTextAsync());
        Assert.False(await page.GetByTestId("crew-accuracy-warning").IsVisibleAsync());
        Assert.Contains(lon.ToString("F6", CultureInfo.InvariantCulture), await page.GetByTestId("crew-wgs84").InnerTextAsync());
        var gkText = await page.GetByTestId("crew-cgcs2000").InnerTextAsync();
        Assert.Contains("EPSG:4547", gkText);
        // X is the northing, Y the easting (Chinese survey convention), in metres; the client's proj4 agrees with the server.
        var pos = nearest.GetProperty("position");
        var numbers = System.Text.RegularExpressions.Regex.Matches(gkText, @"[XY] (\d+\.\d+)").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(2, numbers.Length);
        Assert.InRange(Math.Abs(numbers[0] - pos.GetProperty("y4547").GetDouble()), 0, 0.05);
        Assert.InRange(Math.Abs(numbers[1] - pos.GetProperty("x4547").GetDouble()), 0, 0.05);

        // A worse fix than the limit warns.
        await context.SetGeolocationAsync(new() { Longitude = (float)lon, Latitude = (float)lat, Accuracy = 80 });
        await page.GetByTestId("crew-accuracy-warning").WaitForAsync();
        Assert.Contains("80", await page.GetByTestId("crew-accuracy-warning").InnerTextAsync());
        await context.SetGeolocationAsync(new() { Longitude = (float)lon, Latitude = (float)lat, Accuracy = 12 });
        await page.GetByTestId("crew-accuracy-warning").WaitForAsync(new() { State = WaitForSelectorState.Hidden });
        // The limit is adjustable: 10 m makes the same ±12 m fix poor.
        await page.GetByTestId("crew-accuracy-limit").FillAsync("10");
        await page.GetByTestId("crew-accuracy-limit").DispatchEventAsync("change");
        await page.GetByTestId("crew-accuracy-warning").WaitForAsync();
        await page.GetByTestId("crew-accuracy-limit").FillAsync("30");
        await page.GetByTestId("crew-accuracy-limit").DispatchEventAsync("change");
        await page.GetByTestId("crew-accuracy-warning").WaitForAsync(new() { State = WaitForSelectorState.Hidden });

        // With a phone compass the arrows point relative to the phone: facing east (alpha 270 → heading 90°), a pipe
        // due east of me points straight ahead.
        await page.EvaluateAsync("() => window.dispatchEvent(new DeviceOrientationEvent('deviceorientationabsolute', { alpha: 270, beta: 0, gamma: 0, absolute: true }))");
        Assert.Contains("90°", await page.GetByTestId("crew-heading").InnerTextAsync());
        var arrowEl = page.Locator("[data-testid=crew-nearest] .crew-arrow[data-bearing]").First;
        var bearing = double.Parse((await arrowEl.GetAttributeAsync("data-bearing"))!, CultureInfo.InvariantCulture);
        var transform = await arrowEl.EvaluateAsync<string>("e => e.style.transform");
        var turned = double.Parse(System.Text.RegularExpressions.Regex.Match(transform, @"rotate\((-?[\d.]+)deg\)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(bearing - 90, turned, 3);

        // Tap the nearest pipe: the API's plan, valves in its order.
        await page.GetByTestId($"crew-pipe-{pipe}").ClickAsync();
        await WaitPlanAsync(page, "online", 0);
        // The phone sends where the crew stands: valves required first, then nearest the crew.
        var plan = await ApiAsync($"/api/network/isolate?pipe={pipe}&lon={F(lon)}&lat={F(lat)}&crewLon={F(lon)}&crewLat={F(lat)}");
        var valves = PlanValves(plan);
        Assert.NotEmpty(valves);
        Assert.Equal(valves, await ShownValvesAsync(page));
        Assert.Equal(plan.GetProperty("affected_households").GetInt64().ToString(CultureInfo.InvariantCulture),
            await page.GetByTestId("crew-households").GetAttributeAsync("data-households"));

        // The first valve is broken: a new plan at once, the API's.
        var broken = valves[0];
        await page.GetByTestId($"crew-broken-{broken}").ClickAsync();
        await WaitPlanAsync(page, "online", 1);
        var replan = await ApiAsync($"/api/network/isolate?pipe={pipe}&lon={F(lon)}&lat={F(lat)}&crewLon={F(lon)}&crewLat={F(lat)}&inoperable={broken}");
        Assert.Equal(PlanValves(replan), await ShownValvesAsync(page));
        Assert.DoesNotContain(broken, await ShownValvesAsync(page));
        Assert.Equal(replan.GetProperty("affected_households").GetInt64().ToString(CultureInfo.InvariantCulture),
            await page.GetByTestId("crew-households").GetAttributeAsync("data-households"));

        // Tapping a pipe on the map (vector tiles) gives that pipe's plan too.
        var closest = first.GetProperty("closest");
        var pixel = await page.EvaluateAsync<double[]>(@"([lon, lat]) => {
            const m = window.gridmapCrew.map;
            m.getView().setCenter([lon * 20037508.342789244 / 180, Math.log(Math.tan((90 + lat) * Math.PI / 360)) * 6378137]);
            m.getView().setZoom(19);
            return new Promise(r => { m.once('rendercomplete', () => r(m.getPixelFromCoordinate(m.getView().getCenter()))); m.render(); });
        }", new[] { closest[0].GetDouble(), closest[1].GetDouble() });
        var box = (await page.GetByTestId("crew-map").BoundingBoxAsync())!;
        await page.GetByTestId("crew-plan").EvaluateAsync("e => e.dataset.state = 'none'");
        await page.Mouse.ClickAsync((float)(box.X + pixel[0]), (float)(box.Y + pixel[1]));
        await WaitPlanAsync(page, "online", 0);
        var tapped = long.Parse((await page.GetByTestId("crew-plan").GetAttributeAsync("data-pipe"))!, CultureInfo.InvariantCulture);
        var tappedPlan = await ApiAsync($"/api/network/isolate?pipe={tapped}");
        Assert.Equal(PlanValves(tappedPlan).Order(), (await ShownValvesAsync(page)).Order());
        var near = nearest.GetProperty("pipes").EnumerateArray().Take(2).Select(p => p.GetProperty("id").GetInt64()).ToList();
        Assert.Contains(tapped, near);

        // Screenshot of the first plan on a phone.
        await page.GetByTestId($"crew-pipe-{pipe}").ClickAsync();
        await WaitPlanAsync(page, "online", 0);
        await page.EvaluateAsync("() => new Promise(r => { const m = window.gridmapCrew.map; m.once('rendercomplete', () => r(true)); m.render(); })");
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("crew.png") });

        // ── download the area, then cut the network ──
        if (await page.Locator("[data-testid=crew-offline]:not([open])").CountAsync() > 0) await page.Locator(".crew-offline summary").ClickAsync();
        await page.GetByTestId("crew-download-cell").ClickAsync();
        await page.GetByTestId("crew-download-go").ClickAsync(); // after the size is shown
        await page.Locator("[data-testid=crew-offline-status][data-state=saved]").WaitForAsync(new() { Timeout = 120_000 });

        await context.SetOfflineAsync(true);
        await page.ReloadAsync();
        await page.Locator("[data-testid=crew][data-mode=offline]").WaitForAsync();
        await page.Locator("[data-testid=crew-nearest][data-state=ready][data-source=offline]").WaitForAsync();
        Assert.Equal(pipe.ToString(CultureInfo.InvariantCulture), await page.Locator("[data-testid=crew-nearest] li button").First.GetAttributeAsync("data-pipe"));
        // The downloaded pipes are drawn from IndexedDB over the project's own basemap.
        var drawn = await page.EvaluateAsync<int>("() => window.gridmapCrew.map.getLayers().getArray().find(l => l.get('id') === 'pipes').getSource().getFeatures().length");
        Assert.True(drawn > 10, $"only {drawn} pipes drawn offline");

        await page.GetByTestId($"crew-pipe-{pipe}").ClickAsync();
        await WaitPlanAsync(page, "offline", 0);
        Assert.Equal(valves, await ShownValvesAsync(page));
        Assert.Equal(plan.GetProperty("affected_households").GetInt64().ToString(CultureInfo.InvariantCulture),
            await page.GetByTestId("crew-households").GetAttributeAsync("data-households"));

        await page.GetByTestId($"crew-broken-{broken}").ClickAsync();
        await WaitPlanAsync(page, "offline", 1);
        Assert.Equal(PlanValves(replan), await ShownValvesAsync(page));
        Assert.Equal(replan.GetProperty("affected_households").GetInt64().ToString(CultureInfo.InvariantCulture),
            await page.GetByTestId("crew-households").GetAttributeAsync("data-households"));

        Assert.Empty(errors);
        await context.CloseAsync();
    }

}
