using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace GridMap.Browser.Tests;

/// <summary>
/// The planner shows exact mode's answer (issue 12 §1) in a planner's words, in real Chromium against the real server:
/// a small street partitioned with the default request (300–500 households, roads on) where the heuristic misses the
/// window carries <c>search.exact</c>; the plan panel states that answer — proved impossible with the smallest window
/// that has a plan, optimal, feasible with its gap, or unknown (never told as impossible). Screenshot:
/// .run/screenshots/planner-exact.png.
/// </summary>
public sealed class PlannerExactTests(LiveServer server, ChromiumFixture chromium) : IClassFixture<LiveServer>, IClassFixture<ChromiumFixture>
{
    private string BaseUrl => server.BaseUrl.TrimEnd('/');

    /// <summary>Default-request plans of small streets until one carries exact mode's answer; prefers a proof of impossibility.</summary>
    private async Task<(long PlanId, JsonElement Exact, JsonElement Plan)> PlanWithExactAnswerAsync(HttpClient http)
    {
        var areas = await http.GetFromJsonAsync<JsonElement>(BaseUrl + "/api/planning/areas?kind=street");
        var streets = areas.EnumerateArray().Where(a => a.GetProperty("compounds").GetInt32() is >= 3 and <= 40)
            .OrderBy(a => a.GetProperty("compounds").GetInt32()).ThenBy(a => a.GetProperty("code").GetString()).Take(12);
        (long, JsonElement, JsonElement)? fallback = null;
        var tried = new List<string>();
        foreach (var s in streets)
        {
            var code = s.GetProperty("code").GetString()!;
            var res = await http.PostAsJsonAsync(BaseUrl + "/api/planning/partitions", new { area = new { kind = "street", code }, timeLimit = 10 });
            var job = await res.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(res.IsSuccessStatusCode, job.ToString());
            var id = job.GetProperty("id").GetString();
            for (var i = 0; i < 1200; i++)
            {
                job = await http.GetFromJsonAsync<JsonElement>($"{BaseUrl}/api/planning/jobs/{id}");
                if (job.GetProperty("status").GetString() is not ("queued" or "running")) break;
                await Task.Delay(100);
            }
            if (job.GetProperty("status").GetString() != "succeeded") { tried.Add($"{code}: {job.GetProperty("status").GetString()}"); continue; }
            var planId = job.GetProperty("planId").GetInt64();
            var plan = await http.GetFromJsonAsync<JsonElement>($"{BaseUrl}/api/planning/plans/{planId}");
            if (plan.GetProperty("search").TryGetProperty("exact", out var exact) && exact.ValueKind == JsonValueKind.Object)
            {
                if (exact.GetProperty("status").GetString() == "impossible") return (planId, exact, plan);
                fallback ??= (planId, exact, plan);
            }
            tried.Add($"{code}: {(exact.ValueKind == JsonValueKind.Object ? exact.GetProperty("status").GetString() : "no exact")}");
        }
        return fallback ?? throw new InvalidOperationException("no small street carried an exact answer: " + string.Join(" | ", tried));
    }

    private static string Int(double v) => Math.Round(v).ToString("N0", CultureInfo.GetCultureInfo("zh-CN"));

    [Fact]
    public async Task PlanPanel_StatesExactModesAnswer_AsTheApiGivesIt()
    {
        using var http = await server.ClientAsync();
        var (planId, exact, plan) = await PlanWithExactAnswerAsync(http);
        var status = exact.GetProperty("status").GetString()!;

        var page = await server.NewPageAsync(chromium, 1366, 768);
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync($"{BaseUrl}/#/planner?plan={planId}");
        await Assertions.Expect(page.GetByTestId("plan-status")).ToHaveAttributeAsync("data-status", "preview", new() { Timeout = 60_000 });
        var box = page.GetByTestId("plan-exact");
        await Assertions.Expect(box).ToBeVisibleAsync();
        await Assertions.Expect(box).ToHaveAttributeAsync("data-status", status);
        var text = await box.InnerTextAsync();
        Assert.StartsWith("精确求解：", text);
        switch (status)
        {
            case "impossible":
                Assert.Equal("error", await box.GetAttributeAsync("data-tone"));
                Assert.Contains($"已证明 {Int(plan.GetProperty("lowerBound").GetDouble())}–{Int(plan.GetProperty("upperBound").GetDouble())} 户内没有可行方案", text);
                if (exact.GetProperty("smallestWindow") is { ValueKind: JsonValueKind.Object } w)
                    Assert.Contains($"{Int(w.GetProperty("minHouseholds").GetInt32())}–{Int(w.GetProperty("maxHouseholds").GetInt32())} 户即有方案", text);
                break;
            case "optimal":
                Assert.Contains("最优（已证明）", text);
                break;
            case "feasible":
                Assert.Contains("未证明最优", text);
                break;
            default:
                Assert.Contains("不代表无解", text);
                Assert.DoesNotContain("无可行方案", text);
                break;
        }
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("planner-exact.png") });
        Assert.Empty(errors);
        await page.CloseAsync();
    }
}
