using System.Globalization;
using Npgsql;

namespace GridMap.Bench;

/// <summary>
/// CPU time split of a bench run on Linux, from /proc (clock ticks): this process (the server when it hosts GridMap), its
/// waited-for children (pgbench, the tiles client), the local PostgreSQL (postmaster + every backend, live or exited — an
/// exited backend's time is in the postmaster's children time), and the whole machine (busy and idle from /proc/stat), so
/// what other processes took is the machine's busy time minus these. Absolute timings on a shared machine are noisy; CPU
/// time per tile is not.
/// </summary>
public sealed class CpuMeter
{
    private readonly int _postmaster;
    private static readonly double Tick = 1.0 / ClockTicks();

    private CpuMeter(int postmaster) => _postmaster = postmaster;

    /// <summary>A meter for the PostgreSQL that <paramref name="cs"/> reaches (its postmaster found from a backend's parent);
    /// PostgreSQL's share reads 0 when that server is not on this machine.</summary>
    public static async Task<CpuMeter> ForAsync(string cs)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT pg_backend_pid()", conn);
        var backend = (int)(await cmd.ExecuteScalarAsync())!;
        var stat = Stat(backend);
        return new CpuMeter(stat is null ? 0 : int.Parse(stat[3], CultureInfo.InvariantCulture));
    }

    /// <summary>CPU seconds so far.</summary>
    public readonly record struct Sample(double Self, double Children, double Postgres, double MachineBusy, double MachineAll);

    public Sample Take()
    {
        var self = Stat(Environment.ProcessId);
        double selfCpu = 0, children = 0;
        if (self is not null)
        {
            selfCpu = (long.Parse(self[13], CultureInfo.InvariantCulture) + long.Parse(self[14], CultureInfo.InvariantCulture)) * Tick;
            children = (long.Parse(self[15], CultureInfo.InvariantCulture) + long.Parse(self[16], CultureInfo.InvariantCulture)) * Tick;
        }
        double pg = 0;
        if (_postmaster > 0)
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
                var s = Stat(pid);
                if (s is null) continue;
                if (pid == _postmaster)
                    pg += (long.Parse(s[13], CultureInfo.InvariantCulture) + long.Parse(s[14], CultureInfo.InvariantCulture)
                           + long.Parse(s[15], CultureInfo.InvariantCulture) + long.Parse(s[16], CultureInfo.InvariantCulture)) * Tick;
                else if (s[3] == _postmaster.ToString(CultureInfo.InvariantCulture))
                    pg += (long.Parse(s[13], CultureInfo.InvariantCulture) + long.Parse(s[14], CultureInfo.InvariantCulture)) * Tick;
            }
        }
        double busy = 0, all = 0;
        try
        {
            var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            // user nice system idle iowait irq softirq steal (guest time is already in user)
            all = cpu.Take(8).Sum() * Tick;
            busy = all - (cpu[3] + cpu[4]) * Tick;
        }
        catch (IOException) { }
        return new Sample(selfCpu, children, pg, busy, all);
    }

    /// <summary>The postmaster's live children (backends and PostgreSQL's own processes) now.</summary>
    public HashSet<int> PostgresChildren()
    {
        var pids = new HashSet<int>();
        if (_postmaster <= 0) return pids;
        var parent = _postmaster.ToString(CultureInfo.InvariantCulture);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { } s && s[3] == parent) pids.Add(pid);
        return pids;
    }

    /// <summary>
    /// Waits (up to <paramref name="limit"/>) until every backend that was not in <paramref name="before"/> has exited and been
    /// reaped, so its CPU time is in the postmaster's children time. A client such as pgbench that exits while its backends
    /// are still shutting down would otherwise leave their time out of the sample (seen: 5 µs per tile instead of ~250).
    /// </summary>
    public void WaitForNewBackendsToExit(HashSet<int> before, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until)
        {
            var now = PostgresChildren();
            now.ExceptWith(before);
            if (now.Count == 0) return;
            Thread.Sleep(5);
        }
    }

    /// <summary>Fields of /proc/PID/stat (0-based: 3 = ppid, 13/14 = utime/stime, 15/16 = children's), or null.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces: split after its closing parenthesis.
            var close = text.LastIndexOf(')');
            var rest = text[(close + 2)..].Split(' ');
            return [pid.ToString(CultureInfo.InvariantCulture), text[..close], .. rest];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int ClockTicks()
    {
        try
        {
            using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true })!;
            var text = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return int.TryParse(text.Trim(), out var t) && t > 0 ? t : 100;
        }
        catch (Exception) { return 100; }
    }
}
