using System.Security.Cryptography;
using System.Text.Json.Serialization;
using GridMap.Application.Auth;
using GridMap.Application.Audit;
using GridMap.Application.Pipeline;
using GridMap.Domain.Campaign;
using GridMap.Domain.Rules;
using GridMap.Storage;
using GridMap.Storage.Campaign;

namespace GridMap.Application.Campaign;

/// <summary>A visit to record: household (null = the compound, e.g. a publicity event), outcome, the household's answer, notes.</summary>
public sealed record VisitRequest(long? HouseholdId, string? Outcome, string? Consent, string? Notes, DateTimeOffset? VisitedAt);

/// <summary>A visit as recorded, with the compound's entity tag after the write (so a client can chain its next write).</summary>
public sealed record VisitResult(
    [property: JsonPropertyName("visit")] VisitRecord Visit,
    [property: JsonPropertyName("consent")] ConsentSummary Consent,
    [property: JsonPropertyName("compoundETag")] string CompoundETag) : IVersioned
{
    [JsonIgnore] public string ETag => CompoundETag;
}

/// <summary>The campaign panel of one compound: checklist, disputes, follow-ups, stage history, latest visits.</summary>
public sealed record CompoundCampaign(
    [property: JsonPropertyName("compoundId")] int CompoundId,
    [property: JsonPropertyName("stage")] string Stage,
    [property: JsonPropertyName("consent")] ConsentSummary Consent,
    [property: JsonPropertyName("voteRule")] string VoteRule,
    [property: JsonPropertyName("checklist")] IReadOnlyList<ChecklistItem> Checklist,
    [property: JsonPropertyName("acceptancePassed")] bool? AcceptancePassed,
    [property: JsonPropertyName("disputes")] IReadOnlyList<DisputeRecord> Disputes,
    [property: JsonPropertyName("feeStatus")] string FeeStatus,
    [property: JsonPropertyName("feeCollector")] string? FeeCollector,
    [property: JsonPropertyName("followUp")] FollowUpState FollowUp,
    [property: JsonPropertyName("followUps")] IReadOnlyList<FollowUpRecord> FollowUps,
    [property: JsonPropertyName("history")] IReadOnlyList<StageEvent> History,
    [property: JsonPropertyName("visits")] IReadOnlyList<VisitRecord> Visits);

/// <summary>Outcome figures of one unit: metered where there are meters, else the campaign's averages as a labelled estimate.</summary>
public sealed record OutcomeFigures(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("completedCompounds")] int CompletedCompounds,
    [property: JsonPropertyName("completedAreaM2")] double CompletedAreaM2,
    [property: JsonPropertyName("basis")] string Basis,
    [property: JsonPropertyName("basisLabel")] string BasisLabel,
    [property: JsonPropertyName("meteredCompounds")] int MeteredCompounds,
    [property: JsonPropertyName("beforeGjPerM2")] double? BeforeGjPerM2,
    [property: JsonPropertyName("afterGjPerM2")] double? AfterGjPerM2,
    [property: JsonPropertyName("heatLossChange")] double HeatLossChange,
    [property: JsonPropertyName("efficiencyChange")] double EfficiencyChange);

/// <summary>
/// The campaign's write use cases (issue 10): visits and answers, bypasses, photos, stage moves by rule, the 五化 checklist
/// and acceptance, disputes, fee collection, follow-ups. Every write runs through the <see cref="WritePipeline"/> as a write
/// to the compound (permission campaign.record, the compound's branch, its revision checked against If-Match and bumped,
/// audited with before/after), and keeps the compound's summary columns in step in the same transaction. A staff user
/// (网格员) records only in the grid cells assigned to their staff record (<see cref="AccessDenied.NotYourCell"/>, 403).
/// </summary>
public sealed class CampaignWork(WritePipeline writes, CampaignWorkStore work, CampaignQueries queries, Npgsql.NpgsqlDataSource db)
{
    /// <summary>Largest photo accepted, bytes.</summary>
    public const int MaxPhotoBytes = 5 * 1024 * 1024;
    public static readonly string[] Outcomes = ["met", "not_home", "refused", "publicity", "other"];
    public static readonly string[] FeeStatuses = ["paid", "partial", "arrears"];
    public static readonly string[] DisputeStatuses = ["open", "in_progress", "resolved"];

    private static ResourceRef Res(int id) => new("compound", id);

    /// <summary>True when the caller's role sees households' contact (the roles that visit or administer them).</summary>
    public static bool SeesContact(Caller c) => c.Role is Roles.Admin or Roles.Staff or Roles.Planner || c == Caller.System;

