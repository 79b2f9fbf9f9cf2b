using GridMap.Domain.Model;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.Demo;

/// <summary>A heat source in metres, with the node of the arterial network its feeder joins.</summary>
internal sealed record HeatSourceDraft(int Id, string Name, Coordinate Location, double CapacityMw);

/// <summary>
/// Lays the primary network (一次网) along the arterials: CHP plants at the four edges of the city feed a
/// shortest-path forest over the arterial graph to every station's branch; where two branches of the forest meet
/// on a street the gap is closed, giving the few loops a real network has (tie lines between different plants
/// are kept closed at their valves). DN follows the downstream load, DN1200 at the plants down to DN300.
/// </summary>
internal sealed class PrimaryNetworkBuilder(Random random, NetworkDraft draft)
{
    /// <summary>Components of the derived arterials closer than this to the main network are joined to it.</summary>
    private const double JoinM = 1500;
    private const double MaxPipeM = 700;
    /// <summary>Longest stretch of road laid to close a loop.</summary>
    private const double MaxLoopM = 900;
    /// <summary>A plant is at most this far from the nearest station branch.</summary>
    private const double PlantReachM = 1200;

    private static readonly (string Name, double Dx, double Dy)[] Plants =
    [
        ("郑州热电厂", -1, 0),
        ("郑东新区热电厂", 1, 0),
        ("北郊热源厂", 0, 1),
        ("裕中电厂长输管线郑州首站", 0, -1),
    ];

