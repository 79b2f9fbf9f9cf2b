using GridMap.Domain.Demo;
using GridMap.Domain.Geo;
using GridMap.Domain.IO;
using GridMap.Domain.Model;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.Tests.Demo;

/// <summary>
/// Test-only helper: writes a generated city to one GeoJSON file (a "layer" property per feature) for looking at
/// in QGIS or a browser. The dump test below writes $GRIDMAP_DEMO_DUMP, or gridmap-demo.geojson in the temp folder.
/// </summary>
internal static class DemoCityDump
{
    public static int Write(DemoCity c, string path)
    {
        var features = new List<(Geometry?, IReadOnlyDictionary<string, object?>)>();
        void Add(string layer, Geometry? g, params (string Key, object? Value)[] props)
        {
            var d = new Dictionary<string, object?>(StringComparer.Ordinal) { ["layer"] = layer };
            foreach (var (k, v) in props) d[k] = v;
            features.Add((g, d));
        }
        foreach (var b in c.Branches) Add("branch", b.Area, ("id", b.Id), ("name", b.Name));
        foreach (var d in c.Districts) Add("district", d.Area, ("code", d.Code), ("name", d.Name), ("branch_id", d.BranchId));
        foreach (var s in c.Streets) Add("street", s.Area, ("code", s.Code), ("name", s.Name), ("district_code", s.DistrictCode));
        foreach (var r in c.Roads) Add("road", r.Geometry, ("id", r.Id), ("name", r.Name));
        foreach (var h in c.HeatSources) Add("heat_source", h.Location, ("id", h.Id), ("name", h.Name), ("capacity_mw", h.CapacityMw));
        foreach (var s in c.Stations) Add("station", s.Location, ("id", s.Id), ("name", s.Name), ("capacity_kw", s.CapacityKw));
        foreach (var x in c.Compounds)
            Add("compound", x.Footprint, ("id", x.Id), ("name", x.Name), ("address", x.Address), ("households", x.Households),
                ("built_year", x.BuiltYear), ("status", x.RetrofitStatus.ToCode()), ("heating", x.HeatingSystem.ToCode()),
                ("consent", x.ConsentRate), ("dispute", x.Dispute), ("notes", x.DisputeNotes), ("station_id", x.StationId));
        foreach (var p in c.Pipes)
            Add("pipe", p.Geometry, ("id", p.Id), ("level", p.Level.ToCode()), ("flow", p.Flow.ToCode()), ("dn", p.Dn),
                ("material", p.Material), ("install_year", p.InstallYear), ("depth_m", p.DepthM), ("station_id", p.StationId));
        foreach (var v in c.Valves)
            Add("valve", v.Location, ("id", v.Id), ("state", v.State.ToCode()), ("operable", v.Operable), ("level", v.Level.ToCode()), ("dn", v.Dn), ("pipe_id", v.PipeId));
        foreach (var s in c.Staff) Add("staff", s.Base, ("id", s.Id), ("name", s.Name), ("phone", s.Phone), ("role", s.Role.ToCode()), ("branch_id", s.BranchId));
        FeatureFile.WriteGeoJson(path, features, Crs.Wgs84);
        return features.Count;
    }
}

[Collection(DemoCityCollection.Name)]
public sealed class DemoCityDumpTests(DemoCityFixture fixture)
{
    [Fact]
    public void Dump_WritesEveryEntityAsAFeature_ThatReadsBack()
    {
        var path = Environment.GetEnvironmentVariable("GRIDMAP_DEMO_DUMP") is { Length: > 0 } p ? p : Path.Combine(Path.GetTempPath(), "gridmap-demo.geojson");
        var written = DemoCityDump.Write(fixture.City, path);
        var c = fixture.City;
        Assert.Equal(c.Branches.Count + c.Districts.Count + c.Streets.Count + c.Roads.Count + c.HeatSources.Count + c.Stations.Count
            + c.Compounds.Count + c.Pipes.Count + c.Valves.Count + c.Staff.Count, written);
        var back = FeatureFile.Read(path);
        Assert.Equal(written, back.Features.Count);
        var compounds = back.Features.Where(f => (string?)f.Properties["layer"] == "compound").ToList();
        Assert.Equal(c.Compounds.Count, compounds.Count);
        Assert.All(compounds, f => Assert.IsType<Polygon>(f.Geometry));
        var extent = new Envelope();
        foreach (var f in compounds) extent.ExpandToInclude(f.Geometry!.EnvelopeInternal);
        // The old compounds lie in the urban core of Zhengzhou.
        Assert.True(extent.MinX > 113.45 && extent.MaxX < 113.9 && extent.MinY > 34.6 && extent.MaxY < 34.95, extent.ToString());
    }
}
