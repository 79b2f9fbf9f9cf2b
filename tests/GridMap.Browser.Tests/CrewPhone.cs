using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace GridMap.Browser.Tests;

/// <summary>The crew view on a phone-sized Chromium with a set geolocation, signed in, and what the crew tests read of it.</summary>
internal static class CrewPhone
{
    /// <summary>A phone context at lon/lat (± accuracy metres) signed in as the admin, with the crew view open; page errors are collected.</summary>
    public static Task<(IBrowserContext Context, IPage Page, List<string> Errors)> OpenAsync(
        LiveServer server, ChromiumFixture chromium, double lon, double lat, double accuracy) =>
        OpenAsync(server, chromium, lon, lat, accuracy, LiveServer.AdminName, 390, 844);

    /// <summary>As above, signed in as <paramref name="user"/> on a <paramref name="width"/>×<paramref name="height"/> phone.</summary>
    public static async Task<(IBrowserContext Context, IPage Page, List<string> Errors)> OpenAsync(
        LiveServer server, ChromiumFixture chromium, double lon, double lat, double accuracy, string user, int width, int height)
    {
        var context = await chromium.Browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = width, Height = height },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
            Locale = "zh-CN",
            Geolocation = new() { Longitude = (float)lon, Latitude = (float)lat, Accuracy = (float)accuracy },
            Permissions = ["geolocation"],
        });
        await server.SignInAsync(context, user);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(server.BaseUrl.TrimEnd('/') + "/#/crew");
        return (context, page, errors);
    }

    /// <summary>A spot 1 m north-west of the middle of the first leg of a secondary supply pipe in central Zhengzhou,
    /// as the browser sees it (Playwright passes the geolocation as single-precision floats).</summary>
    public static async Task<(double Lon, double Lat)> SpotAsync(LiveServer server)
    {
        using var http = await server.ClientAsync();
        var fc = await http.GetFromJsonAsync<JsonElement>(server.BaseUrl.TrimEnd('/') + "/api/layers/pipes/features?bbox=113.62,34.74,113.68,34.78&limit=5000");
        var pipe = fc.GetProperty("features").EnumerateArray().First(f =>
            f.GetProperty("properties").GetProperty("level").GetString() == "secondary" &&
            f.GetProperty("properties").GetProperty("flow").GetString() == "supply" &&
            f.GetProperty("geometry").GetProperty("coordinates").GetArrayLength() >= 2);
        var c = pipe.GetProperty("geometry").GetProperty("coordinates");
        double x0 = c[0][0].GetDouble(), y0 = c[0][1].GetDouble(), x1 = c[1][0].GetDouble(), y1 = c[1][1].GetDouble();
        static double AsBrowserSees(double v) => double.Parse(((float)v).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return (AsBrowserSees((x0 + x1) / 2 - 0.00001), AsBrowserSees((y0 + y1) / 2 + 0.000005));
    }

    /// <summary>The valves the plan on screen lists, in its order.</summary>
    public static async Task<long[]> ShownValvesAsync(IPage page) =>
        await page.Locator("[data-testid=crew-valves] li[data-valve]").EvaluateAllAsync<long[]>("els => els.map(e => Number(e.dataset.valve))");

    /// <summary>The valves an API plan closes, in its order.</summary>
    public static long[] PlanValves(JsonElement plan) =>
        plan.GetProperty("valves_to_close").EnumerateArray().Select(v => v.GetProperty("id").GetInt64()).ToArray();
}
