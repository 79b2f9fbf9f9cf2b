using System.Security.Claims;
using GridMap.Application.Pipeline;

namespace GridMap.Api.Auth;

/// <summary>The caller of a use case in the web app: the signed-in user of the current request (name, role, branch from the
/// principal <see cref="GridMapAuthHandler"/> built), <see cref="Caller.Anonymous"/> for a request without one, GridMap itself
/// outside any request (hosted services) — unless a <see cref="CallerScope"/> (a background job) says otherwise.</summary>
public sealed class HttpCallerAccessor(IHttpContextAccessor http) : ICallerAccessor
{
    public Caller Current => CallerScope.Ambient ?? (http.HttpContext is { } c ? FromUser(c.User) : Caller.System);

    public static Caller FromUser(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name }
            ? new Caller(name, user.FindFirstValue(ClaimTypes.Role) ?? "", int.TryParse(user.FindFirstValue(GridMapAuthHandler.BranchClaim),
                System.Globalization.CultureInfo.InvariantCulture, out var b) ? b : null)
            : Caller.Anonymous;
}
