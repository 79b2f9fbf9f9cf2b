using System.IO.Compression;
using MiniExcelLibs;

namespace GridMap.Rendering.Tests;

public class ProgressWorkbookTests
{
    private static ProgressRow Row(string code, string name, long done, long total) =>
        new(code, name, "北区分公司", 3, total, new Dictionary<string, long> { ["completed"] = done, ["visiting"] = total - done },
            (double)done / total, 0.8, 1, 2);

    [Fact]
    public void Workbook_HasChineseHeaders_OneRowPerUnit_NumbersAsNumbers()
    {
        var bytes = ProgressWorkbook.Write("district", [Row("410105", "金水区", 250, 1000), Row("410102", "中原区", 100, 400)], new DateOnly(2026, 12, 1));
        using var ms = new MemoryStream(bytes);
        var rows = ms.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(2, rows.Count);
        var first = rows[0];
        foreach (var h in new[] { "行政区编码", "行政区名称", "分公司", "小区数", "总户数", "完成户数", "入户走访户数", "完成率", "同意率", "纠纷小区数", "逾期回访小区数" })
            Assert.True(first.ContainsKey(h), $"header {h} missing; got {string.Join(",", first.Keys)}");
        Assert.Equal("金水区", first["行政区名称"]);
        Assert.Equal(1000.0, Convert.ToDouble(first["总户数"]));
        Assert.Equal(250.0, Convert.ToDouble(first["完成户数"]));
        Assert.Equal(0.25, Convert.ToDouble(first["完成率"]), 6);
        Assert.IsNotType<string>(first["完成率"]);
    }

    [Fact]
    public void Workbook_FormatsSharesAsPercentages()
    {
        var bytes = ProgressWorkbook.Write("cell", [Row("410105001001001", "一网格", 1, 4)], new DateOnly(2026, 12, 1));
        using var zip = new ZipArchive(new MemoryStream(bytes));
        using var styles = new StreamReader(zip.GetEntry("xl/styles.xml")!.Open());
        Assert.Contains("0.0%", styles.ReadToEnd());
    }
}
