namespace GridMap.Api;

/// <summary>Builds the GridMap web application: services, error handling and endpoint groups.</summary>
public static class GridMapApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapGet("/api/health", () => TypedResults.Ok(new { status = "ok" }));
        return app;
    }
}
