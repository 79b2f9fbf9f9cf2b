using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Application.Auth;
using GridMap.Tests.Shared;
using Npgsql;

namespace GridMap.Api.Tests;

/// <summary>The real app over its own copy of the demo city, for field records on valves (they change the network).</summary>
public sealed class ValveReportFixture : AppFixture
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => DemoDatabase.CreateAsync();

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] args)
    {
        await using var cmd = Db.DataSource.CreateCommand(sql);
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}

/// <summary>
/// A crew's field record on a valve changes every later isolation plan, for every user: seized/broken/buried valves are
/// passed (and listed in <c>inoperable</c>), a valve found closed bounds, <c>repaired</c> restores; the plan lists the
/// records it relied on; records are audited with the crew's name, branch-scoped, validated, and append-only.
/// </summary>
public sealed class ValveReportApiTests(ValveReportFixture app) : IClassFixture<ValveReportFixture>
{
    private static async Task<JsonElement> Json(HttpResponseMessage res, HttpStatusCode expected)
    {
        var body = await res.Content.ReadAsStringAsync();
        Assert.True(expected == res.StatusCode, $"{res.RequestMessage?.Method} {res.RequestMessage?.RequestUri}: expected {expected}, got {res.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static long[] Ids(JsonElement e) => e.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Object ? x.GetProperty("id").GetInt64() : x.GetInt64()).ToArray();

    /// <summary>A secondary supply pipe whose plan closes at least two valves; the first of them, its branch and its position.</summary>
    private async Task<(long Pipe, long Valve, int Branch, double Lon, double Lat)> PipeAndValveAsync(int offset)
    {
        await using var cmd = app.Db.DataSource.CreateCommand("""
            SELECT p.id FROM pipe p
            WHERE p.level = 'secondary' AND p.flow = 'supply' AND ST_Length(p.geom::geography) > 40
            ORDER BY p.id
            """);
        var pipes = new List<long>();
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) pipes.Add(r.GetInt64(0));
        var found = 0;
        foreach (var pipe in pipes)
        {
            var plan = await Json(await app.Client.GetAsync($"/api/network/isolate?pipe={pipe}"), HttpStatusCode.OK);
            var valves = Ids(plan.GetProperty("valves_to_close"));
            if (valves.Length < 2 || found++ < offset) continue;
            var valve = valves[0];
            var branch = await app.ScalarAsync<int>("SELECT d.branch_id FROM valve v JOIN district d ON ST_Intersects(d.area, v.geom) WHERE v.id = @v ORDER BY d.branch_id LIMIT 1", ("v", valve));
            var lon = await app.ScalarAsync<double>("SELECT ST_X(geom) FROM valve WHERE id = @v", ("v", valve));
            var lat = await app.ScalarAsync<double>("SELECT ST_Y(geom) FROM valve WHERE id = @v", ("v", valve));
            return (pipe, valve, branch, lon, lat);
        }
        throw new InvalidOperationException("the demo city has no secondary pipe whose plan closes two valves");
    }

    private static object Report(string condition, double? lon = null, double? lat = null, string note = "现场检查") =>
        new { condition, note, lon, lat, accuracyM = 4.5 };

    [PostgisFact]
    public async Task SeizedValve_IsPassedByEveryLaterPlan_ForEveryUser_AndRepairedRestoresIt()
    {
        var (pipe, valve, branch, lon, lat) = await PipeAndValveAsync(0);
        using var crew = await app.ClientAs(Roles.Crew, branch);
        using var manager = await app.ClientAs(Roles.Manager);
        var original = await Json(await manager.GetAsync($"/api/network/isolate?pipe={pipe}"), HttpStatusCode.OK);
        // What the engine says with the valve broken, asked for explicitly (the old way).
        var asked = await Json(await manager.GetAsync($"/api/network/isolate?pipe={pipe}&inoperable={valve}"), HttpStatusCode.OK);
        Assert.Empty(original.GetProperty("fieldRecords").EnumerateArray());

        var created = await Json(await crew.PostAsJsonAsync($"/api/network/valves/{valve}/reports", Report("seized", lon, lat, "阀杆锈死，无法关闭")), HttpStatusCode.Created);
        Assert.Equal("seized", created.GetProperty("condition").GetString());
        Assert.Equal("inoperable", created.GetProperty("effect").GetString());
        Assert.Equal($"crew-b{branch}", created.GetProperty("reported_by").GetString());
        Assert.True(created.GetProperty("distance_m").GetDouble() < 0.5);
        var reportId = created.GetProperty("id").GetInt64();

        // Another user, no inoperable parameter: the record is used and named.
        var after = await Json(await manager.GetAsync($"/api/network/isolate?pipe={pipe}"), HttpStatusCode.OK);
        Assert.Contains(valve, Ids(after.GetProperty("inoperable")));
        Assert.DoesNotContain(valve, Ids(after.GetProperty("valves_to_close")));
        Assert.Equal(Ids(asked.GetProperty("valves_to_close")), Ids(after.GetProperty("valves_to_close")));
        Assert.Equal(Ids(asked.GetProperty("segment_pipes")), Ids(after.GetProperty("segment_pipes")));
        var record = Assert.Single(after.GetProperty("fieldRecords").EnumerateArray());
        Assert.Equal(reportId, record.GetProperty("id").GetInt64());
        Assert.Equal(valve, record.GetProperty("valve").GetInt64());
        Assert.Equal("seized", record.GetProperty("condition").GetString());

        // The history of the valve says who and what.
        var history = await Json(await manager.GetAsync($"/api/history?entity=valve&id={valve}"), HttpStatusCode.OK);
        var newest = history.GetProperty("items")[0];
        Assert.Equal($"crew-b{branch}", newest.GetProperty("user").GetString());
        Assert.Equal("field.valve-report", newest.GetProperty("action").GetString());
        Assert.Equal("none", newest.GetProperty("before").GetProperty("condition").GetString());
        Assert.Equal("seized", newest.GetProperty("after").GetProperty("condition").GetString());

        await Json(await crew.PostAsJsonAsync($"/api/network/valves/{valve}/reports", Report("repaired")), HttpStatusCode.Created);
        var restored = await Json(await manager.GetAsync($"/api/network/isolate?pipe={pipe}"), HttpStatusCode.OK);
        Assert.Equal(Ids(original.GetProperty("valves_to_close")), Ids(restored.GetProperty("valves_to_close")));
        Assert.Equal(Ids(original.GetProperty("segment_pipes")), Ids(restored.GetProperty("segment_pipes")));
        Assert.DoesNotContain(valve, Ids(restored.GetProperty("inoperable")));
        Assert.Empty(restored.GetProperty("fieldRecords").EnumerateArray());

        var list = await Json(await manager.GetAsync($"/api/network/valves/{valve}/reports"), HttpStatusCode.OK);
        Assert.Equal(["repaired", "seized"], list.EnumerateArray().Select(r => r.GetProperty("condition").GetString()!).ToArray());
    }

    [PostgisFact]
    public async Task ValveFoundClosed_BoundsThePlanAsAlreadyClosed_AndFoundOpenUndoesIt()
    {
        var (pipe, valve, branch, _, _) = await PipeAndValveAsync(1);
        using var crew = await app.ClientAs(Roles.Crew, branch);
        await Json(await crew.PostAsJsonAsync($"/api/network/valves/{valve}/reports", Report("found_closed")), HttpStatusCode.Created);
        var plan = await Json(await app.Client.GetAsync($"/api/network/isolate?pipe={pipe}"), HttpStatusCode.OK);
        Assert.Contains(valve, Ids(plan.GetProperty("valves_already_closed")));
        Assert.DoesNotContain(valve, Ids(plan.GetProperty("valves_to_close")));
        Assert.Equal("found_closed", Assert.Single(plan.GetProperty("fieldRecords").EnumerateArray()).GetProperty("condition").GetString());

        await Json(await crew.PostAsJsonAsync($"/api/network/valves/{valve}/reports", Report("found_open")), HttpStatusCode.Created);
        var open = await Json(await app.Client.GetAsync($"/api/network/isolate?pipe={pipe}"), HttpStatusCode.OK);
        Assert.Contains(valve, Ids(open.GetProperty("valves_to_close")));
        Assert.Equal("found_open", Assert.Single(open.GetProperty("fieldRecords").EnumerateArray()).GetProperty("condition").GetString());
        await Json(await crew.PostAsJsonAsync($"/api/network/valves/{valve}/reports", Report("repaired")), HttpStatusCode.Created);
    }

    [PostgisFact]
    public async Task BadReports_AreRefusedWithProblemDetails_AndWriteNothing()
    {
        var (_, valve, branch, _, _) = await PipeAndValveAsync(2);
        var other = await app.ScalarAsync<int>("SELECT min(id) FROM branch WHERE id <> @b", ("b", branch));
        var count = () => app.ScalarAsync<long>("SELECT count(*) FROM valve_report");
        var before = await count();
        using var crew = await app.ClientAs(Roles.Crew, branch);
        using var otherCrew = await app.ClientAs(Roles.Crew, other);
        using var staff = await app.ClientAs(Roles.Staff, branch);
        using var manager = await app.ClientAs(Roles.Manager);

        async Task Refused(HttpClient c, object body, HttpStatusCode code, string mention, long id = -1)
        {
            var res = await c.PostAsJsonAsync($"/api/network/valves/{(id < 0 ? valve : id)}/reports", body);
            var text = await res.Content.ReadAsStringAsync();
            Assert.True(code == res.StatusCode, $"expected {code}, got {res.StatusCode}: {text}");
            Assert.Equal("application/problem+json", res.Content.Headers.ContentType?.MediaType);
            Assert.Contains(mention, text, StringComparison.Ordinal);
        }

        await Refused(crew, new { condition = "stuck" }, HttpStatusCode.BadRequest, "condition");
        await Refused(crew, new { condition = "seized", lon = 113.6 }, HttpStatusCode.BadRequest, "lat");
        await Refused(crew, new { condition = "seized", lon = 213.6, lat = 34.7 }, HttpStatusCode.BadRequest, "WGS84");
        await Refused(crew, new { condition = "seized", accuracyM = -3 }, HttpStatusCode.BadRequest, "accuracyM");
        await Refused(crew, new { condition = "seized", note = new string('x', 2001) }, HttpStatusCode.BadRequest, "note");
        await Refused(crew, new { condition = "seized" }, HttpStatusCode.NotFound, "999999999", 999_999_999);
        await Refused(otherCrew, new { condition = "seized" }, HttpStatusCode.Forbidden, AccessDenied.OtherBranch);
        await Refused(staff, new { condition = "seized" }, HttpStatusCode.Forbidden, Permissions.FieldRecord);
        await Refused(manager, new { condition = "seized" }, HttpStatusCode.Forbidden, Permissions.FieldRecord);
        var anon = await app.AnonymousClient().PostAsJsonAsync($"/api/network/valves/{valve}/reports", new { condition = "seized" });
        Assert.Equal(HttpStatusCode.Unauthorized, anon.StatusCode);
        Assert.Equal(before, await count());
    }

    [PostgisFact]
    public async Task FieldRecords_CannotBeChangedOrRemoved_ByTheAppRole()
    {
        var (_, valve, branch, _, _) = await PipeAndValveAsync(3);
        using var crew = await app.ClientAs(Roles.Crew, branch);
        await Json(await crew.PostAsJsonAsync($"/api/network/valves/{valve}/reports", Report("buried")), HttpStatusCode.Created);
        await Json(await crew.PostAsJsonAsync($"/api/network/valves/{valve}/reports", Report("repaired")), HttpStatusCode.Created);
        await using var appDb = NpgsqlDataSource.Create(app.AppConnectionString);
        foreach (var sql in new[] { "UPDATE valve_report SET note = 'x'", "DELETE FROM valve_report", "TRUNCATE valve_report" })
        {
            await using var cmd = appDb.CreateCommand(sql);
            var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
        }
        Assert.True(await app.ScalarAsync<long>("SELECT count(*) FROM valve_report WHERE valve_id = @v", ("v", valve)) >= 2);
    }
}
