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
            .AddSingleton<PlanStaffing>()
            .AddSingleton<PlanPublishing>();
}
