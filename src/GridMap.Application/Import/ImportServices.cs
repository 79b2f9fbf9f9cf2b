using GridMap.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GridMap.Application.Import;

/// <summary>The import use cases and what they need.</summary>
public static class ImportServices
{
    public static IServiceCollection AddImportUseCases(this IServiceCollection services)
    {
        services.TryAddSingleton<ImportStore>();
        services.TryAddSingleton<FeatureImports>();
        return services;
    }
}
