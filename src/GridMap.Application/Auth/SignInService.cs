using GridMap.Application.Pipeline;
using GridMap.Storage.Auth;
using Microsoft.Extensions.Logging;

namespace GridMap.Application.Auth;

/// <summary>A user as signed in: what tokens carry and authorization decides by. <see cref="SecurityStamp"/> ties a token
/// to the password and state it was issued under.</summary>
public sealed record SignedInUser(int Id, string Name, string Role, int? BranchId, string? BranchName, int SecurityStamp)
{
    public Caller ToCaller() => new(Name, Role, BranchId);

    internal static SignedInUser From(UserRow u) => new(u.Id, u.Name, u.Role, u.BranchId, u.BranchName, u.SecurityStamp);
}

/// <summary>
/// Signing in with a name and password. Unknown name, wrong password, disabled or locked account: one answer (401
/// invalid-credentials, after the same hashing work), so nothing tells a stranger which names exist. The
/// <see cref="AuthOptions.LockoutFailures"/>-th wrong password in a row locks the account for <see cref="AuthOptions.LockoutMinutes"/>;
/// many failures per name or per address are refused with 429 first (<see cref="SignInThrottle"/>). Passwords are never logged.
/// </summary>
public sealed class SignInService(UserStore users, SignInThrottle throttle, AuthOptions options, TimeProvider time, ILogger<SignInService> log)
{
    public async Task<SignedInUser> SignInAsync(string? userName, string? password, string? address, CancellationToken ct = default)
    {
        var name = userName?.Trim() ?? "";
        if (name.Length == 0 || name.Length > 64 || string.IsNullOrEmpty(password) || password.Length > 256) throw Invalid();
        throttle.Check(name, address);
        var user = await users.FindAsync(name, ct);
        var ok = Passwords.Verify(user?.PasswordHash, password, out var rehash);
        var locked = user?.LockedUntil is { } until && until > time.GetUtcNow();
        if (user is null || !ok || user.Disabled || locked)
        {
            throttle.Fail(name, address);
            var lockedNow = user is not null && !ok && !user.Disabled && !locked
                ? await users.RecordFailureAsync(user.Id, options.LockoutFailures, TimeSpan.FromMinutes(options.LockoutMinutes), ct)
                : null;
            log.LogWarning("Sign-in refused for {User} from {Address}: {Reason}{Locked}", name, address ?? "?",
                user is null ? "unknown user" : user.Disabled ? "disabled" : locked ? "locked" : "wrong password",
                lockedNow is { } l ? $"; locked until {l:u}" : "");
            throw Invalid();
        }
        await users.RecordSuccessAsync(user.Id, rehash ? Passwords.Hash(password) : null, ct);
        log.LogInformation("{User} ({Role}) signed in from {Address}", user.Name, user.Role, address ?? "?");
        return SignedInUser.From(user);
    }

    private static SignInRefused Invalid() => new(SignInRefused.InvalidCredentials,
        "用户名或密码错误，或账号已停用/锁定 (wrong user name or password, or the account is disabled or locked).");
}
