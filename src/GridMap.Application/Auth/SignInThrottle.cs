using System.Collections.Concurrent;

namespace GridMap.Application.Auth;

/// <summary>
/// Counts failed sign-ins per user name and per client address in a sliding window (<see cref="AuthOptions"/>); once either
/// is over its limit, further attempts are refused with 429 before the password is even looked at. In memory, per instance:
/// the database lock-out (<see cref="SignInService"/>) is what holds across instances.
/// </summary>
public sealed class SignInThrottle(AuthOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    /// <summary>Throws <see cref="SignInRefused"/> (too-many-attempts) when <paramref name="user"/> or <paramref name="address"/> failed too often lately.</summary>
    public void Check(string user, string? address)
    {
        var now = time.GetUtcNow();
        var wait = Math.Max(Wait(UserKey(user), options.MaxFailuresPerUser, now), Wait(AddressKey(address), options.MaxFailuresPerAddress, now));
        if (wait > 0)
            throw new SignInRefused(SignInRefused.TooManyAttempts,
                $"登录失败次数过多，请 {Math.Ceiling(wait / 60.0)} 分钟后再试 (too many failed sign-ins; try again in {Math.Ceiling(wait)} s).",
                TimeSpan.FromSeconds(Math.Ceiling(wait)));
    }

    /// <summary>Counts one failed sign-in for both the name and the address.</summary>
    public void Fail(string user, string? address)
    {
        var now = time.GetUtcNow();
        Add(UserKey(user), now);
        Add(AddressKey(address), now);
        if (_failures.Count > 50_000) Sweep(now);
    }

    private static string UserKey(string user) => "u:" + user.Trim().ToLowerInvariant();
    private static string AddressKey(string? address) => "a:" + (address ?? "?");
    private TimeSpan Window => TimeSpan.FromMinutes(options.ThrottleWindowMinutes);

    /// <summary>Seconds until the key is under its limit again (0 = now).</summary>
    private double Wait(string key, int limit, DateTimeOffset now)
    {
        if (!_failures.TryGetValue(key, out var q)) return 0;
        lock (q)
        {
            while (q.Count > 0 && q.Peek() <= now - Window) q.Dequeue();
            if (q.Count < limit) return 0;
            // The oldest failures that must age out before the count is below the limit.
            return Math.Max(1, (q.ElementAt(q.Count - limit) + Window - now).TotalSeconds);
        }
    }

    private void Add(string key, DateTimeOffset now)
    {
        var q = _failures.GetOrAdd(key, _ => new Queue<DateTimeOffset>());
        lock (q)
        {
            q.Enqueue(now);
            while (q.Count > 1000) q.Dequeue();
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, q) in _failures)
        {
            bool stale;
            lock (q) stale = q.Count == 0 || q.Last() <= now - Window;
            if (stale) _failures.TryRemove(key, out _);
        }
    }
}
