using Npgsql;

namespace GridMap.Storage.Layers;

/// <summary>One logged change: the data generation it committed under, what changed (a table or an agg_* unit level)
/// and the WGS84 box it touched.</summary>
public sealed record TileChange(long Generation, string Source, BoundingBox Box);

/// <summary>The committed data generation, the changes after a known one, and the log's name (database + epoch: a disk
/// cache belongs to exactly one log).</summary>
public sealed record TileChanges(long Generation, IReadOnlyList<TileChange> Changes, string LogName);

/// <summary>Reads the tile change log written by the triggers of migration 0015 (tile_generation, tile_change).</summary>
public sealed class TileChangeLog(NpgsqlDataSource db)
{
    private static readonly string SinceSql = SqlScripts.Get("Layers/tile_changes_since.sql");

    /// <summary>The committed generation and every change after <paramref name="since"/> up to it (one snapshot).</summary>
    public async Task<TileChanges> SinceAsync(long since, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(SinceSql);
        cmd.Parameters.AddWithValue("since", since);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        long gen = 0;
        var name = "";
        var changes = new List<TileChange>();
        while (await r.ReadAsync(ct))
        {
            if (r.IsDBNull(1)) { gen = r.GetInt64(0); name = r.GetString(6); continue; }
            double x0 = r.GetDouble(2), y0 = r.GetDouble(3), x1 = r.GetDouble(4), y1 = r.GetDouble(5);
            // A point (or a horizontal/vertical line) has an empty box: widen it a hair so BoundingBox accepts it.
            const double eps = 1e-9;
            changes.Add(new TileChange(r.GetInt64(0), r.GetString(1), new BoundingBox(
                Math.Max(-180, Math.Min(x0, x1 - eps)), Math.Max(-90, Math.Min(y0, y1 - eps)), Math.Min(180, Math.Max(x1, x0 + eps)), Math.Min(90, Math.Max(y1, y0 + eps)))));
        }
        return new TileChanges(gen, changes, name);
    }

    /// <summary>Channel the change log's triggers notify on commit (payload: the committed generation), see migration 0015.</summary>
    public const string Channel = "tile_change";

    private const string ListenSql = "LISTEN tile_change";

    /// <summary>
    /// Listens for committed generations on one connection of its own: calls <paramref name="listening"/> once LISTEN is in
    /// force, with the listening server process id (a look at the log started after that sees everything a missed notification would have said), then
    /// <paramref name="notified"/> for each generation as it arrives, until <paramref name="ct"/> is cancelled or the
    /// connection fails (the exception is thrown: the caller must treat every notification from then on as missing).
    /// The connection is pinged every <paramref name="ping"/> so a silently dead one is noticed within about that long.
    /// </summary>
    /// <summary>The database's time zone (its <c>current_date</c>, which date-dependent tiles use, is in it); UTC when .NET
    /// does not know the name.</summary>
    public async Task<TimeZoneInfo> TimeZoneAsync(CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT current_setting('TimeZone')");
        var name = await cmd.ExecuteScalarAsync(ct) as string;
        try { return name is { Length: > 0 } ? TimeZoneInfo.FindSystemTimeZoneById(name) : TimeZoneInfo.Utc; }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException) { return TimeZoneInfo.Utc; }
    }

    public async Task ListenAsync(Func<int, Task> listening, Action<long> notified, TimeSpan ping, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(listening);
        ArgumentNullException.ThrowIfNull(notified);
        await using var conn = await db.OpenConnectionAsync(ct);
        conn.Notification += (_, e) =>
        {
            if (long.TryParse(e.Payload, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var g)) notified(g);
        };
        await using (var listen = new NpgsqlCommand(ListenSql, conn)) await listen.ExecuteNonQueryAsync(ct);
        await listening(conn.ProcessID);
        await using var alive = new NpgsqlCommand("SELECT 1", conn) { CommandTimeout = Math.Max(1, (int)ping.TotalSeconds) };
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (!await conn.WaitAsync(ping, ct)) await alive.ExecuteScalarAsync(ct);
        }
    }
}
