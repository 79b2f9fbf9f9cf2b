using GridMap.Application.Campaign;
using GridMap.Application.Import;
using GridMap.Application.Jobs;
using GridMap.Application.Layers;
using GridMap.Application.Network;
using GridMap.Application.Pipeline;
using GridMap.Application.Planning;
using GridMap.Application.Reports;
using GridMap.Application.StaffWork;
using GridMap.Application.Stats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GridMap.Application;

/// <summary>Registers every use-case family. The host (Api, Cli) registers the <c>NpgsqlDataSource</c> and, when it
/// knows who is calling, its own <see cref="ICallerAccessor"/> before calling this.</summary>
public static class ApplicationServices
{
    public static IServiceCollection AddGridMapApplication(this IServiceCollection services)
    {
        services.TryAddSingleton<ICallerAccessor, SystemCallerAccessor>();
        services.TryAddSingleton<WritePipeline>();
        return services
            .AddLayerUseCases()
            .AddCampaignUseCases()
            .AddImportUseCases()
            .AddPlanningUseCases()
            .AddNetworkUseCases()
            .AddJobUseCases()
            .AddStaffWorkUseCases()
            .AddStatsUseCases()
            .AddReportUseCases();
    }
}
