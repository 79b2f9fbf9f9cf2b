using GridMap.Storage.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GridMap.Application.Jobs;

/// <summary>The background job queue and the job kinds it runs; <see cref="AddJobWorker"/> adds the worker.</summary>
public static class JobsServices
{
    public static IServiceCollection AddJobUseCases(this IServiceCollection services)
    {
        services.TryAddSingleton(new JobWorkerOptions());
        services.TryAddSingleton<JobStore>();
        services.TryAddSingleton<JobQueue>();
        services.TryAddSingleton<PartitionJobs>();
        services.AddSingleton<IJobHandler, PartitionJobHandler>();
        return services;
    }

    /// <summary>Runs queued jobs in this process (a hosted <see cref="JobWorker"/>). The web host adds it; tools that only
    /// queue or read jobs (and the build-time OpenAPI generator) leave it out.</summary>
    public static IServiceCollection AddJobWorker(this IServiceCollection services)
    {
        services.AddHostedService<JobWorker>();
        return services;
    }
}
