using System.Runtime;

namespace GridMap.Cli;

/// <summary>
/// Reading a unit file and projecting it: nearly everything allocated survives (every polygon is kept), so each
/// collection during it only copies live objects from one generation to the next. `gridmap partition` asks the runtime
/// for a no-GC region sized to the file for those stages (<see cref="GC.TryStartNoGCRegion(long)"/>) and ends it before
/// the graph is built. Measured on 100,000 compounds (docs/partitioning.md §8.5): reading 0.85–0.9 s → 0.47–0.6 s and the
/// projection 0.26 s → 0.07 s, with their 0.27 s of GC pauses gone (the graph's collections then copy a little more).
/// If the stages allocate more than the region holds, the runtime collects and leaves the region by itself;
/// GRIDMAP_NOGC_LOAD=0 turns it off.
/// </summary>
internal sealed class LoadPhase : IDisposable
{
    /// <summary>Bytes of heap per byte of GeoJSON the read and the projection allocate (100,000 compounds: 0.18 GB for 30 MB).</summary>
    private const long BytesPerFileByte = 8;
    private const long MinRegion = 16L << 20, MaxRegion = 512L << 20;

    private readonly bool _started;

    private LoadPhase(bool started) => _started = started;

    /// <summary>Starts a no-GC region for loading a file of <paramref name="fileLength"/> bytes (when allowed and possible).</summary>
    public static LoadPhase Begin(long fileLength)
    {
        if (Environment.GetEnvironmentVariable("GRIDMAP_NOGC_LOAD") == "0") return new LoadPhase(false);
        var size = Math.Clamp(fileLength * BytesPerFileByte, MinRegion, MaxRegion);
        try { return new LoadPhase(GC.TryStartNoGCRegion(size)); }
        catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidOperationException) { return new LoadPhase(false); }
    }

    /// <summary>Whether the region was started (the profile line says so).</summary>
    public bool Started => _started;

    /// <summary>Ends the region if the process is still in it (a collection may already have ended it); a second call does nothing.</summary>
    public void Dispose()
    {
        if (_started && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
    }
}
