namespace GridMap.Application.Auth;

/// <summary>
/// The caller may not do this: not signed in (<see cref="Unauthenticated"/>, 401), the role lacks the permission
/// (<see cref="Forbidden"/>, 403) or the target belongs to another branch (<see cref="OtherBranch"/>, 403). The API
/// answers with <see cref="Code"/> as the ProblemDetails <c>rule</c>; the message is Chinese first, English in brackets.
/// </summary>
public sealed class AccessDenied : Exception
{
    public const string Unauthenticated = "unauthenticated";
    public const string Forbidden = "forbidden";
    public const string OtherBranch = "other-branch";
    /// <summary>A staff user (网格员) records only in the grid cells assigned to them.</summary>
    public const string NotYourCell = "not-your-cell";

    public AccessDenied(string code, string message) : base(message) => Code = code;

    public string Code { get; }
}

/// <summary>
/// A sign-in was refused: wrong name or password, a disabled or locked account (<see cref="InvalidCredentials"/>, 401 —
/// the same answer for each, so a stranger learns nothing about which names exist), or too many failures from the same
/// address or for the same name (<see cref="TooManyAttempts"/>, 429, with <see cref="RetryAfter"/>).
/// </summary>
public sealed class SignInRefused : Exception
{
    public const string InvalidCredentials = "invalid-credentials";
    public const string TooManyAttempts = "too-many-attempts";

    public SignInRefused(string code, string message, TimeSpan? retryAfter = null) : base(message)
    {
        Code = code;
        RetryAfter = retryAfter;
    }

    public string Code { get; }
    public TimeSpan? RetryAfter { get; }
}
