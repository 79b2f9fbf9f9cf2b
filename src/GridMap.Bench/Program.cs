using GridMap.Bench;

// scripts/bench [partition|network|tiles|all] — each family prints a markdown table: measured beside reference.
var which = args.Length > 0 ? args[0] : "all";
var rest = args.Skip(1).ToArray();
var code = 0;
if (which is "partition" or "all") code |= PartitionBench.Run(rest);
if (which is "network" or "all") code |= NetworkBench.Run(rest);
if (which is "tiles" or "all") code |= TileBench.Run(rest);
if (which is not ("partition" or "network" or "tiles" or "all"))
{
    Console.Error.WriteLine($"unknown benchmark '{which}': use partition, network, tiles or all");
    return 2;
}
return code;
