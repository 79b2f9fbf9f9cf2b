using System.Diagnostics;
using GridMap.Storage.Network;
using Microsoft.Extensions.Logging;

namespace GridMap.Application.Network;

/// <summary>
/// The service's one network graph: built on first use, rebuilt when the database's <c>network_change</c> counter
/// (bumped by triggers on pipes, valves, stations, heat sources and compounds; migration 0005) moves. Each request
/// pays one single-row query to compare the counter; a rebuild happens once, under a lock, while other requests wait
/// for it (they need the new data anyway). A singleton (registered in <see cref="NetworkServices"/>): one graph per
/// process, shared by every request.
/// </summary>
public sealed class NetworkCache(NetworkStore store, ILogger<NetworkCache> log)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private volatile NetworkState? _state;

    /// <summary>How many times the graph has been built (for tests and /api/network/status).</summary>
    public int Builds { get; private set; }

    /// <summary>The graph for the database as it is now.</summary>
    public async Task<NetworkState> CurrentAsync(CancellationToken ct = default)
    {
        var version = await store.VersionAsync(ct);
        var state = _state;
        if (state is not null && state.Version == version) return state;
        await _lock.WaitAsync(ct);
        try
        {
            state = _state;
            if (state is not null && state.Version == version) return state;
            var sw = Stopwatch.StartNew();
            var snapshot = await store.LoadAsync(ct);
            var loadMs = sw.Elapsed.TotalMilliseconds;
            state = new NetworkState(snapshot, loadMs);
            Builds++;
            log.LogInformation("Network graph v{Version}: {Pipes} pipes, {Valves} valves, {Nodes} nodes; load {Load:F0} ms, build {Build:F0} ms",
                snapshot.Version, state.Graph.Pipes.Count, state.Graph.Valves.Count, state.Graph.NodeCount, loadMs, state.BuildMs);
            _state = state;
            return state;
        }
        finally
        {
            _lock.Release();
        }
    }
}
