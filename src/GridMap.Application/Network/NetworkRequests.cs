using System.Globalization;
using GridMap.Storage.Layers;

namespace GridMap.Application.Network;

/// <summary>A WGS84 position in degrees: longitude −180…180, latitude −90…90.</summary>
public readonly record struct LonLat
{
    public LonLat(double lon, double lat)
    {
        if (!(lon is >= -180 and <= 180 && lat is >= -90 and <= 90))
            throw new ArgumentException($"位置 {Text(lon)},{Text(lat)} 不是 WGS84 经纬度 (position {Text(lon)},{Text(lat)} is not WGS84 lon/lat).");
        (Lon, Lat) = (lon, lat);
    }

    public double Lon { get; }
    public double Lat { get; }

    /// <summary>Both or neither: a position from two optional query values.</summary>
    public static LonLat? FromOptional(double? lon, double? lat) => (lon, lat) switch
    {
        ({ } x, { } y) => new LonLat(x, y),
        (null, null) => null,
        _ => throw new ArgumentException("lon 与 lat 须同时给出或都不给 (lon and lat go together: give both or neither)."),
    };

    private static string Text(double v) => v.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The <see cref="K"/> pipes nearest a crew's position.</summary>
public sealed record NearestRequest
{
    public const int DefaultK = 5;
    public const int MaxK = 50;

    public NearestRequest(LonLat at, int k = DefaultK)
    {
        if (k is < 1 or > MaxK) throw new ArgumentException($"k 须在 1–{MaxK} 之间，现为 {k} (k must be between 1 and {MaxK}, got {k}).");
        (At, K) = (at, k);
    }

    public LonLat At { get; }
    /// <summary>How many pipes, 1–50.</summary>
    public int K { get; }
}

/// <summary>An isolation plan for <see cref="Pipe"/>, with valves that turned out broken and where the burst is.</summary>
/// <param name="Pipe">Pipe id.</param>
/// <param name="Inoperable">Valve ids treated as broken (unknown ids are refused).</param>
/// <param name="Burst">The burst position; null: the pipe's middle.</param>
/// <param name="Geometry">Add the WGS84 lines of the segment and cut-off pipes.</param>
public sealed record IsolateRequest(long Pipe, IReadOnlyList<long> Inoperable, LonLat? Burst = null, bool Geometry = false)
{
    /// <summary>Where the crew stands (WGS84): valves of a kind are then listed nearest the crew first.</summary>
    public LonLat? Crew { get; init; }

    /// <summary>"1,2, 3" → [1,2,3]; empty or null → []. Anything else is an <see cref="ArgumentException"/> naming <paramref name="name"/>.</summary>
    public static IReadOnlyList<long> ParseIds(string? text, string name)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var list = new List<long>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            list.Add(long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id
                : throw new ArgumentException($"{name}：'{part}' 不是阀门编号，应为逗号分隔的编号，如 12,34 ({name}: '{part}' is not a valve id; expected ids separated by commas, e.g. 12,34)."));
        return list;
    }
}

/// <summary>Which way a trace goes from a pipe.</summary>
public enum TraceKind
{
    /// <summary>Everything connected through open pipes and valves.</summary>
    Connected,
    /// <summary>What loses supply if the pipe is cut.</summary>
    Downstream,
    /// <summary>The path to the source or feeding station.</summary>
    Upstream,
}

/// <summary>A trace from <see cref="Pipe"/>. <see cref="CrossStations"/> null: only downstream passes through stations.</summary>
public sealed record TraceRequest(TraceKind Kind, long Pipe, bool? CrossStations = null)
{
    /// <summary>"connected" | "downstream" | "upstream" (the route segment), else an <see cref="ArgumentException"/>.</summary>
    public static TraceKind ParseKind(string kind) => kind switch
    {
        "connected" => TraceKind.Connected,
        "downstream" => TraceKind.Downstream,
        "upstream" => TraceKind.Upstream,
        _ => throw new ArgumentException($"追踪方式 '{kind}' 无效，应为 connected、upstream 或 downstream (trace '{kind}' is not one of connected, upstream, downstream)."),
    };
}

/// <summary>Validation findings located inside <see cref="Box"/>, optionally of one <see cref="Type"/>, at most <see cref="Limit"/> listed.</summary>
public sealed record FindingsRequest
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 50_000;

    public FindingsRequest(BoundingBox box, string? type = null, int limit = DefaultLimit)
    {
        if (limit is < 1 or > MaxLimit) throw new ArgumentException($"limit {limit} 超出 1–{MaxLimit} (limit {limit} is outside 1–{MaxLimit}).");
        (Box, Type, Limit) = (box, type, limit);
    }

    public BoundingBox Box { get; }
    public string? Type { get; }
    /// <summary>How many findings to list, 1–50000 (the counts cover all of them).</summary>
    public int Limit { get; }
}

/// <summary>Parsing of the family's bbox parameter, with a message for people.</summary>
public static class NetworkBox
{
    /// <summary>"minLon,minLat,maxLon,maxLat" (WGS84), null → the world; else an <see cref="ArgumentException"/> naming bbox.</summary>
    public static BoundingBox Parse(string? bbox)
    {
        if (bbox is null) return BoundingBox.World;
        try
        {
            return BoundingBox.Parse(bbox);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"bbox 无效：须为 WGS84 经纬度 minLon,minLat,maxLon,maxLat 且 min < max ({e.Message})", e);
        }
    }
}
