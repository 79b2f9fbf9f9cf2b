using GridMap.Domain.Rules;

namespace GridMap.Domain.Campaign;

/// <summary>A household's latest answer: <c>agree</c>, <c>disagree</c>, <c>undecided</c>, <c>absent</c> or <c>none</c> (never asked).</summary>
public static class ConsentAnswers
{
    public const string Agree = "agree";
    public const string Disagree = "disagree";
    public const string Undecided = "undecided";
    public const string Absent = "absent";
    public const string None = "none";

    /// <summary>What a visit may record (none is the absence of an answer, never recorded).</summary>
    public static IReadOnlyList<string> Recordable { get; } = [Agree, Disagree, Undecided, Absent];

    public static string Parse(string? text) =>
        text is not null && Recordable.Contains(text) ? text
            : throw new ArgumentException($"未知的意见 '{text}'，可选：{string.Join(", ", Recordable)} (consent must be one of {string.Join(", ", Recordable)}).");
}

/// <summary>
/// The owners' vote rule on work to shared facilities (Civil Code art. 278 by default): participation ≥ P of the owners
/// by floor area <b>and</b> by head count, agreement ≥ A of the participants by area <b>and</b> by head count. Fractions are
/// exact (numerator/denominator), so a compound exactly at 2/3 or 3/4 passes. Participants are the households that
/// answered <c>agree</c> or <c>disagree</c>.
/// </summary>
public sealed record VoteRule(int ParticipationNum, int ParticipationDen, int AgreementNum, int AgreementDen)
{
    /// <summary>Civil Code art. 278: 2/3 participation, 3/4 of participants agreeing.</summary>
    public static VoteRule CivilCode278 { get; } = new(2, 3, 3, 4);
}

/// <summary>One household as the consent rules see it. Area in m² (&gt; 0).</summary>
public sealed record HouseholdConsent(long Id, string Building, string Unit, double AreaM2, string Consent, bool Bypass);

/// <summary>A unit (单元) whose riser cannot be converted yet, and the households that block it (neither agreed nor bypassed).</summary>
public sealed record BlockedUnit(string Building, string Unit, IReadOnlyList<long> Households);

/// <summary>Both consents of a compound: the vote fractions (0–1) and whether the rule is met; the units ready for
/// construction and the blocked ones.</summary>
public sealed record ConsentSummary(
    double ParticipationByArea, double ParticipationByCount, double AgreementByArea, double AgreementByCount,
    bool VoteRuleMet, int UnitsReady, int Units, IReadOnlyList<BlockedUnit> BlockedUnits, double AgreeShare);

/// <summary>Computes <see cref="ConsentSummary"/> from the households (pure; exact decimal arithmetic for the thresholds).</summary>
public static class ConsentCalculator
{
    public static ConsentSummary Compute(IReadOnlyCollection<HouseholdConsent> households, VoteRule rule)
    {
        ArgumentNullException.ThrowIfNull(households);
        ArgumentNullException.ThrowIfNull(rule);
        decimal totalArea = 0, partArea = 0, agreeArea = 0;
        int total = 0, part = 0, agree = 0;
        foreach (var h in households)
        {
            var a = (decimal)h.AreaM2;
            totalArea += a; total++;
            if (h.Consent is ConsentAnswers.Agree or ConsentAnswers.Disagree) { partArea += a; part++; }
            if (h.Consent == ConsentAnswers.Agree) { agreeArea += a; agree++; }
        }
        var met = total > 0 && part > 0
            && partArea * rule.ParticipationDen >= rule.ParticipationNum * totalArea
            && (decimal)part * rule.ParticipationDen >= rule.ParticipationNum * (decimal)total
            && agreeArea * rule.AgreementDen >= rule.AgreementNum * partArea
            && (decimal)agree * rule.AgreementDen >= rule.AgreementNum * (decimal)part;
        var units = households.GroupBy(h => (h.Building, h.Unit)).OrderBy(g => g.Key.Building, StringComparer.Ordinal).ThenBy(g => g.Key.Unit, StringComparer.Ordinal).ToList();
        var blocked = units
            .Select(g => new BlockedUnit(g.Key.Building, g.Key.Unit, g.Where(h => h.Consent != ConsentAnswers.Agree && !h.Bypass).Select(h => h.Id).OrderBy(i => i).ToList()))
            .Where(b => b.Households.Count > 0).ToList();
        return new ConsentSummary(
            Ratio(partArea, totalArea), Ratio(part, total), Ratio(agreeArea, partArea), Ratio(agree, part),
            met, units.Count - blocked.Count, units.Count, blocked, Ratio(agree, total));
    }

