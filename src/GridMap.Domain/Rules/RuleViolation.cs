namespace GridMap.Domain.Rules;

/// <summary>
/// A business rule refused an action (moving a compound out of a locked cell, publishing a plan with a split cell…).
/// <see cref="Code"/> is stable (kebab-case, listed in <see cref="RuleCodes"/>): the API answers 422 with it as the
/// ProblemDetails extension <c>rule</c>, the web client maps it to Chinese text, tests assert it. The message is for
/// people (Chinese first, English in brackets for logs). Anything else thrown from the Domain is a bug, not a user error.
/// </summary>
public sealed class RuleViolation : Exception
{
    public RuleViolation(string code, string message) : base(message)
    {
        if (string.IsNullOrWhiteSpace(code)) throw new ArgumentException("a rule violation needs a code.", nameof(code));
        Code = code;
    }

    /// <summary>Stable rule code, e.g. <c>not-adjacent</c>.</summary>
    public string Code { get; }

    /// <summary>Throws a <see cref="RuleViolation"/> with <paramref name="code"/> unless <paramref name="condition"/> holds.</summary>
    public static void Require(bool condition, string code, string message)
    {
        if (!condition) throw new RuleViolation(code, message);
    }
}

/// <summary>Every rule code GridMap uses. Adding one: add it here and to the client's message table (src/GridMap.Web/src/api/messages.ts).</summary>
public static class RuleCodes
{
    // planning: editing a plan by hand
    public const string AlreadyInCell = "already-in-cell";
    public const string CellLocked = "cell-locked";
    public const string TargetLocked = "target-locked";
    public const string OtherCommunity = "other-community";
    public const string NotAdjacent = "not-adjacent";
    public const string LastCompound = "last-compound";
    public const string WouldSplitCell = "would-split-cell";
    public const string PlanNotEditable = "plan-not-editable";
    public const string EdgeSelfIntersects = "edge-self-intersects";
    public const string NotNeighbours = "not-neighbours";
    public const string EdgeEndsMismatch = "edge-ends-mismatch";
    public const string EdgeOutsideCells = "edge-outside-cells";
    public const string EdgeSplitsCompound = "edge-splits-compound";
    public const string CellWouldBeEmpty = "cell-would-be-empty";
    // planning: partitioning, staff, publishing
    public const string AreaEmpty = "area-empty";
    public const string NoFeasiblePlan = "window-infeasible";
    public const string StaffOtherBranch = "staff-other-branch";
    public const string NotGridWorker = "not-grid-worker";
    public const string StaffBusy = "staff-busy";
    public const string NotPreview = "not-preview";
    public const string NotContiguous = "not-contiguous";
    public const string CodesExhausted = "codes-exhausted";
    /// <summary>Only a published version (current or superseded) can be restored as a preview.</summary>
    public const string NotAVersion = "not-a-version";
    // network
    public const string NotIsolatable = "not-isolatable";
    // campaign (issue 10): stages moved by rules, disputes, acceptance
    public const string StageOrder = "stage-order";
    public const string VoteRuleNotMet = "vote-rule-not-met";
    public const string NoUnitReady = "no-unit-ready";
    public const string ChecklistIncomplete = "checklist-incomplete";
    public const string AcceptanceNotPassed = "acceptance-not-passed";
    public const string DisputeOrder = "dispute-order";
}
