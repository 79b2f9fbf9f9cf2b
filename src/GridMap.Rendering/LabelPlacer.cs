using SkiaSharp;

namespace GridMap.Rendering;

/// <summary>
/// Greedy label placement with collision boxes: labels are offered in priority order; one is kept only when its box
/// (plus a small gap) lies inside the frame and overlaps no kept label and no reserved area (legend, scale bar).
/// What does not fit is dropped, never drawn on top of another.
/// </summary>
public sealed class LabelPlacer(SKRect frame, float gap = 1.5f)
{
    private readonly List<SKRect> taken = [];

    /// <summary>Boxes kept so far (labels and reserved areas).</summary>
    public IReadOnlyList<SKRect> Taken => taken;

    /// <summary>Keeps an area free of labels (legend, scale bar, north arrow).</summary>
    public void Reserve(SKRect area) => taken.Add(area);

    /// <summary>Tries to place a box; true (and the box is kept) when it fits.</summary>
    public bool TryPlace(SKRect box)
    {
        if (!frame.Contains(box)) return false;
        var padded = SKRect.Inflate(box, gap, gap);
        foreach (var t in taken)
            if (t.IntersectsWith(padded)) return false;
        taken.Add(box);
        return true;
    }
}
