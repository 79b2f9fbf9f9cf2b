using System.Diagnostics;
using System.Text.Json;
using GridMap.Tests.Shared;
using GridMap.Tests.Shared.Api;

namespace GridMap.Cli.Tests;

/// <summary>Runs the real `gridmap network` executable on small GeoJSON files and reads its JSON.</summary>
public sealed class NetworkCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gm-network-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Gridmap(params string[] args)
    {
        var r = CliRunner.RunAsync(args).GetAwaiter().GetResult();
        return (r.ExitCode, r.Stdout, r.Stderr);
    }

    private string Write(string name, string json)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, json);
        return path;
    }

    private static string Fc(params string[] features) => "{\"type\":\"FeatureCollection\",\"features\":[" + string.Join(",", features) + "]}";
    private static string Line(string id, string coords, string props = "") =>
        "{\"type\":\"Feature\",\"properties\":{\"id\":\"" + id + "\"" + props + "},\"geometry\":{\"type\":\"LineString\",\"coordinates\":" + coords + "}}";
    private static string Pt(string id, double x, double y, string props = "") =>
        "{\"type\":\"Feature\",\"properties\":{\"id\":\"" + id + "\"" + props + "},\"geometry\":{\"type\":\"Point\",\"coordinates\":["
        + x.ToString(System.Globalization.CultureInfo.InvariantCulture) + "," + y.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]}}";

    // S ── A ──V1── B ──V2── C ──V3── D (K, 12 households), in local metres.
    private (string Pipes, string Valves, string Sources, string Consumers) LineNetwork()
    {
        var pipes = Write("pipes.geojson", Fc(
            Line("A", "[[0,0],[10,0]]"), Line("B", "[[10,0],[20,0]]"), Line("C", "[[20,0],[30,0]]"), Line("D", "[[30,0],[40,0]]", ",\"status\":\"open\",\"kind\":\"pipe\"")));
        var valves = Write("valves.geojson", Fc(Pt("V1", 10.2, 0), Pt("V2", 20.2, 0, ",\"operable\":true"), Pt("V3", 30.2, 0, ",\"state\":\"open\"")));
        var sources = Write("sources.geojson", Fc(Pt("S", 0, 0)));
        var consumers = Write("consumers.geojson", Fc(Pt("K", 40, 0, ",\"households\":12")));
        return (pipes, valves, sources, consumers);
    }

    private static string[] Strings(JsonElement e) => e.EnumerateArray().Select(x => x.GetString()!).ToArray();

    [Fact]
    public void Segments_ListsPipesAndBoundaryValvesOfEachSegment()
    {
        var (pipes, valves, _, _) = LineNetwork();
        var (code, stdout, stderr) = Gridmap("network", "segments", "--pipes", pipes, "--valves", valves, "--crs", "local");
        Assert.True(code == 0, stderr);
        var segs = JsonDocument.Parse(stdout).RootElement.GetProperty("segments").EnumerateArray().ToArray();
        Assert.Equal(4, segs.Length);
        Assert.Equal(["A"], Strings(segs[0].GetProperty("pipes")));
        Assert.Equal(["V1"], Strings(segs[0].GetProperty("valves")));
        Assert.Equal(["C"], Strings(segs[2].GetProperty("pipes")));
        Assert.Equal(["V2", "V3"], Strings(segs[2].GetProperty("valves")));
    }

    [Fact]
    public void Isolate_WritesTheExactContract_AndABrokenValveGrowsTheSegment()
    {
        var (pipes, valves, sources, consumers) = LineNetwork();
        var (code, stdout, stderr) = Gridmap("network", "isolate", "--pipes", pipes, "--valves", valves, "--sources", sources,
            "--consumers", consumers, "--crs", "local", "--pipe", "B");
        Assert.True(code == 0, stderr);
        var r = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(["pipe", "segment_pipes", "valves_to_close", "valves_to_close_min", "valves_already_closed", "cut_off_pipes", "affected_consumers", "affected_households"],
            r.EnumerateObject().Select(p => p.Name));
        Assert.Equal("B", r.GetProperty("pipe").GetString());
        Assert.Equal(["B"], Strings(r.GetProperty("segment_pipes")));
        Assert.Equal(["V1", "V2"], Strings(r.GetProperty("valves_to_close")));
        Assert.Equal(["V1"], Strings(r.GetProperty("valves_to_close_min")));
        Assert.Equal(["C", "D"], Strings(r.GetProperty("cut_off_pipes")));
        Assert.Equal(["K"], Strings(r.GetProperty("affected_consumers")));
        Assert.Equal(12, r.GetProperty("affected_households").GetInt64());

        var (code2, stdout2, _) = Gridmap("network", "isolate", "--pipes", pipes, "--valves", valves, "--sources", sources,
            "--consumers", consumers, "--crs", "local", "--pipe", "B", "--inoperable", "V1, V2");
        Assert.Equal(0, code2);
        var r2 = JsonDocument.Parse(stdout2).RootElement;
        Assert.Equal(["A", "B", "C"], Strings(r2.GetProperty("segment_pipes")));
        Assert.Equal(["V3"], Strings(r2.GetProperty("valves_to_close")));
        Assert.Empty(Strings(r2.GetProperty("valves_to_close_min")));
    }

    [Fact]
    public void Check_ReportsFindingsWithTypeIdsAndLocationInTheInputCrs()
    {
        // WGS84 input near Zhengzhou: b stops ~0.3 m short of a's middle; the valve is ~100 m away from everything.
        var pipes = Write("p.geojson", Fc(Line("a", "[[113.6000,34.7500],[113.6010,34.7500]]"), Line("b", "[[113.6005,34.7510],[113.6005,34.750003]]")));
        var valves = Write("v.geojson", Fc(Pt("lost", 113.6005, 34.7490)));
        var (code, stdout, stderr) = Gridmap("network", "check", "--pipes", pipes, "--valves", valves, "--snap", "1");
        Assert.True(code == 0, stderr);
        var findings = JsonDocument.Parse(stdout).RootElement.GetProperty("findings").EnumerateArray().ToArray();
        var dangling = Assert.Single(findings, f => f.GetProperty("type").GetString() == "dangling_end");
        Assert.Equal(["b", "a"], Strings(dangling.GetProperty("ids")));
        var loc = dangling.GetProperty("location").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.Equal(113.6005, loc[0], 6);
        Assert.Equal(34.750003, loc[1], 6);
        Assert.Contains(findings, f => f.GetProperty("type").GetString() == "valve_not_on_pipe" && Strings(f.GetProperty("ids")).SequenceEqual(["lost"]));
    }

    // The crews issue's reproducer (local CRS, --snap 0.01): C#stub#J is shorter than the tolerance, both its ends snap to
    // the junction at (0,0), and V1 sits at distance 0 from the stub's end and from C's start.
    private (string Pipes, string Valves, string Sources, string Consumers) Reproducer(bool stubFirst, string valveProps = "")
    {
        var a = Line("A", "[[-1,0],[0,0]]");
        var b = Line("B", "[[0,0],[0,1]]");
        var stub = Line("C#stub#J", "[[0,0],[0.002,0]]");
        var c = Line("C", "[[0.002,0],[0.2,0]]");
        var pipes = Write($"repro-{stubFirst}.geojson", stubFirst ? Fc(a, b, stub, c) : Fc(a, b, c, stub));
        var valves = Write($"repro-v{valveProps.Length}.geojson", Fc(Pt("V1", 0.002, 0, valveProps)));
        return (pipes, valves, Write("repro-s.geojson", Fc(Pt("S", -1, 0))), Write("repro-k.geojson", Fc(Pt("K", 0.2, 0, ",\"households\":1"))));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Check_OnTheReproducer_InEitherOrder_PlacesV1OnC_TwoSegments_AndNoIgnoredValve(bool stubFirst)
    {
        var (pipes, valves, sources, consumers) = Reproducer(stubFirst);
        var common = new[] { "--pipes", pipes, "--valves", valves, "--sources", sources, "--consumers", consumers, "--crs", "local", "--snap", "0.01" };
        var (code, stdout, stderr) = Gridmap(["network", "check", .. common]);
        Assert.True(code == 0, stderr);
        var findings = JsonDocument.Parse(stdout).RootElement.GetProperty("findings").EnumerateArray().ToArray();
        Assert.DoesNotContain(findings, f => f.GetProperty("type").GetString() is "valve_within_segment" or "valve_ambiguous" or "valve_not_on_pipe");
        var (code2, seg, stderr2) = Gridmap(["network", "segments", .. common]);
        Assert.True(code2 == 0, stderr2);
        var segs = JsonDocument.Parse(seg).RootElement.GetProperty("segments").EnumerateArray().ToArray();
        Assert.Equal(2, segs.Length);
        Assert.Contains(segs, s => Strings(s.GetProperty("pipes")).SequenceEqual(["C"]) && Strings(s.GetProperty("valves")).SequenceEqual(["V1"]));
        var (code3, plan, _) = Gridmap(["network", "isolate", .. common, "--pipe", "C"]);
        Assert.Equal(0, code3);
        Assert.Equal(["V1"], Strings(JsonDocument.Parse(plan).RootElement.GetProperty("valves_to_close")));
    }

    [Fact]
    public void Check_OnTheReproducer_WithV1NamingTheStub_ReportsTheIgnoredValve_NamingValveAndPipe()
    {
        // The utility's data says V1 is on the stub: honoured, and since both sides of the stub are one junction the valve
        // separates nothing — the case that was silently ignored before; now a finding names it.
        var (pipes, valves, sources, consumers) = Reproducer(true, ",\"pipe\":\"C#stub#J\"");
        var (code, stdout, stderr) = Gridmap("network", "check", "--pipes", pipes, "--valves", valves, "--sources", sources, "--consumers", consumers,
            "--crs", "local", "--snap", "0.01");
        Assert.True(code == 0, stderr);
        var findings = JsonDocument.Parse(stdout).RootElement.GetProperty("findings").EnumerateArray().ToArray();
        var within = Assert.Single(findings, f => f.GetProperty("type").GetString() == "valve_within_segment");
        Assert.Equal(["V1", "C#stub#J"], Strings(within.GetProperty("ids")));
        var loc = within.GetProperty("location").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        // Located at the valve as placed: within the tolerance of its pipe's end it sits on that end's junction (0,0).
        Assert.InRange(loc[0], 0, 0.002);
        Assert.Equal(0, loc[1], 6);
    }

    [Fact]
    public void Isolate_WithOut_WritesTheFile_AndNothingOnError()
    {
        var (pipes, valves, _, _) = LineNetwork();
        var outFile = Path.Combine(_dir, "plan.json");
        var (code, stdout, _) = Gridmap("network", "isolate", "--pipes", pipes, "--valves", valves, "--crs", "local", "--pipe", "C", "--out", outFile);
        Assert.Equal(0, code);
        Assert.Equal("", stdout);
        Assert.Equal("C", JsonDocument.Parse(File.ReadAllText(outFile)).RootElement.GetProperty("pipe").GetString());

        var failed = Path.Combine(_dir, "failed.json");
        var (code2, _, err) = Gridmap("network", "isolate", "--pipes", pipes, "--crs", "local", "--pipe", "nope", "--out", failed);
        Assert.NotEqual(0, code2);
        Assert.Contains("'nope'", err);
        Assert.False(File.Exists(failed));
        Assert.Empty(Directory.GetFiles(_dir, "failed.json*"));
    }

    [Theory]
    [InlineData("unknown-valve")]
    [InlineData("no-geometry")]
    [InlineData("missing-file")]
    [InlineData("not-json")]
    [InlineData("duplicate-id")]
    public void BadInput_FailsWithAClearMessageAndNonZeroExit(string problem)
    {
        var (pipes, valves, _, _) = LineNetwork();
        string[] args = problem switch
        {
            "unknown-valve" => ["--pipes", pipes, "--valves", valves, "--inoperable", "V1,V9", "--pipe", "A"],
            "no-geometry" => ["--pipes", Write("ng.geojson", Fc("""{"type":"Feature","properties":{"id":"X"},"geometry":null}""")), "--pipe", "X"],
            "missing-file" => ["--pipes", Path.Combine(_dir, "absent.geojson"), "--pipe", "A"],
            "not-json" => ["--pipes", Write("bad.geojson", "{ not json"), "--pipe", "A"],
            "duplicate-id" => ["--pipes", Write("dup.geojson", Fc(Line("A", "[[0,0],[1,0]]"), Line("A", "[[1,0],[2,0]]"))), "--pipe", "A"],
            _ => throw new ArgumentException(problem),
        };
        var (code, stdout, err) = Gridmap(["network", "isolate", "--crs", "local", .. args]);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        var expected = problem switch
        {
            "unknown-valve" => "'V9'",
            "no-geometry" => "'X': pipe has no geometry",
            "missing-file" => "absent.geojson",
            "not-json" => "bad.geojson",
            _ => "Duplicate pipe id 'A'",
        };
        Assert.Contains(expected, err);
    }

    // ../shared/data next to the repository, or $GRIDMAP_SHARED_DATA (a git worktree lives elsewhere).
    private static string SharedData(params string[] parts) => RepoPaths.SharedData(parts);

    [Fact]
    public void Segments_OnNet3WithWntrRandomValveLayer_AreWntrs23()
    {
        // Net3 written as GeoJSON in local map units; each WNTR valve (link, node) as a point on the link 0.0005
        // units from the node, inside --snap 0.001.
        var dir = SharedData("network", "net3");
        var model = GridMap.Domain.Network.EpanetInpReader.Read(Path.Combine(dir, "Net3.inp"));
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var nodes = model.Nodes.ToDictionary(n => n.Id);
        string C(double x, double y) => "[" + x.ToString("R", inv) + "," + y.ToString("R", inv) + "]";
        var pipes = Write("net3.geojson", Fc(model.Links.Select(l =>
        {
            var pts = new List<(double X, double Y)> { (nodes[l.Node1].X, nodes[l.Node1].Y) };
            pts.AddRange(l.Vertices.Select(v => (v.X, v.Y)));
            pts.Add((nodes[l.Node2].X, nodes[l.Node2].Y));
            return Line(l.Id, "[" + string.Join(",", pts.Select(p => C(p.X, p.Y))) + "]", ",\"kind\":\"" + l.Type + "\"");
        }).ToArray()));
        var links = model.Links.ToDictionary(l => l.Id);
        var valves = File.ReadAllLines(Path.Combine(dir, "valve_layer_random.csv")).Skip(1).Select(r => r.Split(',')).Select((t, i) =>
        {
            var l = links[t[1]];
            var at = nodes[t[2]];
            var other = l.Node1 == t[2] ? (l.Vertices.Count > 0 ? (l.Vertices[0].X, l.Vertices[0].Y) : (nodes[l.Node2].X, nodes[l.Node2].Y))
                                         : (l.Vertices.Count > 0 ? (l.Vertices[^1].X, l.Vertices[^1].Y) : (nodes[l.Node1].X, nodes[l.Node1].Y));
            var len = Math.Sqrt(Math.Pow(other.Item1 - at.X, 2) + Math.Pow(other.Item2 - at.Y, 2));
            var x = at.X + (other.Item1 - at.X) * 0.0005 / len;
            var y = at.Y + (other.Item2 - at.Y) * 0.0005 / len;
            return Pt("V" + i, x, y, ",\"pipe\":\"" + t[1] + "\"");
        }).ToArray();
        var valveFile = Write("net3-valves.geojson", Fc(valves));
        var (code, stdout, stderr) = Gridmap("network", "segments", "--pipes", pipes, "--valves", valveFile, "--crs", "local", "--snap", "0.001");
        Assert.True(code == 0, stderr);
        var segs = JsonDocument.Parse(stdout).RootElement.GetProperty("segments").EnumerateArray().ToArray();
        Assert.Equal(23, segs.Length);
        // Every link lies in exactly one segment.
        var all = segs.SelectMany(s => Strings(s.GetProperty("pipes"))).ToList();
        Assert.Equal(model.Links.Count, all.Count);
        Assert.Equal(model.Links.Count, all.Distinct().Count());
    }

    [Fact]
    public void Heide_InItsOwnCrs_ChecksClean_AndWithoutValvesAnIsolationShutsEverything()
    {
        // dhnx_heide declares EPSG:4647 in its crs member: read as metres, no --crs needed.
        var dir = SharedData("network", "dhnx_heide");
        string F(string n) => Path.Combine(dir, n);
        var (code, stdout, stderr) = Gridmap("network", "check", "--pipes", F("pipes.geojson"), "--sources", F("producers.geojson"), "--consumers", F("consumers.geojson"));
        Assert.True(code == 0, stderr);
        Assert.Empty(JsonDocument.Parse(stdout).RootElement.GetProperty("findings").EnumerateArray());

        var (code2, stdout2, stderr2) = Gridmap("network", "isolate", "--pipes", F("pipes.geojson"), "--sources", F("producers.geojson"), "--consumers", F("consumers.geojson"), "--pipe", "7");
        Assert.True(code2 == 0, stderr2);
        var r = JsonDocument.Parse(stdout2).RootElement;
        Assert.Equal(333, r.GetProperty("segment_pipes").GetArrayLength());
        Assert.Empty(Strings(r.GetProperty("valves_to_close")));
        Assert.Equal(158, r.GetProperty("affected_consumers").GetArrayLength());
        Assert.Equal(0, r.GetProperty("affected_households").GetInt64()); // DHNx consumers carry no household counts
    }

    [Fact]
    public void Isolate_WithABurstPosition_IsolatesItsSegment_AndListsRequiredValvesFirst_ThenNearestFirst()
    {
        // S ── A ──V1── B ──V2── C ──V3── D (K), plus V4 on C at x = 26: C's longer part (20.2–26) is its home segment,
        // bounded by V2 and V4; a burst at x = 29 lies in the segment beyond V4 (C 26–30, up to V3 at the joint).
        var (pipes, _, sources, consumers) = LineNetwork();
        var valves = Write("valves4.geojson", Fc(Pt("V1", 10.2, 0), Pt("V2", 20.2, 0), Pt("V3", 30.2, 0), Pt("V4", 26, 0, ",\"pipe\":\"C\"")));
        string[] common = ["network", "isolate", "--pipes", pipes, "--valves", valves, "--sources", sources, "--consumers", consumers, "--crs", "local"];

        // Without a position: the home segment. V2 is required (the source's water would come back through it); V4 is
        // optional (only the consumer side lies beyond it): V2 first although V4 is nearer the pipe's middle (1 m vs 4.8 m).
        var (code, stdout, stderr) = Gridmap([.. common, "--pipe", "C"]);
        Assert.True(code == 0, stderr);
        var r = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(["V2", "V4"], Strings(r.GetProperty("valves_to_close")));
        Assert.False(r.TryGetProperty("valve_steps", out _));

        // With a position 1 m off the pipe at x = 29: the segment beyond V4. V4 (3 m, toward the source) is required and comes
        // before V3 (1.2 m, only the consumer beyond it).
        var (code2, stdout2, stderr2) = Gridmap([.. common, "--pipe", "C", "--at", "29,1"]);
        Assert.True(code2 == 0, stderr2);
        var r2 = JsonDocument.Parse(stdout2).RootElement;
        Assert.Equal(["V4", "V3"], Strings(r2.GetProperty("valves_to_close")));
        Assert.Equal(["C"], Strings(r2.GetProperty("segment_pipes")));
        Assert.Equal([29.0, 0.0], r2.GetProperty("burst").EnumerateArray().Select(x => x.GetDouble()));
        var steps = r2.GetProperty("valve_steps").EnumerateArray().ToArray();
        Assert.Equal([1, 2], steps.Select(s => s.GetProperty("order").GetInt32()));
        Assert.Equal(["V4", "V3"], steps.Select(s => s.GetProperty("id").GetString()!));
        Assert.Equal([true, false], steps.Select(s => s.GetProperty("required").GetBoolean()));
        Assert.Equal([3.0, 1.2], steps.Select(s => s.GetProperty("distance_m").GetDouble()));
        Assert.Equal([26.0, 0.0], steps[0].GetProperty("location").EnumerateArray().Select(x => x.GetDouble()));

        var (code3, _, err3) = Gridmap([.. common, "--pipe", "C", "--at", "29"]);
        Assert.Equal(1, code3);
        Assert.Contains("--at", err3);
    }

    /// <summary>
    /// The same network (the demo city's pipes and valves, exported in EPSG:4547) through the CLI and through
    /// GET /api/network/isolate: the same segment and the same valves in the same walking order, with and without a
    /// burst position.
    /// </summary>
    [PostgisFact]
    public async Task Isolate_ListsTheValvesInTheSameOrderAsTheApi()
    {
        await using var db = await DemoDatabase.CreateAsync();
        var pipes = Path.Combine(_dir, "demo-pipes.geojson");
        var valves = Path.Combine(_dir, "demo-valves.geojson");
        await File.WriteAllTextAsync(pipes, await Scalar<string>(db, """
            SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(json_build_object('type', 'Feature',
              'properties', json_build_object('id', id::text, 'status', status, 'level', level),
              'geometry', ST_AsGeoJSON(ST_Transform(geom, 4547), 9)::json) ORDER BY id))::text FROM pipe
            """));
        await File.WriteAllTextAsync(valves, await Scalar<string>(db, """
            SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(json_build_object('type', 'Feature',
              'properties', json_build_object('id', id::text, 'state', state, 'operable', operable, 'pipe', pipe_id::text),
              'geometry', ST_AsGeoJSON(ST_Transform(geom, 4547), 9)::json) ORDER BY id))::text FROM valve
            """));
        // The valve order puts required valves first, and which are required depends on where heat comes from: the CLI gets
        // the API graph's sources — the pipe ends the demo connects to its heat sources (both flows) and to its stations'
        // secondary sides (the station feeds the secondary network).
        var sources = Path.Combine(_dir, "demo-sources.geojson");
        await File.WriteAllTextAsync(sources, await Scalar<string>(db, """
            SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(json_build_object('type', 'Feature',
              'properties', json_build_object('id', 'c' || c.id),
              'geometry', ST_AsGeoJSON(ST_Transform(CASE c.pipe_end WHEN 'start' THEN ST_StartPoint(p.geom) ELSE ST_EndPoint(p.geom) END, 4547), 9)::json) ORDER BY c.id))::text
            FROM network_connection c JOIN pipe p ON p.id = c.pipe_id
            WHERE c.heat_source_id IS NOT NULL OR (c.station_id IS NOT NULL AND p.level <> 'primary')
            """));
        // Pipes over 40 m spread over the city, each with a point 2 m off a third of the way along.
        var cases = new List<(long Pipe, double Lon, double Lat)>();
        await using (var cmd = db.DataSource.CreateCommand("""
            SELECT p.id, ST_X(m), ST_Y(m) FROM pipe p,
              LATERAL (SELECT ST_Project(ST_LineInterpolatePoint(p.geom, 0.3)::geography, 2, radians(45))::geometry AS m) q
            WHERE ST_Length(p.geom::geography) > 40 ORDER BY p.id % 97, p.id LIMIT 3
            """))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) cases.Add((r.GetInt64(0), r.GetDouble(1), r.GetDouble(2)));

        var app = GridMap.Api.GridMapApp.Build(["--urls", "http://127.0.0.1:0", "--ConnectionStrings:GridMap", db.ConnectionString]);
        await app.StartAsync();
        try
        {
            using var http = await new HttpClient { BaseAddress = new Uri(app.Urls.First()) }.SignInAsync(app.Services, "cli-test-admin");
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            var compared = 0;
            foreach (var (pipe, lon, lat) in cases)
            {
                var (x, y) = GridMap.Domain.Geo.Crs.GaussKruger114.FromWgs84Point(lon, lat);
                // Each CLI run reads the whole city (~10 s): the two runs per pipe go side by side.
                var runs = new[] { false, true }.Select(withBurst =>
                {
                    string[] args = ["network", "isolate", "--pipes", pipes, "--valves", valves, "--sources", sources, "--crs", "EPSG:4547", "--pipe", pipe.ToString(inv)];
                    if (withBurst) args = [.. args, "--at", $"{x.ToString("R", inv)},{y.ToString("R", inv)}"];
                    return Task.Run(() => Gridmap(args));
                }).ToArray();
                foreach (var withBurst in new[] { false, true })
                {
                    var url = $"/api/network/isolate?pipe={pipe}" + (withBurst ? $"&lon={lon.ToString("R", inv)}&lat={lat.ToString("R", inv)}" : "");
                    var api = JsonDocument.Parse(await http.GetStringAsync(url)).RootElement;
                    var (code, stdout, stderr) = await runs[withBurst ? 1 : 0];
                    Assert.True(code == 0, stderr);
                    var cli = JsonDocument.Parse(stdout).RootElement;

                    var apiOrder = api.GetProperty("valves_to_close").EnumerateArray().Select(v => v.GetProperty("id").GetInt64().ToString(inv)).ToArray();
                    Assert.Equal(api.GetProperty("segment_pipes").EnumerateArray().Select(v => v.GetInt64().ToString(inv)), Strings(cli.GetProperty("segment_pipes")));
                    Assert.Equal(apiOrder, Strings(cli.GetProperty("valves_to_close")));
                    if (withBurst)
                    {
                        var steps = cli.GetProperty("valve_steps").EnumerateArray().ToArray();
                        Assert.Equal(apiOrder, steps.Select(s => s.GetProperty("id").GetString()!));
                        var apiDistances = api.GetProperty("valves_to_close").EnumerateArray().Select(v => v.GetProperty("distance_m").GetDouble()).ToArray();
                        for (var i = 0; i < steps.Length; i++) Assert.Equal(apiDistances[i], steps[i].GetProperty("distance_m").GetDouble(), 0.051);
                        var burst = cli.GetProperty("burst").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                        var (blon, blat) = GridMap.Domain.Geo.Crs.GaussKruger114.ToWgs84Point(burst[0], burst[1]);
                        Assert.Equal(api.GetProperty("burst")[0].GetDouble(), blon, 6);
                        Assert.Equal(api.GetProperty("burst")[1].GetDouble(), blat, 6);
                    }
                    compared += apiOrder.Length;
                }
            }
            Assert.True(compared >= 6, $"only {compared} valves compared");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task<T> Scalar<T>(TestDatabase db, string sql)
    {
        await using var cmd = db.DataSource.CreateCommand(sql);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public void Help_DescribesTheContract()
    {
        var (code, stdout, _) = Gridmap("network", "isolate", "--help");
        Assert.Equal(0, code);
        foreach (var o in new[] { "--pipes", "--valves", "--sources", "--consumers", "--crs", "--snap", "--inoperable", "--pipe", "--out" })
            Assert.Contains(o, stdout);
    }
}
