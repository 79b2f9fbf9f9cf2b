using System.Security.Claims;
using System.Text.Encodings.Web;
using GridMap.Api.Errors;
using GridMap.Application.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace GridMap.Api.Auth;

/// <summary>Options of the <see cref="GridMapAuthHandler.SchemeName"/> scheme.</summary>
public sealed class GridMapAuthSchemeOptions : AuthenticationSchemeOptions
{
}

/// <summary>
/// Who is calling: a token from <c>Authorization: Bearer …</c> or, for the web client (whose OpenLayers tile requests
/// cannot set headers), from the HttpOnly, SameSite=Strict cookie <see cref="CookieName"/> set by <c>POST /api/auth/login</c>.
/// The token must be valid (<see cref="TokenService"/>) and its user still active with the same security stamp (not disabled,
/// password unchanged); the user's current role and branch become the principal's claims. Refusals are ProblemDetails:
/// 401 <c>unauthenticated</c> (with WWW-Authenticate: Bearer) and 403 <c>forbidden</c>.
/// </summary>
public sealed class GridMapAuthHandler(IOptionsMonitor<GridMapAuthSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    TokenService tokens, UserDirectory users, IProblemDetailsService problems)
    : AuthenticationHandler<GridMapAuthSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "GridMap";
    public const string CookieName = "gridmap_auth";
    public const string BranchClaim = "branch";
    private const string FailureKey = "gridmap.auth.failure";
    internal const string DeniedKey = "gridmap.auth.denied";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? token = null;
        var header = Request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return Fail("只接受 Bearer 令牌 (only Bearer tokens are accepted).");
            token = header[7..].Trim();
        }
        else if (Request.Cookies.TryGetValue(CookieName, out var cookie) && cookie.Length > 0)
        {
            token = cookie;
        }
        try
        {
            if (token is null) return AuthenticateResult.NoResult();
            var check = await tokens.ValidateAsync(token, Context.RequestAborted);
            if (!check.Valid) return Fail(check.Failure!);
            var user = await users.ActiveAsync(check.UserName!, check.SecurityStamp, Context.RequestAborted);
            return user is null ? Fail("账号已停用或密码已更改，请重新登录 (the user is disabled or changed their password; sign in again).") : Success(user);
        }
        catch (Npgsql.NpgsqlException e)
        {
            Logger.LogWarning(e, "Cannot check the sign-in: database unavailable");
            return Fail("暂时无法验证登录：数据库不可用 (cannot check the sign-in: the database is unavailable).");
        }
    }

    private AuthenticateResult Success(SignedInUser u)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, u.Name), new(ClaimTypes.Role, u.Role) };
        if (u.BranchId is { } b) claims.Add(new Claim(BranchClaim, b.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private AuthenticateResult Fail(string why)
    {
        Context.Items[FailureKey] = why;
        return AuthenticateResult.Fail(why);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = Context.Items[FailureKey] as string;
        Response.Headers.WWWAuthenticate = failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        return WriteAsync(StatusCodes.Status401Unauthorized, "未登录 Unauthenticated",
            failure ?? "请先登录：POST /api/auth/token 或 /api/auth/login (sign in first).", AccessDenied.Unauthenticated);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteAsync(StatusCodes.Status403Forbidden, "无权操作 Forbidden",
            Context.Items[DeniedKey] as string ?? "当前角色无权执行此操作 (your role does not allow this).", AccessDenied.Forbidden);

    private async Task WriteAsync(int status, string title, string detail, string rule)
    {
        Response.StatusCode = status;
        Response.Headers.CacheControl = "no-store";
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = Request.Path, Extensions = { ["rule"] = rule } },
        });
    }
}
