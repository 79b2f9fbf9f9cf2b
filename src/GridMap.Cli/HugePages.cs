using System.Globalization;
using System.Runtime.InteropServices;

namespace GridMap.Cli;

/// <summary>
/// Asks Linux for transparent huge pages (2 MB) on the garbage collector's heap reservation, for `gridmap partition`.
/// Measured (docs/partitioning.md §8.4): a 100,000-compound run touches about 1 GB of fresh heap, and on this kind of
/// virtual machine each 4 KB page fault costs microseconds — 250,000 of them were a sixth of the run's CPU. Debian's default
/// (`/sys/kernel/mm/transparent_hugepage/enabled` = madvise) gives huge pages only to memory that asks, which is what this
/// does: madvise(MADV_HUGEPAGE) on the large anonymous reservations in /proc/self/maps (the GC reserves its regions up
/// front). Nothing else changes; any failure (another OS, no /proc, the call refused) leaves the process as it was.
/// GRIDMAP_HUGEPAGES=0 turns it off.
/// </summary>
internal static partial class HugePages
{
    private const int MadvHugepage = 14;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int madvise(nint addr, nuint length, int advice);

    /// <summary>Advises the reservations; returns how many bytes were advised (0: off, not Linux, or refused).</summary>
    public static ulong Advise()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("GRIDMAP_HUGEPAGES") == "0") return 0;
        ulong advised = 0;
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                // "start-end perms offset dev inode [path]": anonymous mappings have no path.
                var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length > 5) continue;
                var range = parts[0].Split('-');
                var start = ulong.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                var end = ulong.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (end - start < 1UL << 30) continue;
                if (madvise((nint)start, (nuint)(end - start), MadvHugepage) == 0) advised += end - start;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException or DllNotFoundException or EntryPointNotFoundException)
        {
            // Not Linux as expected: run without.
        }
        return advised;
    }
}
