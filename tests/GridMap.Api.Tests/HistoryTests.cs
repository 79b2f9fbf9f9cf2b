using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Application.Audit;
using GridMap.Application.Auth;
using GridMap.Application.Pipeline;
using GridMap.Domain.Rules;
using GridMap.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;

namespace GridMap.Api.Tests;

/// <summary>
/// Every write through the pipeline appends to the audit log in its own transaction (who, role, use case, entity,
/// before/after, geometry as hash + area change); a refused or failed write appends nothing; the log cannot be updated,
/// deleted or truncated; GET /api/history lists an entity's changes newest first, paged.
/// </summary>
public sealed class HistoryTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private WritePipeline Writes => app.Factory.Services.GetRequiredService<WritePipeline>();

    private static Geometry Square(double x, double y, double d) =>
        new WKTReader().Read(FormattableString.Invariant($"POLYGON(({x} {y},{x + d} {y},{x + d} {y + d},{x} {y + d},{x} {y}))"));

    private async Task<long> CountAsync(string sql)
    {
        await using var cmd = app.Db.DataSource.CreateCommand(sql);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [PostgisFact]
    public async Task Write_AppendsWhoWhatBeforeAfter_AndHistoryListsItNewestFirst()
    {
        var planner = new Caller("planner-b1", Roles.Planner, 1);
        using (CallerScope.RunAs(planner))
        {
            await Writes.RunAsync(new WriteSpec("campaign.rename", "compound:2") { Permission = Permissions.PlanningWrite }, async s =>
            {
                await s.ExecuteAsync("UPDATE compound SET name = '纬五路新区' WHERE id = 2", CancellationToken.None);
                s.Changed("compound", 2, new { name = "纬五路小区" }, new { name = "纬五路新区" });
            });
            await Writes.RunAsync(new WriteSpec("campaign.reshape", "compound:2") { Permission = Permissions.PlanningWrite }, s =>
            {
                // 0.002° square → 0.004° × 0.002° rectangle: the area doubles.
                s.Changed("compound", 2, new { footprint = Square(113.660, 34.760, 0.002) },
                    new { footprint = Square(113.660, 34.760, 0.002).Union(Square(113.662, 34.760, 0.002)) });
                return Task.CompletedTask;
            });
        }

        using var staff = await app.ClientAs(Roles.Staff, 1);
        var page = await staff.GetFromJsonAsync<JsonElement>("/api/history?entity=compound&id=2");
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(new[] { "campaign.reshape", "campaign.rename" }, items.Select(i => i.GetProperty("action").GetString()!).Take(2));
        var rename = items[1];
        Assert.Equal("planner-b1", rename.GetProperty("user").GetString());
        Assert.Equal("planner", rename.GetProperty("role").GetString());
        Assert.Equal(1, rename.GetProperty("branchId").GetInt32());
        Assert.Equal("纬五路小区", rename.GetProperty("before").GetProperty("name").GetString());
        Assert.Equal("纬五路新区", rename.GetProperty("after").GetProperty("name").GetString());

        var reshape = items[0];
        var before = reshape.GetProperty("before").GetProperty("footprint");
        var after = reshape.GetProperty("after").GetProperty("footprint");
        Assert.Equal(64, before.GetProperty("sha256").GetString()!.Length);
        Assert.NotEqual(before.GetProperty("sha256").GetString(), after.GetProperty("sha256").GetString());
        var areaBefore = before.GetProperty("areaM2").GetDouble();
        Assert.InRange(areaBefore, 38_000, 42_000); // 0.002° × 0.002° at 34.76° N ≈ 183 m × 222 m
        Assert.Equal(areaBefore, reshape.GetProperty("areaChangeM2").GetDouble(), 0);
    }

    [PostgisFact]
    public async Task WriteWithoutRecordedChanges_AppendsOneEntryForItsTarget()
    {
        await Writes.RunAsync(new WriteSpec("planning.publish", "plan:77") { After = new { status = "published", version = 3 } },
            s => s.ExecuteAsync("SELECT 1", CancellationToken.None));
        var page = await app.Client.GetFromJsonAsync<JsonElement>("/api/history?entity=plan&id=77");
        var entry = page.GetProperty("items").EnumerateArray().Single();
        Assert.Equal("system", entry.GetProperty("user").GetString());
        Assert.Equal(3, entry.GetProperty("after").GetProperty("version").GetInt32());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("before").ValueKind);
    }

    [PostgisFact]
    public async Task FailedOrRefusedWrite_AppendsNothing_AndWritesNothing()
    {
        var before = await CountAsync("SELECT count(*) FROM audit_log WHERE entity_id = '3' AND entity = 'compound'");
        await Assert.ThrowsAsync<RuleViolation>(() => Writes.RunAsync(new WriteSpec("test.fail", "compound:3"), async s =>
        {
            await s.ExecuteAsync("UPDATE compound SET households = 1 WHERE id = 3", CancellationToken.None);
            s.Changed("compound", 3, new { households = 80 }, new { households = 1 });
            throw new RuleViolation("test-rule", "refused");
        }));
        using (CallerScope.RunAs(new Caller("crew-b1", Roles.Crew, 1)))
            await Assert.ThrowsAsync<AccessDenied>(() => Writes.RunAsync(new WriteSpec("test.refused", "compound:3") { Permission = Permissions.PlanningWrite },
                s => s.ExecuteAsync("UPDATE compound SET households = 2 WHERE id = 3", CancellationToken.None)));
        Assert.Equal(before, await CountAsync("SELECT count(*) FROM audit_log WHERE entity_id = '3' AND entity = 'compound'"));
        Assert.Equal(80L, await CountAsync("SELECT households::bigint FROM compound WHERE id = 3"));
    }

    [PostgisTheory]
    [InlineData("UPDATE audit_log SET actor = 'someone else'")]
    [InlineData("DELETE FROM audit_log")]
    [InlineData("TRUNCATE audit_log")]
    public async Task AuditLog_CannotBeAltered(string sql)
    {
        await Writes.RunAsync(new WriteSpec("test.append", "valve:100"), s => s.ExecuteAsync("SELECT 1", CancellationToken.None));
        var count = await CountAsync("SELECT count(*) FROM audit_log");
        await using var cmd = app.Db.DataSource.CreateCommand(sql);
        var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
        Assert.Equal(count, await CountAsync("SELECT count(*) FROM audit_log"));
    }

    [PostgisFact]
    public async Task History_IsPaged_WithNextBefore()
    {
        for (var i = 0; i < 3; i++)
            await Writes.RunAsync(new WriteSpec($"test.step{i}", "cell:410105001001001"), s => s.ExecuteAsync("SELECT 1", CancellationToken.None));
        var first = await app.Client.GetFromJsonAsync<JsonElement>("/api/history?entity=cell&id=410105001001001&limit=2");
        Assert.Equal(new[] { "test.step2", "test.step1" }, first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()!));
        var next = first.GetProperty("nextBefore").GetInt64();
        var second = await app.Client.GetFromJsonAsync<JsonElement>($"/api/history?entity=cell&id=410105001001001&limit=2&before={next}");
        Assert.Equal(new[] { "test.step0" }, second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()!));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextBefore").ValueKind);
    }

    [PostgisTheory]
    [InlineData("/api/history?entity=secrets&id=1")]
    [InlineData("/api/history?entity=compound")]
    [InlineData("/api/history?entity=compound&id=1&limit=0")]
    public async Task History_BadParameters_Are400(string path)
    {
        var res = await app.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        Assert.Equal("invalid-parameter", (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rule").GetString());
    }

    [PostgisFact]
    public async Task ChangeOutsideThePipeline_IsRefused()
    {
        await using var session = await GridMap.Storage.DbSession.BeginAsync(app.Db.DataSource);
        Assert.Throws<InvalidOperationException>(() => session.Changed("compound", 1, null, new { }));
    }
}
