using System.CommandLine;

namespace GridMap.Cli.Commands;

/// <summary>`gridmap demo` — placeholder until its issue lands; exits 2 so nothing mistakes it for success.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var cmd = new Command("demo", "(not implemented yet)");
        cmd.SetAction(_ => { Console.Error.WriteLine("gridmap demo: not implemented yet"); return 2; });
        return cmd;
    }
}
