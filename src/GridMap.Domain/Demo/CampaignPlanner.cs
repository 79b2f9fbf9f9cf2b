using GridMap.Domain.Model;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.Demo;

/// <summary>
/// Gives each placed compound its households, buildings, age and campaign state so the map reads as a campaign in
/// progress: districts and streets advance at different speeds (the campaign is run street by street), consent
/// rises through the stages, completed compounds are parallel, and disputes cluster in the visiting/signing stages.
/// </summary>
internal sealed class CampaignPlanner(Random random)
{
    /// <summary>How far each district's campaign has come (0 = just begun, 1 = nearly done).</summary>
    private static readonly Dictionary<string, double> DistrictProgress = new(StringComparer.Ordinal)
    {
        ["410103"] = 0.62, // 二七区: pilot district
        ["410102"] = 0.55, // 中原区
        ["410105"] = 0.45, // 金水区
        ["410104"] = 0.36, // 管城回族区
        ["410108"] = 0.25, // 惠济区
    };

    /// <summary>Cut points on the progress scale between successive stages 未启动 … 完成.</summary>
    private static readonly double[] StageCuts = [0.36, 0.46, 0.56, 0.63, 0.69, 0.74];

    /// <summary>Progress offset of each street (9-digit code) and community (12-digit code) met so far.</summary>
    private readonly Dictionary<string, double> _offset = new(StringComparer.Ordinal);

    public const int MinHouseholds = 50;
    public const int MaxHouseholds = 2000;

    /// <summary>Households from footprint and density (log-normal around 170 户/ha, σ 0.55; denser in later, taller estates).</summary>
    public (int Households, int Buildings, double HeatedAreaM2, int BuiltYear) Size(Polygon footprint, double distanceFromCentreM)
    {
        var year = (int)Math.Round(1980 + 22 * Math.Clamp(distanceFromCentreM / 9000, 0, 1) + 5 * Gaussian());
        year = Math.Clamp(year, 1980, 2005);
        // Bounded by what walk-ups and the odd 1990s tower block reach (plot ratio ~0.5–3).
        var density = Math.Clamp(170 * Math.Exp(0.55 * Gaussian()) * (1 + 0.02 * (year - 1980)), 60, 420);
        var households = Math.Clamp((int)Math.Round(footprint.Area / 10_000 * density), MinHouseholds, MaxHouseholds);
        var perBuilding = year < 1995 ? 24 + random.Next(25) : 30 + random.Next(60);
        var buildings = (int)Math.Ceiling((double)households / perBuilding);
        var flat = year < 1992 ? 55 + 20 * random.NextDouble() : 65 + 30 * random.NextDouble();
        return (households, buildings, Math.Round(households * flat), year);
    }

    /// <summary>Campaign state of a compound in the given district and street.</summary>
    public CampaignState State(string districtCode, string streetCode, string? communityCode, int households, int builtYear)
    {
        // The campaign is organised by street office and then community (社区 mobilise their compounds together),
        // so progress is mostly shared within a street and a community: the map shows patches, not noise.
        if (!_offset.TryGetValue(streetCode, out var street))
            _offset[streetCode] = street = 0.17 * Gaussian();
        var community = 0.0;
        if (communityCode is not null && !_offset.TryGetValue(communityCode, out community))
            _offset[communityCode] = community = 0.10 * Gaussian();
        var progress = DistrictProgress.GetValueOrDefault(districtCode, 0.3) + street + community + 0.08 * Gaussian();
        var stage = (RetrofitStatus)StageCuts.Count(c => progress >= c);

        var rate = stage switch
        {
            RetrofitStatus.NotStarted => 0,
            RetrofitStatus.Publicity => 0.3 * random.NextDouble(),
            RetrofitStatus.Visiting => 0.2 + 0.45 * random.NextDouble(),
            RetrofitStatus.Signed => 0.67 + 0.23 * random.NextDouble(),
            RetrofitStatus.Construction => 0.8 + 0.18 * random.NextDouble(),
            RetrofitStatus.Acceptance => 0.85 + 0.15 * random.NextDouble(),
            _ => 0.9 + 0.1 * random.NextDouble(),
        };
        var consent = Math.Round(rate * households) / households;

        var system = stage switch
        {
            RetrofitStatus.Completed or RetrofitStatus.Acceptance => HeatingSystem.Parallel,
            RetrofitStatus.Construction => HeatingSystem.Mixed,
            _ => random.NextDouble() < 0.05 ? HeatingSystem.Mixed : HeatingSystem.Series,
        };
        int? retrofitYear = stage switch
        {
            RetrofitStatus.Completed => 2023 + random.Next(3),
            RetrofitStatus.Acceptance => 2025,
            _ => null,
        };

        var disputeChance = stage switch
        {
            RetrofitStatus.Visiting => 0.16,
            RetrofitStatus.Signed => 0.10,
            RetrofitStatus.Publicity => 0.06,
            RetrofitStatus.Construction => 0.06,
            RetrofitStatus.NotStarted => 0.01,
            _ => 0.02,
        };
        var dispute = random.NextDouble() < disputeChance;
        string? notes = null;
        if (dispute)
        {
            var first = random.Next(NameSource.DisputeNotes.Length);
            notes = NameSource.DisputeNotes[first];
            if (random.NextDouble() < 0.3)
            {
                var second = (first + 1 + random.Next(NameSource.DisputeNotes.Length - 1)) % NameSource.DisputeNotes.Length;
                notes += "；" + NameSource.DisputeNotes[second];
            }
        }

        var management = random.NextDouble() < 0.3 + 0.025 * (builtYear - 1980);
        var arrears = 0.05 + (management ? 0 : 0.07);
        var fee = random.NextDouble() switch
        {
            var u when u < arrears => "arrears",
            var u when u < arrears + 0.13 => "partial",
            _ => "paid",
        };
        return new CampaignState(stage, Math.Clamp(consent, 0, 1), system, retrofitYear, dispute, notes, management, fee);
    }

    private double Gaussian()
    {
        // Box–Muller on this generator's Random, so the sequence depends on the seed only.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

internal sealed record CampaignState(
    RetrofitStatus Status, double ConsentRate, HeatingSystem System, int? RetrofitYear,
    bool Dispute, string? DisputeNotes, bool PropertyManagement, string FeeStatus);
