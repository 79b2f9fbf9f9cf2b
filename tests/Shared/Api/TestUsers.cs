using System.Globalization;
using System.Net.Http.Headers;
using GridMap.Api.Auth;
using GridMap.Application.Auth;
using GridMap.Domain.Rules;
using GridMap.Storage.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace GridMap.Tests.Shared.Api;

/// <summary>
/// Real sign-in for tests that run the GridMap app themselves: users are added through the use case (as
/// <c>gridmap users add</c> does) and tokens issued by the app's own <see cref="TokenService"/> (what
/// <c>POST /api/auth/token</c> returns, without the request, so sign-in throttling never interferes).
/// </summary>
public static class TestUsers
{
    /// <summary>Password of every user tests create (follows the password rule).</summary>
    public const string Password = "Fixture-Passw0rd";

    /// <summary>Adds <paramref name="name"/> unless a user of that name exists (another app over the same database may add it first).</summary>
    public static async Task EnsureAsync(IServiceProvider services, string name, string role = Roles.Admin, int? branch = null, string password = Password)
    {
        if (await services.GetRequiredService<UserStore>().FindAsync(name) is not null) return;
        try
        {
            await services.GetRequiredService<UserAccounts>().AddAsync(name, role, branch?.ToString(CultureInfo.InvariantCulture), password);
        }
        catch (RuleViolation)
        {
            // added concurrently by another instance over the same database — anything else is a real failure
            if (await services.GetRequiredService<UserStore>().FindAsync(name) is null) throw;
        }
    }

    /// <summary>A fresh bearer token for an existing, active user.</summary>
    public static async Task<string> TokenAsync(IServiceProvider services, string name)
    {
        var user = await services.GetRequiredService<UserDirectory>().ActiveAsync(name, null)
            ?? throw new InvalidOperationException($"no active user {name}");
        return (await services.GetRequiredService<TokenService>().IssueAsync(user)).AccessToken;
    }

    /// <summary>Makes <paramref name="client"/> send <paramref name="name"/>'s token (the user is created, as admin by default, if missing).</summary>
    public static async Task<HttpClient> SignInAsync(this HttpClient client, IServiceProvider services, string name, string role = Roles.Admin, int? branch = null)
    {
        await EnsureAsync(services, name, role, branch);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(services, name));
        return client;
    }
}
