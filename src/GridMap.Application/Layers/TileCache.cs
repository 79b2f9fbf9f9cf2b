using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using GridMap.Storage.Layers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace GridMap.Application.Layers;

/// <summary>Tile cache settings (configuration section <c>GridMap:Tiles</c>; env <c>GridMap__Tiles__Cache=false</c> turns it off).
/// <paramref name="Listen"/>: learn of changes from the log's notifications (LISTEN tile_change), so a cache hit needs no
/// database round trip; false (<c>GridMap:Tiles:Freshness=check</c>) = look at the change log before every answer.</summary>
public sealed record TileCacheOptions(bool Enabled, string? Directory, long MemoryBytes, bool Listen = true)
{
    /// <summary>First wait before listening again after the connection was lost (doubling up to 5 s); <c>GridMap:Tiles:ListenRetryMs</c>.</summary>
    public TimeSpan ListenRetry { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The clock that says which day it is, for date-dependent layers (<see cref="LayerInfo.ChangesDaily"/>).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Reads <c>GridMap:Tiles:Cache</c> (default true), <c>GridMap:Tiles:CacheDir</c> (default the repository's
    /// git-ignored tiles/cache, else a temp folder; "" or "none" = memory only) and <c>GridMap:Tiles:CacheMemoryMB</c> (default 256).</summary>
    public static TileCacheOptions From(IConfiguration? config)
    {
        var s = config?.GetSection("GridMap:Tiles");
        var enabled = !string.Equals(s?["Cache"], "false", StringComparison.OrdinalIgnoreCase) && s?["Cache"] != "0";
        var dir = s?["CacheDir"] is { } d ? (d is "" or "none" ? null : d) : DefaultDirectory();
        var mb = long.TryParse(s?["CacheMemoryMB"], out var m) && m > 0 ? m : 256;
        var listen = !string.Equals(s?["Freshness"], "check", StringComparison.OrdinalIgnoreCase);
        var retry = int.TryParse(s?["ListenRetryMs"], out var r) && r > 0 ? r : 100;
        return new TileCacheOptions(enabled, dir, mb * 1024 * 1024, listen) { ListenRetry = TimeSpan.FromMilliseconds(retry) };
    }

    private static string DefaultDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GridMap.sln"))) return Path.Combine(dir.FullName, "tiles", "cache");
        return Path.Combine(Path.GetTempPath(), "gridmap-tiles");
    }
}

/// <summary>A tile ready to send: its gzip'd MVT bytes (empty when the tile has no features) and a strong ETag.</summary>
public sealed record TileBody(byte[] Gzip, string ETag)
{
    public bool IsEmpty => Gzip.Length == 0;

    /// <summary>The MVT bytes themselves, for a client that does not accept gzip.</summary>
    public byte[] Decompress()
    {
        if (IsEmpty) return [];
        using var input = new GZipStream(new MemoryStream(Gzip), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Compresses MVT bytes and names them: the ETag is a hash of the uncompressed bytes. <paramref name="level"/>:
    /// Optimal for what is kept in the cache (compressed once, sent many times), Fastest for a tile built for one answer.</summary>
    public static TileBody From(byte[] mvt, CompressionLevel level = CompressionLevel.Optimal)
    {
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(mvt).AsSpan(0, 16)) + "\"";
        if (mvt.Length == 0) return new TileBody([], etag);
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, level, leaveOpen: true)) gz.Write(mvt);
        return new TileBody(ms.ToArray(), etag);
    }
}

/// <summary>
/// Vector tiles with a cache of their gzip'd bytes in memory and on disk that never serves a stale tile.
/// The cache knows the change log up to a generation; a cached tile is served only if no change logged since it was
/// built names one of the layer's sources with a box that reaches the tile (its bounds plus the 64/4096 buffer the tile
/// SQL draws). How it learns of new generations (docs/tiles-performance.md):
/// <list type="bullet">
/// <item>Listening (default): one connection LISTENs on the log's channel; a notified generation newer than the cache's
/// makes the next request read the log (one read shared by every request waiting for it); otherwise a request needs no
/// database round trip. A write through GridMap's <see cref="Pipeline.WritePipeline"/> tells the cache after its commit
/// (<see cref="Committed"/>), so the next request reads the log without waiting for the notification.</item>
/// <item>Not listening (connecting, connection lost, <c>GridMap:Tiles:Freshness=check</c>): every request waits for a
/// look at the log that started after it arrived (one look serves every request that arrived before it started).</item>
/// </list>
/// </summary>
public sealed class TileCache : Pipeline.ICommitObserver, IAsyncDisposable
{
    /// <summary>Share of a tile's width drawn beyond its edge by the tile SQL (ST_AsMVTGeom buffer 64 of 4096).</summary>
    private const double Margin = 64.0 / 4096;

