using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Tests.Shared;
using Microsoft.Playwright;

namespace GridMap.Browser.Tests;

/// <summary>
/// The overview map (web client v0) in real Chromium against the real GridMap server and the demo city:
/// the page opens, compounds render from vector tiles in their status colours, the legend counts agree
/// with the API, a click opens the compound's details, and a screenshot of the demo city is saved.
/// Skipped without PostGIS on a laptop (no GRIDMAP_DB); never skipped when CI=true.
/// </summary>
public sealed class OverviewMapTests(LiveServer server, ChromiumFixture chromium) : IClassFixture<LiveServer>, IClassFixture<ChromiumFixture>
{
    /// <summary>Campaign order, as in the API contract and tiles/styles.json.</summary>
    private static readonly string[] Statuses = ["not_started", "publicity", "visiting", "signed", "construction", "acceptance", "completed"];

    private static readonly string[] OtherLayers = ["districts", "roads", "branches", "pipes", "stations", "valves", "heat_sources"];

    private string BaseUrl => server.BaseUrl.TrimEnd('/');

    private async Task<IPage> OpenOverviewAsync(int width = 1400, int height = 900, List<string>? scriptErrors = null)
    {
        var page = await server.NewPageAsync(chromium, width, height);
        if (scriptErrors is not null)
        {
            page.PageError += (_, e) => scriptErrors.Add(e);
            page.Console += (_, m) => { if (m.Type == "error") scriptErrors.Add(m.Text); };
        }
        await page.GotoAsync(BaseUrl + "/");
        // The client sets data-ready once compound tiles with features have loaded and been rendered.
        await page.Locator("[data-testid=map][data-ready=true]").WaitForAsync(new() { Timeout = 60_000 });
        return page;
    }

    private static Task RenderCompleteAsync(IPage page) => page.EvaluateAsync(
        "() => new Promise(resolve => { const m = window.gridmap.map; m.once('rendercomplete', () => resolve(true)); m.render(); })");

    private async Task<JsonElement> ApiStatsAsync()
    {
        using var http = await server.ClientAsync();
        return await http.GetFromJsonAsync<JsonElement>(BaseUrl + "/api/stats/retrofit");
    }

    [PostgisFact]
    public async Task Page_Opens_InChinese_WithMapLegendLayerSwitcherAndNoScriptErrors()
    {
        var errors = new List<string>();
        var page = await OpenOverviewAsync(scriptErrors: errors);

        Assert.Equal("zh-CN", await page.GetAttributeAsync("html", "lang"));
        Assert.Contains("GridMap", await page.TitleAsync());
        Assert.True(await page.GetByTestId("map").IsVisibleAsync());
        Assert.True(await page.GetByTestId("legend").IsVisibleAsync());
        var switcher = page.GetByTestId("layer-switcher");
        Assert.True(await switcher.IsVisibleAsync());
        foreach (var title in new[] { "行政区", "分公司", "主干道", "小区", "供热管网", "换热站", "阀门", "热源" })
            Assert.Contains(title, await switcher.InnerTextAsync());
        Assert.Contains("改造", await page.GetByTestId("legend").InnerTextAsync());
        // A scale bar in metric units.
        Assert.Matches(@"^\d+\s*(m|km)$", (await page.Locator(".ol-scale-line-inner").InnerTextAsync()).Trim());
        Assert.True(errors.Count == 0, "script errors: " + string.Join(" | ", errors));
    }

    [PostgisFact]
    public async Task Compounds_RenderInTheirStatusColours_FromVectorTiles()
    {
        var page = await OpenOverviewAsync();
        var loaded = await page.EvaluateAsync<int>("() => window.gridmap.compoundFeaturesLoaded");
        Assert.True(loaded > 0, "no compound features in the loaded vector tiles");

        // Leave only the compounds on the canvas (through the layer switcher, as a user would), zoom to
        // street level, and count canvas pixels that are exactly a status fill at the palette's opacity.
        foreach (var id in OtherLayers) await page.GetByTestId($"layer-{id}").UncheckAsync();
        await page.EvaluateAsync("() => window.gridmap.map.getView().setZoom(14)");
        await RenderCompleteAsync(page);
        var counts = await StatusPixelCountsAsync(page);

        var seen = Statuses.Where(s => counts.GetValueOrDefault(s) >= 25).ToList();
        Assert.True(seen.Count >= 5,
            "expected compounds in at least 5 status colours at the city centre, saw: " + string.Join(", ", counts.Select(kv => $"{kv.Key}={kv.Value}")));
    }

