using System.Globalization;
using System.Text.Json;
using GridMap.Api.Network;
using GridMap.Domain.Network;
using GridMap.Storage.Layers;
using GridMap.Storage.Network;
using Npgsql;

namespace GridMap.Api.Endpoints;

/// <summary>
/// /api/network: nearest pipes for a crew on site, traces, isolation plans (with broken valves), validation
/// findings and station service areas, over the graph the <see cref="NetworkCache"/> keeps; and the topology
/// package the crew view stores for offline plans. JSON fields are snake_case, like the CLI's.
/// </summary>
public static class NetworkEndpoints
{
    public sealed record Position(double Lon, double Lat, double X4547, double Y4547);
    public sealed record NearPipe(long Id, string Level, string Flow, int Dn, double DepthM, string Material, string Status,
        double DistanceM, double? BearingDeg, double[] Closest);
    public sealed record NearestResult(Position Position, IReadOnlyList<NearPipe> Pipes);
    public sealed record TraceResponse(string Trace, long Pipe, bool CrossStations, IReadOnlyList<long> Pipes, IReadOnlyList<long> Valves,
        IReadOnlyList<long> Stations, IReadOnlyList<AffectedCompound> Compounds, long Households, double? LengthM, string? EndsAt);
    public sealed record Finding(string Type, IReadOnlyList<string> Ids, double[] Location);
    public sealed record FindingsResponse(long Version, int Total, IReadOnlyDictionary<string, int> ByType, IReadOnlyList<Finding> Findings);
    public sealed record ServiceArea(long Station, string? Name, int Compounds, long Households, IReadOnlyList<AffectedCompound>? CompoundList, IReadOnlyList<long>? Pipes);
    public sealed record NetworkStatus(long Version, int Builds, int Pipes, int Valves, int Nodes, int Edges, int Segments, int Sources, int Consumers,
        double LoadMs, double BuildMs, int BuildFindings);

