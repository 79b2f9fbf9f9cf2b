using GridMap.Rendering;
using GridMap.Storage.Reports;
using GridMap.Storage.Stats;

namespace GridMap.Application.Reports;

/// <summary>A rendered file: bytes, MIME type and a file name to offer for download.</summary>
public sealed record RenderedFile(byte[] Content, string ContentType, string FileName);

/// <summary>
/// Printed maps and reports: reads through <see cref="ReportStore"/> and draws with GridMap.Rendering. Reads only
/// (nothing is written or audited). Bad parameters → <see cref="ArgumentException"/> (400); an unknown area or cell →
/// <see cref="KeyNotFoundException"/> (404). <paramref name="time"/> gives the date printed on every page.
/// </summary>
public sealed class ReportQueries(ReportStore store, ProgressStore progress, ReportOptions options, TimeProvider time)
{
    /// <summary>A coverage map of <paramref name="area"/> (see <see cref="ReportAreaParser"/>) as PDF or PNG.</summary>
    public async Task<RenderedFile> CoverageMapAsync(string? area, OutputFormat format, PaperSize paper = PaperSize.A4, bool landscape = false,
        IProgress<string>? progress = null, CancellationToken ct = default)
    {
        var key = ReportAreaParser.Parse(area);
        progress?.Report("查找范围");
        var found = await store.AreaAsync(key, ct) ?? throw new KeyNotFoundException($"没有范围 '{area}'（或其中没有小区）(No area '{area}').");
        // About half a printed point on an A3 sheet: finer detail is invisible on paper and only makes the PDF bigger.
        var tol = Math.Max(found.Extent[2] - found.Extent[0], found.Extent[3] - found.Extent[1]) / 2400;
        progress?.Report("读取小区");
        var compounds = await store.CompoundsAsync(key, tol, ct);
        progress?.Report("读取边界与道路");
        var context = await store.ContextAsync(found.Extent, streets: key.Kind is not ("city" or "branch"), cell: key.Kind == "cell" ? key.Code : null, tol, ct);
        var map = ToMap(found.Extent, compounds, context);
        var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
        var households = compounds.Sum(c => (long)c.Households);
        var done = compounds.Where(c => c.Stage == "completed").Sum(c => (long)c.Households);
        var subtitle = $"{compounds.Count:N0} 个小区，{households:N0} 户，已完成 {done:N0} 户（{(households > 0 ? (double)done / households : 0):P1}）";
        progress?.Report("绘制");
        var request = new CoverageMapRequest(map, $"{found.Name} 串改并改造覆盖图", subtitle, today, options.DataSource, paper, landscape);
        var bytes = CoverageMapRenderer.Render(request, format);
        var ext = format == OutputFormat.Pdf ? "pdf" : "png";
        return new RenderedFile(bytes, format == OutputFormat.Pdf ? "application/pdf" : "image/png", $"coverage-{FileSafe(area!)}.{ext}");
    }

    /// <summary>The notice board (网格公示牌) of cell <paramref name="code"/> (15 digits) as PDF.</summary>
    public async Task<RenderedFile> NoticeBoardAsync(string? code, OutputFormat format = OutputFormat.Pdf, CancellationToken ct = default)
    {
        var key = ReportAreaParser.Parse("cell:" + code?.Trim());
        var cell = await store.CellAsync(key.Code!, ct) ?? throw new KeyNotFoundException($"没有编码为 '{code}' 的网格 (No cell with code '{code}').");
        var area = await store.AreaAsync(key, ct) ?? throw new KeyNotFoundException($"没有编码为 '{code}' 的网格 (No cell with code '{code}').");
        var tol = Math.Max(area.Extent[2] - area.Extent[0], area.Extent[3] - area.Extent[1]) / 2400;
        var compounds = await store.CompoundsAsync(key, tol, ct);
        var context = await store.ContextAsync(area.Extent, streets: true, cell: cell.Code, tol, ct);
        var schedule = await store.ScheduleAsync(cell.Code, ct);
        var request = new NoticeBoardRequest(cell.Code, cell.Name, cell.District, cell.Street, cell.Branch, cell.StaffName, cell.StaffPhone,
            ToMap(area.Extent, compounds, context),
            [.. schedule.Select(s => new ScheduleRow(s.Name, s.Households, s.Stage, s.ConsentRate, s.Dispute))],
            options.CellUrl(cell.Code), DateOnly.FromDateTime(time.GetLocalNow().DateTime), options.DataSource);
        var bytes = NoticeBoardRenderer.Render(request, format);
        return new RenderedFile(bytes, format == OutputFormat.Pdf ? "application/pdf" : "image/png", $"noticeboard-{cell.Code}.{(format == OutputFormat.Pdf ? "pdf" : "png")}");
    }

    /// <summary>The weekly figures per district, street or cell as rows (what the spreadsheet holds): the dashboard's figures
    /// (<see cref="ProgressStore.UnitsAsync"/>, the same definitions as the progress tiles) for the whole city. The last row,
    /// code "", holds the compounds of no unit of that kind, so the columns add up to the city.</summary>
    public async Task<IReadOnlyList<ProgressRow>> ProgressRowsAsync(string? by, CancellationToken ct = default)
    {
        by = string.IsNullOrWhiteSpace(by) ? "district" : by.Trim();
        var unassigned = by switch
        {
            "district" => "（未划分行政区）",
            "street" => "（未划分街道）",
            "cell" => "（未划分网格）",
            _ => throw new ArgumentException($"by 应为 district、street 或 cell (by must be district, street or cell, not '{by}')."),
        };
        var stages = await progress.StagesAsync(ct);
        var (units, _) = await progress.UnitsAsync(by, ProgressScope.City, ct);
        return [.. units.Select(u =>
        {
            var byStage = stages.Select((st, i) => (st.Code, Households: u.HouseholdsByStage[i])).ToDictionary(x => x.Code, x => x.Households);
            var households = u.HouseholdsByStage.Sum();
            return new ProgressRow(u.Code ?? "", u.Name ?? unassigned, u.ParentName, u.CompoundsByStage.Sum(), households, byStage,
                households > 0 ? (double)byStage.GetValueOrDefault("completed") / households : 0,
                households > 0 ? u.ConsentHouseholds / households : 0, u.Disputes, u.OverdueFollowUps);
        })];
    }

    /// <summary>The weekly progress spreadsheet (XLSX) per district, street or cell.</summary>
    public async Task<RenderedFile> ProgressWorkbookAsync(string? by, CancellationToken ct = default)
    {
        by = string.IsNullOrWhiteSpace(by) ? "district" : by.Trim();
        var rows = await ProgressRowsAsync(by, ct);
        var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
        return new RenderedFile(ProgressWorkbook.Write(by, rows, today), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            $"progress-{by}-{today:yyyyMMdd}.xlsx");
    }

    private static MapContent ToMap(double[] extent, IReadOnlyList<ReportCompound> compounds, IReadOnlyList<ReportContextFeature> context) => new(extent,
        [.. compounds.Select(c => new CompoundShape(c.Footprint, c.Name, c.Stage, c.Households, c.Dispute))],
        [.. context.Where(f => f.Kind < 3).Select(f => new BoundaryShape(f.Geometry, f.Name, (BoundaryKind)f.Kind))],
        [.. context.Where(f => f.Kind == 3).Select(f => new RoadShape(f.Geometry, f.Name))]);

    private static string FileSafe(string s) => string.Concat(s.Select(ch => char.IsAsciiLetterOrDigit(ch) ? ch : '-'));
}
