using GridMap.Rendering;
using NetTopologySuite.IO;

namespace GridMap.Rendering.Tests;

/// <summary>A fixed, hand-made piece of Zhengzhou (金水区-like, lat ≈ 34.77°): compounds in every stage, one disputed,
/// two overlapping names that cannot both be labelled, a district outline and two roads.</summary>
internal static class Samples
{
    private static readonly WKTReader Wkt = new();

    public static readonly DateOnly Date = new(2026, 12, 1);

    private static CompoundShape C(double x, double y, string name, string stage, int hh, bool dispute = false, double w = 0.0030, double h = 0.0022) =>
        new(Wkt.Read($"POLYGON(({x} {y},{x + w} {y},{x + w} {y + h},{x} {y + h},{x} {y}))"), name, stage, hh, dispute);

    public static MapContent Map() => new([113.650, 34.760, 113.690, 34.785],
        [
            C(113.652, 34.762, "金水花园", "not_started", 420),
            C(113.658, 34.762, "文化路小区", "publicity", 380),
            C(113.664, 34.762, "农科路社区", "visiting", 300),
            C(113.670, 34.762, "纬五路家属院", "signed", 260, dispute: true),
            C(113.676, 34.762, "黄河路一号院", "construction", 510),
            C(113.682, 34.762, "经三路小区", "acceptance", 150),
            C(113.652, 34.770, "丰产路小区", "completed", 640),
            C(113.660, 34.770, "省委家属院", "completed", 700, w: 0.006, h: 0.004),
            // Two compounds on top of each other: only the bigger gets its name printed.
            C(113.675, 34.774, "重叠甲小区", "signed", 900),
            C(113.6752, 34.7741, "重叠乙小区", "visiting", 100),
        ],
        [new BoundaryShape(Wkt.Read("POLYGON((113.651 34.761,113.689 34.761,113.689 34.784,113.651 34.784,113.651 34.761))"), "金水区", BoundaryKind.District)],
        [new RoadShape(Wkt.Read("LINESTRING(113.650 34.768,113.690 34.768)"), "农业路"), new RoadShape(Wkt.Read("LINESTRING(113.668 34.760,113.668 34.785)"), "花园路")]);

    public static CoverageMapRequest Coverage(PaperSize paper = PaperSize.A4, bool landscape = false) =>
        new(Map(), "金水区 串改并改造覆盖图", "10 个小区，4,360 户", Date, "测试数据（手工样例）", paper, landscape);

    public const string CellUrl = "https://gridmap.example.cn/#/cell/410105001001001";

    public static NoticeBoardRequest NoticeBoard() => new("410105001001001", "金水一网格", "金水区", "文化路街道", "北区分公司",
        "张桂英", "13800138000", Map(),
        [
            new("省委家属院", 700, "completed", 0.98, false),
            new("黄河路一号院", 510, "construction", 0.91, false),
            new("纬五路家属院", 260, "signed", 0.72, true),
            new("金水花园", 420, "not_started", 0.10, false),
        ],
        CellUrl, Date, "测试数据（手工样例）");
}
