using GridMap.Bench;

// scripts/bench [partition|network|postgis|streets|tiles|all] [args] — each prints markdown tables: measured beside reference.
var which = args.Length > 0 ? args[0] : "all";
var rest = args.Skip(1).ToArray();
if (which is "--help" or "-h")
{
    Console.WriteLine("usage: scripts/bench [partition|network|replan|postgis|streets|tiles|load|all] [args]\n  partition  partitioning engine vs gpmetis (Iowa, New Hampshire, synthetic compounds, the 22,500-unit grid; --only NAME picks one, e.g. --only grid)\n  network    topology build and isolation vs networkx\n  replan     re-plan with a broken valve: rebuilt vs derived segment index, C# and the TypeScript engine (--pipes N, --samples K, --rounds R warm node rounds, --keep FILE keeps the node fixture, --no-node; not in all)\n  postgis    nearest pipe on 1M segments, vector tiles (needs GRIDMAP_DB)\n  partition-cli  `gridmap partition` end to end (wall, CPU; 4,120 precinct-like units → 67, 100,000 compounds → 1,667; --cli A --cli B alternates two builds; not in all)\n  partition-district [code] [s]  the planner's solve of a whole demo district (default 410105 金水区, 10 s) against its time limit (needs GRIDMAP_DB with the demo; not in all)\n  streets    planner default (300–500 households, barriers on) on every demo street: feasible before/after (needs GRIDMAP_DB with the demo; not in all);\n             streets exact [seconds per solve, default 60] [max streets] [street code]: heuristic vs exact mode (found / proved impossible / unknown, compactness of both)\n  tiles      compound tiles along recorded viewport paths at z12/z14/z16: service (cache off, on) vs bare ST_AsMVT through pgbench [--seconds N] [--ab: A/B rows] (needs GRIDMAP_DB with the demo; not in all)\n  load       200 signed-in clients for 60 s over tiles, GeoJSON, details, isolation plans and plan edits vs one client (--seconds N, --clients N; --help; not in all)");
    return 0;
}
// The tiles bench's load generator, started by `tiles` as a process of its own (its CPU time measured apart from the server's).
if (which == "tiles-client") return TilesClient.Run(rest);
if (which is not ("partition" or "partition-cli" or "partition-district" or "network" or "replan" or "postgis" or "streets" or "tiles" or "load" or "all"))
{
    Console.Error.WriteLine($"unknown benchmark '{which}': use partition, network, replan, postgis, streets, tiles, load or all");
    return 2;
}
var code = 0;
if (which is "partition" or "all") code |= PartitionBench.Run(rest);
if (which is "network" or "all") code |= NetworkBench.Run(rest);
if (which is "replan") code |= ReplanBench.Run(rest);
if (which is "postgis" or "all") code |= PostgisBench.Run(rest);
if (which is "streets") code |= rest.FirstOrDefault() == "exact" ? StreetsExactBench.Run(rest[1..]) : StreetsBench.Run(rest);
if (which is "partition-cli") code |= PartitionEndToEndBench.Run(rest);
if (which is "partition-district") code |= PartitionEndToEndBench.RunDistrict(rest);
if (which is "tiles") code |= TilesBench.Run(rest);
if (which is "load")
{
    try { code |= LoadBench.Run(rest); }
    catch (Exception e) when (e is ArgumentException or InvalidOperationException or FileNotFoundException)
    {
        Console.Error.WriteLine($"load bench: {e.Message}");
        return 2;
    }
}
return code;