    internal static readonly JsonSerializerOptions Snake = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static RouteGroupBuilder MapNetwork(this RouteGroupBuilder api)
    {
        var net = api.MapGroup("/network").WithTags("Network");
        // Built on first use from the app's data source (resolved late: test hosts swap the connection string).
        var services = ((IEndpointRouteBuilder)api).ServiceProvider;
        var cache = new Lazy<NetworkCache>(() => new NetworkCache(new NetworkStore(services.GetRequiredService<NpgsqlDataSource>()),
            services.GetRequiredService<ILogger<NetworkCache>>()));
        var locator = new Lazy<PipeLocator>(() => new PipeLocator(services.GetRequiredService<NpgsqlDataSource>()));

        net.MapGet("/status", async (CancellationToken ct) =>
        {
            var s = await cache.Value.CurrentAsync(ct);
            var g = s.Graph;
            return TypedResults.Json(new NetworkStatus(s.Version, cache.Value.Builds, g.Pipes.Count, g.Valves.Count, g.NodeCount, g.EdgeCount,
                s.Tracer.Index.SegmentCount, g.Sources.Count, g.Consumers.Count, Math.Round(s.LoadMs, 1), Math.Round(s.BuildMs, 1), g.BuildFindings.Count), Snake);
        }).WithName("NetworkStatus").WithSummary("Version of the cached network graph, its size and build time");

        net.MapGet("/nearest", async (double? lon, double? lat, int? k, CancellationToken ct) =>
        {
            if (lon is not { } x || lat is not { } y) throw new ArgumentException("lon and lat (WGS84 degrees) are required.");
            var pipes = await locator.Value.NearestAsync(x, y, k ?? 5, ct);
            var p = NetworkState.FromWgs84(x, y);
            return TypedResults.Json(new NearestResult(new Position(x, y, Math.Round(p.X, 2), Math.Round(p.Y, 2)),
                pipes.Select(n => new NearPipe(n.Id, n.Level, n.Flow, n.Dn, n.DepthM, n.Material, n.Status, Math.Round(n.DistanceM, 2),
                    double.IsNaN(n.BearingDeg) ? null : Math.Round(n.BearingDeg, 1), [n.Lon, n.Lat])).ToList()), Snake);
        }).WithName("NearestPipes").WithSummary("The k (1–50, default 5) pipes nearest a WGS84 position: distance (m), bearing (° from north), DN, depth, level");

        net.MapGet("/isolate", async (long? pipe, string? inoperable, double? lon, double? lat, bool? geometry, CancellationToken ct) =>
        {
            if (pipe is not { } id) throw new ArgumentException("pipe (the id of the pipe to isolate) is required.");
            var s = await cache.Value.CurrentAsync(ct);
            var plan = CrewPlan.Create(s, id, ParseIds(inoperable, "inoperable"), lon, lat);
            return TypedResults.Json(geometry == true ? plan.WithGeometry(s) : plan, Snake);
        }).WithName("Isolate").WithSummary("Isolation plan for a pipe: valves to close ordered by distance from the burst (lon,lat, else the pipe's middle), with inoperable=ID,ID treated as broken (geometry=true adds the lines to draw); affected compounds and households, cut-off pipes");

        net.MapGet("/trace/{kind}", async (string kind, long? pipe, bool? crossStations, CancellationToken ct) =>
        {
            if (pipe is not { } id) throw new ArgumentException("pipe (the id of the pipe to trace from) is required.");
            var s = await cache.Value.CurrentAsync(ct);
            s.PipeIndex(id);
            // Heat crosses stations: downstream of a primary pipe lie the secondary networks it feeds. Connected and
            // upstream stay in one water network unless asked.
            var cross = crossStations ?? kind == "downstream";
            var tracer = new NetworkTracer(s.Graph, new TraceOptions(RespectState: true, CrossStations: cross));
            var pid = NetworkState.Id(id);
            TraceResponse r = kind switch
            {
                "connected" => FromResult("connected", tracer.Connected(pid)),
                "downstream" => FromResult("downstream", tracer.Downstream(pid)),
                "upstream" => FromPath(tracer.Upstream(pid)),
                _ => throw new ArgumentException($"trace '{kind}' is not one of connected, upstream, downstream."),
            };
            return TypedResults.Json(r, Snake);

            TraceResponse FromResult(string name, TraceResult t)
            {
                var compounds = s.CompoundsOf(t.Consumers);
                return new TraceResponse(name, id, cross, t.Pipes.Select(NetworkState.DbId).ToList(), t.Valves.Select(NetworkState.DbId).ToList(),
                    NetworkState.StationIdsOf(t.Stations), compounds.Select(c => new AffectedCompound(c.Id, c.Name, c.Households)).ToList(),
                    compounds.Sum(c => (long)c.Households), null, null);
            }
            TraceResponse FromPath(TracePath t) =>
                new("upstream", id, cross, t.Pipes.Select(NetworkState.DbId).ToList(), t.Valves.Select(NetworkState.DbId).ToList(),
                    [], [], 0, Math.Round(t.Length, 1), t.EndsAt);
        }).WithName("Trace").WithSummary("Trace from a pipe: connected, downstream (what loses supply if it is cut) or upstream (path to the source or feeding station); crossStations passes through stations (default: only for downstream)");

        net.MapGet("/findings", async (string? bbox, string? type, int? limit, CancellationToken ct) =>
        {
            var box = bbox is null ? BoundingBox.World : BoundingBox.Parse(bbox);
            var max = limit ?? 1000;
            if (max is < 1 or > 50_000) throw new ArgumentException($"limit {max} is outside 1–50000.");
            var s = await cache.Value.CurrentAsync(ct);
            var inside = s.Findings
                .Where(f => type is null || f.Type == type)
                .Select(f => (f, p: NetworkState.ToWgs84(f.X, f.Y)))
                .Where(x => x.p.Lon >= box.MinLon && x.p.Lon <= box.MaxLon && x.p.Lat >= box.MinLat && x.p.Lat <= box.MaxLat)
                .ToList();
            var byType = inside.GroupBy(x => x.f.Type).OrderBy(x => x.Key, StringComparer.Ordinal).ToDictionary(x => x.Key, x => x.Count());
            return TypedResults.Json(new FindingsResponse(s.Version, inside.Count, byType,
                inside.Take(max).Select(x => new Finding(x.f.Type, x.f.Ids, [x.p.Lon, x.p.Lat])).ToList()), Snake);
        }).WithName("NetworkFindings").WithSummary("Validation findings (dangling ends, duplicates, crossings, valves off pipes, islands, secondary loops…) located inside a WGS84 bbox, optionally of one type");

        net.MapGet("/stations/service-areas", async (string? bbox, CancellationToken ct) =>
        {
            var box = bbox is null ? BoundingBox.World : BoundingBox.Parse(bbox);
            var s = await cache.Value.CurrentAsync(ct);
            var points = s.Snapshot.Input.Stations!.ToDictionary(x => x.Id, x => x.Location);
            var list = new List<ServiceArea>();
            foreach (var a in s.ServiceAreas)
            {
                if (NetworkIds.FlowOf(a.Station) != Domain.Model.FlowDirection.Supply || NetworkIds.DatabaseId(a.Station) is not { } sid) continue;
                var at = points[a.Station];
                var (lon, lat) = NetworkState.ToWgs84(at.X, at.Y);
                if (lon < box.MinLon || lon > box.MaxLon || lat < box.MinLat || lat > box.MaxLat) continue;
                var compounds = s.CompoundsOf(a.Consumers);
                list.Add(new ServiceArea(sid, s.Snapshot.StationNames.GetValueOrDefault((int)sid), compounds.Count, compounds.Sum(c => (long)c.Households), null, null));
            }
            return TypedResults.Json(list, Snake);
        }).WithName("StationServiceAreas").WithSummary("Every station (point inside the bbox) with the number of compounds and households its secondary network serves");

        net.MapGet("/stations/{id:long}/service-area", async (long id, CancellationToken ct) =>
        {
            var s = await cache.Value.CurrentAsync(ct);
            var mine = s.ServiceAreas.Where(a => NetworkIds.DatabaseId(a.Station) == id).ToList();
            if (mine.Count == 0) throw new KeyNotFoundException($"No station with id {id} in the network.");
            var compounds = s.CompoundsOf(mine.SelectMany(a => a.Consumers));
            var pipes = mine.SelectMany(a => a.Pipes).Select(NetworkState.DbId).Distinct().Order().ToList();
            return TypedResults.Json(new ServiceArea(id, s.Snapshot.StationNames.GetValueOrDefault((int)id), compounds.Count, compounds.Sum(c => (long)c.Households),
                compounds.Select(c => new AffectedCompound(c.Id, c.Name, c.Households)).ToList(), pipes), Snake);
        }).WithName("StationServiceArea").WithSummary("Compounds, households and secondary pipes (supply and return) a station serves");

        net.MapGet("/topology", async (HttpContext http, CancellationToken ct) =>
        {
            var s = await cache.Value.CurrentAsync(ct);
            var t = s.Topology;
            http.Response.Headers.ETag = $"\"topology-{s.Version}\"";
            http.Response.Headers.CacheControl = "no-cache";
            if (http.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
            {
                http.Response.Headers.ContentEncoding = "gzip";
                http.Response.Headers.Vary = "Accept-Encoding";
                return Results.Bytes(t.Gzip, "application/json");
            }
            return Results.Bytes(t.Json, "application/json");
        }).WithName("NetworkTopology").WithSummary("The whole network graph as int arrays (format gridmap-topology/1) for offline isolation plans in the crew view");

        return api;
    }

    /// <summary>"1,2, 3" → [1,2,3]; empty or null → []. Anything else is a 400 naming the parameter.</summary>
    internal static IReadOnlyList<long> ParseIds(string? text, string name)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var list = new List<long>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            list.Add(long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id
                : throw new ArgumentException($"{name}: '{part}' is not a valve id (expected ids separated by commas, e.g. 12,34)."));
        return list;
    }
}
