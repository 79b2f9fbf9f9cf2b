using GridMap.Domain.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.LinearReferencing;

namespace GridMap.Domain.Network;

/// <summary>
/// Builds a <see cref="NetworkGraph"/> from pipe LineStrings, valve points, source/consumer points and station
/// points. <c>NetworkBuilder.Build(input)</c> for the defaults; an instance to set the snap tolerance.
/// </summary>
/// <remarks>
/// Steps (deterministic, and independent of the order of the input where it matters):
/// 1. Pipe ends are joined into junctions: an end joins the first existing junction within the tolerance
///    (grid hash, cell = tolerance), else it founds a new one. Ends within the tolerance of a station point join
///    its primary side (level primary) or secondary side (other levels).
/// 2. Each valve is placed on its <c>PipeId</c> or on the nearest pipe within the tolerance (an STR-tree); among
///    pipes at the same distance, one whose ends lie on different nodes, then the smallest id. Its position along
///    the pipe snaps to the pipe's end when within the tolerance of it. <c>valve_ambiguous</c> is reported only
///    where another choice would give another topology.
/// 3. Each source/consumer joins the nearest junction within the tolerance, else splits the nearest pipe.
/// 4. Every pipe is cut at its valves and taps in order along it (at one position: taps, then valves by id).
/// Input coordinates must be planar: project geographic data to metres first.
/// </remarks>
public sealed class NetworkBuilder
{
    /// <summary>Snap tolerance in coordinate units (metres for projected data), ≥ 0. Default 0.5.</summary>
    public double SnapTolerance { get; }

    public NetworkBuilder(double snapTolerance = 0.5)
    {
        SnapTolerance = snapTolerance >= 0 && double.IsFinite(snapTolerance)
            ? snapTolerance
            : throw new ArgumentOutOfRangeException(nameof(snapTolerance), snapTolerance, "Snap tolerance must be a finite number ≥ 0.");
    }

    /// <summary>Builds with the given snap tolerance (coordinate units).</summary>
    public static NetworkGraph Build(NetworkInput input, double snapTolerance = 0.5) => new NetworkBuilder(snapTolerance).BuildGraph(input);

    private sealed class Work
    {
        public readonly List<double> X = [], Y = [];
        public readonly List<NodeKind> Kinds = [];
        public readonly List<int> From = [], To = [], Pipe = [], Ref = [];
        public readonly List<EdgeKind> EdgeKinds = [];
        public readonly List<double> Start = [], End = [];

        public int AddNode(double x, double y, NodeKind k) { X.Add(x); Y.Add(y); Kinds.Add(k); return X.Count - 1; }

        public int AddEdge(int a, int b, EdgeKind k, int pipe, int refIndex, double start, double end)
        {
            From.Add(a); To.Add(b); EdgeKinds.Add(k); Pipe.Add(pipe); Ref.Add(refIndex); Start.Add(start); End.Add(end);
            return From.Count - 1;
        }
    }

    private readonly record struct Split(double Along, int Valve, int TapNode);