    private readonly LayerStore _store;
    private readonly LayerCatalog _catalog;
    private readonly TileChangeLog _log;
    private readonly ILogger<TileCache> _logger;
    private readonly ConcurrentDictionary<(string Layer, TileAddress Tile), Entry> _memory = new();
    private long _memoryBytes;
    private int _diskWarned;

    // The change feed: generation last seen, changes seen (copy-on-write, ordered by generation), the log's name.
    private readonly object _gate = new();
    private Task? _current;
    private Task<long>? _next;
    private long _generation = -1;
    private TileChange[] _changes = [];
    private string? _logName;

    // Listening: whether notifications are in force, the newest generation notified, writes through GridMap counted
    // (committed, and seen by a completed look at the log that started after them).
    private readonly CancellationTokenSource _stop = new();
    private int _listenStarted;
    private int _disposed;
    private long _logReads;
    private volatile bool _listening;
    private long _notified = -1;
    private long _writes;
    private long _writesSeen;
    private Task _listener = Task.CompletedTask;

    /// <summary>How often the listening connection is pinged when no notification arrives (a dead one is noticed by then).</summary>
    public static readonly TimeSpan ListenPing = TimeSpan.FromSeconds(5);

    public TileCache(LayerStore store, LayerCatalog catalog, TileChangeLog log, TileCacheOptions options, ILogger<TileCache> logger)
    {
        (_store, _catalog, _log, _logger, Options) = (store, catalog, log, logger, options);
    }

    private TimeZoneInfo? _zone;
    private long _builds;

    /// <summary>Tiles built from the database while the cache is on (diagnostics: a hit builds none).</summary>
    public long Builds => Interlocked.Read(ref _builds);

