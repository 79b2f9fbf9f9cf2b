using System.Security.Cryptography;
using System.Text;
using GridMap.Domain.Demo;
using GridMap.Domain.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.IO;
using Xunit.Abstractions;

namespace GridMap.Domain.Tests.Demo;

[Collection(DemoCityCollection.Name)]
public sealed class DemoCityGeneratorTests(DemoCityFixture fixture, ITestOutputHelper output)
{
    private DemoCity City => fixture.City;

    [Fact]
    public void Generate_SameSeed_GivesIdenticalCity_AndAnotherSeedDiffers()
    {
        var again = DemoCityGenerator.Generate(42);
        Assert.Equal(Fingerprint(City), Fingerprint(again));
        var other = DemoCityGenerator.Generate(7);
        Assert.NotEqual(Fingerprint(City), Fingerprint(other));
    }

    [Fact]
    public void Generate_MeetsTheFloorsOfTheIssue()
    {
        Assert.Equal(4, City.Branches.Count);
        Assert.Equal(["东区分公司", "西区分公司", "南区分公司", "北区分公司"], City.Branches.OrderBy(b => b.Id).Select(b => b.Name));
        Assert.Equal(12, City.Districts.Count);
        Assert.True(City.Compounds.Count >= 3000, $"{City.Compounds.Count} compounds");
        Assert.True(City.Stations.Count >= 150, $"{City.Stations.Count} stations");
        Assert.True(City.Staff.Count >= 150, $"{City.Staff.Count} staff");
        Assert.True(City.HeatSources.Count >= 2, $"{City.HeatSources.Count} heat sources");
        Assert.Contains(City.Pipes, p => p.Level == NetworkLevel.Primary);
        Assert.Contains(City.Pipes, p => p.Level == NetworkLevel.Secondary);
        Assert.Contains(City.Pipes, p => p.Flow == FlowDirection.Return);
    }

    [Fact]
    public void Generate_IdsAreUnique_AndEveryReferenceResolves()
    {
        AssertUnique(City.Branches.Select(b => (long)b.Id), "branch");
        AssertUnique(City.Stations.Select(s => (long)s.Id), "station");
        AssertUnique(City.Compounds.Select(c => (long)c.Id), "compound");
        AssertUnique(City.Pipes.Select(p => p.Id), "pipe");
        AssertUnique(City.Valves.Select(v => v.Id), "valve");
        AssertUnique(City.Staff.Select(s => (long)s.Id), "staff");
        AssertUnique(City.HeatSources.Select(h => (long)h.Id), "heat source");
        AssertUnique(City.Roads.Select(r => r.Id), "road");
        Assert.Equal(City.Districts.Count, City.Districts.Select(d => d.Code).Distinct().Count());
        Assert.Equal(City.Streets.Count, City.Streets.Select(d => d.Code).Distinct().Count());
        Assert.Equal(City.Communities.Count, City.Communities.Select(d => d.Code).Distinct().Count());

        var branches = City.Branches.Select(b => b.Id).ToHashSet();
        var districts = City.Districts.Select(d => d.Code).ToHashSet();
        var streets = City.Streets.ToDictionary(s => s.Code);
        var communities = City.Communities.ToDictionary(c => c.Code);
        var stations = City.Stations.Select(s => s.Id).ToHashSet();
        var pipes = City.Pipes.Select(p => p.Id).ToHashSet();
        Assert.All(City.Districts, d => Assert.Contains(d.BranchId, branches));
        Assert.All(City.Streets, s => Assert.Contains(s.DistrictCode, districts));
        Assert.All(City.Communities, c => Assert.True(streets.ContainsKey(c.StreetCode), c.Code));
        Assert.All(City.Staff, s => Assert.Contains(s.BranchId, branches));
        Assert.All(City.Stations, s => Assert.Contains(s.DistrictCode, districts));
        Assert.All(City.Pipes.Where(p => p.StationId is not null), p => Assert.Contains(p.StationId!.Value, stations));
        Assert.All(City.Valves, v => Assert.Contains(v.PipeId!.Value, pipes));
        Assert.All(City.Compounds, c =>
        {
            Assert.Contains(c.DistrictCode, districts);
            Assert.Equal(c.DistrictCode, streets[c.StreetCode!].DistrictCode);
            Assert.Equal(c.StreetCode, communities[c.CommunityCode!].StreetCode);
            Assert.Contains(c.StationId!.Value, stations);
        });
    }

