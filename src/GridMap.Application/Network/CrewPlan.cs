using System.Text.Json.Serialization;
using GridMap.Domain.Network;

namespace GridMap.Application.Network;

/// <summary>A valve the crew closes, in the order to walk them (required first, then nearest the crew, or the burst).</summary>
/// <param name="Order">1-based position in the list.</param>
/// <param name="Id">Valve id.</param>
/// <param name="Lon">WGS84 longitude, degrees.</param>
/// <param name="Lat">WGS84 latitude, degrees.</param>
/// <param name="DistanceM">Straight-line distance from the burst, metres (EPSG:4547), rounded to 0.1.</param>
/// <param name="Required">True when the valve is in the minimal set (water would come back through it); false when it only leads to a part that loses supply anyway.</param>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record ValveStep(
    [property: JsonPropertyName("order")] int Order,
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("lon")] double Lon,
    [property: JsonPropertyName("lat")] double Lat,
    [property: JsonPropertyName("distance_m")] double DistanceM,
    [property: JsonPropertyName("required")] bool Required);

/// <summary>A compound that loses heat (or one a station serves): id, name and households (≥ 0).</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record AffectedCompound(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("households")] int Households);

/// <summary>A field record an isolation plan relied on (see <see cref="ValveReports"/>).</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record FieldRecordRef(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("valve")] long Valve,
    [property: JsonPropertyName("condition")] string Condition,
    [property: JsonPropertyName("effect")] string Effect,
    [property: JsonPropertyName("note")] string Note,
    [property: JsonPropertyName("reported_by")] string ReportedBy,
    [property: JsonPropertyName("reported_at")] DateTimeOffset ReportedAt);

/// <summary>Lines to draw a plan: segment pipes and cut-off pipes, each [pipe][vertex][lon,lat] in WGS84.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record PlanGeometry(
    [property: JsonPropertyName("segment")] double[][][] Segment,
    [property: JsonPropertyName("cut_off")] double[][][] CutOff);

