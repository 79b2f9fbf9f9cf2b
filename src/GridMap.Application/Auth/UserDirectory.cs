using System.Collections.Concurrent;
using GridMap.Application.Pipeline;
using GridMap.Storage.Auth;

namespace GridMap.Application.Auth;

/// <summary>
/// Who a token's user is now, for every request: the user's current role and branch, or null when the user is gone,
/// disabled, or the token predates a password change. Rows are cached for a few seconds per instance (a change made on
/// this instance shows at once; on another within <see cref="CacheFor"/>).
/// </summary>
public sealed class UserDirectory(UserStore users, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, (UserRow? Row, DateTimeOffset Until)> _cache = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The active user <paramref name="name"/> whose stamp is <paramref name="securityStamp"/> (any stamp when null), else null.</summary>
    public async Task<SignedInUser?> ActiveAsync(string name, int? securityStamp, CancellationToken ct = default) =>
        await RowAsync(name, ct) is { Disabled: false } u && (securityStamp is null || securityStamp == u.SecurityStamp) ? SignedInUser.From(u) : null;

    /// <summary>The caller a background job queued by <paramref name="name"/> runs as: the user's current role and branch;
    /// <see cref="Caller.Anonymous"/> (may do nothing) when the user is disabled; GridMap itself for <c>system</c> and for a name
    /// that is no user (jobs queued from the command line or before users existed: only the database's owner writes those).</summary>
    public async Task<Caller> CallerForAsync(string name, CancellationToken ct = default) =>
        name == Caller.System.Name ? Caller.System : await RowAsync(name, ct) switch
        {
            null => Caller.System,
            { Disabled: true } => Caller.Anonymous,
            { } u => SignedInUser.From(u).ToCaller(),
        };

    private async Task<UserRow?> RowAsync(string name, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!_cache.TryGetValue(name, out var hit) || hit.Until < now)
        {
            hit = (await users.FindAsync(name, ct), now + CacheFor);
            _cache[name] = hit;
            if (_cache.Count > 10_000) foreach (var (k, v) in _cache) if (v.Until < now) _cache.TryRemove(k, out _);
        }
        return hit.Row;
    }

    /// <summary>Forgets the cached row (after a change to the user).</summary>
    public void Invalidate(string name) => _cache.TryRemove(name, out _);
}
