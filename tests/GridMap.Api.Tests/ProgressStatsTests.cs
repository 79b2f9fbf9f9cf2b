using System.Net;
using System.Text.Json;
using GridMap.Application.Auth;
using GridMap.Tests.Shared;

namespace GridMap.Api.Tests;

/// <summary>
/// GET /api/stats/progress and /api/stats/progress/timeline over two branches: the figures equal direct SQL counts on the
/// same database, every level adds up to the same city, bad parameters are 400 and an unknown scope 404.
/// </summary>
public sealed class ProgressStatsTests(TwoBranchFixture app) : IClassFixture<TwoBranchFixture>
{
    private async Task<JsonElement> Json(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var client = await app.ClientAs(Roles.Manager);
        var res = await client.GetAsync(url);
        var body = await res.Content.ReadAsStringAsync();
        Assert.True(expected == res.StatusCode, $"{url}: expected {expected}, got {res.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private async Task<T> Scalar<T>(string sql)
    {
        await using var cmd = app.Db.DataSource.CreateCommand(sql);
        return (T)Convert.ChangeType((await cmd.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static long Sum(JsonElement rows, string field) => rows.EnumerateArray().Sum(r => r.GetProperty(field).GetInt64());

    [PostgisFact]
    public async Task ProgressByDistrict_EachRowAndTheTotal_EqualDirectSqlCounts()
    {
        var j = await Json("/api/stats/progress?by=district");
        foreach (var row in j.GetProperty("rows").EnumerateArray())
        {
            var code = row.GetProperty("code").GetString()!;
            Assert.Equal(await Scalar<long>($"SELECT count(*) FROM compound WHERE district_code = '{code}'"), row.GetProperty("compounds").GetInt64());
            Assert.Equal(await Scalar<long>($"SELECT coalesce(sum(households), 0) FROM compound WHERE district_code = '{code}'"), row.GetProperty("households").GetInt64());
            Assert.Equal(await Scalar<long>($"SELECT coalesce(sum(households), 0) FROM compound WHERE district_code = '{code}' AND retrofit_status = 'completed'"),
                row.GetProperty("householdsCompleted").GetInt64());
            Assert.Equal(await Scalar<long>($"SELECT count(*) FROM compound WHERE district_code = '{code}' AND dispute"), row.GetProperty("disputes").GetInt64());
            // Overdue follow-ups follow the campaign's schedule (migration 0016's compound_follow_up view).
            Assert.Equal(await Scalar<long>($"SELECT count(*) FROM compound_follow_up f JOIN compound c ON c.id = f.compound_id WHERE c.district_code = '{code}' AND f.overdue"),
                row.GetProperty("overdueFollowUps").GetInt64());
        }
        var total = j.GetProperty("total");
        Assert.Equal(await Scalar<long>("SELECT count(*) FROM compound"), total.GetProperty("compounds").GetInt64());
        Assert.Equal(await Scalar<long>("SELECT sum(households) FROM compound"), total.GetProperty("households").GetInt64());
        var share = await Scalar<double>("SELECT sum(households) FILTER (WHERE retrofit_status = 'completed')::float8 / sum(households) FROM compound");
        Assert.Equal(share, total.GetProperty("completedShare").GetDouble(), 9);
        var consent = await Scalar<double>("SELECT sum(households * consent_rate) / sum(households) FROM compound");
        Assert.Equal(consent, total.GetProperty("consentRate").GetDouble(), 9);
        // Households by stage: one entry per stage, in stage order, adding up to the households.
        var stages = j.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("code").GetString()).ToArray();
        Assert.Equal(await Scalar<long>("SELECT count(*) FROM retrofit_stage"), stages.Length);
        var byStage = j.GetProperty("stages").EnumerateArray().Select(x => x.GetProperty("households").GetInt64()).ToArray();
        // Per unit: households by stage add up to the unit's households.
        var unitStages = j.GetProperty("unitStages").EnumerateArray().ToDictionary(u => u.GetProperty("code").GetString()!, u => u.GetProperty("households").EnumerateArray().Sum(x => x.GetInt64()));
        foreach (var row in j.GetProperty("rows").EnumerateArray())
            Assert.Equal(row.GetProperty("households").GetInt64(), unitStages[row.GetProperty("code").GetString()!]);
        Assert.Equal(stages.Length, byStage.Length);
        Assert.Equal(total.GetProperty("households").GetInt64(), byStage.Sum());
        Assert.Equal(await Scalar<long>("SELECT coalesce(sum(households), 0) FROM compound WHERE retrofit_status = 'visiting'"), byStage[Array.IndexOf(stages, "visiting")]);
        Assert.True(j.TryGetProperty("asOf", out var asOf) && asOf.GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [PostgisFact]
    public async Task EveryLevel_AddsUpToTheSameCity_BranchTotalsEqualDistrictTotals()
    {
        var branch = await Json("/api/stats/progress?by=branch");
        var district = await Json("/api/stats/progress?by=district");
        Assert.Equal(2, branch.GetProperty("rows").GetArrayLength());
        foreach (var field in new[] { "compounds", "households", "householdsCompleted", "disputes", "overdueFollowUps" })
            Assert.Equal(Sum(branch.GetProperty("rows"), field), Sum(district.GetProperty("rows"), field));
        // Each branch equals its districts.
        foreach (var b in branch.GetProperty("rows").EnumerateArray())
        {
            var code = b.GetProperty("code").GetString();
            var own = district.GetProperty("rows").EnumerateArray().Where(d => d.GetProperty("parent").GetString() == code).ToList();
            Assert.Equal(b.GetProperty("households").GetInt64(), own.Sum(d => d.GetProperty("households").GetInt64()));
        }
        // Streets and cells: compounds outside every street / cell come back as `unassigned`, so rows + unassigned = city.
        var city = branch.GetProperty("total").GetProperty("households").GetInt64();
        foreach (var by in new[] { "street", "cell" })
        {
            var j = await Json($"/api/stats/progress?by={by}");
            var rest = j.GetProperty("unassigned").GetProperty("households").GetInt64();
            Assert.Equal(city, Sum(j.GetProperty("rows"), "households") + rest);
            Assert.Equal(city, j.GetProperty("total").GetProperty("households").GetInt64());
        }
        var cells = await Json("/api/stats/progress?by=cell");
        Assert.Equal(await Scalar<long>("SELECT coalesce(sum(households), 0) FROM compound WHERE cell_code IS NULL"),
            cells.GetProperty("unassigned").GetProperty("households").GetInt64());
    }

    [PostgisFact]
    public async Task Within_ScopesRowsAndTotal_ToTheBranchOrDistrict()
    {
        var j = await Json("/api/stats/progress?by=district&within=branch:2");
        Assert.Equal("西区分公司", j.GetProperty("withinName").GetString());
        Assert.Equal(new[] { "410102" }, j.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("code").GetString()!).ToArray());
        Assert.Equal(await Scalar<long>("SELECT sum(c.households) FROM compound c JOIN district d ON d.code = c.district_code WHERE d.branch_id = 2"),
            j.GetProperty("total").GetProperty("households").GetInt64());
        var cells = await Json("/api/stats/progress?by=cell&within=district:410105");
        Assert.Equal(await Scalar<long>("SELECT sum(households) FROM compound WHERE district_code = '410105'"), cells.GetProperty("total").GetProperty("households").GetInt64());
    }

    [PostgisFact]
    public async Task BadBy_BadWithinOrInclude_Are400_UnknownScopeIs404()
    {
        foreach (var url in new[] { "/api/stats/progress?by=province", "/api/stats/progress", "/api/stats/progress?by=branch&within=branch:1",
                     "/api/stats/progress?by=district&within=district:410105", "/api/stats/progress?by=cell&within=district:41'; --",
                     "/api/stats/progress?by=district&include=everything", "/api/stats/progress/timeline?by=town" })
        {
            var p = await Json(url, HttpStatusCode.BadRequest);
            Assert.Equal("invalid-parameter", p.GetProperty("rule").GetString());
        }
        var missing = await Json("/api/stats/progress?by=street&within=district:999999", HttpStatusCode.NotFound);
        Assert.Equal("not-found", missing.GetProperty("rule").GetString());
    }

    [PostgisFact]
    public async Task Include_AddsOpenDisputesAndTimeline_TheTimelineEndsAtTodaysCompletedHouseholds()
    {
        await using (var cmd = app.Db.DataSource.CreateCommand("UPDATE compound SET dispute = true, dispute_notes = '费用争议' WHERE id = 2"))
            await cmd.ExecuteNonQueryAsync();
        // Dispute records (as the campaign use cases write them, with the compound's summary kept in step): compound 3 has two
        // not resolved (one in progress, the older 10 days old) and one resolved; compound 4 one, 3 days old.
        await using (var cmd = app.Db.DataSource.CreateCommand("""
            INSERT INTO dispute (compound_id, summary, owner, status, resolution, opened_at, opened_by) VALUES
              (3, '噪音', '李明', 'in_progress', NULL, now() - interval '10 days', 'test'),
              (3, '费用', '王芳', 'open', NULL, now() - interval '2 days', 'test'),
              (3, '旧事', '赵强', 'resolved', '已解决', now() - interval '40 days', 'test'),
              (4, '漏水', '张伟', 'open', NULL, now() - interval '3 days', 'test');
            UPDATE compound SET dispute = true WHERE id IN (3, 4);
            """))
            await cmd.ExecuteNonQueryAsync();
        var j = await Json("/api/stats/progress?by=branch&include=disputes,timeline,behind");
        var disputes = j.GetProperty("disputes").EnumerateArray().Select(d => d.GetProperty("id").GetInt32()).ToArray();
        Assert.Equal(await Scalar<long>("SELECT count(*) FROM compound WHERE dispute"), disputes.Length);
        Assert.Contains(2, disputes);
        // Each row counts the compound's dispute records that are not resolved (0 for a flag without a record), and the list
        // runs from the longest open (oldest record) down, flags without a record last.
        var rows = j.GetProperty("disputes").EnumerateArray().ToArray();
        foreach (var row in rows.Take(20).Append(rows.Single(r => r.GetProperty("id").GetInt32() == 2)))
            Assert.Equal(await Scalar<long>($"SELECT count(*) FROM dispute WHERE compound_id = {row.GetProperty("id").GetInt32()} AND status <> 'resolved'"),
                row.GetProperty("openCount").GetInt32());
        Assert.Equal(await Scalar<long>("SELECT count(*) FROM dispute WHERE status <> 'resolved'"), rows.Sum(r => r.GetProperty("openCount").GetInt32()));
        var opened = rows.Select(r => r.GetProperty("oldestOpenedAt") is { ValueKind: JsonValueKind.String } v ? v.GetDateTimeOffset() : DateTimeOffset.MaxValue).ToArray();
        Assert.Equal(opened.Order(), opened);
        JsonElement Row(int id) => rows.Single(r => r.GetProperty("id").GetInt32() == id);
        Assert.Equal((2, 1, "王芳", "费用"), (Row(3).GetProperty("openCount").GetInt32(), Row(3).GetProperty("inProgress").GetInt32(),
            Row(3).GetProperty("owner").GetString(), Row(3).GetProperty("notes").GetString()));
        Assert.Equal(10, (int)Math.Round((DateTimeOffset.UtcNow - Row(3).GetProperty("oldestOpenedAt").GetDateTimeOffset()).TotalDays));
        var order = rows.Select(r => r.GetProperty("id").GetInt32()).ToList();
        Assert.True(order.IndexOf(3) < order.IndexOf(4), "the longest open dispute comes first");
        if (Row(2).GetProperty("openCount").GetInt32() == 0) Assert.True(order.IndexOf(4) < order.IndexOf(2), "a flag without a record comes after the records");
        var t = j.GetProperty("timeline");
        var total = t.GetProperty("total").EnumerateArray().Select(x => x.GetInt64()).ToArray();
        Assert.Equal(t.GetProperty("dates").GetArrayLength(), total.Length);
        Assert.Equal(await Scalar<long>("SELECT coalesce(sum(households), 0) FROM compound WHERE retrofit_status = 'completed'"), total[^1]);
        Assert.Equal(total[^1], t.GetProperty("series").EnumerateArray().Sum(s => s.GetProperty("completed").EnumerateArray().Last().GetInt64()));
    }

    [PostgisFact]
    public async Task Timeline_CountsACompound_WhileItsRecordedStageMovesSayCompleted()
    {
        // Recorded stage moves (compound_stage_event):
        //   compound 1 (300 households, completed now): acceptance 60 days ago, completed 30 days ago → counts from 30 days ago;
        //   compound 2 (120, visiting now): completed 50 days ago, back to visiting 40 days ago → counts only in between;
        //   compound 4 (200, visiting now): latest move 'completed' 20 days ago, but its stage was set back outside the
        //   campaign use cases → counts from 20 days ago until now, not at now (the last point follows today's stage).
        // Compound 3 has no move: in its current stage (visiting) throughout.
        await using (var cmd = app.Db.DataSource.CreateCommand("""
            INSERT INTO compound_stage_event (compound_id, stage, at, actor) VALUES
              (1, 'acceptance', now() - interval '60 days', 'test'), (1, 'completed', now() - interval '30 days', 'test'),
              (2, 'completed', now() - interval '50 days', 'test'), (2, 'visiting', now() - interval '40 days', 'test'),
              (4, 'completed', now() - interval '20 days', 'test')
            """))
            await cmd.ExecuteNonQueryAsync();
        var t = await Json("/api/stats/progress/timeline?by=district");
        Assert.Equal("compound_stage_event", t.GetProperty("source").GetString());
        var start = t.GetProperty("historyStart").GetDateTimeOffset();
        Assert.InRange(start, DateTimeOffset.UtcNow.AddDays(-60).AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(-60).AddMinutes(5));
        var dates = t.GetProperty("dates").EnumerateArray().Select(d => d.GetDateTimeOffset()).ToArray();
        var total = t.GetProperty("total").EnumerateArray().Select(x => x.GetInt64()).ToArray();
        Assert.Equal(dates.Length, total.Length);
        // Other compounds completed now with no move count throughout.
        var others = await Scalar<long>("SELECT coalesce(sum(households), 0) FROM compound WHERE retrofit_status = 'completed' AND id NOT IN (1, 2, 4)");
        long Expected(DateTimeOffset at, bool last)
        {
            var ago = (DateTimeOffset.UtcNow - at).TotalDays;
            return others + (ago <= 30 ? 300 : 0) + (ago <= 50 && ago > 40 ? 120 : 0) + (ago <= 20 && !last ? 200 : 0);
        }
        var checkedPoints = 0;
        for (var i = 0; i < dates.Length; i++)
        {
            var ago = (DateTimeOffset.UtcNow - dates[i]).TotalDays;
            if (new[] { 20.0, 30, 40, 50 }.Any(edge => Math.Abs(ago - edge) < 0.01)) continue;   // too close to a move to say
            Assert.True(Expected(dates[i], i == dates.Length - 1) == total[i], $"point {dates[i]:O} ({ago:F1} days ago): {total[i]}");
            checkedPoints++;
        }
        // Weekly from a week before the first move: points before, between and after every move.
        Assert.True(checkedPoints >= 9, $"only {checkedPoints} points");
        Assert.Contains(total, x => x == others + 120);
        Assert.Contains(total, x => x == others + 300 + 200);
        Assert.Equal(await Scalar<long>("SELECT coalesce(sum(households), 0) FROM compound WHERE retrofit_status = 'completed'"), total[^1]);
        Assert.Equal(total[^1], t.GetProperty("series").EnumerateArray().Sum(s => s.GetProperty("completed").EnumerateArray().Last().GetInt64()));
        Assert.Equal("district", t.GetProperty("by").GetString());
    }
}
