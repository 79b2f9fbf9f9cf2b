using GridMap.Storage.Reports;
using GridMap.Storage.Stats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GridMap.Application.Reports;

/// <summary>The report use cases (printed maps, notice boards, weekly spreadsheet) and what they need.</summary>
public static class ReportsServices
{
    public static IServiceCollection AddReportUseCases(this IServiceCollection services)
    {
        services.TryAddSingleton(new ReportOptions());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ReportStore>();
        services.TryAddSingleton<ProgressStore>();
        services.TryAddSingleton<ReportQueries>();
        return services;
    }
}
