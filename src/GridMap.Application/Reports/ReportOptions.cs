namespace GridMap.Application.Reports;

/// <summary>Settings of printed maps and reports (configuration section <c>GridMap:Reports</c> in the Api;
/// <c>GRIDMAP_PUBLIC_URL</c> / <c>--base-url</c> in the CLI).</summary>
public sealed class ReportOptions
{
    /// <summary>The web client's address as people outside reach it; a notice board's QR code opens
    /// <c>{PublicBaseUrl}/#/cell/{code}</c>. Default: the address <c>scripts/run</c> serves on.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Printed as 数据来源 on every map.</summary>
    public string DataSource { get; set; } = "GridMap 串改并数据库（PostGIS）";

    /// <summary>The URL a notice board's QR code carries for cell <paramref name="code"/>.</summary>
    public string CellUrl(string code) => $"{PublicBaseUrl.TrimEnd('/')}/#/cell/{Uri.EscapeDataString(code)}";
}
