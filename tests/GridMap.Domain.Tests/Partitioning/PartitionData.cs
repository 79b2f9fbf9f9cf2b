using GridMap.Tests.Shared;
using System.Text.Json.Nodes;
using GridMap.Domain.IO;
using GridMap.Domain.Partitioning;

namespace GridMap.Domain.Tests.Partitioning;

/// <summary>The published districting instances in ../shared/data/partition, read as the CLI reads them.</summary>
internal static class PartitionData
{

    public static string DataDir => RepoPaths.SharedData("partition");
    public static string IowaShp => Path.Combine(DataDir, "iowa_counties", "IA_county.shp");
    public static string NhShp => Path.Combine(DataDir, "nh_tracts", "NH_tract.shp");
    public static string IowaJson => Path.Combine(DataDir, "iowa_counties", "county19.json");
    public static string NhJson => Path.Combine(DataDir, "nh_tracts", "tract33.json");

    public const string WeightField = "DP0010001";

    private static readonly Dictionary<string, (List<PartitionUnit>, UnitGraph)> Cache = new();

    /// <summary>Units (GEOID10 ids, DP0010001 = 2010 total population as weight) projected to metres, and their graph.</summary>
    public static (List<PartitionUnit> Units, UnitGraph Graph) Load(string shp)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(shp, out var hit)) return hit;
            var set = FeatureFile.Read(shp);
            var metric = LocalProjection.ToMetric(set.Features.Select(f => f.Geometry!).ToList(), set.Crs);
            var units = set.Features.Select((f, i) => new PartitionUnit(
                Convert.ToString(f.Properties["GEOID10"], System.Globalization.CultureInfo.InvariantCulture)!,
                metric[i], Convert.ToDouble(f.Properties[WeightField], System.Globalization.CultureInfo.InvariantCulture))).ToList();
            var graph = UnitGraphBuilder.Build(units);
            return Cache[shp] = (units, graph);
        }
    }

    /// <summary>Edges of a networkx node-link dual graph as GEOID10 pairs (ordinal order inside each pair).</summary>
    public static HashSet<(string, string)> ReferenceEdges(string json)
    {
        var root = JsonNode.Parse(File.ReadAllText(json))!;
        var nodes = root["nodes"]!.AsArray();
        var geoid = nodes.Select(n => n!["GEOID10"]!.GetValue<string>()).ToArray();
        var adj = root["adjacency"]!.AsArray();
        var set = new HashSet<(string, string)>();
        for (var i = 0; i < adj.Count; i++)
            foreach (var e in adj[i]!.AsArray())
                set.Add(Pair(geoid[i], geoid[e!["id"]!.GetValue<int>()]));
        return set;
    }

    public static (string, string) Pair(string a, string b) => string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);
}
