using GridMap.Api.Errors;
using GridMap.Application.Campaign;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GridMap.Api.Endpoints;

public static class HealthEndpoints
{
    public static RouteGroupBuilder MapHealth(this RouteGroupBuilder api)
    {
        api.MapGet("/health", async Task<Results<Ok<HealthReport>, ProblemHttpResult>> (CampaignQueries q, CancellationToken ct) =>
        {
            try
            {
                return TypedResults.Ok(await q.HealthAsync(ct));
            }
            catch (Npgsql.NpgsqlException e)
            {
                return TypedResults.Problem(statusCode: 503, title: "数据库不可用 Database unavailable", detail: $"无法连接数据库 ({e.Message})",
                    extensions: new Dictionary<string, object?> { ["rule"] = ErrorCodes.DatabaseUnavailable });
            }
        }).WithName("Health").WithSummary("Service and database health with table counts");
        return api;
    }
}
