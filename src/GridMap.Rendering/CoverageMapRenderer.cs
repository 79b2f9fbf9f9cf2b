using SkiaSharp;

namespace GridMap.Rendering;

/// <summary>
/// A printed coverage map (覆盖图): compounds coloured by campaign stage with the shared palette, district/street
/// outlines and roads for context; title, legend, scale bar, north arrow, date and data source. A4/A3, portrait or
/// landscape, as PDF or PNG.
/// </summary>
public static class CoverageMapRenderer
{
    /// <summary>Renders the page (PNG at <paramref name="dpi"/>).</summary>
    public static byte[] Render(CoverageMapRequest request, OutputFormat format, int dpi = 150) =>
        Render(request, format, Palette.Shared, dpi);

    public static byte[] Render(CoverageMapRequest request, OutputFormat format, Palette palette, int dpi)
    {
        var (w, h) = PageWriter.PageSize(request.Paper, request.Landscape);
        return PageWriter.Write(format, w, h, c => Draw(c, w, h, request, palette), request.Title, dpi);
    }

    internal static void Draw(SKCanvas canvas, float w, float h, CoverageMapRequest r, Palette palette)
    {
        var k = r.Paper == PaperSize.A3 ? 1.3f : 1f; // A3 type a little larger, read from further away
        const float margin = 28f;
        using var ink = new SKPaint { Color = new SKColor(0x21, 0x21, 0x21), IsAntialias = true };
        using var grey = new SKPaint { Color = new SKColor(0x55, 0x55, 0x55), IsAntialias = true };
        using var titleFont = Fonts.Font(18 * k, true);
        using var subFont = Fonts.Font(10 * k);
        using var footFont = Fonts.Font(7.5f * k);

        canvas.DrawText(r.Title, margin, margin + 18 * k, SKTextAlign.Left, titleFont, ink);
        canvas.DrawText(r.Subtitle, margin, margin + 18 * k + 15 * k, SKTextAlign.Left, subFont, grey);

        var frame = new SKRect(margin, margin + 42 * k, w - margin, h - margin - 16 * k);
        var view = new MapView(r.Map.Extent, frame);

        // Furniture goes in the frame's corners; labels keep clear of it.
        var legendSize = MapFurniture.LegendSize(palette, 8 * k);
        var legendAt = new SKPoint(frame.Left + 8, frame.Bottom - 8 - legendSize.Height);
        var legendBox = SKRect.Create(legendAt, legendSize);
        var arrowH = 34 * k;
        var arrowBox = new SKRect(frame.Right - 30 * k, frame.Top + 6, frame.Right - 4, frame.Top + 10 + arrowH);
        var scaleBox = new SKRect(frame.Right - frame.Width * 0.3f - 24, frame.Bottom - 34, frame.Right, frame.Bottom);

        MapPainter.Paint(canvas, view, r.Map, palette, [legendBox, arrowBox, scaleBox]);
        MapFurniture.Legend(canvas, legendAt, palette, 8 * k);
        MapFurniture.NorthArrow(canvas, new SKPoint(frame.Right - 16 * k, frame.Top + 8), arrowH);
        MapFurniture.ScaleBar(canvas, view, new SKPoint(frame.Right - 6, frame.Bottom - 6), frame.Width * 0.25f);

        var foot = h - margin;
        // Date and source on the left, the CRS on the right: one left-aligned run, so a long source never runs into the CRS.
        canvas.DrawText($"制图日期：{r.Date:yyyy-MM-dd}　数据来源：{r.DataSource}", margin, foot, SKTextAlign.Left, footFont, grey);
        canvas.DrawText("坐标系：CGCS2000 经纬度，Web 墨卡托投影 · GridMap", w - margin, foot, SKTextAlign.Right, footFont, grey);
    }
}
