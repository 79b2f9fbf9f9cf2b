using System.Text.Json;
using System.Text.Json.Serialization;
using GridMap.Domain.Partitioning;
using GridMap.Storage.Jobs;
using GridMap.Application.Auth;
using GridMap.Application.Pipeline;
using GridMap.Application.Planning;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace GridMap.Application.Jobs;

/// <summary>State of one background partition, as the API shows it: status queued | running | succeeded | failed | cancelled,
/// stage and fraction (0–1), the preview's plan id once it succeeded, the error (and its rule code) otherwise.</summary>
public sealed record PlanningJobState(string Id, string Status, string Stage, double Fraction, string AreaName, long? PlanId, string? Error, string? Rule,
    DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, double ElapsedSeconds);

/// <summary>A partition request as stored in the job row (the area polygon, when drawn, as GeoJSON).</summary>
internal sealed record PartitionPayload(string Kind, string? Code, JsonElement? Polygon, int? Cells, double? Tolerance, double? MinHouseholds, double? MaxHouseholds,
    bool Barriers, bool Nest, int Seed, double TimeLimitSeconds, string Objective)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new GeoJsonConverterFactory() } };

    public static PartitionPayload From(PlanRequest r) => new(r.Area.Kind, r.Area.Code,
        r.Area.Polygon is null ? null : JsonSerializer.SerializeToElement(r.Area.Polygon, Json),
        r.Cells, r.Cells is null ? null : r.Tolerance, r.Cells is null ? r.MinHouseholds : null, r.Cells is null ? r.MaxHouseholds : null,
        r.Barriers, r.Nest, r.Seed, r.TimeLimitSeconds, r.Objective);

    public PlanRequest ToRequest() => new(new PlanArea(Kind, Code, Polygon is { } p ? p.Deserialize<Geometry>(Json) : null),
        Cells, Tolerance, MinHouseholds, MaxHouseholds, Barriers, Nest, Seed, TimeLimitSeconds, Objective);
}

/// <summary>
/// Partitions as background jobs: the planner's request is checked (unknown area → 404, empty area → 422) and queued;
/// a <see cref="JobWorker"/> on any instance runs it into a preview; progress, cancel and the result are read from the row.
/// </summary>
public sealed class PartitionJobs(JobQueue queue, PlanPartitioner partitioner, ICallerAccessor callers, BranchResolver branches)
{
    public const string Kind = "partition";

    /// <summary>Checks the area and that the caller may plan it (a planner of another branch: 403 now, not a failed job
    /// later), then queues the partition; returns the job's state.</summary>
    public async Task<PlanningJobState> StartAsync(PlanRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var areaName = await partitioner.ValidateAreaAsync(request.Area, ct);
        var caller = callers.Current;
        Access.Demand(caller, Permissions.PlanningWrite, caller.BranchId is null ? null : await branches.OfAreaAsync(request.Area, ct));
        var id = await queue.EnqueueAsync(Kind, JsonSerializer.Serialize(PartitionPayload.From(request), PartitionPayload.Json), areaName, ct);
        return await GetAsync(id, ct);
    }

    public async Task<PlanningJobState> GetAsync(string id, CancellationToken ct = default) => State(await queue.GetAsync(id, ct));

    public async Task<PlanningJobState> CancelAsync(string id, CancellationToken ct = default) => State(await queue.CancelAsync(id, ct));

    private static PlanningJobState State(JobRow j)
    {
        if (j.Kind != Kind) throw new KeyNotFoundException($"没有编号为 '{j.Id}' 的划分任务 (No partition job '{j.Id}').");
        long? planId = j.ResultJson is { } r && JsonDocument.Parse(r).RootElement.TryGetProperty("planId", out var p) ? p.GetInt64() : null;
        var elapsed = ((j.FinishedAt ?? j.Now) - j.CreatedAt).TotalSeconds;
        return new PlanningJobState(j.Id, j.Status, j.Stage, Math.Round(j.Fraction, 3), j.Label, planId, j.Error, j.ErrorRule, j.CreatedAt, j.FinishedAt, Math.Round(elapsed, 2));
    }
}

/// <summary>Runs a queued partition into a preview (the planning use case), mapping the engine's stages onto one fraction.</summary>
public sealed class PartitionJobHandler(PlanPartitioner partitioner) : IJobHandler
{
    public string Kind => PartitionJobs.Kind;

    public async Task<string?> RunAsync(JobRun run, CancellationToken ct)
    {
        var request = (JsonSerializer.Deserialize<PartitionPayload>(run.PayloadJson, PartitionPayload.Json)
            ?? throw new ArgumentException("empty partition job payload")).ToRequest();
        var planId = await partitioner.PartitionAsync(request, new StageProgress(run.Progress), ct);
        return JsonSerializer.Serialize(new { planId });
    }

    /// <summary>Adjacency is the first ~10%, the search up to 95%, saving the rest.</summary>
    private sealed class StageProgress(IProgress<JobProgress> target) : IProgress<PartitionProgress>
    {
        public void Report(PartitionProgress value) => target.Report(new JobProgress(value.Stage, value.Stage switch
        {
            "adjacency" => 0.02,
            "search" => 0.1 + 0.85 * Math.Clamp(value.Fraction, 0, 1),
            "saving" => 0.96,
            _ => Math.Clamp(value.Fraction, 0, 1),
        }));
    }
}
