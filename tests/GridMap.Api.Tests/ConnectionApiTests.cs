using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Application.Auth;
using GridMap.Tests.Shared;

namespace GridMap.Api.Tests;

/// <summary>
/// Connections are data: the demo city stores the connections its generator knows, so only the few it does not know
/// are inferred; each inferred connection is a finding with its distance; an engineer's confirmation (network.review)
/// makes it explicit (audited) and the finding goes; an explicit connection wins over the nearest pipe end.
/// </summary>
public sealed class ConnectionApiTests(ValveReportFixture app) : IClassFixture<ValveReportFixture>
{
    private const string City = "/api/network/findings?bbox=112.6,34.2,114.4,35.1&type=connection_inferred&limit=50000";

    private static async Task<JsonElement> Json(HttpResponseMessage res, HttpStatusCode expected)
    {
        var body = await res.Content.ReadAsStringAsync();
        Assert.True(expected == res.StatusCode, $"{res.RequestMessage?.Method} {res.RequestMessage?.RequestUri}: expected {expected}, got {res.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static JsonElement[] Inferred(JsonElement report) => report.GetProperty("findings").EnumerateArray().ToArray();

    [PostgisFact]
    public async Task DemoCity_StoresItsConnections_SoFewAreInferred_AndEachInferredOneHasItsDistance()
    {
        using var manager = await app.ClientAs(Roles.Manager);
        var compounds = await app.ScalarAsync<long>("SELECT count(*) FROM compound WHERE station_id IS NOT NULL");
        var explicitRows = await app.ScalarAsync<long>("SELECT count(*) FROM network_connection WHERE source = 'demo'");
        Assert.True(explicitRows > compounds, $"the generator knows every service pipe, station and feeder: {explicitRows} rows for {compounds} compounds");
        var report = await Json(await manager.GetAsync(City), HttpStatusCode.OK);
        var inferred = Inferred(report);
        // Compounds whose wall lies on a junction have no service pipe of their own; everything else is explicit.
        Assert.True(inferred.Length < compounds / 5, $"{inferred.Length} inferred connections for {compounds} compounds");
        foreach (var f in inferred)
        {
            Assert.Matches("^(compound|station|heat_source):[0-9]+(:return)?$", f.GetProperty("ids")[0].GetString());
            Assert.InRange(f.GetProperty("distance_m").GetDouble(), 0, 25);
        }
    }

    [PostgisFact]
    public async Task AMissingConnection_IsInferredAsAFinding_AndConfirmingItMakesItExplicit_Audited()
    {
        // Forget the stored supply connection of one compound: the load infers it and says so.
        var (compound, stored) = await PairAsync("""
            SELECT c.compound_id, c.pipe_id FROM network_connection c JOIN pipe p ON p.id = c.pipe_id
            WHERE c.compound_id IS NOT NULL AND p.flow = 'supply' ORDER BY c.compound_id LIMIT 1
            """);
        await app.ScalarAsync<long>("WITH d AS (DELETE FROM network_connection WHERE compound_id = @c AND pipe_id = @p RETURNING 1) SELECT count(*) FROM d",
            ("c", compound), ("p", stored));
        using var manager = await app.ClientAs(Roles.Manager);
        // Inferred: the secondary supply end of its station nearest its footprint (not necessarily the stored one: the
        // footprint may reach another pipe's end first — which is why stored connections matter).
        var finding = Assert.Single(Inferred(await Json(await manager.GetAsync(City), HttpStatusCode.OK)),
            f => f.GetProperty("ids")[0].GetString() == $"compound:{compound}");
        var pipe = long.Parse(finding.GetProperty("ids")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("supply", await app.ScalarAsync<string>("SELECT flow FROM pipe WHERE id = @p", ("p", pipe)));
        Assert.InRange(finding.GetProperty("distance_m").GetDouble(), 0, 5);

        var branch = await app.ScalarAsync<int>("SELECT d.branch_id FROM compound c JOIN district d ON d.code = c.district_code WHERE c.id = @c", ("c", compound));
        using var crew = await app.ClientAs(Roles.Crew, branch);
        using var planner = await app.ClientAs(Roles.Planner, branch);
        var body = new { kind = "compound", id = compound, pipe };
        await Json(await crew.PostAsJsonAsync("/api/network/connections", body), HttpStatusCode.Forbidden);
        var confirmed = await Json(await planner.PostAsJsonAsync("/api/network/connections", body), HttpStatusCode.Created);
        Assert.Equal("confirmed", confirmed.GetProperty("source").GetString());
        Assert.Contains(confirmed.GetProperty("end").GetString(), new[] { "start", "end" });
        Assert.DoesNotContain(Inferred(await Json(await manager.GetAsync(City), HttpStatusCode.OK)), f => f.GetProperty("ids")[0].GetString() == $"compound:{compound}");
        var again = await Json(await planner.PostAsJsonAsync("/api/network/connections", body), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("connection-exists", again.GetProperty("rule").GetString());
        await Json(await planner.PostAsJsonAsync("/api/network/connections", new { kind = "tap", id = compound, pipe }), HttpStatusCode.BadRequest);
        await Json(await planner.PostAsJsonAsync("/api/network/connections", new { kind = "compound", id = 99999999, pipe }), HttpStatusCode.NotFound);

        var history = await Json(await manager.GetAsync($"/api/history?entity=compound&id={compound}"), HttpStatusCode.OK);
        var newest = history.GetProperty("items")[0];
        Assert.Equal("network.confirm-connection", newest.GetProperty("action").GetString());
        Assert.Equal($"planner-b{branch}", newest.GetProperty("user").GetString());
    }

    [PostgisFact]
    public async Task AnExplicitConnection_WinsOverTheNearestPipeEnd()
    {
        // A compound and another secondary supply pipe of its station whose isolation does not cut it off today.
        using var manager = await app.ClientAs(Roles.Manager);
        var (compound, _) = await PairAsync("""
            SELECT c.id, c.station_id FROM compound c
            WHERE c.station_id IS NOT NULL AND (SELECT count(*) FROM pipe p WHERE p.station_id = c.station_id AND p.level = 'secondary' AND p.flow = 'supply') > 6
            ORDER BY c.id LIMIT 1
            """);
        await using var cmd = app.Db.DataSource.CreateCommand("""
            SELECT p.id FROM pipe p JOIN compound c ON c.station_id = p.station_id
            WHERE c.id = @c AND p.level = 'secondary' AND p.flow = 'supply' ORDER BY p.id
            """);
        cmd.Parameters.AddWithValue("c", (int)compound);
        var candidates = new List<long>();
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) candidates.Add(r.GetInt64(0));
        long? other = null;
        foreach (var p in candidates)
        {
            var plan = await Json(await manager.GetAsync($"/api/network/isolate?pipe={p}"), HttpStatusCode.OK);
            if (!plan.GetProperty("affected_compounds").EnumerateArray().Any(c => c.GetProperty("id").GetInt64() == compound)) { other = p; break; }
        }
        Assert.NotNull(other);

        // Every supply connection of the compound now names that pipe's far end (the utility's data says so).
        await app.ScalarAsync<long>("""
            WITH d AS (DELETE FROM network_connection c USING pipe p WHERE c.compound_id = @c AND p.id = c.pipe_id AND p.flow = 'supply' RETURNING 1)
            SELECT count(*) FROM d
            """, ("c", (int)compound));
        using var admin = await app.ClientAs(Roles.Admin);
        await Json(await admin.PostAsJsonAsync("/api/network/connections", new { kind = "compound", id = compound, pipe = other, end = "end" }), HttpStatusCode.Created);
        var after = await Json(await manager.GetAsync($"/api/network/isolate?pipe={other}"), HttpStatusCode.OK);
        Assert.Contains(compound, after.GetProperty("affected_compounds").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()));
    }

    private async Task<(long A, long B)> PairAsync(string sql)
    {
        await using var cmd = app.Db.DataSource.CreateCommand(sql);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync(), sql);
        return (Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt64(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
    }
}
