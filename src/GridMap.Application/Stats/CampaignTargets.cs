using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace GridMap.Application.Stats;

/// <summary>One branch's goal: completed share of its households (0–1) by <paramref name="Deadline"/>.</summary>
public sealed record BranchTarget(int Branch, double Share, DateOnly Deadline);

/// <summary>
/// The campaign's goals from configuration: <c>GridMap:Campaign:Start</c> (yyyy-MM-dd, when the campaign began) and
/// <c>GridMap:Campaign:Targets</c>, a list of <c>{ "Branch": id, "Share": 0–1, "Deadline": "yyyy-MM-dd" }</c>. The share
/// expected on a day grows linearly from 0 at the start to the target at the deadline (then stays there), which is
/// what "behind schedule" compares against. Branches without a target have none (no expected share, never behind).
/// </summary>
public sealed class CampaignTargets(DateOnly? start, IReadOnlyList<BranchTarget> targets)
{
    public static CampaignTargets None { get; } = new(null, []);

    public DateOnly? Start { get; } = start;
    public IReadOnlyList<BranchTarget> Targets { get; } = targets;

    /// <summary>Reads <c>GridMap:Campaign</c>; a malformed entry stops the service at start-up with the key named.</summary>
    public static CampaignTargets From(IConfiguration? config)
    {
        var s = config?.GetSection("GridMap:Campaign");
        if (s is null || !s.Exists()) return None;
        DateOnly? start = s["Start"] is { Length: > 0 } t ? ParseDate(t, "GridMap:Campaign:Start") : null;
        var list = new List<BranchTarget>();
        foreach (var e in s.GetSection("Targets").GetChildren())
        {
            var key = $"GridMap:Campaign:Targets:{e.Key}";
            if (!int.TryParse(e["Branch"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var branch))
                throw new InvalidOperationException($"{key}:Branch must be a branch id (integer).");
            if (!double.TryParse(e["Share"], NumberStyles.Float, CultureInfo.InvariantCulture, out var share) || share is < 0 or > 1)
                throw new InvalidOperationException($"{key}:Share must be a number between 0 and 1.");
            list.Add(new BranchTarget(branch, share, ParseDate(e["Deadline"], key + ":Deadline")));
        }
        return new CampaignTargets(start, list);
    }

    /// <summary>The target of a branch, or null.</summary>
    public BranchTarget? For(int? branch) => branch is { } b ? Targets.FirstOrDefault(t => t.Branch == b) : null;

    /// <summary>Share expected on <paramref name="day"/>: linear from 0 at <see cref="Start"/> to the target at the deadline;
    /// the target itself when no start is configured.</summary>
    public double Expected(BranchTarget t, DateOnly day)
    {
        if (Start is not { } s || s >= t.Deadline) return t.Share;
        var f = (double)(day.DayNumber - s.DayNumber) / (t.Deadline.DayNumber - s.DayNumber);
        return t.Share * Math.Clamp(f, 0, 1);
    }

    private static DateOnly ParseDate(string? text, string key) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : throw new InvalidOperationException($"{key} must be a date yyyy-MM-dd (got '{text}').");
}
