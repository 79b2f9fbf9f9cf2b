using SkiaSharp;

namespace GridMap.Rendering;

/// <summary>
/// A cell notice board (网格公示牌), A4 portrait PDF: the cell's map with its compounds, the responsible grid worker's
/// name and phone, the supervising branch, the retrofit schedule of every compound, and a QR code opening the cell in GridMap.
/// </summary>
public static class NoticeBoardRenderer
{
    private static readonly SKColor Banner = new(0xb7, 0x1c, 0x1c);
    private static readonly SKColor Ink = new(0x21, 0x21, 0x21);

    public static byte[] Render(NoticeBoardRequest request, OutputFormat format = OutputFormat.Pdf, int dpi = 150)
    {
        if (string.IsNullOrWhiteSpace(request.CellUrl)) throw new ArgumentException("CellUrl must not be empty.", nameof(request));
        var (w, h) = PageWriter.PageSize(PaperSize.A4, false);
        return PageWriter.Write(format, w, h, c => Draw(c, w, h, request, Palette.Shared), $"网格公示牌 {request.CellName}", dpi);
    }

    internal static void Draw(SKCanvas canvas, float w, float h, NoticeBoardRequest r, Palette palette)
    {
        const float margin = 28f;
        using var ink = new SKPaint { Color = Ink, IsAntialias = true };
        using var grey = new SKPaint { Color = new SKColor(0x55, 0x55, 0x55), IsAntialias = true };
        using var white = new SKPaint { Color = SKColors.White, IsAntialias = true };
        using var banner = new SKPaint { Color = Banner, Style = SKPaintStyle.Fill };

        // Banner
        canvas.DrawRect(new SKRect(0, 0, w, 78), banner);
        using (var big = Fonts.Font(24, true)) canvas.DrawText("串改并改造 · 网格公示牌", margin, 38, SKTextAlign.Left, big, white);
        using (var sub = Fonts.Font(11)) canvas.DrawText($"{r.CellName}（网格编码 {r.CellCode}）", margin, 62, SKTextAlign.Left, sub, white);

        // Who is responsible, and the QR code
        var qrSize = 112f;
        var top = 96f;
        using var label = Fonts.Font(10);
        using var value = Fonts.Font(13, true);
        var rows = new (string Label, string Value)[]
        {
            ("网格员", r.StaffName ?? "（未指派）"),
            ("联系电话", r.StaffPhone ?? "—"),
            ("监管分公司", r.Branch),
            ("所在区域", r.Street is null ? r.District : $"{r.District} {r.Street}"),
        };
        var y = top + 14;
        foreach (var (l, v) in rows)
        {
            canvas.DrawText(l, margin, y, SKTextAlign.Left, label, grey);
            canvas.DrawText(v, margin + 70, y, SKTextAlign.Left, value, ink);
            y += 24;
        }
        var qrAt = new SKPoint(w - margin - qrSize, top - 6);
        QrCode.Draw(canvas, r.CellUrl, qrAt, qrSize);
        using (var small = Fonts.Font(8))
        {
            canvas.DrawText("扫码在 GridMap 查看本网格", qrAt.X + qrSize / 2, qrAt.Y + qrSize + 10, SKTextAlign.Center, small, ink);
        }

        // Map of the cell
        var mapFrame = new SKRect(margin, top + 126, w - margin, top + 126 + 300);
        var view = new MapView(r.Map.Extent, mapFrame, 0.06);
        var legendSize = MapFurniture.LegendSize(palette, 7);
        var legendAt = new SKPoint(mapFrame.Left + 6, mapFrame.Bottom - 6 - legendSize.Height);
        var arrowBox = new SKRect(mapFrame.Right - 26, mapFrame.Top + 4, mapFrame.Right - 4, mapFrame.Top + 34);
        var scaleBox = new SKRect(mapFrame.Right - mapFrame.Width * 0.3f - 24, mapFrame.Bottom - 34, mapFrame.Right, mapFrame.Bottom);
        MapPainter.Paint(canvas, view, r.Map, palette, [SKRect.Create(legendAt, legendSize), arrowBox, scaleBox]);
        MapFurniture.Legend(canvas, legendAt, palette, 7);
        MapFurniture.NorthArrow(canvas, new SKPoint(mapFrame.Right - 15, mapFrame.Top + 6), 26);
        MapFurniture.ScaleBar(canvas, view, new SKPoint(mapFrame.Right - 5, mapFrame.Bottom - 5), mapFrame.Width * 0.25f);

        // Retrofit schedule
        y = mapFrame.Bottom + 24;
        var households = r.Schedule.Sum(s => (long)s.Households);
        var done = r.Schedule.Where(s => s.Stage == "completed").Sum(s => (long)s.Households);
        using (var head = Fonts.Font(13, true)) canvas.DrawText("改造进度安排", margin, y, SKTextAlign.Left, head, ink);
        using (var sum = Fonts.Font(9))
            canvas.DrawText($"共 {r.Schedule.Count} 个小区 {households:N0} 户，已完成 {done:N0} 户（{(households > 0 ? (double)done / households : 0):P1}）",
                w - margin, y, SKTextAlign.Right, sum, grey);
        y += 8;
        var hasDates = r.Schedule.Any(s => s.PlannedStart is not null || s.PlannedFinish is not null);
        float[] cols = hasDates ? [margin, 230, 280, 360, 410, w - margin - 30] : [margin, 300, 360, 450, w - margin - 40];
        string[] heads = hasDates ? ["小区", "户数", "当前阶段", "同意率", "计划时间", "纠纷"] : ["小区", "户数", "当前阶段", "同意率", "纠纷"];
        using var cell = Fonts.Font(8.5f);
        using var cellBold = Fonts.Font(8.5f, true);
        using var rule = new SKPaint { Color = new SKColor(0xbd, 0xbd, 0xbd), Style = SKPaintStyle.Stroke, StrokeWidth = 0.5f };
        y += 14;
        for (var i = 0; i < heads.Length; i++) canvas.DrawText(heads[i], cols[i], y, SKTextAlign.Left, cellBold, ink);
        y += 4;
        canvas.DrawLine(margin, y, w - margin, y, rule);
        var rowH = 13f;
        var bottom = h - margin - 26;
        var maxRows = (int)((bottom - y) / rowH);
        var shown = r.Schedule.Count <= maxRows ? r.Schedule.Count : Math.Max(0, maxRows - 1);
        using var sw = new SKPaint { Style = SKPaintStyle.Fill, IsAntialias = true };
        foreach (var s in r.Schedule.Take(shown))
        {
            y += rowH;
            var st = palette.Stage(s.Stage);
            canvas.DrawText(Fit(s.Compound, cell, cols[1] - cols[0] - 6), cols[0], y, SKTextAlign.Left, cell, ink);
            canvas.DrawText(s.Households.ToString("N0"), cols[1], y, SKTextAlign.Left, cell, ink);
            sw.Color = st.Fill;
            canvas.DrawRect(new SKRect(cols[2], y - 7, cols[2] + 8, y + 1), sw);
            canvas.DrawText(st.Label, cols[2] + 12, y, SKTextAlign.Left, cell, ink);
            canvas.DrawText(s.ConsentRate.ToString("P0"), cols[3], y, SKTextAlign.Left, cell, ink);
            var c = 4;
            if (hasDates)
                canvas.DrawText($"{s.PlannedStart?.ToString("MM-dd") ?? "—"} 至 {s.PlannedFinish?.ToString("MM-dd") ?? "—"}", cols[c++], y, SKTextAlign.Left, cell, ink);
            canvas.DrawText(s.Dispute ? "有" : "—", cols[c], y, SKTextAlign.Left, cell, ink);
            canvas.DrawLine(margin, y + 3.5f, w - margin, y + 3.5f, rule);
        }
        if (shown < r.Schedule.Count)
        {
            y += rowH;
            canvas.DrawText($"…… 另有 {r.Schedule.Count - shown} 个小区，扫码查看全部", cols[0], y, SKTextAlign.Left, cell, grey);
        }

        using var foot = Fonts.Font(7.5f);
        canvas.DrawText($"公示日期：{r.Date:yyyy-MM-dd}　数据来源：{r.DataSource}", margin, h - margin, SKTextAlign.Left, foot, grey);
        canvas.DrawText("如有疑问请联系本网格网格员", w - margin, h - margin, SKTextAlign.Right, foot, grey);
    }

    private static string Fit(string text, SKFont font, float width)
    {
        if (font.MeasureText(text) <= width) return text;
        while (text.Length > 1 && font.MeasureText(text + "…") > width) text = text[..^1];
        return text + "…";
    }
}
