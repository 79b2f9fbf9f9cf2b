using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using GridMap.Domain.Network;
using GridMap.Storage.Network;
using GridMap.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GridMap.Api.Tests;

/// <summary>The real app over its own copy of the demo city (seed 42): the network API the crew view uses.</summary>
public sealed class NetworkApiFixture : AppFixture
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => DemoDatabase.CreateAsync();

    /// <summary>The engine built straight from the database, independently of the service's cache.</summary>
    public async Task<(NetworkSnapshot Snapshot, NetworkGraph Graph)> EngineAsync()
    {
        var snap = await new NetworkStore(Db.DataSource).LoadAsync();
        return (snap, NetworkBuilder.Build(snap.Input, 0.5));
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var cmd = Db.DataSource.CreateCommand(sql);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task ExecAsync(string sql)
    {
        await using var cmd = Db.DataSource.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }
}

public sealed class NetworkApiTests(NetworkApiFixture api, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<NetworkApiFixture>
{
    private async Task<JsonElement> Json(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var res = await api.Client.GetAsync(url);
        var body = await res.Content.ReadAsStringAsync();
        Assert.True(expected == res.StatusCode, $"{url}: expected {expected}, got {res.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static long[] Ids(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt64()).ToArray();
    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A secondary supply pipe of the demo city with an open operable valve that a plan must close, and a point 2 m off its middle.</summary>
    private async Task<(long Pipe, double Lon, double Lat)> SecondaryPipeAsync(int offset = 0)
    {
        await using var cmd = api.Db.DataSource.CreateCommand($"""
            SELECT p.id, ST_X(m), ST_Y(m) FROM pipe p,
              LATERAL (SELECT ST_Project(ST_LineInterpolatePoint(p.geom, 0.5)::geography, 2, radians(45))::geometry AS m) q
            WHERE p.level = 'secondary' AND p.flow = 'supply' AND ST_Length(p.geom::geography) > 40
            ORDER BY p.id OFFSET {offset} LIMIT 1
            """);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        return (r.GetInt64(0), r.GetDouble(1), r.GetDouble(2));
    }

    [PostgisFact]
    public async Task Nearest_FirstIsTheTrulyNearestPipe_SortedByDistance_WithDnDepthLevelBearing()
    {
        var (_, lon, lat) = await SecondaryPipeAsync();
        var expected = await api.ScalarAsync<long>($"""
            SELECT id FROM pipe ORDER BY ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint({F(lon)}, {F(lat)}), 4326)::geography), id LIMIT 1
            """);
        var j = await Json($"/api/network/nearest?lon={F(lon)}&lat={F(lat)}&k=5");
        var pipes = j.GetProperty("pipes").EnumerateArray().ToList();
        Assert.Equal(5, pipes.Count);
        Assert.Equal(expected, pipes[0].GetProperty("id").GetInt64());
        var d = pipes.Select(p => p.GetProperty("distance_m").GetDouble()).ToList();
        Assert.Equal(d.Order().ToList(), d);
        Assert.InRange(d[0], 0, 3);
        foreach (var p in pipes)
        {
            Assert.InRange(p.GetProperty("dn").GetInt32(), 15, 1400);
            Assert.InRange(p.GetProperty("depth_m").GetDouble(), 0, 10);
            Assert.Contains(p.GetProperty("level").GetString(), new[] { "primary", "secondary", "building" });
            if (p.TryGetProperty("bearing_deg", out var b)) Assert.InRange(b.GetDouble(), 0, 360);
        }
        // The position is also given in CGCS2000 / Gauss-Krüger CM 114E metres.
        Assert.InRange(j.GetProperty("position").GetProperty("x4547").GetDouble(), 400_000, 600_000);
        Assert.InRange(j.GetProperty("position").GetProperty("y4547").GetDouble(), 3_800_000, 3_900_000);
    }

    [PostgisFact]
    public async Task Isolate_AgreesWithTheEngine_ValvesOrderedByDistanceFromTheBurst()
    {
        var (pipe, lon, lat) = await SecondaryPipeAsync(3);
        var (snap, graph) = await api.EngineAsync();
        // With a position the plan isolates the segment holding the point of the pipe nearest it (EPSG:4547 metres).
        var id = pipe.ToString(CultureInfo.InvariantCulture);
        var (x, y) = GridMap.Domain.Geo.Crs.GaussKruger114.FromWgs84Point(lon, lat);
        var along = new NetTopologySuite.LinearReferencing.LengthIndexedLine(graph.Pipes[graph.PipeIndex(id)].Geometry).Project(new NetTopologySuite.Geometries.Coordinate(x, y));
        var engine = new IsolationTracer(SegmentIndex.Build(graph)).IsolateAt(id, along);
        var j = await Json($"/api/network/isolate?pipe={pipe}&lon={F(lon)}&lat={F(lat)}");

        Assert.Equal(engine.SegmentPipes.Select(long.Parse), Ids(j.GetProperty("segment_pipes")));
        Assert.Equal(engine.ValvesToCloseMin.Select(long.Parse), Ids(j.GetProperty("valves_to_close_min")));
        Assert.Equal(engine.CutOffPipes.Select(long.Parse), Ids(j.GetProperty("cut_off_pipes")));
        var steps = j.GetProperty("valves_to_close").EnumerateArray().ToList();
        Assert.NotEmpty(steps);
        Assert.Equal(engine.ValvesToClose.Select(long.Parse).Order(), steps.Select(s => s.GetProperty("id").GetInt64()).Order());
        var dist = steps.Select(s => s.GetProperty("distance_m").GetDouble()).ToList();
        Assert.Equal(dist.Order().ToList(), dist);
        Assert.Equal(Enumerable.Range(1, steps.Count), steps.Select(s => s.GetProperty("order").GetInt32()));
        foreach (var s in steps)
            Assert.Equal(engine.ValvesToCloseMin.Contains(s.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture)), s.GetProperty("required").GetBoolean());

        // Compounds once each (supply and return sides collapse), households summed over them.
        var compounds = engine.AffectedConsumers.Select(c => (int)NetworkIds.DatabaseId(c)!.Value).Distinct().Order().ToList();
        Assert.NotEmpty(compounds);
        Assert.Equal(compounds, j.GetProperty("affected_compounds").EnumerateArray().Select(c => c.GetProperty("id").GetInt32()));
        Assert.Equal(compounds.Sum(c => (long)snap.Compounds[c].Households), j.GetProperty("affected_households").GetInt64());
    }

    [PostgisFact]
    public async Task Isolate_WithBrokenValve_GrowsPastItToTheNextOperableValve()
    {
        var (pipe, _, _) = await SecondaryPipeAsync(3);
        var before = await Json($"/api/network/isolate?pipe={pipe}");
        var broken = before.GetProperty("valves_to_close")[0].GetProperty("id").GetInt64();
        var after = await Json($"/api/network/isolate?pipe={pipe}&inoperable={broken}");

        Assert.DoesNotContain(broken, after.GetProperty("valves_to_close").EnumerateArray().Select(v => v.GetProperty("id").GetInt64()));
        Assert.Equal([broken], Ids(after.GetProperty("inoperable")));
        var segBefore = Ids(before.GetProperty("segment_pipes"));
        var segAfter = Ids(after.GetProperty("segment_pipes"));
        Assert.Superset(segBefore.ToHashSet(), segAfter.ToHashSet());
        Assert.True(segAfter.Length > segBefore.Length, "the segment grows past the broken valve");
        Assert.True(after.GetProperty("affected_households").GetInt64() >= before.GetProperty("affected_households").GetInt64());

        var (_, graph) = await api.EngineAsync();
        var engine = IsolationTracer.Isolate(graph, pipe.ToString(CultureInfo.InvariantCulture), [broken.ToString(CultureInfo.InvariantCulture)]);
        Assert.Equal(engine.SegmentPipes.Select(long.Parse), segAfter);
    }

    [PostgisFact]
    public async Task Cache_RebuildsWhenAValveChanges_AndThePlanFollows()
    {
        var (pipe, _, _) = await SecondaryPipeAsync(7);
        var status0 = await Json("/api/network/status");
        var plan0 = await Json($"/api/network/isolate?pipe={pipe}");
        var valve = plan0.GetProperty("valves_to_close")[0].GetProperty("id").GetInt64();
        var again = await Json("/api/network/status");
        Assert.Equal(status0.GetProperty("version").GetInt64(), again.GetProperty("version").GetInt64());
        Assert.Equal(status0.GetProperty("builds").GetInt32(), again.GetProperty("builds").GetInt32());

        await api.ExecAsync($"UPDATE valve SET operable = false WHERE id = {valve}");
        try
        {
            var plan1 = await Json($"/api/network/isolate?pipe={pipe}");
            var status1 = await Json("/api/network/status");
            Assert.True(status1.GetProperty("version").GetInt64() > status0.GetProperty("version").GetInt64());
            Assert.Equal(status0.GetProperty("builds").GetInt32() + 1, status1.GetProperty("builds").GetInt32());
            Assert.DoesNotContain(valve, plan1.GetProperty("valves_to_close").EnumerateArray().Select(v => v.GetProperty("id").GetInt64()));
            Assert.True(plan1.GetProperty("version").GetInt64() > plan0.GetProperty("version").GetInt64());
        }
        finally
        {
            await api.ExecAsync($"UPDATE valve SET operable = true WHERE id = {valve}");
        }
    }

    [PostgisFact]
    public async Task Load_JoinsEveryPlantAndNearlyEveryCompound_OnBothSupplyAndReturn()
    {
        var (snap, graph) = await api.EngineAsync();
        var plants = await api.ScalarAsync<long>("SELECT count(*) FROM heat_source");
        var compounds = await api.ScalarAsync<long>("SELECT count(*) FROM compound");
        Assert.Equal(2 * plants, graph.Sources.Count);
        Assert.All(Enumerable.Range(0, graph.Sources.Count), s => Assert.True(graph.NodeOfSource(s) >= 0, $"source {graph.Sources[s].Id} is not on the network"));
        var supply = graph.Consumers.Count(c => NetworkIds.FlowOf(c.Id) == Domain.Model.FlowDirection.Supply);
        var ret = graph.Consumers.Count - supply;
        Assert.True(supply >= compounds * 0.99, $"{supply} of {compounds} compounds joined on the supply side");
        Assert.Equal(supply, ret);
        Assert.All(Enumerable.Range(0, graph.Consumers.Count), c => Assert.True(graph.NodeOfConsumer(c) >= 0));
        // Through the station devices the plants reach nearly every compound once valves and pipes are open (some are
        // shut normally: unpaid or vacant compounds, stations off the network).
        int Reached(bool respectState) => new NetworkTracer(graph, new GridMap.Domain.Network.TraceOptions(RespectState: respectState, CrossStations: true))
            .FromSources().Consumers.Select(NetworkIds.DatabaseId).Distinct().Count();
        var connected = Reached(respectState: false);
        var supplied = Reached(respectState: true);
        Assert.True(connected >= compounds * 0.99, $"only {connected} of {compounds} compounds are connected to a plant");
        Assert.True(supplied >= compounds * 0.95 && supplied <= connected, $"{supplied} of {compounds} compounds supplied, {connected} connected");
        Assert.Equal(snap.Compounds.Count, (int)compounds);
    }

    [PostgisFact]
    public async Task StationServiceArea_IsTheCompoundsThatNameTheStation()
    {
        var station = await api.ScalarAsync<int>("SELECT station_id FROM compound WHERE station_id IS NOT NULL GROUP BY station_id ORDER BY count(*) DESC, station_id LIMIT 1");
        var expected = new List<int>();
        await using (var cmd = api.Db.DataSource.CreateCommand($"SELECT id FROM compound WHERE station_id = {station} ORDER BY id"))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) expected.Add(r.GetInt32(0));

        var j = await Json($"/api/network/stations/{station}/service-area");
        Assert.Equal(expected, j.GetProperty("compound_list").EnumerateArray().Select(c => c.GetProperty("id").GetInt32()));
        Assert.NotEmpty(Ids(j.GetProperty("pipes")));

        var all = await Json("/api/network/stations/service-areas");
        var mine = all.EnumerateArray().Single(a => a.GetProperty("station").GetInt64() == station);
        Assert.Equal(expected.Count, mine.GetProperty("compounds").GetInt32());
    }

    [PostgisFact]
    public async Task Trace_DownstreamOfAStationBranch_ReachesThatStationsCompounds_UpstreamEndsAtItsStation()
    {
        var station = await api.ScalarAsync<int>("SELECT station_id FROM compound WHERE station_id IS NOT NULL GROUP BY station_id ORDER BY count(*) DESC, station_id LIMIT 1");
        var branch = await api.ScalarAsync<long>($"SELECT id FROM pipe WHERE station_id = {station} AND level = 'primary' AND flow = 'supply' ORDER BY id LIMIT 1");
        var down = await Json($"/api/network/trace/downstream?pipe={branch}");
        var reached = down.GetProperty("compounds").EnumerateArray().Select(c => c.GetProperty("id").GetInt32()).ToHashSet();
        var served = (await Json($"/api/network/stations/{station}/service-area")).GetProperty("compound_list").EnumerateArray().Select(c => c.GetProperty("id").GetInt32()).ToHashSet();
        Assert.Superset(served, reached);
        Assert.Contains(station, Ids(down.GetProperty("stations")));

        var secondary = await api.ScalarAsync<long>($"SELECT id FROM pipe WHERE station_id = {station} AND level = 'secondary' AND flow = 'supply' ORDER BY id DESC LIMIT 1");
        var up = await Json($"/api/network/trace/upstream?pipe={secondary}");
        Assert.Equal(station.ToString(CultureInfo.InvariantCulture), up.GetProperty("ends_at").GetString());
        Assert.True(up.GetProperty("length_m").GetDouble() > 0);
    }

    [PostgisFact]
    public async Task Findings_InABbox_LieInsideIt_AndFilterByType()
    {
        const string bbox = "113.60,34.72,113.70,34.78";
        var j = await Json($"/api/network/findings?bbox={bbox}&limit=50000");
        var list = j.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(j.GetProperty("total").GetInt32(), list.Count);
        foreach (var f in list)
        {
            var loc = f.GetProperty("location");
            Assert.InRange(loc[0].GetDouble(), 113.60, 113.70);
            Assert.InRange(loc[1].GetDouble(), 34.72, 34.78);
        }
        var world = await Json("/api/network/findings?limit=1");
        Assert.True(world.GetProperty("total").GetInt32() >= list.Count);
        if (list.Count > 0)
        {
            var type = list[0].GetProperty("type").GetString()!;
            var typed = await Json($"/api/network/findings?bbox={bbox}&type={type}&limit=50000");
            Assert.All(typed.GetProperty("findings").EnumerateArray(), f => Assert.Equal(type, f.GetProperty("type").GetString()));
            Assert.Equal(j.GetProperty("by_type").GetProperty(type).GetInt32(), typed.GetProperty("total").GetInt32());
        }
    }

    [PostgisTheory]
    [InlineData("/api/network/isolate?pipe=99999999", HttpStatusCode.NotFound, "not-found", "99999999")]
    [InlineData("/api/network/isolate", HttpStatusCode.BadRequest, "invalid-parameter", "pipe")]
    [InlineData("/api/network/isolate?pipe=1&inoperable=12,abc", HttpStatusCode.BadRequest, "invalid-parameter", "abc")]
    [InlineData("/api/network/isolate?pipe=1&inoperable=99999999", HttpStatusCode.BadRequest, "invalid-parameter", "99999999")]
    [InlineData("/api/network/isolate?pipe=1&lon=113.6", HttpStatusCode.BadRequest, "invalid-parameter", "lat")]
    [InlineData("/api/network/isolate?pipe=1&lon=500000&lat=3840000", HttpStatusCode.BadRequest, "invalid-parameter", "WGS84")]
    [InlineData("/api/network/nearest?lat=34.7", HttpStatusCode.BadRequest, "invalid-parameter", "lon")]
    [InlineData("/api/network/nearest?lon=500000&lat=3840000", HttpStatusCode.BadRequest, "invalid-parameter", "WGS84")]
    [InlineData("/api/network/nearest?lon=113.6&lat=34.7&k=500", HttpStatusCode.BadRequest, "invalid-parameter", "k")]
    [InlineData("/api/network/trace/sideways?pipe=1", HttpStatusCode.BadRequest, "invalid-parameter", "sideways")]
    [InlineData("/api/network/trace/connected", HttpStatusCode.BadRequest, "invalid-parameter", "pipe")]
    [InlineData("/api/network/trace/connected?pipe=99999999", HttpStatusCode.NotFound, "not-found", "99999999")]
    [InlineData("/api/network/findings?bbox=1,2,3", HttpStatusCode.BadRequest, "invalid-parameter", "bbox")]
    [InlineData("/api/network/findings?limit=0", HttpStatusCode.BadRequest, "invalid-parameter", "limit")]
    [InlineData("/api/network/stations/service-areas?bbox=5,5,1,1", HttpStatusCode.BadRequest, "invalid-parameter", "bbox")]
    [InlineData("/api/network/stations/999999/service-area", HttpStatusCode.NotFound, "not-found", "999999")]
    public async Task BadInput_IsAProblemDetailsWithItsCode_NamingTheParameter(string url, HttpStatusCode status, string rule, string parameter)
    {
        var j = await Json(url, status);
        Assert.Equal((int)status, j.GetProperty("status").GetInt32());
        Assert.Equal(rule, j.GetProperty("rule").GetString());
        // Bad input is stopped at the edge with a message naming the parameter (or the id) for the person who sent it.
        Assert.Contains(parameter, j.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The wire and /openapi/v1.json agree: every network JSON response (the offline topology too) conforms to its
    /// operation's 200 schema — each member it sends is declared, with the declared type; each required member is
    /// sent — and every member name in those schemas is snake_case, as sent.
    /// </summary>
    [PostgisFact]
    public async Task Responses_ConformToTheirOpenApiSchemas_WithTheSnakeCaseNamesOnTheWire()
    {
        var doc = JsonNode.Parse(await api.Client.GetStringAsync("/openapi/v1.json"))!;
        var (pipe, lon, lat) = await SecondaryPipeAsync(3);
        var station = await api.ScalarAsync<int>("SELECT station_id FROM compound WHERE station_id IS NOT NULL GROUP BY station_id ORDER BY count(*) DESC, station_id LIMIT 1");
        var standingOn = await api.ScalarAsync<string>($"SELECT ST_X(ST_StartPoint(geom))::text || '&lat=' || ST_Y(ST_StartPoint(geom))::text FROM pipe WHERE id = {pipe}");
        var calls = new (string Path, string Url)[]
        {
            ("/api/network/status", "/api/network/status"),
            ("/api/network/nearest", $"/api/network/nearest?lon={F(lon)}&lat={F(lat)}&k=10"),
            ("/api/network/nearest", $"/api/network/nearest?lon={standingOn}&k=3"),
            ("/api/network/isolate", $"/api/network/isolate?pipe={pipe}"),
            ("/api/network/isolate", $"/api/network/isolate?pipe={pipe}&lon={F(lon)}&lat={F(lat)}&geometry=true"),
            ("/api/network/trace/{kind}", $"/api/network/trace/connected?pipe={pipe}"),
            ("/api/network/trace/{kind}", $"/api/network/trace/downstream?pipe={pipe}"),
            ("/api/network/trace/{kind}", $"/api/network/trace/upstream?pipe={pipe}"),
            ("/api/network/findings", "/api/network/findings?limit=20"),
            ("/api/network/stations/service-areas", "/api/network/stations/service-areas"),
            ("/api/network/stations/{id}/service-area", $"/api/network/stations/{station}/service-area"),
            ("/api/network/topology", "/api/network/topology"),
        };
        var names = new HashSet<string>();
        foreach (var (path, url) in calls)
        {
            var schema = doc["paths"]?[path]?["get"]?["responses"]?["200"]?["content"]?["application/json"]?["schema"];
            Assert.True(schema is not null, $"{path}: no application/json schema for 200 in /openapi/v1.json");
            var body = await Json(url);
            var errors = new List<string>();
            OpenApiConformance.Check(body, schema!, doc, "$", errors, names);
            Assert.True(errors.Count == 0, $"{url}:\n" + string.Join("\n", errors.Take(20)));
        }
        // The one exception: the crews issue fixes the plan's member for the field records it relied on as "fieldRecords".
        var notSnake = names.Where(n => n != "fieldRecords" && !System.Text.RegularExpressions.Regex.IsMatch(n, "^[a-z][a-z0-9_]*$")).ToList();
        Assert.True(notSnake.Count == 0, "schema members not in snake_case: " + string.Join(", ", notSnake));
        // Members the schemas declare and these calls saw, optional ones included (bearing_deg, geometry, ends_at …).
        Assert.Superset(new HashSet<string> { "distance_m", "valves_to_close_min", "cut_off", "by_type", "compound_list", "ends_at", "length_m", "snap_tolerance_m", "x4547" }, names);
    }

    [PostgisFact]
    public async Task Isolate_APlanIsTheSameAsTheCrewIsolationOfTheEngine_ValvesInWalkingOrder()
    {
        // The endpoint is the use case: its valve order is CrewIsolation's (shared with `gridmap network isolate`).
        var (pipe, lon, lat) = await SecondaryPipeAsync(5);
        var (_, graph) = await api.EngineAsync();
        var (x, y) = GridMap.Domain.Geo.Crs.GaussKruger114.FromWgs84Point(lon, lat);
        var expected = GridMap.Application.Network.CrewIsolation.Isolate(new IsolationTracer(SegmentIndex.Build(graph)),
            graph.PipeIndex(pipe.ToString(CultureInfo.InvariantCulture)), new NetTopologySuite.Geometries.Coordinate(x, y));
        var j = await Json($"/api/network/isolate?pipe={pipe}&lon={F(lon)}&lat={F(lat)}");
        Assert.Equal(expected.Valves.Select(v => long.Parse(v.Id, CultureInfo.InvariantCulture)),
            j.GetProperty("valves_to_close").EnumerateArray().Select(v => v.GetProperty("id").GetInt64()));
        Assert.Equal(expected.Valves.Select(v => Math.Round(v.Distance, 1)),
            j.GetProperty("valves_to_close").EnumerateArray().Select(v => v.GetProperty("distance_m").GetDouble()));
    }

    /// <summary>
    /// The crew's offline planner (src/GridMap.Web/src/crew/isolation.ts, run by node) against the C# engine on the
    /// service's exported topology: every pipe in the normal state, plus a sample of pipes re-planned with one and two
    /// of their valves broken (the client derives those indexes incrementally; the C# reference rebuilds them).
    /// </summary>
    [PostgisFact]
    public async Task OfflineIsolation_TypeScriptPort_GivesTheEnginesPlans_ForEveryPipe()
    {
        var res = await api.Client.GetAsync("/api/network/topology");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var topology = JsonNode.Parse(await res.Content.ReadAsStringAsync())!;
        var (_, graph) = await api.EngineAsync();
        var normal = new IsolationTracer(SegmentIndex.Build(graph));

        var cases = new JsonArray();
        // Lists go into the fixture as "count:FNV-1a" digests (a primary main's plan cuts off thousands of pipes and
        // consumers; full lists for 20,000 plans would make a fixture of hundreds of megabytes). isolationCheck.mjs
        // digests its own lists the same way; any difference in content or order changes the digest.
        JsonObject Case(string pipe, string[] inoperable, IsolationPlan p, double? along = null) => new()
        {
            ["pipe"] = long.Parse(pipe, CultureInfo.InvariantCulture),
            ["inoperable"] = new JsonArray(inoperable.Select(v => (JsonNode)long.Parse(v, CultureInfo.InvariantCulture)).ToArray()),
            ["along"] = along,
            ["plan"] = new JsonObject
            {
                ["segment_pipes"] = Digest(p.SegmentPipes),
                ["valves_to_close"] = Digest(p.ValvesToClose),
                ["valves_to_close_min"] = Digest(p.ValvesToCloseMin),
                ["valves_already_closed"] = Digest(p.ValvesAlreadyClosed),
                ["cut_off_pipes"] = Digest(p.CutOffPipes),
                ["affected_consumers"] = Digest(p.AffectedConsumers),
                ["affected_households"] = p.AffectedHouseholds,
            },
        };
        var random = new Random(4);
        var replanned = 0;
        var atPosition = 0;
        var otherSegment = 0; // bursts whose segment is not the pipe's home segment
        foreach (var pipe in graph.Pipes)
        {
            var plan = normal.Isolate(pipe.Id);
            cases.Add(Case(pipe.Id, [], plan));
            // Every 50th pipe: a burst at a known position (IsolateAt), half of them in the first 5 m where tee valves
            // leave a short piece in another segment.
            var index = graph.PipeIndex(pipe.Id);
            if (index % 50 == 0)
            {
                var length = pipe.Geometry.Length;
                var along = index % 100 == 0 ? random.NextDouble() * length : random.NextDouble() * Math.Min(5, length);
                var at = normal.IsolateAt(pipe.Id, along);
                cases.Add(Case(pipe.Id, [], at, along));
                atPosition++;
                if (!at.SegmentPipes.SequenceEqual(plan.SegmentPipes) || !at.ValvesToClose.SequenceEqual(plan.ValvesToClose)) otherSegment++;
            }
            // Every 300th pipe: valves of its plan turn out broken, one and then two of them (each re-plan rebuilds
            // the segment index on both sides, ~0.1 s: a sample keeps the test short).
            if (graph.PipeIndex(pipe.Id) % 300 != 0 || plan.ValvesToClose.Count == 0) continue;
            var first = plan.ValvesToClose[random.Next(plan.ValvesToClose.Count)];
            var p1 = IsolationTracer.Isolate(graph, pipe.Id, [first]);
            cases.Add(Case(pipe.Id, [first], p1));
            if (p1.ValvesToClose.Count > 0)
            {
                var second = p1.ValvesToClose[random.Next(p1.ValvesToClose.Count)];
                cases.Add(Case(pipe.Id, [first, second], IsolationTracer.Isolate(graph, pipe.Id, [first, second])));
            }
            // The same broken valve for a burst at a known position (the client derives its index incrementally; the
            // reference here is a full rebuild).
            var alongBroken = random.NextDouble() * pipe.Geometry.Length;
            cases.Add(Case(pipe.Id, [first], new IsolationTracer(SegmentIndex.Build(graph, [first])).IsolateAt(pipe.Id, alongBroken), alongBroken));
            replanned++;
        }
        Assert.True(replanned >= 40, $"only {replanned} pipes were re-planned with broken valves");
        Assert.True(atPosition >= 300, $"only {atPosition} bursts at a position");
        Assert.True(otherSegment >= 10, $"only {otherSegment} bursts lie outside their pipe's home segment: the position cases test little");
        output.WriteLine($"{atPosition} bursts at a position, {otherSegment} of them outside the pipe's home segment");

        var fixture = Path.Combine(Path.GetTempPath(), $"gridmap-isolation-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(fixture, new JsonObject { ["topology"] = topology, ["cases"] = cases }.ToJsonString());
        output.WriteLine($"fixture: {cases.Count} cases, {new FileInfo(fixture).Length / 1e6:F1} MB");
        try
        {
            var web = Path.Combine(RepoPaths.Root, "src", "GridMap.Web");
            var psi = new ProcessStartInfo("node", [Path.Combine("src", "crew", "isolationCheck.mjs"), fixture])
            {
                WorkingDirectory = web,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var node = Process.Start(psi)!;
            var stdout = node.StandardOutput.ReadToEndAsync();
            var stderr = node.StandardError.ReadToEndAsync();
            await node.WaitForExitAsync();
            var summary = (await stdout).Trim();
            output.WriteLine($"isolationCheck.mjs: {summary}");
            Assert.True(node.ExitCode == 0, $"node isolationCheck.mjs exited {node.ExitCode}: {summary} {await stderr}");
            var s = JsonDocument.Parse(summary).RootElement;
            Assert.Equal(cases.Count, s.GetProperty("cases").GetInt32());
            Assert.Equal(0, s.GetProperty("mismatches").GetInt32());
            Assert.Equal(atPosition + replanned, s.GetProperty("at_position").GetInt32());
        }
        finally
        {
            File.Delete(fixture);
        }

        static string Digest(IReadOnlyList<string> ids)
        {
            var h = 2166136261u;
            foreach (var ch in string.Join(",", ids)) h = unchecked((h ^ ch) * 16777619u);
            return $"{ids.Count}:{h:x8}";
        }
    }

    /// <summary>
    /// An area package (GET /api/network/topology?bbox=…) plans every burst on a pipe crossing the area's edge as the
    /// server does on the whole city — the same segment, valves to close (all and minimal), valves already closed,
    /// affected compounds and households; cut-off pipes as far as the package holds them — in the normal state and
    /// with one valve of the plan found broken. Run by the crew's TypeScript planner (node), against plans the C#
    /// engine computed on the full graph. The package is much smaller than the city's and answers 304 while the
    /// network is unchanged.
    /// </summary>
    [PostgisFact]
    public async Task AreaPackage_PlansABurstAtItsEdge_AsTheServerDoes_AndIsSmallerThanTheCity()
    {
        var (_, graph) = await api.EngineAsync();
        var normal = new IsolationTracer(SegmentIndex.Build(graph));
        // A 700 m box around the middle of the pipes' extent.
        var all = new NetTopologySuite.Geometries.Envelope();
        foreach (var p in graph.Pipes) all.ExpandToInclude(p.Geometry.EnvelopeInternal);
        var (clon, clat) = GridMap.Application.Network.NetworkState.ToWgs84(all.Centre.X, all.Centre.Y);
        double dLon = 0.0038, dLat = 0.0032;
        var bbox = string.Join(",", new[] { clon - dLon, clat - dLat, clon + dLon, clat + dLat }.Select(F));
        var res = await api.Client.GetAsync($"/api/network/topology?bbox={bbox}");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var etag = res.Headers.ETag!.Tag;
        var text = await res.Content.ReadAsStringAsync();
        var topology = JsonNode.Parse(text)!;
        var packageIds = topology["pipes"]!["id"]!.AsArray().Select(x => x!.GetValue<long>().ToString(CultureInfo.InvariantCulture)).ToList();
        var partial = topology["area"]!["partial_pipes"]!.AsArray().Select(x => packageIds[x!.GetValue<int>()]).ToHashSet();
        var packagePipes = packageIds.Where(id => !partial.Contains(id)).ToHashSet(); // held whole
        var city = await api.Client.GetAsync("/api/network/topology");
        var cityBytes = (await city.Content.ReadAsByteArrayAsync()).Length;
        output.WriteLine($"area package: {text.Length / 1e3:F0} kB, {packageIds.Count} pipes ({partial.Count} partly) of {graph.Pipes.Count}; city: {cityBytes / 1e3:F0} kB");
        Assert.True(text.Length < cityBytes / 2, $"area package {text.Length} B is not much smaller than the city's {cityBytes} B");

        // Unchanged network: the stored ETag answers 304, nothing is sent again.
        using (var again = new HttpRequestMessage(HttpMethod.Get, $"/api/network/topology?bbox={bbox}"))
        {
            again.Headers.TryAddWithoutValidation("If-None-Match", etag);
            var r304 = await api.Client.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, r304.StatusCode);
        }
        var summary = await Json($"/api/network/topology/summary?bbox={bbox}");
        Assert.Equal(etag, summary.GetProperty("etag").GetString());
        Assert.True(summary.GetProperty("gzip_bytes").GetInt64() < summary.GetProperty("city_gzip_bytes").GetInt64());

        // Pipes crossing the box's edge, burst inside the box.
        var corners = new[] { (clon - dLon, clat - dLat), (clon + dLon, clat - dLat), (clon - dLon, clat + dLat), (clon + dLon, clat + dLat) };
        var env = new NetTopologySuite.Geometries.Envelope();
        foreach (var (lon, lat) in corners) env.ExpandToInclude(GridMap.Application.Network.NetworkState.FromWgs84(lon, lat));
        var box = new NetTopologySuite.Geometries.GeometryFactory().ToGeometry(env);
        var cases = new JsonArray();
        var random = new Random(7);
        var broken = 0;
        foreach (var pipe in graph.Pipes)
        {
            if (pipe.IsStationDevice || !pipe.Geometry.Intersects(box.Boundary)) continue;
            var inside = pipe.Geometry.Intersection(box);
            if (inside.IsEmpty) continue;
            var along = new NetTopologySuite.LinearReferencing.LengthIndexedLine(pipe.Geometry).Project(inside.InteriorPoint.Coordinate);
            var plan = normal.IsolateAt(pipe.Id, along);
            cases.Add(Case(pipe.Id, [], plan, along));
            if (plan.ValvesToClose.Count == 0) continue;
            var valve = plan.ValvesToClose[random.Next(plan.ValvesToClose.Count)];
            cases.Add(Case(pipe.Id, [valve], new IsolationTracer(SegmentIndex.Build(graph, [valve])).IsolateAt(pipe.Id, along), along));
            broken++;
        }
        Assert.True(cases.Count >= 20, $"only {cases.Count} bursts at the edge");
        Assert.True(broken >= 5, $"only {broken} re-plans with a broken valve at the edge");
        var s = await RunIsolationCheck(topology, cases);
        Assert.Equal(cases.Count, s.GetProperty("cases").GetInt32());
        Assert.Equal(0, s.GetProperty("mismatches").GetInt32());

        JsonObject Case(string pipe, string[] inoperable, IsolationPlan p, double along) => new()
        {
            ["pipe"] = long.Parse(pipe, CultureInfo.InvariantCulture),
            ["inoperable"] = new JsonArray(inoperable.Select(v => (JsonNode)long.Parse(v, CultureInfo.InvariantCulture)).ToArray()),
            ["along"] = along,
            ["plan"] = new JsonObject
            {
                ["segment_pipes"] = Digest(p.SegmentPipes),
                ["valves_to_close"] = Digest(p.ValvesToClose),
                ["valves_to_close_min"] = Digest(p.ValvesToCloseMin),
                ["valves_already_closed"] = Digest(p.ValvesAlreadyClosed),
                // The package names the cut-off pipes it holds whole.
                ["cut_off_pipes"] = Digest(p.CutOffPipes.Where(packagePipes.Contains).ToList()),
                ["affected_consumers"] = Digest(p.AffectedConsumers),
                ["affected_households"] = p.AffectedHouseholds,
            },
        };
        static string F(double v) => v.ToString("F6", CultureInfo.InvariantCulture);
        static string Digest(IReadOnlyList<string> ids)
        {
            var h = 2166136261u;
            foreach (var ch in string.Join(",", ids)) h = unchecked((h ^ ch) * 16777619u);
            return $"{ids.Count}:{h:x8}";
        }
    }

    /// <summary>Runs src/crew/isolationCheck.mjs (node) on a topology and cases; returns its JSON summary.</summary>
    private async Task<JsonElement> RunIsolationCheck(JsonNode topology, JsonArray cases)
    {
        var fixture = Path.Combine(Path.GetTempPath(), $"gridmap-isolation-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(fixture, new JsonObject { ["topology"] = topology.DeepClone(), ["cases"] = cases.DeepClone() }.ToJsonString());
        try
        {
            var psi = new ProcessStartInfo("node", [Path.Combine("src", "crew", "isolationCheck.mjs"), fixture])
            {
                WorkingDirectory = Path.Combine(RepoPaths.Root, "src", "GridMap.Web"),
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var node = Process.Start(psi)!;
            var stdout = node.StandardOutput.ReadToEndAsync();
            var stderr = node.StandardError.ReadToEndAsync();
            await node.WaitForExitAsync();
            var summary = (await stdout).Trim();
            output.WriteLine($"isolationCheck.mjs: {summary}");
            Assert.True(node.ExitCode == 0, $"node isolationCheck.mjs exited {node.ExitCode}: {summary} {await stderr}");
            return JsonDocument.Parse(summary).RootElement;
        }
        finally
        {
            File.Delete(fixture);
        }
    }
}

/// <summary>
/// Just enough of JSON Schema (2020-12 as ASP.NET writes it: $ref, oneOf/anyOf, type, properties, required, items,
/// additionalProperties) to say whether a response is what /openapi/v1.json promises. Long arrays are sampled.
/// </summary>
internal static class OpenApiConformance
{
    public static void Check(JsonElement value, JsonNode schema, JsonNode doc, string at, List<string> errors, HashSet<string> names)
    {
        while (schema["$ref"]?.GetValue<string>() is { } r)
            schema = doc["components"]!["schemas"]![r["#/components/schemas/".Length..]]
                ?? throw new InvalidOperationException($"unresolved {r}");
        if ((schema["oneOf"] ?? schema["anyOf"]) is JsonArray choices)
        {
            // Conforms when some alternative takes it (a nullable member: null or the $ref).
            var tries = choices.Select(c => { var e = new List<string>(); Check(value, c!, doc, at, e, names); return e; }).ToList();
            if (tries.All(e => e.Count > 0)) errors.AddRange(tries.OrderBy(e => e.Count).First());
            return;
        }
        var types = schema["type"] switch
        {
            JsonArray a => a.Select(t => t!.GetValue<string>()).ToHashSet(),
            JsonValue v => [v.GetValue<string>()],
            _ => null,
        };
        bool Allows(string t) => types is null || types.Contains(t);
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                if (!Allows("object")) { errors.Add($"{at}: an object, the schema says {string.Join("|", types!)}"); return; }
                var props = schema["properties"] as JsonObject;
                foreach (var p in props ?? []) names.Add(p.Key);
                foreach (var m in value.EnumerateObject())
                {
                    if (props?[m.Name] is { } ps) Check(m.Value, ps, doc, $"{at}.{m.Name}", errors, names);
                    else if (schema["additionalProperties"] is JsonObject extra) Check(m.Value, extra, doc, $"{at}.{m.Name}", errors, names);
                    else errors.Add($"{at}: member '{m.Name}' is sent but not in the schema");
                }
                foreach (var req in schema["required"] as JsonArray ?? [])
                    if (!value.TryGetProperty(req!.GetValue<string>(), out _)) errors.Add($"{at}: required member '{req}' is not sent");
                break;
            case JsonValueKind.Array:
                if (!Allows("array")) { errors.Add($"{at}: an array, the schema says {string.Join("|", types!)}"); return; }
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (schema["items"] is { } items) Check(item, items, doc, $"{at}[{i}]", errors, names);
                    if (++i >= 50) break;
                }
                break;
            case JsonValueKind.String:
                if (!Allows("string")) errors.Add($"{at}: a string, the schema says {string.Join("|", types!)}");
                break;
            case JsonValueKind.Number:
                if (!Allows("number") && !(Allows("integer") && value.TryGetInt64(out _))) errors.Add($"{at}: the number {value}, the schema says {string.Join("|", types!)}");
                break;
            case JsonValueKind.True or JsonValueKind.False:
                if (!Allows("boolean")) errors.Add($"{at}: a boolean, the schema says {string.Join("|", types!)}");
                break;
            case JsonValueKind.Null:
                if (!Allows("null")) errors.Add($"{at}: null, the schema says {string.Join("|", types!)}");
                break;
        }
    }
}