    [Fact]
    public void Generate_AllGeometriesAreValidWgs84()
    {
        var all = City.Branches.Select(b => (Geometry)b.Area)
            .Concat(City.Districts.Select(d => d.Area))
            .Concat(City.Streets.Where(s => s.Area is not null).Select(s => s.Area!))
            .Concat(City.Roads.Select(r => r.Geometry))
            .Concat(City.HeatSources.Select(h => h.Location))
            .Concat(City.Stations.Select(s => s.Location))
            .Concat(City.Compounds.Select(c => c.Footprint))
            .Concat(City.Pipes.Select(p => p.Geometry))
            .Concat(City.Valves.Select(v => v.Location))
            .Concat(City.Staff.Select(s => s.Base)).ToList();
        Assert.All(all, g =>
        {
            Assert.Equal(4326, g.SRID);
            Assert.False(g.IsEmpty);
            Assert.True(g.IsValid, g.AsText()[..Math.Min(200, g.AsText().Length)]);
            var e = g.EnvelopeInternal;
            // The municipality of Zhengzhou lies within 112.7–114.3°E, 34.2–35.0°N.
            Assert.True(e.MinX > 112.7 && e.MaxX < 114.3 && e.MinY > 34.2 && e.MaxY < 35.0, e.ToString());
        });
        Assert.All(City.Pipes, p => Assert.True(p.Geometry.Length > 0));
    }

    [Fact]
    public void Compounds_LieInsideTheirDistrictAndStreetArea()
    {
        var districts = City.Districts.ToDictionary(d => d.Code, d => PreparedGeometryFactory.Prepare(d.Area));
        var streets = City.Streets.Where(s => s.Area is not null).ToDictionary(s => s.Code, s => s.Area!);
        Assert.All(City.Compounds, c => Assert.True(districts[c.DistrictCode].Covers(c.Footprint), $"{c.Id} {c.Name} outside {c.DistrictCode}"));
        // A compound belongs to the street whose area holds its centre.
        Assert.All(City.Compounds, c => Assert.True(streets[c.StreetCode!].Distance(c.Footprint.Centroid) < 1e-6, $"{c.Id} {c.Name} not in street {c.StreetCode}"));
        Assert.All(City.Streets.Where(s => s.Area is not null), s =>
            Assert.True(districts[s.DistrictCode].Covers(s.Area!.Buffer(-1e-5)), $"street {s.Name} leaves its district"));
    }

    [Fact]
    public void Compounds_NeverOverlapEachOther_NorTouchARoad()
    {
        var tree = new STRtree<Compound>();
        foreach (var c in City.Compounds) tree.Insert(c.Footprint.EnvelopeInternal, c);
        var overlaps = new List<string>();
        foreach (var c in City.Compounds)
            foreach (var other in tree.Query(c.Footprint.EnvelopeInternal))
                if (other.Id > c.Id && other.Footprint.Intersects(c.Footprint)) overlaps.Add($"{c.Id}/{other.Id}");
        Assert.Empty(overlaps);

        var roads = new STRtree<Road>();
        foreach (var r in City.Roads) roads.Insert(r.Geometry.EnvelopeInternal, r);
        var crossings = City.Compounds.SelectMany(c => roads.Query(c.Footprint.EnvelopeInternal)
            .Where(r => r.Geometry.Intersects(c.Footprint)).Select(r => $"{c.Name}×{r.Name}")).ToList();
        Assert.Empty(crossings);
    }

