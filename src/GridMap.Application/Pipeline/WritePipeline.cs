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

    /// <summary>The editable resource the write changes (<see cref="ResourceRef.Plan"/>): its row is locked and its revision read
    /// before the body runs, checked against <see cref="IfMatch"/> (412 <see cref="PreconditionFailed"/> when stale, nothing
    /// written) and bumped by one when the write succeeds. Null: not a versioned resource (e.g. a new preview).</summary>
    public ResourceRef? Resource { get; init; }

    /// <summary>The <c>If-Match</c> the write is conditional on (an entity tag, a list of them, or <c>*</c>); null = the ambient
    /// one (<see cref="Preconditions.IfMatch"/>, set by the Api from the request header); none at all = unconditional (last writer
    /// wins, recorded in the audit with no <c>if_match</c>).</summary>
    public string? IfMatch { get; init; }

    /// <summary>Key of a transaction-scoped advisory lock to take before the resource's row (publishes serialise on one and
    /// must take it first, or two publishes could wait on each other).</summary>
    public long? SerializeOn { get; init; }
}

/// <summary>
/// The one place every write of every use case goes through (the shape of eShop's Ordering behaviours, without a
/// mediator): who is calling and whether they may (<see cref="WriteSpec.Permission"/>, <see cref="WriteSpec.Branch"/>;
/// refused with <see cref="AccessDenied"/> before anything is touched), one transaction around the whole use case
/// (committed only when it succeeded, so a refused or failed write leaves nothing behind), the audit trail appended in
/// that same transaction (what the body recorded with <see cref="AuditTrail.Changed"/>, else one entry for the spec),
/// and a log line per outcome. A use case never opens its own transaction for a write.
/// </summary>
public sealed class WritePipeline(NpgsqlDataSource db, ICallerAccessor callers, ILogger<WritePipeline> log, IEnumerable<ResourceReader>? readers = null,
    IEnumerable<ICommitObserver>? observers = null)
{
    private readonly ICommitObserver[] _observers = [.. observers ?? []];
    private readonly Dictionary<string, ResourceReader> _readers = (readers ?? []).ToDictionary(r => r.Kind, StringComparer.Ordinal);

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
        var ifMatch = spec.IfMatch ?? Preconditions.IfMatch;
        await using var session = await DbSession.BeginAsync(db, ct);
        var trail = AuditTrail.Begin(session);
        try
        {
            long? revision = null;
            if (spec.Resource is { } resource)
            {
                if (spec.SerializeOn is { } key) await session.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", ct, ("key", key));
                revision = await RevisionStore.LockAsync(session, resource, ct);
                // No row: the body says what is missing (404), in its own words.
                if (revision is { } r && ifMatch is not null && !ETags.Matches(ifMatch, resource.ETag(r)))
                {
                    await session.DisposeAsync();
                    throw await StaleAsync(spec, resource, ifMatch, ct);
                }
            }
            var result = await body(session);
            long? after = null;
            if (spec.Resource is { } res && revision is { } before)
            {
                after = await RevisionStore.BumpAsync(session, res, ct);
                var id = res.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
                // Every accepted write shows in the resource's own history (the plan's, for a cell's lock or a compound's move).
                if (!trail.Changes.Any(c => c.Entity == res.Kind && c.EntityId == id))
                    trail.Changes.Insert(0, new AuditChange(res.Kind, id, spec.Before ?? new { revision = before }, spec.After ?? new { revision = after }));
            }
            var changes = trail.Changes.Count > 0 ? trail.Changes : [AuditChange.FromSpec(spec)];
            await AuditStore.AppendAsync(session, changes.Select(c => c.ToEntry(who, spec.UseCase, after, spec.Resource is null ? null : ifMatch)).ToList(), ct);
            await session.CommitAsync(ct);
            foreach (var o in _observers) o.Committed();
            log.LogInformation("{UseCase} on {Target} by {Caller} ({Role}) done in {Ms} ms", spec.UseCase, spec.Target, who.Name, who.Role, sw.ElapsedMilliseconds);
            return result;
        }
        catch (PreconditionFailed p)
        {
            log.LogInformation("{UseCase} on {Target} by {Caller} refused: If-Match {IfMatch} is not current ({ETag})", spec.UseCase, spec.Target, who.Name, p.IfMatch, p.CurrentETag);
            throw;
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

    /// <summary>The 412 for a stale If-Match, read after the write's transaction was rolled back: the current entity tag,
    /// the resource as its GET shows it, and the latest change to it.</summary>
    private async Task<PreconditionFailed> StaleAsync(WriteSpec spec, ResourceRef resource, string ifMatch, CancellationToken ct)
    {
        var revision = await RevisionStore.CurrentAsync(db, resource, ct) ?? 0;
        var current = _readers.TryGetValue(resource.Kind, out var reader) ? await reader.Read(resource.Id, ct) : null;
        // The representation read may be newer than the revision read just before: its own tag is the one to send back.
        var etag = current is IVersioned v ? v.ETag : resource.ETag(revision);
        var last = await new HistoryQueries(db).LatestWriteAsync(resource.Kind, resource.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
        return new PreconditionFailed(resource, ifMatch, etag, current, last);
    }

    /// <summary>A write with no result.</summary>
    public Task RunAsync(WriteSpec spec, Func<DbSession, Task> body, CancellationToken ct = default) =>
        RunAsync(spec, async s => { await body(s); return true; }, ct);
}
