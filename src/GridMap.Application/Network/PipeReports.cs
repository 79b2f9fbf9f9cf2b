using System.Globalization;
using System.Text.Json.Serialization;
using GridMap.Application.Audit;
using GridMap.Application.Auth;
using GridMap.Application.Pipeline;
using GridMap.Domain.Rules;
using GridMap.Storage.Network;
using NetTopologySuite.Geometries;

namespace GridMap.Application.Network;

/// <summary>What a crew measured or found at a pipe (<c>POST /api/network/pipes/{id}/reports</c>).</summary>
/// <param name="Kind">depth | wrong_dn | missing_valve | offset | geometry.</param>
/// <param name="DepthM">depth: the measured depth of the pipe's top, metres (0–10).</param>
/// <param name="FoundDn">wrong_dn: the DN found on site (15–1400).</param>
/// <param name="OffsetM">offset: how far the pipe lies from its drawn line, metres (0–50].</param>
/// <param name="Side">offset: left | right, looking along the pipe from its first vertex to its last.</param>
/// <param name="ValveLon">missing_valve: WGS84 longitude of the valve found (with <paramref name="ValveLat"/>).</param>
/// <param name="ValveLat">missing_valve: WGS84 latitude of the valve found.</param>
/// <param name="Coordinates">geometry: the pipe's line as measured, WGS84 [lon, lat] pairs (2–500).</param>
public sealed record PipeReportRequest(
    [property: JsonPropertyName("kind")] string? Kind,
    [property: JsonPropertyName("depthM")] double? DepthM,
    [property: JsonPropertyName("foundDn")] int? FoundDn,
    [property: JsonPropertyName("offsetM")] double? OffsetM,
    [property: JsonPropertyName("side")] string? Side,
    [property: JsonPropertyName("valveLon")] double? ValveLon,
    [property: JsonPropertyName("valveLat")] double? ValveLat,
    [property: JsonPropertyName("coordinates")] double[][]? Coordinates,
    [property: JsonPropertyName("note")] string? Note,
    [property: JsonPropertyName("lon")] double? Lon,
    [property: JsonPropertyName("lat")] double? Lat,
    [property: JsonPropertyName("accuracyM")] double? AccuracyM);

/// <summary>A supervisor's decision on a pipe record (<c>POST /api/network/reviews/{report}</c>).</summary>
/// <param name="Outcome">accepted | rejected.</param>
/// <param name="Reason">Why (at most 2,000 characters; shown in the pipe's history).</param>
public sealed record ReviewRequest(
    [property: JsonPropertyName("outcome")] string? Outcome,
    [property: JsonPropertyName("reason")] string? Reason);

/// <summary>The review of a pipe record.</summary>
public sealed record PipeReportReview(
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("reviewed_by")] string ReviewedBy,
    [property: JsonPropertyName("reviewed_at")] DateTimeOffset ReviewedAt);