    public NetworkGraph BuildGraph(NetworkInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var pipes = input.Pipes ?? throw new ArgumentException("Network input needs a pipe list.", nameof(input));
        var valves = input.Valves ?? [];
        var sources = input.Sources ?? [];
        var consumers = input.Consumers ?? [];
        var stations = input.Stations ?? [];
        var tol = SnapTolerance;
        var findings = new List<NetworkFinding>();

        var pipeIndex = UniqueIds(pipes.Select(p => p.Id), "pipe");
        var valveIndex = UniqueIds(valves.Select(v => v.Id), "valve");
        var sourceIndex = UniqueIds(sources.Select(v => v.Id), "source");
        var consumerIndex = UniqueIds(consumers.Select(v => v.Id), "consumer");
        UniqueIds(stations.Select(s => s.Id), "station");

        var w = new Work();
        var n = pipes.Count;
        var pipeLength = new double[n];
        var startNode = new int[n];
        var endNode = new int[n];

        // Station sides first, so pipe ends near a station join a side rather than founding a junction.
        var stationPrimary = new int[stations.Count];
        var stationSecondary = new int[stations.Count];
        for (var s = 0; s < stations.Count; s++)
        {
            var c = stations[s].Location.Coordinate;
            stationPrimary[s] = w.AddNode(c.X, c.Y, NodeKind.StationPrimary);
            stationSecondary[s] = w.AddNode(c.X, c.Y, NodeKind.StationSecondary);
        }
        // Stations are looked up by grid too: a city has thousands, and every pipe end asks. Station s owns
        // nodes 2s (primary) and 2s+1 (secondary), so a primary node maps back to its station by halving.
        var stationGrid = new SnapGrid(tol);
        for (var s = 0; s < stations.Count; s++) stationGrid.Add(stationPrimary[s], w.X[stationPrimary[s]], w.Y[stationPrimary[s]]);
        int StationAt(Coordinate c) => stations.Count == 0 ? -1 : stationGrid.Nearest(c.X, c.Y, w.X, w.Y) is var node and >= 0 ? node / 2 : -1;

        var grid = new SnapGrid(tol);
        for (var i = 0; i < n; i++)
        {
            var line = pipes[i].Geometry;
            pipeLength[i] = line.Length;
            startNode[i] = JoinEnd(i, line.CoordinateSequence.GetCoordinate(0));
            endNode[i] = JoinEnd(i, line.CoordinateSequence.GetCoordinate(line.NumPoints - 1));
        }

        int JoinEnd(int pipe, Coordinate c)
        {
            var s = StationAt(c);
            if (s >= 0)
            {
                var level = pipes[pipe].Level;
                if (level is null)
                    findings.Add(new NetworkFinding(FindingTypes.StationSideUnknown, [stations[s].Id, pipes[pipe].Id], c.X, c.Y));
                return level is null or NetworkLevel.Primary ? stationPrimary[s] : stationSecondary[s];
            }
            var found = grid.Nearest(c.X, c.Y, w.X, w.Y);
            if (found >= 0) return found;
            var node = w.AddNode(c.X, c.Y, NodeKind.Junction);
            grid.Add(node, c.X, c.Y);
            return node;
        }

        // Pipes are located lazily: small inputs and inputs with pipe ids on every valve never pay for the tree.
        STRtree<int>? tree = null;
        STRtree<int> Tree()
        {
            if (tree is not null) return tree;
            tree = new STRtree<int>();
            for (var i = 0; i < n; i++)
                if (!pipes[i].IsStationDevice) tree.Insert(pipes[i].Geometry.EnvelopeInternal, i);
            tree.Build();
            return tree;
        }

        // Pipe ends per node: a valve drawn at a node where exactly two pipes end separates them the same way
        // whichever of the two it is placed on.
        var endDegree = new int[w.X.Count];
        for (var i = 0; i < n; i++) { endDegree[startNode[i]]++; endDegree[endNode[i]]++; }
        bool Degenerate(int pipe) => startNode[pipe] == endNode[pipe];

        // Every pipe within the tolerance at the smallest distance, then the preferred one first: a pipe whose
        // ends lie on different nodes (a piece shorter than the tolerance has both ends on one node, and a valve
        // on it separates nothing), then by id. Neither rule depends on the order of the input.
        List<(int Pipe, double Along)> NearestPipes(Coordinate c)
        {
            var env = new Envelope(c);
            env.ExpandBy(Math.Max(tol, 1e-12));
            var found = new List<(int Pipe, double Distance, double Along)>();
            var bestD = double.PositiveInfinity;
            foreach (var i in Tree().Query(env))
            {
                var (d, along) = Locate(pipes[i].Geometry, c);
                if (d > tol) continue;
                found.Add((i, d, along));
                if (d < bestD) bestD = d;
            }
            var tied = found.Where(f => f.Distance <= bestD + 1e-9).Select(f => (f.Pipe, f.Along)).ToList();
            tied.Sort((a, b) =>
            {
                var da = Degenerate(a.Pipe).CompareTo(Degenerate(b.Pipe));
                return da != 0 ? da : string.CompareOrdinal(pipes[a.Pipe].Id, pipes[b.Pipe].Id);
            });
            return tied;
        }

        // The node a valve at `along` sits on, or -1 when it is inside the pipe.
        int EndNodeAt(int pipe, double along)
        {
            var a = SnapAlong(along, pipeLength[pipe]);
            return a <= 0 ? startNode[pipe] : a >= pipeLength[pipe] ? endNode[pipe] : -1;
        }

        var splits = new List<Split>?[n];
        var valveEdge = Enumerable.Repeat(-1, valves.Count).ToArray();
        var valvePipe = new int[valves.Count];
        var pendingAmbiguous = new List<(int Valve, int Pipe, int AlikeAt)>();
        for (var v = 0; v < valves.Count; v++)
        {
            var valve = valves[v];
            var c = valve.Location.Coordinate;
            int pipe;
            double alongOnPipe;
            if (valve.PipeId is not null)
            {
                if (!pipeIndex.TryGetValue(valve.PipeId, out pipe))
                    throw new ArgumentException($"Valve '{valve.Id}' names pipe '{valve.PipeId}', which is not in the pipe list.");
                var (dist, at) = Locate(pipes[pipe].Geometry, c);
                alongOnPipe = at;
                if (dist > tol)
                {
                    findings.Add(new NetworkFinding(FindingTypes.ValveNotOnPipe, [valve.Id, valve.PipeId], c.X, c.Y));
                    valvePipe[v] = -1;
                    continue;
                }
            }
            else
            {
                var tied = NearestPipes(c);
                if (tied.Count == 0)
                {
                    findings.Add(new NetworkFinding(FindingTypes.ValveNotOnPipe, [valve.Id], c.X, c.Y));
                    valvePipe[v] = -1;
                    continue;
                }
                (pipe, alongOnPipe) = tied[0];
                // Ambiguous only where the choice changes the topology: two or more real pipes, unless they are
                // the only two pipes ending at one plain junction (then either choice separates them alike; a
                // source or consumer on that junction is checked once taps are attached).
                var real = tied.Where(t => !Degenerate(t.Pipe)).ToList();
                if (real.Count >= 2)
                {
                    var j = EndNodeAt(real[0].Pipe, real[0].Along);
                    var alike = real.Count == 2 && j >= 0 && j == EndNodeAt(real[1].Pipe, real[1].Along)
                        && w.Kinds[j] == NodeKind.Junction && endDegree[j] == 2;
                    pendingAmbiguous.Add((v, pipe, alike ? j : -1));
                }
            }
            if (pipes[pipe].IsStationDevice)
                throw new ArgumentException($"Valve '{valve.Id}' is placed on station device '{pipes[pipe].Id}'; valves belong on pipes.");
            valvePipe[v] = pipe;
            var along = SnapAlong(alongOnPipe, pipeLength[pipe]);
            (splits[pipe] ??= []).Add(new Split(along, v, -1));
        }

        var sourceNode = new int[sources.Count];
        for (var s = 0; s < sources.Count; s++) sourceNode[s] = AttachTap(sources[s]);
        var consumerNode = new int[consumers.Count];
        for (var s = 0; s < consumers.Count; s++) consumerNode[s] = AttachTap(consumers[s]);

        int AttachTap(NetworkTap tap)
        {
            var c = tap.Location.Coordinate;
            var node = grid.Nearest(c.X, c.Y, w.X, w.Y);
            if (node >= 0) return node;
            if (StationAt(c) is var st and >= 0) return stationSecondary[st];
            var tiedTap = n > 0 ? NearestPipes(c) : [];
            var (p, tapAlong) = tiedTap.Count > 0 ? tiedTap[0] : (-1, 0.0);
            if (p < 0)
            {
                findings.Add(new NetworkFinding(FindingTypes.NotOnNetwork, [tap.Id], c.X, c.Y));
                return -1;
            }
            var along = SnapAlong(tapAlong, pipeLength[p]);
            if (along <= 0) return startNode[p];
            if (along >= pipeLength[p]) return endNode[p];
            var list = splits[p] ??= [];
            foreach (var sp in list)
                if (sp.TapNode >= 0 && Math.Abs(sp.Along - along) <= tol) return sp.TapNode;
            var at = new LengthIndexedLine(pipes[p].Geometry).ExtractPoint(along);
            var tapNode = w.AddNode(at.X, at.Y, NodeKind.Tap);
            list.Add(new Split(along, -1, tapNode));
            return tapNode;
        }

        var tapNodes = new HashSet<int>(sourceNode.Concat(consumerNode));
        foreach (var (v, pipe, alikeAt) in pendingAmbiguous)
            if (alikeAt < 0 || tapNodes.Contains(alikeAt))
            {
                var c = valves[v].Location.Coordinate;
                findings.Add(new NetworkFinding(FindingTypes.ValveAmbiguous, [valves[v].Id, pipes[pipe].Id], c.X, c.Y));
            }

        double SnapAlong(double along, double length) =>
            along <= tol ? 0 : along >= length - tol ? length : along;

        // Cut pipes into pieces; pieces of one pipe are consecutive edges.
        var pipeFirst = new int[n];
        var pipeCount = new int[n];
        var stationIds = stations.Select(s => s.Id).ToList();
        var stationEdges = new List<int>();
        for (var s = 0; s < stations.Count; s++)
            stationEdges.Add(w.AddEdge(stationPrimary[s], stationSecondary[s], EdgeKind.Station, -1, s, 0, 0));
        for (var i = 0; i < n; i++)
        {
            pipeFirst[i] = w.From.Count;
            if (pipes[i].IsStationDevice)
            {
                stationIds.Add(pipes[i].Id);
                stationEdges.Add(w.AddEdge(startNode[i], endNode[i], EdgeKind.Station, i, stationIds.Count - 1, 0, pipeLength[i]));
                pipeCount[i] = 1;
                continue;
            }
            var list = splits[i];
            if (list is null)
            {
                w.AddEdge(startNode[i], endNode[i], EdgeKind.Piece, i, -1, 0, pipeLength[i]);
                pipeCount[i] = 1;
                continue;
            }
            // Order along the pipe; at one position taps first, then valves by id (not by input order: two valves drawn at
            // one point — both snapped to the same pipe end — would otherwise swap places, and with them the segment
            // between them, when the file lists them the other way round).
            list.Sort((a, b) => a.Along != b.Along ? a.Along.CompareTo(b.Along)
                : a.Valve < 0 || b.Valve < 0 ? a.Valve.CompareTo(b.Valve)
                : string.CompareOrdinal(valves[a.Valve].Id, valves[b.Valve].Id));
            LengthIndexedLine? lil = null;
            var current = startNode[i];
            var last = 0.0;
            foreach (var sp in list)
            {
                if (sp.TapNode >= 0)
                {
                    w.AddEdge(current, sp.TapNode, EdgeKind.Piece, i, -1, last, sp.Along);
                    current = sp.TapNode;
                }
                else
                {
                    Coordinate at;
                    if (sp.Along <= 0) at = new Coordinate(w.X[startNode[i]], w.Y[startNode[i]]);
                    else if (sp.Along >= pipeLength[i]) at = new Coordinate(w.X[endNode[i]], w.Y[endNode[i]]);
                    else at = (lil ??= new LengthIndexedLine(pipes[i].Geometry)).ExtractPoint(sp.Along);
                    var a = w.AddNode(at.X, at.Y, NodeKind.ValveSide);
                    var b = w.AddNode(at.X, at.Y, NodeKind.ValveSide);
                    w.AddEdge(current, a, EdgeKind.Piece, i, -1, last, sp.Along);
                    valveEdge[sp.Valve] = w.AddEdge(a, b, EdgeKind.Valve, -1, sp.Valve, sp.Along, sp.Along);
                    current = b;
                }
                last = sp.Along;
            }
            w.AddEdge(current, endNode[i], EdgeKind.Piece, i, -1, last, pipeLength[i]);
            pipeCount[i] = w.From.Count - pipeFirst[i];
        }

        // Station-point edges were added before the pipes; shift nothing — pipeFirst was taken after them.
        var nodeCount = w.X.Count;
        var edgeCount = w.From.Count;
        var adjStart = new int[nodeCount + 1];
        for (var e = 0; e < edgeCount; e++)
        {
            adjStart[w.From[e] + 1]++;
            if (w.To[e] != w.From[e]) adjStart[w.To[e] + 1]++;
        }
        for (var i = 0; i < nodeCount; i++) adjStart[i + 1] += adjStart[i];
        var adj = new int[adjStart[nodeCount]];
        var fill = (int[])adjStart.Clone();
        for (var e = 0; e < edgeCount; e++)
        {
            adj[fill[w.From[e]]++] = e;
            if (w.To[e] != w.From[e]) adj[fill[w.To[e]]++] = e;
        }

        return new NetworkGraph
        {
            SnapTolerance = tol,
            Pipes = pipes,
            Valves = valves,
            Sources = sources,
            Consumers = consumers,
            StationIds = stationIds,
            BuildFindings = findings,
            NodeX = [.. w.X],
            NodeY = [.. w.Y],
            NodeKinds = [.. w.Kinds],
            EdgeFrom = [.. w.From],
            EdgeTo = [.. w.To],
            EdgeKinds = [.. w.EdgeKinds],
            EdgePipe = [.. w.Pipe],
            EdgeRef = [.. w.Ref],
            EdgeStart = [.. w.Start],
            EdgeEnd = [.. w.End],
            AdjStart = adjStart,
            AdjEdge = adj,
            PipeFirstEdge = pipeFirst,
            PipeEdgeCount = pipeCount,
            PipeLength = pipeLength,
            ValveEdge = valveEdge,
            SourceNode = sourceNode,
            ConsumerNode = consumerNode,
            StationEdge = [.. stationEdges],
            PipeIndexById = pipeIndex,
            ValveIndexById = valveIndex,
            SourceIndexById = sourceIndex,
            ConsumerIndexById = consumerIndex,
        };
    }

