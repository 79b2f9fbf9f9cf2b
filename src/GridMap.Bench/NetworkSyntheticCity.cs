using System.Globalization;
using GridMap.Domain.Model;
using GridMap.Domain.Network;
using NetTopologySuite.Geometries;

namespace GridMap.Bench;

/// <summary>
/// A deterministic synthetic city network of exactly <c>pipeCount</c> straight pipes, in metres:
/// a looped grid of mains (200 m blocks) and, in every block, a comb-shaped service tree hanging off the
/// block's south-west grid node (connector, spine going north, ribs going east to compounds).
/// </summary>
/// <remarks>
/// Valves by rule, as points with no pipe id (the builder has to find their pipe): one 0.3 m inside each end of
/// every main, one at the start of every connector and every rib. Every 10th valve is inoperable, every 97th
/// normally closed; every 1000th main is closed. Four sources at the grid corners; one consumer per rib end with
/// 10–300 households. All lattice points are distinct, so nothing joins by accident.
/// </remarks>
internal sealed class NetworkSyntheticCity
{
    public const double Block = 200;
    public const double Snap = 0.5;
    public const double ValveInset = 0.3;

    public required NetworkInput Input { get; init; }
    public required int GridSize { get; init; }

    public static NetworkSyntheticCity Generate(int pipeCount)
    {
        var f = new GeometryFactory();
        // Mains: 2·n·(n-1) pipes; the blocks ((n-1)²) carry 40 pipes each. Pick n so mains + blocks ≥ pipeCount.
        var n = 2;
        while (2 * n * (n - 1) + 40 * (n - 1) * (n - 1) < pipeCount) n++;
        var pipes = new List<NetworkPipe>(pipeCount);
        var valves = new List<NetworkValve>();
        var consumers = new List<NetworkTap>();
        var rng = 12345u;
        uint Next() { rng = rng * 1664525u + 1013904223u; return rng >> 8; }

        bool Full() => pipes.Count >= pipeCount;
        void AddPipe(string id, double x1, double y1, double x2, double y2, OpenState status = OpenState.Open) =>
            pipes.Add(new NetworkPipe(id, f.CreateLineString([new Coordinate(x1, y1), new Coordinate(x2, y2)]), status));
        void AddValve(double x1, double y1, double x2, double y2)
        {
            var len = Math.Sqrt((x2 - x1) * (x2 - x1) + (y2 - y1) * (y2 - y1));
            var t = ValveInset / len;
            var i = valves.Count;
            valves.Add(new NetworkValve("V" + i.ToString(CultureInfo.InvariantCulture),
                f.CreatePoint(new Coordinate(x1 + (x2 - x1) * t, y1 + (y2 - y1) * t)),
                i % 97 == 96 ? OpenState.Closed : OpenState.Open,
                operable: i % 10 != 9));
        }

        var mains = 0;
        for (var i = 0; i < n && !Full(); i++)
            for (var j = 0; j < n && !Full(); j++)
            {
                double x = i * Block, y = j * Block;
                foreach (var (dx, dy) in new[] { (1, 0), (0, 1) })
                {
                    if (i + dx >= n || j + dy >= n || Full()) continue;
                    double x2 = x + dx * Block, y2 = y + dy * Block;
                    AddPipe("M" + mains.ToString(CultureInfo.InvariantCulture), x, y, x2, y2, mains % 1000 == 999 ? OpenState.Closed : OpenState.Open);
                    mains++;
                    AddValve(x, y, x2, y2);
                    AddValve(x2, y2, x, y);
                }
            }

        for (var i = 0; i < n - 1 && !Full(); i++)
            for (var j = 0; j < n - 1 && !Full(); j++)
            {
                double x0 = i * Block, y0 = j * Block;
                var b = $"B{i}_{j}_";
                // Connector from the grid node into the block, then a spine of 9 pipes going north.
                AddPipe(b + "c", x0, y0, x0 + 5, y0 + 5);
                AddValve(x0, y0, x0 + 5, y0 + 5);
                for (var k = 0; k < 9 && !Full(); k++)
                    AddPipe(b + "s" + k, x0 + 5, y0 + 5 + 20 * k, x0 + 5, y0 + 25 + 20 * k);
                // Ten ribs of three pipes going east; a compound at each rib end.
                for (var k = 0; k < 10 && !Full(); k++)
                {
                    var y = y0 + 5 + 20 * k;
                    AddValve(x0 + 5, y, x0 + 25, y);
                    for (var r = 0; r < 3 && !Full(); r++)
                        AddPipe(b + "r" + k + "_" + r, x0 + 5 + 20 * r, y, x0 + 25 + 20 * r, y);
                    consumers.Add(new NetworkTap(b + "k" + k, f.CreatePoint(new Coordinate(x0 + 65, y)), 10 + (int)(Next() % 291)));
                }
            }

        var max = (n - 1) * Block;
        var sources = new List<NetworkTap>
        {
            new("SRC-SW", f.CreatePoint(new Coordinate(0, 0))),
            new("SRC-NW", f.CreatePoint(new Coordinate(0, max))),
            new("SRC-SE", f.CreatePoint(new Coordinate(max, 0))),
            new("SRC-NE", f.CreatePoint(new Coordinate(max, max))),
        };
        // Consumers whose rib was cut short by the pipe budget are not on the network: drop them.
        var ends = new HashSet<(double, double)>(pipes.SelectMany(p => new[] { (p.Geometry.EndPoint.X, p.Geometry.EndPoint.Y), (p.Geometry.StartPoint.X, p.Geometry.StartPoint.Y) }));
        consumers.RemoveAll(c => !ends.Contains((c.Location.X, c.Location.Y)));
        return new NetworkSyntheticCity { Input = new NetworkInput(pipes, valves, sources, consumers), GridSize = n };
    }

