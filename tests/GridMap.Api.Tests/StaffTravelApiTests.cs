using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Tests.Shared;

namespace GridMap.Api.Tests;

/// <summary>
/// Auto-assign over the demo city's roads: the response carries each assignment's road distance (路网距离),
/// never shorter than the straight line, and no swap of two workers shortens the total road distance.
/// </summary>
public sealed class StaffTravelApiTests(PlanningFixture api) : IClassFixture<PlanningFixture>
{
    private HttpClient Client => api.Client;

    private async Task<JsonElement> Send(HttpMethod method, string url, object? body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var req = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        var res = await Client.SendAsync(req);
        var text = await res.Content.ReadAsStringAsync();
        Assert.True(expected == res.StatusCode, $"{method} {url}: expected {expected}, got {res.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>A preview of a small demo street (roads off, about two compounds per cell); the next street if one has no plan.</summary>
    private async Task<long> PreviewAsync()
    {
        var streets = (await Client.GetFromJsonAsync<JsonElement>("/api/planning/areas?kind=street")).EnumerateArray()
            .Where(a => a.GetProperty("compounds").GetInt32() is >= 10 and <= 24)
            .OrderBy(a => a.GetProperty("compounds").GetInt32()).ThenBy(a => a.GetProperty("code").GetString(), StringComparer.Ordinal).Take(3);
        foreach (var s in streets)
        {
            var compounds = s.GetProperty("compounds").GetInt32();
            var k = Math.Max(3, Math.Min(compounds / 2, (int)(1.2 * s.GetProperty("households").GetInt32() / s.GetProperty("maxHouseholds").GetInt32())));
            var job = await Send(HttpMethod.Post, "/api/planning/partitions",
                new { area = new { kind = "street", code = s.GetProperty("code").GetString() }, cells = k, tolerance = 0.3, barriers = false, timeLimit = 20 },
                HttpStatusCode.Accepted);
            for (var i = 0; i < 600; i++)
            {
                var j = await Send(HttpMethod.Get, $"/api/planning/jobs/{job.GetProperty("id").GetString()}", null);
                var status = j.GetProperty("status").GetString();
                if (status == "succeeded") return j.GetProperty("planId").GetInt64();
                if (status is not ("queued" or "running")) break;
                await Task.Delay(100);
            }
        }
        throw new InvalidOperationException("no small demo street could be partitioned");
    }

    private static double TotalMetres(JsonElement travel) => travel.GetProperty("cells").EnumerateArray().Sum(c => c.GetProperty("metres").GetDouble());

    [PostgisFact]
    public async Task AutoAssign_ReportsRoadKmPerCell_AtLeastTheStraightLine_AndNoSwapIsShorter()
    {
        var id = await PreviewAsync();
        var plan = await Send(HttpMethod.Post, $"/api/planning/plans/{id}/staff/auto", null);
        var travel = plan.GetProperty("staffTravel");
        var staffed = plan.GetProperty("cells").EnumerateArray().Where(c => c.GetProperty("staffId").ValueKind == JsonValueKind.Number).ToList();
        Assert.True(staffed.Count >= 2, "the demo branch has workers for every cell of a small street");
        var rows = travel.GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(staffed.Select(c => (c.GetProperty("idx").GetInt32(), c.GetProperty("staffId").GetInt32())),
            rows.Select(c => (c.GetProperty("idx").GetInt32(), c.GetProperty("staffId").GetInt32())));
        foreach (var c in rows)
        {
            Assert.True(c.GetProperty("metres").GetDouble() >= c.GetProperty("straightKm").GetDouble() * 1000 - 10, c.ToString());
            if (c.GetProperty("source").GetString() == "estimate") Assert.False(string.IsNullOrEmpty(c.GetProperty("reason").GetString()));
            else Assert.Equal("road", c.GetProperty("source").GetString());
        }
        Assert.Contains(rows, c => c.GetProperty("source").GetString() == "road");
        Assert.Equal(Math.Round(TotalMetres(travel) / 1000, 2), travel.GetProperty("totalKm").GetDouble(), 2);
        Assert.Contains("pgr_dijkstraCost", travel.GetProperty("method").GetString());

        // The same figures from GET …/staff/travel; then swap the first two cells' workers by hand: never shorter in total.
        var again = await Send(HttpMethod.Get, $"/api/planning/plans/{id}/staff/travel", null);
        Assert.Equal(TotalMetres(travel), TotalMetres(again), 1);
        int a = rows[0].GetProperty("idx").GetInt32(), b = rows[1].GetProperty("idx").GetInt32();
        int wa = rows[0].GetProperty("staffId").GetInt32(), wb = rows[1].GetProperty("staffId").GetInt32();
        await Send(HttpMethod.Delete, $"/api/planning/plans/{id}/cells/{a}/staff", null);
        await Send(HttpMethod.Delete, $"/api/planning/plans/{id}/cells/{b}/staff", null);
        await Send(HttpMethod.Put, $"/api/planning/plans/{id}/cells/{a}/staff", new { staffId = wb });
        await Send(HttpMethod.Put, $"/api/planning/plans/{id}/cells/{b}/staff", new { staffId = wa });
        var swapped = await Send(HttpMethod.Get, $"/api/planning/plans/{id}/staff/travel", null);
        Assert.True(TotalMetres(swapped) >= TotalMetres(travel) - 0.5, $"swap shortened the total: {TotalMetres(swapped):0.0} < {TotalMetres(travel):0.0} m");

        await Send(HttpMethod.Get, "/api/planning/plans/987654321/staff/travel", null, HttpStatusCode.NotFound);
    }
}