    /// <summary>
    /// Distance from <paramref name="c"/> to the line and the along-line position of the nearest point (first
    /// nearest segment on ties). Hand-rolled because it runs once per valve and tap: NTS's DistanceOp and
    /// LengthIndexedLine allocate per call.
    /// </summary>
    internal static (double Distance, double Along) Locate(LineString line, Coordinate c)
    {
        var seq = line.CoordinateSequence;
        var bestD2 = double.PositiveInfinity;
        var bestAlong = 0.0;
        var walked = 0.0;
        double x0 = seq.GetX(0), y0 = seq.GetY(0);
        for (var i = 1; i < seq.Count; i++)
        {
            double x1 = seq.GetX(i), y1 = seq.GetY(i);
            double dx = x1 - x0, dy = y1 - y0;
            var len2 = dx * dx + dy * dy;
            var t = len2 > 0 ? Math.Clamp(((c.X - x0) * dx + (c.Y - y0) * dy) / len2, 0, 1) : 0;
            double px = x0 + t * dx - c.X, py = y0 + t * dy - c.Y;
            var d2 = px * px + py * py;
            var len = Math.Sqrt(len2);
            if (d2 < bestD2) { bestD2 = d2; bestAlong = walked + t * len; }
            walked += len;
            x0 = x1; y0 = y1;
        }
        return (Math.Sqrt(bestD2), bestAlong);
    }

