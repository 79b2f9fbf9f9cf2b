using System.Diagnostics;
using System.Net;
using System.Text.Json;
using GridMap.Application.Auth;
using GridMap.Tests.Shared;
using MiniExcelLibs;

namespace GridMap.Api.Tests;

/// <summary>The demo city, for reports: districts, streets, cells with grid workers, branches.</summary>
public sealed class ReportsFixture : AppFixture
{
    /// <summary>Code of the cell the fixture adds (the demo has published no cells): 5 compounds of the first district,
    /// with a grid worker of the district's branch.</summary>
    public const string CellCode = "410100900000001";

    private const string OneCell = """
        INSERT INTO staff (id, name, phone, role, branch_id, base)
          SELECT (SELECT coalesce(max(id), 0) + 1 FROM staff), '测试网格员甲', '13900001111', 'grid_worker', d.branch_id, ST_PointOnSurface(d.area)
          FROM district d ORDER BY d.code LIMIT 1;
        INSERT INTO grid_cell (code, name, district_code, staff_id, area)
          SELECT '410100900000001', '报表测试网格', d.code, (SELECT max(id) FROM staff),
                 (SELECT ST_Multi(ST_Envelope(ST_Collect(c.footprint))) FROM (SELECT footprint FROM compound WHERE district_code = d.code ORDER BY id LIMIT 5) c)
          FROM district d ORDER BY d.code LIMIT 1;
        UPDATE compound SET cell_code = '410100900000001'
          WHERE id IN (SELECT id FROM compound WHERE district_code = (SELECT district_code FROM grid_cell WHERE code = '410100900000001') ORDER BY id LIMIT 5);
        """;

