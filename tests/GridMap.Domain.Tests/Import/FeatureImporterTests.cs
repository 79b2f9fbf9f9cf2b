using GridMap.Domain.Geo;
using GridMap.Domain.Import;
using GridMap.Domain.IO;
using GridMap.Domain.Model;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.Tests.Import;

public class FeatureImporterTests
{
    private static string Square(double x, double y, double d) =>
        $"[[[{x},{y}],[{x + d},{y}],[{x + d},{y + d}],[{x},{y + d}],[{x},{y}]]]";

    private static FeatureSet Read(string features, string? crs = null)
    {
        var crsMember = crs is null ? "" : "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"" + crs + "\"}},";
        return FeatureFile.ReadGeoJson("{\"type\":\"FeatureCollection\"," + crsMember + "\"features\":[" + features + "]}");
    }

    private static string Compound(string props, string coords) =>
        "{\"type\":\"Feature\",\"properties\":{" + props + "},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" + coords + "}}";

    private static readonly Func<Point, string?> Jinshui = _ => "410105";

    [Fact]
    public void Compounds_AllValid_BecomeEntitiesWithFreshIds()
    {
        var set = Read(Compound("\"name\":\"文化路小区\",\"households\":300,\"retrofit_status\":\"签约\"", Square(113.65, 34.75, 0.002)) + "," +
                       Compound("\"name\":\"纬五路小区\",\"households\":\"120\"", Square(113.66, 34.76, 0.002)));
        var plan = FeatureImporter.Compounds(set, new ImportOptions(), Jinshui, 101);
        Assert.True(plan.Ok, string.Join("; ", plan.Problems));
        Assert.Equal([101, 102], plan.Items.Select(c => c.Id));
        Assert.Equal(RetrofitStatus.Signed, plan.Items[0].RetrofitStatus);
        Assert.Equal(120, plan.Items[1].Households);
    }

