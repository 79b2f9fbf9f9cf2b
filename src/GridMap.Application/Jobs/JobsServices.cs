using Microsoft.Extensions.DependencyInjection;

namespace GridMap.Application.Jobs;

/// <summary>The Jobs use cases and what they need.</summary>
public static class JobsServices
{
    public static IServiceCollection AddJobUseCases(this IServiceCollection services)
    {
        return services;
    }
}
