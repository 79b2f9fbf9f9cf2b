using NetTopologySuite.Geometries;
using SkiaSharp;

namespace GridMap.Rendering;

/// <summary>Draws a <see cref="MapContent"/> into a <see cref="MapView"/>'s frame: roads, compounds by stage, outlines, then labels.</summary>
internal static class MapPainter
{
    private static readonly SKColor Paper = new(0xfa, 0xfa, 0xf7);
    private static readonly SKColor RoadColour = new(0xcf, 0xcf, 0xcf);
    private static readonly SKColor Outline = new(0x33, 0x33, 0x33);

    /// <summary>Paints the map clipped to the frame; labels avoid <paramref name="reserved"/> boxes. Returns the placer with every kept box.</summary>
    public static LabelPlacer Paint(SKCanvas canvas, MapView view, MapContent map, Palette palette, IEnumerable<SKRect> reserved)
    {
        var placer = new LabelPlacer(view.Frame);
        foreach (var r in reserved) placer.Reserve(r);

        canvas.Save();
        canvas.ClipRect(view.Frame);
        using (var bg = new SKPaint { Color = Paper, Style = SKPaintStyle.Fill })
            canvas.DrawRect(view.Frame, bg);

        using (var road = new SKPaint { Color = RoadColour, Style = SKPaintStyle.Stroke, StrokeWidth = 1.2f, IsAntialias = true, StrokeCap = SKStrokeCap.Round })
            foreach (var r in map.Roads)
            {
                using var path = ToPath(view, r.Line);
                canvas.DrawPath(path, road);
            }

        var alpha = (byte)Math.Round(255 * palette.FillOpacity);
        using (var fill = new SKPaint { Style = SKPaintStyle.Fill, IsAntialias = true })
        using (var stroke = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = 0.5f, IsAntialias = true })
        using (var dispute = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = palette.DisputeWidth * 0.6f, Color = palette.DisputeStroke, IsAntialias = true })
            foreach (var c in map.Compounds)
            {
                var style = palette.Stage(c.Stage);
                using var path = ToPath(view, c.Footprint);
                fill.Color = style.Fill.WithAlpha(alpha);
                stroke.Color = style.Stroke;
                canvas.DrawPath(path, fill);
                canvas.DrawPath(path, c.Dispute ? dispute : stroke);
            }

        foreach (var b in map.Boundaries.OrderByDescending(b => b.Kind))
        {
            using var paint = new SKPaint
            {
                Style = SKPaintStyle.Stroke, IsAntialias = true, Color = Outline.WithAlpha(b.Kind == BoundaryKind.District ? (byte)230 : (byte)160),
                StrokeWidth = b.Kind switch { BoundaryKind.District => 1.6f, BoundaryKind.Street => 0.9f, _ => 1.2f },
                PathEffect = b.Kind == BoundaryKind.Street ? SKPathEffect.CreateDash([4f, 2.5f], 0) : null,
            };
            using var path = ToPath(view, b.Area);
            canvas.DrawPath(path, paint);
        }

        // Labels: outlines first (districts, streets), then compounds by households — the biggest get a name first.
        using var halo = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = 2.2f, Color = SKColors.White, IsAntialias = true, StrokeJoin = SKStrokeJoin.Round };
        using var ink = new SKPaint { Style = SKPaintStyle.Fill, Color = new SKColor(0x21, 0x21, 0x21), IsAntialias = true };
        foreach (var b in map.Boundaries.OrderBy(b => b.Kind))
            Label(canvas, placer, view, b.Area, b.Name, b.Kind == BoundaryKind.District ? 11f : 9f, true, halo, ink);
        foreach (var c in map.Compounds.OrderByDescending(c => c.Households).ThenBy(c => c.Name, StringComparer.Ordinal))
            Label(canvas, placer, view, c.Footprint, c.Name, 6.5f, false, halo, ink);
        canvas.Restore();

        using var frame = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = 0.8f, Color = Outline };
        canvas.DrawRect(view.Frame, frame);
        return placer;
    }

    private static void Label(SKCanvas canvas, LabelPlacer placer, MapView view, Geometry g, string text, float size, bool bold, SKPaint halo, SKPaint ink)
    {
        if (string.IsNullOrWhiteSpace(text) || g.IsEmpty) return;
        Point anchor;
        try { anchor = g.InteriorPoint; } catch (TopologyException) { anchor = g.Centroid; }
        var p = view.ToPage(anchor.X, anchor.Y);
        using var font = Fonts.Font(size, bold);
        var w = font.MeasureText(text);
        var box = new SKRect(p.X - w / 2, p.Y - size * 0.6f, p.X + w / 2, p.Y + size * 0.6f);
        if (!placer.TryPlace(box)) return;
        var baseline = p.Y + size * 0.36f;
        canvas.DrawText(text, p.X, baseline, SKTextAlign.Center, font, halo);
        canvas.DrawText(text, p.X, baseline, SKTextAlign.Center, font, ink);
    }

    /// <summary>A Skia path of any polygonal or linear geometry (holes drawn even-odd).</summary>
    public static SKPath ToPath(MapView view, Geometry g)
    {
        using var path = new SKPathBuilder { FillType = SKPathFillType.EvenOdd };
        for (var i = 0; i < g.NumGeometries; i++)
        {
            switch (g.GetGeometryN(i))
            {
                case Polygon poly:
                    Add(path, view, poly.ExteriorRing.Coordinates, true);
                    foreach (var hole in poly.InteriorRings) Add(path, view, hole.Coordinates, true);
                    break;
                case LineString line:
                    Add(path, view, line.Coordinates, false);
                    break;
            }
        }
        return path.Detach();
    }

    private static void Add(SKPathBuilder path, MapView view, Coordinate[] cs, bool close)
    {
        if (cs.Length < 2) return;
        path.MoveTo(view.ToPage(cs[0].X, cs[0].Y));
        for (var i = 1; i < cs.Length; i++) path.LineTo(view.ToPage(cs[i].X, cs[i].Y));
        if (close) path.Close();
    }
}
