using System.Globalization;
using GridMap.Application.Audit;
using GridMap.Domain.IO;
using GridMap.Storage;
using GridMap.Storage.Network;

namespace GridMap.Application.Import;

/// <summary>
/// Explicit connections from the utility's pipe data (<c>gridmap import … --into pipes</c>): a pipe feature may say what
/// it joins with the attributes <c>connects_compound</c> (a compound id: a service pipe), <c>connects_station</c> (a
/// station id: the station's primary side for a primary pipe, its secondary side otherwise) or <c>connects_heat_source</c>
/// (a heat source id: its feeder), and <c>connects_end</c> (<c>start</c> | <c>end</c>; default: the end nearest the
/// compound's footprint, the station's or the heat source's point). Written in the import's transaction (source
/// <c>import</c>); a connection naming nothing stored fails the whole import, so nothing is half-written.
/// </summary>
public static class ImportConnections
{
    public static readonly (string Attribute, string Kind)[] Attributes =
        [("connects_compound", "compound"), ("connects_station", "station"), ("connects_heat_source", "heat_source")];

    public static async Task<int> WriteAsync(DbSession session, FeatureSet set, IReadOnlyList<ImportItemOutcome> pipes, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(pipes);
        var written = 0;
        foreach (var item in pipes)
        {
            var props = set.Features[item.Index].Properties;
            var end = Text(props, "connects_end");
            if (end is not (null or "start" or "end"))
                throw new ArgumentException($"feature #{item.Index}: connects_end '{end}' must be start or end.");
            foreach (var (attribute, kind) in Attributes)
            {
                if (Text(props, attribute) is not { } text) continue;
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var target) || target <= 0)
                    throw new ArgumentException($"feature #{item.Index}: {attribute} '{text}' is not a positive integer id.");
                var row = await ConnectionStore.AddAsync(session, kind, target, item.Id, end, "import", by, ct);
                if (row is { } r)
                {
                    written++;
                    session.Changed(kind, target, null, new { connection = r.Id, pipe = item.Id, end = r.End, source = "import" });
                }
                else
                {
                    await using var check = session.Command(kind switch
                    {
                        "compound" => "SELECT 1 FROM compound WHERE id = @id",
                        "station" => "SELECT 1 FROM station WHERE id = @id",
                        _ => "SELECT 1 FROM heat_source WHERE id = @id",
                    });
                    check.Parameters.AddWithValue("id", target);
                    if (await check.ExecuteScalarAsync(ct) is null)
                        throw new InvalidOperationException($"导入未写入：要素 #{item.Index} 的 {attribute} = {target} 不存在 (nothing was written: feature #{item.Index} names {kind} {target}, which is not stored).");
                }
            }
        }
        return written;
    }

    private static string? Text(IReadOnlyDictionary<string, object?> props, string name) =>
        props.TryGetValue(name, out var v) && v is not null && Convert.ToString(v, CultureInfo.InvariantCulture)?.Trim() is { Length: > 0 } t ? t : null;
}