    [PostgisFact]
    public async Task LegendToggle_HidesThatStatusFromTheMap()
    {
        var page = await OpenOverviewAsync();
        foreach (var id in OtherLayers) await page.GetByTestId($"layer-{id}").UncheckAsync();
        await page.EvaluateAsync("() => window.gridmap.map.getView().setZoom(14)");
        await RenderCompleteAsync(page);
        var before = await StatusPixelCountsAsync(page);
        var status = Statuses.OrderByDescending(s => before.GetValueOrDefault(s)).First();
        Assert.True(before[status] > 0);

        await page.GetByTestId($"legend-{status}").ClickAsync();
        await RenderCompleteAsync(page);
        var after = await StatusPixelCountsAsync(page);

        Assert.Equal("false", await page.GetByTestId($"legend-{status}").GetAttributeAsync("aria-pressed"));
        Assert.Equal(0, after.GetValueOrDefault(status));
        var other = Statuses.Where(s => s != status).OrderByDescending(s => before.GetValueOrDefault(s)).First();
        Assert.True(after.GetValueOrDefault(other) > 0, $"hiding {status} must not hide {other}");
    }

    [PostgisFact]
    public async Task Legend_ShowsPositiveCountsPerStatus_ThatSumToTheTotal_AndMatchTheApi()
    {
        var page = await OpenOverviewAsync();
        await page.Locator("[data-testid=legend-total][data-compounds]").WaitForAsync();
        var api = await ApiStatsAsync();

        long sumCompounds = 0, sumHouseholds = 0;
        foreach (var status in Statuses)
        {
            var row = page.GetByTestId($"legend-{status}");
            var compounds = long.Parse((await row.GetAttributeAsync("data-compounds"))!, CultureInfo.InvariantCulture);
            var households = long.Parse((await row.GetAttributeAsync("data-households"))!, CultureInfo.InvariantCulture);
            Assert.True(compounds > 0, $"{status}: the demo campaign should have compounds at every stage");
            Assert.True(households > 0, $"{status}: households must be positive");
            // The visible text carries the same numbers (zh-CN grouping: 1,234).
            var text = await row.InnerTextAsync();
            Assert.Contains(compounds.ToString("N0", CultureInfo.InvariantCulture), text);
            Assert.Contains(households.ToString("N0", CultureInfo.InvariantCulture), text);
            var apiRow = api.GetProperty("byStatus").EnumerateArray().Single(r => r.GetProperty("status").GetString() == status);
            Assert.Equal(apiRow.GetProperty("compounds").GetInt64(), compounds);
            Assert.Equal(apiRow.GetProperty("households").GetInt64(), households);
            Assert.Contains(apiRow.GetProperty("label").GetString()!, text);
            sumCompounds += compounds;
            sumHouseholds += households;
        }

        var total = page.GetByTestId("legend-total");
        Assert.Equal(sumCompounds, long.Parse((await total.GetAttributeAsync("data-compounds"))!, CultureInfo.InvariantCulture));
        Assert.Equal(sumHouseholds, long.Parse((await total.GetAttributeAsync("data-households"))!, CultureInfo.InvariantCulture));
        Assert.Equal(api.GetProperty("total").GetProperty("compounds").GetInt64(), sumCompounds);
        Assert.Equal(api.GetProperty("total").GetProperty("households").GetInt64(), sumHouseholds);
    }

