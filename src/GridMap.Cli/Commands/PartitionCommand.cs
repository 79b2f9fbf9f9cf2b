using System.CommandLine;

namespace GridMap.Cli.Commands;

/// <summary>`gridmap partition` — placeholder until its issue lands; exits 2 so nothing mistakes it for success.</summary>
internal static class PartitionCommand
{
    public static Command Create()
    {
        var cmd = new Command("partition", "(not implemented yet)");
        cmd.SetAction(_ => { Console.Error.WriteLine("gridmap partition: not implemented yet"); return 2; });
        return cmd;
    }
}
