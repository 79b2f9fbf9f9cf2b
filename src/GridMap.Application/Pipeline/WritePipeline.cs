using System.Diagnostics;
using GridMap.Domain.Rules;
using GridMap.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GridMap.Application.Pipeline;

/// <summary>What a write is: the use case's name (<c>planning.move-compound</c>), the resource it changes
/// (<c>plan:42</c>) for logs and the audit trail.</summary>
public sealed record WriteSpec(string UseCase, string Target);

/// <summary>
/// The one place every write of every use case goes through (the shape of eShop's Ordering behaviours, without a
/// mediator): who is calling, one transaction around the whole use case (committed only when it succeeded, so a
/// refused or failed write leaves nothing behind), and a log line per outcome. Authorization, the audit trail and
/// optimistic-concurrency checks belong here too (the trust issue adds them): a use case never opens its own
/// transaction for a write.
/// </summary>
public sealed class WritePipeline(NpgsqlDataSource db, ICallerAccessor callers, ILogger<WritePipeline> log)
{
    /// <summary>The caller the current use case runs for.</summary>
    public Caller Caller => callers.Current;

    /// <summary>Runs <paramref name="body"/> in one transaction and commits it when it returns.</summary>
    public async Task<T> RunAsync<T>(WriteSpec spec, Func<DbSession, Task<T>> body, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(body);
        var who = callers.Current;
        var sw = Stopwatch.StartNew();
        await using var session = await DbSession.BeginAsync(db, ct);
        try
        {
            var result = await body(session);
            await session.CommitAsync(ct);
            log.LogInformation("{UseCase} on {Target} by {Caller} ({Role}) done in {Ms} ms", spec.UseCase, spec.Target, who.Name, who.Role, sw.ElapsedMilliseconds);
            return result;
        }
        catch (RuleViolation r)
        {
            log.LogInformation("{UseCase} on {Target} by {Caller} refused: {Rule}", spec.UseCase, spec.Target, who.Name, r.Code);
            throw;
        }
    }

    /// <summary>A write with no result.</summary>
    public Task RunAsync(WriteSpec spec, Func<DbSession, Task> body, CancellationToken ct = default) =>
        RunAsync(spec, async s => { await body(s); return true; }, ct);
}