/// <summary>A field record on a pipe as the API answers it.</summary>
/// <param name="Status">recorded (a plain fact, no review), pending (waits for a supervisor), accepted (applied to the pipe) or rejected.</param>
/// <param name="Proposed">offset / geometry: the line the pipe takes if the record is accepted, WGS84 [lon, lat] pairs.</param>
/// <param name="DistanceM">From the reported position to the pipe as mapped, metres.</param>
/// <param name="PhotoUrl">Where its photo is served, when it has one.</param>
public sealed record PipeReport(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("pipe")] long Pipe,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("depth_m"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? DepthM,
    [property: JsonPropertyName("found_dn"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? FoundDn,
    [property: JsonPropertyName("offset_m"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? OffsetM,
    [property: JsonPropertyName("side"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Side,
    [property: JsonPropertyName("valve_lon"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ValveLon,
    [property: JsonPropertyName("valve_lat"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ValveLat,
    [property: JsonPropertyName("proposed"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double[][]? Proposed,
    [property: JsonPropertyName("note")] string Note,
    [property: JsonPropertyName("lon")] double? Lon,
    [property: JsonPropertyName("lat")] double? Lat,
    [property: JsonPropertyName("accuracy_m")] double? AccuracyM,
    [property: JsonPropertyName("distance_m")] double? DistanceM,
    [property: JsonPropertyName("reported_by")] string ReportedBy,
    [property: JsonPropertyName("reported_at")] DateTimeOffset ReportedAt,
    [property: JsonPropertyName("review"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PipeReportReview? Review,
    [property: JsonPropertyName("photo_url"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PhotoUrl)
{
    public static PipeReport From(PipeReportRow r) => new(
        r.Id, r.PipeId, r.Kind,
        r.Outcome ?? (r.NeedsReview ? "pending" : "recorded"),
        r.DepthM, r.FoundDn, r.OffsetM, r.Side, r.ValveLon, r.ValveLat,
        r.Proposed?.Coordinates.Select(c => new[] { Math.Round(c.X, 7), Math.Round(c.Y, 7) }).ToArray(),
        r.Note, r.Lon, r.Lat, r.AccuracyM, r.DistanceM, r.ReportedBy, r.ReportedAt,
        r.Outcome is { } o ? new PipeReportReview(o, r.Reason ?? "", r.ReviewedBy ?? "", r.ReviewedAt ?? r.ReportedAt) : null,
        r.PhotoId is null ? null : $"/api/network/pipes/{r.PipeId}/reports/{r.Id}/photo");
}

/// <summary>The kinds of pipe record and which of them wait for a supervisor's review.</summary>
public static class PipeReportKinds
{
    public static IReadOnlyList<string> All { get; } = ["depth", "wrong_dn", "missing_valve", "offset", "geometry"];

    /// <summary>A record that would change the network (a DN, a valve, the pipe's line) waits for review; a depth is a plain fact.</summary>
    public static bool NeedsReview(string kind) => kind != "depth";

    /// <summary>Geometry corrections: they move the pipe.</summary>
    public static bool MovesPipe(string kind) => kind is "offset" or "geometry";
}

/// <summary>
/// Field records on pipes and their review. A crew (<see cref="Permissions.FieldRecord"/>, in its branch) files what it
/// measured; a depth is stored and shown; a found DN, a missing valve and a geometry correction wait for a supervisor
/// (<see cref="Permissions.NetworkReview"/>: planner or admin, in the pipe's branch), whose accept applies the change to
/// the network in the review's own transaction and whose reject leaves the pipe as it was. Record, review and change
/// are all audited as entity <c>pipe</c>, so the pipe's history shows all three.
/// </summary>
public sealed class PipeReports(PipeReportStore store, WritePipeline writes)
{
    public const int MaxNote = 2000;
    public const int MaxList = 200;
    public const int MaxVertices = 500;

    /// <summary>The rule code of a review of a record that needs none or was reviewed already (422).</summary>
    public const string NotPendingRule = "review-not-pending";

    /// <exception cref="ArgumentException">A bad kind or value (400, naming it).</exception>
    /// <exception cref="KeyNotFoundException">No such pipe (404).</exception>
    public async Task<PipeReport> RecordAsync(long pipeId, PipeReportRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var kind = request.Kind?.Trim() ?? "";
        if (!PipeReportKinds.All.Contains(kind))
            throw new ArgumentException($"kind 必须是 {string.Join(" / ", PipeReportKinds.All)} 之一 (kind must be one of {string.Join(", ", PipeReportKinds.All)}; got '{request.Kind}').");
        var note = request.Note?.Trim() ?? "";
        if (note.Length > MaxNote) throw new ArgumentException($"note 最多 {MaxNote} 字 (note is at most {MaxNote} characters; got {note.Length}).");
        FieldPosition.Check(request.Lon, request.Lat, "lon", "lat");
        if (request.AccuracyM is { } acc && (!double.IsFinite(acc) || acc < 0 || acc > 10_000))
            throw new ArgumentException($"accuracyM 须在 0–10000 米之间 (accuracyM must be 0–10000 metres; got {acc}).");

        double? depth = null, offset = null, vlon = null, vlat = null;
        int? dn = null;
        string? side = null;
        LineString? line = null;
        switch (kind)
        {
            case "depth":
                depth = request.DepthM is { } d && double.IsFinite(d) && d is >= 0 and <= 10 ? d
                    : throw new ArgumentException($"depthM 须在 0–10 米之间 (depthM, the measured depth, must be 0–10 metres; got {request.DepthM}).");
                break;
            case "wrong_dn":
                dn = request.FoundDn is { } n and >= 15 and <= 1400 ? n
                    : throw new ArgumentException($"foundDn 须在 15–1400 之间 (foundDn, the DN found, must be 15–1400; got {request.FoundDn}).");
                break;
            case "missing_valve":
                if (request.ValveLon is null || request.ValveLat is null)
                    throw new ArgumentException("valveLon 与 valveLat 必须给出：发现的阀门位置 (valveLon and valveLat, where the valve is, are required).");
                FieldPosition.Check(request.ValveLon, request.ValveLat, "valveLon", "valveLat");
                (vlon, vlat) = (request.ValveLon, request.ValveLat);
                break;
            case "offset":
                offset = request.OffsetM is { } o && double.IsFinite(o) && o is > 0 and <= 50 ? o
                    : throw new ArgumentException($"offsetM 须大于 0 且不超过 50 米 (offsetM must be more than 0 and at most 50 metres; got {request.OffsetM}).");
                side = request.Side?.Trim() is "left" or "right" ? request.Side.Trim()
                    : throw new ArgumentException($"side 必须是 left 或 right（沿管线起点到终点方向看）(side must be left or right, looking along the pipe; got '{request.Side}').");
                break;
            case "geometry":
                line = Line(request.Coordinates);
                break;
        }

        var pipe = await store.FactsAsync(pipeId, ct) ?? throw new KeyNotFoundException($"没有编号为 {pipeId} 的管道 (no pipe {pipeId}).");
        var spec = new WriteSpec("field.pipe-report", $"pipe:{pipeId}")
        {
            Permission = Permissions.FieldRecord,
            Branch = pipe.Branches.Count > 0 ? BranchScope.Of(pipe.Branches) : BranchScope.CompanyWide,
        };
        var id = await writes.RunAsync(spec, async s =>
        {
            var reportId = await PipeReportStore.AppendAsync(s, new PipeReportDraft(pipeId, kind, depth, dn, offset, side, vlon, vlat, line, note,
                request.Lon, request.Lat, request.AccuracyM, writes.Caller.Name), ct);
            s.Changed("pipe", pipeId.ToString(CultureInfo.InvariantCulture), null,
                new { report = reportId, kind, status = PipeReportKinds.NeedsReview(kind) ? "pending" : "recorded", depthM = depth, foundDn = dn, offsetM = offset, side, valveLon = vlon, valveLat = vlat, note, accuracyM = request.AccuracyM });
            return reportId;
        }, ct);
        return PipeReport.From((await store.GetAsync(id, ct: ct))!);
    }

    /// <summary>The pipe's records, newest first.</summary>
    /// <exception cref="KeyNotFoundException">No such pipe.</exception>
    public async Task<IReadOnlyList<PipeReport>> ListAsync(long pipeId, CancellationToken ct = default)
    {
        _ = await store.FactsAsync(pipeId, ct) ?? throw new KeyNotFoundException($"没有编号为 {pipeId} 的管道 (no pipe {pipeId}).");
        return (await store.ListAsync(pipeId, false, MaxList, ct)).Select(PipeReport.From).ToList();
    }

    /// <summary>The review queue: records waiting for review, oldest first (for a caller of one branch, those on its branch's pipes).</summary>
    public async Task<IReadOnlyList<PipeReport>> PendingAsync(CancellationToken ct = default)
    {
        Access.Demand(writes.Caller, Permissions.NetworkReview);
        var rows = await store.ListAsync(null, true, 1000, ct);
        if (writes.Caller.BranchId is { } branch)
        {
            var mine = new List<PipeReportRow>();
            foreach (var r in rows)
                if ((await store.FactsAsync(r.PipeId, ct)) is { } p && (p.Branches.Count == 0 || p.Branches.Contains(branch))) mine.Add(r);
            rows = mine;
        }
        return rows.Select(PipeReport.From).ToList();
    }

    /// <summary>
    /// A supervisor accepts or rejects a pending record. Accept applies it to the pipe (its line, its DN, or a new valve)
    /// in the same transaction as the review; reject keeps the pipe. Both are audited on the pipe (review, and the change).
    /// </summary>
    /// <exception cref="RuleViolation"><see cref="NotPendingRule"/>: the record needs no review or has one already.</exception>
    public async Task<PipeReport> ReviewAsync(long reportId, ReviewRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var outcome = request.Outcome?.Trim() is "accepted" or "rejected" ? request.Outcome.Trim()
            : throw new ArgumentException($"outcome 必须是 accepted 或 rejected (outcome must be accepted or rejected; got '{request.Outcome}').");
        var reason = request.Reason?.Trim() ?? "";
        if (reason.Length > MaxNote) throw new ArgumentException($"reason 最多 {MaxNote} 字 (reason is at most {MaxNote} characters; got {reason.Length}).");
        var report = await store.GetAsync(reportId, ct: ct) ?? throw new KeyNotFoundException($"没有编号为 {reportId} 的管道现场记录 (no pipe record {reportId}).");
        var pipe = await store.FactsAsync(report.PipeId, ct) ?? throw new KeyNotFoundException($"没有编号为 {report.PipeId} 的管道 (no pipe {report.PipeId}).");
        var spec = new WriteSpec("network.review-pipe-report", $"pipe:{report.PipeId}")
        {
            Permission = Permissions.NetworkReview,
            Branch = pipe.Branches.Count > 0 ? BranchScope.Of(pipe.Branches) : BranchScope.CompanyWide,
        };
        await writes.RunAsync(spec, async s =>
        {
            // Read again inside the transaction: a review that raced this one shows here (or at the primary key).
            var current = await store.GetAsync(reportId, s, ct);
            if (current is null || !current.NeedsReview || current.Outcome is not null)
                throw new RuleViolation(NotPendingRule, current?.Outcome is { } o
                    ? $"记录 {reportId} 已于 {current.ReviewedAt:yyyy-MM-dd HH:mm} 由 {current.ReviewedBy} 审核（{o}）(record {reportId} was reviewed already: {o})."
                    : $"记录 {reportId} 是事实记录，无需审核 (record {reportId} is a plain fact and needs no review).");
            await PipeReportStore.ReviewAsync(s, reportId, outcome, reason, writes.Caller.Name, ct);
            var id = report.PipeId.ToString(CultureInfo.InvariantCulture);
            s.Changed("pipe", id, new { report = reportId, kind = report.Kind, status = "pending" }, new { report = reportId, kind = report.Kind, status = outcome, reason });
            if (outcome != "accepted") return;
            var valve = await PipeReportStore.ApplyAsync(s, reportId, report.Kind, ct);
            switch (report.Kind)
            {
                case "offset" or "geometry":
                    s.Changed("pipe", id, new { geometry = pipe.Geometry, report = reportId }, new { geometry = report.Proposed, report = reportId });
                    break;
                case "wrong_dn":
                    s.Changed("pipe", id, new { dn = pipe.Dn, report = reportId }, new { dn = report.FoundDn, report = reportId });
                    break;
                case "missing_valve":
                    s.Changed("valve", valve!.Value.ToString(CultureInfo.InvariantCulture), null, new { pipe = report.PipeId, report = reportId, state = "open", operable = true });
                    s.Changed("pipe", id, null, new { valveAdded = valve, report = reportId });
                    break;
            }
        }, ct);
        return PipeReport.From((await store.GetAsync(reportId, ct: ct))!);
    }

    private static LineString Line(double[][]? coordinates)
    {
        if (coordinates is null || coordinates.Length < 2 || coordinates.Length > MaxVertices)
            throw new ArgumentException($"coordinates 须为 2–{MaxVertices} 个 [经度, 纬度] 点 (coordinates must be 2–{MaxVertices} [lon, lat] pairs).");
        var pts = new Coordinate[coordinates.Length];
        for (var i = 0; i < coordinates.Length; i++)
        {
            var c = coordinates[i];
            if (c is null || c.Length != 2) throw new ArgumentException($"coordinates[{i}] 须为 [经度, 纬度] (coordinates[{i}] must be a [lon, lat] pair).");
            FieldPosition.Check(c[0], c[1], $"coordinates[{i}]", $"coordinates[{i}]");
            pts[i] = new Coordinate(c[0], c[1]);
        }
        var line = new GeometryFactory(new PrecisionModel(), 4326).CreateLineString(pts);
        if (line.Length <= 0 || !line.IsValid) throw new ArgumentException("coordinates 须构成有效线段 (coordinates must make a valid line of non-zero length).");
        return line;
    }
}

/// <summary>Checks of a WGS84 position given as two optional numbers.</summary>
internal static class FieldPosition
{
    public static void Check(double? lon, double? lat, string lonName, string latName)
    {
        if (lon is null != lat is null) throw new ArgumentException($"{lonName} 与 {latName} 须同时给出或都不给 (give both {lonName} and {latName}, or neither).");
        if (lon is { } x && lat is { } y && (!double.IsFinite(x) || !double.IsFinite(y) || x is < -180 or > 180 || y is < -90 or > 90))
            throw new ArgumentException($"{lonName}/{latName} 须为 WGS84 经纬度 ({lonName}/{latName} must be WGS84 degrees; got {x}, {y}).");
    }
}
