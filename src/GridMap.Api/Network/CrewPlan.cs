using GridMap.Domain.Network;
using NetTopologySuite.Geometries;
using NetTopologySuite.LinearReferencing;

namespace GridMap.Api.Network;

/// <summary>A valve the crew closes: in the order to walk them (nearest the burst first).</summary>
/// <param name="Order">1-based position in the list.</param>
/// <param name="Required">True when the valve is in the minimal set (water would come back through it); false when it only leads to a part that loses supply anyway.</param>
public sealed record ValveStep(int Order, long Id, double Lon, double Lat, double DistanceM, bool Required);

public sealed record AffectedCompound(int Id, string Name, int Households);

/// <summary>Lines to draw a plan: segment pipes and cut-off pipes, each [pipe][vertex][lon,lat] in WGS84.</summary>
public sealed record PlanGeometry(double[][][] Segment, double[][][] CutOff);

/// <summary>An isolation plan for a crew: the engine's plan with database ids, valves ordered by distance from the burst, compounds instead of per-flow consumers.</summary>
public sealed record CrewPlan(
    long Pipe,
    long Version,
    double[] Burst,
    IReadOnlyList<long> Inoperable,
    IReadOnlyList<long> SegmentPipes,
    IReadOnlyList<ValveStep> ValvesToClose,
    IReadOnlyList<long> ValvesToCloseMin,
    IReadOnlyList<long> ValvesAlreadyClosed,
    IReadOnlyList<long> CutOffPipes,
    IReadOnlyList<AffectedCompound> AffectedCompounds,
    long AffectedHouseholds)
{
    /// <summary>WGS84 lines of the segment and cut-off pipes (MultiLineString coordinates), when asked for.</summary>
    public PlanGeometry? Geometry { get; init; }

    /// <summary>The plan's pipes as WGS84 coordinate arrays, for drawing: [pipe][vertex][lon,lat].</summary>
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
    /// Isolates <paramref name="pipeId"/> with the extra inoperable valves. With (lon, lat) the burst is the point of the
    /// pipe nearest it and the plan isolates the segment holding that point (<see cref="IsolationTracer.IsolateAt"/>);
    /// without, the burst is the pipe's middle and the plan isolates the pipe's home segment (<see cref="IsolationTracer.Isolate(int)"/>).
    /// </summary>
    public static CrewPlan Create(NetworkState state, long pipeId, IReadOnlyList<long> inoperable, double? lon, double? lat)
    {
        if (lon.HasValue != lat.HasValue) throw new ArgumentException("lon and lat go together: give both or neither.");
        if (lon is { } x0 && lat is { } y0 && !(x0 is >= -180 and <= 180 && y0 is >= -90 and <= 90))
            throw new ArgumentException($"position {x0},{y0} is not WGS84 lon/lat.");
        var pipe = state.PipeIndex(pipeId);
        var g = state.Graph;
        if (g.Pipes[pipe].IsStationDevice) throw new ArgumentException($"{pipeId} is a station device, not a pipe.");
        var tracer = state.TracerFor(inoperable);
        var line = g.Pipes[pipe].Geometry;
        var lil = new LengthIndexedLine(line);
        Coordinate burst;
        IsolationPlan plan;
        if (lon is { } lo && lat is { } la)
        {
            // A known burst position: isolate the segment holding it (a valve may cut the pipe, e.g. a few metres
            // from a tee, and the burst may lie on the short side).
            var along = lil.Project(NetworkState.FromWgs84(lo, la));
            burst = lil.ExtractPoint(along);
            plan = tracer.IsolateAt(g.Pipes[pipe].Id, along);
        }
        else
        {
            burst = lil.ExtractPoint(line.Length / 2);
            plan = tracer.Isolate(pipe);
        }

        var min = plan.ValvesToCloseMin.ToHashSet();
        var steps = plan.ValvesToClose
            .Select(id => (Id: id, Valve: g.Valves[g.ValveIndex(id)]))
            .Select(v => (v.Id, v.Valve, D: v.Valve.Location.Coordinate.Distance(burst)))
            .OrderBy(v => v.D).ThenBy(v => NetworkState.DbId(v.Id))
            .Select((v, i) =>
            {
                var (vlon, vlat) = NetworkState.ToWgs84(v.Valve.Location.X, v.Valve.Location.Y);
                return new ValveStep(i + 1, NetworkState.DbId(v.Id), vlon, vlat, Math.Round(v.D, 1), min.Contains(v.Id));
            })
            .ToList();
        var compounds = state.CompoundsOf(plan.AffectedConsumers);
        var (blon, blat) = NetworkState.ToWgs84(burst.X, burst.Y);
        return new CrewPlan(
            pipeId,
            state.Version,
            [blon, blat],
            inoperable.Distinct().Order().ToList(),
            plan.SegmentPipes.Select(NetworkState.DbId).ToList(),
            steps,
            plan.ValvesToCloseMin.Select(NetworkState.DbId).ToList(),
            plan.ValvesAlreadyClosed.Select(NetworkState.DbId).ToList(),
            plan.CutOffPipes.Select(NetworkState.DbId).ToList(),
            compounds.Select(c => new AffectedCompound(c.Id, c.Name, c.Households)).ToList(),
            compounds.Sum(c => (long)c.Households));
    }
}
