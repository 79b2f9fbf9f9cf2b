using QRCoder;
using SkiaSharp;

namespace GridMap.Rendering;

/// <summary>QR codes (QRCoder) drawn as vector squares, so they stay sharp in a PDF at any print size.</summary>
public static class QrCode
{
    /// <summary>Draws the QR code of <paramref name="text"/> (ECC level M, quiet zone included) filling a square of <paramref name="size"/> points.</summary>
    public static void Draw(SKCanvas canvas, string text, SKPoint topLeft, float size)
    {
        using var gen = new QRCodeGenerator();
        using var data = gen.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix; // includes a 4-module quiet zone
        var n = matrix.Count;
        var m = size / n;
        using var white = new SKPaint { Color = SKColors.White, Style = SKPaintStyle.Fill };
        using var black = new SKPaint { Color = SKColors.Black, Style = SKPaintStyle.Fill, IsAntialias = false };
        canvas.DrawRect(SKRect.Create(topLeft, new SKSize(size, size)), white);
        using var path = new SKPathBuilder();
        for (var y = 0; y < n; y++)
            for (var x = 0; x < n; x++)
                if (matrix[y][x]) path.AddRect(SKRect.Create(topLeft.X + x * m, topLeft.Y + y * m, m + 0.02f, m + 0.02f), SKPathDirection.Clockwise);
        using var modules = path.Detach();
        canvas.DrawPath(modules, black);
    }
}
