using GridMap.Storage.Stats;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GridMap.Application.Stats;

/// <summary>The progress dashboard's use cases and what they need (the goals from <c>GridMap:Campaign</c>).</summary>
public static class StatsServices
{
    public static IServiceCollection AddStatsUseCases(this IServiceCollection services)
    {
        services.TryAddSingleton<ProgressStore>();
        services.TryAddSingleton(sp => CampaignTargets.From(sp.GetService<IConfiguration>()));
        services.TryAddSingleton<ProgressQueries>();
        return services;
    }
}
