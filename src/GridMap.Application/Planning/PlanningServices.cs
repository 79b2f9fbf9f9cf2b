using GridMap.Storage.Planning;
using Microsoft.Extensions.DependencyInjection;

namespace GridMap.Application.Planning;

/// <summary>The Planning use cases and what they need: queries over the host's <c>NpgsqlDataSource</c> (repositories
/// are static and run in the <see cref="Pipeline.WritePipeline"/>'s session).</summary>
public static class PlanningServices
{
    public static IServiceCollection AddPlanningUseCases(this IServiceCollection services) =>
        services
            .AddSingleton<AreaQueries>()
            .AddSingleton<PlanQueries>()
            .AddSingleton<PlanReading>()
            .AddSingleton<PlanPartitioner>()
            .AddSingleton<PlanEditing>()
            .AddSingleton<PlanMoves>()
            .AddSingleton<PlanStaffing>()
            .AddSingleton<PlanPublishing>()
            .AddSingleton<PlanVersions>()
            // The body of a 412 on a plan: the plan as GET /api/planning/plans/{id} answers it.
            .AddSingleton(sp => new Pipeline.ResourceReader("plan", async (id, ct) => await sp.GetRequiredService<PlanQueries>().PlanAsync(id, ct)));
}
