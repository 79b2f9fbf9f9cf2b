using GridMap.Domain.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Distance;

namespace GridMap.Domain.Demo;

/// <summary>A compound as the network sees it: footprint in metres, households, ages.</summary>
internal sealed record ServedCompound(int Index, Polygon Footprint, int Households, double HeatedAreaM2, int BuiltYear, int? RetrofitYear);

/// <summary>A heat-exchange station placed in a block, in metres, with the compounds it serves.</summary>
internal sealed record StationDraft(int Id, string DistrictCode, Coordinate Location, IReadOnlyList<ServedCompound> Served)
{
    /// <summary>Design capacity: 50 W/m² of heated area, kW.</summary>
    public double CapacityKw => Math.Round(Served.Sum(c => c.HeatedAreaM2) * 0.05);
}

/// <summary>
/// Places the stations of one block on its pipe corridor ring (where a station building sits at the block edge,
/// next to the primary main in the arterial) and lays each station's secondary network (二次网) as a tree along the
/// block's corridors to every compound it serves. Each compound goes to the station nearest along the corridors,
/// so trees of different stations never share a corridor segment. DN follows the households downstream.
/// </summary>
internal sealed class SecondaryNetworkBuilder(Random random, NetworkDraft draft)
{
    /// <summary>A station serves about this many compounds at most (larger groups get a second station).</summary>
    public const int CompoundsPerStation = 12;
    private int _nextStation = 1;

    /// <summary>Where each compound's service pipe meets its wall (by compound index), in metres.</summary>
    public Dictionary<int, Coordinate> Entries { get; } = [];

    /// <param name="roads">Road centre lines (arterials and local roads) in metres; stations go beside one.</param>
    /// <param name="layouts">The blocks of one arterial face (split by local roads, which secondary pipes may cross).</param>
    public List<StationDraft> Build(IReadOnlyList<BlockLayout> layouts, IReadOnlyList<ServedCompound> compounds, RoadIndex roads)
    {
        if (compounds.Count == 0 || layouts.All(l => l.Corridors.Count == 0)) return [];
        // Each block's corridors are noded on their own: rings of neighbouring blocks never touch.
        var g = CorridorGraph.Build(layouts.Select(l => l.Corridors), 25);
        // Blocks of one face are joined where their rings face each other across a local road (~20 m).
        // A link must not cut through a compound (it may where a ring bends round the compound's corner).
        var walls = compounds.Select(c => c.Footprint).ToList();
        bool Clear(Coordinate a, Coordinate b)
        {
            var link = new LineSegment(a, b).ToGeometry(walls[0].Factory);
            return !walls.Any(w => w.EnvelopeInternal.Intersects(link.EnvelopeInternal) && w.Intersects(link));
        }
        g.JoinComponents(2 * CompoundPlacer.RingInsetM + 5, Clear);
        var districtCode = layouts[0].Block.DistrictCode;
        if (g.Nodes.Count == 0) return [];
        // Ring nodes beside a road (not beside a bare district edge), where the primary main can reach the station.
        // Evaluated lazily: only nodes that would be chosen as a station site are ever asked.
        var ringKnown = new bool?[g.Nodes.Count];
        bool OnRing(int n) => ringKnown[n] ??= roads.IsWithin(g.Nodes[n], CompoundPlacer.RingInsetM + 0.6);

        // Where each compound's service pipe leaves the corridors: the node nearest its wall.
        var nodeGrid = new PointGrid(50);
        for (var n = 0; n < g.Nodes.Count; n++) nodeGrid.Insert(g.Nodes[n], n);
        var connection = new int[compounds.Count];
        var wallPoint = new Coordinate[compounds.Count];
        for (var i = 0; i < compounds.Count; i++)
        {
            var fp = compounds[i].Footprint;
            var env = new Envelope(fp.EnvelopeInternal);
            env.ExpandBy(60);
            var best = -1;
            var bestD = double.MaxValue;

            foreach (var n in nodeGrid.InEnvelope(env))
            {
                var d = fp.Distance(new Point(g.Nodes[n]));
                if (d < bestD) { bestD = d; best = n; }
            }
            if (best < 0) best = g.Nearest(fp.Centroid.Coordinate);
            connection[i] = best;
            wallPoint[i] = DistanceOp.NearestPoints(fp, new Point(g.Nodes[best]))[0];
        }

        // Station sites: ring nodes nearest the centres of groups of about CompoundsPerStation compounds.
        var k = (int)Math.Ceiling(compounds.Count / (double)CompoundsPerStation);
        var centres = k == 1
            ? [new Coordinate(compounds.Average(c => c.Footprint.Centroid.X), compounds.Average(c => c.Footprint.Centroid.Y))]
            : new StreetAreaBuilder(random).KMeans(compounds.Select(c => c.Footprint.Centroid.Coordinate).ToList(), k);
        var roots = new List<int>();
        var isConnection = connection.ToHashSet();
        foreach (var c in centres)
        {
            var n = g.Nearest(c, i => !isConnection.Contains(i) && !roots.Contains(i) && OnRing(i));
            if (n < 0) n = g.Nearest(c, i => !roots.Contains(i));
            if (n >= 0) roots.Add(n);
        }

        var (_, pred, owner) = g.ShortestPaths(roots);
        // Compounds on a corridor piece cut off from every station (a lane split by a dangling arterial) get their own
        // station on that piece, beside a road if the piece reaches one.
        var piece = g.Components();
        for (var i = 0; i < compounds.Count; i++)
        {
            if (owner[connection[i]] >= 0) continue;
            var here = piece[connection[i]];
            var site = g.Nearest(compounds[i].Footprint.Centroid.Coordinate, n => piece[n] == here && !isConnection.Contains(n) && OnRing(n));
            roots.Add(site >= 0 ? site : connection[i]);
            (_, pred, owner) = g.ShortestPaths(roots);
        }

        var stations = new List<StationDraft>();
        for (var s = 0; s < roots.Count; s++)
        {
            var served = Enumerable.Range(0, compounds.Count).Where(i => owner[connection[i]] == s).ToList();
            if (served.Count == 0) continue;
            var station = new StationDraft(_nextStation++, districtCode, g.Nodes[roots[s]], served.Select(i => compounds[i]).ToList());
            stations.Add(station);
            LayTree(g, pred, roots[s], station, served, connection, wallPoint, compounds);
        }
        return stations;
    }

