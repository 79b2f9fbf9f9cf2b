using Microsoft.Extensions.DependencyInjection;

namespace GridMap.Application.Layers;

/// <summary>The Layers use cases and what they need.</summary>
public static class LayersServices
{
    public static IServiceCollection AddLayerUseCases(this IServiceCollection services)
    {
        return services;
    }
}