    /// <summary>
    /// Writes the same network for the networkx reference as TSV: pipes with end coordinates, valves with the pipe
    /// they sit on and the distance from its start (the C# builder finds these from the points alone).
    /// </summary>
    public void WriteTsv(string path, NetworkGraph graph)
    {
        using var w = new StreamWriter(path);
        var inv = CultureInfo.InvariantCulture;
        foreach (var p in Input.Pipes)
        {
            var g = p.Geometry;
            w.WriteLine(string.Join('\t', "P", p.Id, g.StartPoint.X.ToString("R", inv), g.StartPoint.Y.ToString("R", inv),
                g.EndPoint.X.ToString("R", inv), g.EndPoint.Y.ToString("R", inv), p.Status.ToCode()));
        }
        for (var v = 0; v < graph.Valves.Count; v++)
        {
            var valve = graph.Valves[v];
            var e = graph.EdgeOfValve(v);
            // The valve edge sits between the piece before it and the one after it: its along position is the
            // end of the piece arriving at its first side.
            var before = graph.EdgesAt(graph.From(e)).ToArray().First(x => x != e);
            var pipe = graph.Pipes[graph.PipeOfEdge(before)];
            var along = new NetTopologySuite.LinearReferencing.LengthIndexedLine(pipe.Geometry).Project(valve.Location.Coordinate);
            w.WriteLine(string.Join('\t', "V", valve.Id, pipe.Id, along.ToString("R", inv), valve.State.ToCode(), valve.Operable ? "1" : "0"));
        }
        foreach (var s in Input.Sources!)
            w.WriteLine(string.Join('\t', "S", s.Id, s.Location.X.ToString("R", inv), s.Location.Y.ToString("R", inv)));
        foreach (var c in Input.Consumers!)
            w.WriteLine(string.Join('\t', "C", c.Id, c.Location.X.ToString("R", inv), c.Location.Y.ToString("R", inv), c.Households.ToString(inv)));
    }
}
