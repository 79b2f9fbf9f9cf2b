using GridMap.Application.Jobs;
using GridMap.Application.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace GridMap.Application.Auth;

/// <summary>
/// Background jobs run as the caller who queued them (background_job.created_by): every registered <see cref="IJobHandler"/>
/// is wrapped so its run happens inside <see cref="CallerScope.RunAs"/> with that user's current role and branch.
/// </summary>
public static class JobCaller
{
    /// <summary>Wraps the job handlers registered so far (call after the job use cases are added).</summary>
    public static IServiceCollection RunJobsAsTheirCaller(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(Wrapped))) return services;
        services.AddSingleton<Wrapped>();
        for (var i = 0; i < services.Count; i++)
        {
            var d = services[i];
            if (d.ServiceType != typeof(IJobHandler) || d.IsKeyedService) continue;
            Func<IServiceProvider, IJobHandler> inner = d switch
            {
                { ImplementationInstance: IJobHandler h } => _ => h,
                { ImplementationFactory: { } f } => sp => (IJobHandler)f(sp),
                { ImplementationType: { } t } when t != typeof(AsCaller) => sp => (IJobHandler)ActivatorUtilities.CreateInstance(sp, t),
                _ => null!,
            };
            if (inner is null) continue;
            services[i] = ServiceDescriptor.Describe(typeof(IJobHandler), sp => new AsCaller(inner(sp), sp.GetRequiredService<UserDirectory>()), d.Lifetime);
        }
        return services;
    }

    /// <summary>Marks the handlers as wrapped (a second call wraps nothing twice).</summary>
    private sealed class Wrapped;

    private sealed class AsCaller(IJobHandler inner, UserDirectory users) : IJobHandler
    {
        public string Kind => inner.Kind;

        public async Task<string?> RunAsync(JobRun run, CancellationToken ct)
        {
            var caller = await users.CallerForAsync(run.CreatedBy, ct);
            using (CallerScope.RunAs(caller)) return await inner.RunAsync(run, ct);
        }
    }
}
