using GridMap.Application.Pipeline;
using GridMap.Storage.Jobs;

namespace GridMap.Application.Jobs;

/// <summary>Progress of a running job: a stage name and the fraction done (0–1) over the whole job.</summary>
public readonly record struct JobProgress(string Stage, double Fraction);

/// <summary>One run of a claimed job: its id, payload (JSON text), who queued it and where to report progress.</summary>
public sealed record JobRun(string Id, string PayloadJson, string CreatedBy, int Attempt, IProgress<JobProgress> Progress);

/// <summary>
/// Runs jobs of one <see cref="Kind"/>. Returns the result as JSON text (stored with the job). A <c>RuleViolation</c> or an
/// <see cref="ArgumentException"/> is the user's error (stored with its message and code); anything else is logged as a bug.
/// Handlers must honour the token: it fires on cancel and on shutdown (then the job is queued again).
/// </summary>
public interface IJobHandler
{
    string Kind { get; }
    Task<string?> RunAsync(JobRun run, CancellationToken ct);
}

/// <summary>Queue, read and cancel background jobs (any instance); <see cref="JobWorker"/> runs them.</summary>
public sealed class JobQueue(JobStore store, ICallerAccessor callers)
{
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Queues a job of <paramref name="kind"/> for the current caller; returns its id. Wakes this instance's worker at once.</summary>
    public async Task<string> EnqueueAsync(string kind, string payloadJson, string label, CancellationToken ct = default)
    {
        var id = await store.EnqueueAsync(kind, payloadJson, label, callers.Current.Name, ct);
        if (_wake.CurrentCount == 0) _wake.Release();
        return id;
    }

    /// <summary>The job; 404 (KeyNotFoundException) when unknown.</summary>
    public async Task<JobRow> GetAsync(string id, CancellationToken ct = default) =>
        (IsId(id) ? await store.GetAsync(id, ct) : null) ?? throw new KeyNotFoundException($"没有编号为 '{id}' 的任务 (No job '{id}').");

    /// <summary>Cancels a queued or running job (a finished one is left as it is); returns its state.</summary>
    public async Task<JobRow> CancelAsync(string id, CancellationToken ct = default)
    {
        if (!IsId(id) || !await store.CancelAsync(id, ct)) throw new KeyNotFoundException($"没有编号为 '{id}' 的任务 (No job '{id}').");
        return await GetAsync(id, ct);
    }

    /// <summary>Waits until a job is queued by this instance or <paramref name="timeout"/> passes (other instances' jobs are found by polling).</summary>
    internal Task WaitForWorkAsync(TimeSpan timeout, CancellationToken ct) => _wake.WaitAsync(timeout, ct);

    private static bool IsId(string id) => id.Length == 12 && id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
