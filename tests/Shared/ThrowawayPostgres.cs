using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace GridMap.Tests.Shared;

/// <summary>
/// A PostgreSQL instance of a test's own (Debian's /usr/lib/postgresql/15/bin, PostGIS available): initdb into a temp
/// directory, a free loopback port, started and stopped with pg_ctl — for fault tests that must stop the database,
/// which the shared cluster must never be. Run as the postgres OS user when the tests run as root (initdb refuses root).
/// Removed on dispose.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly string _dir;

    private ThrowawayPostgres(string dir, int port)
    {
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Superuser connection string to <paramref name="database"/> (default: gridmap).</summary>
    public string ConnectionString(string database = "gridmap") =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "gridmap", Password = "gridmap", Database = database, Timeout = 5 }.ConnectionString;

    public static bool Available => File.Exists(Path.Combine(Bin, "initdb"));

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>initdb, start, and a superuser <c>gridmap</c> owning database <c>gridmap</c>.</summary>
    public static async Task<ThrowawayPostgres> StartAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "gm-fault-pg-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        if (IsRoot)
        {
            await RunAsync("chown", ["postgres", dir], asOwner: false);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        await RunAsync(Path.Combine(Bin, "initdb"), ["-D", Path.Combine(dir, "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"]);
        var pg = new ThrowawayPostgres(dir, FreePort());
        try
        {
            await pg.StartServerAsync();
            await pg.CreateOwnerAsync();
        }
        catch
        {
            await pg.DisposeAsync(); // never leave a running instance behind
            throw;
        }
        return pg;
    }

    private async Task CreateOwnerAsync()
    {
        var pg = this;
        await using (var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = pg.Port, Username = "postgres", Database = "postgres", Pooling = false }.ConnectionString))
        {
            await c.OpenAsync();
            foreach (var sql in new[] { "CREATE ROLE gridmap LOGIN SUPERUSER PASSWORD 'gridmap'", "CREATE DATABASE gridmap OWNER gridmap" })
            {
                await using var cmd = new NpgsqlCommand(sql, c);
                await cmd.ExecuteNonQueryAsync();
            }
        }
    }

    /// <summary>pg_ctl start (waits until it accepts connections).</summary>
    public Task StartServerAsync() => RunAsync(Path.Combine(Bin, "pg_ctl"),
        ["-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "server.log"), "-w", "-t", "60", "-o",
         $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=on -c full_page_writes=off -c shared_buffers=64MB -c max_connections=200 -c jit=off", "start"]);

    /// <summary>pg_ctl stop: <c>fast</c> (sessions are disconnected, a clean shutdown) or <c>immediate</c> (like a crash).</summary>
    public Task StopServerAsync(string mode = "fast") => RunAsync(Path.Combine(Bin, "pg_ctl"), ["-D", Path.Combine(_dir, "data"), "-m", mode, "-w", "stop"]);

    public string ServerLog => File.Exists(Path.Combine(_dir, "server.log")) ? File.ReadAllText(Path.Combine(_dir, "server.log")) : "";

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static async Task RunAsync(string file, string[] args, bool asOwner = true)
    {
        var psi = new ProcessStartInfo(IsRoot && asOwner ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/" };
        if (IsRoot && asOwner) foreach (var a in new[] { "-u", "postgres", "--", file }) psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var @out = p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {await err}{await @out}");
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try { await StopServerAsync("immediate"); }
        catch (InvalidOperationException) { /* already stopped */ }
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
