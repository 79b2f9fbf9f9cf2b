using Microsoft.Extensions.DependencyInjection;

namespace GridMap.Application.Network;

/// <summary>The Network use cases and what they need.</summary>
public static class NetworkServices
{
    public static IServiceCollection AddNetworkUseCases(this IServiceCollection services)
    {
        return services;
    }
}
