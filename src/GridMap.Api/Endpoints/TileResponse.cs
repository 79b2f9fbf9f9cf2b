using GridMap.Api.Auth;
using GridMap.Application.Auth;
using GridMap.Application.Layers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Primitives;

namespace GridMap.Api.Endpoints;

/// <summary>
/// How a vector tile is written (the Tile endpoint and <see cref="TileFastPath"/> share it): <c>Cache-Control: no-cache</c>,
/// the strong ETag, <c>Vary: Accept-Encoding</c>; 304 when <c>If-None-Match</c> names the ETag, 204 for an empty tile,
/// else the gzip'd bytes as they are (<c>Content-Encoding: gzip</c>) when the client accepts gzip, the MVT itself when not.
/// Header values are made once; Accept-Encoding and If-None-Match are read without building strings.
/// </summary>
public static class TileResponse
{
    public const string EndpointName = "Tile";
    public const string ContentType = "application/vnd.mapbox-vector-tile";

    /// <summary>Endpoint metadata marking the Tile endpoint (what <see cref="TileFastPath"/> looks for).</summary>
    public static readonly TileEndpointMarker Marker = new();

    private static readonly StringValues NoCache = "no-cache";
    private static readonly StringValues VaryEncoding = "Accept-Encoding";
    private static readonly StringValues Gzip = "gzip";

    public static Task WriteAsync(HttpContext http, TileBody tile)
    {
        var response = http.Response;
        var headers = response.Headers;
        headers.CacheControl = NoCache;
        headers.ETag = tile.ETag;
        headers.Vary = VaryEncoding;
        var request = http.Request.Headers;
        if (IfNoneMatch(request.IfNoneMatch, tile.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        if (tile.IsEmpty)
        {
            response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }
        byte[] body;
        if (AcceptsGzip(request.AcceptEncoding))
        {
            headers.ContentEncoding = Gzip;
            body = tile.Gzip;
        }
        else
        {
            body = tile.Decompress();
        }
        response.ContentType = ContentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, 0, body.Length, http.RequestAborted);
    }

    /// <summary>True when an If-None-Match value is <c>*</c> or names <paramref name="etag"/> (strong or W/).</summary>
    public static bool IfNoneMatch(StringValues values, string etag)
    {
        foreach (var value in values)
        {
            var rest = (value ?? "").AsSpan();
            while (rest.Length > 0)
            {
                var comma = rest.IndexOf(',');
                var part = (comma < 0 ? rest : rest[..comma]).Trim();
                rest = comma < 0 ? default : rest[(comma + 1)..];
                if (part.StartsWith("W/", StringComparison.Ordinal)) part = part[2..];
                if (part is "*" || part.SequenceEqual(etag)) return true;
            }
        }
        return false;
    }

    /// <summary>True when Accept-Encoding lists gzip without refusing it (<c>gzip;q=0</c>).</summary>
    public static bool AcceptsGzip(StringValues values)
    {
        foreach (var value in values)
        {
            var rest = (value ?? "").AsSpan();
            while (rest.Length > 0)
            {
                var comma = rest.IndexOf(',');
                var part = comma < 0 ? rest : rest[..comma];
                rest = comma < 0 ? default : rest[(comma + 1)..];
                var semi = part.IndexOf(';');
                if (!(semi < 0 ? part : part[..semi]).Trim().Equals("gzip", StringComparison.OrdinalIgnoreCase)) continue;
                if (semi < 0) return true;
                // "gzip;q=0" (q=0, 0.0, 0.00, 0.000, spaces allowed) refuses it.
                var q = part[(semi + 1)..].Trim();
                Span<char> compact = stackalloc char[q.Length];
                var n = 0;
                foreach (var c in q) if (c != ' ') compact[n++] = c;
                return compact[..n] is not ("q=0" or "q=0.0" or "q=0.00" or "q=0.000");
            }
        }
        return false;
    }
}

/// <summary>Marks the Tile endpoint (<see cref="TileResponse.Marker"/>).</summary>
public sealed class TileEndpointMarker;

/// <summary>
/// Serves a vector tile to a signed-in reader before authorization, endpoint binding and result execution run: when routing
/// chose the Tile endpoint and the caller authenticates (<see cref="GridMapAuthHandler"/>, the same token and user checks)
/// with the permission <see cref="RouteAccess"/> gives that route, the tile is written here (<see cref="TileResponse"/>,
/// the same answer the endpoint gives). Everything else — no or a bad token, a role without the permission, another
/// route — goes on down the normal pipeline, which answers 401/403 ProblemDetails as before. Errors (unknown layer, tile
/// outside its zoom) throw into the same exception handler. <c>GridMap:Tiles:FastPath=false</c> leaves it out (benchmarks).
/// </summary>
public sealed class TileFastPath(RequestDelegate next, LayerQueries tiles, TileFastPath.Counter counter)
{
    /// <summary>Tiles the fast path answered (diagnostics and tests: the normal pipeline answers the rest).</summary>
    public sealed class Counter
    {
        private long _served;
        public long Served => Interlocked.Read(ref _served);
        internal void Add() => Interlocked.Increment(ref _served);
    }

    public async Task InvokeAsync(HttpContext http)
    {
        var endpoint = http.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<TileEndpointMarker>() is null || !HttpMethods.IsGet(http.Request.Method))
        {
            await next(http);
            return;
        }
        var signIn = await http.AuthenticateAsync(GridMapAuthHandler.SchemeName);
        var role = signIn.Succeeded ? signIn.Principal.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value : null;
        if (role is null || !Permissions.Allows(role, RouteAccess.Need(endpoint, http.Request.Path.Value ?? "/", http.Request.Method)))
        {
            await next(http);
            return;
        }
        http.User = signIn.Principal!;
        var values = http.Request.RouteValues;
        var tile = await tiles.TileBodyAsync((string)values["layer"]!, Int(values["z"]), Int(values["x"]), Int(values["y"]), http.RequestAborted);
        counter.Add();
        await TileResponse.WriteAsync(http, tile);
    }

    private static int Int(object? value) => value switch
    {
        int i => i,
        string s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new ArgumentException("tile address is not a number"),
    };
}
