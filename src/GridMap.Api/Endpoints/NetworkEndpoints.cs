using GridMap.Application.Network;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GridMap.Api.Endpoints;

/// <summary>
/// /api/network: the crew's network queries (<see cref="NetworkQueries"/>). Each endpoint binds its query, turns it
/// into a typed request (bad values are a 400 naming the parameter) and returns the use case's record. JSON members
/// are snake_case, named on the records themselves, so /openapi/v1.json describes exactly what is sent.
/// </summary>
public static class NetworkEndpoints
{
    public static RouteGroupBuilder MapNetwork(this RouteGroupBuilder api)
    {
        var net = api.MapGroup("/network").WithTags("Network");

        net.MapGet("/status", async Task<Ok<NetworkStatus>> (NetworkQueries q, CancellationToken ct) =>
            TypedResults.Ok(await q.StatusAsync(ct)))
            .WithName("NetworkStatus").WithSummary("Version of the cached network graph, its size and build time");

        net.MapGet("/nearest", async Task<Ok<NearestPipes>> (double? lon, double? lat, int? k, NetworkQueries q, CancellationToken ct) =>
        {
            if (lon is not { } x || lat is not { } y) throw new ArgumentException("lon 与 lat（WGS84 经纬度）必须给出 (lon and lat, WGS84 degrees, are required).");
            return TypedResults.Ok(await q.NearestAsync(new NearestRequest(new LonLat(x, y), k ?? NearestRequest.DefaultK), ct));
        }).WithName("NearestPipes").WithSummary("The k (1–50, default 5) pipes nearest a WGS84 position: distance (m), bearing (° from north), DN, depth, level")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        net.MapGet("/isolate", async Task<Ok<CrewPlan>> (long? pipe, string? inoperable, double? lon, double? lat, double? crewLon, double? crewLat, bool? geometry, NetworkQueries q, CancellationToken ct) =>
        {
            if (pipe is not { } id) throw new ArgumentException("pipe 必须给出：要关阀隔离的管道编号 (pipe, the id of the pipe to isolate, is required).");
            var request = new IsolateRequest(id, IsolateRequest.ParseIds(inoperable, "inoperable"), LonLat.FromOptional(lon, lat), geometry == true)
            {
                Crew = crewLon is { } cx && crewLat is { } cy ? new LonLat(cx, cy) : null,
            };
            return TypedResults.Ok(await q.IsolateAsync(request, ct));
        }).WithName("Isolate").WithSummary("Isolation plan for a pipe: valves to close, required ones first, then nearest the crew (crewLon,crewLat) or the burst (lon,lat, else the pipe's middle), with inoperable=ID,ID treated as broken (geometry=true adds the lines to draw); affected compounds and households, cut-off pipes")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        net.MapGet("/trace/{kind}", async Task<Ok<NetworkTrace>> (string kind, long? pipe, bool? crossStations, NetworkQueries q, CancellationToken ct) =>
        {
            var k = TraceRequest.ParseKind(kind);
            if (pipe is not { } id) throw new ArgumentException("pipe 必须给出：追踪起点管道编号 (pipe, the id of the pipe to trace from, is required).");
            return TypedResults.Ok(await q.TraceAsync(new TraceRequest(k, id, crossStations), ct));
        }).WithName("Trace").WithSummary("Trace from a pipe: connected, downstream (what loses supply if it is cut) or upstream (path to the source or feeding station); crossStations passes through stations (default: only for downstream)")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        net.MapGet("/findings", async Task<Ok<FindingsReport>> (string? bbox, string? type, int? limit, NetworkQueries q, CancellationToken ct) =>
            TypedResults.Ok(await q.FindingsAsync(new FindingsRequest(NetworkBox.Parse(bbox), type, limit ?? FindingsRequest.DefaultLimit), ct)))
            .WithName("NetworkFindings").WithSummary("Validation findings (dangling ends, duplicates, crossings, valves off pipes, islands, secondary loops…) located inside a WGS84 bbox, optionally of one type")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        net.MapGet("/stations/service-areas", async Task<Ok<IReadOnlyList<ServiceArea>>> (string? bbox, NetworkQueries q, CancellationToken ct) =>
            TypedResults.Ok(await q.ServiceAreasAsync(NetworkBox.Parse(bbox), ct)))
            .WithName("StationServiceAreas").WithSummary("Every station (point inside the bbox) with the number of compounds and households its secondary network serves")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        net.MapGet("/stations/{id:long}/service-area", async Task<Ok<ServiceArea>> (long id, NetworkQueries q, CancellationToken ct) =>
            TypedResults.Ok(await q.ServiceAreaAsync(id, ct)))
            .WithName("StationServiceArea").WithSummary("Compounds, households and secondary pipes (supply and return) a station serves")
            .ProducesProblem(StatusCodes.Status404NotFound);

        net.MapPost("/valves/{id:long}/reports", async Task<Created<ValveReport>> (long id, ValveReportRequest body, ValveReports uc, CancellationToken ct) =>
        {
            var r = await uc.RecordAsync(id, body, ct);
            return TypedResults.Created($"/api/network/valves/{id}/reports", r);
        }).WithName("ReportValve").WithSummary("A crew's field record on a valve (seized, broken, buried, found_closed, found_open, repaired), with the phone's position and accuracy: every later isolation plan uses it (field.record, in the caller's branch; audited)")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        net.MapGet("/valves/{id:long}/reports", async Task<Ok<IReadOnlyList<ValveReport>>> (long id, ValveReports uc, CancellationToken ct) =>
            TypedResults.Ok(await uc.ListAsync(id, ct)))
            .WithName("ValveReports").WithSummary("The field records of a valve, newest first (the first is the one in force unless it says repaired)")
            .ProducesProblem(StatusCodes.Status404NotFound);

        // The one response not serialized per request: the document is built and gzipped once per network version and
        // sent as bytes. Its schema is declared here (TopologyDocument, the record those bytes are serialized from).
        // With bbox: the package of that area only (AreaTopology; docs/crew.md). If-None-Match with the ETag the
        // client stored answers 304 while the network has not changed: a refresh downloads nothing.
        net.MapGet("/topology", async Task<IResult> (HttpContext http, string? bbox, NetworkQueries q, CancellationToken ct) =>
        {
            http.Response.Headers.CacheControl = "no-cache";
            byte[] json, gzip;
            string etag;
            if (bbox is null)
            {
                var t = await q.TopologyAsync(ct);
                (json, gzip, etag) = (t.Json, t.Gzip, $"\"topology-{t.Version}\"");
            }
            else
            {
                var box = NetworkBox.Parse(bbox);
                etag = await q.AreaTopologyETagAsync(box, ct);
                if (http.Request.Headers.IfNoneMatch.ToString() == etag)
                {
                    http.Response.Headers.ETag = etag;
                    return TypedResults.StatusCode(StatusCodes.Status304NotModified);
                }
                (json, gzip, etag, _) = await q.AreaTopologyAsync(box, ct);
            }
            http.Response.Headers.ETag = etag;
            if (http.Request.Headers.IfNoneMatch.ToString() == etag) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
            if (http.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
            {
                http.Response.Headers.ContentEncoding = "gzip";
                http.Response.Headers.Vary = "Accept-Encoding";
                return TypedResults.Bytes(gzip, "application/json");
            }
            return TypedResults.Bytes(json, "application/json");
        }).WithName("NetworkTopology").WithSummary("The network graph as int arrays (format gridmap-topology/1) for offline isolation plans in the crew view: the whole city, or with bbox=minLon,minLat,maxLon,maxLat the package of that area (its segments in full, the rest as supply zones); 304 on If-None-Match with the current ETag")
            .Produces<TopologyDocument>(StatusCodes.Status200OK, "application/json").Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status400BadRequest);

        net.MapGet("/topology/summary", async Task<Ok<TopologySummary>> (string? bbox, NetworkQueries q, CancellationToken ct) =>
        {
            if (bbox is null) throw new ArgumentException("bbox 必须给出：minLon,minLat,maxLon,maxLat (bbox, WGS84, is required).");
            return TypedResults.Ok(await q.AreaTopologySummaryAsync(NetworkBox.Parse(bbox), ct));
        }).WithName("NetworkTopologySummary").WithSummary("Size of the offline package of an area before download (bytes, gzipped bytes, pipes, valves) beside the whole city's, and the ETag it will have")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        return api;
    }
}
