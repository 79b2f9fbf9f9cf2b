using System.CommandLine;
using GridMap.Application;
using GridMap.Application.Pipeline;
using GridMap.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Spectre.Console;

namespace GridMap.Cli;

/// <summary>What every database command shares: the --db option, the data source and error reporting.</summary>
internal static class CliSupport
{
    public static Option<string?> DbOption() => new("--db")
    {
        Description = "PostGIS connection string (default: the GRIDMAP_DB environment variable, set by scripts/run)",
    };

    public static NpgsqlDataSource OpenDatabase(ParseResult p, Option<string?> db) =>
        GridMapDatabase.Create(p.GetValue(db) ?? GridMapDatabase.ConnectionStringFromEnvironment());

    /// <summary>The schema owner's database (migrations, demo load): --db, else GRIDMAP_OWNER_DB, else GRIDMAP_DB.</summary>
    public static NpgsqlDataSource OpenOwnerDatabase(ParseResult p, Option<string?> db) =>
        GridMapDatabase.Create(p.GetValue(db) ?? GridMapDatabase.OwnerConnectionStringFromEnvironment());

    /// <summary>The application's use cases over the database of --db (or GRIDMAP_DB), as the web host composes them;
    /// the caller is the operating-system user at the terminal. Dispose it when the command is done.</summary>
    public static ServiceProvider UseCases(ParseResult p, Option<string?> db)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
            .AddFilter("GridMap", LogLevel.Warning));
        services.AddSingleton(_ => OpenDatabase(p, db));
        services.AddSingleton<ICallerAccessor>(new CliCallerAccessor());
        services.AddGridMapApplication();
        return services.BuildServiceProvider();
    }

    /// <summary>Commands run as the OS user who typed them (recorded with every write).</summary>
    private sealed class CliCallerAccessor : ICallerAccessor
    {
        public Caller Current { get; } = new($"cli:{Environment.UserName}", "admin", null);
    }

    /// <summary>Runs a command body, turning expected failures into a message on stderr and exit code 1.</summary>
    public static async Task<int> Run(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException or GridMap.Domain.Rules.RuleViolation
                                     or GridMap.Domain.IO.FeatureFileException or NpgsqlException or UnauthorizedAccessException)
        {
            var msg = e is PostgresException pg ? $"database: {pg.MessageText}{(pg.Detail is null ? "" : " — " + pg.Detail)}" : e.Message;
            if (e is NpgsqlException { InnerException: System.Net.Sockets.SocketException })
                msg = $"cannot reach the database ({e.InnerException.Message}). Start it with scripts/run, or set GRIDMAP_DB / --db.";
            Console.Error.WriteLine($"gridmap: error: {msg}");
            return 1;
        }
    }

    /// <summary>A Spectre progress display on stderr (stdout stays clean for data).</summary>
    public static Progress Progress() =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }).Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn());
}
