using System.Text.Json;
using GridMap.Api.Auth;
using GridMap.Api.Endpoints;
using GridMap.Application;
using GridMap.Application.Jobs;
using Scalar.AspNetCore;
using GridMap.Api.Errors;
using GridMap.Api.Hosting;
using GridMap.Storage;

namespace GridMap.Api;

/// <summary>Builds the GridMap web application: services, error handling, static client and endpoint groups.</summary>
public static class GridMapApp
{
    /// <summary>True inside the build-time OpenAPI generator (GetDocument.Insider), which starts the host without a database:
    /// nothing that needs one at start-up (the job worker, the tile fast path) is added then.</summary>
    private static bool BuildTimeDocument => System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name == "GetDocument.Insider";

    /// <summary>Builds the app. The database comes from ConnectionStrings:GridMap or GRIDMAP_DB.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, WebRootPath = FindWebRoot() });
        // The shipped defaults (appsettings.json embedded: the campaign goals) under every other source, whatever the working directory.
        if (typeof(GridMapApp).Assembly.GetManifestResourceStream("GridMap.Api.appsettings.json") is { } defaults)
            builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Json.JsonStreamConfigurationSource { Stream = defaults });
        configure?.Invoke(builder);
        // No per-request log lines from the framework ("Request starting/finished" at Information): two console lines per
        // tile cost more than serving a cached tile (docs/tiles-performance.md). Warnings and GridMap's own logs stay.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Resolved lazily so test hosts can override the connection string after Program starts.
        builder.Services.AddSingleton(sp => GridMapDatabase.Create(
            sp.GetRequiredService<IConfiguration>().GetConnectionString("GridMap") is { Length: > 0 } c ? c : GridMapDatabase.ConnectionStringFromEnvironment()));
        // Vector tiles on a pool of their own without Npgsql's per-use session reset (GridMapDatabase.CreateForTiles).
        builder.Services.AddSingleton(sp => GridMapDatabase.CreateForTiles(
            sp.GetRequiredService<IConfiguration>().GetConnectionString("GridMap") is { Length: > 0 } c ? c : GridMapDatabase.ConnectionStringFromEnvironment()));
        builder.Services.AddRequestCaller();
        builder.Services.AddSingleton(builder.Configuration.GetSection("GridMap:Reports").Get<GridMap.Application.Reports.ReportOptions>() ?? new());
        builder.Services.AddGridMapApplication();
        // Users, sign-in, route-level authorization (RouteAccess) as the fallback policy; the key is read on first use, not here.
        builder.Services.AddGridMapAuth(builder.Configuration);
        if (!BuildTimeDocument) builder.Services.AddJobWorker();
        builder.Services.AddSingleton<TileFastPath.Counter>();
        builder.Services.AddProblemDetails();
        builder.AddSecurityHeaders();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddOpenApi(o => o.AddSchemaTransformer(OpenApiConventions.RequireNonNullableProperties));
        builder.Services.AddOgcOpenApi();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
            // Numbers are numbers: no "12" accepted for 12, and the OpenAPI schemas say `number`, not `number | string`.
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        });

        var app = builder.Build();
        // Security headers on every response and the request body limit (413) before anything reads a body.
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        // A signed-in reader's vector tile is written before authorization and endpoint binding (same answer; anything else
        // goes on below). GridMap:Tiles:FastPath=false leaves it out, for the bench's A/B row (docs/tiles-performance.md).
        // Not in the build-time document generator: the middleware is made at start-up and needs the database.
        if (!BuildTimeDocument && !string.Equals(app.Configuration["GridMap:Tiles:FastPath"], "false", StringComparison.OrdinalIgnoreCase)) app.UseMiddleware<TileFastPath>();
        // Static files above stay public; everything below is authorized by RouteAccess (401/403 ProblemDetails).
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi();
        // Interactive API reference over /openapi/v1.json.
        app.MapScalarApiReference("/docs", o => o.WithTitle("GridMap API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));

        // Groups; what each needs (public, signed in, a permission for reads and for writes) is the table in Auth/RouteAccess.cs.
        app.MapGroup("/api").WithTags("Map").MapHealth().MapConfig().MapLayers().MapCampaign().MapStats().MapNetwork().MapFieldRecords();
        app.MapGroup("/api/auth").WithTags("Auth").MapAuth();
        app.MapGroup("/api").WithTags("History").MapHistory();
        app.MapGroup("/api").WithTags("Staff").MapStaffWork();
        app.MapGroup("/api").WithTags("Reports").MapReports();
        app.MapGroup("/tiles").WithTags("Tiles").MapTiles();
        app.MapGroup("/ogc").WithTags("OGC API Features").MapOgc();
        app.MapPlanning();
        app.MapGet("/styles.json", () => Results.Text(EmbeddedText("styles.json") ?? "{}", "application/json"))
            .WithTags("Map").WithName("StylePalette").WithSummary("Shared style palette (retrofit status colours, pipe classes): the static file tiles/styles.json");
        return app;
    }

    /// <summary>src/GridMap.Api/wwwroot (built by the web client) found from the binary's location or GRIDMAP_WEBROOT.</summary>
    private static string? FindWebRoot()
    {
        if (Environment.GetEnvironmentVariable("GRIDMAP_WEBROOT") is { Length: > 0 } env) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "GridMap.Api", "wwwroot");
            if (Directory.Exists(candidate)) return candidate;
            if (File.Exists(Path.Combine(dir.FullName, "GridMap.sln"))) break;
        }
        return null;
    }

    private static string? EmbeddedText(string name)
    {
        using var s = typeof(GridMapApp).Assembly.GetManifestResourceStream("GridMap.Api." + name);
        if (s is null) return null;
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}
