using GridMap.Domain.Model;

namespace GridMap.Domain.Network;

/// <summary>
/// The plan to isolate a pipe: what is shut off, which valves to close, what loses supply.
/// All lists hold input ids in input order.
/// </summary>
/// <param name="Pipe">The pipe asked for.</param>
/// <param name="SegmentPipes">Pipes in the isolated segment(s), the asked pipe included.</param>
/// <param name="ValvesToClose">Open operable valves on the segment's boundary.</param>
/// <param name="ValvesToCloseMin">Those of <paramref name="ValvesToClose"/> whose far side is still connected to a source once the segment is removed.</param>
/// <param name="ValvesAlreadyClosed">Closed valves on the boundary (normally closed or already shut).</param>
/// <param name="CutOffPipes">Pipes supplied before, outside the segment and no longer connected to a source.</param>
/// <param name="AffectedConsumers">Consumers in the segment or cut off.</param>
/// <param name="AffectedHouseholds">Sum of the affected consumers' households, ≥ 0.</param>
public sealed record IsolationPlan(
    string Pipe,
    IReadOnlyList<string> SegmentPipes,
    IReadOnlyList<string> ValvesToClose,
    IReadOnlyList<string> ValvesToCloseMin,
    IReadOnlyList<string> ValvesAlreadyClosed,
    IReadOnlyList<string> CutOffPipes,
    IReadOnlyList<string> AffectedConsumers,
    long AffectedHouseholds);

/// <summary>
/// Isolation trace with the semantics of utility GIS (Giswater mincut, ArcGIS isolation trace):
/// <c>IsolationTracer.Isolate(graph, "P-1", inoperable: ["V-7"])</c> for one plan; an instance over a
/// <see cref="SegmentIndex"/> to answer many isolations quickly (a service keeps one per graph and valve state).
/// </summary>
/// <remarks>
/// <para>Isolating pipe P (see <see cref="SegmentIndex"/> for segments, supply units and the unit graph):</para>
/// <list type="number">
/// <item>R = the segment of P (<see cref="SegmentIndex.HomeSegmentOfPipe"/>: when a valve sits inside P, the segment
/// holding P's longest part). <see cref="IsolateAt"/> takes a known burst position instead, and
/// <see cref="IsolateWhole"/> every segment P touches, so the whole pipe is safe to work on.</item>
/// <item>Boundary of R = the bounding valves with exactly one side in R. Open ones are
/// <c>valves_to_close</c>; closed ones are <c>valves_already_closed</c> (a normally closed valve never needs
/// closing).</item>
/// <item>Remove R: walk the unit graph from every source unit outside R, never entering R.</item>
/// <item><c>valves_to_close_min</c> = the valves to close whose far-side unit was reached: water can come back
/// into R only through those.</item>
/// <item>Cut off = units supplied before (<see cref="SegmentIndex"/> baseline), outside R, not reached; their open
/// pipes are <c>cut_off_pipes</c>. Affected consumers = consumers on a node of R, plus consumers in cut-off units.</item>
/// </list>
/// Cost per isolation: O(segments in R + units + unit-graph links), independent of the number of pipe vertices.
/// </remarks>
public sealed class IsolationTracer
{
    public SegmentIndex Index { get; }

    public IsolationTracer(SegmentIndex index) => Index = index ?? throw new ArgumentNullException(nameof(index));

    /// <summary>One-call isolation of pipe <paramref name="pipeId"/> with extra inoperable valve ids. Unknown ids throw <see cref="KeyNotFoundException"/>.</summary>
    public static IsolationPlan Isolate(NetworkGraph graph, string pipeId, IEnumerable<string>? inoperable = null) =>
        new IsolationTracer(SegmentIndex.Build(graph, inoperable)).Isolate(pipeId);

    /// <summary>Isolates the segment of pipe <paramref name="pipeId"/> (its longest part's, when a valve sits inside it).</summary>
    public IsolationPlan Isolate(string pipeId) => Isolate(Index.Graph.PipeIndex(pipeId));

    /// <summary>Isolates the segment of pipe index <paramref name="pipe"/>.</summary>
    public IsolationPlan Isolate(int pipe) => IsolateSegments(Index.Graph.Pipes[pipe].Id, [Index.HomeSegmentOfPipe(pipe)]);

    /// <summary>Isolates every segment pipe <paramref name="pipeId"/> touches: the whole pipe is then dry.</summary>
    public IsolationPlan IsolateWhole(string pipeId)
    {
        var pipe = Index.Graph.PipeIndex(pipeId);
        return IsolateSegments(pipeId, Index.SegmentsOfPipe(pipe));
    }

    /// <summary>Isolates only the segment at <paramref name="along"/> coordinate units from the pipe's first vertex (a known burst position).</summary>
    public IsolationPlan IsolateAt(string pipeId, double along)
    {
        var g = Index.Graph;
        var pipe = g.PipeIndex(pipeId);
        if (g.Pipes[pipe].IsStationDevice) throw new ArgumentException($"'{pipeId}' is a station device, not a pipe.");
        return IsolateSegments(pipeId, [Index.SegmentOfEdge(g.PieceAt(pipe, along))]);
    }