    [PostgisFact]
    public async Task ClickingACompound_ShowsItsDetails()
    {
        var page = await OpenOverviewAsync();
        Assert.False(await page.GetByTestId("details-panel").IsVisibleAsync());
        var target = await MapProbe.FindClickableCompoundAsync(page);

        using var http = await server.ClientAsync();
        var compound = await http.GetFromJsonAsync<JsonElement>($"/api/compounds/{target.Id}");
        await page.Mouse.ClickAsync(target.X, target.Y);
        var panel = page.Locator("[data-testid=details-panel][data-state=loaded]");
        await panel.WaitForAsync();

        Assert.Equal(compound.GetProperty("name").GetString(), (await page.GetByTestId("details-title").InnerTextAsync()).Trim());
        var text = await panel.InnerTextAsync();
        foreach (var label in new[] { "小区名称", "户数", "楼栋数", "供热面积", "建成年代", "供热方式", "改造状态", "同意率", "纠纷", "换热站", "网格", "网格员" })
            Assert.Contains(label, text);
        Assert.Contains(compound.GetProperty("households").GetInt64().ToString("N0", CultureInfo.InvariantCulture), text);

        // Closing hides it again.
        await page.GetByRole(AriaRole.Button, new() { Name = "关闭详情" }).ClickAsync();
        Assert.False(await page.GetByTestId("details-panel").IsVisibleAsync());
    }

    [PostgisFact]
    public async Task ClickingAPipe_ShowsItsDetails()
    {
        var page = await OpenOverviewAsync();
        var target = await FindClickablePipeAsync(page);

        await page.Mouse.ClickAsync(target.X, target.Y);
        var panel = page.Locator("[data-testid=details-panel][data-state=loaded]");
        await panel.WaitForAsync();

        Assert.Contains($"DN{target.Dn}", await page.GetByTestId("details-title").InnerTextAsync());
        var text = await panel.InnerTextAsync();
        foreach (var label in new[] { "管网级别", "供/回水", "管径", "材质", "敷设年份", "埋深", "运行状态", "管段长度", "编号" })
            Assert.Contains(label, text);
        Assert.Contains(target.Id.ToString(CultureInfo.InvariantCulture), text);
        Assert.Contains(target.Level == "primary" ? "一次网" : target.Level == "secondary" ? "二次网" : "楼内", text);
    }

