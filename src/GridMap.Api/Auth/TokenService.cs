using System.Text;
using GridMap.Application.Auth;
using GridMap.Storage.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GridMap.Api.Auth;

/// <summary>A signed token and when it expires (<see cref="ExpiresIn"/> seconds from issue).</summary>
public sealed record IssuedToken(string AccessToken, DateTimeOffset ExpiresAt, int ExpiresIn);

/// <summary>What a presented token says: the user and the security stamp it was issued under, or why it is refused.</summary>
public sealed record TokenCheck(string? UserName, int SecurityStamp, string? Failure)
{
    public bool Valid => Failure is null;

    /// <summary>Until when a valid token stays valid (its expiry plus the clock skew allowed).</summary>
    public DateTimeOffset? Until { get; init; }
}

/// <summary>
/// Sign-in tokens: JWT (HS256) with the user name (<c>sub</c>), role, branch and security stamp, issuer and audience
/// <c>gridmap</c>, valid for <see cref="AuthOptions.TokenMinutes"/>. The key is <see cref="AuthOptions.SigningKey"/> when
/// configured, else the one every instance shares through the database (<see cref="SigningKeyStore"/>), read on first use —
/// never at start-up, so the build-time OpenAPI generator runs without a database.
/// </summary>
public sealed class TokenService(SigningKeyStore keys, AuthOptions options, TimeProvider time)
{
    public const string Issuer = "gridmap";
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SymmetricSecurityKey? _key;

    /// <summary>A token for <paramref name="user"/>, issued now (or at <paramref name="issuedAt"/>: tests make expired ones).</summary>
    public async Task<IssuedToken> IssueAsync(SignedInUser user, CancellationToken ct = default, DateTimeOffset? issuedAt = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        var now = issuedAt ?? time.GetUtcNow();
        var lifetime = TimeSpan.FromMinutes(Math.Max(1, options.TokenMinutes));
        var expires = now + lifetime;
        var claims = new Dictionary<string, object> { ["sub"] = user.Name, ["role"] = user.Role, ["stamp"] = user.SecurityStamp };
        if (user.BranchId is { } b) claims["branch"] = b;
        var token = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Issuer,
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(await KeyAsync(ct), SecurityAlgorithms.HmacSha256),
        });
        return new IssuedToken(token, expires, (int)lifetime.TotalSeconds);
    }

    /// <summary>Most tokens whose valid check is remembered (beyond it, the expired ones and then all are forgotten).</summary>
    public const int CheckCacheSize = 10_000;

    // Valid checks by token text, until the token expires: a token's signature, issuer, audience and lifetime never change,
    // so checking it once is enough. Who the user is now (disabled? password changed?) is not in here: the authentication
    // handler asks UserDirectory for every request.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (TokenCheck Check, DateTimeOffset Until)> _valid = new(StringComparer.Ordinal);

    /// <summary>Checks signature, issuer, audience and lifetime (30 s clock skew). A valid check is remembered until the
    /// token expires (plus the skew), so a token is verified once, not on every request.</summary>
    public async Task<TokenCheck> ValidateAsync(string token, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        var now = time.GetUtcNow();
        if (_valid.TryGetValue(token, out var hit))
        {
            if (now <= hit.Until) return hit.Check;
            _valid.TryRemove(token, out _);
        }
        var check = await VerifyAsync(token, ct);
        if (check.Valid && check.Until is { } until && now <= until)
        {
            if (_valid.Count >= CheckCacheSize)
            {
                foreach (var (k, v) in _valid) if (v.Until < now) _valid.TryRemove(k, out _);
                if (_valid.Count >= CheckCacheSize) _valid.Clear();
            }
            _valid[token] = (check, until);
        }
        return check;
    }

    private async Task<TokenCheck> VerifyAsync(string token, CancellationToken ct)
    {
        var r = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Issuer,
            IssuerSigningKey = await KeyAsync(ct),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
            ClockSkew = Skew,
        });
        if (!r.IsValid)
            return new TokenCheck(null, 0, r.Exception is SecurityTokenExpiredException
                ? "登录已过期，请重新登录 (the token has expired; sign in again)."
                : "令牌无效，请重新登录 (the token is not valid; sign in again).");
        var name = r.ClaimsIdentity.FindFirst("sub")?.Value;
        return name is { Length: > 0 } && int.TryParse(r.ClaimsIdentity.FindFirst("stamp")?.Value, System.Globalization.CultureInfo.InvariantCulture, out var stamp)
            ? new TokenCheck(name, stamp, null) { Until = new DateTimeOffset(r.SecurityToken.ValidTo, TimeSpan.Zero) + Skew }
            : new TokenCheck(null, 0, "令牌缺少用户信息 (the token names no user).");
    }

    private async ValueTask<SymmetricSecurityKey> KeyAsync(CancellationToken ct)
    {
        if (_key is { } key) return key;
        await _gate.WaitAsync(ct);
        try
        {
            return _key ??= new SymmetricSecurityKey(options.SigningKey is { Length: > 0 } configured ? FromConfiguration(configured) : await keys.GetOrCreateAsync(ct));
        }
        finally
        {
            _gate.Release();
        }
    }

    private static byte[] FromConfiguration(string text)
    {
        var buffer = new byte[text.Length];
        if (Convert.TryFromBase64String(text, buffer, out var n) && n >= 32) return buffer[..n];
        var utf8 = Encoding.UTF8.GetBytes(text);
        return utf8.Length >= 32 ? utf8
            : throw new InvalidOperationException("GridMap:Auth:SigningKey 至少 32 个字符 (must be at least 32 characters, or base64 of at least 32 bytes).");
    }
}