    /// <summary>Households of a compound (contact masked for roles that do not need it).</summary>
    public async Task<IReadOnlyList<HouseholdRecord>> HouseholdsAsync(int id, CancellationToken ct = default)
    {
        await StateAsync(id, ct);
        return await work.HouseholdsAsync(id, SeesContact(writes.Caller), null, ct);
    }

    /// <summary>The whole campaign picture of a compound (the details panel).</summary>
    public async Task<CompoundCampaign> CampaignAsync(int id, CancellationToken ct = default)
    {
        var state = await StateAsync(id, ct);
        var config = await work.ConfigAsync(null, ct);
        var consent = ConsentCalculator.Compute(await work.ConsentsAsync(id, null, ct), Rule(config));
        return new CompoundCampaign(id, state.Stage, consent,
            $"参与≥{config.ParticipationNum}/{config.ParticipationDen}（面积与人数），同意≥参与者的{config.AgreementNum}/{config.AgreementDen}（面积与人数）",
            await work.ChecklistAsync(id, null, ct), state.AcceptancePassed, await work.DisputesAsync(id, null, ct), state.FeeStatus, state.FeeCollector,
            await work.FollowUpStateAsync(id, ct), await work.FollowUpsAsync(id, ct), await work.StageEventsAsync(id, ct), await work.VisitsAsync(id, 50, ct));
    }

    /// <summary>Records a visit (and the household's answer): 201 with the visit.</summary>
    public async Task<VisitResult> RecordVisitAsync(int id, VisitRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var outcome = request.Outcome is { } o && Outcomes.Contains(o) ? o
            : throw new ArgumentException($"outcome 须为 {string.Join(", ", Outcomes)} 之一 (outcome must be one of {string.Join(", ", Outcomes)}).");
        var consent = request.Consent is null ? null : ConsentAnswers.Parse(request.Consent);
        if (consent is not null && request.HouseholdId is null) throw new ArgumentException("记录意见须指定住户 (a consent answer needs a householdId).");
        if (request.Notes is { Length: > 2000 }) throw new ArgumentException("备注不超过 2000 字 (notes are at most 2000 characters).");
        var staff = await ScopeAsync(id, ct);
        if (request.HouseholdId is { } h && await work.CompoundOfHouseholdAsync(h, null, ct) != id)
            throw new KeyNotFoundException($"小区 {id} 没有住户 {h} (compound {id} has no household {h}).");
        var caller = writes.Caller;
        var (visit, summary) = await writes.RunAsync(new WriteSpec("campaign.record-visit", $"compound:{id}") { Resource = Res(id) }, async s =>
        {
            var v = await work.AddVisitAsync(s, id, request.HouseholdId, staff, caller.Name, request.VisitedAt, outcome, consent, request.Notes, ct);
            var sum = await RefreshConsentAsync(s, id, ct);
            s.Changed("visit", v.Id, null, v);
            return (v, sum);
        }, ct);
        var revision = await RevisionStore.CurrentAsync(db, Res(id), ct) ?? 1;
        return new VisitResult(visit, summary, Res(id).ETag(revision));
    }

    /// <summary>Sets or clears a household's agreed bypass (跨越管): its unit no longer waits for its consent.</summary>
    public async Task<CompoundDetails> SetBypassAsync(int id, long householdId, bool bypass, CancellationToken ct = default)
    {
        await ScopeAsync(id, ct);
        if (await work.CompoundOfHouseholdAsync(householdId, null, ct) != id)
            throw new KeyNotFoundException($"小区 {id} 没有住户 {householdId} (compound {id} has no household {householdId}).");
        await writes.RunAsync(new WriteSpec("campaign.set-bypass", $"compound:{id}") { Resource = Res(id) }, async s =>
        {
            await work.SetBypassAsync(s, householdId, bypass, ct);
            await RefreshConsentAsync(s, id, ct);
            s.Changed("household", householdId, new { bypass = !bypass }, new { bypass });
        }, ct);
        return await queries.CompoundAsync(id, ct);
    }