    /// <param name="roads">Road centre lines in metres (arterials and local roads): the primary runs under them.</param>
    public List<HeatSourceDraft> Build(IReadOnlyList<LineString> roads, IReadOnlyList<StationDraft> stations)
    {
        var g = CorridorGraph.Build(roads, 20);
        var joined = g.JoinComponents(JoinM);
        var index = new PointGrid(200);
        for (var i = 0; i < g.Nodes.Count; i++) if (joined[i]) index.Insert(g.Nodes[i], i);

        var attach = stations.Select(s => index.Nearest(s.Location)).ToArray();
        var centre = new Coordinate(stations.Average(s => s.Location.X), stations.Average(s => s.Location.Y));

        var sourceNodes = new List<int>();
        var sources = new List<HeatSourceDraft>();
        // Plants stand at the edge of the served city, not at the far end of an arterial running into the fields.
        var served = new PointGrid(500);
        foreach (var a in attach.Distinct().Order()) served.Insert(g.Nodes[a], a);
        foreach (var (name, dx, dy) in Plants)
        {
            var best = -1;
            var bestScore = double.MinValue;
            for (var i = 0; i < g.Nodes.Count; i++)
            {
                if (!joined[i] || sourceNodes.Contains(i)) continue;
                var score = (g.Nodes[i].X - centre.X) * dx + (g.Nodes[i].Y - centre.Y) * dy;
                if (score <= bestScore || served.Nearest(g.Nodes[i], PlantReachM) < 0) continue;
                if (score > bestScore) { bestScore = score; best = i; }
            }
            sourceNodes.Add(best);
            var at = new Coordinate(g.Nodes[best].X + 500 * dx + 60 * dy, g.Nodes[best].Y + 500 * dy - 60 * dx);
            sources.Add(new HeatSourceDraft(sources.Count + 1, name, at, 0));
        }

        var (dist, pred, owner) = g.ShortestPaths(sourceNodes);
        var loadMw = new Dictionary<int, double>();
        var children = new Dictionary<int, SortedSet<int>>();
        var stationsAt = new Dictionary<int, List<int>>();
        var perSource = new double[sources.Count];
        for (var s = 0; s < stations.Count; s++)
        {
            var mw = stations[s].CapacityKw / 1000;
            if (!stationsAt.TryGetValue(attach[s], out var list)) stationsAt[attach[s]] = list = [];
            list.Add(s);
            perSource[owner[attach[s]]] += mw;
            for (var n = attach[s]; n >= 0; n = pred[n])
            {
                loadMw[n] = loadMw.GetValueOrDefault(n) + mw;
                if (pred[n] >= 0)
                {
                    if (!children.TryGetValue(pred[n], out var set)) children[pred[n]] = set = [];
                    set.Add(n);
                }
            }
        }

        // Loops: a stretch of road outside the forest that joins two of its nodes (two branches a block apart, or two
        // plants' areas meeting) is laid too, as mains are meshed for reliability. Some such stretches, not all.
        var loops = new List<List<int>>();
        var seenPairs = new HashSet<(int, int)>();
        foreach (var u in loadMw.Keys.Order())
        {
            foreach (var (w, _) in g.Adjacent[u].OrderBy(e => e.To))
            {
                if (pred[w] == u || pred[u] == w) continue;
                var path = new List<int> { u, w };
                var length = g.Nodes[u].Distance(g.Nodes[w]);
                var prev = u;
                var cur = w;
                while (!loadMw.ContainsKey(cur) && g.Adjacent[cur].Count == 2 && length < MaxLoopM)
                {
                    var next = g.Adjacent[cur][0].To == prev ? g.Adjacent[cur][1].To : g.Adjacent[cur][0].To;
                    length += g.Nodes[cur].Distance(g.Nodes[next]);
                    prev = cur;
                    cur = next;
                    path.Add(cur);
                }
                if (!loadMw.ContainsKey(cur) || cur == u || !seenPairs.Add((Math.Min(u, cur), Math.Max(u, cur)))) continue;
                if (random.NextDouble() < 0.3 && loops.Count < 60) loops.Add(path);
            }
        }
        var loopEnds = loops.SelectMany(l => new[] { l[0], l[^1] }).ToHashSet();

        int InstallYear(Coordinate c) => Math.Clamp(1985 + (int)(c.Distance(centre) / 600) + random.Next(6), 1985, 2020);
        string Material(int year) => year < 1995 ? "steel" : "preinsulated_steel";
        double Depth() => 1.5 + 1.5 * random.NextDouble();

        var incomingDn = new Dictionary<int, int>();
        for (var s = 0; s < sources.Count; s++)
        {
            var root = sourceNodes[s];
            var rootDn = NetworkDraft.PrimaryDn(loadMw.GetValueOrDefault(root));
            sources[s] = sources[s] with { CapacityMw = Math.Max(50, Math.Ceiling(perSource[s] * 1.15 / 50) * 50) };
            var feeder = draft.AddPipe(NetworkLevel.Primary, rootDn, "preinsulated_steel", 1990 + random.Next(20), Depth(), null,
                [sources[s].Location, g.Nodes[root]]);
            draft.AddValve(feeder, atStart: true);
            draft.Connect(feeder, atStart: true, "heat_source", sources[s].Id);
            incomingDn[root] = rootDn;

            var stack = new Stack<int>();
            stack.Push(root);
            while (stack.Count > 0)
            {
                var start = stack.Pop();
                var kids = children.GetValueOrDefault(start);
                var branches = (kids?.Count ?? 0) + (stationsAt.GetValueOrDefault(start)?.Count ?? 0);
                var isTee = branches >= 2 || loopEnds.Contains(start);
                if (kids is not null)
                {
                    foreach (var first in kids)
                    {
                        var coords = new List<Coordinate> { g.Nodes[start], g.Nodes[first] };
                        var n = first;
                        var length = g.Nodes[start].Distance(g.Nodes[first]);
                        while (children.GetValueOrDefault(n)?.Count == 1 && !stationsAt.ContainsKey(n) && !loopEnds.Contains(n) && length < MaxPipeM)
                        {
                            var next = children[n].Min;
                            length += g.Nodes[n].Distance(g.Nodes[next]);
                            n = next;
                            coords.Add(g.Nodes[n]);
                        }
                        var dn = NetworkDraft.PrimaryDn(loadMw[first]);
                        var year = InstallYear(g.Nodes[first]);
                        var pipe = draft.AddPipe(NetworkLevel.Primary, dn, Material(year), year, Depth(), null, coords);
                        if (isTee) draft.AddValve(pipe, atStart: true);
                        incomingDn[n] = dn;
                        stack.Push(n);
                    }
                }
                foreach (var si in stationsAt.GetValueOrDefault(start) ?? [])
                {
                    var st = stations[si];
                    var dn = NetworkDraft.StationBranchDn(st.CapacityKw);
                    var year = Math.Max(InstallYear(st.Location), st.Served.Min(c => c.BuiltYear));
                    var branch = draft.AddPipe(NetworkLevel.Primary, dn, Material(year), year, Depth(), st.Id, [g.Nodes[start], st.Location]);
                    draft.Connect(branch, atStart: false, "station", st.Id);
                    if (isTee) draft.AddValve(branch, atStart: true);
                    // Every station inlet has its own valve just outside the station.
                    draft.AddValve(branch, atStart: false, random.NextDouble() < 0.02 ? OpenState.Closed : OpenState.Open);
                }
            }
        }

        foreach (var path in loops)
        {
            int a = path[0], b = path[^1];
            var top = Math.Min(incomingDn.GetValueOrDefault(a, 300), incomingDn.GetValueOrDefault(b, 300));
            var idx = Array.IndexOf(NetworkDraft.PrimaryCatalogue, top);
            var dn = NetworkDraft.PrimaryCatalogue[Math.Max(0, idx - 1)];
            // Orient the tie from the end nearer its plant, so "downstream" stays well defined.
            if (dist[a] > dist[b]) path.Reverse();
            var year = InstallYear(g.Nodes[path[0]]);
            var tie = draft.AddPipe(NetworkLevel.Primary, dn, Material(year), year, Depth(), null, path.Select(n => g.Nodes[n]).ToList());
            // Ties between two plants' areas are kept closed; loops within one area run open.
            var state = owner[a] != owner[b] ? OpenState.Closed : OpenState.Open;
            draft.AddValve(tie, atStart: true, state);
            draft.AddValve(tie, atStart: false, state);
        }
        return sources;
    }
}
