using Microsoft.Extensions.DependencyInjection;

namespace GridMap.Application.Planning;

/// <summary>The Planning use cases and what they need.</summary>
public static class PlanningServices
{
    public static IServiceCollection AddPlanningUseCases(this IServiceCollection services)
    {
        return services;
    }
}