    /// <summary>Moves the compound to <paramref name="stage"/> if the rules allow (422 with the unmet rule otherwise).</summary>
    public async Task<CompoundDetails> MoveStageAsync(int id, string? stage, CancellationToken ct = default)
    {
        var to = CampaignStages.Parse(stage);
        await ScopeAsync(id, ct);
        var caller = writes.Caller;
        await writes.RunAsync(new WriteSpec("campaign.move-stage", $"compound:{id}") { Resource = Res(id) }, async s =>
        {
            var state = await work.StateAsync(id, s, ct) ?? throw NotFound(id);
            var config = await work.ConfigAsync(s, ct);
            var consent = ConsentCalculator.Compute(await work.ConsentsAsync(id, s, ct), Rule(config));
            var checklist = await work.ChecklistAsync(id, s, ct);
            CampaignStages.CheckMove(state.Stage, to, new StageFacts(consent.VoteRuleMet, consent.UnitsReady,
                checklist.All(i => !string.IsNullOrWhiteSpace(i.Evidence)), state.AcceptancePassed == true));
            await work.SetStageAsync(s, id, to, caller.Name, ct);
            s.Changed("compound", id, new { stage = state.Stage, revision = state.Revision }, new { stage = to, revision = state.Revision + 1 });
        }, ct);
        return await queries.CompoundAsync(id, ct);
    }

    /// <summary>Signs off one 五化 checklist item with its evidence.</summary>
    public async Task<CompoundCampaign> SignOffAsync(int id, string item, string? evidence, CancellationToken ct = default)
    {
        if (!CampaignStages.ChecklistItems.Any(i => i.Code == item))
            throw new ArgumentException($"未知的验收项 '{item}'，可选：{string.Join(", ", CampaignStages.ChecklistItems.Select(i => i.Code))} (unknown checklist item).");
        if (string.IsNullOrWhiteSpace(evidence) || evidence.Length > 2000) throw new ArgumentException("请提供证据（1–2000 字）(evidence is required, at most 2000 characters).");
        await ScopeAsync(id, ct);
        var caller = writes.Caller;
        await writes.RunAsync(new WriteSpec("campaign.sign-off", $"compound:{id}") { Resource = Res(id) }, async s =>
        {
            await work.SignOffAsync(s, id, item, evidence.Trim(), caller.Name, ct);
            s.Changed("acceptance_item", $"{id}:{item}", null, new { item, evidence });
        }, ct);
        return await CampaignAsync(id, ct);
    }

    /// <summary>Records the grid acceptance (并网验收) result; passing needs the compound in acceptance with the checklist complete.</summary>
    public async Task<CompoundDetails> RecordAcceptanceAsync(int id, bool passed, string? notes, CancellationToken ct = default)
    {
        await ScopeAsync(id, ct);
        await writes.RunAsync(new WriteSpec("campaign.record-acceptance", $"compound:{id}") { Resource = Res(id) }, async s =>
        {
            var state = await work.StateAsync(id, s, ct) ?? throw NotFound(id);
            RuleViolation.Require(state.Stage == CampaignStages.Acceptance, RuleCodes.StageOrder, "只有处于“验收”阶段的小区才能记录验收结果 (acceptance is recorded in the acceptance stage).");
            var checklist = await work.ChecklistAsync(id, s, ct);
            RuleViolation.Require(!passed || checklist.All(i => !string.IsNullOrWhiteSpace(i.Evidence)), RuleCodes.ChecklistIncomplete,
                "“五化”验收清单尚未全部签认并附证据 (every checklist item must be signed off before acceptance passes).");
            await work.SetAcceptanceAsync(s, id, passed, notes, ct);
            s.Changed("compound", id, new { acceptance_passed = state.AcceptancePassed }, new { acceptance_passed = passed, notes });
        }, ct);
        return await queries.CompoundAsync(id, ct);
    }