    private static Dictionary<string, int> UniqueIds(IEnumerable<string> ids, string what)
    {
        var d = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in ids)
            if (!d.TryAdd(id, d.Count))
                throw new ArgumentException($"Duplicate {what} id '{id}': every {what} needs its own id.");
        return d;
    }

    /// <summary>Grid hash of junction nodes with cell size = tolerance: a lookup checks the 3×3 cells around a point.</summary>
    private sealed class SnapGrid(double tolerance)
    {
        private readonly double _cell = tolerance > 0 ? tolerance : 1e-9;
        private readonly Dictionary<(long, long), List<int>> _cells = [];

        private (long, long) Key(double x, double y) => ((long)Math.Floor(x / _cell), (long)Math.Floor(y / _cell));

        public void Add(int node, double x, double y)
        {
            var k = Key(x, y);
            if (!_cells.TryGetValue(k, out var l)) _cells[k] = l = new List<int>(1);
            l.Add(node);
        }

        /// <summary>Nearest node within the tolerance (lowest index on ties), or -1.</summary>
        public int Nearest(double x, double y, List<double> xs, List<double> ys)
        {
            var (cx, cy) = Key(x, y);
            var best = -1;
            var bestD = double.PositiveInfinity;
            for (var dx = -1L; dx <= 1; dx++)
                for (var dy = -1L; dy <= 1; dy++)
                {
                    if (!_cells.TryGetValue((cx + dx, cy + dy), out var l)) continue;
                    foreach (var node in l)
                    {
                        var ddx = xs[node] - x;
                        var ddy = ys[node] - y;
                        var d = Math.Sqrt(ddx * ddx + ddy * ddy);
                        if (d <= tolerance && (d < bestD || (d == bestD && node < best))) { best = node; bestD = d; }
                    }
                }
            return best;
        }
    }
}
