using System.Diagnostics;
using GridMap.Application.Audit;
using GridMap.Application.Auth;
using GridMap.Domain.Rules;
using GridMap.Storage;
using GridMap.Storage.Audit;
using GridMap.Storage.Auth;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GridMap.Application.Pipeline;

/// <summary>
/// What a write is: the use case's name (<c>planning.move-compound</c>) and the resource it changes (<c>plan:42</c>, for
/// logs and, unless the body records its own changes, the audit entry). Optional: the <see cref="Permission"/> the caller
/// needs and the <see cref="Branch"/> the target belongs to (checked before the body runs), and what the target was and
/// became (<see cref="Before"/>/<see cref="After"/>) when that is known up front.
/// </summary>
/// <example><code>
/// await writes.RunAsync(new WriteSpec("planning.publish", $"plan:{id}")
///     { Permission = Permissions.PlanningWrite, Branch = await branches.OfPlanAsync(id, ct) },
///     async session => { …; session.Changed("plan", id, new { status = "preview" }, new { status = "published", version }); return r; }, ct);
/// </code></example>
public sealed record WriteSpec(string UseCase, string Target)
{
    /// <summary>Permission the caller's role needs (<see cref="Permissions"/>); null = the use case family's (<see cref="Permissions.ForUseCase"/>).</summary>
    public string? Permission { get; init; }

    /// <summary>Branch the target belongs to (<see cref="BranchResolver"/>); null = found from <see cref="Target"/> when it names a
    /// plan, cell, compound, district or area code (<see cref="BranchResolver.OfTargetAsync"/>), else not branch-scoped.</summary>
    public BranchScope? Branch { get; init; }

    /// <summary>The target before the write (any object, serialised to JSON; geometries as hash + area).</summary>
    public object? Before { get; init; }

    /// <summary>The target after the write.</summary>
    public object? After { get; init; }
}

/// <summary>
/// The one place every write of every use case goes through (the shape of eShop's Ordering behaviours, without a
/// mediator): who is calling and whether they may (<see cref="WriteSpec.Permission"/>, <see cref="WriteSpec.Branch"/>;
/// refused with <see cref="AccessDenied"/> before anything is touched), one transaction around the whole use case
/// (committed only when it succeeded, so a refused or failed write leaves nothing behind), the audit trail appended in
/// that same transaction (what the body recorded with <see cref="AuditTrail.Changed"/>, else one entry for the spec),
/// and a log line per outcome. A use case never opens its own transaction for a write.
/// </summary>
public sealed class WritePipeline(NpgsqlDataSource db, ICallerAccessor callers, ILogger<WritePipeline> log)
{
    /// <summary>The caller the current use case runs for.</summary>
    public Caller Caller => callers.Current;

    /// <summary>Runs <paramref name="body"/> in one transaction and commits it when it returns.</summary>
    public async Task<T> RunAsync<T>(WriteSpec spec, Func<DbSession, Task<T>> body, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(body);
        var who = callers.Current;
        await AuthorizeAsync(spec, who, ct);
        var sw = Stopwatch.StartNew();
        await using var session = await DbSession.BeginAsync(db, ct);
        var trail = AuditTrail.Begin(session);
        try
        {
            var result = await body(session);
            var changes = trail.Changes.Count > 0 ? trail.Changes : [AuditChange.FromSpec(spec)];
            await AuditStore.AppendAsync(session, changes.Select(c => c.ToEntry(who, spec.UseCase)).ToList(), ct);
            await session.CommitAsync(ct);
            log.LogInformation("{UseCase} on {Target} by {Caller} ({Role}) done in {Ms} ms", spec.UseCase, spec.Target, who.Name, who.Role, sw.ElapsedMilliseconds);
            return result;
        }
        catch (RuleViolation r)
        {
            log.LogInformation("{UseCase} on {Target} by {Caller} refused: {Rule}", spec.UseCase, spec.Target, who.Name, r.Code);
            throw;
        }
        finally
        {
            AuditTrail.End(session);
        }
    }

    /// <summary>
    /// Refuses the write (<see cref="AccessDenied"/>) unless the caller's role has the spec's permission (or, when it names none,
    /// the one of its use-case family: <see cref="Permissions.ForUseCase"/>) and, for a caller of one branch, the target is in
    /// that branch (the spec's <see cref="WriteSpec.Branch"/>, else found from its <see cref="WriteSpec.Target"/>).
    /// </summary>
    private async Task AuthorizeAsync(WriteSpec spec, Caller who, CancellationToken ct)
    {
        if (who == Caller.System) return;
        try
        {
            Access.Demand(who, spec.Permission ?? Permissions.ForUseCase(spec.UseCase));
            if (who.BranchId is null) return;
            var branch = spec.Branch ?? await (_branches ??= new BranchResolver(new BranchStore(db))).OfTargetAsync(spec.Target, ct);
            Access.Demand(who, spec.Permission ?? Permissions.ForUseCase(spec.UseCase), branch);
        }
        catch (AccessDenied d)
        {
            log.LogWarning("{UseCase} on {Target} by {Caller} ({Role}, branch {Branch}) refused: {Code}", spec.UseCase, spec.Target, who.Name, who.Role, who.BranchId, d.Code);
            throw;
        }
    }

    private BranchResolver? _branches;

    /// <summary>A write with no result.</summary>
    public Task RunAsync(WriteSpec spec, Func<DbSession, Task> body, CancellationToken ct = default) =>
        RunAsync(spec, async s => { await body(s); return true; }, ct);
}
