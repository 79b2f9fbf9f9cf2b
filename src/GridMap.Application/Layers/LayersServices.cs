using GridMap.Storage.Layers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GridMap.Application.Layers;

/// <summary>The map layer use cases and what they need.</summary>
public static class LayersServices
{
    public static IServiceCollection AddLayerUseCases(this IServiceCollection services)
    {
        services.TryAddSingleton(LayerCatalog.Default);
        services.TryAddSingleton<LayerStore>();
        services.TryAddSingleton<LayerQueries>();
        services.TryAddSingleton<OgcFeatures>();
        services.TryAddSingleton<TileChangeLog>();
        services.TryAddSingleton(sp => TileCacheOptions.From(sp.GetService<IConfiguration>()));
        services.TryAddSingleton<TileCache>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Pipeline.ICommitObserver, TileCache>(sp => sp.GetRequiredService<TileCache>()));
        services.TryAddSingleton<TileExport>();
        return services;
    }
}
