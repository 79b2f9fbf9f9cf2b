using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Application.Auth;
using GridMap.Application.Jobs;
using GridMap.Application.Pipeline;
using GridMap.Application.Planning;
using GridMap.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NetTopologySuite.Geometries;

namespace GridMap.Api.Tests;

/// <summary>The tiny city plus a second branch (西区分公司, 2) with its own district (410102) and compound.</summary>
public sealed class TwoBranchFixture : AppFixture
{
    public const string SecondBranch = """
        INSERT INTO branch VALUES (2, '西区分公司', ST_Multi(ST_GeomFromText('POLYGON((113.40 34.70,113.60 34.70,113.60 34.90,113.40 34.90,113.40 34.70))', 4326)));
        INSERT INTO district VALUES
          ('410102', '中原区', 2, ST_Multi(ST_GeomFromText('POLYGON((113.40 34.70,113.60 34.70,113.60 34.90,113.40 34.90,113.40 34.70))', 4326)));
        INSERT INTO compound (id, name, district_code, footprint, households, retrofit_status, heating_system, consent_rate) VALUES
          (4, '中原路小区', '410102', ST_GeomFromText('POLYGON((113.550 34.750,113.552 34.750,113.552 34.752,113.550 34.752,113.550 34.750))', 4326), 200, 'visiting', 'series', 0.5);
        INSERT INTO plan (area_kind, area_code, area_key, area_name, district_code, area, params, lower_bound, upper_bound, target)
          SELECT 'district', '410105', 'district:410105', '金水区', '410105', area, '{}', 0, 1000, 500 FROM district WHERE code = '410105';
        """;

    /// <summary>Id of the preview plan of 金水区 (branch 1) the seed makes.</summary>
    public async Task<long> EastPlanIdAsync()
    {
        await using var cmd = Db.DataSource.CreateCommand("SELECT id FROM plan WHERE area_key = 'district:410105'");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    protected override async Task<TestDatabase> CreateDatabaseAsync()
    {
        var db = await TestDatabase.CreateAsync();
        await using var cmd = db.DataSource.CreateCommand(ApiFixture.Seed + SecondBranch);
        await cmd.ExecuteNonQueryAsync();
        return db;
    }
}

/// <summary>
/// Role × route: every route group, read and write, for each role and for no sign-in at all — allowed (anything but a
/// refusal) or refused (401 unauthenticated without a user, 403 forbidden for the wrong role). The table of expectations
/// is written out here, independently of Permissions.cs, so a change to either shows as a difference.
/// </summary>
public sealed class AuthMatrixTests(TwoBranchFixture app) : IClassFixture<TwoBranchFixture>
{
    private const string Anonymous = "anonymous";
    private static readonly string[] Everyone = [Roles.Admin, Roles.Manager, Roles.Planner, Roles.Staff, Roles.Crew];
    private static readonly string[] NetworkReaders = [Roles.Admin, Roles.Manager, Roles.Planner, Roles.Crew];
    private static readonly string[] PlanningReaders = [Roles.Admin, Roles.Manager, Roles.Planner];
    private static readonly string[] PlanningWriters = [Roles.Admin, Roles.Planner];
    // Campaign writes (campaign.record): admin, planners (branch-scoped) and staff (only in their cells, checked per compound:
    // compound 999999 does not exist, so a permitted role gets 404 before any cell check).
    private static readonly string[] CampaignRecorders = [Roles.Admin, Roles.Planner, Roles.Staff];

    private sealed record Route(string Group, string Method, string Path, object? Body, string[] Allowed);

