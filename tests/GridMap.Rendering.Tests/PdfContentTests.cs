namespace GridMap.Rendering.Tests;

/// <summary>What a reader gets out of the PDFs: text extracted by pdftotext (Chinese included), the QR code decoded by zbarimg.</summary>
public class PdfContentTests
{
    [Fact]
    public void CoverageMapPdf_HasTitleLegendDateSourceAndChineseLabels_AsExtractableText()
    {
        var pdf = CoverageMapRenderer.Render(Samples.Coverage(), OutputFormat.Pdf);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
        var text = Tools.PdfText(pdf);
        Assert.Matches(@"金水区\s+串改并改造覆盖图", text); // pdftotext may break the title line at the space
        Assert.Contains("改造阶段", text);
        foreach (var stage in Palette.Shared.Stages) Assert.Contains(stage.Label, text);
        Assert.Contains(Palette.Shared.DisputeLabel, text);
        Assert.Contains("制图日期：2026-12-01", text);
        Assert.Contains("数据来源：测试数据（手工样例）", text);
        Assert.Contains("北", text);
        Assert.Contains("省委家属院", text); // the biggest compound is always labelled
    }

    [Fact]
    public void CoverageMap_OfTwoOverlappingCompounds_LabelsOnlyOne()
    {
        var text = Tools.PdfText(CoverageMapRenderer.Render(Samples.Coverage(), OutputFormat.Pdf));
        Assert.Contains("重叠甲小区", text);
        Assert.DoesNotContain("重叠乙小区", text);
    }

    [Fact]
    public void CoverageMapPdf_A3Landscape_IsA3LandscapePage()
    {
        var pdf = CoverageMapRenderer.Render(Samples.Coverage(PaperSize.A3, landscape: true), OutputFormat.Pdf);
        var file = Tools.Scratch("a3") + ".pdf";
        File.WriteAllBytes(file, pdf);
        try
        {
            var info = Tools.Run("pdfinfo", file);
            Assert.Matches(@"Page size:\s+1190\.\d+ x 841\.\d+ pts", info);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void NoticeBoardPdf_NamesStaffPhoneBranchAndSchedule()
    {
        var text = Tools.PdfText(NoticeBoardRenderer.Render(Samples.NoticeBoard()));
        Assert.Contains("网格公示牌", text);
        Assert.Contains("金水一网格", text);
        Assert.Contains("张桂英", text);
        Assert.Contains("13800138000", text);
        Assert.Contains("北区分公司", text);
        Assert.Contains("改造进度安排", text);
        Assert.Contains("纬五路家属院", text);
        Assert.Contains("施工", text);
    }

    [Fact]
    public void NoticeBoardPdf_QrCode_DecodesToTheCellUrl() =>
        Assert.Equal(Samples.CellUrl, Tools.QrFromPdf(NoticeBoardRenderer.Render(Samples.NoticeBoard())));
}