    private static double Ratio(decimal a, decimal b) => b == 0 ? 0 : Math.Round((double)(a / b), 4);
}

/// <summary>
/// The campaign stages in order, and the rules that move a compound between them (never by hand): one step forward at a
/// time (<c>stage-order</c>); <c>signed</c> needs the vote rule met; <c>construction</c> needs at least one unit ready;
/// <c>acceptance</c> needs every 五化 item signed off with evidence; <c>completed</c> needs acceptance passed.
/// </summary>
public static class CampaignStages
{
    public const string NotStarted = "not_started";
    public const string Publicity = "publicity";
    public const string Visiting = "visiting";
    public const string Signed = "signed";
    public const string Construction = "construction";
    public const string Acceptance = "acceptance";
    public const string Completed = "completed";

    public static IReadOnlyList<string> All { get; } = [NotStarted, Publicity, Visiting, Signed, Construction, Acceptance, Completed];

    /// <summary>The 五化 checklist: 图纸设计规范化, 材料选用标准化, 施工工艺流程化, 运维管理智能化, 质量验收数字化.</summary>
    public static IReadOnlyList<(string Code, string Label)> ChecklistItems { get; } =
    [
        ("design", "图纸设计规范化"), ("materials", "材料选用标准化"), ("process", "施工工艺流程化"),
        ("operations", "运维管理智能化"), ("inspection", "质量验收数字化"),
    ];

    public static string Parse(string? text) =>
        text is not null && All.Contains(text) ? text
            : throw new ArgumentException($"未知的阶段 '{text}'，可选：{string.Join(", ", All)} (stage must be one of {string.Join(", ", All)}).");

    /// <summary>Throws the <see cref="RuleViolation"/> of the first unmet condition of moving from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static void CheckMove(string from, string to, StageFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var i = IndexOf(from);
        var j = IndexOf(to);
        RuleViolation.Require(j == i + 1, RuleCodes.StageOrder,
            $"阶段只能依次推进一步：当前为 {from}，下一步是 {(i + 1 < All.Count ? All[i + 1] : "（已完成）")} (a compound moves one stage forward at a time: {from} → {to} is not allowed).");
        switch (to)
        {
            case Signed:
                RuleViolation.Require(facts.VoteRuleMet, RuleCodes.VoteRuleNotMet,
                    "业主表决未达到规定比例（参与面积和人数均≥2/3，同意面积和人数均≥参与者的3/4）(the owners' vote rule is not met).");
                break;
            case Construction:
                RuleViolation.Require(facts.UnitsReady > 0, RuleCodes.NoUnitReady,
                    "没有可施工的单元：每个单元须全部住户同意或已约定跨越管 (no unit is ready: every household of a unit must agree or have an agreed bypass).");
                break;
            case Acceptance:
                RuleViolation.Require(facts.ChecklistComplete, RuleCodes.ChecklistIncomplete,
                    "“五化”验收清单尚未全部签认并附证据 (every item of the 五化 checklist must be signed off with evidence).");
                break;
            case Completed:
                RuleViolation.Require(facts.AcceptancePassed, RuleCodes.AcceptanceNotPassed,
                    "并网验收尚未通过 (grid acceptance has not passed).");
                break;
        }
    }

    private static int IndexOf(string stage)
    {
        var i = All.ToList().IndexOf(stage);
        return i >= 0 ? i : throw new ArgumentException($"未知的阶段 '{stage}' (unknown stage '{stage}').");
    }
}

/// <summary>What the stage rules look at: vote rule met, units ready, 五化 checklist complete, acceptance passed.</summary>
public sealed record StageFacts(bool VoteRuleMet, int UnitsReady, bool ChecklistComplete, bool AcceptancePassed);
