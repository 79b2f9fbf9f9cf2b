using System.CommandLine;

namespace GridMap.Cli.Commands;

/// <summary>`gridmap network` — placeholder until its issue lands; exits 2 so nothing mistakes it for success.</summary>
internal static class NetworkCommand
{
    public static Command Create()
    {
        var cmd = new Command("network", "(not implemented yet)");
        cmd.SetAction(_ => { Console.Error.WriteLine("gridmap network: not implemented yet"); return 2; });
        return cmd;
    }
}
