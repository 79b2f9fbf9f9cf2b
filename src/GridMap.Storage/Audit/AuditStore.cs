using Npgsql;
using NpgsqlTypes;

namespace GridMap.Storage.Audit;

/// <summary>One change to append: who (name, role, branch), the use case, the entity and its id, before/after as JSON
/// text (null when the entity did not exist before or no longer exists), the change in area (m²) when a geometry changed, the
/// revision of the versioned resource the write produced, and the If-Match it was conditional on (null: unconditional).</summary>
public sealed record AuditEntry(string Actor, string ActorRole, int? ActorBranchId, string Action, string Entity, string EntityId,
    string? BeforeJson, string? AfterJson, double? AreaChangeM2, long? Revision = null, string? IfMatch = null);

/// <summary>An appended change as stored, with its id (increasing) and time.</summary>
public sealed record AuditRow(long Id, DateTimeOffset At, string Actor, string ActorRole, int? ActorBranchId, string Action, string Entity,
    string EntityId, string? BeforeJson, string? AfterJson, double? AreaChangeM2, long? Revision = null, string? IfMatch = null);

/// <summary>
/// The audit log (table audit_log): appended inside the write's own transaction, so a change and its record commit or
/// roll back together; triggers refuse UPDATE, DELETE and TRUNCATE.
/// </summary>
public static class AuditStore
{
    /// <summary>Appends <paramref name="entries"/> in <paramref name="s"/>'s transaction, in their order (ids increase), one
    /// statement per 10,000 entries (an import of 200,000 features is 20 round trips, not 200,000).</summary>
    public static async Task AppendAsync(DbSession s, IReadOnlyList<AuditEntry> entries, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(entries);
        const int Chunk = 10_000;
        for (var start = 0; start < entries.Count; start += Chunk)
        {
            var part = entries.Skip(start).Take(Chunk).ToList();
            await using var cmd = s.Command("""
                INSERT INTO audit_log (actor, actor_role, actor_branch_id, action, entity, entity_id, before, after, area_change_m2, revision, if_match)
                SELECT actor, role, branch, action, entity, id, before::jsonb, after::jsonb, area, revision, ifmatch
                FROM unnest(@actor, @role, @branch, @action, @entity, @id, @before, @after, @area, @revision, @ifmatch)
                     WITH ORDINALITY AS e(actor, role, branch, action, entity, id, before, after, area, revision, ifmatch, n)
                ORDER BY n
                """);
            Add(cmd, "actor", NpgsqlDbType.Text, part.Select(e => e.Actor));
            Add(cmd, "role", NpgsqlDbType.Text, part.Select(e => e.ActorRole));
            Add(cmd, "branch", NpgsqlDbType.Integer, part.Select(e => e.ActorBranchId));
            Add(cmd, "action", NpgsqlDbType.Text, part.Select(e => e.Action));
            Add(cmd, "entity", NpgsqlDbType.Text, part.Select(e => e.Entity));
            Add(cmd, "id", NpgsqlDbType.Text, part.Select(e => e.EntityId));
            Add(cmd, "before", NpgsqlDbType.Text, part.Select(e => e.BeforeJson));
            Add(cmd, "after", NpgsqlDbType.Text, part.Select(e => e.AfterJson));
            Add(cmd, "area", NpgsqlDbType.Double, part.Select(e => e.AreaChangeM2));
            Add(cmd, "revision", NpgsqlDbType.Bigint, part.Select(e => e.Revision));
            Add(cmd, "ifmatch", NpgsqlDbType.Text, part.Select(e => e.IfMatch));
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    private static void Add<T>(NpgsqlCommand cmd, string name, NpgsqlDbType type, IEnumerable<T> values) =>
        cmd.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | type) { Value = values.ToArray() });

    /// <summary>Changes to one entity, newest first: at most <paramref name="limit"/>, older than <paramref name="beforeId"/> when given.</summary>
    public static async Task<IReadOnlyList<AuditRow>> ListAsync(NpgsqlDataSource db, string entity, string entityId, long? beforeId, int limit,
        CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("""
            SELECT id, at, actor, actor_role, actor_branch_id, action, entity, entity_id, before::text, after::text, area_change_m2, revision, if_match
            FROM audit_log
            WHERE entity = @entity AND entity_id = @id AND (@before::bigint IS NULL OR id < @before)
            ORDER BY id DESC LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("entity", entity);
        cmd.Parameters.AddWithValue("id", entityId);
        cmd.Parameters.Add(new NpgsqlParameter("before", NpgsqlDbType.Bigint) { Value = (object?)beforeId ?? DBNull.Value });
        cmd.Parameters.AddWithValue("limit", limit);
        return await ReadAsync(cmd, ct);
    }

    /// <summary>Every change of the latest write that touched an entity (same transaction), in the order appended; empty when none.</summary>
    public static async Task<IReadOnlyList<AuditRow>> LatestWriteAsync(NpgsqlDataSource db, string entity, string entityId, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("""
            SELECT id, at, actor, actor_role, actor_branch_id, action, entity, entity_id, before::text, after::text, area_change_m2, revision, if_match
            FROM audit_log
            WHERE tx = (SELECT tx FROM audit_log WHERE entity = @entity AND entity_id = @id ORDER BY id DESC LIMIT 1)
            ORDER BY id
            LIMIT 200
            """);
        cmd.Parameters.AddWithValue("entity", entity);
        cmd.Parameters.AddWithValue("id", entityId);
        return await ReadAsync(cmd, ct);
    }

    private static async Task<IReadOnlyList<AuditRow>> ReadAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<AuditRow>();
        while (await r.ReadAsync(ct))
            list.Add(new AuditRow(r.GetInt64(0), r.GetFieldValue<DateTimeOffset>(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetInt32(4),
                r.GetString(5), r.GetString(6), r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9),
                r.IsDBNull(10) ? null : r.GetDouble(10), r.IsDBNull(11) ? null : r.GetInt64(11), r.IsDBNull(12) ? null : r.GetString(12)));
        return list;
    }
}
