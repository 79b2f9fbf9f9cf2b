using System.CommandLine;
using GridMap.Cli.Commands;

// Program.cs only composes: each command family lives in Commands/<Name>Command.cs.
var root = new RootCommand("GridMap — 郑州供热“串改并”网格化治理地图与规划系统 (map and planning for the series-to-parallel heating retrofit)")
{
    DbCommand.Create(),
    DemoCommand.Create(),
    ImportCommand.Create(),
    PartitionCommand.Create(),
    NetworkCommand.Create(),
    ServeCommand.Create(),
    UsersCommand.Create(),
    TilesCommand.Create(),
    RenderCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
