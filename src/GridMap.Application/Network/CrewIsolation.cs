using System.Globalization;
using GridMap.Domain.Network;
using GridMap.Domain.Rules;
using NetTopologySuite.Geometries;
using NetTopologySuite.LinearReferencing;

namespace GridMap.Application.Network;

/// <summary>A valve of a plan in the order a crew walks to it: nearest the burst first.</summary>
/// <param name="Valve">Valve index in the graph.</param>
/// <param name="Id">The valve's input id.</param>
/// <param name="Distance">Straight-line distance from the burst, in the graph's units (metres for projected input).</param>
/// <param name="Required">True when the valve is in the minimal set (water would come back through it).</param>
public readonly record struct ValveStop(int Valve, string Id, double Distance, bool Required);

/// <summary>An isolation plan for a burst on a pipe, with the burst point on the pipe and the valves in walking order.</summary>
/// <param name="Plan">The engine's plan.</param>
/// <param name="Burst">The burst point on the pipe, in the graph's plane.</param>
/// <param name="Valves">The plan's valves to close, nearest the burst first.</param>
public sealed record CrewIsolationResult(IsolationPlan Plan, Coordinate Burst, IReadOnlyList<ValveStop> Valves);

/// <summary>
/// The crew's isolation of a burst, on any graph: which segment to isolate and in which order to walk to its valves.
/// The one implementation behind <c>GET /api/network/isolate</c> (<see cref="CrewPlan"/>, EPSG:4547 metres) and
/// <c>gridmap network isolate</c> (the CLI's working plane), so both list the valves in the same order.
/// </summary>
/// <remarks>
/// With a burst position the burst is the point of the pipe nearest it and the plan isolates the segment holding that
/// point (<see cref="IsolationTracer.IsolateAt"/>: a valve may cut the pipe a few metres from a tee and the burst may
/// lie on the short side); without, the burst is the pipe's middle and the plan isolates the pipe's home segment
/// (<see cref="IsolationTracer.Isolate(int)"/>). Valves are ordered by necessity (required before optional), then by
/// straight-line distance from the crew when its position is given, else from the burst (the crew walks the street,
/// not the pipe), exact ties by id (numerically when both ids are numbers, as database ids are). The crew's offline
/// planner (src/GridMap.Web/src/crew/isolation.ts) orders the same way.
/// </remarks>
public static class CrewIsolation
{
    /// <summary>Isolates pipe index <paramref name="pipe"/> for a burst near <paramref name="near"/> (the graph's plane), or at the pipe's middle.</summary>
    /// <exception cref="RuleViolation"><see cref="RuleCodes.NotIsolatable"/> when the pipe is a station device.</exception>
    public static CrewIsolationResult Isolate(IsolationTracer tracer, int pipe, Coordinate? near = null, Coordinate? crew = null)
    {
        ArgumentNullException.ThrowIfNull(tracer);
        var g = tracer.Index.Graph;
        var p = g.Pipes[pipe];
        RuleViolation.Require(!p.IsStationDevice, RuleCodes.NotIsolatable,
            $"{p.Id} 是换热站设备，不是管道，无法关阀隔离 ({p.Id} is a station device, not a pipe: it has no valve segment to isolate).");
        var line = new LengthIndexedLine(p.Geometry);
        Coordinate burst;
        IsolationPlan plan;
        if (near is not null)
        {
            var along = line.Project(near);
            burst = line.ExtractPoint(along);
            plan = tracer.IsolateAt(p.Id, along);
        }
        else
        {
            burst = line.ExtractPoint(p.Geometry.Length / 2);
            plan = tracer.Isolate(pipe);
        }
        return new CrewIsolationResult(plan, burst, WalkingOrder(g, plan, burst, crew));
    }

    /// <summary>
    /// The plan's valves to close: the required ones (water would come back through them) first, then the optional
    /// ones; within each, nearest <paramref name="crew"/> (where the crew stands) first, or nearest the burst when the
    /// crew's position is unknown; exact ties by id. <see cref="ValveStop.Distance"/> stays the distance from the burst.
    /// </summary>
    public static IReadOnlyList<ValveStop> WalkingOrder(NetworkGraph graph, IsolationPlan plan, Coordinate burst, Coordinate? crew = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(plan);
        var min = plan.ValvesToCloseMin.ToHashSet(StringComparer.Ordinal);
        return plan.ValvesToClose
            .Select(id =>
            {
                var v = graph.ValveIndex(id);
                return new ValveStop(v, id, graph.Valves[v].Location.Coordinate.Distance(burst), min.Contains(id));
            })
            .OrderByDescending(s => s.Required)
            .ThenBy(s => crew is null ? s.Distance : graph.Valves[s.Valve].Location.Coordinate.Distance(crew))
            .ThenBy(s => s.Id, IdComparer.Instance)
            .ToList();
    }

    /// <summary>Numbers first, in numeric order; then other ids, ordinal. A total order, so a sort is stable across runs.</summary>
    private sealed class IdComparer : IComparer<string>
    {
        public static readonly IdComparer Instance = new();

        public int Compare(string? a, string? b)
        {
            var na = long.TryParse(a, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var x);
            var nb = long.TryParse(b, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var y);
            return (na, nb) switch
            {
                (true, true) => x.CompareTo(y),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(a, b),
            };
        }
    }
}