    protected override async Task<TestDatabase> CreateDatabaseAsync()
    {
        var db = await DemoDatabase.CreateAsync();
        await using var cmd = db.DataSource.CreateCommand(OneCell);
        await cmd.ExecuteNonQueryAsync();
        return db;
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var cmd = Db.DataSource.CreateCommand(sql);
        return (T)Convert.ChangeType((await cmd.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// /api/reports over HTTP against the demo city: coverage maps (PDF/PNG) of a district, a cell's notice board whose text
/// (pdftotext) names the grid worker and branch and whose QR code (zbarimg) opens the cell's web route, and the weekly
/// progress workbook (read back with MiniExcel) whose rows and sums match the database; bad input → ProblemDetails.
/// </summary>
public sealed class ReportsTests(ReportsFixture app) : IClassFixture<ReportsFixture>
{
    [PostgisFact]
    public async Task CoverageMap_OfADistrict_IsAPdfWithTheDistrictTitleAndLegend()
    {
        var (code, name) = (await app.ScalarAsync<string>("SELECT code::text FROM district ORDER BY code LIMIT 1"),
                            await app.ScalarAsync<string>("SELECT name FROM district ORDER BY code LIMIT 1"));
        using var manager = await app.ClientAs(Roles.Manager);
        var res = await manager.GetAsync($"/api/reports/coverage.pdf?area=district:{code}&size=A3&landscape=true");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Equal("application/pdf", res.Content.Headers.ContentType?.MediaType);
        var text = PdfText(await res.Content.ReadAsByteArrayAsync());
        Assert.Contains(name, text);
        Assert.Contains("串改并改造覆盖图", text);
        Assert.Contains("改造阶段", text);
    }

    [PostgisFact]
    public async Task CoverageMap_AsPng_IsAPngImage()
    {
        var code = await app.ScalarAsync<string>("SELECT code::text FROM district ORDER BY code LIMIT 1");
        using var manager = await app.ClientAs(Roles.Manager);
        var res = await manager.GetAsync($"/api/reports/coverage.png?area=district:{code}");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var png = await res.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }

    [PostgisFact]
    public async Task CoverageMap_BadAreaSyntax_Is400ProblemDetails()
    {
        using var manager = await app.ClientAs(Roles.Manager);
        foreach (var area in new[] { "nonsense", "bbox:1,2,3", "planet:earth" })
        {
            var res = await manager.GetAsync($"/api/reports/coverage.pdf?area={Uri.EscapeDataString(area)}");
            Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
            Assert.Equal("application/problem+json", res.Content.Headers.ContentType?.MediaType);
        }
        var size = await manager.GetAsync("/api/reports/coverage.pdf?area=city&size=A0");
        Assert.Equal(HttpStatusCode.BadRequest, size.StatusCode);
    }

    [PostgisFact]
    public async Task CoverageMap_UnknownDistrict_Is404ProblemDetails()
    {
        using var manager = await app.ClientAs(Roles.Manager);
        var res = await manager.GetAsync("/api/reports/coverage.pdf?area=district:999999");
        Assert.Equal(HttpStatusCode.NotFound, res.StatusCode);
        Assert.Equal("application/problem+json", res.Content.Headers.ContentType?.MediaType);
    }

    [PostgisFact]
    public async Task NoticeBoard_NamesGridWorkerAndBranch_AndItsQrOpensTheCellRoute()
    {
        const string sql = """
            SELECT g.code::text || '|' || st.name || '|' || b.name
            FROM grid_cell g JOIN staff st ON st.id = g.staff_id JOIN district d ON d.code = g.district_code JOIN branch b ON b.id = d.branch_id
            WHERE g.code = '410100900000001'
            """;
        var parts = (await app.ScalarAsync<string>(sql)).Split('|');
        var (code, staff, branch) = (parts[0], parts[1], parts[2]);
        using var manager = await app.ClientAs(Roles.Manager);
        var res = await manager.GetAsync($"/api/reports/noticeboard/{code}.pdf");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var pdf = await res.Content.ReadAsByteArrayAsync();
        var text = PdfText(pdf);
        Assert.Contains("网格公示牌", text);
        Assert.Contains(staff, text);
        Assert.Contains(branch, text);
        Assert.Contains(code, text);
        Assert.Matches($@"^https?://[^/]+/#/cell/{code}$", QrFromPdf(pdf));
        var compound = await app.ScalarAsync<string>("SELECT name FROM compound WHERE cell_code = '410100900000001' ORDER BY households DESC LIMIT 1");
        Assert.Contains(compound, text); // the schedule lists the cell's compounds
    }

    [PostgisFact]
    public async Task NoticeBoard_UnknownCell_Is404ProblemDetails()
    {
        using var manager = await app.ClientAs(Roles.Manager);
        var res = await manager.GetAsync("/api/reports/noticeboard/410100999999999.pdf");
        Assert.Equal(HttpStatusCode.NotFound, res.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await manager.GetAsync("/api/reports/noticeboard/12x.pdf")).StatusCode); // not a cell code
        var problem = JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("410100999999999", problem.GetProperty("detail").GetString());
    }

    [PostgisTheory]
    [InlineData("district", "SELECT count(*) FROM district", "district_code")]
    [InlineData("street", "SELECT count(*) FROM street", "street_code")]
    [InlineData("cell", "SELECT count(*) FROM grid_cell", "cell_code")]
    public async Task ProgressWorkbook_HasARowPerUnit_AndItsSumsEqualTheDatabase(string by, string countSql, string column)
    {
        using var manager = await app.ClientAs(Roles.Manager);
        var res = await manager.GetAsync($"/api/reports/progress.xlsx?by={by}");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        using var ms = new MemoryStream(await res.Content.ReadAsByteArrayAsync());
        var headers = MiniExcel.GetColumns(ms, useHeaderRow: true).ToList();
        foreach (var h in new[] { "小区数", "总户数", "完成户数", "完成率", "同意率", "纠纷小区数", "逾期回访小区数" })
            Assert.Contains(h, headers);
        ms.Position = 0;
        var rows = MiniExcel.Query(ms, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        // Compounds outside every unit get one extra row so that the sums are the city's.
        var units = await app.ScalarAsync<long>(countSql);
        var orphans = await app.ScalarAsync<long>($"SELECT count(*) FROM compound WHERE {column} IS NULL");
        Assert.Equal(units + (orphans > 0 ? 1 : 0), rows.Count);
        Assert.Equal(await app.ScalarAsync<long>("SELECT count(*) FROM compound"), rows.Sum(r => Convert.ToInt64(r["小区数"])));
        Assert.Equal(await app.ScalarAsync<long>("SELECT coalesce(sum(households), 0) FROM compound"), rows.Sum(r => Convert.ToInt64(r["总户数"])));
        Assert.Equal(await app.ScalarAsync<long>("SELECT coalesce(sum(households), 0) FROM compound WHERE retrofit_status = 'completed'"),
            rows.Sum(r => Convert.ToInt64(r["完成户数"])));
        Assert.Equal(await app.ScalarAsync<long>("SELECT count(*) FROM compound WHERE dispute"), rows.Sum(r => Convert.ToInt64(r["纠纷小区数"])));
    }

    [PostgisFact]
    public async Task ProgressWorkbook_UnknownGrouping_Is400()
    {
        using var manager = await app.ClientAs(Roles.Manager);
        var res = await manager.GetAsync("/api/reports/progress.xlsx?by=planet");
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
    }

    [PostgisFact]
    public async Task Reports_AreRefusedToGridWorkersAndCrews()
    {
        foreach (var role in new[] { Roles.Staff, Roles.Crew })
        {
            using var c = await app.ClientAs(role, 1);
            Assert.Equal(HttpStatusCode.Forbidden, (await c.GetAsync("/api/reports/progress.xlsx?by=district")).StatusCode);
        }
    }

    private static string Run(string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{exe} failed ({p.ExitCode}): {stderr}");
        return stdout;
    }

    private static string Scratch(string name)
    {
        var dir = RepoPaths.Scratch("reports-tests");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, $"{name}-{Guid.NewGuid():N}");
    }

    /// <summary>pdftotext's text, Kangxi radicals folded (Noto Sans CJK shares their glyphs with the ideographs; see Rendering.Tests/Tools).</summary>
    private static string PdfText(byte[] pdf)
    {
        var file = Scratch("text") + ".pdf";
        File.WriteAllBytes(file, pdf);
        try
        {
            var text = Run("pdftotext", "-enc", "UTF-8", file, "-");
            return string.Concat(text.Select(ch => ch == '\u2F3E' ? "户"
                : ch is >= '\u2E80' and <= '\u2FDF' ? ch.ToString().Normalize(System.Text.NormalizationForm.FormKC) : ch.ToString()));
        }
        finally { File.Delete(file); }
    }

    private static string QrFromPdf(byte[] pdf)
    {
        var stem = Scratch("qr");
        File.WriteAllBytes(stem + ".pdf", pdf);
        try
        {
            Run("pdftoppm", "-r", "200", "-png", "-singlefile", stem + ".pdf", stem);
            return Run("zbarimg", "--quiet", "--raw", stem + ".png").Trim();
        }
        finally { File.Delete(stem + ".pdf"); File.Delete(stem + ".png"); }
    }
}