    /// <summary>Opens a dispute on the compound (and households).</summary>
    public async Task<DisputeRecord> OpenDisputeAsync(int id, string? summary, string? owner, long[]? households, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(summary) || summary.Length > 2000) throw new ArgumentException("请描述纠纷（1–2000 字）(summary is required).");
        await ScopeAsync(id, ct);
        foreach (var h in households ?? [])
            if (await work.CompoundOfHouseholdAsync(h, null, ct) != id) throw new KeyNotFoundException($"小区 {id} 没有住户 {h} (compound {id} has no household {h}).");
        var caller = writes.Caller;
        var did = await writes.RunAsync(new WriteSpec("campaign.open-dispute", $"compound:{id}") { Resource = Res(id) }, async s =>
        {
            var d = await work.OpenDisputeAsync(s, id, households ?? [], summary.Trim(), string.IsNullOrWhiteSpace(owner) ? caller.Name : owner.Trim(), caller.Name, ct);
            await work.RefreshDisputeSummaryAsync(s, id, ct);
            s.Changed("dispute", d, null, new { summary, owner, households, status = "open" });
            return d;
        }, ct);
        return (await work.DisputeAsync(did, null, ct))!;
    }

    /// <summary>Moves a dispute open → in_progress → resolved (resolved needs the resolution); never backwards.</summary>
    public async Task<DisputeRecord> UpdateDisputeAsync(int id, long disputeId, string? status, string? resolution, string? owner, CancellationToken ct = default)
    {
        var to = status is not null && DisputeStatuses.Contains(status) ? status
            : throw new ArgumentException($"status 须为 {string.Join(", ", DisputeStatuses)} 之一 (status must be one of {string.Join(", ", DisputeStatuses)}).");
        await ScopeAsync(id, ct);
        await writes.RunAsync(new WriteSpec("campaign.update-dispute", $"compound:{id}") { Resource = Res(id) }, async s =>
        {
            var d = await work.DisputeAsync(disputeId, s, ct);
            if (d is null || d.CompoundId != id) throw new KeyNotFoundException($"小区 {id} 没有纠纷 {disputeId} (compound {id} has no dispute {disputeId}).");
            RuleViolation.Require(Array.IndexOf(DisputeStatuses, to) > Array.IndexOf(DisputeStatuses, d.Status), RuleCodes.DisputeOrder,
                $"纠纷状态只能向前推进（当前 {d.Status}）(a dispute moves open → in_progress → resolved; it is {d.Status}).");
            if (to == "resolved" && string.IsNullOrWhiteSpace(resolution)) throw new ArgumentException("解决纠纷须写明处理结果 (resolving needs the resolution).");
            await work.UpdateDisputeAsync(s, disputeId, to, resolution?.Trim(), owner?.Trim(), ct);
            await work.RefreshDisputeSummaryAsync(s, id, ct);
            s.Changed("dispute", disputeId, new { status = d.Status, d.Resolution, d.Owner }, new { status = to, resolution, owner = owner ?? d.Owner });
        }, ct);
        return (await work.DisputeAsync(disputeId, null, ct))!;
    }

    /// <summary>Sets fee collection (热费代收) of the compound: who collects and paid / partial / arrears.</summary>
    public async Task<CompoundDetails> SetFeeAsync(int id, string? status, string? collector, CancellationToken ct = default)
    {
        var st = status is not null && FeeStatuses.Contains(status) ? status
            : throw new ArgumentException($"status 须为 {string.Join(", ", FeeStatuses)} 之一 (status must be one of {string.Join(", ", FeeStatuses)}).");
        await ScopeAsync(id, ct);
        await writes.RunAsync(new WriteSpec("campaign.set-fee", $"compound:{id}") { Resource = Res(id) }, async s =>
        {
            var state = await work.StateAsync(id, s, ct) ?? throw NotFound(id);
            await work.SetFeeAsync(s, id, st, string.IsNullOrWhiteSpace(collector) ? null : collector.Trim(), ct);
            s.Changed("compound", id, new { fee_status = state.FeeStatus, fee_collector = state.FeeCollector }, new { fee_status = st, fee_collector = collector });
        }, ct);
        return await queries.CompoundAsync(id, ct);
    }

    /// <summary>Records a follow-up visit (回访) of a completed compound.</summary>
    public async Task<CompoundCampaign> RecordFollowUpAsync(int id, DateOnly? on, string? notes, CancellationToken ct = default)
    {
        var staff = await ScopeAsync(id, ct);
        var day = on ?? DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        await writes.RunAsync(new WriteSpec("campaign.record-follow-up", $"compound:{id}") { Resource = Res(id) }, async s =>
        {
            var state = await work.StateAsync(id, s, ct) ?? throw NotFound(id);
            RuleViolation.Require(state.Stage == CampaignStages.Completed, RuleCodes.StageOrder, "回访只在改造完成后进行 (follow-ups are for completed compounds).");
            var f = await work.AddFollowUpAsync(s, id, staff, day, notes, ct);
            s.Changed("follow_up_visit", f, null, new { visited_on = day, notes });
        }, ct);
        return await CampaignAsync(id, ct);
    }

    /// <summary>Stores a photo of a visit under <paramref name="folder"/> (jpeg/png/webp by content, at most <see cref="MaxPhotoBytes"/>).</summary>
    public async Task<object> AddPhotoAsync(int id, long visitId, string? contentType, byte[] bytes, string folder, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0) throw new ArgumentException("照片为空 (the photo is empty).");
        if (bytes.Length > MaxPhotoBytes) throw new ArgumentException($"照片不超过 {MaxPhotoBytes / 1024 / 1024} MB (a photo is at most {MaxPhotoBytes} bytes).");
        var sniffed = Sniff(bytes) ?? throw new ArgumentException("只接受 JPEG、PNG 或 WebP 照片 (only JPEG, PNG or WebP photos).");
        if (contentType is not null && !contentType.StartsWith(sniffed, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"内容类型 {contentType} 与文件内容 {sniffed} 不符 (Content-Type does not match the file).");
        await ScopeAsync(id, ct);
        if (await work.CompoundOfVisitAsync(visitId, ct) != id) throw new KeyNotFoundException($"小区 {id} 没有走访记录 {visitId} (compound {id} has no visit {visitId}).");
        var sha = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
        var ext = sniffed switch { "image/png" => ".png", "image/webp" => ".webp", _ => ".jpg" };
        var name = $"{id}/{visitId}-{sha[..16]}{ext}";
        var path = Path.Combine(folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, bytes, ct);
        var photo = await writes.RunAsync(new WriteSpec("campaign.add-photo", $"compound:{id}") { Resource = Res(id) }, async s =>
        {
            var p = await work.AddPhotoAsync(s, visitId, name, sniffed, bytes.Length, sha, ct);
            s.Changed("visit_photo", p, null, new { visit = visitId, file = name, bytes = bytes.Length, sha256 = sha });
            return p;
        }, ct);
        return new { id = photo, visitId, file = name, contentType = sniffed, bytes = bytes.Length, sha256 = sha };
    }

    /// <summary>Outcome figures per cell, street, branch or the city.</summary>
    public async Task<IReadOnlyList<OutcomeFigures>> OutcomesAsync(string? level, CancellationToken ct = default)
    {
        var kind = level ?? "city";
        if (kind is not ("cell" or "street" or "branch" or "city")) throw new ArgumentException("level 须为 cell, street, branch, city 之一 (level must be cell, street, branch or city).");
        return (await work.OutcomesAsync(kind, ct)).Select(r => r.MeteredCompounds > 0 && r.BeforeGjPerM2 is { } b && r.AfterGjPerM2 is { } a
            ? new OutcomeFigures(r.Code, r.Name, r.CompletedCompounds, r.CompletedAreaM2, "metered", "计量数据", r.MeteredCompounds, b, a, Math.Round(a / b - 1, 4), Math.Round(b / a - 1, 4))
            : new OutcomeFigures(r.Code, r.Name, r.CompletedCompounds, r.CompletedAreaM2, "estimate", "估算（按改造平均效果：热损失 −30%，效率 +25%）", 0, null, null, -0.30, 0.25)).ToList();
    }

    private static string? Sniff(byte[] b) =>
        b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF ? "image/jpeg"
        : b.Length >= 8 && b[0] == 0x89 && b[1] == 0x50 && b[2] == 0x4E && b[3] == 0x47 ? "image/png"
        : b.Length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P' ? "image/webp"
        : null;

    private static VoteRule Rule(CampaignConfig c) => new(c.ParticipationNum, c.ParticipationDen, c.AgreementNum, c.AgreementDen);

    private async Task<ConsentSummary> RefreshConsentAsync(DbSession s, int id, CancellationToken ct)
    {
        var sum = ConsentCalculator.Compute(await work.ConsentsAsync(id, s, ct), Rule(await work.ConfigAsync(s, ct)));
        await work.SetConsentRateAsync(s, id, sum.AgreeShare, ct);
        return sum;
    }

    private async Task<CompoundState> StateAsync(int id, CancellationToken ct) => await work.StateAsync(id, null, ct) ?? throw NotFound(id);

    private static KeyNotFoundException NotFound(int id) => new($"没有 id 为 {id} 的小区 (No compound with id {id}).");

    /// <summary>404 for an unknown compound; for a staff caller, 403 unless the compound's cell is assigned to their staff record.
    /// Returns the caller's staff id (null for other roles).</summary>
    private async Task<int?> ScopeAsync(int id, CancellationToken ct)
    {
        var state = await StateAsync(id, ct);
        var caller = writes.Caller;
        if (caller.Role != Roles.Staff) return caller == Caller.System ? null : await work.StaffOfUserAsync(caller.Name, ct);
        var staff = await work.StaffOfUserAsync(caller.Name, ct);
        if (staff is null || state.CellStaffId != staff)
            throw new AccessDenied(AccessDenied.NotYourCell,
                $"小区 {id} 不在分配给 {caller.Name} 的网格内 (compound {id} is not in a grid cell assigned to {caller.Name}).");
        return staff;
    }

}
