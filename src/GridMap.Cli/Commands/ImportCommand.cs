using System.CommandLine;

namespace GridMap.Cli.Commands;

/// <summary>`gridmap import` — placeholder until its issue lands; exits 2 so nothing mistakes it for success.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var cmd = new Command("import", "(not implemented yet)");
        cmd.SetAction(_ => { Console.Error.WriteLine("gridmap import: not implemented yet"); return 2; });
        return cmd;
    }
}
