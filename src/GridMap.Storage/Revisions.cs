using System.Globalization;

namespace GridMap.Storage;

/// <summary>An editable resource: its kind (<c>plan</c>, later <c>compound</c>, <c>household</c>, <c>valve</c>) and id.</summary>
public sealed record ResourceRef(string Kind, long Id)
{
    public static ResourceRef Plan(long id) => new("plan", id);

    public override string ToString() => $"{Kind}:{Id.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The strong, quoted entity tag of revision <paramref name="revision"/> of this resource: <c>"plan-42-r7"</c>.</summary>
    public string ETag(long revision) => ETags.Format(Kind, Id, revision);
}

/// <summary>A representation that has an entity tag (a plan as GET returns it, or a write result that carries one).
/// The Api sets the <c>ETag</c> response header from it.</summary>
public interface IVersioned
{
    /// <summary>Strong, quoted entity tag, e.g. <c>"plan-42-r7"</c>.</summary>
    string ETag { get; }
}

/// <summary>Entity tags of revisions: strong, quoted, <c>"kind-id-rN"</c> (RFC 9110 §8.8.3).</summary>
public static class ETags
{
    public static string Format(string kind, long id, long revision) =>
        string.Create(CultureInfo.InvariantCulture, $"\"{kind}-{id}-r{revision}\"");

    /// <summary>True when an <c>If-Match</c> header value (<c>*</c>, or a comma-separated list of entity tags) matches
    /// <paramref name="current"/> by strong comparison: a weak tag (<c>W/"…"</c>) never matches.</summary>
    public static bool Matches(string ifMatch, string current)
    {
        ArgumentNullException.ThrowIfNull(ifMatch);
        foreach (var raw in ifMatch.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw == "*") return true;
            if (string.Equals(raw, current, StringComparison.Ordinal)) return true;
        }
        return false;
    }
}

/// <summary>
/// The revision of editable resources (migration 0012): read and locked (<c>FOR UPDATE</c>) at the start of a write,
/// bumped by one when the write succeeds, in the write's own transaction. The table of each kind is fixed here (never
/// taken from a request); a family that makes a new kind editable adds a <c>revision</c> column in its migration and a
/// line to <see cref="Tables"/>.
/// </summary>
public static class RevisionStore
{
    /// <summary>Kind → table with <c>id bigint/int</c> and <c>revision bigint</c>.</summary>
    public static IReadOnlyDictionary<string, string> Tables { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["plan"] = "plan",
        ["compound"] = "compound",
    };

    private static string Table(string kind) => Tables.TryGetValue(kind, out var t) ? t
        : throw new InvalidOperationException($"resource kind '{kind}' has no revision (add it to RevisionStore.Tables).");

    /// <summary>Locks the resource's row for the rest of the transaction and returns its revision; null when there is no such row.</summary>
    public static async Task<long?> LockAsync(DbSession s, ResourceRef r, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(r);
        await using var cmd = s.Command($"SELECT revision FROM {Table(r.Kind)} WHERE id = @id FOR UPDATE");
        cmd.Parameters.AddWithValue("id", r.Id);
        return await cmd.ExecuteScalarAsync(ct) as long?;
    }

    /// <summary>Bumps the resource's revision by one; returns the new one (null when the row is gone, e.g. deleted by the write).</summary>
    public static async Task<long?> BumpAsync(DbSession s, ResourceRef r, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(r);
        await using var cmd = s.Command($"UPDATE {Table(r.Kind)} SET revision = revision + 1 WHERE id = @id RETURNING revision");
        cmd.Parameters.AddWithValue("id", r.Id);
        return await cmd.ExecuteScalarAsync(ct) as long?;
    }

    /// <summary>The current revision, outside any write (for an ETag); null when there is no such row.</summary>
    public static async Task<long?> CurrentAsync(Npgsql.NpgsqlDataSource db, ResourceRef r, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(r);
        await using var cmd = db.CreateCommand($"SELECT revision FROM {Table(r.Kind)} WHERE id = @id");
        cmd.Parameters.AddWithValue("id", r.Id);
        return await cmd.ExecuteScalarAsync(ct) as long?;
    }
}
