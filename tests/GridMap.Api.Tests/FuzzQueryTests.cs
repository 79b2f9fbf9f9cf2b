using System.Net;
using CsCheck;
using GridMap.Tests.Shared;

namespace GridMap.Api.Tests;

/// <summary>
/// Fuzzing the query parameters of the API (CsCheck): random text for bbox, limit, z/x/y, ids and lon/lat always gets
/// 200 or a 4xx ProblemDetails, never a 500. Bounded to about 15 s, one client, loopback only.
/// </summary>
public sealed class FuzzQueryTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private static readonly string[] Templates =
    [
        "/api/layers/compounds/features?bbox={0}&limit={1}",
        "/api/compounds?q={0}&limit={1}",
        "/api/compounds/{0}",
        "/api/pipes/{0}",
        "/api/network/nearest?lon={0}&lat={1}&k={0}",
        "/api/network/isolate?pipe={0}&inoperable={1}",
        "/api/network/findings?bbox={0}&limit={1}",
        "/api/history?entity={0}&id={1}&limit={1}",
        "/api/planning/areas/at?lon={0}&lat={1}",
        "/tiles/compounds/{0}/{1}/{0}.mvt",
        "/tiles/{0}.json",
    ];

    private static readonly Gen<string> Value = Gen.OneOf(
        Gen.String[0, 30],
        Gen.OneOf("", "-1", "0", "1e400", "NaN", "Infinity", "113.6,34.7,113.8,34.9", "1,2,3", "a,b,c,d", "99999999999999999999",
            "-2147483649", "2147483648", "' OR 1=1 --", "%00", "%", "..%2F..", "1,2,3,4,5", "113.8,34.9,113.6,34.7", "20", "1000000"),
        Gen.Double.Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Long.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    [PostgisFact]
    public void Fuzz_QueryParameters_NeverServerError() =>
        Gen.Select(Gen.Int[0, Templates.Length - 1], Value, Value).Sample((t, a, b) =>
        {
            var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, Templates[t], Uri.EscapeDataString(a), Uri.EscapeDataString(b));
            using var r = app.Client.GetAsync(url).GetAwaiter().GetResult();
            Assert.True((int)r.StatusCode < 500, $"{url} → {(int)r.StatusCode}: {r.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
            if ((int)r.StatusCode >= 400 && r.StatusCode != HttpStatusCode.NotFound)
                Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        }, time: 15, threads: 1);
}
