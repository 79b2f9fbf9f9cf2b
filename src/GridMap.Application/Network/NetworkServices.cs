using GridMap.Storage.Network;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GridMap.Application.Network;

/// <summary>The Network use cases and what they need.</summary>
public static class NetworkServices
{
    /// <summary>
    /// <see cref="NetworkQueries"/> over one <see cref="NetworkCache"/> per process (the built graph is shared by every
    /// request) and the PostGIS readers. Singletons resolved on first use, so a test host can still swap the
    /// connection string behind the <c>NpgsqlDataSource</c> before then.
    /// </summary>
    public static IServiceCollection AddNetworkUseCases(this IServiceCollection services)
    {
        services.TryAddSingleton<NetworkStore>();
        services.TryAddSingleton<PipeLocator>();
        services.TryAddSingleton<NetworkCache>();
        services.TryAddSingleton<NetworkQueries>();
        services.TryAddSingleton<ValveReportStore>();
        services.TryAddSingleton<ValveReports>();
        services.TryAddSingleton<PipeReportStore>();
        services.TryAddSingleton<PipeReports>();
        services.TryAddSingleton<FieldPhotos>();
        services.TryAddSingleton<ConnectionStore>();
        services.TryAddSingleton<NetworkConnections>();
        return services;
    }
}
