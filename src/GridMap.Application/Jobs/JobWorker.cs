using System.Diagnostics;
using GridMap.Domain.Rules;
using GridMap.Storage.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GridMap.Application.Jobs;

/// <summary>How a worker polls and when a silent job counts as abandoned.</summary>
public sealed record JobWorkerOptions
{
    /// <summary>Longest wait between looks at the queue when idle (jobs queued by this instance start at once).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Progress is written at most this often (also the heartbeat).</summary>
    public TimeSpan ReportInterval { get; init; } = TimeSpan.FromMilliseconds(250);
    /// <summary>A running job without a heartbeat for this long is re-queued (its process died).</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Attempts before a job that keeps losing its worker fails.</summary>
    public int MaxAttempts { get; init; } = 3;
    /// <summary>Finished jobs are deleted after this long.</summary>
    public TimeSpan KeepFinished { get; init; } = TimeSpan.FromDays(30);
    /// <summary>This worker's name in the job rows (host:pid:random).</summary>
    public string Name { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";
}

/// <summary>
/// Runs background jobs one at a time (the machine's cores go to the job itself): claims the oldest queued job with
/// FOR UPDATE SKIP LOCKED, reports progress and a heartbeat to its row, honours cancel requests, and on shutdown
/// puts the job it holds back in the queue, so a restart loses nothing and several instances share the queue.
/// </summary>
public sealed class JobWorker(JobStore store, JobQueue queue, IEnumerable<IJobHandler> handlers, JobWorkerOptions options, ILogger<JobWorker> log)
    : BackgroundService
{
    private readonly Dictionary<string, IJobHandler> _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var kinds = _handlers.Keys.ToArray();
        var pruned = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (DateTime.UtcNow - pruned > TimeSpan.FromHours(1))
                {
                    await store.PruneAsync(options.KeepFinished, stoppingToken);
                    pruned = DateTime.UtcNow;
                }
                foreach (var id in await store.RequeueStaleAsync(options.StaleAfter, options.MaxAttempts, stoppingToken))
                    log.LogWarning("Job {Job} lost its worker; re-queued (or failed after {Max} attempts)", id, options.MaxAttempts);
                var job = await store.ClaimAsync(options.Name, kinds, stoppingToken);
                if (job is null)
                {
                    await queue.WaitForWorkAsync(options.PollInterval, stoppingToken);
                    continue;
                }
                await RunAsync(job, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                // The database is away (restart, network): try again shortly rather than end the worker.
                log.LogWarning(e, "Job queue unavailable; retrying");
                try { await Task.Delay(options.PollInterval * 5, stoppingToken); } catch (OperationCanceledException) { break; }
            }
        }
    }

    private async Task RunAsync(ClaimedJob job, CancellationToken stoppingToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var progress = new RowProgress(store, job.Id, options.Name, options.ReportInterval, cts, log);
        var sw = Stopwatch.StartNew();
        log.LogInformation("Job {Job} ({Kind}, attempt {Attempt}) started on {Worker}", job.Id, job.Kind, job.Attempt, options.Name);
        using var done = new CancellationTokenSource();
        // A step that reports nothing for a while must not look like a dead worker: beat on its behalf.
        var heartbeat = HeartbeatAsync(progress, options.StaleAfter / 6, done.Token);
        try
        {
            var result = await _handlers[job.Kind].RunAsync(new JobRun(job.Id, job.PayloadJson, job.CreatedBy, job.Attempt, progress), cts.Token);
            await progress.FlushAsync();
            await store.FinishAsync(job.Id, options.Name, "succeeded", result, null, null, CancellationToken.None);
            log.LogInformation("Job {Job} succeeded in {Seconds:0.0} s", job.Id, sw.Elapsed.TotalSeconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await store.ReleaseAsync(job.Id, options.Name, CancellationToken.None);
            log.LogInformation("Job {Job} put back in the queue: this instance is stopping", job.Id);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            await store.FinishAsync(job.Id, options.Name, "cancelled", null, "已取消，未保存任何结果 (cancelled; nothing saved).", "cancelled", CancellationToken.None);
        }
        catch (RuleViolation r)
        {
            await store.FinishAsync(job.Id, options.Name, "failed", null, r.Message, r.Code, CancellationToken.None);
        }
        catch (GridMap.Application.Auth.AccessDenied d)
        {
            // The user who queued it may no longer do this (disabled, role or branch changed): their refusal, not a bug.
            await store.FinishAsync(job.Id, options.Name, "failed", null, d.Message, d.Code, CancellationToken.None);
        }
        catch (ArgumentException a)
        {
            await store.FinishAsync(job.Id, options.Name, "failed", null, a.Message, "invalid-parameter", CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogError(e, "Job {Job} ({Kind}) failed", job.Id, job.Kind);
            await store.FinishAsync(job.Id, options.Name, "failed", null, "服务器错误，已记录日志 (unexpected error; it has been logged).", "server-error", CancellationToken.None);
        }
        finally
        {
            await done.CancelAsync();
            await heartbeat;
        }
    }

    private static async Task HeartbeatAsync(RowProgress progress, TimeSpan every, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(ct)) progress.Beat();
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Writes progress to the job row at most every <paramref name="interval"/>; cancels the run when the row says so.</summary>
    private sealed class RowProgress(JobStore store, string id, string worker, TimeSpan interval, CancellationTokenSource cts, ILogger log) : IProgress<JobProgress>
    {
        private readonly Lock _gate = new();
        private JobProgress _latest = new("starting", 0);
        private long _lastWrite = Stopwatch.GetTimestamp() - interval.Ticks;
        private Task _writing = Task.CompletedTask;

        public void Report(JobProgress value)
        {
            lock (_gate)
            {
                _latest = value;
                if (!_writing.IsCompleted || Stopwatch.GetElapsedTime(_lastWrite) < interval) return;
                _lastWrite = Stopwatch.GetTimestamp();
                _writing = WriteAsync(value);
            }
        }

        /// <summary>Writes the latest progress now unless a write is under way (the heartbeat).</summary>
        public void Beat()
        {
            lock (_gate)
            {
                if (!_writing.IsCompleted) return;
                _lastWrite = Stopwatch.GetTimestamp();
                _writing = WriteAsync(_latest);
            }
        }

        public async Task FlushAsync()
        {
            Task pending;
            lock (_gate) pending = _writing;
            await pending;
        }

        private async Task WriteAsync(JobProgress p)
        {
            try
            {
                if (await store.ReportAsync(id, worker, p.Stage, p.Fraction, CancellationToken.None) && !cts.IsCancellationRequested) await cts.CancelAsync();
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                log.LogWarning(e, "Progress of job {Job} not written", id);
            }
        }
    }
}
