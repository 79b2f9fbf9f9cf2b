using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Api.Hosting;
using GridMap.Tests.Shared;

namespace GridMap.Api.Tests;

/// <summary>Every response — success, 401, 404, ProblemDetails — carries the security headers; a body over its route's
/// limit is a 413 ProblemDetails naming the limit, whether the client declared its length or streamed it chunked.</summary>
public sealed class SecurityHeadersTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private static void AssertSecurityHeaders(HttpResponseMessage res, bool docs = false)
    {
        var csp = Assert.Single(res.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.Equal(docs ? SecurityHeaders.DocsPolicy : SecurityHeaders.AppPolicy(null), csp);
        Assert.Equal("nosniff", Assert.Single(res.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(res.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(res.Headers.GetValues("Referrer-Policy")));
    }

    [PostgisFact]
    public async Task EveryKindOfResponse_CarriesTheSecurityHeaders()
    {
        using var anon = app.AnonymousClient();
        var health = await anon.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        AssertSecurityHeaders(health);

        var unauthorized = await anon.GetAsync("/api/layers");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        AssertSecurityHeaders(unauthorized);

        var notFound = await app.Client.GetAsync("/api/compounds/999999");
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        AssertSecurityHeaders(notFound);

        var tile = await app.Client.GetAsync("/tiles/compounds/14/13364/6503.mvt");
        Assert.Equal(HttpStatusCode.OK, tile.StatusCode);
        AssertSecurityHeaders(tile);

        var docs = await anon.GetAsync("/docs");
        Assert.True(docs.IsSuccessStatusCode, $"/docs answered {(int)docs.StatusCode}");
        AssertSecurityHeaders(docs, docs: true);
    }

    [Fact]
    public void AppPolicy_AllowsAConfiguredBasemapOriginForImagesOnly()
    {
        var csp = SecurityHeaders.AppPolicy("http://tiles.local:8080/{z}/{x}/{y}.png");
        Assert.Contains("img-src 'self' data: blob: http://tiles.local:8080;", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src 'self' http", csp, StringComparison.Ordinal);
        Assert.Equal(SecurityHeaders.AppPolicy(null), SecurityHeaders.AppPolicy("javascript:alert(1)"));
    }

    private static async Task AssertTooLarge(HttpResponseMessage res, long limit)
    {
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, res.StatusCode);
        Assert.Equal("application/problem+json", res.Content.Headers.ContentType?.MediaType);
        var body = await res.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(SecurityHeaders.BodyTooLargeRule, body.GetProperty("rule").GetString());
        Assert.Equal(limit, body.GetProperty("limit").GetInt64());
        Assert.Contains(limit.ToString(System.Globalization.CultureInfo.InvariantCulture), body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        AssertSecurityHeaders(res);
    }

    [PostgisFact]
    public async Task BodyOverTheJsonLimit_Is413NamingTheLimit_DeclaredOrChunked()
    {
        var limit = new BodyLimits().JsonBodyBytes;
        var big = "{\"username\":\"" + new string('x', (int)limit) + "\",\"password\":\"p\"}";
        using var anon = app.AnonymousClient();
        await AssertTooLarge(await anon.PostAsync("/api/auth/token", new StringContent(big, System.Text.Encoding.UTF8, "application/json")), limit);
        await AssertTooLarge(await app.Client.PutAsync("/api/planning/plans/1/compounds/1", new StringContent(big, System.Text.Encoding.UTF8, "application/json")), limit);

        var chunked = new ChunkedContent(System.Text.Encoding.UTF8.GetBytes(big));
        await AssertTooLarge(await anon.PostAsync("/api/auth/token", chunked), limit);

        // Under the limit, a chunked body reaches the endpoint whole (a wrong password: 401, not 400 or 413).
        var small = new ChunkedContent(System.Text.Encoding.UTF8.GetBytes("{\"username\":\"test-admin\",\"password\":\"wrong-password-1\"}"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await anon.PostAsync("/api/auth/token", small)).StatusCode);
    }

    /// <summary>A body whose length is not declared (Transfer-Encoding: chunked).</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] _bytes;
        public ChunkedContent(byte[] bytes) { _bytes = bytes; Headers.ContentType = new MediaTypeHeaderValue("application/json"); }
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(_bytes).AsTask();
        protected override bool TryComputeLength(out long length) { length = 0; return false; }
    }
}