    [Fact]
    public void Compounds_BowTiePolygon_IsReportedWithLocation_UnlessRepairAsked()
    {
        var bowTie = "[[[113.65,34.75],[113.652,34.752],[113.652,34.75],[113.65,34.752],[113.65,34.75]]]";
        var set = Read(Compound("\"id\":7,\"name\":\"a\",\"households\":10", bowTie));
        var plan = FeatureImporter.Compounds(set, new ImportOptions(), Jinshui, 1);
        var p = Assert.Single(plan.Problems);
        Assert.Equal(0, p.Index);
        Assert.Equal("7", p.Id);
        Assert.Contains("Self-intersection", p.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(113.651, p.Lon!.Value, 4);
        Assert.Empty(plan.Items);

        var repaired = FeatureImporter.Compounds(set, new ImportOptions(Repair: true), Jinshui, 1);
        Assert.True(repaired.Ok, string.Join("; ", repaired.Problems));
        Assert.Equal(1, repaired.Repaired);
        Assert.True(repaired.Items[0].Footprint.IsValid);
    }

    [Fact]
    public void Compounds_BadAttributes_AreAllReportedPerFeature()
    {
        var set = Read(
            Compound("\"households\":10", Square(113.65, 34.75, 0.001)) + "," +
            Compound("\"name\":\"b\",\"households\":-3", Square(113.66, 34.75, 0.001)) + "," +
            Compound("\"name\":\"c\",\"households\":5,\"retrofit_status\":\"done\"", Square(113.67, 34.75, 0.001)) + "," +
            Compound("\"name\":\"d\",\"households\":5.5", Square(113.68, 34.75, 0.001)));
        var plan = FeatureImporter.Compounds(set, new ImportOptions(), Jinshui, 1);
        Assert.Equal([0, 1, 2, 3], plan.Problems.Select(p => p.Index));
        Assert.Contains("name", plan.Problems[0].Reason, StringComparison.Ordinal);
        Assert.Contains("negative", plan.Problems[1].Reason, StringComparison.Ordinal);
        Assert.Contains("Unknown retrofit status 'done'", plan.Problems[2].Reason, StringComparison.Ordinal);
        Assert.Contains("whole number", plan.Problems[3].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Compounds_GaussKrugerCoordinatesDeclaredAsWgs84_AreCaughtAsWrongCrs()
    {
        var set = Read(Compound("\"name\":\"a\",\"households\":10", Square(440000, 3846000, 100)));
        var plan = FeatureImporter.Compounds(set, new ImportOptions(), Jinshui, 1);
        Assert.Contains("wrong coordinate system", Assert.Single(plan.Problems).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Compounds_InGaussKruger_AreTransformedToWgs84()
    {
        var (x, y) = Crs.GaussKruger114.FromWgs84Point(113.65, 34.75);
        var set = Read(Compound("\"name\":\"a\",\"households\":10", Square(x, y, 50)), "urn:ogc:def:crs:EPSG::4547");
        var plan = FeatureImporter.Compounds(set, new ImportOptions(), Jinshui, 1);
        Assert.True(plan.Ok, string.Join("; ", plan.Problems));
        var c = plan.Items[0].Footprint.Coordinates[0];
        Assert.Equal(113.65, c.X, 6);
        Assert.Equal(34.75, c.Y, 6);
        Assert.Equal(4326, plan.Items[0].Footprint.SRID);
    }

    [Fact]
    public void Compounds_InGcj02_AreShiftedBackToWgs84()
    {
        var (gx, gy) = Gcj02.FromWgs84(113.65, 34.75);
        var set = Read(Compound("\"name\":\"a\",\"households\":10", Square(gx, gy, 0.001)));
        var plan = FeatureImporter.Compounds(set with { Crs = Crs.Gcj02Crs }, new ImportOptions(), Jinshui, 1);
        var c = plan.Items[0].Footprint.Coordinates[0];
        Assert.Equal(113.65, c.X, 6);
        Assert.Equal(34.75, c.Y, 6);
    }

    [Fact]
    public void Compounds_DuplicateIds_AreRejected()
    {
        var set = Read(Compound("\"id\":5,\"name\":\"a\",\"households\":1", Square(113.65, 34.75, 0.001)) + "," +
                       Compound("\"id\":5,\"name\":\"b\",\"households\":1", Square(113.66, 34.75, 0.001)));
        var plan = FeatureImporter.Compounds(set, new ImportOptions(), Jinshui, 1);
        Assert.Contains("more than once", Assert.Single(plan.Problems).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Pipes_RequireLevelAndDnInRange()
    {
        var set = Read("""
            {"type":"Feature","properties":{"level":"primary","dn":500},"geometry":{"type":"LineString","coordinates":[[113.65,34.75],[113.66,34.75]]}},
            {"type":"Feature","properties":{"level":"tertiary","dn":500},"geometry":{"type":"LineString","coordinates":[[113.65,34.75],[113.66,34.75]]}},
            {"type":"Feature","properties":{"level":"primary","dn":9000},"geometry":{"type":"LineString","coordinates":[[113.65,34.75],[113.66,34.75]]}},
            {"type":"Feature","properties":{"level":"primary","dn":100},"geometry":{"type":"Point","coordinates":[113.65,34.75]}}
            """);
        var plan = FeatureImporter.Pipes(set, new ImportOptions(), 1);
        Assert.Single(plan.Items);
        Assert.Equal([1, 2, 3], plan.Problems.Select(p => p.Index));
        Assert.Contains("tertiary", plan.Problems[0].Reason, StringComparison.Ordinal);
        Assert.Contains("DN must be between", plan.Problems[1].Reason, StringComparison.Ordinal);
        Assert.Contains("expected a LineString", plan.Problems[2].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FeatureWithoutGeometry_IsReported()
    {
        var set = Read("""{"type":"Feature","properties":{"state":"open"},"geometry":null}""");
        var plan = FeatureImporter.Valves(set, new ImportOptions(), 1);
        Assert.Contains("no geometry", Assert.Single(plan.Problems).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedGeoJson_ThrowsFeatureFileException()
    {
        Assert.Throws<FeatureFileException>(() => FeatureFile.ReadGeoJson("{\"type\":\"FeatureCollection\",\"features\":[{]}"));
        Assert.Throws<FeatureFileException>(() => FeatureFile.ReadGeoJson("[1,2]"));
    }
}
