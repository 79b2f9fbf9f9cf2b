using System.Text.Json.Serialization;
using GridMap.Api.Auth;
using GridMap.Application.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GridMap.Api.Endpoints;

/// <summary>
/// /api/auth: sign in for a bearer token (API clients, scripts) or for the HttpOnly cookie (the web client, whose tile
/// requests cannot carry a header), sign out, and who is signed in. Wrong credentials: 401 <c>invalid-credentials</c>, the
/// same for an unknown name, a wrong password, a disabled or a locked account; too many failures: 429 <c>too-many-attempts</c>.
/// </summary>
public static class AuthEndpoints
{
    public sealed record TokenRequest(string? Username, string? Password);

    /// <summary>OAuth2-style token answer (RFC 6749 §5.1 names).</summary>
    public sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("token_type")] string TokenType,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);

    /// <summary>The signed-in user: name, role, branch (null = whole company) and what the role may do.</summary>
    public sealed record Me(string Name, string Role, int? BranchId, string? BranchName, IReadOnlyList<string> Permissions);

    /// <summary>Answer of the cookie sign-in: who, and for how many seconds the cookie holds.</summary>
    public sealed record SignedIn(Me User, int ExpiresIn);

    /// <summary>Answer of sign-out: the cookie is removed.</summary>
    public sealed record SignedOut(bool SignedOutOk);

    public static RouteGroupBuilder MapAuth(this RouteGroupBuilder auth)
    {
        auth.MapPost("/token", async (TokenRequest? body, SignInService signIn, TokenService tokens, HttpContext http, CancellationToken ct) =>
        {
            var (_, token) = await SignInAsync(body, signIn, tokens, http, ct);
            return TypedResults.Ok(new TokenResponse(token.AccessToken, "Bearer", token.ExpiresIn));
        }).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests)
          .WithName("Token").WithSummary("Sign in with {username, password}: a bearer token for the Authorization header");

        auth.MapPost("/login", async (TokenRequest? body, SignInService signIn, TokenService tokens, HttpContext http, CancellationToken ct) =>
        {
            var (user, token) = await SignInAsync(body, signIn, tokens, http, ct);
            http.Response.Cookies.Append(GridMapAuthHandler.CookieName, token.AccessToken, Cookie(http, token.ExpiresAt));
            return TypedResults.Ok(new SignedIn(MeOf(user), token.ExpiresIn));
        }).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests)
          .WithName("Login").WithSummary("Sign in the web client: sets the HttpOnly, SameSite=Strict cookie every API and tile request then carries");

        auth.MapPost("/logout", (HttpContext http) =>
        {
            http.Response.Cookies.Delete(GridMapAuthHandler.CookieName, Cookie(http, null));
            return TypedResults.Ok(new SignedOut(true));
        }).WithName("Logout").WithSummary("Sign the web client out (removes the cookie)");

        auth.MapGet("/me", async Task<Results<Ok<Me>, UnauthorizedHttpResult>> (HttpContext http, UserDirectory users, CancellationToken ct) =>
        {
            var caller = HttpCallerAccessor.FromUser(http.User);
            return await users.ActiveAsync(caller.Name, null, ct) is { } user ? TypedResults.Ok(MeOf(user)) : TypedResults.Unauthorized();
        }).WithName("Me").WithSummary("Who is signed in: name, role, branch and permissions");
        return auth;
    }

    private static async Task<(SignedInUser User, IssuedToken Token)> SignInAsync(TokenRequest? body, SignInService signIn, TokenService tokens,
        HttpContext http, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        var user = await signIn.SignInAsync(body?.Username, body?.Password, http.Connection.RemoteIpAddress?.ToString(), ct);
        return (user, await tokens.IssueAsync(user, ct));
    }

    private static Me MeOf(SignedInUser u) => new(u.Name, u.Role, u.BranchId, u.BranchName, Permissions.Of(u.Role));

    private static CookieOptions Cookie(HttpContext http, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