    private void LayTree(CorridorGraph g, int[] pred, int root, StationDraft station, List<int> served, int[] connection, Coordinate[] wallPoint, IReadOnlyList<ServedCompound> compounds)
    {
        // Households downstream of each tree node, and the tree's children.
        var load = new Dictionary<int, int>();
        var children = new Dictionary<int, SortedSet<int>>();
        var connectedHere = new Dictionary<int, List<int>>();
        foreach (var i in served)
        {
            var hh = compounds[i].Households;
            if (!connectedHere.TryGetValue(connection[i], out var list)) connectedHere[connection[i]] = list = [];
            list.Add(i);
            for (var n = connection[i]; n >= 0; n = n == root ? -1 : pred[n])
            {
                load[n] = load.GetValueOrDefault(n) + hh;
                if (n != root)
                {
                    if (!children.TryGetValue(pred[n], out var set)) children[pred[n]] = set = [];
                    set.Add(n);
                }
            }
        }
        var year = served.Min(i => compounds[i].BuiltYear) + random.Next(3);
        var material = year < 2000 ? "steel" : "preinsulated_steel";

        bool IsBreak(int n) => n == root || connectedHere.ContainsKey(n) || children.GetValueOrDefault(n)?.Count != 1;

        var stack = new Stack<int>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var start = stack.Pop();
            var kids = children.GetValueOrDefault(start);
            var isTee = start == root || (kids?.Count ?? 0) + (connectedHere.TryGetValue(start, out var cs) ? cs.Count : 0) >= 2;
            if (kids is not null)
            {
                foreach (var first in kids)
                {
                    var coords = new List<Coordinate> { g.Nodes[start] };
                    var n = first;
                    coords.Add(g.Nodes[n]);
                    while (!IsBreak(n))
                    {
                        n = children[n].Min;
                        coords.Add(g.Nodes[n]);
                    }
                    var pipe = draft.AddPipe(NetworkLevel.Secondary, NetworkDraft.SecondaryDn(load[first]), material, year,
                        0.8 + 0.7 * random.NextDouble(), station.Id, coords);
                    if (isTee) draft.AddValve(pipe, atStart: true);
                    if (start == root) draft.Connect(pipe, atStart: true, "station", station.Id);
                    stack.Push(n);
                }
            }
            if (connectedHere.TryGetValue(start, out var here))
            {
                foreach (var i in here)
                {
                    var c = compounds[i];
                    if (wallPoint[i].Distance(g.Nodes[start]) < 0.5) continue;
                    var stubYear = c.RetrofitYear ?? Math.Max(year, c.BuiltYear);
                    var stub = draft.AddPipe(NetworkLevel.Secondary, NetworkDraft.SecondaryDn(c.Households),
                        c.RetrofitYear is null ? material : "preinsulated_steel", stubYear, 0.8 + 0.4 * random.NextDouble(), station.Id,
                        [g.Nodes[start], wallPoint[i]]);
                    Entries[c.Index] = wallPoint[i];
                    draft.Connect(stub, atStart: false, "compound", c.Index + 1);
                    if (isTee) draft.AddValve(stub, atStart: true);
                    // The building inlet valve (入口阀) at the compound wall; a few compounds are shut off (unpaid, vacant).
                    draft.AddValve(stub, atStart: false, random.NextDouble() < 0.015 ? OpenState.Closed : OpenState.Open);
                }
            }
        }
    }
}
