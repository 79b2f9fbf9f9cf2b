using GridMap.Domain.Campaign;
using Npgsql;
using NpgsqlTypes;

namespace GridMap.Storage.Campaign;

/// <summary>
/// The campaign's records (migration 0016): households, visits, the 五化 checklist, disputes, stage events, follow-ups, fee
/// collection, and the compound summaries (retrofit_status, consent_rate, dispute, fee_status) kept in step with them.
/// Reads take an optional <see cref="DbSession"/> so a write can read inside its own transaction; writes always take one.
/// </summary>
public sealed class CampaignWorkStore(NpgsqlDataSource db)
{
    private NpgsqlCommand Cmd(DbSession? s, string sql) => s is null ? db.CreateCommand(sql) : s.Command(sql);

    /// <summary>The city's campaign configuration (vote rule fractions, heating season, follow-up schedule).</summary>
    public async Task<CampaignConfig> ConfigAsync(DbSession? s = null, CancellationToken ct = default)
    {
        await using var cmd = Cmd(s, """
            SELECT city, participation_num, participation_den, agreement_num, agreement_den, heating_start_month, heating_start_day,
                   heating_end_month, heating_end_day, first_follow_up_days, follow_up_every_months FROM campaign_config
            """);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return new CampaignConfig("郑州市", 2, 3, 3, 4, 11, 15, 3, 15, 7, 1);
        return new CampaignConfig(r.GetString(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5), r.GetInt32(6),
            r.GetInt32(7), r.GetInt32(8), r.GetInt32(9), r.GetInt32(10));
    }

