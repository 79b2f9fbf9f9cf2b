using GridMap.Application.Audit;
using GridMap.Storage.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GridMap.Application.Auth;

/// <summary>Users, sign-in, branch resolution and history. Call after <c>AddGridMapApplication</c> (it wraps the job handlers).</summary>
public static class AuthServices
{
    public static IServiceCollection AddAuthUseCases(this IServiceCollection services)
    {
        services.TryAddSingleton(new AuthOptions());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<UserStore>();
        services.TryAddSingleton<BranchStore>();
        services.TryAddSingleton<SigningKeyStore>();
        services.TryAddSingleton<UserDirectory>();
        services.TryAddSingleton<SignInThrottle>();
        services.TryAddSingleton<SignInService>();
        services.TryAddSingleton<UserAccounts>();
        services.TryAddSingleton<BranchResolver>();
        services.TryAddSingleton<HistoryQueries>();
        return services.RunJobsAsTheirCaller();
    }
}
