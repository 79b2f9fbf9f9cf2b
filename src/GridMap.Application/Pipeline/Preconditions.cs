using GridMap.Application.Audit;
using GridMap.Storage;

namespace GridMap.Application.Pipeline;

/// <summary>
/// The <c>If-Match</c> of the request running now, for the <see cref="WritePipeline"/>: the Api's endpoint filter sets it
/// from the header around each write endpoint (<c>.WithPreconditions()</c>), so use cases need no extra parameter; the CLI
/// and background jobs never set it (their writes are unconditional). A <see cref="WriteSpec.IfMatch"/> given explicitly wins.
/// Flows with the async call (AsyncLocal), like <see cref="CallerScope"/>.
/// </summary>
public static class Preconditions
{
    private static readonly AsyncLocal<string?> Current = new();

    /// <summary>The ambient If-Match (null: none).</summary>
    public static string? IfMatch => Current.Value;

    /// <summary>Runs code with <paramref name="ifMatch"/> as the ambient If-Match: <c>using (Preconditions.Use(h)) { … }</c>.</summary>
    public static IDisposable Use(string? ifMatch)
    {
        var previous = Current.Value;
        Current.Value = string.IsNullOrWhiteSpace(ifMatch) ? null : ifMatch.Trim();
        return new Restore(previous);
    }

    private sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}

/// <summary>
/// A write whose <c>If-Match</c> is no longer current (someone else changed the resource since it was read): nothing was
/// written. Carries the resource, its current entity tag, the resource as a GET returns it now (<see cref="Current"/>,
/// when a reader is registered for its kind) and the latest write to it from the audit log (who, when, and each change it made).
/// The Api answers 412 Precondition Failed with rule <c>precondition-failed</c>.
/// </summary>
public sealed class PreconditionFailed(ResourceRef resource, string ifMatch, string currentETag, object? current, IReadOnlyList<HistoryEntry> lastChanges)
    : Exception(Describe(resource, currentETag, lastChanges.LastOrDefault(c => c.Entity == resource.Kind && c.EntityId == resource.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))))
{
    public const string Code = "precondition-failed";

    public ResourceRef Resource { get; } = resource;
    public string IfMatch { get; } = ifMatch;
    public string CurrentETag { get; } = currentETag;
    public object? Current { get; } = current;
    /// <summary>The resource's own entry of the latest write to it (who, when, which use case).</summary>
    public HistoryEntry? LastChange { get; } = lastChanges.LastOrDefault(c => c.Entity == resource.Kind && c.EntityId == resource.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Every change that latest write made (the plan's entry and its cells', compounds'…), before/after each.</summary>
    public IReadOnlyList<HistoryEntry> LastChanges { get; } = lastChanges;

    private static string Describe(ResourceRef r, string etag, HistoryEntry? last)
    {
        var what = r.Kind == "plan" ? "此方案" : "此对象";
        var by = last is null ? "" : $"已被 {last.User} 于 {last.At.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm}（北京时间） 修改，";
        return $"{what}{by}您看到的已不是最新版本，请重新加载后再操作 ({r} changed since you read it: current ETag {etag}; reload and redo).";
    }
}

/// <summary>Reads an editable resource as its GET answers it, for the body of a 412 (registered per kind by the family
/// that owns it, e.g. planning registers <c>plan</c>).</summary>
public sealed record ResourceReader(string Kind, Func<long, CancellationToken, Task<object?>> Read);
