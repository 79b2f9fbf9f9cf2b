using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;

namespace GridMap.Rendering;

/// <summary>
/// The weekly progress spreadsheet (进度周报, XLSX via MiniExcel): one row per district / street / cell with zh-CN headers;
/// counts are numbers, shares are numbers formatted as percentages (0.0%), so a manager can sum and chart them.
/// </summary>
public static class ProgressWorkbook
{
    /// <summary>zh-CN name of a unit kind (district/street/cell), used in the sheet name and first header.</summary>
    public static string UnitLabel(string by) => by switch
    {
        "district" => "行政区",
        "street" => "街道",
        "cell" => "网格",
        _ => throw new ArgumentException($"by must be district, street or cell, not '{by}'.", nameof(by)),
    };

    /// <summary>The workbook bytes; <paramref name="by"/> is district, street or cell.</summary>
    public static byte[] Write(string by, IReadOnlyList<ProgressRow> rows, DateOnly asOf, Palette? palette = null)
    {
        palette ??= Palette.Shared;
        var unit = UnitLabel(by);
        var columns = new List<DynamicExcelColumn>
        {
            new("code") { Name = $"{unit}编码", Width = 18 },
            new("name") { Name = $"{unit}名称", Width = 22 },
            new("parent") { Name = by == "district" ? "分公司" : "所属行政区", Width = 14 },
            new("compounds") { Name = "小区数", Width = 9 },
            new("households") { Name = "总户数", Width = 10 },
        };
        columns.AddRange(palette.Stages.Select(s => new DynamicExcelColumn("hh_" + s.Code) { Name = $"{s.Label}户数", Width = 11 }));
        columns.Add(new("completed_share") { Name = "完成率", Format = "0.0%", Width = 9 });
        columns.Add(new("consent_rate") { Name = "同意率", Format = "0.0%", Width = 9 });
        columns.Add(new("disputes") { Name = "纠纷小区数", Width = 11 });
        columns.Add(new("overdue") { Name = "逾期回访小区数", Width = 14 });
        for (var i = 0; i < columns.Count; i++) columns[i].Index = i;

        var data = rows.Select(r =>
        {
            var d = new Dictionary<string, object?>
            {
                ["code"] = r.Code, ["name"] = r.Name, ["parent"] = r.Parent ?? "", ["compounds"] = r.Compounds, ["households"] = r.Households,
            };
            foreach (var s in palette.Stages) d["hh_" + s.Code] = r.HouseholdsByStage.TryGetValue(s.Code, out var n) ? n : 0L;
            d["completed_share"] = r.CompletedShare;
            d["consent_rate"] = r.ConsentRate;
            d["disputes"] = r.Disputes;
            d["overdue"] = r.OverdueFollowUps;
            return d;
        }).ToList();

        var config = new OpenXmlConfiguration { DynamicColumns = [.. columns], TableStyles = TableStyles.Default, FastMode = false };
        using var ms = new MemoryStream();
        ms.SaveAs(data, sheetName: $"按{unit}_{asOf:yyyyMMdd}", configuration: config);
        return ms.ToArray();
    }
}
