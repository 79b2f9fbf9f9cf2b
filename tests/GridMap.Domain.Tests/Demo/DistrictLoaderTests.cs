using GridMap.Domain.Demo;
using GridMap.Domain.Geo;
using GridMap.Domain.IO;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.Tests.Demo;

public sealed class DistrictLoaderTests
{
    // Loading repairs and converts all 12 districts (about a second): done once for the tests that only read it.
    private static readonly Lazy<IReadOnlyList<DistrictShape>> Loaded = new(DistrictLoader.Load);

    [Fact]
    public void Gcj02_OfTheIssuesCheckPoint_MatchesThePublishedValue()
    {
        var (lon, lat) = Gcj02.FromWgs84(113.65, 34.75);
        Assert.Equal(113.656078, lon, 1e-5);
        Assert.Equal(34.748856, lat, 1e-5);
        var (backLon, backLat) = Gcj02.ToWgs84(lon, lat);
        Assert.Equal(113.65, backLon, 1e-7);
        Assert.Equal(34.75, backLat, 1e-7);
    }

    [Fact]
    public void EmbeddedEchartsDistricts_AreAllInvalidAsPublished()
    {
        var set = FeatureFile.ReadGeoJson(DemoData.ReadText(DemoData.Districts));
        Assert.Equal(12, set.Features.Count);
        Assert.All(set.Features, f => Assert.False(f.Geometry!.IsValid, $"{f.Id} was expected to be invalid as published"));
    }

    [Fact]
    public void Load_RepairsEveryDistrict_IntoValidNonOverlappingMultiPolygons()
    {
        var districts = DistrictLoader.Load();
        Assert.Equal(12, districts.Count);
        Assert.All(districts, d =>
        {
            Assert.IsType<MultiPolygon>(d.Wgs84);
            Assert.True(d.Wgs84.IsValid, d.Code);
            Assert.True(d.Metric.IsValid, d.Code);
            Assert.Equal(4326, d.Wgs84.SRID);
        });
        for (var i = 0; i < districts.Count; i++)
            for (var j = i + 1; j < districts.Count; j++)
                Assert.True(districts[i].Metric.Intersection(districts[j].Metric).Area < 1.0, $"{districts[i].Name} overlaps {districts[j].Name}");
    }

    [Theory]
    [InlineData("410102", "中原区", 193)]
    [InlineData("410103", "二七区", 156)]
    [InlineData("410104", "管城回族区", 204)]
    [InlineData("410105", "金水区", 242)]
    [InlineData("410108", "惠济区", 232)]
    public void Load_KeepsTheOfficialDistrictArea(string code, string name, double officialKm2)
    {
        var d = Loaded.Value.Single(x => x.Code == code);
        Assert.Equal(name, d.Name);
        // The echarts outlines are rounded to ~100 m, so within 10% of the official area.
        Assert.InRange(d.Metric.Area / 1e6, officialKm2 * 0.9, officialKm2 * 1.1);
    }

    [Fact]
    public void Load_ConvertsGcj02ToWgs84_MatchingTheIndependentDataVReference()
    {
        var path = DemoPaths.SharedData("zhengzhou", "zhengzhou_districts_datav_wgs84.geojson");
        var reference = FeatureFile.Read(path).Features.ToDictionary(f => f.Id ?? f.Properties["adcode"]!.ToString()!, f => f.Geometry!);
        foreach (var d in Loaded.Value)
        {
            var r = reference[d.Code];
            // Different sources, both rounded: the outlines agree to an IoU above 0.85 once both are WGS84 ...
            var iou = d.Wgs84.Intersection(r).Area / d.Wgs84.Union(r).Area;
            Assert.True(iou > 0.85, $"{d.Name}: IoU {iou:F3} with the DataV outline");
            // ... and clearly better than the same outline left in GCJ-02 (offset ~570 m).
            var gcj = Crs.Gcj02Crs.FromWgs84(d.Wgs84);
            var iouGcj = gcj.Intersection(r).Area / gcj.Union(r).Area;
            Assert.True(iou > iouGcj + 0.02, $"{d.Name}: IoU {iou:F3} converted, {iouGcj:F3} left in GCJ-02");
        }
    }
}
