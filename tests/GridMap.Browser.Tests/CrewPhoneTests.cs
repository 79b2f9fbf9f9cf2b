using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Application.Auth;
using GridMap.Tests.Shared;
using Microsoft.Playwright;

namespace GridMap.Browser.Tests;

/// <summary>
/// The crew's screen as a new user meets it on a 412×915 phone (Chromium phone emulation, touch), against the real
/// server and the demo city (issue 13 §3–§4): location denied → a Chinese message saying what to do, the position set
/// by search or long press, the map starting at the crew's branch; valves required-first then nearest the crew, and a
/// re-plan that says what changed; the whole app shell cached so other views open offline and say what they can do;
/// an area package with its size before and age after download that plans a burst at its edge as the server does.
/// Screenshots: .run/screenshots/crew-phone-*.png.
/// </summary>
public sealed class CrewPhoneTests(LiveServer server, ChromiumFixture chromium) : IClassFixture<LiveServer>, IClassFixture<ChromiumFixture>
{
    private const int Width = 412, Height = 915;
    private string BaseUrl => server.BaseUrl.TrimEnd('/');
    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private async Task<JsonElement> ApiAsync(string path)
    {
        using var http = await server.ClientAsync();
        return await http.GetFromJsonAsync<JsonElement>(BaseUrl + path);
    }

    /// <summary>A crew user in the branch whose area holds lon/lat.</summary>
    private async Task<(string Name, int Branch)> CrewUserAsync(string name, double lon, double lat)
    {
        var fc = await ApiAsync($"/api/layers/branches/features?bbox={F(lon - 0.0001)},{F(lat - 0.0001)},{F(lon + 0.0001)},{F(lat + 0.0001)}&limit=5");
        var branch = fc.GetProperty("features")[0].GetProperty("properties").GetProperty("id").GetInt32();
        await server.CreateUserAsync(name, Roles.Crew, branch);
        return (name, branch);
    }

    private async Task<(IBrowserContext Context, IPage Page, List<string> Errors)> PhoneAsync(string user, (double Lon, double Lat, double Acc)? gps)
    {
        var options = new BrowserNewContextOptions
        {
            ViewportSize = new() { Width = Width, Height = Height },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
            Locale = "zh-CN",
        };
        if (gps is { } g)
        {
            options.Geolocation = new() { Longitude = (float)g.Lon, Latitude = (float)g.Lat, Accuracy = (float)g.Acc };
            options.Permissions = ["geolocation"];
        }
        var context = await chromium.Browser.NewContextAsync(options);
        await server.SignInAsync(context, user);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(BaseUrl + "/#/crew");
        await page.Locator("[data-testid=crew-map][data-ready=true]").WaitForAsync();
        return (context, page, errors);
    }

    /// <summary>Opens the offline section (collapsed online, near the top of the sheet).</summary>
    private static async Task OpenOfflineSectionAsync(IPage page)
    {
        if (await page.Locator("[data-testid=crew-offline]:not([open])").CountAsync() > 0) await page.Locator("[data-testid=crew-offline] summary").ClickAsync();
    }

    private static Task ShotAsync(IPage page, string name) => page.ScreenshotAsync(new() { Path = Screenshots.PathFor(name) });

