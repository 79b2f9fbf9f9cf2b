using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Tests.Shared;

namespace GridMap.Browser.Tests;

/// <summary>
/// The compound details panel shows the campaign (issue 10) in real Chromium against the real server and the demo city:
/// a click on a compound of the overview map opens the panel, whose stage and two consents (the four vote fractions and
/// whether the rule is met, units ready) are the ones GET /api/compounds/{id} answers.
/// Skipped without PostGIS on a laptop (no GRIDMAP_DB); never skipped when CI=true.
/// </summary>
public sealed class CompoundDetailsTests(LiveServer server, ChromiumFixture chromium) : IClassFixture<LiveServer>, IClassFixture<ChromiumFixture>
{
    private static string Percent(double rate) => (rate * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    [PostgisFact]
    public async Task ClickingACompound_ShowsItsStageAndBothConsents_AsTheApiAnswers()
    {
        var page = await server.NewPageAsync(chromium, 1400, 900);
        await page.GotoAsync(server.BaseUrl.TrimEnd('/') + "/");
        await page.Locator("[data-testid=map][data-ready=true]").WaitForAsync(new() { Timeout = 60_000 });
        var target = await MapProbe.FindClickableCompoundAsync(page);

        using var http = await server.ClientAsync();
        var compound = await http.GetFromJsonAsync<JsonElement>($"/api/compounds/{target.Id}");
        var consent = compound.GetProperty("consent");
        await page.Mouse.ClickAsync(target.X, target.Y);
        await page.Locator("[data-testid=campaign-section][data-state=loaded]").WaitForAsync(new() { Timeout = 30_000 });

        Assert.Equal(compound.GetProperty("name").GetString(), (await page.GetByTestId("details-title").InnerTextAsync()).Trim());
        Assert.Equal(compound.GetProperty("stage").GetString(), await page.GetByTestId("campaign-stage").GetAttributeAsync("data-stage"));
        Assert.Equal(Percent(consent.GetProperty("participationByArea").GetDouble()), (await page.GetByTestId("consent-participation-area").InnerTextAsync()).Trim());
        Assert.Equal(Percent(consent.GetProperty("participationByCount").GetDouble()), (await page.GetByTestId("consent-participation-count").InnerTextAsync()).Trim());
        Assert.Equal(Percent(consent.GetProperty("agreementByArea").GetDouble()), (await page.GetByTestId("consent-agreement-area").InnerTextAsync()).Trim());
        Assert.Equal(Percent(consent.GetProperty("agreementByCount").GetDouble()), (await page.GetByTestId("consent-agreement-count").InnerTextAsync()).Trim());
        Assert.Equal(consent.GetProperty("voteRuleMet").GetBoolean() ? "true" : "false",
            await page.GetByTestId("consent-vote-rule").GetAttributeAsync("data-met"));

        var text = await page.GetByTestId("campaign-section").InnerTextAsync();
        foreach (var label in new[] { "改造阶段", "业主表决", "入户同意", "受阻单元", "“五化”验收清单", "纠纷", "回访与缴费", "阶段历史" })
            Assert.Contains(label, text);
        Assert.Contains($"{consent.GetProperty("unitsReady").GetInt32().ToString("N0", CultureInfo.InvariantCulture)} / " +
            $"{consent.GetProperty("units").GetInt32().ToString("N0", CultureInfo.InvariantCulture)} 个单元可施工", text);
    }
}
