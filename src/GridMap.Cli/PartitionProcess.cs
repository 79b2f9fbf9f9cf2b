using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace GridMap.Cli;

/// <summary>
/// `gridmap partition` runs its work in a child process with tiered compilation off (DOTNET_TieredCompilation=0).
/// Measured (docs/partitioning.md §8): the engine is a few seconds of tight loops in methods called thousands of times;
/// with tiering they run first as unoptimised code, then instrumented code (TieredPGO), and the background JIT that
/// replaces them is starved on a busy machine — 6–7 CPU s on the 4,120-unit instance against 3.3 CPU s when every method is
/// compiled once, optimised. The same setting would slow the web server (`gridmap serve` start-up, no PGO), so it applies
/// to this command only: the parent starts the child with the same arguments and inherited standard streams and returns
/// its exit code (≈ 0.1 s for the second runtime start). Skipped when DOTNET_TieredCompilation is already set (the
/// child, or a user's own choice) or GRIDMAP_PARTITION_INPROCESS=1, for --help, and when the child cannot be started.
/// </summary>
internal static class PartitionProcess
{
    public static int? Relaunch(string[] args)
    {
        if (args.Length == 0 || args[0] != "partition") return null;
        if (args.Any(a => a is "--help" or "-h" or "-?")) return null;
        if (Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") is not null) return null;
        if (Environment.GetEnvironmentVariable("GRIDMAP_PARTITION_INPROCESS") == "1") return null;
        var host = Environment.ProcessPath;
        if (host is null) return null;
        var psi = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            // `dotnet gridmap.dll …`: the child needs the entry assembly too.
            var dll = Assembly.GetEntryAssembly()?.Location;
            if (string.IsNullOrEmpty(dll)) return null;
            psi.ArgumentList.Add(dll);
        }
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_TieredCompilation"] = "0";
        Process child;
        try { child = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception) { return null; }
        // Ctrl-C reaches the child from the terminal (same process group) and it answers with exit code 130 after
        // cleaning up; the parent only waits (forwarding would deliver it twice). SIGTERM sent to the parent is passed on.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => c.Cancel = true);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; Forward(child, 15); });
        child.WaitForExit();
        return child.ExitCode;
    }

    private static void Forward(Process child, int signal)
    {
        try
        {
            if (child.HasExited) return;
            if (OperatingSystem.IsWindows()) child.Kill();
            else _ = Kill(child.Id, signal);
        }
        catch (InvalidOperationException) { }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