    [PostgisFact]
    public async Task Phone_LocationDenied_SaysWhatToDoInChinese_StartsAtTheBranch_AndSearchOrLongPressSetsThePosition()
    {
        var (lon, lat) = await CrewPhone.SpotAsync(server);
        var (user, _) = await CrewUserAsync("crew-phone-denied", lon, lat);
        var (context, page, errors) = await PhoneAsync(user, null); // geolocation not granted: the request is denied

        var msg = page.GetByTestId("crew-locate-msg");
        await page.Locator("[data-testid=crew-locate-msg][data-state=error]").WaitForAsync();
        var text = await msg.InnerTextAsync();
        Assert.Contains("定位失败", text);
        Assert.Contains("允许", text);       // what to do about the permission
        Assert.Contains("长按", text);       // and how to go on without it
        Assert.Contains("搜索", text);
        Assert.DoesNotContain("User denied", await page.GetByTestId("crew").InnerTextAsync());
        // The map starts at the crew's branch, not the whole city.
        await page.Locator("[data-testid=crew-map][data-start=branch]").WaitForAsync();
        // The offline section is on the first screen, not at the bottom of the sheet.
        var off = (await page.GetByTestId("crew-offline").BoundingBoxAsync())!;
        Assert.True(off.Y + 44 <= Height, $"offline section at y = {off.Y}: below the first screen");
        await ShotAsync(page, "crew-phone-denied.png");

        // "下载我的网格" without a position: the cell at the map's centre (the branch), never "尚未定位".
        await OpenOfflineSectionAsync(page);
        await page.GetByTestId("crew-download-cell").ClickAsync();
        await page.Locator("[data-testid=crew-offline-status][data-state=confirm]").WaitForAsync();
        var confirm = await page.GetByTestId("crew-offline-status").InnerTextAsync();
        Assert.DoesNotContain("尚未定位", confirm);
        Assert.Contains("地图中心", confirm);
        await page.GetByTestId("crew-download-cancel").ClickAsync();

        // Search a compound by name: the position is set there by hand and the nearest pipes follow.
        var hit = (await ApiAsync($"/api/compounds?q={Uri.EscapeDataString("小区")}&limit=1"))[0];
        var name = hit.GetProperty("name").GetString()!;
        var centroid = hit.GetProperty("centroid");
        await page.GetByTestId("crew-search").FillAsync(name);
        await page.GetByTestId("crew-search-go").ClickAsync();
        await page.GetByTestId("crew-search-hit-0").ClickAsync();
        await page.Locator("[data-testid=crew-locate-msg][data-state=manual]").WaitForAsync();
        Assert.Contains(name, await msg.InnerTextAsync());
        await page.Locator("[data-testid=crew-nearest][data-state=ready]").WaitForAsync();
        Assert.Contains(centroid[0].GetDouble().ToString("F5", CultureInfo.InvariantCulture), await page.GetByTestId("crew-wgs84").InnerTextAsync());
        Assert.Equal("手动定位", await page.GetByTestId("crew-accuracy").InnerTextAsync());

        // A valve id works too.
        var valve = (await ApiAsync($"/api/layers/valves/features?bbox={F(lon - 0.01)},{F(lat - 0.01)},{F(lon + 0.01)},{F(lat + 0.01)}&limit=1"))
            .GetProperty("features")[0];
        var valveId = valve.GetProperty("properties").GetProperty("id").GetInt64();
        await page.GetByTestId("crew-search").FillAsync(valveId.ToString(CultureInfo.InvariantCulture));
        await page.GetByTestId("crew-search-go").ClickAsync();
        await page.GetByTestId("crew-search-hit-0").ClickAsync();
        await page.Locator("[data-testid=crew-locate-msg][data-state=manual]").WaitForAsync();
        Assert.Contains($"阀门 #{valveId}", await msg.InnerTextAsync());
        Assert.Contains(valve.GetProperty("geometry").GetProperty("coordinates")[0].GetDouble().ToString("F5", CultureInfo.InvariantCulture),
            await page.GetByTestId("crew-wgs84").InnerTextAsync());

        // Long press on the map: the position moves to the pressed point.
        var box = (await page.GetByTestId("crew-map").BoundingBoxAsync())!;
        var before = await page.GetByTestId("crew-wgs84").InnerTextAsync();
        var (px, py) = (box.X + box.Width * 0.3, box.Y + box.Height * 0.6);
        var expected = await page.EvaluateAsync<double[]>("([x, y]) => { const m = window.gridmapCrew.map; const c = m.getCoordinateFromPixel([x, y]); return [c[0] / 20037508.342789244 * 180, Math.atan(Math.exp(c[1] / 6378137)) * 360 / Math.PI - 90]; }",
            new[] { px - box.X, py - box.Y });
        await page.Mouse.MoveAsync((float)px, (float)py);
        await page.Mouse.DownAsync();
        await page.WaitForTimeoutAsync(900);
        await page.Mouse.UpAsync();
        await page.Locator("[data-testid=crew-locate-msg]:has-text('长按地图')").WaitForAsync();
        var after = await page.GetByTestId("crew-wgs84").InnerTextAsync();
        Assert.NotEqual(before, after);
        Assert.Contains(expected[0].ToString("F4", CultureInfo.InvariantCulture), after);

        // Small screen: coordinates wrap between numbers, never inside one; touch targets of at least 44 px.
        var numbers = await page.Locator(".crew-coord .crew-num").EvaluateAllAsync<double[]>("els => els.map(e => e.getClientRects().length)");
        Assert.NotEmpty(numbers);
        Assert.All(numbers, n => Assert.Equal(1, n));
        var small = await page.EvaluateAsync<string[]>(@"() => [...document.querySelectorAll('#nav a, .crew-sheet button, .crew-sheet summary, .crew-sheet input[type=search]')]
            .filter(e => e.offsetParent !== null).map(e => [e.textContent.trim() || e.getAttribute('data-testid'), e.getBoundingClientRect().height])
            .filter(([, h]) => h < 44).map(([t, h]) => `${t}: ${h}px`)");
        Assert.True(small.Length == 0, "touch targets below 44 px: " + string.Join("; ", small));
        await ShotAsync(page, "crew-phone-manual.png");
        Assert.Empty(errors);
        await context.CloseAsync();
    }

    [PostgisFact]
    public async Task Phone_Plan_ListsRequiredValvesFirst_ThenNearestTheCrew_NamesWhereEachIs_AndAReplanSaysWhatChanged()
    {
        var (lon, lat) = await CrewPhone.SpotAsync(server);
        var (user, _) = await CrewUserAsync("crew-phone-plan", lon, lat);
        // A pipe near the spot whose plan has valves of both kinds.
        var nearest = await ApiAsync($"/api/network/nearest?lon={F(lon)}&lat={F(lat)}&k=20");
        long pipe = 0;
        JsonElement plan = default;
        foreach (var p in nearest.GetProperty("pipes").EnumerateArray())
        {
            var id = p.GetProperty("id").GetInt64();
            var c = p.GetProperty("closest");
            var candidate = await ApiAsync($"/api/network/isolate?pipe={id}&lon={F(c[0].GetDouble())}&lat={F(c[1].GetDouble())}&crewLon={F(lon)}&crewLat={F(lat)}");
            var kinds = candidate.GetProperty("valves_to_close").EnumerateArray().Select(v => v.GetProperty("required").GetBoolean()).Distinct().Count();
            if (kinds == 2) { pipe = id; plan = candidate; break; }
        }
        Assert.True(pipe != 0, "no pipe near the spot has both required and optional valves");
        var burst = plan.GetProperty("burst");
        var (context, page, errors) = await PhoneAsync(user, (lon, lat, 8));
        await page.Locator("[data-testid=crew-nearest][data-state=ready]").WaitForAsync();
        await page.EvaluateAsync("([p, x, y]) => window.gridmapCrew.isolate(p, [x, y])", new object[] { pipe, burst[0].GetDouble(), burst[1].GetDouble() });
        await page.Locator("[data-testid=crew-plan][data-state=ready][data-source=online]").WaitForAsync();

        var shown = await CrewPhone.ShownValvesAsync(page);
        Assert.Equal(CrewPhone.PlanValves(plan), shown);
        var required = await page.Locator("[data-testid=crew-valves] li[data-valve]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.required)");
        // Every required valve before every optional one…
        Assert.Equal(required.OrderByDescending(r => r == "true"), required);
        // …and within each kind, nearest the crew first.
        var valves = plan.GetProperty("valves_to_close").EnumerateArray().ToList();
        foreach (var kind in new[] { true, false })
        {
            var d = valves.Where(v => v.GetProperty("required").GetBoolean() == kind)
                .Select(v => Haversine(lon, lat, v.GetProperty("lon").GetDouble(), v.GetProperty("lat").GetDouble())).ToList();
            for (var i = 1; i < d.Count; i++) Assert.True(d[i] >= d[i - 1] - 0.5, $"valves of kind required={kind} not nearest-first: {string.Join(", ", d)}");
        }
        // Each valve says where it is on site (a road or compound), beside its id.
        var sites = await page.Locator("[data-testid^=crew-site-]").AllInnerTextsAsync();
        Assert.NotEmpty(sites);
        Assert.All(sites, s => Assert.Matches("旁|内|近", s));
        await page.EvaluateAsync("() => document.querySelector('[data-testid=crew-plan]').scrollIntoView()");
        await ShotAsync(page, "crew-phone-plan.png");

        // A valve turns out broken: the new plan says what changed and why.
        var broken = shown[0];
        await page.GetByTestId($"crew-broken-{broken}").ClickAsync();
        await page.GetByTestId("crew-change").WaitForAsync();
        var change = await page.GetByTestId("crew-change").InnerTextAsync();
        Assert.Contains($"#{broken}", change);
        Assert.Contains("无法关闭", change);
        Assert.Contains("停热", change);
        var replan = await ApiAsync($"/api/network/isolate?pipe={pipe}&lon={F(burst[0].GetDouble())}&lat={F(burst[1].GetDouble())}&crewLon={F(lon)}&crewLat={F(lat)}&inoperable={broken}");
        Assert.Equal(CrewPhone.PlanValves(replan), await CrewPhone.ShownValvesAsync(page));
        await ShotAsync(page, "crew-phone-replan.png");
        Assert.Empty(errors);
        await context.CloseAsync();
    }

    [PostgisFact]
    public async Task Phone_OfflineShell_OtherViewsOpenOffline_AndSayWhatTheyCanDo_WithoutAnyDownload()
    {
        var (lon, lat) = await CrewPhone.SpotAsync(server);
        var (user, _) = await CrewUserAsync("crew-phone-shell", lon, lat);
        var (context, page, errors) = await PhoneAsync(user, (lon, lat, 8));
        // The service worker caches every file of the build on the first visit (nothing downloaded by the crew).
        var manifest = await ApiAsync("/shell-manifest.json");
        var files = manifest.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).ToList();
        Assert.Contains(files, f => f.EndsWith(".js", StringComparison.Ordinal));
        await page.WaitForFunctionAsync(@"async (n) => {
            const reg = await navigator.serviceWorker.getRegistration();
            if (!reg || !reg.active) return false;
            const c = await caches.open('gridmap-shell-v2');
            return (await c.keys()).length >= n;
        }", files.Count, new() { Timeout = 120_000, PollingInterval = 500 });

        await context.SetOfflineAsync(true);
        foreach (var (hash, title) in new[] { ("manager", "改造进度看板"), ("planner", "网格规划"), ("", "总览地图") })
        {
            var other = await context.NewPageAsync();
            other.SetDefaultTimeout(60_000);
            await other.GotoAsync(BaseUrl + "/#/" + hash);
            await other.Locator("[data-testid=page-offline], [data-testid=offline-banner]:visible").First.WaitForAsync();
            var body = await other.Locator("body").InnerTextAsync();
            Assert.DoesNotContain("Failed to fetch", body);
            Assert.DoesNotContain("scripts/run", body);
            Assert.Contains("离线", body);
            Assert.Contains(title, body);
            Assert.Contains("需要网络", body);
            if (hash == "manager") await ShotAsync(other, "crew-phone-offline-manager.png");
            await other.CloseAsync();
        }
        // The crew view itself opens offline and says there is no downloaded data, in Chinese.
        var crew = await context.NewPageAsync();
        await crew.GotoAsync(BaseUrl + "/#/crew");
        await crew.GetByTestId("crew-no-data").WaitForAsync();
        Assert.Contains("下载", await crew.GetByTestId("crew-no-data").InnerTextAsync());
        Assert.Contains("已下载的范围", await crew.GetByTestId("offline-banner").InnerTextAsync());
        Assert.Empty(errors);
        await context.CloseAsync();
    }

