using System.Runtime.CompilerServices;
using GridMap.Application.Pipeline;
using GridMap.Storage;
using GridMap.Storage.Audit;

namespace GridMap.Application.Audit;

/// <summary>One change a write made: the entity (<c>compound</c>, <c>plan</c>, <c>cell</c>, <c>valve</c>, <c>user</c>…), its
/// id, and what it was and became (any objects; null before = created, null after = deleted).</summary>
public sealed record AuditChange(string Entity, string EntityId, object? Before, object? After)
{
    /// <summary>The entry a write without recorded changes leaves: the spec's target (<c>plan:42</c> → plan 42) and its Before/After.</summary>
    public static AuditChange FromSpec(WriteSpec spec)
    {
        var i = spec.Target.IndexOf(':', StringComparison.Ordinal);
        return i > 0 ? new AuditChange(spec.Target[..i], spec.Target[(i + 1)..], spec.Before, spec.After)
                     : new AuditChange(spec.Target, "", spec.Before, spec.After);
    }

    internal AuditEntry ToEntry(Caller who, string action, long? revision = null, string? ifMatch = null)
    {
        var before = AuditJson.ToNode(Before);
        var after = AuditJson.ToNode(After);
        return new AuditEntry(who.Name, who.Role, who.BranchId, action, Entity, EntityId, before?.ToJsonString(AuditJson.Options),
            after?.ToJsonString(AuditJson.Options), AuditJson.AreaChange(before, after), revision, ifMatch);
    }
}

/// <summary>
/// What a write changed, stated by the use case with one call inside <see cref="WritePipeline.RunAsync{T}"/>:
/// <c>session.Changed("compound", id, new { cell = from }, new { cell = to })</c>. The pipeline appends the changes to
/// the audit log in the write's own transaction when the body returns (nothing is appended when it throws).
/// </summary>
public static class AuditTrail
{
    private static readonly ConditionalWeakTable<DbSession, Recorder> Open = new();

    /// <summary>Records that <paramref name="entity"/> <paramref name="id"/> changed from <paramref name="before"/> to <paramref name="after"/>.
    /// Only inside a write of the <see cref="WritePipeline"/>.</summary>
    public static void Changed(this DbSession session, string entity, object id, object? before, object? after)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentException.ThrowIfNullOrWhiteSpace(entity);
        ArgumentNullException.ThrowIfNull(id);
        if (!Open.TryGetValue(session, out var recorder))
            throw new InvalidOperationException("changes are recorded only inside a write of the WritePipeline (WritePipeline.RunAsync).");
        lock (recorder.Changes)
            recorder.Changes.Add(new AuditChange(entity, Convert.ToString(id, System.Globalization.CultureInfo.InvariantCulture) ?? "", before, after));
    }

    internal static Recorder Begin(DbSession session)
    {
        var r = new Recorder();
        Open.AddOrUpdate(session, r);
        return r;
    }

    internal static void End(DbSession session) => Open.Remove(session);

    internal sealed class Recorder
    {
        public List<AuditChange> Changes { get; } = [];
    }
}
