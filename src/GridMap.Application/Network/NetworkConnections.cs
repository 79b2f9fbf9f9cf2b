using System.Globalization;
using System.Text.Json.Serialization;
using GridMap.Application.Audit;
using GridMap.Application.Auth;
using GridMap.Application.Pipeline;
using GridMap.Domain.Rules;
using GridMap.Storage.Network;

namespace GridMap.Application.Network;

/// <summary>An engineer's confirmation of a connection (<c>POST /api/network/connections</c>), typically of a
/// <c>connection_inferred</c> finding: <c>{"kind": "compound", "id": 17, "pipe": 123}</c>.</summary>
/// <param name="Kind">compound | station | heat_source.</param>
/// <param name="Id">The compound's, station's or heat source's id.</param>
/// <param name="Pipe">The pipe whose end joins it.</param>
/// <param name="End">start | end of the pipe; omitted: the end nearest the compound's footprint or the point.</param>
public sealed record ConnectionRequest(
    [property: JsonPropertyName("kind")] string? Kind,
    [property: JsonPropertyName("id")] int? Id,
    [property: JsonPropertyName("pipe")] long? Pipe,
    [property: JsonPropertyName("end")] string? End);

/// <summary>An explicit connection as stored.</summary>
public sealed record NetworkConnection(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("target")] int Target,
    [property: JsonPropertyName("pipe")] long Pipe,
    [property: JsonPropertyName("end")] string End,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("created_by")] string CreatedBy);

/// <summary>
/// Explicit connections: an engineer (<see cref="Permissions.NetworkReview"/>, in the branch of the pipe and the target)
/// confirms a connection the network load inferred by distance, or names one the data lacks. The row is added (source
/// <c>confirmed</c>) and audited on the compound, station or heat source; the next graph uses it and the finding goes.
/// </summary>
public sealed class NetworkConnections(ConnectionStore store, WritePipeline writes)
{
    public static IReadOnlyList<string> Kinds { get; } = ["compound", "station", "heat_source"];

    /// <summary>The rule code when the same connection exists already (422).</summary>
    public const string ExistsRule = "connection-exists";

    /// <exception cref="ArgumentException">A bad kind, id, pipe or end (400).</exception>
    /// <exception cref="KeyNotFoundException">No such compound/station/heat source or pipe (404).</exception>
    public async Task<NetworkConnection> ConfirmAsync(ConnectionRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var kind = request.Kind?.Trim() ?? "";
        if (!Kinds.Contains(kind)) throw new ArgumentException($"kind 必须是 compound / station / heat_source 之一 (kind must be compound, station or heat_source; got '{request.Kind}').");
        var id = request.Id ?? throw new ArgumentException("id 必须给出：小区、换热站或热源的编号 (id, of the compound, station or heat source, is required).");
        var pipe = request.Pipe ?? throw new ArgumentException("pipe 必须给出：连接的管道编号 (pipe, the id of the connected pipe, is required).");
        var end = request.End?.Trim();
        if (end is not (null or "start" or "end")) throw new ArgumentException($"end 必须是 start 或 end (end must be start or end; got '{request.End}').");
        var branches = await store.BranchesAsync(kind, id, pipe, ct) ?? throw new KeyNotFoundException($"没有编号为 {id} 的 {kind} (no {kind} {id}).");
        var spec = new WriteSpec("network.confirm-connection", $"{kind}:{id}")
        {
            Permission = Permissions.NetworkReview,
            Branch = branches.Count > 0 ? BranchScope.Of(branches) : BranchScope.CompanyWide,
        };
        return await writes.RunAsync(spec, async s =>
        {
            var row = await ConnectionStore.AddAsync(s, kind, id, pipe, end, "confirmed", writes.Caller.Name, ct);
            if (row is not { } r)
            {
                // Nothing inserted: the pipe is missing (404) or the connection exists already (422).
                await using var check = s.Command("SELECT 1 FROM pipe WHERE id = @pipe");
                check.Parameters.AddWithValue("pipe", pipe);
                if (await check.ExecuteScalarAsync(ct) is null) throw new KeyNotFoundException($"没有编号为 {pipe} 的管道 (no pipe {pipe}).");
                throw new RuleViolation(ExistsRule, $"{kind} {id} 与管道 {pipe} 的连接已存在 (the connection of {kind} {id} to pipe {pipe} exists already).");
            }
            s.Changed(kind, id.ToString(CultureInfo.InvariantCulture), null, new { connection = r.Id, pipe, end = r.End, source = "confirmed" });
            return new NetworkConnection(r.Id, kind, id, pipe, r.End, "confirmed", writes.Caller.Name);
        }, ct);
    }
}