/// <summary>
/// An isolation plan for a crew (<c>GET /api/network/isolate</c>): the engine's plan with database ids, valves in
/// walking order from the burst (<see cref="CrewIsolation"/>), compounds instead of per-flow consumers.
/// </summary>
/// <param name="Pipe">The pipe asked for.</param>
/// <param name="Version">The network version (<c>network_change</c> counter) the plan was made on.</param>
/// <param name="Burst">The burst point on the pipe, [lon, lat] WGS84.</param>
/// <param name="Inoperable">The valves treated as broken, ascending, once each: those asked for and those a field record in force
/// says are seized, broken or buried.</param>
/// <param name="FieldRecords">The field records in force the plan relied on: on a valve it lists (to close, already closed) or on a
/// valve it had to pass because it cannot be operated (its pipe is in the segment or cut off).</param>
/// <param name="AffectedHouseholds">Households of the affected compounds, each compound counted once.</param>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record CrewPlan(
    [property: JsonPropertyName("pipe")] long Pipe,
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("burst")] double[] Burst,
    [property: JsonPropertyName("inoperable")] IReadOnlyList<long> Inoperable,
    [property: JsonPropertyName("segment_pipes")] IReadOnlyList<long> SegmentPipes,
    [property: JsonPropertyName("valves_to_close")] IReadOnlyList<ValveStep> ValvesToClose,
    [property: JsonPropertyName("valves_to_close_min")] IReadOnlyList<long> ValvesToCloseMin,
    [property: JsonPropertyName("valves_already_closed")] IReadOnlyList<long> ValvesAlreadyClosed,
    [property: JsonPropertyName("cut_off_pipes")] IReadOnlyList<long> CutOffPipes,
    [property: JsonPropertyName("affected_compounds")] IReadOnlyList<AffectedCompound> AffectedCompounds,
    [property: JsonPropertyName("affected_households")] long AffectedHouseholds,
    [property: JsonPropertyName("fieldRecords")] IReadOnlyList<FieldRecordRef> FieldRecords)
{
    /// <summary>WGS84 lines of the segment and cut-off pipes, when asked for (absent otherwise).</summary>
    [JsonPropertyName("geometry")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PlanGeometry? Geometry { get; init; }

    /// <summary>The plan with its pipes as WGS84 coordinate arrays, for drawing: [pipe][vertex][lon,lat].</summary>
    public CrewPlan WithGeometry(NetworkState state) => this with
    {
        Geometry = new PlanGeometry(Lines(state, SegmentPipes), Lines(state, CutOffPipes)),
    };

    private static double[][][] Lines(NetworkState state, IReadOnlyList<long> pipes) =>
        pipes.Select(id =>
        {
            var line = state.Graph.Pipes[state.PipeIndex(id)].Geometry;
            return line.Coordinates.Select(c =>
            {
                var (lon, lat) = NetworkState.ToWgs84(c.X, c.Y);
                return new[] { lon, lat };
            }).ToArray();
        }).ToArray();

    /// <summary>
    /// Isolates <paramref name="pipeId"/> with the extra inoperable valves, for a burst near <paramref name="burst"/>
    /// (WGS84) or at the pipe's middle (see <see cref="CrewIsolation"/>).
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such pipe.</exception>
    /// <exception cref="ArgumentException">An inoperable id is not a valve.</exception>
    /// <exception cref="Domain.Rules.RuleViolation"><see cref="Domain.Rules.RuleCodes.NotIsolatable"/>: a station device.</exception>
    public static CrewPlan Create(NetworkState state, long pipeId, IReadOnlyList<long> inoperable, LonLat? burst, LonLat? crew = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(inoperable);
        var pipe = state.PipeIndex(pipeId);
        var tracer = state.TracerFor(inoperable);
        var near = burst is { } b ? NetworkState.FromWgs84(b.Lon, b.Lat) : null;
        var (plan, at, valves) = CrewIsolation.Isolate(tracer, pipe, near, crew is { } c ? NetworkState.FromWgs84(c.Lon, c.Lat) : null);
        var g = state.Graph;
        var steps = valves.Select((v, i) =>
        {
            var p = g.Valves[v.Valve].Location;
            var (vlon, vlat) = NetworkState.ToWgs84(p.X, p.Y);
            return new ValveStep(i + 1, NetworkState.DbId(v.Id), vlon, vlat, Math.Round(v.Distance, 1), v.Required);
        }).ToList();
        var compounds = state.CompoundsOf(plan.AffectedConsumers);
        var (blon, blat) = NetworkState.ToWgs84(at.X, at.Y);
        var records = state.Snapshot.FieldRecords;
        var segmentPipes = plan.SegmentPipes.Select(NetworkState.DbId).ToList();
        var cutOff = plan.CutOffPipes.Select(NetworkState.DbId).ToList();
        var alreadyClosed = plan.ValvesAlreadyClosed.Select(NetworkState.DbId).ToList();
        var min = plan.ValvesToCloseMin.Select(NetworkState.DbId).ToList();
        var reached = segmentPipes.Concat(cutOff).ToHashSet();
        var listed = steps.Select(x => x.Id).Concat(min).Concat(alreadyClosed).ToHashSet();
        var relied = records.Values
            .Where(r => listed.Contains(r.ValveId)
                || (ValveConditions.Inoperable(r.Condition) && g.TryGetValveIndex(NetworkState.Id(r.ValveId), out var vi)
                    && g.PipeOfValve(vi) is var p and >= 0 && reached.Contains(NetworkState.DbId(g.Pipes[p].Id))))
            .OrderBy(r => r.ValveId)
            .Select(r => new FieldRecordRef(r.Id, r.ValveId, r.Condition, ValveConditions.EffectOf(r.Condition), r.Note, r.ReportedBy, r.ReportedAt))
            .ToList();
        var fieldInoperable = records.Values.Where(r => ValveConditions.Inoperable(r.Condition)).Select(r => r.ValveId);
        return new CrewPlan(
            pipeId,
            state.Version,
            [blon, blat],
            inoperable.Concat(fieldInoperable).Distinct().Order().ToList(),
            segmentPipes,
            steps,
            min,
            alreadyClosed,
            cutOff,
            compounds.Select(c => new AffectedCompound(c.Id, c.Name, c.Households)).ToList(),
            compounds.Sum(c => (long)c.Households),
            relied);
    }
}