    private static readonly Route[] Routes =
    [
        new("health", "GET", "/api/health", null, [.. Everyone, Anonymous]),
        new("auth", "POST", "/api/auth/token", new { username = "x", password = "y" }, [.. Everyone, Anonymous]),
        new("auth", "GET", "/api/auth/me", null, Everyone),
        new("map", "GET", "/api/config", null, Everyone),
        new("map", "GET", "/api/layers", null, Everyone),
        new("map", "GET", "/api/layers/compounds/features?limit=1", null, Everyone),
        new("map", "GET", "/api/compounds/1", null, Everyone),
        new("map", "GET", "/api/compounds?q=文化", null, Everyone),
        new("map", "GET", "/api/pipes/10", null, Everyone),
        new("map", "GET", "/api/stats/retrofit", null, Everyone),
        new("map", "GET", "/api/stats/progress?by=district&include=disputes,behind,timeline", null, Everyone),
        new("map", "GET", "/api/stats/progress/timeline?by=branch", null, Everyone),
        new("map", "GET", "/api/stats/outcomes?level=branch", null, Everyone),
        new("campaign", "GET", "/api/compounds/1/households", null, Everyone),
        new("campaign", "GET", "/api/compounds/1/campaign", null, Everyone),
        new("campaign", "POST", "/api/compounds/999999/visits", new { outcome = "publicity" }, CampaignRecorders),
        new("campaign", "POST", "/api/compounds/999999/visits/1/photos", null, CampaignRecorders),
        new("campaign", "POST", "/api/compounds/999999/households/1/bypass", new { bypass = true }, CampaignRecorders),
        new("campaign", "POST", "/api/compounds/999999/stage", new { stage = "publicity" }, CampaignRecorders),
        new("campaign", "PUT", "/api/compounds/999999/checklist/design", new { evidence = "x" }, CampaignRecorders),
        new("campaign", "POST", "/api/compounds/999999/acceptance", new { passed = true }, CampaignRecorders),
        new("campaign", "POST", "/api/compounds/999999/disputes", new { summary = "x" }, CampaignRecorders),
        new("campaign", "POST", "/api/compounds/999999/disputes/1", new { status = "in_progress" }, CampaignRecorders),
        new("campaign", "PUT", "/api/compounds/999999/fee", new { status = "paid" }, CampaignRecorders),
        new("campaign", "POST", "/api/compounds/999999/follow-ups", new { notes = "x" }, CampaignRecorders),
        new("tiles", "GET", "/tiles/compounds.json", null, Everyone),
        new("tiles", "GET", "/tiles/compounds/12/3341/1634.mvt", null, Everyone),
        new("tiles", "GET", "/tiles/progress_districts/8/208/102.mvt", null, Everyone),
        new("ogc", "GET", "/ogc/collections", null, Everyone),
        new("ogc", "GET", "/ogc", null, Everyone),
        new("ogc", "GET", "/ogc/conformance", null, Everyone),
        new("ogc", "GET", "/ogc/collections/compounds", null, Everyone),
        new("ogc", "GET", "/ogc/collections/compounds/items?limit=1", null, Everyone),
        new("ogc", "GET", "/ogc/collections/compounds/items/1", null, Everyone),
        new("ogc", "GET", "/ogc/collections/pipes", null, NetworkReaders),
        new("ogc", "GET", "/ogc/collections/pipes/items?limit=1", null, NetworkReaders),
        new("ogc", "GET", "/ogc/collections/valves/items/100", null, NetworkReaders),
        new("history", "GET", "/api/history?entity=compound&id=1", null, Everyone),
        new("staff", "GET", "/api/staff/work", null, Everyone),
        new("reports", "GET", "/api/reports/coverage.pdf?area=district:410105", null, PlanningReaders),
        new("reports", "GET", "/api/reports/coverage.png?area=district:410105", null, PlanningReaders),
        new("reports", "GET", "/api/reports/noticeboard/999999.pdf", null, PlanningReaders),
        new("reports", "GET", "/api/reports/progress.xlsx?by=district", null, PlanningReaders),
        new("network", "GET", "/api/network/status", null, NetworkReaders),
        new("network", "GET", "/api/network/nearest?lon=113.65&lat=34.75", null, NetworkReaders),
        new("network", "GET", "/api/network/isolate?pipe=10", null, NetworkReaders),
        new("network", "GET", "/api/network/topology?bbox=113.60,34.70,113.62,34.72", null, NetworkReaders),
        new("network", "GET", "/api/network/topology/summary?bbox=113.60,34.70,113.62,34.72", null, NetworkReaders),
        new("network", "GET", "/api/network/valves/100/reports", null, NetworkReaders),
        new("network", "POST", "/api/network/valves/999999/reports", new { condition = "seized" }, [Roles.Admin, Roles.Crew]),
        new("network", "GET", "/api/network/valves/100/reports/1/photo", null, NetworkReaders),
        new("network", "POST", "/api/network/valves/999999/reports/1/photo", null, [Roles.Admin, Roles.Crew]),
        new("network", "GET", "/api/network/pipes/10/reports", null, NetworkReaders),
        new("network", "POST", "/api/network/pipes/999999/reports", new { kind = "depth", depthM = 1.0 }, [Roles.Admin, Roles.Crew]),
        new("network", "GET", "/api/network/pipes/10/reports/1/photo", null, NetworkReaders),
        new("network", "POST", "/api/network/pipes/999999/reports/1/photo", null, [Roles.Admin, Roles.Crew]),
        new("network", "GET", "/api/network/reviews", null, [Roles.Admin, Roles.Planner]),
        new("network", "POST", "/api/network/reviews/999999", new { outcome = "accepted" }, [Roles.Admin, Roles.Planner]),
        new("network", "POST", "/api/network/connections", new { kind = "compound", id = 999999, pipe = 10 }, [Roles.Admin, Roles.Planner]),
        new("planning", "GET", "/api/planning/areas?kind=district", null, PlanningReaders),
        new("planning", "GET", "/api/planning/plans", null, PlanningReaders),
        new("planning", "GET", "/api/planning/jobs/000000000000", null, PlanningReaders),
        new("planning", "GET", "/api/planning/versions?area=district:410105", null, PlanningReaders),
        new("planning", "GET", "/api/planning/versions/1?area=district:410105", null, PlanningReaders),
        new("planning", "GET", "/api/planning/plans/999999/staff/travel", null, PlanningReaders),
        new("planning", "GET", "/api/planning/plans/999999/compounds/1/moves", null, PlanningReaders),
        new("planning", "POST", "/api/planning/partitions", new { }, PlanningWriters),
        new("planning", "POST", "/api/planning/plans/999999/moves", new { compoundId = 1, toCell = 1 }, PlanningWriters),
        new("planning", "PUT", "/api/planning/plans/999999/cells/0/lock", new { locked = true }, PlanningWriters),
        new("planning", "POST", "/api/planning/plans/999999/publish", null, PlanningWriters),
        new("planning", "POST", "/api/planning/plans/999999/restore", null, PlanningWriters),
        new("planning", "PUT", "/api/planning/plans/999999/cells/0/staff", new { staffId = 1 }, PlanningWriters),
        new("planning", "DELETE", "/api/planning/plans/999999/cells/0/staff", null, PlanningWriters),
        new("planning", "POST", "/api/planning/plans/999999/staff/auto", null, PlanningWriters),
        new("planning", "DELETE", "/api/planning/jobs/000000000000", null, PlanningWriters),
    ];