    [PostgisFact]
    public async Task PhoneWidth_PanelsStartCollapsed_AndATapOpensDetails()
    {
        var page = await OpenOverviewAsync(390, 800);
        Assert.Null(await page.GetByTestId("legend").GetAttributeAsync("open"));
        Assert.Null(await page.GetByTestId("layer-switcher").GetAttributeAsync("open"));
        var target = await MapProbe.FindClickableCompoundAsync(page);

        await page.Mouse.ClickAsync(target.X, target.Y);
        var panel = page.Locator("[data-testid=details-panel][data-state=loaded]");
        await panel.WaitForAsync();
        var box = await panel.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.X + box.Width <= 390.5, $"details panel must fit the phone width, was x={box.X} w={box.Width}");
    }

    [PostgisFact]
    public async Task DemoCity_Screenshot_IsSaved()
    {
        var page = await OpenOverviewAsync();
        await page.Locator("[data-testid=legend-total][data-compounds]").WaitForAsync();
        await RenderCompleteAsync(page);
        var path = Screenshots.PathFor("demo-city.png");
        await page.ScreenshotAsync(new() { Path = path });
        Assert.True(new FileInfo(path).Length > 50_000, "the screenshot looks empty");
    }

    private sealed record PipeTarget(long Id, string Level, int Dn, float X, float Y);

    /// <summary>
    /// Zooms to the middle of a long pipe's first segment and returns a page point where the client's pick
    /// (valves, stations… before pipes) lands on a pipe, with that pipe's attributes.
    /// </summary>
    private static async Task<PipeTarget> FindClickablePipeAsync(IPage page)
    {
        const string script = """
            async () => {
              const map = window.gridmap.map;
              const view = map.getView();
              view.setZoom(14);
              const rendered = () => new Promise(r => { map.once('rendercomplete', r); map.render(); });
              await rendered();
              const pipes = map.getLayers().getArray().find(l => l.get('id') === 'pipes');
              const length = f => { const e = f.getExtent(); return Math.hypot(e[2] - e[0], e[3] - e[1]); };
              const candidates = pipes.getFeaturesInExtent(view.calculateExtent(map.getSize()))
                .filter(f => f.getType() === 'LineString' && f.getFlatCoordinates().length >= 4)
                .sort((a, b) => length(b) - length(a)).slice(0, 12);
              const before = ['valves', 'stations', 'heat_sources', 'staff'];
              for (const f of candidates) {
                const c = f.getFlatCoordinates();
                view.setCenter([(c[0] + c[2]) / 2, (c[1] + c[3]) / 2]);
                view.setZoom(16);
                await rendered();
                const size = map.getSize();
                const px = [size[0] / 2, size[1] / 2];
                const hits = [];
                map.forEachFeatureAtPixel(px, (g, l) => { hits.push({ layer: l.get('id'), props: g.getProperties() }); },
                  { hitTolerance: 5, layerFilter: l => before.includes(l.get('id')) || l.get('id') === 'pipes' });
                const pipe = hits.find(h => h.layer === 'pipes');
                if (pipe && !hits.some(h => before.includes(h.layer))) {
                  const rect = map.getTargetElement().getBoundingClientRect();
                  return { id: Number(pipe.props.id), level: String(pipe.props.level), dn: Number(pipe.props.dn), x: rect.left + px[0], y: rect.top + px[1] };
                }
              }
              return null;
            }
            """;
        var result = await page.EvaluateAsync<JsonElement?>(script);
        Assert.True(result is { ValueKind: JsonValueKind.Object }, "found no pipe that a click can reach without hitting a valve or station");
        var r = result!.Value;
        return new PipeTarget(r.GetProperty("id").GetInt64(), r.GetProperty("level").GetString()!, r.GetProperty("dn").GetInt32(),
            r.GetProperty("x").GetSingle(), r.GetProperty("y").GetSingle());
    }

    /// <summary>
    /// Composites the map's canvases and counts pixels whose colour is a status fill at the palette's fill
    /// opacity (read from the server's /styles.json), i.e. compound interiors with nothing drawn under them.
    /// </summary>
    private static async Task<Dictionary<string, int>> StatusPixelCountsAsync(IPage page)
    {
        const string script = """
            async () => {
              const palette = await (await fetch('/styles.json')).json();
              if (!palette.compound || !palette.retrofitStatus)
                throw new Error('/styles.json from the server carries no palette (was the Api built before tiles/styles.json existed?)');
              const mapEl = document.querySelector('[data-testid=map]');
              const box = mapEl.getBoundingClientRect();
              const out = document.createElement('canvas');
              out.width = Math.round(box.width); out.height = Math.round(box.height);
              const ctx = out.getContext('2d', { willReadFrequently: true });
              for (const c of mapEl.querySelectorAll('canvas')) {
                if (!c.width || !c.height) continue;
                const r = c.getBoundingClientRect();
                ctx.drawImage(c, r.left - box.left, r.top - box.top, r.width, r.height);
              }
              const data = ctx.getImageData(0, 0, out.width, out.height).data;
              const alpha = Math.round(palette.compound.fillOpacity * 255);
              const targets = palette.retrofitStatus.map(s => {
                const n = parseInt(s.fill.slice(1), 16);
                return { code: s.code, r: (n >> 16) & 255, g: (n >> 8) & 255, b: n & 255 };
              });
              const counts = Object.fromEntries(targets.map(t => [t.code, 0]));
              for (let i = 0; i < data.length; i += 4) {
                if (Math.abs(data[i + 3] - alpha) > 3) continue;
                for (const t of targets) {
                  if (Math.abs(data[i] - t.r) <= 3 && Math.abs(data[i + 1] - t.g) <= 3 && Math.abs(data[i + 2] - t.b) <= 3) { counts[t.code]++; break; }
                }
              }
              return counts;
            }
            """;
        var counts = await page.EvaluateAsync<Dictionary<string, int>>(script);
        return counts ?? [];
    }

}
