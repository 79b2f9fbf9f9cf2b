using GridMap.Application.Auth;
using Microsoft.AspNetCore.Authorization;

namespace GridMap.Api.Auth;

/// <summary>What a route needs for reads (GET, HEAD, OPTIONS) and for writes: <see cref="RouteAccess.Public"/>,
/// <see cref="RouteAccess.SignedIn"/>, or a permission of <see cref="Permissions"/>.</summary>
public sealed record RouteRule(string Prefix, string Read, string Write);

/// <summary>A permission one endpoint needs instead of its route group's (<see cref="RouteAccess.RequirePermission"/>).</summary>
public sealed record RequiredPermission(string Permission);

/// <summary>
/// Route-level authorization in one table: every route group (by path prefix) and what reading and writing in it needs.
/// It is the app's fallback authorization policy, so every endpoint is covered — a new endpoint under a listed prefix gets
/// that prefix's rule, one outside every prefix needs a signed-in user (secure by default), and an endpoint can ask for a
/// particular permission with <see cref="RequirePermission"/>. Branch scoping is finer than routes: the write pipeline does it.
/// </summary>
public static class RouteAccess
{
    public const string Public = "public";
    public const string SignedIn = "signed-in";

    public static IReadOnlyList<RouteRule> Rules { get; } =
    [
        new("/api/health", Public, Public),
        new("/api/auth/me", SignedIn, SignedIn),
        new("/api/auth", Public, Public),
        new("/api/planning", Permissions.PlanningRead, Permissions.PlanningWrite),
        new("/api/network", Permissions.NetworkRead, Permissions.FieldRecord),
        new("/api/history", Permissions.HistoryRead, Permissions.DataAdmin),
        new("/api/reports", Permissions.ReportsRead, Permissions.ReportsWrite),
        new("/api/users", Permissions.UsersAdmin, Permissions.UsersAdmin),
        new("/api/compounds", Permissions.MapRead, Permissions.CampaignRecord),
        new("/api", Permissions.MapRead, Permissions.DataAdmin),
        new("/tiles", Permissions.MapRead, Permissions.DataAdmin),
        new("/ogc", Permissions.MapRead, Permissions.DataAdmin),
        new("/openapi", Public, Public),
        new("/docs", Public, Public),
        new("/styles.json", Public, Public),
    ];

    // Longest prefix first, each with its "prefix/" form made once (Need runs on every request: no string built per rule).
    private static readonly (RouteRule Rule, string Slashed)[] Longest = Rules.OrderByDescending(r => r.Prefix.Length).Select(r => (r, r.Prefix + "/")).ToArray();

    /// <summary>What a request needs: the endpoint's own <see cref="RequiredPermission"/>, else the rule of the longest prefix
    /// of its route pattern; an endpoint outside every prefix needs a signed-in user, a path no endpoint serves (a missing
    /// static file) is public.</summary>
    public static string Need(Endpoint? endpoint, string path, string method)
    {
        if (endpoint?.Metadata.GetMetadata<RequiredPermission>() is { } own) return own.Permission;
        var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? path;
        if (!route.StartsWith('/')) route = "/" + route;
        RouteRule? rule = null;
        foreach (var (r, slashed) in Longest)
            if (route.Equals(r.Prefix, StringComparison.OrdinalIgnoreCase) || route.StartsWith(slashed, StringComparison.OrdinalIgnoreCase)) { rule = r; break; }
        if (rule is null) return endpoint is null ? Public : SignedIn;
        return HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) ? rule.Read : rule.Write;
    }

    /// <summary>This endpoint needs <paramref name="permission"/> (instead of its route group's rule).</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, string permission) where TBuilder : IEndpointConventionBuilder
    {
        if (!Permissions.All.Contains(permission)) throw new ArgumentException($"unknown permission '{permission}'.", nameof(permission));
        return builder.WithMetadata(new RequiredPermission(permission));
    }
}

/// <summary>The requirement of the fallback policy: whatever <see cref="RouteAccess.Need"/> says.</summary>
public sealed class RouteAccessRequirement : IAuthorizationRequirement;

/// <summary>Decides <see cref="RouteAccessRequirement"/>: public passes; otherwise a signed-in user (else 401), with the
/// permission (else 403, saying which).</summary>
public sealed class RouteAccessHandler : AuthorizationHandler<RouteAccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RouteAccessRequirement requirement)
    {
        if (context.Resource is not HttpContext http) return Task.CompletedTask;
        var need = RouteAccess.Need(http.GetEndpoint(), http.Request.Path.Value ?? "/", http.Request.Method);
        var user = context.User;
        var signedIn = user.Identity?.IsAuthenticated == true;
        if (need == RouteAccess.Public || (signedIn && need == RouteAccess.SignedIn))
        {
            context.Succeed(requirement);
        }
        else if (signedIn)
        {
            var role = user.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value ?? "";
            if (Permissions.Allows(role, need)) context.Succeed(requirement);
            else http.Items[GridMapAuthHandler.DeniedKey] =
                $"{Roles.ChineseName(role)}（{role}）没有“{need}”权限 (role {role} lacks permission {need} for {http.Request.Method} {http.Request.Path}).";
        }
        return Task.CompletedTask;
    }
}
