using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Tests.Shared;
using Microsoft.Playwright;

namespace GridMap.Browser.Tests;

/// <summary>
/// The manager view (#/manager): one progress bar per district from /api/stats/retrofit?district=…, the
/// districts together account for the whole city, and choosing a district scopes the legend to it.
/// </summary>
public sealed class ManagerViewTests(LiveServer server, ChromiumFixture chromium) : IClassFixture<LiveServer>, IClassFixture<ChromiumFixture>
{
    private string BaseUrl => server.BaseUrl.TrimEnd('/');

    private async Task<IPage> OpenManagerAsync()
    {
        var page = await server.NewPageAsync(chromium);
        await page.GotoAsync(BaseUrl + "/#/manager");
        await page.Locator("[data-testid=map][data-ready=true]").WaitForAsync(new() { Timeout = 60_000 });
        await page.Locator("[data-testid=district-progress] [data-testid^=district-]").First.WaitForAsync();
        return page;
    }

    private async Task<JsonElement> StatsAsync(string? district = null)
    {
        using var http = await server.ClientAsync();
        return await http.GetFromJsonAsync<JsonElement>(BaseUrl + "/api/stats/retrofit" + (district is null ? "" : "?district=" + district));
    }

    [PostgisFact]
    public async Task DistrictBars_AgreeWithTheApi_AndTogetherMakeTheCity()
    {
        var page = await OpenManagerAsync();
        var items = page.Locator("[data-testid=district-progress] [data-testid^=district-]");
        var count = await items.CountAsync();
        Assert.True(count >= 2, $"expected progress bars for several urban districts, got {count}");

        long compounds = 0, households = 0;
        for (var i = 0; i < count; i++)
        {
            var code = (await items.Nth(i).GetAttributeAsync("data-district"))!;
            var stats = await StatsAsync(code);
            var total = stats.GetProperty("total");
            var text = await items.Nth(i).InnerTextAsync();
            Assert.Contains(total.GetProperty("compounds").GetInt64().ToString("N0", CultureInfo.InvariantCulture) + " 个小区", text);
            Assert.Contains(total.GetProperty("households").GetInt64().ToString("N0", CultureInfo.InvariantCulture) + " 户", text);
            // One coloured segment per stage that has households in this district.
            var stagesWithHouseholds = stats.GetProperty("byStatus").EnumerateArray().Count(s => s.GetProperty("households").GetInt64() > 0);
            Assert.Equal(stagesWithHouseholds, await items.Nth(i).Locator(".stacked-bar .seg").CountAsync());
            compounds += total.GetProperty("compounds").GetInt64();
            households += total.GetProperty("households").GetInt64();
        }

        // Every compound lies in exactly one district, so the listed districts add up to the city.
        var city = (await StatsAsync()).GetProperty("total");
        Assert.Equal(city.GetProperty("compounds").GetInt64(), compounds);
        Assert.Equal(city.GetProperty("households").GetInt64(), households);
    }

    [PostgisFact]
    public async Task ChoosingADistrict_ScopesTheLegendToIt()
    {
        var page = await OpenManagerAsync();
        var first = page.Locator("[data-testid=district-progress] [data-testid^=district-]").First;
        var code = (await first.GetAttributeAsync("data-district"))!;
        var expected = (await StatsAsync(code)).GetProperty("total").GetProperty("compounds").GetInt64();

        await first.Locator("button").ClickAsync();
        await page.Locator($"[data-testid=legend-total][data-compounds='{expected}']").WaitForAsync();

        var item = page.GetByTestId($"district-{code}");
        Assert.Contains("active", (await item.GetAttributeAsync("class"))!.Split(' '));
        var name = (await item.GetAttributeAsync("data-name"))!;
        Assert.Contains(name, await page.Locator("[data-testid=legend] > summary").InnerTextAsync());
        Assert.Contains(name, await page.Locator(".scope").InnerTextAsync());
    }
}
