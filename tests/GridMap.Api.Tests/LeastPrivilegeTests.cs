using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Application.Audit;
using GridMap.Application.Auth;
using GridMap.Storage;
using GridMap.Tests.Shared;
using Npgsql;

namespace GridMap.Api.Tests;

/// <summary>
/// The app connects as a least-privilege role (migration 0014): no superuser, owns nothing, cannot create objects,
/// may read and append the audit log but never change it — and with only that, the whole app works (every test of this
/// project runs its app as <see cref="AppFixture.AppLogin"/>; this class checks the role itself and a tour of the API).
/// </summary>
public sealed class LeastPrivilegeTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private async Task<T> AsApp<T>(string sql)
    {
        await using var conn = new NpgsqlConnection(app.AppConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<PostgresException> RefusedAsApp(string sql)
    {
        await using var conn = new NpgsqlConnection(app.AppConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
    }

    [PostgisFact]
    public async Task AppRole_IsNoSuperuser_OwnsNothing_AndIsAMemberOfGridmapApp()
    {
        Assert.Equal(AppFixture.AppLogin, await AsApp<string>("SELECT current_user::text"));
        Assert.False(await AsApp<bool>("SELECT rolsuper OR rolcreatedb OR rolcreaterole OR rolbypassrls FROM pg_roles WHERE rolname = current_user"));
        Assert.Equal(0L, await AsApp<long>("""
            SELECT (SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user))
                 + (SELECT count(*) FROM pg_proc WHERE proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user))
                 + (SELECT count(*) FROM pg_namespace WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user))
                 + (SELECT count(*) FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles WHERE rolname = current_user))
            """));
        Assert.True(await AsApp<bool>($"SELECT pg_has_role(current_user, '{GridMapDatabase.AppRole}', 'USAGE')"));
    }

    [PostgisFact]
    public async Task AppRole_CannotUpdateDeleteOrTruncateTheAuditLog_ButReadsAndAppends()
    {
        // Privileges, not only the append-only trigger (which the owner could drop): the role itself lacks them.
        Assert.False(await AsApp<bool>("SELECT has_table_privilege('audit_log', 'UPDATE') OR has_table_privilege('audit_log', 'DELETE') OR has_table_privilege('audit_log', 'TRUNCATE')"));
        Assert.True(await AsApp<bool>("SELECT has_table_privilege('audit_log', 'SELECT') AND has_table_privilege('audit_log', 'INSERT')"));
        foreach (var sql in new[] { "UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log" })
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await RefusedAsApp(sql)).SqlState);
        // The migration record is the owner's.
        Assert.False(await AsApp<bool>("SELECT has_table_privilege('schema_migration', 'INSERT') OR has_table_privilege('schema_migration', 'DELETE')"));
    }

    [PostgisFact]
    public async Task AppRole_CannotCreateOrAlterAnythingInPublic()
    {
        Assert.False(await AsApp<bool>("SELECT has_schema_privilege('public', 'CREATE')"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await RefusedAsApp("CREATE TABLE public.gm_intruder (id int)")).SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await RefusedAsApp("CREATE VIEW public.gm_intruder AS SELECT 1")).SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await RefusedAsApp("ALTER TABLE compound ADD COLUMN gm_x int")).SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await RefusedAsApp("DROP TABLE plan_compound")).SqlState);
    }

    [PostgisFact]
    public async Task TablesOfLaterMigrations_AreCoveredByDefaultPrivileges()
    {
        // A table the owner creates after 0014 (as a later migration would) is readable and writable by the app at once.
        await using (var cmd = app.Db.DataSource.CreateCommand("CREATE TABLE gm_later_migration (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text)"))
            await cmd.ExecuteNonQueryAsync();
        Assert.Equal(1, await AsApp<int>("INSERT INTO gm_later_migration (v) VALUES ('a') RETURNING id"));
        Assert.Equal(1L, await AsApp<long>("WITH d AS (DELETE FROM gm_later_migration RETURNING 1) SELECT count(*) FROM d"));
    }

    [PostgisFact]
    public async Task TheWholeApp_WorksAsTheAppRole_SignInReadsTilesAndAnAuditedWrite()
    {
        await app.CreateUserAsync("lp-planner", Roles.Planner, 1);
        using var anon = app.AnonymousClient();
        var token = await anon.PostAsJsonAsync("/api/auth/token", new { username = "lp-planner", password = AppFixture.Password });
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var wrong = await anon.PostAsJsonAsync("/api/auth/token", new { username = "lp-planner", password = "not-the-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode); // the failed attempt is counted (an UPDATE of app_user)
        using var c = app.WithToken((await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/api/layers/compounds/features?limit=10")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/tiles/compounds/14/13364/6503.mvt")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/api/compounds/1")).StatusCode);

        // A partition queued over HTTP (a background job row), and a write through the pipeline with its audit entry.
        var queued = await c.PostAsJsonAsync("/api/planning/partitions", new { area = new { kind = "district", code = "410105" }, cells = 2 });
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        Assert.True(await AsApp<long>("SELECT count(*) FROM background_job") >= 1);
        var before = await AsApp<long>("SELECT count(*) FROM audit_log WHERE action = 'campaign.rename'");
        var writes = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<GridMap.Application.Pipeline.WritePipeline>(app.Factory.Services);
        using (GridMap.Application.Pipeline.CallerScope.RunAs(new GridMap.Application.Pipeline.Caller("lp-planner", Roles.Planner, 1)))
            await writes.RunAsync(new GridMap.Application.Pipeline.WriteSpec("campaign.rename", "compound:3") { Permission = Permissions.PlanningWrite }, async s =>
            {
                await s.ExecuteAsync("UPDATE compound SET name = '城东路新区' WHERE id = 3", CancellationToken.None);
                s.Changed("compound", 3, new { name = "城东路小区" }, new { name = "城东路新区" });
            });
        Assert.Equal(before + 1, await AsApp<long>("SELECT count(*) FROM audit_log WHERE action = 'campaign.rename'"));
        Assert.Equal("城东路新区", await AsApp<string>("SELECT name FROM compound WHERE id = 3"));
    }
}
