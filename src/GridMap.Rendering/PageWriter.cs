using SkiaSharp;

namespace GridMap.Rendering;

/// <summary>Writes one page drawn in points (1/72 inch) as a vector PDF or as a PNG at a given resolution.</summary>
public static class PageWriter
{
    /// <summary>Width and height in points of a paper size (ISO 216), portrait or landscape.</summary>
    public static (float Width, float Height) PageSize(PaperSize paper, bool landscape)
    {
        var (w, h) = paper switch { PaperSize.A3 => (841.89f, 1190.55f), _ => (595.28f, 841.89f) };
        return landscape ? (h, w) : (w, h);
    }

    /// <summary>The page as PDF (text kept as text, Noto Sans CJK embedded) or PNG at <paramref name="dpi"/> (36–600).</summary>
    public static byte[] Write(OutputFormat format, float width, float height, Action<SKCanvas> draw, string title, int dpi = 150)
    {
        if (dpi is < 36 or > 600) throw new ArgumentOutOfRangeException(nameof(dpi), "dpi must be between 36 and 600.");
        using var ms = new MemoryStream();
        if (format == OutputFormat.Pdf)
        {
            var meta = new SKDocumentPdfMetadata { Title = title, Creator = "GridMap", Producer = "GridMap (SkiaSharp)", RasterDpi = 300 };
            using (var doc = SKDocument.CreatePdf(ms, meta) ?? throw new InvalidOperationException("SkiaSharp could not create a PDF document."))
            {
                var canvas = doc.BeginPage(width, height);
                draw(canvas);
                doc.EndPage();
                doc.Close();
            }
            return ms.ToArray();
        }
        var scale = dpi / 72f;
        var info = new SKImageInfo((int)Math.Round(width * scale), (int)Math.Round(height * scale), SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info) ?? throw new InvalidOperationException("SkiaSharp could not create a raster surface.");
        surface.Canvas.Clear(SKColors.White);
        surface.Canvas.Scale(scale);
        draw(surface.Canvas);
        surface.Canvas.Flush();
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
