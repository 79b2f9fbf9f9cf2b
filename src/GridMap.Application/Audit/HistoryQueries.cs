using System.Text.Json;
using GridMap.Storage.Audit;
using Npgsql;

namespace GridMap.Application.Audit;

/// <summary>One change to an entity: who (name, role, branch), when, which use case, and the entity before and after
/// (JSON; geometries as type + sha256 + areaM2 + lengthM); <see cref="AreaChangeM2"/> when a geometry changed; for a write to a
/// versioned resource (a plan), the <see cref="Revision"/> it produced and the <see cref="IfMatch"/> it was conditional on
/// (null with a revision: sent without If-Match, accepted as last writer wins).</summary>
public sealed record HistoryEntry(long Id, DateTimeOffset At, string User, string Role, int? BranchId, string Action, string Entity, string EntityId,
    JsonElement? Before, JsonElement? After, double? AreaChangeM2, long? Revision = null, string? IfMatch = null);

/// <summary>A page of an entity's history, newest first; pass <see cref="NextBefore"/> as <c>before</c> for the next (older) page, null at the end.</summary>
public sealed record HistoryPage(string Entity, string Id, IReadOnlyList<HistoryEntry> Items, long? NextBefore);

/// <summary>The change history of compounds, plans, cells, valves and the other audited entities.</summary>
public sealed class HistoryQueries(NpgsqlDataSource db)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <summary>Entities the audit log knows (the <c>entity</c> of <see cref="AuditTrail.Changed"/>).</summary>
    public static IReadOnlyList<string> Entities { get; } = ["compound", "plan", "cell", "valve", "pipe", "staff", "district", "user", "job",
        // The campaign (issue 10): households, visits and their photos, 五化 items, disputes, follow-ups.
        "household", "visit", "visit_photo", "acceptance_item", "dispute", "follow_up_visit"];

    public async Task<HistoryPage> HistoryAsync(string? entity, string? id, long? before, int? limit, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(entity) || !Entities.Contains(entity))
            throw new ArgumentException($"entity 必须是 {string.Join(", ", Entities)} 之一 (entity must be one of {string.Join(", ", Entities)}).");
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64)
            throw new ArgumentException("请给出对象编号，如 ?entity=compound&id=12 (give the id, e.g. ?entity=compound&id=12).");
        var n = limit ?? DefaultLimit;
        if (n is < 1 or > MaxLimit) throw new ArgumentException($"limit 须在 1–{MaxLimit} 之间 (limit must be 1–{MaxLimit}).");
        var rows = await AuditStore.ListAsync(db, entity, id.Trim(), before, n + 1, ct);
        var items = rows.Take(n).Select(Entry).ToList();
        return new HistoryPage(entity, id.Trim(), items, rows.Count > n ? items[^1].Id : null);
    }

    /// <summary>Every change of the latest write that touched an entity (the plan's own entry and its cells', compounds'…), in order.</summary>
    public async Task<IReadOnlyList<HistoryEntry>> LatestWriteAsync(string entity, string id, CancellationToken ct = default) =>
        (await AuditStore.LatestWriteAsync(db, entity, id, ct)).Select(Entry).ToList();

    private static HistoryEntry Entry(AuditRow r) => new(r.Id, r.At, r.Actor, r.ActorRole, r.ActorBranchId, r.Action, r.Entity, r.EntityId,
        Parse(r.BeforeJson), Parse(r.AfterJson), r.AreaChangeM2, r.Revision, r.IfMatch);

    private static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}