    /// <summary>Today in the database's time zone: a tile of a <see cref="LayerInfo.ChangesDaily"/> layer is current only that day.</summary>
    private async ValueTask<DateOnly> TodayAsync(CancellationToken ct)
    {
        var zone = _zone ??= await _log.TimeZoneAsync(ct);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Options.Clock.GetUtcNow(), zone).DateTime);
    }

    public TileCacheOptions Options { get; }

    private sealed class Entry(TileBody body, long generation, DateOnly? day = null)
    {
        public TileBody Body { get; } = body;
        public long Generation = generation;
        /// <summary>The day it was built, for date-dependent layers (null for the others).</summary>
        public DateOnly? Day { get; } = day;
    }

    /// <summary>The tile, current as of this request: from the cache when nothing has touched it since it was built.</summary>
    public async Task<TileBody> GetAsync(string layerId, TileAddress tile, CancellationToken ct = default)
    {
        var layer = _catalog.Get(layerId);
        if (!Options.Enabled) return TileBody.From(await _store.TileAsync(layer.Id, tile, ct), CompressionLevel.Fastest);
        var generation = CurrentWithoutLooking() is { } known ? known : await SyncAsync().WaitAsync(ct);
        var key = (layer.Id, tile);
        // Date-dependent layers are kept in memory only, with the day they were built: a new day makes them stale.
        DateOnly? today = layer.ChangesDaily ? await TodayAsync(ct) : null;
        if (_memory.TryGetValue(key, out var hit) && hit.Day == today && Fresh(layer, tile, hit, generation)) return hit.Body;
        if (hit is not null && _memory.TryRemove(key, out var gone)) Interlocked.Add(ref _memoryBytes, -gone.Body.Gzip.Length);
        if (today is null && ReadDisk(layer.Id, tile) is { } stored && Fresh(layer, tile, stored, generation))
        {
            Remember(key, stored);
            return stored.Body;
        }
        // Built after the check: it holds at least every change up to `generation`.
        var body = TileBody.From(await _store.TileAsync(layer.Id, tile, ct));
        Interlocked.Increment(ref _builds);
        var entry = new Entry(body, generation, today);
        Remember(key, entry);
        if (today is null) WriteDisk(layer.Id, tile, entry);
        return body;
    }

    /// <summary>True while notifications are in force (a cache hit then needs no database round trip).</summary>
    public bool Listening => _listening;

    /// <summary>The generation of the change log the cache has read up to.</summary>
    public long Generation => Volatile.Read(ref _generation);

    /// <summary>The newest generation notified (-1 before any).</summary>
    public long Notified => Volatile.Read(ref _notified);

    /// <summary>How many times the change log has been read (diagnostics: cache hits while listening read it never).</summary>
    public long LogReads => Interlocked.Read(ref _logReads);

    /// <summary>PostgreSQL server process of the listening connection, last time LISTEN was in force (diagnostics; 0 before).</summary>
    public int ListenerProcessId { get; private set; }

    /// <summary>The generation a request may answer at without reading the log, or null when it must read it: not
    /// listening, a newer generation was notified, or a write through GridMap has not been looked for since its commit.</summary>
    private long? CurrentWithoutLooking()
    {
        if (!Options.Listen) return null;
        if (Interlocked.CompareExchange(ref _listenStarted, 1, 0) == 0) _listener = Task.Run(ListenLoopAsync);
        if (!_listening) return null;
        var generation = Volatile.Read(ref _generation);
        return Volatile.Read(ref _notified) <= generation && Volatile.Read(ref _writesSeen) >= Volatile.Read(ref _writes) ? generation : null;
    }

    /// <summary>A write through GridMap committed: the next request reads the log (does not wait for the notification).</summary>
    public void Committed() => Interlocked.Increment(ref _writes);

    private async Task ListenLoopAsync()
    {
        var delay = Options.ListenRetry;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _log.ListenAsync(async pid =>
                {
                    ListenerProcessId = pid;
                    // LISTEN is in force: a look at the log started now sees every change a lost notification named.
                    await SyncAsync().WaitAsync(_stop.Token).ConfigureAwait(false);
                    _listening = true;
                    delay = Options.ListenRetry;
                }, g =>
                {
                    for (var seen = Volatile.Read(ref _notified); g > seen; seen = Volatile.Read(ref _notified))
                        if (Interlocked.CompareExchange(ref _notified, g, seen) == seen) break;
                }, ListenPing, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (_stop.IsCancellationRequested && e is OperationCanceledException)
            {
                break;
            }
            catch (Exception e)
            {
                // From now until LISTEN is back, every request reads the log itself.
                _listening = false;
                _logger.LogWarning(e, "瓦片变更通知连接中断，改为每次请求检查变更日志 (tile change notifications lost; checking the change log per request until listening again in {Delay} ms)", delay.TotalMilliseconds);
            }
            finally
            {
                _listening = false;
            }
            try { await Task.Delay(delay, _stop.Token).ConfigureAwait(false); } catch (OperationCanceledException) { break; }
            delay = TimeSpan.FromMilliseconds(Math.Min(Math.Max(5000, Options.ListenRetry.TotalMilliseconds), delay.TotalMilliseconds * 2));
        }
    }

    /// <summary>Stops listening. Idempotent (the container disposes it once per registration).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync();
        try { await _listener.ConfigureAwait(false); } catch (Exception) { /* stopping */ }
    }

    /// <summary>True when no change after the entry's generation (up to <paramref name="generation"/>) reaches the tile.</summary>
    private bool Fresh(LayerInfo layer, TileAddress tile, Entry entry, long generation)
    {
        var since = Volatile.Read(ref entry.Generation);
        if (since == generation) return true;
        if (since > generation) return false;
        var changes = Volatile.Read(ref _changes);
        var (x0, y0, x1, y1) = tile.Bounds(Margin);
        // First change after `since` (changes are ordered by generation).
        int lo = 0, hi = changes.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (changes[mid].Generation <= since) lo = mid + 1; else hi = mid;
        }
        for (var i = lo; i < changes.Length && changes[i].Generation <= generation; i++)
        {
            var c = changes[i];
            if (c.Box.MaxLon < x0 || c.Box.MinLon > x1 || c.Box.MaxLat < y0 || c.Box.MinLat > y1) continue;
            foreach (var s in layer.Sources)
                if (string.Equals(s, c.Source, StringComparison.Ordinal)) return false;
        }
        Volatile.Write(ref entry.Generation, generation);
        return true;
    }

    /// <summary>Waits for a look at the change log that starts after this call, and returns the generation it saw.</summary>
    public Task<long> SyncAsync()
    {
        lock (_gate)
        {
            if (_next is { } waiting) return waiting;
            var previous = _current;
            var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            _next = done.Task;
            // May start the look at once (and clear _next) when none is running: hand out our own task.
            _ = ProbeAfterAsync(previous, done);
            return done.Task;
        }
    }

    private async Task ProbeAfterAsync(Task? previous, TaskCompletionSource<long> done)
    {
        if (previous is not null)
        {
            try { await previous.ConfigureAwait(false); } catch { /* the previous look failed; this one tries again */ }
        }
        lock (_gate)
        {
            // From here on the look has started: later callers wait for the one after it.
            _current = done.Task;
            _next = null;
        }
        try
        {
            // Writes through GridMap committed before this look starts are in what it reads.
            var writes = Volatile.Read(ref _writes);
            Interlocked.Increment(ref _logReads);
            // The first look reads the whole log, so tiles kept on disk by an earlier run are checked against it too.
            var seen = await _log.SinceAsync(Math.Max(_generation, 0)).ConfigureAwait(false);
            if (seen.Changes.Count > 0)
                Volatile.Write(ref _changes, [.. _changes, .. seen.Changes.Where(c => c.Generation > _generation)]);
            _logName = seen.LogName;
            // Changes first, then the generation: a request that reads the generation without looking finds its changes.
            Volatile.Write(ref _generation, Math.Max(_generation, seen.Generation));
            if (writes > Volatile.Read(ref _writesSeen)) Volatile.Write(ref _writesSeen, writes);
            done.SetResult(seen.Generation);
        }
        catch (Exception e)
        {
            done.SetException(e);
        }
    }

    private void Remember((string, TileAddress) key, Entry entry)
    {
        if (_memory.TryAdd(key, entry) && Interlocked.Add(ref _memoryBytes, entry.Body.Gzip.Length + 64) > Options.MemoryBytes)
        {
            // Over budget: drop about a third, in no particular order (a full LRU is not worth its locking here).
            var i = 0;
            foreach (var k in _memory.Keys)
                if (i++ % 3 == 0 && _memory.TryRemove(k, out var gone)) Interlocked.Add(ref _memoryBytes, -(gone.Body.Gzip.Length + 64));
        }
    }

    // ── disk: <dir>/<database-epoch>/<layer>/<z>/<x>/<y>.mvt.gz = generation (8 bytes) + ETag (34 bytes ASCII) + gzip bytes.
    // Any failure (folder not creatable, read-only, disk full) is logged once and the tile is served from memory/PostGIS.

    private string? PathOf(string layer, TileAddress t) =>
        Options.Directory is { } dir && _logName is { } name
            ? Path.Combine(dir, name, layer, t.Z.ToString(System.Globalization.CultureInfo.InvariantCulture),
                t.X.ToString(System.Globalization.CultureInfo.InvariantCulture), t.Y.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".mvt.gz")
            : null;

    private Entry? ReadDisk(string layer, TileAddress tile)
    {
        if (PathOf(layer, tile) is not { } path) return null;
        try
        {
            if (!File.Exists(path)) return null;
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length < 42) return null;
            var generation = BitConverter.ToInt64(bytes, 0);
            var etag = System.Text.Encoding.ASCII.GetString(bytes, 8, 34);
            return new Entry(new TileBody(bytes[42..], etag), generation);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DiskProblem(e);
            return null;
        }
    }

    private void WriteDisk(string layer, TileAddress tile, Entry entry)
    {
        if (PathOf(layer, tile) is not { } path) return;
        var tmp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (var f = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                f.Write(BitConverter.GetBytes(entry.Generation));
                f.Write(System.Text.Encoding.ASCII.GetBytes(entry.Body.ETag));
                f.Write(entry.Body.Gzip);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(tmp); } catch (Exception) { /* nothing more to do */ }
            DiskProblem(e);
        }
    }

    private void DiskProblem(Exception e)
    {
        if (Interlocked.Exchange(ref _diskWarned, 1) == 0)
            _logger.LogWarning(e, "瓦片磁盘缓存不可用，继续使用内存缓存 (tile disk cache at {Dir} unusable; serving from memory and PostGIS)", Options.Directory);
    }
}