    /// <summary>Isolates a set of segments (indices of <see cref="Index"/>).</summary>
    public IsolationPlan IsolateSegments(string label, IReadOnlyList<int> segments)
    {
        var ix = Index;
        var g = ix.Graph;
        var s = ix.RentScratch();
        try
        {
            var stamp = s.Next();
            // Segment labels are representatives (a derived index merges base segments across valves that conduct
            // now); each base segment of a representative contributes its lists.
            foreach (var seg in segments) s.SegMark[seg] = stamp;

            // Pipes of R.
            var segmentPipes = new List<int>();
            foreach (var seg in segments)
                foreach (var m in ix.SegLabels(seg))
                    for (var k = ix.SegPieceStart[m]; k < ix.SegPieceStart[m + 1]; k++)
                    {
                        var p = g.EdgePipe[ix.SegPieces[k]];
                        if (s.PipeMark[p] == stamp) continue;
                        s.PipeMark[p] = stamp;
                        segmentPipes.Add(p);
                    }

            // Boundary valves of R.
            var toClose = new List<int>();
            var alreadyClosed = new List<int>();
            foreach (var seg in segments)
                foreach (var m in ix.SegLabels(seg))
                    for (var k = ix.SegValveStart[m]; k < ix.SegValveStart[m + 1]; k++)
                    {
                        var v = ix.SegValves[k];
                        if (s.ValveMark[v] == stamp || !ix.ValveBounds[v]) continue;
                        s.ValveMark[v] = stamp;
                        var e = g.ValveEdge[v];
                        var inA = s.SegMark[ix.Seg(g.EdgeFrom[e])] == stamp;
                        var inB = s.SegMark[ix.Seg(g.EdgeTo[e])] == stamp;
                        if (inA && inB) continue; // interior to R (R spans both sides)
                        if (g.Valves[v].State == OpenState.Closed) alreadyClosed.Add(v);
                        else toClose.Add(v);
                    }

            // Supply with R removed: a walk over units (representatives); a merged unit expands through the links of
            // each of its base units, except through the valves that now conduct (inside it).
            var head = 0;
            var tail = 0;
            foreach (var u in ix.SourceUnits)
            {
                if (s.SegMark[ix.SegOfUnit(u)] == stamp || s.UnitReached[u] == stamp) continue;
                s.UnitReached[u] = stamp;
                s.Queue[tail++] = u;
            }
            while (head < tail)
            {
                var u = s.Queue[head++];
                foreach (var m in ix.UnitLabels(u))
                    for (var k = ix.UnitAdjStart[m]; k < ix.UnitAdjStart[m + 1]; k++)
                    {
                        var valve = ix.UnitAdjValve[k];
                        if (valve >= 0 && !ix.ValveBounds[valve]) continue;
                        var w = ix.UnitOf(ix.UnitAdjUnit[k]);
                        if (s.UnitReached[w] == stamp || s.SegMark[ix.SegOfUnit(w)] == stamp) continue;
                        s.UnitReached[w] = stamp;
                        s.Queue[tail++] = w;
                    }
            }

            var toCloseMin = new List<int>();
            foreach (var v in toClose)
            {
                var e = g.ValveEdge[v];
                var far = s.SegMark[ix.Seg(g.EdgeFrom[e])] == stamp ? g.EdgeTo[e] : g.EdgeFrom[e];
                if (s.UnitReached[ix.Unit(far)] == stamp) toCloseMin.Add(v);
            }

            // Cut off: supplied before, outside R, not reached now (over base units: their lists are the base's).
            var cutPipes = new List<int>();
            var consumers = new List<int>();
            var cutStamp = -stamp; // a second mark in PipeMark, distinct from "in R"
            for (var u = 0; u < ix.UnitSlots; u++)
            {
                if (!ix.UnitSupplied[u] || s.UnitReached[ix.UnitOf(u)] == stamp || s.SegMark[ix.SegOfUnit(u)] == stamp) continue;
                for (var k = ix.UnitPieceStart[u]; k < ix.UnitPieceStart[u + 1]; k++)
                {
                    var p = g.EdgePipe[ix.UnitPieces[k]];
                    if (s.PipeMark[p] == cutStamp) continue;
                    s.PipeMark[p] = cutStamp;
                    cutPipes.Add(p);
                }
                for (var k = ix.UnitConsumerStart[u]; k < ix.UnitConsumerStart[u + 1]; k++)
                {
                    var c = ix.UnitConsumers[k];
                    if (s.ConsumerMark[c] == stamp) continue;
                    s.ConsumerMark[c] = stamp;
                    consumers.Add(c);
                }
            }
            foreach (var seg in segments)
                foreach (var m in ix.SegLabels(seg))
                    for (var k = ix.SegConsumerStart[m]; k < ix.SegConsumerStart[m + 1]; k++)
                    {
                        var c = ix.SegConsumers[k];
                        if (s.ConsumerMark[c] == stamp) continue;
                        s.ConsumerMark[c] = stamp;
                        consumers.Add(c);
                    }

            segmentPipes.Sort();
            toClose.Sort();
            toCloseMin.Sort();
            alreadyClosed.Sort();
            cutPipes.Sort();
            consumers.Sort();
            long households = 0;
            foreach (var c in consumers) households += g.Consumers[c].Households;
            return new IsolationPlan(
                label,
                segmentPipes.ConvertAll(p => g.Pipes[p].Id),
                toClose.ConvertAll(v => g.Valves[v].Id),
                toCloseMin.ConvertAll(v => g.Valves[v].Id),
                alreadyClosed.ConvertAll(v => g.Valves[v].Id),
                cutPipes.ConvertAll(p => g.Pipes[p].Id),
                consumers.ConvertAll(c => g.Consumers[c].Id),
                households);
        }
        finally
        {
            ix.ReturnScratch(s);
        }
    }
}
