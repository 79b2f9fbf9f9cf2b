using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Application.Auth;
using GridMap.Tests.Shared;

namespace GridMap.Api.Tests;

/// <summary>
/// History and concurrency of plans (issue 9 §2) against PostGIS and the demo city: GET answers a strong ETag that every
/// accepted write changes; a write with a stale If-Match is 412 with the current plan and its last change, and writes
/// nothing; a write without If-Match is accepted and audited as unconditional; the audit holds before/after for moves,
/// locks, staff and publishes; published versions are listed and restored as new previews (planners only).
/// </summary>
public sealed class PlanConcurrencyApiTests(PlanningFixture api) : IClassFixture<PlanningFixture>
{
    private HttpClient Client => api.Client;

    private static readonly SemaphoreSlim StreetLock = new(1, 1);
    private static readonly HashSet<string> Taken = [];

    private static async Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string url, object? body = null, string? ifMatch = null)
    {
        using var req = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (ifMatch is not null) req.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        var res = await client.SendAsync(req);
        var text = await res.Content.ReadAsStringAsync();
        return (res, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<JsonElement> Expect(HttpMethod method, string url, HttpStatusCode expected, object? body = null, string? ifMatch = null, HttpClient? client = null)
    {
        var (res, json) = await SendAsync(client ?? Client, method, url, body, ifMatch);
        Assert.True(expected == res.StatusCode, $"{method} {url}: expected {expected}, got {res.StatusCode}: {json}");
        return json;
    }

    private async Task<(JsonElement Plan, string ETag)> GetPlanAsync(long id)
    {
        var (res, json) = await SendAsync(Client, HttpMethod.Get, $"/api/planning/plans/{id}");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var etag = res.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag!.IsWeak);
        Assert.Equal(etag.Tag, json.GetProperty("etag").GetString());
        return (json, etag.Tag);
    }

    private async Task<JsonElement> HistoryAsync(string entity, string id) =>
        (await Expect(HttpMethod.Get, $"/api/history?entity={entity}&id={id}", HttpStatusCode.OK)).GetProperty("items");

    private async Task<long> CountAsync(string sql, params (string Name, object Value)[] args)
    {
        await using var cmd = api.Db.DataSource.CreateCommand(sql);
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A preview of a small street no other test of this class uses (about two compounds per cell, roads off).</summary>
    private async Task<long> PreviewAsync()
    {
        var all = await Expect(HttpMethod.Get, "/api/planning/areas?kind=street", HttpStatusCode.OK);
        var streets = all.EnumerateArray()
            .Select(a => (Code: a.GetProperty("code").GetString()!, Compounds: a.GetProperty("compounds").GetInt32(), Households: a.GetProperty("households").GetInt32(),
                Max: a.GetProperty("maxHouseholds").GetInt32()))
            .Where(s => s.Compounds is >= 8 and <= 30).OrderBy(s => s.Compounds).ThenByDescending(s => s.Code).ToList();
        var failures = new List<string>();
        foreach (var s in streets)
        {
            await StreetLock.WaitAsync();
            try { if (!Taken.Add(s.Code)) continue; }
            finally { StreetLock.Release(); }
            var cells = Math.Max(2, Math.Min(s.Compounds / 2, (int)(1.2 * s.Households / s.Max)));
            var job = await Expect(HttpMethod.Post, "/api/planning/partitions", HttpStatusCode.Accepted,
                new { area = new { kind = "street", code = s.Code }, cells, tolerance = 0.3, barriers = false, timeLimit = 20 });
            var jobId = job.GetProperty("id").GetString();
            for (var i = 0; i < 600; i++)
            {
                var j = await Expect(HttpMethod.Get, $"/api/planning/jobs/{jobId}", HttpStatusCode.OK);
                var status = j.GetProperty("status").GetString();
                if (status == "succeeded") return j.GetProperty("planId").GetInt64();
                if (status is not ("queued" or "running")) { failures.Add($"{s.Code}: {j.GetProperty("error")}"); break; }
                await Task.Delay(100);
            }
            if (failures.Count >= 3) break;
        }
        throw new InvalidOperationException("no small street could be partitioned: " + string.Join(" | ", failures));
    }

    /// <summary>Tries moves until one is accepted; returns (compound, from, to).</summary>
    private async Task<(int Compound, int From, int To)> SomeMoveAsync(long id)
    {
        var plan = await Expect(HttpMethod.Get, $"/api/planning/plans/{id}", HttpStatusCode.OK);
        var cells = plan.GetProperty("cells").EnumerateArray().Select(c => c.GetProperty("idx").GetInt32()).ToList();
        var compounds = (await Expect(HttpMethod.Get, $"/api/planning/plans/{id}/compounds", HttpStatusCode.OK)).GetProperty("features").EnumerateArray()
            .Select(f => (Id: f.GetProperty("id").GetInt32(), Cell: f.GetProperty("properties").GetProperty("cell").GetInt32())).ToList();
        foreach (var c in compounds)
            foreach (var to in cells.Where(k => k != c.Cell))
            {
                var (res, _) = await SendAsync(Client, HttpMethod.Post, $"/api/planning/plans/{id}/moves", new { compoundId = c.Id, toCell = to });
                if (res.StatusCode == HttpStatusCode.OK) return (c.Id, c.Cell, to);
                Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
            }
        throw new InvalidOperationException($"no compound of plan {id} could move");
    }

    [PostgisFact]
    public async Task Get_AnswersStrongETag_EveryAcceptedWriteAnswersANewOne()
    {
        var id = await PreviewAsync();
        var (_, e1) = await GetPlanAsync(id);
        Assert.Matches("^\"plan-" + id + "-r[0-9]+\"$", e1);
        var (again, e1b) = await GetPlanAsync(id);
        Assert.Equal(e1, e1b);

        var (res, body) = await SendAsync(Client, HttpMethod.Put, $"/api/planning/plans/{id}/cells/0/lock", new { locked = true }, e1);
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var e2 = res.Headers.ETag!.Tag;
        Assert.NotEqual(e1, e2);
        Assert.Equal(e2, body.GetProperty("etag").GetString());
        Assert.Equal(again.GetProperty("revision").GetInt64() + 1, body.GetProperty("revision").GetInt64());
        Assert.Equal(e2, (await GetPlanAsync(id)).ETag);

        // A move answers the plan after it, with its tag in the header (and "*" matches whatever is current).
        var (mres, mbody) = await SendAsync(Client, HttpMethod.Put, $"/api/planning/plans/{id}/cells/0/lock", new { locked = false }, "*");
        Assert.Equal(HttpStatusCode.OK, mres.StatusCode);
        Assert.Equal(mres.Headers.ETag!.Tag, mbody.GetProperty("etag").GetString());
        Assert.NotEqual(e2, mres.Headers.ETag!.Tag);
    }

    [PostgisFact]
    public async Task StaleIfMatch_Is412_WithCurrentPlanAndLastChange_AndWritesNothing()
    {
        var id = await PreviewAsync();
        var (_, seen) = await GetPlanAsync(id);
        // Someone else locks cell 0 without If-Match: accepted (last writer wins).
        var other = await Expect(HttpMethod.Put, $"/api/planning/plans/{id}/cells/0/lock", HttpStatusCode.OK, new { locked = true });
        var current = other.GetProperty("etag").GetString()!;
        var auditBefore = await CountAsync("SELECT count(*) FROM audit_log");
        var revisionBefore = await CountAsync("SELECT revision FROM plan WHERE id = @id", ("id", id));

        // Our write, based on what we saw before: refused, with what is there now.
        var (res, problem) = await SendAsync(Client, HttpMethod.Put, $"/api/planning/plans/{id}/cells/1/lock", new { locked = true }, seen);
        Assert.Equal(HttpStatusCode.PreconditionFailed, res.StatusCode);
        Assert.Equal("precondition-failed", problem.GetProperty("rule").GetString());
        Assert.Equal(current, problem.GetProperty("etag").GetString());
        var now = problem.GetProperty("current");
        Assert.Equal(id, now.GetProperty("id").GetInt64());
        Assert.Equal(current, now.GetProperty("etag").GetString());
        Assert.True(now.GetProperty("cells").EnumerateArray().Single(c => c.GetProperty("idx").GetInt32() == 0).GetProperty("locked").GetBoolean());
        var last = problem.GetProperty("lastChange");
        Assert.Equal("planning.lock-cell", last.GetProperty("action").GetString());
        Assert.Equal(AppFixture.AdminName, last.GetProperty("user").GetString());
        // …and every change that write made: here cell 0's lock, before and after.
        var cellChange = problem.GetProperty("lastChanges").EnumerateArray().Single(c => c.GetProperty("entity").GetString() == "cell");
        Assert.Equal($"{id}.0", cellChange.GetProperty("entityId").GetString());
        Assert.False(cellChange.GetProperty("before").GetProperty("locked").GetBoolean());
        Assert.True(cellChange.GetProperty("after").GetProperty("locked").GetBoolean());

        // Nothing written: cell 1 unlocked, no audit entry, revision unchanged.
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM plan_cell WHERE plan_id = @id AND idx = 1 AND locked", ("id", id)));
        Assert.Equal(auditBefore, await CountAsync("SELECT count(*) FROM audit_log"));
        Assert.Equal(revisionBefore, await CountAsync("SELECT revision FROM plan WHERE id = @id", ("id", id)));

        // Stale tags are refused on every kind of write: move, staff, publish.
        await Expect(HttpMethod.Post, $"/api/planning/plans/{id}/moves", HttpStatusCode.PreconditionFailed, new { compoundId = 1, toCell = 0 }, seen);
        await Expect(HttpMethod.Delete, $"/api/planning/plans/{id}/cells/1/staff", HttpStatusCode.PreconditionFailed, null, seen);
        await Expect(HttpMethod.Post, $"/api/planning/plans/{id}/staff/auto", HttpStatusCode.PreconditionFailed, null, seen);
        await Expect(HttpMethod.Post, $"/api/planning/plans/{id}/publish", HttpStatusCode.PreconditionFailed, null, seen);
        // A weak tag never matches (If-Match compares strongly).
        await Expect(HttpMethod.Put, $"/api/planning/plans/{id}/cells/1/lock", HttpStatusCode.PreconditionFailed, new { locked = true }, "W/" + current);
        Assert.Equal("preview", (await GetPlanAsync(id)).Plan.GetProperty("status").GetString());

        // Redo with the current tag: accepted.
        var redo = await Expect(HttpMethod.Put, $"/api/planning/plans/{id}/cells/1/lock", HttpStatusCode.OK, new { locked = true }, current);
        Assert.NotEqual(current, redo.GetProperty("etag").GetString());

        // The audit tells the unconditional write from the conditional one.
        var plan = await HistoryAsync("plan", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var newest = plan[0];
        Assert.Equal("planning.lock-cell", newest.GetProperty("action").GetString());
        Assert.Equal(current, newest.GetProperty("ifMatch").GetString());
        Assert.Equal(redo.GetProperty("revision").GetInt64(), newest.GetProperty("revision").GetInt64());
        var unconditional = plan[1];
        Assert.Equal(JsonValueKind.Null, unconditional.GetProperty("ifMatch").ValueKind);
        Assert.Equal(other.GetProperty("revision").GetInt64(), unconditional.GetProperty("revision").GetInt64());
    }

    [PostgisFact]
    public async Task History_HoldsBeforeAfter_ForMoveLockStaffAndPublish()
    {
        var id = await PreviewAsync();
        var planKey = id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // Move: the compound's cell before and after; both cells' polygons (hash + area) and the area change.
        var (compound, from, to) = await SomeMoveAsync(id);
        var moved = (await HistoryAsync("compound", compound.ToString(System.Globalization.CultureInfo.InvariantCulture)))[0];
        Assert.Equal("planning.move-compound", moved.GetProperty("action").GetString());
        Assert.Equal(from, moved.GetProperty("before").GetProperty("cell").GetInt32());
        Assert.Equal(to, moved.GetProperty("after").GetProperty("cell").GetInt32());
        Assert.Equal(id, moved.GetProperty("after").GetProperty("plan").GetInt64());
        var fromCell = (await HistoryAsync("cell", $"{id}.{from}"))[0];
        Assert.Equal("planning.move-compound", fromCell.GetProperty("action").GetString());
        var b = fromCell.GetProperty("before").GetProperty("area");
        var a = fromCell.GetProperty("after").GetProperty("area");
        Assert.Matches("^[0-9a-f]{64}$", b.GetProperty("sha256").GetString());
        Assert.NotEqual(b.GetProperty("sha256").GetString(), a.GetProperty("sha256").GetString());
        Assert.True(fromCell.GetProperty("areaChangeM2").GetDouble() < 0, "the cell the compound left shrank");
        Assert.True((await HistoryAsync("cell", $"{id}.{to}"))[0].GetProperty("areaChangeM2").GetDouble() > 0, "the cell it joined grew");

        // Lock.
        await Expect(HttpMethod.Put, $"/api/planning/plans/{id}/cells/{to}/lock", HttpStatusCode.OK, new { locked = true });
        var locked = (await HistoryAsync("cell", $"{id}.{to}"))[0];
        Assert.Equal("planning.lock-cell", locked.GetProperty("action").GetString());
        Assert.False(locked.GetProperty("before").GetProperty("locked").GetBoolean());
        Assert.True(locked.GetProperty("after").GetProperty("locked").GetBoolean());

        // Staff: unassign a staffed cell, then auto-assign gives it back.
        var plan = (await GetPlanAsync(id)).Plan;
        var staffed = plan.GetProperty("cells").EnumerateArray().First(c => c.GetProperty("staffId").ValueKind == JsonValueKind.Number);
        var idx = staffed.GetProperty("idx").GetInt32();
        var staffId = staffed.GetProperty("staffId").GetInt32();
        await Expect(HttpMethod.Delete, $"/api/planning/plans/{id}/cells/{idx}/staff", HttpStatusCode.OK);
        var unassigned = (await HistoryAsync("cell", $"{id}.{idx}"))[0];
        Assert.Equal("planning.unassign-staff", unassigned.GetProperty("action").GetString());
        Assert.Equal(staffId, unassigned.GetProperty("before").GetProperty("staffId").GetInt32());
        Assert.Equal(staffed.GetProperty("staffName").GetString(), unassigned.GetProperty("before").GetProperty("staffName").GetString());
        Assert.Equal(JsonValueKind.Null, unassigned.GetProperty("after").GetProperty("staffId").ValueKind);
        await Expect(HttpMethod.Post, $"/api/planning/plans/{id}/staff/auto", HttpStatusCode.OK);
        var auto = (await HistoryAsync("cell", $"{id}.{idx}"))[0];
        Assert.Equal("planning.auto-assign-staff", auto.GetProperty("action").GetString());
        Assert.Equal(JsonValueKind.Number, auto.GetProperty("after").GetProperty("staffId").ValueKind);

        // Publish: the plan's status and version, each grid cell made (code, polygon), each compound's new cell code.
        var published = await Expect(HttpMethod.Post, $"/api/planning/plans/{id}/publish", HttpStatusCode.OK);
        var version = published.GetProperty("version").GetInt32();
        var planEntry = (await HistoryAsync("plan", planKey))[0];
        Assert.Equal("planning.publish", planEntry.GetProperty("action").GetString());
        Assert.Equal("preview", planEntry.GetProperty("before").GetProperty("status").GetString());
        Assert.Equal("published", planEntry.GetProperty("after").GetProperty("status").GetString());
        Assert.Equal(version, planEntry.GetProperty("after").GetProperty("version").GetInt32());
        var cell = published.GetProperty("plan").GetProperty("cells")[0];
        var code = cell.GetProperty("code").GetString()!;
        var gridCell = (await HistoryAsync("cell", code))[0];
        Assert.Equal("planning.publish", gridCell.GetProperty("action").GetString());
        Assert.Equal(code, gridCell.GetProperty("after").GetProperty("code").GetString());
        Assert.Matches("^[0-9a-f]{64}$", gridCell.GetProperty("after").GetProperty("area").GetProperty("sha256").GetString());
        Assert.True(gridCell.GetProperty("areaChangeM2").GetDouble() > 0);
        var compoundEntry = (await HistoryAsync("compound", compound.ToString(System.Globalization.CultureInfo.InvariantCulture)))[0];
        Assert.Equal("planning.publish", compoundEntry.GetProperty("action").GetString());
        Assert.Equal(published.GetProperty("plan").GetProperty("cells").EnumerateArray().Single(c => c.GetProperty("idx").GetInt32() == to).GetProperty("code").GetString(),
            compoundEntry.GetProperty("after").GetProperty("cellCode").GetString());
    }

    [PostgisFact]
    public async Task Restore_AnyPublishedVersion_GivesAPreviewEqualToIt_Listed_AndAudited()
    {
        var first = await PreviewAsync();
        var v1 = await Expect(HttpMethod.Post, $"/api/planning/plans/{first}/publish", HttpStatusCode.OK);
        var areaKey = v1.GetProperty("plan").GetProperty("area").GetProperty("key").GetString()!;

        // A preview is not a version.
        var restored = await Expect(HttpMethod.Post, $"/api/planning/plans/{first}/restore", HttpStatusCode.Created);
        var copy = restored.GetProperty("id").GetInt64();
        var notAVersion = await Expect(HttpMethod.Post, $"/api/planning/plans/{copy}/restore", HttpStatusCode.UnprocessableEntity);
        Assert.Equal("not-a-version", notAVersion.GetProperty("rule").GetString());
        await Expect(HttpMethod.Post, "/api/planning/plans/99999999/restore", HttpStatusCode.NotFound);

        // Edit the copy (so version 2 differs), publish it: version 1 is superseded; then restore version 1 again.
        await SomeMoveAsync(copy);
        var v2 = await Expect(HttpMethod.Post, $"/api/planning/plans/{copy}/publish", HttpStatusCode.OK);
        Assert.Equal(2, v2.GetProperty("version").GetInt32());
        var versions = await Expect(HttpMethod.Get, $"/api/planning/versions?area={Uri.EscapeDataString(areaKey)}", HttpStatusCode.OK);
        Assert.Equal(new[] { 2, 1 }, versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal(new[] { "published", "superseded" }, versions.EnumerateArray().Select(v => v.GetProperty("status").GetString()));
        Assert.Equal(first, versions[0].GetProperty("restoredFrom").GetInt64());
        Assert.Equal(AppFixture.AdminName, versions[1].GetProperty("publishedBy").GetString());
        var old = await Expect(HttpMethod.Get, $"/api/planning/versions/1?area={Uri.EscapeDataString(areaKey)}", HttpStatusCode.OK);
        Assert.Equal(first, old.GetProperty("id").GetInt64());
        await Expect(HttpMethod.Get, $"/api/planning/versions/9?area={Uri.EscapeDataString(areaKey)}", HttpStatusCode.NotFound);
        await Expect(HttpMethod.Get, "/api/planning/versions", HttpStatusCode.BadRequest);

        var again = await Expect(HttpMethod.Post, $"/api/planning/plans/{first}/restore", HttpStatusCode.Created);
        var preview = again.GetProperty("id").GetInt64();
        Assert.Equal("preview", again.GetProperty("status").GetString());
        Assert.Equal(first, again.GetProperty("restoredFrom").GetInt64());
        Assert.Equal(areaKey, again.GetProperty("area").GetProperty("key").GetString());
        // Equal to version 1: the same cells (code, name, households, staff) and every compound in the same cell.
        static string Cells(JsonElement p) => string.Join("|", p.GetProperty("cells").EnumerateArray().Select(c =>
            $"{c.GetProperty("idx")}:{c.GetProperty("code")}:{c.GetProperty("name")}:{c.GetProperty("households")}:{c.GetProperty("staffId")}:{c.GetProperty("contiguous")}"));
        Assert.Equal(Cells(old), Cells(again));
        Assert.Equal(0, await CountAsync("""
            SELECT count(*) FROM plan_compound a FULL JOIN (SELECT * FROM plan_compound WHERE plan_id = @b) b ON a.compound_id = b.compound_id
            WHERE a.plan_id = @a AND (b.compound_id IS NULL OR a.cell_idx <> b.cell_idx OR NOT ST_Equals(a.territory, b.territory))
            """, ("a", first), ("b", preview)));
        Assert.Equal(await CountAsync("SELECT count(*) FROM plan_compound WHERE plan_id = @a", ("a", first)),
            await CountAsync("SELECT count(*) FROM plan_compound WHERE plan_id = @b", ("b", preview)));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM plan_cell a JOIN plan_cell b ON b.plan_id = @b AND b.idx = a.idx WHERE a.plan_id = @a AND NOT ST_Equals(a.area, b.area)",
            ("a", first), ("b", preview)));
        // The version itself is unchanged, and the current plan is still version 2.
        Assert.Equal("superseded", (await GetPlanAsync(first)).Plan.GetProperty("status").GetString());
        Assert.Equal(copy, (await Expect(HttpMethod.Get, $"/api/planning/current?area={Uri.EscapeDataString(areaKey)}", HttpStatusCode.OK)).GetProperty("id").GetInt64());
        // Audited on both plans.
        var made = (await HistoryAsync("plan", preview.ToString(System.Globalization.CultureInfo.InvariantCulture)))[0];
        Assert.Equal("planning.restore-version", made.GetProperty("action").GetString());
        Assert.Equal(first, made.GetProperty("after").GetProperty("restoredFrom").GetInt64());
        var source = (await HistoryAsync("plan", first.ToString(System.Globalization.CultureInfo.InvariantCulture)))[0];
        Assert.Equal(preview, source.GetProperty("after").GetProperty("restoredAs").GetInt64());
        // The restored preview is editable like any other.
        await Expect(HttpMethod.Put, $"/api/planning/plans/{preview}/cells/0/lock", HttpStatusCode.OK, new { locked = true }, again.GetProperty("etag").GetString());
    }

    [PostgisFact]
    public async Task Restore_Is403_ForManagerStaffCrew_AndAPlannerOfAnotherBranch_AndNothingIsWritten()
    {
        var id = await PreviewAsync();
        await Expect(HttpMethod.Post, $"/api/planning/plans/{id}/publish", HttpStatusCode.OK);
        var branch = (int)await CountAsync("SELECT d.branch_id FROM plan p JOIN district d ON d.code = p.district_code WHERE p.id = @id", ("id", id));
        var otherBranch = (int)await CountAsync("SELECT min(id) FROM branch WHERE id <> @b", ("b", branch));
        var plansBefore = await CountAsync("SELECT count(*) FROM plan");
        foreach (var (role, b) in new (string, int?)[] { (Roles.Manager, null), (Roles.Staff, branch), (Roles.Crew, branch), (Roles.Planner, otherBranch) })
        {
            var client = await api.ClientAs(role, b);
            var refused = await Expect(HttpMethod.Post, $"/api/planning/plans/{id}/restore", HttpStatusCode.Forbidden, client: client);
            Assert.Contains(refused.GetProperty("rule").GetString(), new[] { "forbidden", "other-branch" });
            // Reading versions is fine for everyone who may read plans.
            if (role is Roles.Manager or Roles.Planner)
                await Expect(HttpMethod.Get, $"/api/planning/versions/1?area={Uri.EscapeDataString((await GetPlanAsync(id)).Plan.GetProperty("area").GetProperty("key").GetString()!)}", HttpStatusCode.OK, client: client);
        }
        Assert.Equal(plansBefore, await CountAsync("SELECT count(*) FROM plan"));
        var planner = await api.ClientAs(Roles.Planner, branch);
        await Expect(HttpMethod.Post, $"/api/planning/plans/{id}/restore", HttpStatusCode.Created, client: planner);
    }
}