    private async Task<HttpClient> ClientFor(string role) => role == Anonymous ? app.AnonymousClient()
        : await app.ClientAs(role, role is Roles.Admin or Roles.Manager ? null : 1);

    [PostgisFact]
    public async Task EveryRouteGroup_AllowsAndRefusesEachRole_AsTheTableSays()
    {
        var wrong = new List<string>();
        foreach (var role in Everyone.Append(Anonymous))
        {
            using var client = await ClientFor(role);
            foreach (var r in Routes)
            {
                using var req = new HttpRequestMessage(new HttpMethod(r.Method), r.Path) { Content = r.Body is null ? null : JsonContent.Create(r.Body) };
                var res = await client.SendAsync(req);
                var text = await res.Content.ReadAsStringAsync();
                var rule = res.Content.Headers.ContentType?.MediaType == "application/problem+json"
                    ? JsonDocument.Parse(text).RootElement.TryGetProperty("rule", out var x) ? x.GetString() : null : null;
                var refused = (res.StatusCode, rule) switch
                {
                    (HttpStatusCode.Unauthorized, AccessDenied.Unauthenticated) => "401",
                    (HttpStatusCode.Forbidden, AccessDenied.Forbidden) => "403",
                    (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, _) when r.Group != "auth" => $"{(int)res.StatusCode} with rule {rule}",
                    _ => null,
                };
                var expected = r.Allowed.Contains(role);
                var expectedRefusal = role == Anonymous ? "401" : "403";
                if (expected && refused is not null) wrong.Add($"{role} {r.Method} {r.Path}: expected allowed, got {refused}: {text}");
                if (!expected && refused != expectedRefusal) wrong.Add($"{role} {r.Method} {r.Path}: expected {expectedRefusal}, got {(int)res.StatusCode} {rule}");
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [PostgisFact]
    public async Task Forbidden_SaysWhichPermissionIsMissing()
    {
        using var crew = await app.ClientAs(Roles.Crew, 1);
        var res = await crew.PostAsJsonAsync("/api/planning/partitions", new { area = new { kind = "district", code = "410105" }, cells = 2 });
        Assert.Equal(HttpStatusCode.Forbidden, res.StatusCode);
        var body = await res.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(AccessDenied.Forbidden, body.GetProperty("rule").GetString());
        Assert.Contains(Permissions.PlanningWrite, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}

/// <summary>
/// Branch scoping, decided in the write pipeline from the branch of the target (<see cref="BranchResolver"/>): a planner of
/// one branch may write that branch's areas and plans and is refused (403 other-branch, nothing written, nothing audited) in
/// another's; the company-wide admin may write both; a drawn area across two branches needs a company-wide planner.
/// </summary>
public sealed class BranchScopeTests(TwoBranchFixture app) : IClassFixture<TwoBranchFixture>
{
    private static readonly Caller PlannerEast = new("planner-b1", Roles.Planner, 1);
    private static readonly Caller PlannerWest = new("planner-b2", Roles.Planner, 2);
    private static readonly Caller Admin = new(AppFixture.AdminName, Roles.Admin, null);

    private async Task<long> AuditCountAsync()
    {
        await using var cmd = app.Db.DataSource.CreateCommand("SELECT count(*) FROM audit_log WHERE action = 'test.partition'");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>A planning-shaped write of <paramref name="area"/> as <paramref name="caller"/>, through the real pipeline.</summary>
    private async Task WriteAreaAsync(Caller caller, PlanArea area)
    {
        var writes = app.Factory.Services.GetRequiredService<WritePipeline>();
        var branches = app.Factory.Services.GetRequiredService<BranchResolver>();
        using (CallerScope.RunAs(caller))
            await writes.RunAsync(new WriteSpec("test.partition", area.Key)
            {
                Permission = Permissions.PlanningWrite,
                Branch = await branches.OfAreaAsync(area),
            }, s => s.ExecuteAsync("SELECT 1", CancellationToken.None));
    }

    [PostgisFact]
    public async Task Planner_WritesOwnBranch_IsRefusedInTheOther_BothWays()
    {
        var east = new PlanArea("district", "410105");
        var west = new PlanArea("street", "410102001");
        var before = await AuditCountAsync();
        await WriteAreaAsync(PlannerEast, east);
        await WriteAreaAsync(PlannerWest, west);
        Assert.Equal(before + 2, await AuditCountAsync());

        var e1 = await Assert.ThrowsAsync<AccessDenied>(() => WriteAreaAsync(PlannerEast, west));
        var e2 = await Assert.ThrowsAsync<AccessDenied>(() => WriteAreaAsync(PlannerWest, east));
        Assert.Equal(AccessDenied.OtherBranch, e1.Code);
        Assert.Equal(AccessDenied.OtherBranch, e2.Code);
        Assert.Equal(before + 2, await AuditCountAsync());
    }

    [PostgisFact]
    public async Task CompanyWideAdmin_WritesEveryBranch_AndCrewNone()
    {
        await WriteAreaAsync(Admin, new PlanArea("district", "410105"));
        await WriteAreaAsync(Admin, new PlanArea("district", "410102"));
        var crew = await Assert.ThrowsAsync<AccessDenied>(() => WriteAreaAsync(new Caller("crew-b1", Roles.Crew, 1), new PlanArea("district", "410105")));
        Assert.Equal(AccessDenied.Forbidden, crew.Code);
        var manager = await Assert.ThrowsAsync<AccessDenied>(() => WriteAreaAsync(new Caller("manager-all", Roles.Manager, null), new PlanArea("district", "410105")));
        Assert.Equal(AccessDenied.Forbidden, manager.Code);
    }

    [PostgisFact]
    public async Task DrawnAreaAcrossTwoBranches_NeedsACompanyWidePlanner()
    {
        var across = new GeometryFactory(new PrecisionModel(), 4326).CreatePolygon(
            [new(113.55, 34.74), new(113.66, 34.74), new(113.66, 34.76), new(113.55, 34.76), new(113.55, 34.74)]);
        var area = new PlanArea("polygon", null, across);
        Assert.Equal(new[] { 1, 2 }, (await app.Factory.Services.GetRequiredService<BranchResolver>().OfAreaAsync(area)).Branches);
        Assert.Equal(AccessDenied.OtherBranch, (await Assert.ThrowsAsync<AccessDenied>(() => WriteAreaAsync(PlannerEast, area))).Code);
        await WriteAreaAsync(new Caller("planner-all", Roles.Planner, null), area);
    }

    [PostgisFact]
    public async Task UnknownTarget_IsNotFound_NotForbidden()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() => WriteAreaAsync(PlannerEast, new PlanArea("district", "419999")));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => app.Factory.Services.GetRequiredService<BranchResolver>().OfPlanAsync(987654));
    }

    [PostgisFact]
    public async Task Http_PlannerOfOtherBranch_EditingOrPublishingAPlan_Is403_OwnBranchAndAdminPass()
    {
        var plan = await app.EastPlanIdAsync();
        using var west = await app.ClientAs(Roles.Planner, 2);
        using var east = await app.ClientAs(Roles.Planner, 1);
        var requests = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Post, $"/api/planning/plans/{plan}/publish", null),
            (HttpMethod.Put, $"/api/planning/plans/{plan}/cells/0/lock", new { locked = true }),
            (HttpMethod.Post, $"/api/planning/plans/{plan}/moves", new { compoundId = 1, toCell = 1 }),
        };
        foreach (var (method, path, body) in requests)
        {
            var refused = await west.SendAsync(new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) });
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} by the west planner: {refused.StatusCode}");
            Assert.Equal(AccessDenied.OtherBranch, (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rule").GetString());
            foreach (var allowed in new[] { east, app.Client })
            {
                var res = await allowed.SendAsync(new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) });
                Assert.True(res.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized), $"{method} {path}: {res.StatusCode}");
            }
        }
    }

    private sealed class ProbeHandler : IJobHandler
    {
        public string Kind => "probe";
        public Caller? Seen { get; private set; }

        public Task<string?> RunAsync(JobRun run, CancellationToken ct)
        {
            Seen = CallerScope.Ambient;
            return Task.FromResult<string?>(null);
        }
    }

    [PostgisFact]
    public async Task BackgroundJob_RunsAsTheUserWhoQueuedIt()
    {
        await app.CreateUserAsync("job-planner", Roles.Planner, 2);
        await app.CreateUserAsync("job-gone", Roles.Planner, 1);
        await app.Factory.Services.GetRequiredService<UserAccounts>().DisableAsync("job-gone");
        var probe = new ProbeHandler();
        await using var sp = new ServiceCollection()
            .AddSingleton(app.Factory.Services.GetRequiredService<NpgsqlDataSource>())
            .AddSingleton<IJobHandler>(probe)
            .AddAuthUseCases()
            .BuildServiceProvider();
        var handler = sp.GetServices<IJobHandler>().Single();
        async Task<Caller?> RunAs(string createdBy)
        {
            await handler.RunAsync(new JobRun("0123456789ab", "{}", createdBy, 1, new Progress<JobProgress>()), CancellationToken.None);
            return probe.Seen;
        }
        Assert.Equal(new Caller("job-planner", Roles.Planner, 2), await RunAs("job-planner"));
        Assert.Equal(Caller.Anonymous, await RunAs("job-gone"));
        Assert.Equal(Caller.System, await RunAs("system"));
        Assert.Null(CallerScope.Ambient);
    }

    [PostgisFact]
    public async Task Http_PlannerOfOtherBranch_PartitionIs403_OwnBranchIs202()
    {
        using var west = await app.ClientAs(Roles.Planner, 2);
        using var east = await app.ClientAs(Roles.Planner, 1);
        var body = new { area = new { kind = "district", code = "410105" }, cells = 1, barriers = false };
        var refused = await west.PostAsJsonAsync("/api/planning/partitions", body);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(AccessDenied.OtherBranch, (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rule").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await east.PostAsJsonAsync("/api/planning/partitions", body)).StatusCode);
        var westBody = new { area = new { kind = "district", code = "410102" }, cells = 1, barriers = false };
        Assert.Equal(HttpStatusCode.Forbidden, (await east.PostAsJsonAsync("/api/planning/partitions", westBody)).StatusCode);
    }
}
