using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using GridMap.Application.Layers;
using GridMap.Tests.Shared;

namespace GridMap.Api.Tests;

/// <summary>
/// The OpenAPI document is the contract the web client's types are generated from: every JSON operation must
/// describe its 2xx body, and bodies assembled as text in PostGIS must match the record that documents them.
/// </summary>
public class OpenApiContractTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    /// <summary>Operations that answer binary or static content (no JSON schema to give).</summary>
    private static readonly HashSet<string> NotJson = ["Tile", "NetworkTopology", "StylePalette", "CoverageMapPdf", "CoverageMapPng", "NoticeBoardPdf", "ProgressWorkbook"];

    [PostgisFact]
    public async Task OpenApi_AtLeast95PercentOfJsonOperations_HaveATyped2xxSchema()
    {
        var doc = JsonDocument.Parse(await api.Client.GetStringAsync("/openapi/v1.json")).RootElement;
        var ops = new List<(string Id, bool Typed)>();
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
            foreach (var op in path.Value.EnumerateObject())
            {
                var id = op.Value.TryGetProperty("operationId", out var o) ? o.GetString()! : $"{op.Name} {path.Name}";
                if (NotJson.Contains(id)) continue;
                var typed = op.Value.TryGetProperty("responses", out var responses) && responses.EnumerateObject()
                    .Where(r => r.Name.StartsWith('2'))
                    .Any(r => r.Value.TryGetProperty("content", out var content) && content.EnumerateObject().Any(c => c.Value.TryGetProperty("schema", out _)));
                ops.Add((id, typed));
            }
        var untyped = ops.Where(o => !o.Typed).Select(o => o.Id).ToList();
        Assert.True(ops.Count > 30, $"only {ops.Count} operations in the document");
        Assert.True(untyped.Count <= ops.Count * 0.05, $"{untyped.Count} of {ops.Count} JSON operations have no typed 2xx schema: {string.Join(", ", untyped)}");
    }

    [PostgisFact]
    public async Task LayerFeatures_BodyMatchesTheDocumentedRecord_WithNoExtraMembers()
    {
        var body = await api.Client.GetStringAsync("/api/layers/compounds/features?limit=2");
        var strict = new JsonSerializerOptions { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true };
        var page = JsonSerializer.Deserialize<GeoJsonFeaturePage>(body, strict)!;
        Assert.Equal("FeatureCollection", page.Type);
        Assert.Equal(2, page.NumberReturned);
        Assert.True(page.Truncated);
        Assert.All(page.Features, f => Assert.Equal("Polygon", f.Geometry.Type));
        Assert.All(page.Features, f => Assert.True(f.Properties.ContainsKey("retrofit_status")));
    }

    [PostgisFact]
    public async Task Docs_ServesTheInteractiveReference()
    {
        var res = await api.Client.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Contains("openapi/v1.json", await res.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
