using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using GridMap.Api.Endpoints;
using GridMap.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GridMap.Api.Tests;

/// <summary>The demo city with the tile cache on (for the fast-path comparison).</summary>
public sealed class TileFastPathFixture : AppFixture
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => DemoDatabase.CreateAsync();
    protected override void ConfigureApp(IWebHostBuilder builder) => builder.UseSetting("GridMap:Tiles:CacheDir", "none");
}

/// <summary>
/// The tile fast path (TileFastPath, on by default) answers exactly what the normal pipeline answers: the same app over the
/// same database with <c>GridMap:Tiles:FastPath=false</c> is asked the same requests — a tile gzip'd and plain, a matching
/// (strong and weak) and a stale If-None-Match, an empty tile, no token, a bad token, an unknown layer, a tile outside its
/// zoom — and status, tile headers, security headers, bodies and ProblemDetails rules must agree; the fast path itself
/// answered every signed-in tile and nothing else.
/// </summary>
public sealed class TileFastPathTests(TileFastPathFixture api) : IClassFixture<TileFastPathFixture>
{
    private static (int X, int Y) TileOf(double lon, double lat, int z)
    {
        var n = 1 << z;
        var r = lat * Math.PI / 180;
        return ((int)((lon + 180) / 360 * n), (int)((1 - Math.Log(Math.Tan(r) + 1 / Math.Cos(r)) / Math.PI) / 2 * n));
    }

    private sealed record Answer(HttpStatusCode Status, string Headers, byte[] Body, string? Rule);

    private static async Task<Answer> SendAsync(HttpClient client, string url, AuthenticationHeaderValue? auth, string? acceptEncoding = null, string? ifNoneMatch = null)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, url);
        req.Headers.Authorization = auth;
        if (acceptEncoding is not null) req.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        if (ifNoneMatch is not null) req.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        using var res = await client.SendAsync(req);
        var body = await res.Content.ReadAsByteArrayAsync();
        string? rule = null;
        if (res.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            rule = JsonDocument.Parse(body).RootElement.GetProperty("rule").GetString();
            body = []; // traceId differs between two apps
        }
        string H(string name) => res.Headers.TryGetValues(name, out var v) || res.Content.Headers.TryGetValues(name, out v) ? string.Join(",", v) : "-";
        var headers = string.Join(" | ", new[] { "Content-Type", "Content-Encoding", "Content-Length", "ETag", "Cache-Control", "Vary", "WWW-Authenticate",
            "Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options" }.Select(n => $"{n}: {H(n)}"));
        return new Answer(res.StatusCode, headers, body, rule);
    }

    [PostgisFact]
    public async Task FastPath_AnswersExactlyAsTheNormalPipeline_AndOnlySignedInTiles()
    {
        await using var normal = api.Factory.WithWebHostBuilder(b => b.UseSetting("GridMap:Tiles:FastPath", "false"));
        using var normalClient = normal.CreateClient();
        // Clients without a default token: each request carries its own (or none).
        using var fast = api.Factory.CreateClient();
        var auth = api.Client.DefaultRequestHeaders.Authorization;
        Assert.NotNull(auth);
        var counter = api.Factory.Services.GetRequiredService<TileFastPath.Counter>();

        var (x, y) = TileOf(113.66, 34.76, 14);
        var tile = $"/tiles/compounds/14/{x}/{y}.mvt";
        var gz = await SendAsync(fast, tile, auth, "gzip, deflate, br");
        Assert.Equal(HttpStatusCode.OK, gz.Status);
        var etag = gz.Headers.Split(" | ").Single(h => h.StartsWith("ETag: ", StringComparison.Ordinal))["ETag: ".Length..];
        var before = counter.Served;

        var cases = new (string What, string Url, AuthenticationHeaderValue? Auth, string? Encoding, string? IfNoneMatch, HttpStatusCode Expected, bool Served)[]
        {
            ("gzip", tile, auth, "gzip, deflate, br", null, HttpStatusCode.OK, true),
            ("plain", tile, auth, null, null, HttpStatusCode.OK, true),
            ("gzip refused", tile, auth, "gzip;q=0, br", null, HttpStatusCode.OK, true),
            ("matching ETag", tile, auth, "gzip", etag, HttpStatusCode.NotModified, true),
            ("weak matching ETag", tile, auth, "gzip", "\"x\", W/" + etag, HttpStatusCode.NotModified, true),
            ("stale ETag", tile, auth, "gzip", "\"0000\"", HttpStatusCode.OK, true),
            ("empty tile", "/tiles/compounds/14/0/0.mvt", auth, "gzip", null, HttpStatusCode.NoContent, true),
            ("no token", tile, null, "gzip", null, HttpStatusCode.Unauthorized, false),
            ("bad token", tile, new AuthenticationHeaderValue("Bearer", "not-a-token"), "gzip", null, HttpStatusCode.Unauthorized, false),
            ("unknown layer", "/tiles/nosuchlayer/14/0/0.mvt", auth, "gzip", null, HttpStatusCode.NotFound, false),
            ("outside its zoom", "/tiles/compounds/3/9/9.mvt", auth, "gzip", null, HttpStatusCode.BadRequest, false),
        };
        var served = 0;
        foreach (var c in cases)
        {
            var a = await SendAsync(fast, c.Url, c.Auth, c.Encoding, c.IfNoneMatch);
            var b = await SendAsync(normalClient, c.Url, c.Auth, c.Encoding, c.IfNoneMatch);
            Assert.True(c.Expected == a.Status, $"{c.What}: fast path answered {a.Status}, expected {c.Expected}");
            Assert.True(b.Status == a.Status, $"{c.What}: normal pipeline {b.Status}, fast path {a.Status}");
            Assert.True(b.Headers == a.Headers, $"{c.What}: headers differ\n normal: {b.Headers}\n fast:   {a.Headers}");
            Assert.True(b.Body.AsSpan().SequenceEqual(a.Body), $"{c.What}: bodies differ ({b.Body.Length} B vs {a.Body.Length} B)");
            Assert.Equal(b.Rule, a.Rule);
            if (c.Served) served++;
        }
        Assert.Equal(served, counter.Served - before);
        Assert.Equal(0, normal.Services.GetRequiredService<TileFastPath.Counter>().Served);
    }
}