    [Fact]
    public void Compounds_HavePlausibleFootprintsAndSizes()
    {
        var crsAreas = City.Compounds.Select(c => AreaM2(c.Footprint)).ToList();
        Assert.All(crsAreas, a => Assert.InRange(a, 4_900, 80_500));
        var households = City.Compounds.Select(c => c.Households).Order().ToList();
        Assert.All(households, h => Assert.InRange(h, 50, 2000));
        var median = households[households.Count / 2];
        var mean = households.Average();
        output.WriteLine($"households median {median}, mean {mean:F0}, max {households[^1]}");
        Assert.True(median < 0.8 * mean, $"households should be skewed small: median {median}, mean {mean:F0}");
        Assert.True(households.Count(h => h > 1000) > 0, "some large estates");
        Assert.All(City.Compounds, c =>
        {
            Assert.InRange(c.HeatedAreaM2 / c.Households, 50, 100);
            Assert.InRange((double)c.Households / c.Buildings, 10, 120);
            Assert.InRange(c.BuiltYear!.Value, 1980, 2005);
            Assert.False(string.IsNullOrWhiteSpace(c.Name));
        });
        Assert.Equal(City.Compounds.Count, City.Compounds.Select(c => c.Name).Distinct().Count());
        // Named after the real communities of their street.
        var communities = City.Communities.ToDictionary(c => c.Code);
        var namedAfterCommunity = City.Compounds.Count(c => c.Name.StartsWith(NameSource.ShortName(communities[c.CommunityCode!]), StringComparison.Ordinal));
        Assert.True(namedAfterCommunity > City.Compounds.Count / 4, $"{namedAfterCommunity} named after their community");
    }

