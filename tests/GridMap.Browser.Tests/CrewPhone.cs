using System.Text.Json;
using Microsoft.Playwright;

namespace GridMap.Browser.Tests;

/// <summary>The crew view on a phone-sized Chromium with a set geolocation, signed in, and what the crew tests read of it.</summary>
internal static class CrewPhone
{
    /// <summary>A phone context at lon/lat (± accuracy metres) signed in as the admin, with the crew view open; page errors are collected.</summary>
    public static async Task<(IBrowserContext Context, IPage Page, List<string> Errors)> OpenAsync(
        LiveServer server, ChromiumFixture chromium, double lon, double lat, double accuracy)
    {
        var context = await chromium.Browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = 390, Height = 844 },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
            Locale = "zh-CN",
            Geolocation = new() { Longitude = (float)lon, Latitude = (float)lat, Accuracy = (float)accuracy },
            Permissions = ["geolocation"],
        });
        await server.SignInAsync(context, LiveServer.AdminName);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(server.BaseUrl.TrimEnd('/') + "/#/crew");
        return (context, page, errors);
    }

    /// <summary>The valves the plan on screen lists, in its order.</summary>
    public static async Task<long[]> ShownValvesAsync(IPage page) =>
        await page.Locator("[data-testid=crew-valves] li").EvaluateAllAsync<long[]>("els => els.map(e => Number(e.dataset.valve))");

    /// <summary>The valves an API plan closes, in its order.</summary>
    public static long[] PlanValves(JsonElement plan) =>
        plan.GetProperty("valves_to_close").EnumerateArray().Select(v => v.GetProperty("id").GetInt64()).ToArray();
}
