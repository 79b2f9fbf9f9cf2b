using System.Text.Json.Serialization;

namespace GridMap.Storage.Campaign;

/// <summary>One household (户) of a compound. <c>consent</c> is its latest answer (<c>agree|disagree|undecided|absent|none</c>);
/// <c>bypass</c>: an agreed bypass (跨越管) lets its unit's riser be converted without its consent. Contact (owner, phone) is
/// null for roles that do not need it (masked).</summary>
public sealed record HouseholdRecord(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("building")] string Building,
    [property: JsonPropertyName("unit")] string Unit,
    [property: JsonPropertyName("floor")] int Floor,
    [property: JsonPropertyName("room")] string Room,
    [property: JsonPropertyName("areaM2")] double AreaM2,
    [property: JsonPropertyName("consent")] string Consent,
    [property: JsonPropertyName("bypass")] bool Bypass,
    [property: JsonPropertyName("ownerName")] string? OwnerName,
    [property: JsonPropertyName("phone")] string? Phone,
    [property: JsonPropertyName("lastVisitAt")] DateTimeOffset? LastVisitAt);

/// <summary>A visit (走访): to a household, or to the whole compound (publicity) when <c>householdId</c> is null.</summary>
public sealed record VisitRecord(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("compoundId")] int CompoundId,
    [property: JsonPropertyName("householdId")] long? HouseholdId,
    [property: JsonPropertyName("staffId")] int? StaffId,
    [property: JsonPropertyName("actor")] string Actor,
    [property: JsonPropertyName("visitedAt")] DateTimeOffset VisitedAt,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("consent")] string? Consent,
    [property: JsonPropertyName("notes")] string? Notes,
    [property: JsonPropertyName("photos")] int Photos);

/// <summary>One item of the 五化 acceptance checklist: signed off (with evidence, by whom, when) or not yet.</summary>
public sealed record ChecklistItem(
    [property: JsonPropertyName("item")] string Item,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("evidence")] string? Evidence,
    [property: JsonPropertyName("signedOffBy")] string? SignedOffBy,
    [property: JsonPropertyName("signedOffAt")] DateTimeOffset? SignedOffAt);

/// <summary>A dispute (纠纷): open → in_progress → resolved (with the resolution).</summary>
public sealed record DisputeRecord(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("compoundId")] int CompoundId,
    [property: JsonPropertyName("householdIds")] long[] HouseholdIds,
    [property: JsonPropertyName("summary")] string Summary,
    [property: JsonPropertyName("owner")] string Owner,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("resolution")] string? Resolution,
    [property: JsonPropertyName("openedAt")] DateTimeOffset OpenedAt,
    [property: JsonPropertyName("openedBy")] string OpenedBy,
    [property: JsonPropertyName("resolvedAt")] DateTimeOffset? ResolvedAt);

/// <summary>One stage move of a compound (the history the dashboards and the details panel read).</summary>
public sealed record StageEvent(
    [property: JsonPropertyName("stage")] string Stage,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("actor")] string Actor);

/// <summary>A follow-up visit (回访) after completion.</summary>
public sealed record FollowUpRecord(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("visitedOn")] DateOnly VisitedOn,
    [property: JsonPropertyName("staffId")] int? StaffId,
    [property: JsonPropertyName("notes")] string? Notes);

/// <summary>The follow-up schedule of a completed compound: completed on, last follow-up, next one due, overdue today.</summary>
public sealed record FollowUpState(
    [property: JsonPropertyName("completedOn")] DateOnly? CompletedOn,
    [property: JsonPropertyName("lastFollowUp")] DateOnly? LastFollowUp,
    [property: JsonPropertyName("due")] DateOnly? Due,
    [property: JsonPropertyName("overdue")] bool Overdue);

/// <summary>The campaign's configuration (one row per database: the city's rules).</summary>
public sealed record CampaignConfig(string City, int ParticipationNum, int ParticipationDen, int AgreementNum, int AgreementDen,
    int HeatingStartMonth, int HeatingStartDay, int HeatingEndMonth, int HeatingEndDay, int FirstFollowUpDays, int FollowUpEveryMonths);

/// <summary>What the write rules need about a compound, read (and row-locked) inside the write.</summary>
public sealed record CompoundState(int Id, string Stage, string? CellCode, int? CellStaffId, bool? AcceptancePassed, string FeeStatus, string? FeeCollector, long Revision);

/// <summary>Outcome figures of a unit (cell, street, branch or the city): compounds and area completed; heat use per m²
/// before/after where metered (GJ/m², area-weighted), else the campaign's averages as a labelled estimate.</summary>
public sealed record OutcomeRow(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("completedCompounds")] int CompletedCompounds,
    [property: JsonPropertyName("completedAreaM2")] double CompletedAreaM2,
    [property: JsonPropertyName("meteredCompounds")] int MeteredCompounds,
    [property: JsonPropertyName("beforeGjPerM2")] double? BeforeGjPerM2,
    [property: JsonPropertyName("afterGjPerM2")] double? AfterGjPerM2);
