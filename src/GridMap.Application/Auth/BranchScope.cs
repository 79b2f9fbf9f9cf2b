namespace GridMap.Application.Auth;

/// <summary>
/// Which branch (分公司) a write's target belongs to. A caller of one branch may write only targets of that branch; a
/// company-wide caller (no branch) may write any. A target spanning several branches (a drawn polygon across a
/// boundary) needs a company-wide caller, or every branch it spans to be the caller's.
/// </summary>
public sealed record BranchScope
{
    private BranchScope(IReadOnlyList<int> branches) => Branches = branches;

    /// <summary>The branches the target lies in; empty = none known (only company-wide callers).</summary>
    public IReadOnlyList<int> Branches { get; }

    /// <summary>A target of one branch.</summary>
    public static BranchScope Of(int branchId) => new([branchId]);

    /// <summary>A target lying in <paramref name="branchIds"/> (duplicates ignored; none = company-wide callers only).</summary>
    public static BranchScope Of(IEnumerable<int> branchIds) => new(branchIds.Distinct().Order().ToArray());

    /// <summary>A target no branch owns: only company-wide callers may write it.</summary>
    public static BranchScope CompanyWide { get; } = new([]);

    /// <summary>True when a caller of <paramref name="callerBranchId"/> (null = whole company) may write the target.</summary>
    public bool Admits(int? callerBranchId) =>
        callerBranchId is not { } mine || (Branches.Count > 0 && Branches.All(b => b == mine));

    public override string ToString() => Branches.Count == 0 ? "company" : "branch " + string.Join("+", Branches);
}
