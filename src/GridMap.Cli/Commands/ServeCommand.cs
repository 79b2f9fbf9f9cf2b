using System.CommandLine;

namespace GridMap.Cli.Commands;

/// <summary>`gridmap serve` — placeholder until its issue lands; exits 2 so nothing mistakes it for success.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var cmd = new Command("serve", "(not implemented yet)");
        cmd.SetAction(_ => { Console.Error.WriteLine("gridmap serve: not implemented yet"); return 2; });
        return cmd;
    }
}
