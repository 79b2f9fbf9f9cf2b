namespace GridMap.Application.Pipeline;

/// <summary>Told by the <see cref="WritePipeline"/> right after a write committed, before its caller gets the answer (the
/// tile cache uses it so the next tile request sees the write without waiting for the database's notification).</summary>
public interface ICommitObserver
{
    /// <summary>A write committed. Must be quick and must not throw.</summary>
    void Committed();
}
