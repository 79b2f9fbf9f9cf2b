using System.Globalization;
using GridMap.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;

namespace GridMap.Browser.Tests;

/// <summary>
/// #/cell/{code}, where the QR code of a printed notice board (网格公示牌) leads, in real Chromium against the real server
/// and the demo city: opened signed in (as a grid worker's phone would after sign-in), the map is fitted to the cell and
/// centred on it, and the cell's code, name and responsible grid worker are shown; an unknown code gives a clear Chinese
/// message, not a failed page. The expected cell comes from the database (grid_cell joined to staff), not from the page.
/// </summary>
public sealed class CellRouteTests(LiveServer server, ChromiumFixture chromium) : IClassFixture<LiveServer>, IClassFixture<ChromiumFixture>
{
    private string BaseUrl => server.BaseUrl.TrimEnd('/');

    private sealed record CellFacts(string Code, string Name, string Staff, double MinX, double MinY, double MaxX, double MaxY);

    /// <summary>A demo cell with a responsible grid worker, its name and its extent in Web Mercator.</summary>
    private async Task<CellFacts> StaffedCellAsync()
    {
        var db = server.Services.GetRequiredService<NpgsqlDataSource>();
        await using var cmd = db.CreateCommand("""
            SELECT g.code::text, g.name, s.name, ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
            FROM grid_cell g JOIN staff s ON s.id = g.staff_id, LATERAL (SELECT ST_Transform(g.area, 3857)::box2d AS b) e
            ORDER BY g.code LIMIT 1
            """);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync(), "the demo city has no cell with a grid worker");
        return new CellFacts(r.GetString(0), r.GetString(1), r.GetString(2), r.GetDouble(3), r.GetDouble(4), r.GetDouble(5), r.GetDouble(6));
    }

    private async Task<IPage> OpenAsync(string code, List<string>? errors = null)
    {
        var page = await server.NewPageAsync(chromium);
        if (errors is not null) page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync($"{BaseUrl}/#/cell/{Uri.EscapeDataString(code)}");
        return page;
    }

    [PostgisFact]
    public async Task CellRoute_SignedIn_FitsTheMapToTheCell_AndShowsItsCodeNameAndGridWorker()
    {
        var cell = await StaffedCellAsync();
        var errors = new List<string>();
        var page = await OpenAsync(cell.Code, errors);

        // The view marks the cell once the map is fitted to it.
        await page.Locator($"#app[data-cell='{cell.Code}']").WaitForAsync(new() { Timeout = 60_000 });
        Assert.Equal(cell.Code, (await page.GetByTestId("cell-code").InnerTextAsync()).Trim());
        Assert.Equal(cell.Name, (await page.GetByTestId("cell-name").InnerTextAsync()).Trim());
        Assert.Equal(cell.Staff, (await page.GetByTestId("cell-staff").InnerTextAsync()).Trim());
        var card = await page.GetByTestId("cell-panel").InnerTextAsync();
        foreach (var label in new[] { "网格编号", "网格名称", "网格员" }) Assert.Contains(label, card);
        Assert.True(await page.GetByTestId("map").IsVisibleAsync());

        // Centred on the cell and showing all of it, zoomed in to it (not the whole city).
        var view = await page.EvaluateAsync<double[]>(
            "() => { const m = window.gridmap.map; const v = m.getView(); return [...v.getCenter(), ...v.calculateExtent(m.getSize())]; }");
        double cx = (cell.MinX + cell.MaxX) / 2, cy = (cell.MinY + cell.MaxY) / 2, width = cell.MaxX - cell.MinX, height = cell.MaxY - cell.MinY;
        var tolerance = Math.Max(width, height) * 0.02 + 1;
        Assert.True(Math.Abs(view[0] - cx) < tolerance && Math.Abs(view[1] - cy) < tolerance,
            string.Create(CultureInfo.InvariantCulture, $"map centre {view[0]:F0},{view[1]:F0} is not the cell's centre {cx:F0},{cy:F0} (±{tolerance:F0} m)"));
        Assert.True(view[2] <= cell.MinX && view[3] <= cell.MinY && view[4] >= cell.MaxX && view[5] >= cell.MaxY, "the map does not show the whole cell");
        var viewWidth = view[4] - view[2];
        Assert.True(viewWidth < Math.Max(width, height) * 6, string.Create(CultureInfo.InvariantCulture, $"the map shows {viewWidth:F0} m across for a cell of {width:F0} m: not zoomed to it"));
        Assert.True(errors.Count == 0, "script errors: " + string.Join(" | ", errors));
    }

    [PostgisFact]
    public async Task CellRoute_UnknownCode_SaysInChineseThatNoSuchCellExists()
    {
        const string code = "999999999999999";
        var page = await OpenAsync(code);

        var message = page.GetByTestId("cell-not-found");
        await message.WaitForAsync(new() { Timeout = 60_000 });
        var text = await message.InnerTextAsync();
        Assert.Contains($"未找到网格 {code}", text);
        Assert.Contains("请核对公示牌上的网格编号", text);
        // The page itself did not fail: the map is there, no "页面加载失败".
        Assert.True(await page.GetByTestId("map").IsVisibleAsync());
        Assert.Equal(0, await page.GetByTestId("page-error").CountAsync());
        Assert.Equal(0, await page.GetByTestId("cell-code").CountAsync());
    }
}
