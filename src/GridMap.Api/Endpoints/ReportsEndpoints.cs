using GridMap.Application.Reports;
using GridMap.Rendering;

namespace GridMap.Api.Endpoints;

/// <summary>/api/reports: printed coverage maps (PDF/PNG), cell notice boards (PDF) and the weekly progress spreadsheet (XLSX).
/// Readable with reports.read (manager, planner, admin; see RouteAccess); company-wide for every reader — see docs/reports.md.</summary>
public static class ReportsEndpoints
{
    public static RouteGroupBuilder MapReports(this RouteGroupBuilder api)
    {
        api.MapGet("/reports/coverage.pdf", (string? area, string? size, bool? landscape, ReportQueries q, CancellationToken ct) =>
                Coverage(area, size, landscape, OutputFormat.Pdf, q, ct))
            .WithName("CoverageMapPdf")
            .WithSummary($"Printed coverage map of an area as PDF (area={ReportAreaParser.Syntax}; size=A4|A3; landscape=true|false)")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").ProducesProblem(400).ProducesProblem(404);
        api.MapGet("/reports/coverage.png", (string? area, string? size, bool? landscape, ReportQueries q, CancellationToken ct) =>
                Coverage(area, size, landscape, OutputFormat.Png, q, ct))
            .WithName("CoverageMapPng")
            .WithSummary("The same coverage map as a PNG (150 dpi)")
            .Produces(StatusCodes.Status200OK, contentType: "image/png").ProducesProblem(400).ProducesProblem(404);
        api.MapGet("/reports/noticeboard/{code}.pdf", async (string code, ReportQueries q, CancellationToken ct) =>
                File(await q.NoticeBoardAsync(code, OutputFormat.Pdf, ct)))
            .WithName("NoticeBoardPdf")
            .WithSummary("Notice board (网格公示牌) of a grid cell as PDF: map, grid worker and phone, branch, retrofit schedule, QR code to the cell")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").ProducesProblem(400).ProducesProblem(404);
        api.MapGet("/reports/progress.xlsx", async (string? by, ReportQueries q, CancellationToken ct) =>
                File(await q.ProgressWorkbookAsync(by, ct)))
            .WithName("ProgressWorkbook")
            .WithSummary("Weekly figures per district|street|cell (by; default district) as XLSX: compounds, households, households by stage, completion %, consent rate, disputes, overdue follow-ups")
            .Produces(StatusCodes.Status200OK, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").ProducesProblem(400);
        return api;
    }

    private static async Task<IResult> Coverage(string? area, string? size, bool? landscape, OutputFormat format, ReportQueries q, CancellationToken ct)
    {
        var paper = (size ?? "A4").Trim().ToUpperInvariant() switch
        {
            "A4" => PaperSize.A4, "A3" => PaperSize.A3,
            _ => throw new ArgumentException($"size 应为 A4 或 A3 (size must be A4 or A3, got '{size}')."),
        };
        return File(await q.CoverageMapAsync(area, format, paper, landscape ?? false, null, ct));
    }

    private static IResult File(RenderedFile f) => TypedResults.File(f.Content, f.ContentType, f.FileName);
}
