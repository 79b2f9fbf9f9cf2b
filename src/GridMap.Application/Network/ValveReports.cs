using System.Text.Json.Serialization;
using GridMap.Application.Audit;
using GridMap.Application.Auth;
using GridMap.Application.Pipeline;
using GridMap.Storage.Network;

namespace GridMap.Application.Network;

/// <summary>What a crew found at a valve (<c>POST /api/network/valves/{id}/reports</c>).</summary>
/// <param name="Condition">seized | broken | buried | found_closed | found_open | repaired.</param>
/// <param name="Note">Free text, at most 2,000 characters.</param>
/// <param name="Lon">WGS84 longitude of the phone (with <paramref name="Lat"/>, or neither).</param>
/// <param name="Lat">WGS84 latitude of the phone.</param>
/// <param name="AccuracyM">The phone's stated accuracy, metres (0–10,000).</param>
public sealed record ValveReportRequest(
    [property: JsonPropertyName("condition")] string? Condition,
    [property: JsonPropertyName("note")] string? Note,
    [property: JsonPropertyName("lon")] double? Lon,
    [property: JsonPropertyName("lat")] double? Lat,
    [property: JsonPropertyName("accuracyM")] double? AccuracyM);

/// <summary>A field record on a valve as the API answers it.</summary>
/// <param name="DistanceM">Distance from the reported position to the valve as mapped, metres (null without a position):
/// a large one says the valve may be mapped in the wrong place.</param>
/// <param name="Effect">What the record does to isolation plans: inoperable, closed, open or restored.</param>
/// <param name="PhotoUrl">Where the record's photo is served, when it has one.</param>
public sealed record ValveReport(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("valve")] long Valve,
    [property: JsonPropertyName("condition")] string Condition,
    [property: JsonPropertyName("note")] string Note,
    [property: JsonPropertyName("lon")] double? Lon,
    [property: JsonPropertyName("lat")] double? Lat,
    [property: JsonPropertyName("accuracy_m")] double? AccuracyM,
    [property: JsonPropertyName("distance_m")] double? DistanceM,
    [property: JsonPropertyName("reported_by")] string ReportedBy,
    [property: JsonPropertyName("reported_at")] DateTimeOffset ReportedAt,
    [property: JsonPropertyName("effect")] string Effect,
    [property: JsonPropertyName("photo_url"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PhotoUrl = null)
{
    public static ValveReport From(ValveReportRow r) =>
        new(r.Id, r.ValveId, r.Condition, r.Note, r.Lon, r.Lat, r.AccuracyM, r.DistanceM, r.ReportedBy, r.ReportedAt, ValveConditions.EffectOf(r.Condition),
            r.PhotoId is null ? null : $"/api/network/valves/{r.ValveId}/reports/{r.Id}/photo");
}

/// <summary>The field conditions of a valve and what each does to the network the engine builds.</summary>
public static class ValveConditions
{
    public static IReadOnlyList<string> All { get; } = ["seized", "broken", "buried", "found_closed", "found_open", "repaired"];

    /// <summary>True for the conditions that make a valve impossible to operate (it conducts: plans close the next valves out).</summary>
    public static bool Inoperable(string condition) => condition is "seized" or "broken" or "buried";

    public static string EffectOf(string condition) => condition switch
    {
        "seized" or "broken" or "buried" => "inoperable",
        "found_closed" => "closed",
        "found_open" => "open",
        _ => "restored",
    };
}

/// <summary>
/// Field records on valves: a crew (permission <see cref="Permissions.FieldRecord"/>, in its own branch) records what it found;
/// the record is appended, audited as entity <c>valve</c>, and — through the network change counter — used by every later
/// isolation plan for every user (<see cref="CrewPlan.FieldRecords"/> says which ones a plan relied on).
/// </summary>
public sealed class ValveReports(ValveReportStore store, WritePipeline writes)
{
    public const int MaxNote = 2000;
    public const int MaxList = 200;

    /// <exception cref="ArgumentException">A bad condition, position, accuracy or note (400, naming it).</exception>
    /// <exception cref="KeyNotFoundException">No such valve (404).</exception>
    public async Task<ValveReport> RecordAsync(long valveId, ValveReportRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var condition = request.Condition?.Trim() ?? "";
        if (!ValveConditions.All.Contains(condition))
            throw new ArgumentException($"condition 必须是 {string.Join(" / ", ValveConditions.All)} 之一 (condition must be one of {string.Join(", ", ValveConditions.All)}; got '{request.Condition}').");
        var note = request.Note?.Trim() ?? "";
        if (note.Length > MaxNote) throw new ArgumentException($"note 最多 {MaxNote} 字 (note is at most {MaxNote} characters; got {note.Length}).");
        if (request.Lon is null != request.Lat is null) throw new ArgumentException("lon 与 lat 须同时给出或都不给 (give both lon and lat, or neither).");
        if (request.Lon is { } lon && request.Lat is { } lat
            && (!double.IsFinite(lon) || !double.IsFinite(lat) || lon is < -180 or > 180 || lat is < -90 or > 90))
            throw new ArgumentException($"lon/lat 须为 WGS84 经纬度 (lon/lat must be WGS84 degrees; got {lon}, {lat}).");
        if (request.AccuracyM is { } acc && (!double.IsFinite(acc) || acc < 0 || acc > 10_000))
            throw new ArgumentException($"accuracyM 须在 0–10000 米之间 (accuracyM must be 0–10000 metres; got {acc}).");

        var valve = await store.FactsAsync(valveId, ct) ?? throw new KeyNotFoundException($"没有编号为 {valveId} 的阀门 (no valve {valveId}).");
        var spec = new WriteSpec("field.valve-report", $"valve:{valveId}")
        {
            Permission = Permissions.FieldRecord,
            Branch = valve.Branches.Count > 0 ? BranchScope.Of(valve.Branches) : BranchScope.CompanyWide,
        };
        return await writes.RunAsync(spec, async s =>
        {
            var row = await ValveReportStore.AppendAsync(s, valveId, condition, note, request.Lon, request.Lat, request.AccuracyM, writes.Caller.Name, ct);
            AuditTrail.Changed(s, "valve", valveId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                new { condition = valve.Condition ?? "none", state = valve.State, operable = valve.Operable },
                new { condition, effect = ValveConditions.EffectOf(condition), note, report = row.Id, accuracyM = request.AccuracyM, distanceM = row.DistanceM });
            return ValveReport.From(row);
        }, ct);
    }

    /// <summary>The valve's field records, newest first.</summary>
    /// <exception cref="KeyNotFoundException">No such valve.</exception>
    public async Task<IReadOnlyList<ValveReport>> ListAsync(long valveId, CancellationToken ct = default)
    {
        _ = await store.FactsAsync(valveId, ct) ?? throw new KeyNotFoundException($"没有编号为 {valveId} 的阀门 (no valve {valveId}).");
        return (await store.ListAsync(valveId, MaxList, ct: ct)).Select(ValveReport.From).ToList();
    }
}
