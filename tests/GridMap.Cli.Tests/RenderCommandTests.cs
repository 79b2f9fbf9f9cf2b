using GridMap.Tests.Shared;
using MiniExcelLibs;

namespace GridMap.Cli.Tests;

/// <summary>`gridmap render coverage|noticeboard|progress` against the demo city: files written, exit codes, --help,
/// and a clear message + non-zero exit for unknown or malformed areas and cells.</summary>
public class RenderCommandTests
{
    [Fact]
    public async Task Help_DescribesEachRenderCommand()
    {
        foreach (var (cmd, option) in new[] { ("coverage", "--area"), ("noticeboard", "--cell"), ("progress", "--by") })
        {
            var r = await CliRunner.RunAsync(["render", cmd, "--help"]);
            Assert.True(r.ExitCode == 0, r.Stderr);
            Assert.Contains(option, r.Stdout, StringComparison.Ordinal);
            Assert.Contains("--out", r.Stdout, StringComparison.Ordinal);
        }
    }

    [PostgisFact]
    public async Task Coverage_WritesPdfAndPng_AndRefusesUnknownOrMalformedAreas()
    {
        await using var db = await DemoDatabase.CreateAsync();
        var env = new Dictionary<string, string> { ["GRIDMAP_DB"] = db.ConnectionString };
        var dir = Directory.CreateTempSubdirectory("gm-render-");
        try
        {
            var pdf = Path.Combine(dir.FullName, "jinshui.pdf");
            var r = await CliRunner.RunAsync(["render", "coverage", "--area", "district:410105", "--out", pdf, "--size", "A3", "--landscape"], env, 300);
            Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
            Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(pdf), 0, 4));

            var png = Path.Combine(dir.FullName, "jinshui.png");
            r = await CliRunner.RunAsync(["render", "coverage", "--area", "district:410105", "--out", png], env, 300);
            Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
            Assert.Equal(0x89, File.ReadAllBytes(png)[0]);

            var unknown = await CliRunner.RunAsync(["render", "coverage", "--area", "district:999999", "--out", Path.Combine(dir.FullName, "x.pdf")], env);
            Assert.NotEqual(0, unknown.ExitCode);
            Assert.Contains("district:999999", unknown.Stderr, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(dir.FullName, "x.pdf")));

            var malformed = await CliRunner.RunAsync(["render", "coverage", "--area", "planet:earth", "--out", Path.Combine(dir.FullName, "y.pdf")], env);
            Assert.NotEqual(0, malformed.ExitCode);
            Assert.Contains("planet:earth", malformed.Stderr, StringComparison.Ordinal);

            var cell = await CliRunner.RunAsync(["render", "noticeboard", "--cell", "410100999999999", "--out", Path.Combine(dir.FullName, "z.pdf")], env);
            Assert.NotEqual(0, cell.ExitCode);
            Assert.Contains("410100999999999", cell.Stderr, StringComparison.Ordinal);

            var xlsx = Path.Combine(dir.FullName, "week.xlsx");
            r = await CliRunner.RunAsync(["render", "progress", "--by", "district", "--out", xlsx], env, 300);
            Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
            var rows = MiniExcel.Query(xlsx, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
            await using var cmd = db.DataSource.CreateCommand("SELECT count(*) FROM district");
            Assert.Equal((long)(await cmd.ExecuteScalarAsync())!, rows.Count);
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
