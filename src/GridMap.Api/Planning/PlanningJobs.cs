using System.Collections.Concurrent;
using GridMap.Domain.Partitioning;
using GridMap.Application.Planning;

namespace GridMap.Api.Planning;

/// <summary>State of one background partition, as the API shows it.</summary>
public sealed record PlanningJobState(string Id, string Status, string Stage, double Fraction, string AreaName, long? PlanId, string? Error,
    DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, double ElapsedSeconds);

/// <summary>
/// Background partitions: one at a time (the machine's cores go to the search; later jobs wait as "queued"),
/// each with progress, a result (the preview's plan id) or an error naming the failed constraint, and cancel.
/// Jobs live in memory for an hour after they finish; the previews they produce live in the database.
/// </summary>
public sealed class PlanningJobs(PlanPartitioner partitioner, ILogger<PlanningJobs> log)
{
    private readonly ConcurrentDictionary<string, Job> _jobs = new();
    private readonly SemaphoreSlim _one = new(1, 1);

    private sealed class Job(string id, string areaName)
    {
        public string Id { get; } = id;
        public string AreaName { get; } = areaName;
        public CancellationTokenSource Cts { get; } = new();
        public DateTimeOffset CreatedAt { get; } = DateTimeOffset.UtcNow;
        public volatile string Status = "queued";
        public volatile string Stage = "queued";
        public double Fraction;
        public long? PlanId;
        public string? Error;
        public DateTimeOffset? FinishedAt;
        public PlanningJobState State() => new(Id, Status, Stage, Math.Round(Volatile.Read(ref Fraction), 3), AreaName, PlanId, Error, CreatedAt, FinishedAt,
            Math.Round(((FinishedAt ?? DateTimeOffset.UtcNow) - CreatedAt).TotalSeconds, 2));
    }

    /// <summary>Queues a partition of an area already checked (<see cref="PlanPartitioner.ValidateAreaAsync"/>, which gave its name); returns its state.</summary>
    public PlanningJobState Start(PlanRequest request, string areaName)
    {
        Evict();
        var job = new Job(Guid.NewGuid().ToString("N")[..12], areaName);
        _jobs[job.Id] = job;
        _ = Task.Run(() => RunAsync(job, request));
        return job.State();
    }

    /// <summary>The job's state; 404 when unknown (or evicted).</summary>
    public PlanningJobState Get(string id) => Find(id).State();

    /// <summary>Requests cancellation of a queued or running job; returns its state.</summary>
    public PlanningJobState Cancel(string id)
    {
        var job = Find(id);
        if (job.Status is "queued" or "running") job.Cts.Cancel();
        return job.State();
    }

    private Job Find(string id) => _jobs.TryGetValue(id, out var job) ? job : throw new KeyNotFoundException($"No partition job '{id}' (jobs are kept for an hour after they finish).");

    private async Task RunAsync(Job job, PlanRequest request)
    {
        var ct = job.Cts.Token;
        try
        {
            await _one.WaitAsync(ct);
            try
            {
                job.Status = "running";
                var progress = new Progress(job);
                job.PlanId = await partitioner.PartitionAsync(request, progress, ct);
                job.Stage = "done";
                Volatile.Write(ref job.Fraction, 1);
                job.Status = "succeeded";
            }
            finally
            {
                _one.Release();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            job.Status = "cancelled";
            job.Error = "已取消 (cancelled); nothing saved.";
        }
        // Planning rules (RuleViolation), bad parameters and an area gone since the request was checked are the user's to
        // read; anything else — an InvalidOperationException from LINQ included — is a bug: logged, reported as such.
        catch (Exception e) when (e is GridMap.Domain.Rules.RuleViolation or ArgumentException or KeyNotFoundException)
        {
            job.Status = "failed";
            job.Error = e.Message;
        }
        catch (Exception e)
        {
            log.LogError(e, "Partition job {Job} failed", job.Id);
            job.Status = "failed";
            job.Error = "服务器错误 (unexpected error; it has been logged).";
        }
        finally
        {
            job.FinishedAt = DateTimeOffset.UtcNow;
        }
    }

    private void Evict()
    {
        foreach (var (id, job) in _jobs)
            if (job.FinishedAt is { } f && DateTimeOffset.UtcNow - f > TimeSpan.FromHours(1)) _jobs.TryRemove(id, out _);
    }

    /// <summary>Writes progress straight into the job (no synchronisation context to post to).</summary>
    private sealed class Progress(Job job) : IProgress<PartitionProgress>
    {
        public void Report(PartitionProgress value)
        {
            job.Stage = value.Stage;
            // Adjacency is the first ~10%, the search up to 95%, saving the rest.
            var f = value.Stage switch { "adjacency" => 0.02, "search" => 0.1 + 0.85 * Math.Clamp(value.Fraction, 0, 1), "saving" => 0.96, _ => value.Fraction };
            Volatile.Write(ref job.Fraction, Math.Max(Volatile.Read(ref job.Fraction), f));
        }
    }
}