    [Fact]
    public void Campaign_LooksInProgress()
    {
        var byStatus = City.Compounds.GroupBy(c => c.RetrofitStatus).ToDictionary(g => g.Key, g => g.ToList());
        output.WriteLine(string.Join(", ", Enum.GetValues<RetrofitStatus>().Select(s => $"{s.ToLabel()} {byStatus.GetValueOrDefault(s)?.Count ?? 0}")));
        Assert.All(Enum.GetValues<RetrofitStatus>(), s => Assert.True(byStatus.GetValueOrDefault(s)?.Count >= 50, $"{s} too rare"));
        Assert.All(byStatus[RetrofitStatus.Completed], c => Assert.Equal(HeatingSystem.Parallel, c.HeatingSystem));
        Assert.All(byStatus[RetrofitStatus.Completed], c => Assert.NotNull(c.SecondaryRetrofitYear));
        Assert.True(byStatus[RetrofitStatus.NotStarted].Count(c => c.HeatingSystem == HeatingSystem.Series) > 0.9 * byStatus[RetrofitStatus.NotStarted].Count);
        var meanConsent = Enum.GetValues<RetrofitStatus>().Select(s => byStatus[s].Average(c => c.ConsentRate)).ToList();
        for (var i = 1; i < meanConsent.Count; i++) Assert.True(meanConsent[i] > meanConsent[i - 1], $"consent should rise with the stage: {string.Join(", ", meanConsent.Select(m => m.ToString("F2")))}");
        Assert.All(byStatus[RetrofitStatus.Signed], c => Assert.True(c.ConsentRate >= 0.66));

        var disputes = City.Compounds.Where(c => c.Dispute).ToList();
        Assert.InRange(disputes.Count, 30, City.Compounds.Count / 5);
        Assert.All(disputes, c => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", c.DisputeNotes ?? ""));
        Assert.All(City.Compounds.Where(c => !c.Dispute), c => Assert.Null(c.DisputeNotes));
        Assert.Equal(["arrears", "paid", "partial"], City.Compounds.Select(c => c.FeeStatus).Distinct().Order(StringComparer.Ordinal));

        // Some districts are further along than others.
        var completedShare = City.Compounds.GroupBy(c => c.DistrictCode).ToDictionary(g => g.Key, g => g.Count(c => c.RetrofitStatus == RetrofitStatus.Completed) / (double)g.Count());
        Assert.True(completedShare.Values.Max() > 2 * completedShare.Values.Min(), string.Join(", ", completedShare.Select(kv => $"{kv.Key} {kv.Value:P0}")));
    }

    [Fact]
    public void EveryCompound_IsReachedByItsStationsSecondaryTree()
    {
        var pipesByStation = City.Pipes.Where(p => p.Level == NetworkLevel.Secondary && p.Flow == FlowDirection.Supply)
            .GroupBy(p => p.StationId!.Value).ToDictionary(g => g.Key, g => g.ToList());
        var compoundsByStation = City.Compounds.GroupBy(c => c.StationId!.Value).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(City.Stations.Select(s => s.Id).Order(), compoundsByStation.Keys.Order());
        foreach (var station in City.Stations)
        {
            var pipes = pipesByStation[station.Id];
            var (nodes, components) = Graph(pipes);
            Assert.Equal(1, components);
            // A tree: one edge fewer than nodes, rooted at the station.
            Assert.Equal(nodes.Count - 1, pipes.Count);
            Assert.Contains(station.Location.Coordinate, nodes);
            var ends = pipes.Select(p => p.Geometry.EndPoint).ToList();
            foreach (var c in compoundsByStation[station.Id])
                Assert.True(ends.Any(e => c.Footprint.Distance(e) < 1e-6), $"compound {c.Id} {c.Name} not reached by station {station.Id}");
        }
    }

    [Fact]
    public void PrimaryNetwork_ConnectsEveryStationToAHeatSource_WithSomeLoops()
    {
        var primary = City.Pipes.Where(p => p.Level == NetworkLevel.Primary && p.Flow == FlowDirection.Supply).ToList();
        var (nodes, components) = Graph(primary);
        // Each plant's feeder starts at the plant; a plant's network may be joined to another by tie lines.
        Assert.InRange(components, 1, City.HeatSources.Count);
        var reached = Reachable(primary, City.HeatSources.Select(h => h.Location.Coordinate));
        Assert.Equal(nodes.Count, reached.Count);
        Assert.All(City.Stations, s => Assert.Contains(s.Location.Coordinate, reached));
        var cycles = primary.Count - nodes.Count + components;
        Assert.True(cycles >= 3, $"primary network should have some loops, has {cycles}");
        Assert.Contains(primary, p => p.Dn >= 1000);
        Assert.All(primary, p => Assert.InRange(p.DepthM, 0.8, 3.0));
        Assert.All(City.Pipes.Where(p => p.Level == NetworkLevel.Secondary), p => Assert.InRange(p.Dn, 50, 300));
    }

    [Fact]
    public void Pipes_NeverRunThroughACompound()
    {
        // Pipes follow roads and lanes; a service pipe ends on its compound's wall (touching, not entering).
        var tree = new STRtree<Compound>();
        foreach (var c in City.Compounds) tree.Insert(c.Footprint.EnvelopeInternal, c);
        var through = City.Pipes.Where(p => p.Flow == FlowDirection.Supply)
            .SelectMany(p => tree.Query(p.Geometry.EnvelopeInternal)
                .Where(c => p.Geometry.Relate(c.Footprint, "T********"))
                .Select(c => $"{p.Level} pipe {p.Id} (station {p.StationId}) through {c.Id} {c.Name}"))
            .ToList();
        Assert.True(through.Count == 0, $"{through.Count} pipes cross compounds, e.g. {string.Join("; ", through.Take(5))}");
    }

    [Fact]
    public void PipeDiameters_NeverGrowDownstream()
    {
        // Pipes are drawn downstream (from plant or station): a pipe is no wider than the widest pipe feeding its start.
        foreach (var group in City.Pipes.GroupBy(p => (p.Level, p.Flow)))
        {
            var incoming = group.GroupBy(p => p.Geometry.EndPoint.Coordinate).ToDictionary(g => g.Key, g => g.Max(p => p.Dn));
            foreach (var p in group)
                if (incoming.TryGetValue(p.Geometry.StartPoint.Coordinate, out var feed))
                    Assert.True(p.Dn <= feed, $"{p.Level} pipe {p.Id} DN{p.Dn} is fed by DN{feed}");
        }
    }

    [Fact]
    public void EverySupplyPipe_HasAReturnTwinBesideIt()
    {
        var supply = City.Pipes.Where(p => p.Flow == FlowDirection.Supply).ToList();
        var returns = City.Pipes.Where(p => p.Flow == FlowDirection.Return).ToList();
        Assert.Equal(supply.Count, returns.Count);
        for (var i = 0; i < supply.Count; i++)
        {
            var s = supply[i];
            var r = returns[i];
            Assert.Equal((s.Level, s.Dn, s.StationId, s.Geometry.NumPoints), (r.Level, r.Dn, r.StationId, r.Geometry.NumPoints));
            var apartM = AreaM2Distance(s.Geometry.StartPoint, r.Geometry.StartPoint);
            Assert.InRange(apartM, 1.5, 3.0);
        }
    }

    [Fact]
    public void Valves_SitAtStationInletsAndTees_SomeClosedAndAFewInoperable()
    {
        var pipes = City.Pipes.ToDictionary(p => p.Id);
        var valvesByPipe = City.Valves.ToLookup(v => v.PipeId!.Value);
        Assert.All(City.Valves, v => Assert.True(pipes[v.PipeId!.Value].Geometry.Distance(v.Location) < 1e-6, $"valve {v.Id} off its pipe"));
        Assert.All(City.Valves, v => Assert.Equal(pipes[v.PipeId!.Value].Dn, v.Dn));
        foreach (var s in City.Stations)
        {
            var inlets = City.Pipes.Where(p => p.Level == NetworkLevel.Primary && p.StationId == s.Id).ToList();
            Assert.Equal(2, inlets.Count); // supply and return branch
            Assert.All(inlets, p => Assert.Contains(valvesByPipe[p.Id], v => v.Location.Distance(p.Geometry.EndPoint) < 5e-5));
        }
        // Every tee of the secondary supply network has a valve on each branch leaving it.
        var secondary = City.Pipes.Where(p => p.Level == NetworkLevel.Secondary && p.Flow == FlowDirection.Supply).ToList();
        var leaving = secondary.GroupBy(p => p.Geometry.StartPoint.Coordinate).Where(g => g.Count() >= 2);
        Assert.All(leaving.SelectMany(g => g), p => Assert.NotEmpty(valvesByPipe[p.Id]));

        var inoperable = City.Valves.Count(v => !v.Operable) / (double)City.Valves.Count;
        Assert.InRange(inoperable, 0.015, 0.05);
        Assert.Contains(City.Valves, v => v.State == OpenState.Closed);
        Assert.True(City.Valves.Count(v => v.State == OpenState.Closed) < City.Valves.Count / 20);
    }

    [Fact]
    public void Staff_HavePlausibleNamesPhonesRolesAndBases()
    {
        Assert.All(City.Staff, s =>
        {
            Assert.Matches(@"^1[3-9]\d \d{4} \d{4}$", s.Phone);
            Assert.Matches(@"^\p{IsCJKUnifiedIdeographs}{2,3}$", s.Name);
        });
        Assert.Equal(City.Staff.Count, City.Staff.Select(s => s.Phone).Distinct().Count());
        Assert.True(City.Staff.Count(s => s.Role == StaffRole.GridWorker) > City.Staff.Count * 0.6);
        Assert.Contains(City.Staff, s => s.Role == StaffRole.Supervisor);
        Assert.Contains(City.Staff, s => s.Role == StaffRole.Engineer);
        Assert.Equal(City.Branches.Select(b => b.Id).Order(), City.Staff.Select(s => s.BranchId).Distinct().Order());
        // Based near the compounds of their own branch.
        var branchOf = City.Districts.ToDictionary(d => d.Code, d => d.BranchId);
        var tree = new STRtree<Compound>();
        foreach (var c in City.Compounds) tree.Insert(c.Footprint.EnvelopeInternal, c);
        Assert.All(City.Staff, s =>
        {
            var env = new Envelope(s.Base.Coordinate);
            env.ExpandBy(0.003);
            Assert.Contains(tree.Query(env), c => branchOf[c.DistrictCode] == s.BranchId);
        });
    }

    [Fact]
    public void Branches_AreUnionsOfTheirUrbanDistricts()
    {
        var urban = new[] { "410102", "410103", "410104", "410105", "410106", "410108" };
        foreach (var b in City.Branches)
        {
            var members = City.Districts.Where(d => d.BranchId == b.Id && urban.Contains(d.Code)).ToList();
            Assert.NotEmpty(members);
            var union = NetTopologySuite.Operation.Union.UnaryUnionOp.Union(members.Select(d => (Geometry)d.Area).ToList());
            Assert.True(union.SymmetricDifference(b.Area).Area < 1e-6 * union.Area + 1e-9, $"{b.Name} differs from its districts");
        }
        Assert.Equal(urban.Order(), City.Districts.Where(d => City.Branches.Any(b => b.Area.Covers(d.Area.InteriorPoint))).Select(d => d.Code).Order());
    }

    /// <summary>Prints the counts (a console check: renders nothing).</summary>
    [Fact]
    public void ConsoleCheck_PrintsCounts()
    {
        var c = City;
        var lines = new List<string>
        {
            $"demo city seed {c.Seed}: generated in {fixture.Elapsed.TotalSeconds:F1} s wall, {fixture.Cpu.TotalSeconds:F1} s CPU (cold, this process)",
            c.Summary(),
            "compounds by district: " + string.Join(", ", c.Compounds.GroupBy(x => x.DistrictCode).OrderBy(g => g.Key)
                .Select(g => $"{c.Districts.First(d => d.Code == g.Key).Name} {g.Count()}")),
            "status: " + string.Join(", ", c.Compounds.GroupBy(x => x.RetrofitStatus).OrderBy(g => g.Key).Select(g => $"{g.Key.ToLabel()} {g.Count()}")),
            "pipes: " + string.Join(", ", c.Pipes.GroupBy(p => (p.Level, p.Flow)).OrderBy(g => g.Key).Select(g => $"{g.Key.Level}/{g.Key.Flow} {g.Count()} ({g.Sum(p => LengthM(p.Geometry)) / 1000:F0} km)")),
            $"valves: {c.Valves.Count} ({c.Valves.Count(v => v.State == OpenState.Closed)} closed, {c.Valves.Count(v => !v.Operable)} inoperable)",
            $"households: {c.Compounds.Sum(x => x.Households):N0}; extent {new GeometryCollection(c.Compounds.Select(x => (Geometry)x.Footprint).ToArray()).EnvelopeInternal}",
        };
        foreach (var l in lines) { output.WriteLine(l); Console.WriteLine(l); }
        Assert.Equal(c.Compounds.Count, c.Compounds.GroupBy(x => x.DistrictCode).Sum(g => g.Count()));
    }

    internal static string Fingerprint(DemoCity c)
    {
        var sb = new StringBuilder();
        var wkb = new WKBWriter();
        void G(Geometry? g) => sb.Append(g is null ? "-" : Convert.ToBase64String(wkb.Write(g))).Append('|');
        foreach (var x in c.Branches) { sb.Append($"{x.Id}{x.Name}"); G(x.Area); }
        foreach (var x in c.Districts) { sb.Append($"{x.Code}{x.Name}{x.BranchId}"); G(x.Area); }
        foreach (var x in c.Streets) { sb.Append($"{x.Code}{x.Name}{x.DistrictCode}"); G(x.Area); }
        foreach (var x in c.Communities) sb.Append($"{x.Code}{x.Name}{x.StreetCode}|");
        foreach (var x in c.Roads) { sb.Append($"{x.Id}{x.Name}"); G(x.Geometry); }
        foreach (var x in c.HeatSources) { sb.Append($"{x.Id}{x.Name}{x.CapacityMw:R}"); G(x.Location); }
        foreach (var x in c.Stations) { sb.Append($"{x.Id}{x.Name}{x.DistrictCode}{x.CapacityKw:R}"); G(x.Location); }
        foreach (var x in c.Compounds)
        {
            sb.Append($"{x.Id}{x.Name}{x.Address}{x.DistrictCode}{x.StreetCode}{x.CommunityCode}{x.Households}{x.Buildings}{x.HeatedAreaM2:R}{x.BuiltYear}");
            sb.Append($"{x.HeatingSystem}{x.RetrofitStatus}{x.ConsentRate:R}{x.Dispute}{x.DisputeNotes}{x.PropertyManagement}{x.FeeStatus}{x.SecondaryRetrofitYear}{x.StationId}");
            G(x.Footprint);
        }
        foreach (var x in c.Pipes) { sb.Append($"{x.Id}{x.Level}{x.Flow}{x.Dn}{x.Material}{x.InstallYear}{x.DepthM:R}{x.Status}{x.StationId}"); G(x.Geometry); }
        foreach (var x in c.Valves) { sb.Append($"{x.Id}{x.State}{x.Operable}{x.Level}{x.Dn}{x.PipeId}"); G(x.Location); }
        foreach (var x in c.Staff) { sb.Append($"{x.Id}{x.Name}{x.Phone}{x.Role}{x.BranchId}"); G(x.Base); }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    private static (HashSet<Coordinate> Nodes, int Components) Graph(IReadOnlyList<Pipe> pipes)
    {
        var nodes = new HashSet<Coordinate>();
        foreach (var p in pipes) { nodes.Add(p.Geometry.StartPoint.Coordinate); nodes.Add(p.Geometry.EndPoint.Coordinate); }
        var components = 0;
        var seen = new HashSet<Coordinate>();
        foreach (var n in nodes)
        {
            if (seen.Contains(n)) continue;
            components++;
            foreach (var r in Reachable(pipes, [n])) seen.Add(r);
        }
        return (nodes, components);
    }

    private static HashSet<Coordinate> Reachable(IReadOnlyList<Pipe> pipes, IEnumerable<Coordinate> from)
    {
        var adj = new Dictionary<Coordinate, List<Coordinate>>();
        foreach (var p in pipes)
        {
            var a = p.Geometry.StartPoint.Coordinate;
            var b = p.Geometry.EndPoint.Coordinate;
            if (!adj.TryGetValue(a, out var la)) adj[a] = la = [];
            if (!adj.TryGetValue(b, out var lb)) adj[b] = lb = [];
            la.Add(b); lb.Add(a);
        }
        var seen = new HashSet<Coordinate>();
        var stack = new Stack<Coordinate>(from.Where(adj.ContainsKey));
        foreach (var s in stack) seen.Add(s);
        while (stack.Count > 0)
            foreach (var v in adj[stack.Pop()])
                if (seen.Add(v)) stack.Push(v);
        return seen;
    }

    private static void AssertUnique(IEnumerable<long> ids, string what)
    {
        var list = ids.ToList();
        Assert.True(list.Count == list.Distinct().Count(), $"{what} ids are not unique");
    }

    // Local equirectangular metres around Zhengzhou: good to 0.1% over the city, enough for these bounds.
    private const double MPerDegLat = 110_950, MPerDegLon = 91_300;
    private static double AreaM2(Geometry g) => g.Area * MPerDegLat * MPerDegLon;
    private static double LengthM(LineString l)
    {
        var cs = l.Coordinates;
        double sum = 0;
        for (var i = 0; i + 1 < cs.Length; i++) sum += Math.Sqrt(Math.Pow((cs[i + 1].X - cs[i].X) * MPerDegLon, 2) + Math.Pow((cs[i + 1].Y - cs[i].Y) * MPerDegLat, 2));
        return sum;
    }
    private static double AreaM2Distance(Point a, Point b) => Math.Sqrt(Math.Pow((a.X - b.X) * MPerDegLon, 2) + Math.Pow((a.Y - b.Y) * MPerDegLat, 2));
}
