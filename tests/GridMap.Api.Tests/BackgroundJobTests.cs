using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Application.Jobs;
using GridMap.Tests.Shared;
using GridMap.Tests.Shared.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace GridMap.Api.Tests;

/// <summary>
/// Planning jobs are rows in PostgreSQL: an instance that stops puts its job back, the next one finishes it; two
/// instances over one database share the queue; a job whose worker died is picked up again.
/// </summary>
public sealed class BackgroundJobTests : IAsyncLifetime
{
    private TestDatabase? _db;

    public async Task InitializeAsync()
    {
        if (TestDatabase.Configured || TestDatabase.OnCi) _db = await DemoDatabase.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        if (_db is not null) await _db.DisposeAsync();
    }

    private WebApplicationFactory<Program> Instance(string name) => new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
        .UseSetting("ConnectionStrings:GridMap", _db!.ConnectionString)
        .ConfigureTestServices(s => s.AddSingleton(new JobWorkerOptions
        {
            Name = name, PollInterval = TimeSpan.FromMilliseconds(200), StaleAfter = TimeSpan.FromSeconds(3),
        })));

    /// <summary>A client of <paramref name="app"/> signed in as an admin (the same user for every instance over the database).</summary>
    private static async Task<HttpClient> SignedInAsync(WebApplicationFactory<Program> app) =>
        await app.CreateClient().SignInAsync(app.Services, "jobs-admin");

    /// <summary>A district-wide partition: long enough (seconds) to be caught running.</summary>
    private static object DistrictJob(double timeLimit) =>
        new { area = new { kind = "district", code = "410105" }, cells = 60, tolerance = 0.5, barriers = false, timeLimit };

    private static async Task<string> StartAsync(HttpClient client, object body)
    {
        var res = await client.PostAsJsonAsync("/api/planning/partitions", body);
        Assert.Equal(HttpStatusCode.Accepted, res.StatusCode);
        return (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<(string Status, string? Worker, int Attempts)> RowAsync(string id)
    {
        await using var cmd = _db!.DataSource.CreateCommand("SELECT status, worker, attempts FROM background_job WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync(), $"job {id} has no row");
        return (r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetInt32(2));
    }

    private async Task<(string Status, string? Worker, int Attempts)> WaitAsync(string id, Func<string, bool> until, TimeSpan timeout)
    {
        var end = DateTime.UtcNow + timeout;
        while (true)
        {
            var row = await RowAsync(id);
            if (until(row.Status) || DateTime.UtcNow > end) return row;
            await Task.Delay(100);
        }
    }

    private static bool Final(string s) => s is "succeeded" or "failed" or "cancelled";

    [PostgisFact]
    public async Task Restart_PutsTheRunningJobBack_AndTheNextInstanceFinishesIt()
    {
        string id;
        await using (var first = Instance("first"))
        {
            id = await StartAsync(await SignedInAsync(first), DistrictJob(timeLimit: 3));
            Assert.Equal("running", (await WaitAsync(id, s => s != "queued", TimeSpan.FromSeconds(20))).Status);
        } // the host stops: its worker releases the job
        var released = await RowAsync(id);
        Assert.Equal("queued", released.Status);
        Assert.Null(released.Worker);

        await using var second = Instance("second");
        _ = second.Server; // start the host (and its worker) without a request
        var done = await WaitAsync(id, Final, TimeSpan.FromSeconds(90));
        Assert.Equal("succeeded", done.Status);
        Assert.Equal("second", done.Worker);
        Assert.Equal(2, done.Attempts);
        var state = await (await SignedInAsync(second)).GetFromJsonAsync<JsonElement>($"/api/planning/jobs/{id}");
        Assert.True(state.GetProperty("planId").GetInt64() > 0);
    }

    [PostgisFact]
    public async Task TwoInstances_ShareOneQueue()
    {
        await using var a = Instance("a");
        await using var b = Instance("b");
        _ = b.Server;
        var client = await SignedInAsync(a);
        var job = new { area = new { kind = "district", code = "410105" }, cells = 20, tolerance = 0.5, barriers = false, timeLimit = 3 };
        var ids = new[] { await StartAsync(client, job), await StartAsync(client, job) };
        var rows = new List<(string Status, string? Worker, int Attempts)>();
        foreach (var id in ids) rows.Add(await WaitAsync(id, Final, TimeSpan.FromSeconds(120)));
        // Both ran to the engine's answer (sharing two cores, a run may end without a plan in its time limit: that is
        // a planning answer with its rule code, not a lost or crashed job).
        foreach (var id in ids) Assert.Contains(await ErrorRuleAsync(id), new string?[] { null, "window-infeasible" });
        Assert.All(rows, r => Assert.Equal(1, r.Attempts));
        // One worker runs one job at a time, so while a holds the first job b takes the second.
        Assert.Equal(["a", "b"], rows.Select(r => r.Worker!).Order().ToArray());
    }

    [PostgisFact]
    public async Task JobOfADeadWorker_IsRequeuedAndRun()
    {
        // A job left 'running' by a process that died an hour ago (no heartbeat since).
        var street = await FirstStreetAsync();
        await using (var cmd = _db!.DataSource.CreateCommand("""
            INSERT INTO background_job (id, kind, payload, label, status, stage, created_by, started_at, heartbeat_at, worker, attempts)
            VALUES ('0123456789ab', 'partition', @payload::jsonb, 'test', 'running', 'search', 'test', now() - interval '1 hour', now() - interval '1 hour', 'dead', 1)
            """))
        {
            cmd.Parameters.AddWithValue("payload", JsonSerializer.Serialize(new
            {
                kind = "street", code = street, cells = 2, tolerance = 0.5, barriers = false, nest = false, seed = 1, timeLimitSeconds = 5, objective = "compact",
            }));
            await cmd.ExecuteNonQueryAsync();
        }
        await using var app = Instance("rescuer");
        _ = app.Server;
        var done = await WaitAsync("0123456789ab", Final, TimeSpan.FromSeconds(60));
        Assert.Equal("succeeded", done.Status);
        Assert.Equal("rescuer", done.Worker);
        Assert.Equal(2, done.Attempts);
    }

    private async Task<string?> ErrorRuleAsync(string id)
    {
        await using var cmd = _db!.DataSource.CreateCommand("SELECT error_rule FROM background_job WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteScalarAsync() as string;
    }

    private async Task<string> FirstStreetAsync()
    {
        await using var cmd = _db!.DataSource.CreateCommand("""
            SELECT street_code FROM compound WHERE street_code IS NOT NULL GROUP BY street_code HAVING count(*) BETWEEN 6 AND 20 ORDER BY street_code LIMIT 1
            """);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }
}
