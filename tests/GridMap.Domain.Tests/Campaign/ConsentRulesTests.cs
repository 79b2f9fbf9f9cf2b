using GridMap.Domain.Campaign;
using GridMap.Domain.Rules;

namespace GridMap.Domain.Tests.Campaign;

/// <summary>The two consents on hand-made compounds with known answers (Civil Code art. 278 defaults), and the stage rules.</summary>
public sealed class ConsentRulesTests
{
    private static List<HouseholdConsent> Flats(params (string Consent, double Area)[] flats) =>
        flats.Select((f, i) => new HouseholdConsent(i + 1, "1号楼", "1单元", f.Area, f.Consent, false)).ToList();

    private static (string, double)[] Repeat(string consent, int n, double area) => Enumerable.Repeat((consent, area), n).ToArray();

    [Fact]
    public void Vote_ExactlyTwoThirdsParticipating_AndExactlyThreeQuartersAgreeing_IsMet()
    {
        // 12 flats of 100 m²: 8 take part (2/3 exactly), 6 of them agree (3/4 exactly), by area and by count.
        var h = Flats([.. Repeat("agree", 6, 100), .. Repeat("disagree", 2, 100), .. Repeat("undecided", 2, 100), .. Repeat("none", 2, 100)]);
        var s = ConsentCalculator.Compute(h, VoteRule.CivilCode278);
        Assert.Equal(0.6667, s.ParticipationByCount);
        Assert.Equal(0.6667, s.ParticipationByArea);
        Assert.Equal(0.75, s.AgreementByCount);
        Assert.Equal(0.75, s.AgreementByArea);
        Assert.True(s.VoteRuleMet);
    }

    [Fact]
    public void Vote_OneFlatShortOfTwoThirdsByCount_IsNotMet_EvenWhenTheAreaIsEnough()
    {
        // 7 of 12 take part (< 2/3 by count) but they hold 1400 of 1900 m² (> 2/3 by area); all 7 agree.
        var h = Flats([.. Repeat("agree", 7, 200), .. Repeat("absent", 5, 100)]);
        var s = ConsentCalculator.Compute(h, VoteRule.CivilCode278);
        Assert.True(s.ParticipationByArea > 2.0 / 3);
        Assert.True(s.ParticipationByCount < 2.0 / 3);
        Assert.False(s.VoteRuleMet);
    }

    [Fact]
    public void Vote_ThreeQuartersAgreeByCount_ButNotByArea_IsNotMet()
    {
        // 8 of 12 take part; 6 agree (3/4 by count) with 50 m² each, 2 disagree with 200 m² each: 300/700 by area.
        var h = Flats([.. Repeat("agree", 6, 50), .. Repeat("disagree", 2, 200), .. Repeat("none", 4, 50)]);
        var s = ConsentCalculator.Compute(h, VoteRule.CivilCode278);
        Assert.Equal(0.75, s.AgreementByCount);
        Assert.True(s.AgreementByArea < 0.75);
        Assert.False(s.VoteRuleMet);
    }

    [Fact]
    public void Vote_JustBelowThreeQuartersByArea_IsNotMet()
    {
        // 4 participants: 3 agree with 100 m², 1 disagrees with 100.01 m² → 300 / 400.01 < 3/4.
        var h = Flats(("agree", 100), ("agree", 100), ("agree", 100), ("disagree", 100.01), ("none", 1));
        Assert.False(ConsentCalculator.Compute(h, VoteRule.CivilCode278).VoteRuleMet);
        var exact = Flats(("agree", 100), ("agree", 100), ("agree", 100), ("disagree", 100), ("none", 1));
        Assert.True(ConsentCalculator.Compute(exact, VoteRule.CivilCode278).VoteRuleMet);
    }

    [Fact]
    public void Vote_RuleIsConfigurable_ASimpleMajorityCity()
    {
        var h = Flats([.. Repeat("agree", 4, 100), .. Repeat("disagree", 3, 100), .. Repeat("none", 5, 100)]);
        Assert.False(ConsentCalculator.Compute(h, VoteRule.CivilCode278).VoteRuleMet);
        Assert.True(ConsentCalculator.Compute(h, new VoteRule(1, 2, 1, 2)).VoteRuleMet);
    }

    [Fact]
    public void Riser_AUnitIsBlockedByEveryHouseholdThatNeitherAgreesNorHasABypass()
    {
        var h = new List<HouseholdConsent>
        {
            new(1, "1号楼", "1单元", 90, "agree", false), new(2, "1号楼", "1单元", 90, "disagree", false), new(3, "1号楼", "1单元", 90, "none", false),
            new(4, "1号楼", "2单元", 90, "agree", false), new(5, "1号楼", "2单元", 90, "disagree", true),
            new(6, "2号楼", "1单元", 90, "undecided", false),
        };
        var s = ConsentCalculator.Compute(h, VoteRule.CivilCode278);
        Assert.Equal(3, s.Units);
        Assert.Equal(1, s.UnitsReady); // 1号楼2单元: the refusing flat has an agreed bypass
        Assert.Equal(2, s.BlockedUnits.Count);
        Assert.Equal(new long[] { 2, 3 }, s.BlockedUnits[0].Households);
        Assert.Equal(("1号楼", "1单元"), (s.BlockedUnits[0].Building, s.BlockedUnits[0].Unit));
        Assert.Equal(new long[] { 6 }, s.BlockedUnits[1].Households);
    }

    private static readonly StageFacts AllMet = new(true, 1, true, true);

    [Theory]
    [InlineData("not_started", "publicity")]
    [InlineData("publicity", "visiting")]
    [InlineData("visiting", "signed")]
    [InlineData("signed", "construction")]
    [InlineData("construction", "acceptance")]
    [InlineData("acceptance", "completed")]
    public void Stage_OneStepForward_IsAllowedWhenItsConditionHolds(string from, string to) => CampaignStages.CheckMove(from, to, AllMet);

    [Theory]
    [InlineData("visiting", "construction")]
    [InlineData("signed", "visiting")]
    [InlineData("completed", "completed")]
    [InlineData("not_started", "completed")]
    public void Stage_SkippingOrGoingBack_IsRefusedWithStageOrder(string from, string to) =>
        Assert.Equal(RuleCodes.StageOrder, Assert.Throws<RuleViolation>(() => CampaignStages.CheckMove(from, to, AllMet)).Code);

    [Theory]
    [InlineData("visiting", "signed", "vote-rule-not-met")]
    [InlineData("signed", "construction", "no-unit-ready")]
    [InlineData("construction", "acceptance", "checklist-incomplete")]
    [InlineData("acceptance", "completed", "acceptance-not-passed")]
    public void Stage_UnmetCondition_IsRefusedWithItsRule(string from, string to, string rule)
    {
        var facts = rule switch
        {
            "vote-rule-not-met" => AllMet with { VoteRuleMet = false },
            "no-unit-ready" => AllMet with { UnitsReady = 0 },
            "checklist-incomplete" => AllMet with { ChecklistComplete = false },
            _ => AllMet with { AcceptancePassed = false },
        };
        Assert.Equal(rule, Assert.Throws<RuleViolation>(() => CampaignStages.CheckMove(from, to, facts)).Code);
    }
}
