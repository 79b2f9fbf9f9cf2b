using GridMap.Application.Auth;
using GridMap.Application.Pipeline;
using Microsoft.AspNetCore.Authorization;

namespace GridMap.Api.Auth;

/// <summary>Sign-in for the web app: the caller from the request, the token scheme, and route-level authorization as the
/// fallback policy (<see cref="RouteAccess"/>). Settings from the configuration section <c>GridMap:Auth</c> (<see cref="AuthOptions"/>).</summary>
public static class AuthSetup
{
    /// <summary>Registers what sign-in needs. Call before <c>AddGridMapApplication</c> (the caller accessor) — <see cref="AddGridMapAuth"/>
    /// after it does the rest.</summary>
    public static IServiceCollection AddRequestCaller(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<ICallerAccessor, HttpCallerAccessor>();
        return services;
    }

    public static IServiceCollection AddGridMapAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("GridMap:Auth").Get<AuthOptions>() ?? new AuthOptions();
        services.AddSingleton(options);
        services.AddAuthUseCases();
        services.AddSingleton<TokenService>();
        services.AddAuthentication(GridMapAuthHandler.SchemeName)
            .AddScheme<GridMapAuthSchemeOptions, GridMapAuthHandler>(GridMapAuthHandler.SchemeName, _ => { });
        services.AddSingleton<IAuthorizationHandler, RouteAccessHandler>();
        services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().AddRequirements(new RouteAccessRequirement()).Build());
        return services;
    }
}
