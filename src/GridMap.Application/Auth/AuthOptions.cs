namespace GridMap.Application.Auth;

/// <summary>
/// Sign-in settings (configuration section <c>GridMap:Auth</c> in the Api). The defaults suit a company network; tests
/// lower the thresholds. Failures are counted per instance in memory (<see cref="SignInThrottle"/>); the lock-out is in
/// the database, so it holds across instances.
/// </summary>
public sealed class AuthOptions
{
    /// <summary>Token lifetime (minutes): a working day.</summary>
    public int TokenMinutes { get; set; } = 480;

    /// <summary>Consecutive wrong passwords that lock an account …</summary>
    public int LockoutFailures { get; set; } = 5;

    /// <summary>… for this many minutes.</summary>
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Failed sign-ins per user name within <see cref="ThrottleWindowMinutes"/> before further attempts get 429.</summary>
    public int MaxFailuresPerUser { get; set; } = 10;

    /// <summary>Failed sign-ins per client address within <see cref="ThrottleWindowMinutes"/> before further attempts get 429.</summary>
    public int MaxFailuresPerAddress { get; set; } = 30;

    public int ThrottleWindowMinutes { get; set; } = 15;

    /// <summary>Token signing key (≥ 32 characters, or base64 of ≥ 32 bytes). Unset: a random key kept in the database, shared by all instances.</summary>
    public string? SigningKey { get; set; }
}
