using SkiaSharp;

namespace GridMap.Rendering;

/// <summary>What a printed map carries besides the map: legend, scale bar, north arrow.</summary>
internal static class MapFurniture
{
    private static readonly SKColor Ink = new(0x21, 0x21, 0x21);

    /// <summary>Size of the stage legend box (stages plus the dispute outline), in points.</summary>
    public static SKSize LegendSize(Palette palette, float size)
    {
        using var font = Fonts.Font(size);
        var textW = palette.Stages.Select(s => font.MeasureText(s.Label)).Append(font.MeasureText(palette.DisputeLabel)).Append(font.MeasureText("改造阶段")).Max();
        var rows = palette.Stages.Count + 2;
        return new SKSize(size * 2.6f + textW + 10, rows * size * 1.5f + 10);
    }

    /// <summary>Legend titled 改造阶段: one swatch per stage in campaign order, then the dispute outline.</summary>
    public static void Legend(SKCanvas canvas, SKPoint topLeft, Palette palette, float size)
    {
        var sz = LegendSize(palette, size);
        var box = SKRect.Create(topLeft, sz);
        using var bg = new SKPaint { Color = SKColors.White.WithAlpha(235), Style = SKPaintStyle.Fill };
        using var border = new SKPaint { Color = Ink.WithAlpha(120), Style = SKPaintStyle.Stroke, StrokeWidth = 0.6f };
        canvas.DrawRect(box, bg);
        canvas.DrawRect(box, border);
        using var font = Fonts.Font(size);
        using var titleFont = Fonts.Font(size, true);
        using var ink = new SKPaint { Color = Ink, IsAntialias = true };
        var x = box.Left + 5;
        var y = box.Top + 5 + size;
        canvas.DrawText("改造阶段", x, y, SKTextAlign.Left, titleFont, ink);
        var alpha = (byte)Math.Round(255 * palette.FillOpacity);
        using var fill = new SKPaint { Style = SKPaintStyle.Fill, IsAntialias = true };
        using var stroke = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = 0.6f, IsAntialias = true };
        foreach (var s in palette.Stages)
        {
            y += size * 1.5f;
            var sw = new SKRect(x, y - size * 0.85f, x + size * 1.8f, y + size * 0.15f);
            fill.Color = s.Fill.WithAlpha(alpha);
            stroke.Color = s.Stroke;
            canvas.DrawRect(sw, fill);
            canvas.DrawRect(sw, stroke);
            canvas.DrawText(s.Label, x + size * 2.4f, y, SKTextAlign.Left, font, ink);
        }
        y += size * 1.5f;
        using var d = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = palette.DisputeWidth * 0.6f, Color = palette.DisputeStroke, IsAntialias = true };
        canvas.DrawRect(new SKRect(x + 1, y - size * 0.75f, x + size * 1.8f - 1, y + size * 0.05f), d);
        canvas.DrawText(palette.DisputeLabel, x + size * 2.4f, y, SKTextAlign.Left, font, ink);
    }

    /// <summary>An alternating black/white bar of a round length in metres (or km), true at the view's centre latitude.
    /// Returns the box it occupies; <paramref name="bottomRight"/> is the box's bottom-right corner.</summary>
    public static SKRect ScaleBar(SKCanvas canvas, MapView view, SKPoint bottomRight, float maxPoints)
    {
        var (metres, pts) = view.ScaleBar(maxPoints);
        var label = metres >= 1000 ? $"{metres / 1000:0.#} 公里" : $"{metres:0} 米";
        using var font = Fonts.Font(7.5f);
        var box = new SKRect(bottomRight.X - pts - 16, bottomRight.Y - 26, bottomRight.X, bottomRight.Y);
        using var bg = new SKPaint { Color = SKColors.White.WithAlpha(225), Style = SKPaintStyle.Fill };
        canvas.DrawRect(box, bg);
        var x0 = box.Left + 8;
        var yb = box.Bottom - 6;
        using var black = new SKPaint { Color = Ink, Style = SKPaintStyle.Fill };
        using var white = new SKPaint { Color = SKColors.White, Style = SKPaintStyle.Fill };
        using var edge = new SKPaint { Color = Ink, Style = SKPaintStyle.Stroke, StrokeWidth = 0.6f };
        for (var i = 0; i < 4; i++)
        {
            var seg = new SKRect(x0 + pts * i / 4, yb - 4, x0 + pts * (i + 1) / 4, yb);
            canvas.DrawRect(seg, i % 2 == 0 ? black : white);
            canvas.DrawRect(seg, edge);
        }
        using var ink = new SKPaint { Color = Ink, IsAntialias = true };
        canvas.DrawText("0", x0, yb - 7, SKTextAlign.Center, font, ink);
        canvas.DrawText(label, x0 + pts, yb - 7, SKTextAlign.Center, font, ink);
        return box;
    }

    /// <summary>A north arrow (maps are drawn north up) with 北 under it; returns its box.</summary>
    public static SKRect NorthArrow(SKCanvas canvas, SKPoint topCentre, float height)
    {
        var w = height * 0.45f;
        using var builder = new SKPathBuilder();
        var path = builder;
        path.MoveTo(topCentre.X, topCentre.Y);
        path.LineTo(topCentre.X + w / 2, topCentre.Y + height * 0.7f);
        path.LineTo(topCentre.X, topCentre.Y + height * 0.55f);
        path.LineTo(topCentre.X - w / 2, topCentre.Y + height * 0.7f);
        path.Close();
        using var arrow = builder.Detach();
        using var fill = new SKPaint { Color = Ink, Style = SKPaintStyle.Fill, IsAntialias = true };
        canvas.DrawPath(arrow, fill);
        using var font = Fonts.Font(height * 0.3f, true);
        canvas.DrawText("北", topCentre.X, topCentre.Y + height, SKTextAlign.Center, font, fill);
        return new SKRect(topCentre.X - w / 2 - 2, topCentre.Y - 2, topCentre.X + w / 2 + 2, topCentre.Y + height + 3);
    }
}
