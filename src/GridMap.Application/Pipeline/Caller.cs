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
}

/// <summary>The caller of the use case running now. The Api resolves it from the request's user; the Cli from the
/// operating-system user; background jobs run as the caller who queued them.</summary>
public interface ICallerAccessor
{
    Caller Current { get; }
}

/// <summary>Every use case runs as <see cref="Caller.System"/> (CLI, tests, tools without sign-in).</summary>
public sealed class SystemCallerAccessor : ICallerAccessor
{
    public Caller Current => Caller.System;
}