    [PostgisFact]
    public async Task Phone_AreaPackage_ShowsSizeThenAge_RefreshesOnlyWhatChanged_AndPlansABurstAtItsEdgeOfflineAsTheServer()
    {
        var (lon, lat) = await CrewPhone.SpotAsync(server);
        var (user, _) = await CrewUserAsync("crew-phone-area", lon, lat);
        var (context, page, errors) = await PhoneAsync(user, (lon, lat, 8));
        await page.Locator("[data-testid=crew-nearest][data-state=ready]").WaitForAsync();

        // Size before download…
        await OpenOfflineSectionAsync(page);
        await page.GetByTestId("crew-download-cell").ClickAsync();
        await page.GetByTestId("crew-download-size").WaitForAsync();
        var bytes = long.Parse((await page.GetByTestId("crew-download-size").GetAttributeAsync("data-bytes"))!, CultureInfo.InvariantCulture);
        Assert.True(bytes > 1000, $"size {bytes}");
        Assert.Matches("约 [0-9.]+ (KB|MB)", await page.GetByTestId("crew-download-size").InnerTextAsync());
        await page.GetByTestId("crew-download-go").ClickAsync();
        await page.Locator("[data-testid=crew-offline-status][data-state=saved]").WaitForAsync(new() { Timeout = 180_000 });
        // …its age after.
        Assert.Contains("刚刚", await page.GetByTestId("crew-offline-age").InnerTextAsync());
        // Refresh with the network unchanged: the server answers 304, nothing is downloaded again.
        await page.GetByTestId("crew-refresh").ClickAsync();
        await page.GetByTestId("crew-refresh-result").WaitForAsync();
        Assert.Contains("已是最新", await page.GetByTestId("crew-refresh-result").InnerTextAsync());
        await ShotAsync(page, "crew-phone-offline-data.png");

        // A pipe crossing the area's edge, burst just inside.
        var edge = await page.EvaluateAsync<JsonElement>(@"async () => {
            const db = await new Promise((res, rej) => { const r = indexedDB.open('gridmap-crew', 1); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
            const area = await new Promise((res) => { const q = db.transaction('kv').objectStore('kv').get('area'); q.onsuccess = () => res(q.result); });
            db.close();
            const [x0, y0, x1, y1] = area.bbox;
            const inside = ([x, y]) => x > x0 && x < x1 && y > y0 && y < y1;
            for (const f of area.layers.pipes.features) {
              const c = f.geometry && f.geometry.coordinates;
              if (!c || c.length < 2 || f.properties.level === undefined) continue;
              for (let i = 1; i < c.length; i++) {
                const a = c[i - 1], b = c[i];
                if (inside(a) !== inside(b)) {
                  const [p, q] = inside(a) ? [a, b] : [b, a];
                  // a point 1/10 of the way from the inside end
                  return { pipe: Number(f.properties.id), lon: p[0] + (q[0] - p[0]) * 0.1, lat: p[1] + (q[1] - p[1]) * 0.1 };
                }
              }
            }
            return null;
        }");
        Assert.Equal(JsonValueKind.Object, edge.ValueKind);
        var pipe = edge.GetProperty("pipe").GetInt64();
        double bl = edge.GetProperty("lon").GetDouble(), bt = edge.GetProperty("lat").GetDouble();
        var server1 = await ApiAsync($"/api/network/isolate?pipe={pipe}&lon={F(bl)}&lat={F(bt)}&crewLon={F(lon)}&crewLat={F(lat)}");

        await context.SetOfflineAsync(true);
        await page.ReloadAsync();
        await page.Locator("[data-testid=crew][data-mode=offline]").WaitForAsync();
        await page.Locator("[data-testid=crew-nearest][data-state=ready]").WaitForAsync();
        await page.EvaluateAsync("([p, x, y]) => window.gridmapCrew.isolate(p, [x, y])", new object[] { pipe, bl, bt });
        await page.Locator("[data-testid=crew-plan][data-state=ready][data-source=offline]").WaitForAsync();
        Assert.Equal(CrewPhone.PlanValves(server1), await CrewPhone.ShownValvesAsync(page));
        Assert.Equal(server1.GetProperty("affected_households").GetInt64().ToString(CultureInfo.InvariantCulture),
            await page.GetByTestId("crew-households").GetAttributeAsync("data-households"));
        var compounds = server1.GetProperty("affected_compounds").EnumerateArray().Select(c => c.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(compounds, (await page.Locator("[data-testid=crew-compounds] li[data-compound]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.compound)")).ToList());
        Assert.Equal(0, await page.GetByTestId("crew-beyond-package").CountAsync());

        // What the offline map draws: the area's layers from IndexedDB — every stored feature touches the area's bbox
        // (whole geometries: a district or road crossing the edge is kept whole), far fewer pipes than the city — and
        // it draws them with no network (no tiles: the online vector tiles hold the same features).
        var drawnText = await page.EvaluateAsync<string>(@"async () => {
            const db = await new Promise((res, rej) => { const r = indexedDB.open('gridmap-crew', 1); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
            const area = await new Promise((res) => { const q = db.transaction('kv').objectStore('kv').get('area'); q.onsuccess = () => res(q.result); });
            db.close();
            const [x0, y0, x1, y1] = area.bbox;
            const outside = {};
            const counts = {};
            for (const [id, fc] of Object.entries(area.layers)) {
              counts[id] = fc.features.length;
              outside[id] = 0;
              for (const f of fc.features) {
                if (!f.geometry) continue;
                const nums = JSON.stringify(f.geometry.coordinates).match(/-?[0-9.]+(e-?[0-9]+)?/g).map(Number);
                let a = Infinity, b = Infinity, c = -Infinity, d = -Infinity;
                for (let i = 0; i + 1 < nums.length; i += 2) { a = Math.min(a, nums[i]); c = Math.max(c, nums[i]); b = Math.min(b, nums[i + 1]); d = Math.max(d, nums[i + 1]); }
                if (c < x0 || a > x1 || d < y0 || b > y1) outside[id]++;
              }
            }
            const map = window.gridmapCrew.map;
            const onMap = {};
            for (const l of map.getLayers().getArray()) if (l.get('id') && l.getSource && l.getSource().getFeatures) onMap[l.get('id')] = l.getSource().getFeatures().length;
            await new Promise((res) => { map.once('rendercomplete', res); map.render(); });
            let painted = 0, total = 0;
            for (const canvas of document.querySelectorAll('[data-testid=crew-map] canvas')) {
              const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
              for (let i = 3; i < px.length; i += 4) { total++; if (px[i] > 0) painted++; }
            }
            return JSON.stringify({ bbox: area.bbox, counts, outside, onMap, painted, total });
        }");
        var drawn = JsonDocument.Parse(drawnText).RootElement;
        var cityPipes = (await ApiAsync("/api/layers/pipes/features?bbox=112.5,34.2,114.5,35.2&limit=50000")).GetProperty("numberReturned").GetInt32();
        foreach (var layer in drawn.GetProperty("outside").EnumerateObject())
            Assert.True(layer.Value.GetInt32() == 0, $"{layer.Value} stored {layer.Name} features lie outside the area's bbox ({drawnText})");
        var storedPipes = drawn.GetProperty("counts").GetProperty("pipes").GetInt32();
        Assert.InRange(storedPipes, 1, cityPipes / 2);
        foreach (var layer in new[] { "pipes", "valves", "compounds", "roads" })
            Assert.Equal(drawn.GetProperty("counts").GetProperty(layer).GetInt32(), drawn.GetProperty("onMap").GetProperty(layer).GetInt32());
        Assert.True(drawn.GetProperty("painted").GetInt32() > drawn.GetProperty("total").GetInt32() / 50, $"offline map drew {drawn.GetProperty("painted")} of {drawn.GetProperty("total")} pixels");
        await ShotAsync(page, "crew-phone-offline-map.png");
        Assert.Empty(errors);
        await context.CloseAsync();
    }

    private static double Haversine(double lon1, double lat1, double lon2, double lat2)
    {
        const double r = 6371008.8;
        var rad = Math.PI / 180;
        var a = Math.Pow(Math.Sin((lat2 - lat1) * rad / 2), 2) + Math.Cos(lat1 * rad) * Math.Cos(lat2 * rad) * Math.Pow(Math.Sin((lon2 - lon1) * rad / 2), 2);
        return 2 * r * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
