using System.Text.Json;
using SkiaSharp;

namespace GridMap.Rendering;

/// <summary>One campaign stage's colours and zh-CN label, from tiles/styles.json.</summary>
public sealed record StageStyle(string Code, string Label, SKColor Fill, SKColor Stroke);

/// <summary>
/// The shared style palette (tiles/styles.json, embedded at build time): the same colours the web legend and the
/// tiles use, so a printed map and the screen agree. One source of colours; nothing is restated here.
/// </summary>
public sealed class Palette
{
    private readonly Dictionary<string, StageStyle> byCode;

    private Palette(IReadOnlyList<StageStyle> stages, float fillOpacity, SKColor disputeStroke, float disputeWidth, string disputeLabel)
    {
        Stages = stages;
        byCode = stages.ToDictionary(s => s.Code, StringComparer.Ordinal);
        FillOpacity = fillOpacity;
        DisputeStroke = disputeStroke;
        DisputeWidth = disputeWidth;
        DisputeLabel = disputeLabel;
    }

    /// <summary>The campaign stages in campaign order (未启动 → … → 完成).</summary>
    public IReadOnlyList<StageStyle> Stages { get; }
    /// <summary>Opacity of compound fills, 0–1.</summary>
    public float FillOpacity { get; }
    public SKColor DisputeStroke { get; }
    /// <summary>Outline width of a disputed compound in CSS px (= points on paper).</summary>
    public float DisputeWidth { get; }
    public string DisputeLabel { get; }

    /// <summary>The palette embedded from tiles/styles.json.</summary>
    public static Palette Shared { get; } = Load();

    /// <summary>Style of a stage code; an unknown code gets the first stage's (未启动) colours so nothing is left undrawn.</summary>
    public StageStyle Stage(string code) => byCode.TryGetValue(code, out var s) ? s : Stages[0];

    /// <summary>zh-CN label of a stage code (the code itself when unknown).</summary>
    public string Label(string code) => byCode.TryGetValue(code, out var s) ? s.Label : code;

    private static Palette Load()
    {
        using var stream = typeof(Palette).Assembly.GetManifestResourceStream("GridMap.Rendering.styles.json")
            ?? throw new InvalidOperationException("tiles/styles.json is not embedded in GridMap.Rendering.");
        using var doc = JsonDocument.Parse(stream);
        var root = doc.RootElement;
        var stages = root.GetProperty("retrofitStatus").EnumerateArray()
            .Select(e => new StageStyle(e.GetProperty("code").GetString()!, e.GetProperty("label").GetString()!,
                SKColor.Parse(e.GetProperty("fill").GetString()!), SKColor.Parse(e.GetProperty("stroke").GetString()!)))
            .ToArray();
        var compound = root.GetProperty("compound");
        var dispute = compound.GetProperty("dispute");
        return new Palette(stages, (float)compound.GetProperty("fillOpacity").GetDouble(),
            SKColor.Parse(dispute.GetProperty("stroke").GetString()!), (float)dispute.GetProperty("width").GetDouble(),
            dispute.GetProperty("label").GetString()!);
    }
}
