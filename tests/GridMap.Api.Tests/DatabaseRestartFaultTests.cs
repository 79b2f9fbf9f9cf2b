using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Storage;
using GridMap.Tests.Shared;
using GridMap.Tests.Shared.Api;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace GridMap.Api.Tests;

/// <summary>
/// Fault: PostgreSQL restarted under load. The app (as the least-privilege role) runs over a PostgreSQL of this test's
/// own; writers queue partitions (each acknowledged write is a 202 with a job id, its seed unique) and readers read
/// details while the database is stopped and started again. The service answers again within 5 s of the database
/// coming back, and every acknowledged write is there exactly once (none lost, none doubled).
/// </summary>
public sealed class DatabaseRestartFaultTests(ITestOutputHelper output)
{
    [PostgisFact]
    public async Task DatabaseRestartedUnderLoad_ServiceAnswersWithin5s_NoAcknowledgedWriteLostOrDoubled()
    {
        Assert.True(ThrowawayPostgres.Available, "PostgreSQL 15 binaries missing (/usr/lib/postgresql/15/bin)");
        await using var pg = await ThrowawayPostgres.StartAsync();
        await using (var owner = GridMapDatabase.Create(pg.ConnectionString()))
        {
            await Migrator.MigrateAsync(owner);
            await using (var seed = owner.CreateCommand(ApiFixture.Seed)) await seed.ExecuteNonQueryAsync();
            await GridMapDatabase.EnsureAppLoginAsync(owner, "gridmap_fault_web", "gridmap_fault_web");
        }
        var appCs = new NpgsqlConnectionStringBuilder(pg.ConnectionString()) { Username = "gridmap_fault_web", Password = "gridmap_fault_web" }.ConnectionString;
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("ConnectionStrings:GridMap", appCs));
        using var client = await factory.CreateClient().SignInAsync(factory.Services, "fault-admin");
        client.Timeout = TimeSpan.FromSeconds(30);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/compounds/1")).StatusCode);

        var acknowledged = new ConcurrentDictionary<int, string>();
        var failedWrites = 0;
        var nextSeed = 0;
        var okReads = new ConcurrentQueue<long>();     // Stopwatch timestamps of successful reads
        var okWrites = new ConcurrentQueue<long>();
        using var stop = new CancellationTokenSource();

        async Task Writer()
        {
            while (!stop.IsCancellationRequested)
            {
                var seed = Interlocked.Increment(ref nextSeed);
                try
                {
                    using var res = await client.PostAsJsonAsync("/api/planning/partitions",
                        new { area = new { kind = "district", code = "410104" }, cells = 1, seed, timeLimit = 1 });
                    if (res.StatusCode == HttpStatusCode.Accepted)
                    {
                        acknowledged[seed] = (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
                        okWrites.Enqueue(Stopwatch.GetTimestamp());
                    }
                    else Interlocked.Increment(ref failedWrites);
                }
                catch (HttpRequestException) { Interlocked.Increment(ref failedWrites); }
                await Task.Delay(20);
            }
        }

        async Task Reader()
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var res = await client.GetAsync("/api/compounds/1");
                    if (res.StatusCode == HttpStatusCode.OK) okReads.Enqueue(Stopwatch.GetTimestamp());
                }
                catch (HttpRequestException) { }
                await Task.Delay(20);
            }
        }

        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(Writer)).Concat(Enumerable.Range(0, 4).Select(_ => Task.Run(Reader))).ToArray();
        await Task.Delay(2000);
        var beforeStop = acknowledged.Count;
        await pg.StopServerAsync("fast");
        var stoppedAt = Stopwatch.GetTimestamp();
        await Task.Delay(3000);
        // A write answered in the first half second may have committed just before the stop; later ones cannot have.
        var duringOutage = okWrites.Count(t => t > stoppedAt + Stopwatch.Frequency / 2);
        await pg.StartServerAsync();
        var upAt = Stopwatch.GetTimestamp();
        // Keep the load on until both a read and a write succeeded after the restart (at most 15 s), then 2 s more.
        var wait = Stopwatch.StartNew();
        while (wait.Elapsed < TimeSpan.FromSeconds(15) && !(okReads.Any(t => t > upAt) && okWrites.Any(t => t > upAt))) await Task.Delay(50);
        await Task.Delay(2000);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var firstRead = okReads.Where(t => t > upAt).DefaultIfEmpty(long.MaxValue).Min();
        var firstWrite = okWrites.Where(t => t > upAt).DefaultIfEmpty(long.MaxValue).Min();
        double Secs(long t) => t == long.MaxValue ? double.PositiveInfinity : (t - upAt) / (double)Stopwatch.Frequency;
        output.WriteLine($"acknowledged writes: {acknowledged.Count} ({beforeStop} before the stop, {duringOutage} while down), refused/failed: {failedWrites}");
        output.WriteLine($"first successful read {Secs(firstRead):0.000} s, first successful write {Secs(firstWrite):0.000} s after PostgreSQL accepted connections again");
        Assert.Equal(0, duringOutage);
        Assert.True(beforeStop > 0, "no write was acknowledged before the restart: the test did not load the service");
        Assert.True(failedWrites > 0, "no write failed while the database was down: the restart did not happen under load");
        Assert.InRange(Secs(firstRead), 0, 5);
        Assert.InRange(Secs(firstWrite), 0, 5);

        // Every acknowledged write exactly once; no seed (one request each) stored twice.
        await using var check = new NpgsqlConnection(pg.ConnectionString());
        await check.OpenAsync();
        var rows = new List<(string Id, int Seed)>();
        await using (var cmd = new NpgsqlCommand("SELECT id, coalesce(payload->>'seed', payload->>'Seed')::int FROM background_job WHERE kind IS NOT NULL", check))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) rows.Add((r.GetString(0), r.GetInt32(1)));
        var doubled = rows.GroupBy(x => x.Seed).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(doubled.Count == 0, "stored twice: seeds " + string.Join(",", doubled));
        var stored = rows.ToDictionary(x => x.Seed, x => x.Id);
        var lost = acknowledged.Where(a => !stored.TryGetValue(a.Key, out var id) || id != a.Value).Select(a => a.Key).ToList();
        Assert.True(lost.Count == 0, "acknowledged but not stored: seeds " + string.Join(",", lost));
        output.WriteLine($"stored jobs: {rows.Count} (acknowledged {acknowledged.Count}; the rest were answered with an error but committed, or none)");
    }
}
