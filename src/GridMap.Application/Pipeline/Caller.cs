namespace GridMap.Application.Pipeline;

/// <summary>
/// Who runs a use case: a signed-in user of the web client or API, a CLI user at the machine, or the system
/// itself (background jobs, demo load). <see cref="Role"/> and <see cref="BranchId"/> are what authorization
/// decides by (null branch = the whole company).
/// </summary>
public sealed record Caller(string Name, string Role, int? BranchId)
{
    /// <summary>GridMap acting on its own (background work, migrations, the demo loader).</summary>
    public static Caller System { get; } = new("system", "system", null);

    /// <summary>A request without a signed-in user: may do nothing that needs a permission.</summary>
    public static Caller Anonymous { get; } = new("anonymous", "anonymous", null);

    /// <summary>The person at the terminal running the CLI: they hold the database credentials, so they administer
    /// (named after the operating-system user in the audit log).</summary>
    public static Caller OperatingSystemUser() => new("cli:" + Environment.UserName, Auth.Roles.Admin, null);
}

/// <summary>The caller of the use case running now. The Api resolves it from the request's user; the Cli from the
/// operating-system user; background jobs run as the caller who queued them (<see cref="CallerScope"/>).</summary>
public interface ICallerAccessor
{
    Caller Current { get; }
}

/// <summary>Every use case runs as <see cref="Caller.System"/> (tools without sign-in), unless a <see cref="CallerScope"/> says otherwise.</summary>
public sealed class SystemCallerAccessor : ICallerAccessor
{
    public Caller Current => CallerScope.Ambient ?? Caller.System;
}

/// <summary>Every use case runs as one fixed caller (the CLI: <see cref="Caller.OperatingSystemUser"/>).</summary>
public sealed class FixedCallerAccessor(Caller caller) : ICallerAccessor
{
    public Caller Current => CallerScope.Ambient ?? caller;
}

/// <summary>
/// Runs code as a given caller, whatever the host's accessor says: a background job runs as the user who queued it.
/// Flows with the async call (AsyncLocal); <c>using (CallerScope.RunAs(c)) { … }</c>.
/// </summary>
public static class CallerScope
{
    private static readonly AsyncLocal<Caller?> Current = new();

    /// <summary>The caller set by an enclosing <see cref="RunAs"/>, or null.</summary>
    public static Caller? Ambient => Current.Value;

    public static IDisposable RunAs(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var previous = Current.Value;
        Current.Value = caller;
        return new Restore(previous);
    }

    private sealed class Restore(Caller? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
