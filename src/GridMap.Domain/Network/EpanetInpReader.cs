using System.Globalization;
using GridMap.Domain.Model;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.Network;

/// <summary>A node of an EPANET model: junction, reservoir or tank, with its map coordinates.</summary>
public sealed record EpanetNode(string Id, string Type, double X, double Y);

/// <summary>A link of an EPANET model: pipe, pump or valve, with its end nodes, vertices and initial status.</summary>
public sealed record EpanetLink(string Id, string Type, string Node1, string Node2, IReadOnlyList<Coordinate> Vertices, OpenState Status);

/// <summary>The topology part of an EPANET .inp file.</summary>
public sealed record EpanetModel(IReadOnlyList<EpanetNode> Nodes, IReadOnlyList<EpanetLink> Links)
{
    /// <summary>
    /// The links as <see cref="NetworkPipe"/>s (node coordinates + vertices, kind "pipe"/"pump"/"valve") and the
    /// reservoirs and tanks as sources. Map units are kept (EPANET maps are planar, usually feet or metres).
    /// </summary>
    public NetworkInput ToNetworkInput(GeometryFactory? factory = null)
    {
        var f = factory ?? new GeometryFactory();
        var byId = Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var pipes = Links.Select(l =>
        {
            var a = byId[l.Node1];
            var b = byId[l.Node2];
            var coords = new List<Coordinate> { new(a.X, a.Y) };
            coords.AddRange(l.Vertices);
            coords.Add(new Coordinate(b.X, b.Y));
            return new NetworkPipe(l.Id, f.CreateLineString([.. coords]), l.Status, l.Type);
        }).ToList();
        var sources = Nodes.Where(n => n.Type is "reservoir" or "tank")
            .Select(n => new NetworkTap(n.Id, f.CreatePoint(new Coordinate(n.X, n.Y)))).ToList();
        return new NetworkInput(pipes, Sources: sources);
    }
}

/// <summary>
/// Reads the topology of an EPANET 2 input file: [JUNCTIONS], [RESERVOIRS], [TANKS], [PIPES], [PUMPS], [VALVES],
/// [STATUS], [COORDINATES] and [VERTICES]. Hydraulic data is ignored. <c>EpanetInpReader.Read(path)</c>.
/// </summary>
public static class EpanetInpReader
{
    public static EpanetModel Read(string path) => Parse(File.ReadAllLines(path), path);

    /// <summary>Parses the lines of an .inp file; <paramref name="source"/> names it in error messages.</summary>
    public static EpanetModel Parse(IEnumerable<string> lines, string source = "inp")
    {
        var nodeTypes = new List<(string Id, string Type)>();
        var links = new List<(string Id, string Type, string N1, string N2, OpenState Status)>();
        var coords = new Dictionary<string, Coordinate>(StringComparer.Ordinal);
        var vertices = new Dictionary<string, List<Coordinate>>(StringComparer.Ordinal);
        var status = new Dictionary<string, OpenState>(StringComparer.Ordinal);
        var section = "";
        var lineNo = 0;
        foreach (var raw in lines)
        {
            lineNo++;
            var semi = raw.IndexOf(';', StringComparison.Ordinal);
            var line = (semi >= 0 ? raw[..semi] : raw).Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith('['))
            {
                section = line.ToUpperInvariant();
                continue;
            }
            var t = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            void Need(int n)
            {
                if (t.Length < n) throw new FormatException($"{source}:{lineNo}: {section} needs at least {n} fields: '{raw.Trim()}'.");
            }
            switch (section)
            {
                case "[JUNCTIONS]": Need(1); nodeTypes.Add((t[0], "junction")); break;
                case "[RESERVOIRS]": Need(1); nodeTypes.Add((t[0], "reservoir")); break;
                case "[TANKS]": Need(1); nodeTypes.Add((t[0], "tank")); break;
                case "[PIPES]":
                    Need(3);
                    // Status is the 8th field when present: Open, Closed or CV (a check valve is open).
                    var st = t.Length >= 8 && t[7].Equals("closed", StringComparison.OrdinalIgnoreCase) ? OpenState.Closed : OpenState.Open;
                    links.Add((t[0], "pipe", t[1], t[2], st));
                    break;
                case "[PUMPS]": Need(3); links.Add((t[0], "pump", t[1], t[2], OpenState.Open)); break;
                case "[VALVES]": Need(3); links.Add((t[0], "valve", t[1], t[2], OpenState.Open)); break;
                case "[STATUS]":
                    Need(2);
                    if (t[1].Equals("closed", StringComparison.OrdinalIgnoreCase)) status[t[0]] = OpenState.Closed;
                    else if (t[1].Equals("open", StringComparison.OrdinalIgnoreCase)) status[t[0]] = OpenState.Open;
                    break;
                case "[COORDINATES]": Need(3); coords[t[0]] = new Coordinate(Num(t[1]), Num(t[2])); break;
                case "[VERTICES]":
                    Need(3);
                    if (!vertices.TryGetValue(t[0], out var vl)) vertices[t[0]] = vl = [];
                    vl.Add(new Coordinate(Num(t[1]), Num(t[2])));
                    break;
            }
            double Num(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                ? d : throw new FormatException($"{source}:{lineNo}: '{s}' is not a number.");
        }

        var nodes = new List<EpanetNode>();
        foreach (var (id, type) in nodeTypes)
        {
            if (!coords.TryGetValue(id, out var c)) throw new FormatException($"{source}: node '{id}' has no [COORDINATES] entry.");
            nodes.Add(new EpanetNode(id, type, c.X, c.Y));
        }
        var known = nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var result = new List<EpanetLink>();
        foreach (var (id, type, n1, n2, st) in links)
        {
            if (!known.Contains(n1) || !known.Contains(n2))
                throw new FormatException($"{source}: link '{id}' joins unknown node '{(known.Contains(n1) ? n2 : n1)}'.");
            result.Add(new EpanetLink(id, type, n1, n2, vertices.TryGetValue(id, out var v) ? v : [], status.GetValueOrDefault(id, st)));
        }
        return new EpanetModel(nodes, result);
    }
}
