namespace GridMap.Api.Endpoints;

/// <summary>Client settings: initial view and an optional XYZ raster basemap (setting GridMap:BasemapUrl).</summary>
public static class ConfigEndpoints
{
    public sealed record ClientConfig(string? BasemapUrl, double[] Center, int Zoom, double[] Extent);

    public static RouteGroupBuilder MapConfig(this RouteGroupBuilder api)
    {
        api.MapGet("/config", (IConfiguration config) => TypedResults.Ok(new ClientConfig(
            config["GridMap:BasemapUrl"] is { Length: > 0 } url ? url : null,
            [113.66, 34.76], 12, [113.45, 34.60, 113.90, 34.95])))
            .WithName("ClientConfig").WithSummary("Initial map view and optional basemap URL");
        return api;
    }
}
