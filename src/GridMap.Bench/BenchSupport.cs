using System.Globalization;

namespace GridMap.Bench;

/// <summary>What every bench prints or parses the same way: the load average beside its figures, percentiles of
/// timings, and positive integer flags.</summary>
internal static class BenchSupport
{
    /// <summary>The 1, 5 and 15 minute load averages from /proc/loadavg ("n/a" where there is none).</summary>
    public static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "n/a"; }
    }

    /// <summary>The q-quantile (0–1) with linear interpolation between order statistics; 0 for no values.</summary>
    public static double Percentile(IEnumerable<double> xs, double q)
    {
        var a = xs.Order().ToArray();
        if (a.Length == 0) return 0;
        var pos = q * (a.Length - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, a.Length - 1);
        return a[lo] + (a[hi] - a[lo]) * (pos - lo);
    }

    /// <summary>The nearest-rank percentile (<paramref name="q"/> 0–1) of values already sorted ascending: the smallest value
    /// with at least q of them at or below it; NaN for no values.</summary>
    public static double NearestRank(IReadOnlyList<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>The positive integer after <paramref name="name"/> in <paramref name="args"/>, or <paramref name="fallback"/>.</summary>
    public static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
    }
}