    /// <summary>The compound's stage, cell, cell staff, acceptance, fee and revision; <paramref name="lockRow"/> locks it for the write. Null: no such compound.</summary>
    public async Task<CompoundState?> StateAsync(int id, DbSession? s = null, CancellationToken ct = default)
    {
        await using var cmd = Cmd(s, """
            SELECT c.id, c.retrofit_status, c.cell_code::text, g.staff_id, c.acceptance_passed, c.fee_status, c.fee_collector, c.revision
            FROM compound c LEFT JOIN grid_cell g ON g.code = c.cell_code WHERE c.id = @id
            """);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new CompoundState(r.GetInt32(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetInt32(3),
            r.IsDBNull(4) ? null : r.GetBoolean(4), r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.GetInt64(7));
    }

    /// <summary>The staff record a user is linked to (app_user.staff_id), or null.</summary>
    public async Task<int?> StaffOfUserAsync(string userName, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT staff_id FROM app_user WHERE lower(name) = lower(@n)");
        cmd.Parameters.AddWithValue("n", userName);
        return await cmd.ExecuteScalarAsync(ct) as int?;
    }

    /// <summary>Households of a compound by building, unit, floor, room; contact only when <paramref name="withContact"/>.</summary>
    public async Task<IReadOnlyList<HouseholdRecord>> HouseholdsAsync(int compoundId, bool withContact, DbSession? s = null, CancellationToken ct = default)
    {
        await using var cmd = Cmd(s, """
            SELECT h.id, h.building, h.unit, h.floor, h.room, h.area_m2, h.consent, h.bypass, h.owner_name, h.phone,
                   (SELECT max(v.visited_at) FROM visit v WHERE v.household_id = h.id)
            FROM household h WHERE h.compound_id = @c
            ORDER BY length(h.building), h.building, length(h.unit), h.unit, h.floor, h.room
            """);
        cmd.Parameters.AddWithValue("c", compoundId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<HouseholdRecord>();
        while (await r.ReadAsync(ct))
            list.Add(new HouseholdRecord(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetString(4), r.GetDouble(5), r.GetString(6),
                r.GetBoolean(7), withContact && !r.IsDBNull(8) ? r.GetString(8) : null, withContact && !r.IsDBNull(9) ? r.GetString(9) : null,
                r.IsDBNull(10) ? null : r.GetFieldValue<DateTimeOffset>(10)));
        return list;
    }

    /// <summary>The households as the consent rules see them.</summary>
    public async Task<IReadOnlyList<HouseholdConsent>> ConsentsAsync(int compoundId, DbSession? s = null, CancellationToken ct = default)
    {
        await using var cmd = Cmd(s, "SELECT id, building, unit, area_m2, consent, bypass FROM household WHERE compound_id = @c");
        cmd.Parameters.AddWithValue("c", compoundId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<HouseholdConsent>();
        while (await r.ReadAsync(ct)) list.Add(new HouseholdConsent(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetDouble(3), r.GetString(4), r.GetBoolean(5)));
        return list;
    }

    /// <summary>The compound a household belongs to, or null.</summary>
    public async Task<int?> CompoundOfHouseholdAsync(long householdId, DbSession? s = null, CancellationToken ct = default)
    {
        await using var cmd = Cmd(s, "SELECT compound_id FROM household WHERE id = @h");
        cmd.Parameters.AddWithValue("h", householdId);
        return await cmd.ExecuteScalarAsync(ct) as int?;
    }

    /// <summary>Records a visit; when it carries an answer for a household, that becomes the household's consent.</summary>
    public async Task<VisitRecord> AddVisitAsync(DbSession s, int compoundId, long? householdId, int? staffId, string actor, DateTimeOffset? at,
        string outcome, string? consent, string? notes, CancellationToken ct = default)
    {
        await using var cmd = s.Command("""
            INSERT INTO visit (compound_id, household_id, staff_id, actor, visited_at, outcome, consent, notes)
            VALUES (@c, @h, @s, @a, coalesce(@at, now()), @o, @k, @n)
            RETURNING id, visited_at
            """);
        cmd.Parameters.AddWithValue("c", compoundId);
        cmd.Parameters.Add(new NpgsqlParameter("h", NpgsqlDbType.Bigint) { Value = (object?)householdId ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("s", NpgsqlDbType.Integer) { Value = (object?)staffId ?? DBNull.Value });
        cmd.Parameters.AddWithValue("a", actor);
        cmd.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.TimestampTz) { Value = (object?)at?.ToUniversalTime() ?? DBNull.Value });
        cmd.Parameters.AddWithValue("o", outcome);
        cmd.Parameters.Add(new NpgsqlParameter("k", NpgsqlDbType.Text) { Value = (object?)consent ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("n", NpgsqlDbType.Text) { Value = (object?)notes ?? DBNull.Value });
        long id; DateTimeOffset when;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            await r.ReadAsync(ct);
            id = r.GetInt64(0); when = r.GetFieldValue<DateTimeOffset>(1);
        }
        if (householdId is { } h && consent is not null)
            await s.ExecuteAsync("UPDATE household SET consent = @k, consent_at = @at WHERE id = @h", ct, ("k", consent), ("at", when), ("h", h));
        return new VisitRecord(id, compoundId, householdId, staffId, actor, when, outcome, consent, notes, 0);
    }

    /// <summary>Sets a household's agreed bypass (跨越管).</summary>
    public Task SetBypassAsync(DbSession s, long householdId, bool bypass, CancellationToken ct = default) =>
        s.ExecuteAsync("UPDATE household SET bypass = @b WHERE id = @h", ct, ("b", bypass), ("h", householdId));

    /// <summary>Stores a photo's metadata (the file is written by the caller under the data folder).</summary>
    public async Task<long> AddPhotoAsync(DbSession s, long visitId, string fileName, string contentType, int bytes, string sha256, CancellationToken ct = default)
    {
        await using var cmd = s.Command("INSERT INTO visit_photo (visit_id, file_name, content_type, bytes, sha256) VALUES (@v, @f, @t, @b, @h) RETURNING id");
        cmd.Parameters.AddWithValue("v", visitId);
        cmd.Parameters.AddWithValue("f", fileName);
        cmd.Parameters.AddWithValue("t", contentType);
        cmd.Parameters.AddWithValue("b", bytes);
        cmd.Parameters.AddWithValue("h", sha256);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The compound a visit belongs to, or null.</summary>
    public async Task<int?> CompoundOfVisitAsync(long visitId, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT compound_id FROM visit WHERE id = @v");
        cmd.Parameters.AddWithValue("v", visitId);
        return await cmd.ExecuteScalarAsync(ct) as int?;
    }

    /// <summary>The latest visits of a compound (newest first), at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<VisitRecord>> VisitsAsync(int compoundId, int limit, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("""
            SELECT v.id, v.compound_id, v.household_id, v.staff_id, v.actor, v.visited_at, v.outcome, v.consent, v.notes,
                   (SELECT count(*)::int FROM visit_photo p WHERE p.visit_id = v.id)
            FROM visit v WHERE v.compound_id = @c ORDER BY v.visited_at DESC, v.id DESC LIMIT @l
            """);
        cmd.Parameters.AddWithValue("c", compoundId);
        cmd.Parameters.AddWithValue("l", limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<VisitRecord>();
        while (await r.ReadAsync(ct))
            list.Add(new VisitRecord(r.GetInt64(0), r.GetInt32(1), r.IsDBNull(2) ? null : r.GetInt64(2), r.IsDBNull(3) ? null : r.GetInt32(3), r.GetString(4),
                r.GetFieldValue<DateTimeOffset>(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8), r.GetInt32(9)));
        return list;
    }

    /// <summary>The 五化 checklist in its fixed order, signed-off items with their evidence.</summary>
    public async Task<IReadOnlyList<ChecklistItem>> ChecklistAsync(int compoundId, DbSession? s = null, CancellationToken ct = default)
    {
        await using var cmd = Cmd(s, "SELECT item, evidence, signed_off_by, signed_off_at FROM acceptance_item WHERE compound_id = @c");
        cmd.Parameters.AddWithValue("c", compoundId);
        var done = new Dictionary<string, (string, string, DateTimeOffset)>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) done[r.GetString(0)] = (r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3));
        return CampaignStages.ChecklistItems.Select(i => done.TryGetValue(i.Code, out var d)
            ? new ChecklistItem(i.Code, i.Label, d.Item1, d.Item2, d.Item3) : new ChecklistItem(i.Code, i.Label, null, null, null)).ToList();
    }

    /// <summary>Signs off one checklist item with its evidence (again: replaces the evidence).</summary>
    public Task SignOffAsync(DbSession s, int compoundId, string item, string evidence, string actor, CancellationToken ct = default) =>
        s.ExecuteAsync("""
            INSERT INTO acceptance_item (compound_id, item, evidence, signed_off_by) VALUES (@c, @i, @e, @a)
            ON CONFLICT (compound_id, item) DO UPDATE SET evidence = excluded.evidence, signed_off_by = excluded.signed_off_by, signed_off_at = now()
            """, ct, ("c", compoundId), ("i", item), ("e", evidence), ("a", actor));

    /// <summary>Records the acceptance result.</summary>
    public Task SetAcceptanceAsync(DbSession s, int compoundId, bool passed, string? notes, CancellationToken ct = default) =>
        s.ExecuteAsync("UPDATE compound SET acceptance_passed = @p, acceptance_notes = @n WHERE id = @c", ct,
            ("p", passed), ("n", (object?)notes ?? DBNull.Value), ("c", compoundId));

    /// <summary>Moves the compound to <paramref name="stage"/> and appends the stage event.</summary>
    public async Task SetStageAsync(DbSession s, int compoundId, string stage, string actor, CancellationToken ct = default)
    {
        await s.ExecuteAsync("UPDATE compound SET retrofit_status = @s WHERE id = @c", ct, ("s", stage), ("c", compoundId));
        await s.ExecuteAsync("INSERT INTO compound_stage_event (compound_id, stage, actor) VALUES (@c, @s, @a)", ct, ("c", compoundId), ("s", stage), ("a", actor));
    }

    /// <summary>Keeps the compound's consent summary (share of households agreeing, 0–1) in step.</summary>
    public Task SetConsentRateAsync(DbSession s, int compoundId, double rate, CancellationToken ct = default) =>
        s.ExecuteAsync("UPDATE compound SET consent_rate = @r WHERE id = @c AND consent_rate IS DISTINCT FROM @r", ct, ("r", Math.Clamp(rate, 0, 1)), ("c", compoundId));

    /// <summary>The stage history of a compound, oldest first.</summary>
    public async Task<IReadOnlyList<StageEvent>> StageEventsAsync(int compoundId, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT stage, at, actor FROM compound_stage_event WHERE compound_id = @c ORDER BY at, id");
        cmd.Parameters.AddWithValue("c", compoundId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<StageEvent>();
        while (await r.ReadAsync(ct)) list.Add(new StageEvent(r.GetString(0), r.GetFieldValue<DateTimeOffset>(1), r.GetString(2)));
        return list;
    }

    /// <summary>Disputes of a compound, newest first.</summary>
    public async Task<IReadOnlyList<DisputeRecord>> DisputesAsync(int compoundId, DbSession? s = null, CancellationToken ct = default)
    {
        await using var cmd = Cmd(s, """
            SELECT id, compound_id, household_ids, summary, owner, status, resolution, opened_at, opened_by, resolved_at
            FROM dispute WHERE compound_id = @c ORDER BY opened_at DESC, id DESC
            """);
        cmd.Parameters.AddWithValue("c", compoundId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<DisputeRecord>();
        while (await r.ReadAsync(ct)) list.Add(ReadDispute(r));
        return list;
    }

    /// <summary>One dispute, or null.</summary>
    public async Task<DisputeRecord?> DisputeAsync(long id, DbSession? s = null, CancellationToken ct = default)
    {
        await using var cmd = Cmd(s, """
            SELECT id, compound_id, household_ids, summary, owner, status, resolution, opened_at, opened_by, resolved_at
            FROM dispute WHERE id = @id
            """);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? ReadDispute(r) : null;
    }

    private static DisputeRecord ReadDispute(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetInt32(1), r.GetFieldValue<long[]>(2), r.GetString(3), r.GetString(4), r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6),
            r.GetFieldValue<DateTimeOffset>(7), r.GetString(8), r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9));

    /// <summary>Opens a dispute; returns its id.</summary>
    public async Task<long> OpenDisputeAsync(DbSession s, int compoundId, long[] households, string summary, string owner, string actor, CancellationToken ct = default)
    {
        await using var cmd = s.Command("INSERT INTO dispute (compound_id, household_ids, summary, owner, opened_by) VALUES (@c, @h, @s, @o, @a) RETURNING id");
        cmd.Parameters.AddWithValue("c", compoundId);
        cmd.Parameters.AddWithValue("h", households);
        cmd.Parameters.AddWithValue("s", summary);
        cmd.Parameters.AddWithValue("o", owner);
        cmd.Parameters.AddWithValue("a", actor);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Moves a dispute to <paramref name="status"/> (resolved: with the resolution), optionally a new owner.</summary>
    public Task UpdateDisputeAsync(DbSession s, long id, string status, string? resolution, string? owner, CancellationToken ct = default) =>
        s.ExecuteAsync("""
            UPDATE dispute SET status = @st, resolution = coalesce(@r, resolution), owner = coalesce(@o, owner),
                   resolved_at = CASE WHEN @st = 'resolved' THEN now() ELSE NULL END
            WHERE id = @id
            """, ct, ("st", status), ("r", (object?)resolution ?? DBNull.Value), ("o", (object?)owner ?? DBNull.Value), ("id", id));

    /// <summary>Keeps the compound's dispute summary in step: disputed while any dispute is not resolved (notes: the latest open one).</summary>
    public Task RefreshDisputeSummaryAsync(DbSession s, int compoundId, CancellationToken ct = default) =>
        s.ExecuteAsync("""
            UPDATE compound c SET dispute = x.open, dispute_notes = x.notes
            FROM (SELECT EXISTS (SELECT 1 FROM dispute d WHERE d.compound_id = @c AND d.status <> 'resolved') AS open,
                         (SELECT d.summary FROM dispute d WHERE d.compound_id = @c AND d.status <> 'resolved' ORDER BY d.opened_at DESC, d.id DESC LIMIT 1) AS notes) x
            WHERE c.id = @c AND (c.dispute IS DISTINCT FROM x.open OR c.dispute_notes IS DISTINCT FROM x.notes)
            """, ct, ("c", compoundId));

    /// <summary>Sets fee collection (热费代收): who collects, and paid / partial / arrears.</summary>
    public Task SetFeeAsync(DbSession s, int compoundId, string status, string? collector, CancellationToken ct = default) =>
        s.ExecuteAsync("UPDATE compound SET fee_status = @s, fee_collector = @k WHERE id = @c", ct,
            ("s", status), ("k", (object?)collector ?? DBNull.Value), ("c", compoundId));

    /// <summary>Records a follow-up visit (回访); returns its id.</summary>
    public async Task<long> AddFollowUpAsync(DbSession s, int compoundId, int? staffId, DateOnly on, string? notes, CancellationToken ct = default)
    {
        await using var cmd = s.Command("INSERT INTO follow_up_visit (compound_id, staff_id, visited_on, notes) VALUES (@c, @s, @d, @n) RETURNING id");
        cmd.Parameters.AddWithValue("c", compoundId);
        cmd.Parameters.Add(new NpgsqlParameter("s", NpgsqlDbType.Integer) { Value = (object?)staffId ?? DBNull.Value });
        cmd.Parameters.AddWithValue("d", on);
        cmd.Parameters.Add(new NpgsqlParameter("n", NpgsqlDbType.Text) { Value = (object?)notes ?? DBNull.Value });
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Follow-up visits of a compound, newest first.</summary>
    public async Task<IReadOnlyList<FollowUpRecord>> FollowUpsAsync(int compoundId, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT id, visited_on, staff_id, notes FROM follow_up_visit WHERE compound_id = @c ORDER BY visited_on DESC, id DESC");
        cmd.Parameters.AddWithValue("c", compoundId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<FollowUpRecord>();
        while (await r.ReadAsync(ct)) list.Add(new FollowUpRecord(r.GetInt64(0), r.GetFieldValue<DateOnly>(1), r.IsDBNull(2) ? null : r.GetInt32(2), r.IsDBNull(3) ? null : r.GetString(3)));
        return list;
    }

    /// <summary>The follow-up schedule of a compound (all nulls unless it is completed).</summary>
    public async Task<FollowUpState> FollowUpStateAsync(int compoundId, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT completed_on, last_follow_up, follow_up_due, overdue FROM compound_follow_up WHERE compound_id = @c");
        cmd.Parameters.AddWithValue("c", compoundId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return new FollowUpState(null, null, null, false);
        return new FollowUpState(r.IsDBNull(0) ? null : r.GetFieldValue<DateOnly>(0), r.IsDBNull(1) ? null : r.GetFieldValue<DateOnly>(1),
            r.IsDBNull(2) ? null : r.GetFieldValue<DateOnly>(2), r.GetBoolean(3));
    }

    /// <summary>The next follow-up due by the configured schedule for a compound completed on <paramref name="completed"/> whose
    /// last follow-up was <paramref name="lastVisit"/> (the same SQL function the view and the tiles use).</summary>
    public async Task<DateOnly?> FollowUpDueAsync(DateOnly completed, DateOnly? lastVisit, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT campaign_follow_up_due(@c, @v)");
        cmd.Parameters.AddWithValue("c", completed);
        cmd.Parameters.Add(new NpgsqlParameter("v", NpgsqlDbType.Date) { Value = (object?)lastVisit ?? DBNull.Value });
        var v = await cmd.ExecuteScalarAsync(ct);
        return v is DateOnly d ? d : v is DateTime dt ? DateOnly.FromDateTime(dt) : null;
    }

    /// <summary>Outcome figures per unit: kind cell, street, branch or city.</summary>
    public async Task<IReadOnlyList<OutcomeRow>> OutcomesAsync(string kind, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(SqlScripts.Get("Queries/campaign_outcomes.sql"));
        cmd.Parameters.AddWithValue("kind", kind);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<OutcomeRow>();
        while (await r.ReadAsync(ct))
            list.Add(new OutcomeRow(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetDouble(3), r.GetInt32(4), r.IsDBNull(5) ? null : r.GetDouble(5), r.IsDBNull(6) ? null : r.GetDouble(6)));
        return list;
    }
}
