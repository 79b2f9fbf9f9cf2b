using System.CommandLine;

namespace GridMap.Cli.Commands;

/// <summary>`gridmap db` — placeholder until its issue lands; exits 2 so nothing mistakes it for success.</summary>
internal static class DbCommand
{
    public static Command Create()
    {
        var cmd = new Command("db", "(not implemented yet)");
        cmd.SetAction(_ => { Console.Error.WriteLine("gridmap db: not implemented yet"); return 2; });
        return cmd;
    }
}
