using GridMap.Domain.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace GridMap.Domain.Demo;

/// <summary>
/// Generates the demo Zhengzhou of the 串改并 campaign from a seed: real district boundaries (repaired echarts
/// polygons), derived arterials and official street/community names, with synthetic blocks, old compounds,
/// stations, primary and secondary networks (supply and return), valves and staff. The same seed always gives
/// the same city (one <see cref="Random"/>, fixed iteration orders). Takes a few seconds.
/// </summary>
public static class DemoCityGenerator
{
    /// <summary>How many compounds the generator aims for (the floor is 3,000).</summary>
    public const int TargetCompounds = 3400;
    public const int TargetStaff = 180;

    /// <summary>Name of the synthetic local roads that split blocks the derived arterials leave too large.</summary>
    public const string LocalRoadName = "支路（示意）";

    /// <summary>Districts where old compounds are placed (the urban districts the arterials cover).</summary>
    public static readonly IReadOnlySet<string> CompoundDistricts = new HashSet<string>(["410102", "410103", "410104", "410105", "410108"]);

    /// <summary>The four branches (分公司) and the districts each serves; counties report to the nearest branch.</summary>
    private static readonly (int Id, string Name, string[] Urban, string[] Counties)[] BranchPlan =
    [
        (1, "东区分公司", ["410104"], ["410122"]),
        (2, "西区分公司", ["410102", "410106"], ["410181", "410182"]),
        (3, "南区分公司", ["410103"], ["410183", "410184", "410185"]),
        (4, "北区分公司", ["410105", "410108"], []),
    ];

    /// <summary>二七塔, the centre of the old city; old compounds thin out away from it.</summary>
    private const double CentreLon = 113.6600, CentreLat = 34.7548;
    /// <summary>East of 中州大道 lies 郑东新区, built after 2003: few old compounds there.</summary>
    private const double NewEastLon = 113.728;

    public static DemoCity Generate(int seed = 42, IProgress<string>? progress = null)
    {
        var random = new Random(seed);
        progress?.Report("区界：修复 echarts 区界并转换 GCJ-02 → WGS84");
        var shapes = DistrictLoader.Load();
        var branchOf = BranchPlan.SelectMany(b => b.Urban.Concat(b.Counties).Select(d => (d, b.Id))).ToDictionary(x => x.d, x => x.Id, StringComparer.Ordinal);
        var districts = shapes.Select(s => new District(s.Code, s.Name, branchOf[s.Code], s.Wgs84)).ToList();
        var branches = BranchPlan.Select(b => new Branch(b.Id, b.Name, UnionWgs84(shapes.Where(s => b.Urban.Contains(s.Code)).Select(s => s.Wgs84)))).ToList();

        progress?.Report("道路：主干道成面，划分街坊");
        var arterials = BlockBuilder.LoadArterials();
        var urbanShapes = shapes.Where(s => CompoundDistricts.Contains(s.Code)).ToList();
        var (blocks, localRoads) = BlockBuilder.Build(arterials, urbanShapes, random);
        var roads = arterials.Select(a => new Road(a.Id, a.Name, a.Wgs84))
            .Concat(localRoads.Select((l, i) => new Road(arterials.Count + 1 + i, LocalRoadName, MetricFrame.ToWgs84(l), RoadKind.Local))).ToList();
        var roadLines = arterials.Select(a => a.Metric).Concat(localRoads).ToList();
        var placer = new CompoundPlacer(random);
        var layouts = blocks.Select(b => placer.Layout(b, arterials)).ToList();

        progress?.Report($"小区：{blocks.Count} 个街坊中布置老旧小区");
        var centre = MetricFrame.ToMetric(CentreLon, CentreLat);
        var eastEdge = MetricFrame.ToMetric(NewEastLon, CentreLat).X;
        var lots = layouts.SelectMany(l => l.Lots).ToList();
        var chosen = Choose(lots, centre, eastEdge, random);

        progress?.Report("街道、社区：按真实名称划分街道片区");
        var names = NameSource.Load(shapes.Select(s => s.Code).ToHashSet(StringComparer.Ordinal));
        var streetAreas = new StreetAreaBuilder(random);
        var streets = new List<Street>();
        var seedsByDistrict = new Dictionary<string, List<(Street Street, Coordinate Seed)>>(StringComparer.Ordinal);
        foreach (var shape in shapes)
        {
            var own = names.Streets.Where(s => s.DistrictCode == shape.Code).ToList();
            if (own.Count == 0) continue;
            // Street areas are drawn where compounds are (and in 上街区, a city district without arterial data);
            // county towns keep no area, as no official polygons exist.
            if (!CompoundDistricts.Contains(shape.Code) && shape.Code != "410106")
            {
                streets.AddRange(own);
                continue;
            }
            var seeds = streetAreas.PlaceSeeds(shape, own, lots.Where(l => l.DistrictCode == shape.Code).Select(l => l.Centroid).ToList()).ToList();
            seedsByDistrict[shape.Code] = seeds;
            var regions = StreetAreaBuilder.Regions(shape, seeds.Select(s => s.Seed).ToList());
            for (var i = 0; i < seeds.Count; i++)
                streets.Add(seeds[i].Street with { Area = regions[i].IsEmpty ? null : MetricFrame.ToWgs84(regions[i]) });
        }
        streets.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));

        progress?.Report($"小区：{chosen.Count} 个小区的户数、年代与改造进度");
        var compounds = BuildCompounds(chosen, seedsByDistrict, names, arterials, centre, random);

        progress?.Report("换热站与二次网");
        var draft = new NetworkDraft(random);
        var roadIndex = new RoadIndex(roadLines);
        var secondary = new SecondaryNetworkBuilder(random, draft);
        var stationDrafts = new List<StationDraft>();
        var byBlock = compounds.Select((c, i) => (c, i)).GroupBy(x => chosen[x.i].BlockIndex).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var face in layouts.GroupBy(l => l.Block.Face).OrderBy(g => g.Key))
        {
            // Stations serve a whole arterial face: its blocks are split only by local roads.
            var here = face.SelectMany(l => byBlock.GetValueOrDefault(l.Block.Index) ?? []).ToList();
            if (here.Count == 0) continue;
            var served = here.Select(x => new ServedCompound(x.i, chosen[x.i].Footprint, x.c.Households, x.c.HeatedAreaM2, x.c.BuiltYear ?? 1990, x.c.SecondaryRetrofitYear)).ToList();
            stationDrafts.AddRange(secondary.Build(face.ToList(), served, roadIndex));
        }
        var stationOf = new int?[compounds.Count];
        foreach (var s in stationDrafts) foreach (var c in s.Served) stationOf[c.Index] = s.Id;
        // The service pipe ends on the wall: make that point a vertex of the footprint, so that after rounding to
        // WGS84 the pipe still ends exactly on the outline instead of a centimetre inside or outside it.
        compounds = compounds.Select((c, i) => c with
        {
            StationId = stationOf[i],
            Footprint = secondary.Entries.TryGetValue(i, out var entry) ? MetricFrame.ToWgs84(WithVertex(chosen[i].Footprint, entry)) : c.Footprint,
        }).ToList();

        progress?.Report($"热源与一次网：{stationDrafts.Count} 座换热站");
        var sourceDrafts = new PrimaryNetworkBuilder(random, draft).Build(roadLines, stationDrafts);

        var stationNames = new HashSet<string>(StringComparer.Ordinal);
        var stations = stationDrafts.Select(s =>
        {
            var c = compounds[s.Served.OrderByDescending(x => x.Households).First().Index];
            var name = c.Name + "换热站";
            for (var k = 2; !stationNames.Add(name); k++) name = $"{c.Name}{k}号换热站";
            return new Station(s.Id, name, s.DistrictCode, s.CapacityKw, MetricFrame.ToWgs84Point(s.Location));
        }).ToList();
        var heatSources = sourceDrafts.Select(h => new HeatSource(h.Id, h.Name, h.CapacityMw, MetricFrame.ToWgs84Point(h.Location))).ToList();

        var (pipeDrafts, valveDrafts) = draft.WithReturns();
        var pipes = pipeDrafts.Select(x => new Pipe
        {
            Id = x.Pipe.Id, Level = x.Pipe.Level, Flow = x.Flow, Dn = x.Pipe.Dn, Material = x.Pipe.Material,
            InstallYear = x.Pipe.InstallYear, DepthM = x.Pipe.DepthM, StationId = x.Pipe.StationId,
            Geometry = MetricFrame.ToWgs84(MetricFrame.MetricFactory.CreateLineString(x.Pipe.Coords)),
        }).ToList();
        var valves = valveDrafts.Select(v => new Valve
        {
            Id = v.Id, State = v.State, Operable = v.Operable, Level = v.Level, Dn = v.Dn, PipeId = v.PipeId,
            Location = MetricFrame.ToWgs84Point(v.Location),
        }).ToList();

        progress?.Report("网格员与工程人员");
        var staff = new StaffGenerator(random).Generate(
            compounds.Select((c, i) => (branchOf[c.DistrictCode], chosen[i].Centroid)).ToList(), TargetStaff);

        var city = new DemoCity(seed, branches, districts, streets, names.Communities, roads, heatSources, stations, compounds, pipes, valves, staff)
        {
            Connections = draft.ConnectionsWithReturns(),
        };
        progress?.Report(city.Summary());
        return city;
    }

    /// <summary>
    /// Picks which lots are old compounds (the rest are schools, markets, newer estates): weighted sampling without
    /// replacement (Efraimidis–Spirakis keys), denser near the old centre and sparse in 郑东新区.
    /// </summary>
    private static List<Lot> Choose(List<Lot> lots, Coordinate centre, double eastEdge, Random random)
    {
        var keyed = lots.Select((l, i) =>
        {
            var w = Math.Exp(-l.Centroid.Distance(centre) / 6000);
            if (l.Centroid.X > eastEdge) w *= 0.1;
            var u = random.NextDouble();
            return (Key: Math.Log(Math.Max(u, 1e-300)) / w, Index: i);
        }).ToList();
        return keyed.OrderByDescending(k => k.Key).ThenBy(k => k.Index).Take(TargetCompounds)
            .OrderBy(k => k.Index).Select(k => lots[k.Index]).ToList();
    }

    private static List<Compound> BuildCompounds(List<Lot> chosen, Dictionary<string, List<(Street Street, Coordinate Seed)>> seedsByDistrict,
        NameSource names, IReadOnlyList<Arterial> arterials, Coordinate centre, Random random)
    {
        var planner = new CampaignPlanner(random);
        var districtNames = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["410102"] = "中原区", ["410103"] = "二七区", ["410104"] = "管城回族区", ["410105"] = "金水区", ["410108"] = "惠济区",
        };
        // Street of each lot: the street whose seed is nearest (i.e. the Voronoi street area it lies in).
        var streetOf = chosen.Select(l =>
        {
            var seeds = seedsByDistrict[l.DistrictCode];
            return seeds[StreetAreaBuilder.Nearest(seeds.Select(s => s.Seed).ToList(), l.Centroid)].Street;
        }).ToList();

        // Community of each lot: nearest of the street's residents' committees, seeded at some of its lots.
        var communityOf = new Community?[chosen.Count];
        foreach (var group in Enumerable.Range(0, chosen.Count).GroupBy(i => streetOf[i].Code).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = group.ToList();
            var candidates = names.Communities.Where(c => c.StreetCode == group.Key).ToList();
            var residential = candidates.Where(NameSource.IsResidential).ToList();
            if (residential.Count > 0) candidates = residential;
            if (candidates.Count == 0) continue;
            var m = Math.Min(candidates.Count, members.Count);
            var seedLots = members.OrderBy(_ => random.Next()).Take(m).Select(i => chosen[i].Centroid).ToList();
            foreach (var i in members) communityOf[i] = candidates[StreetAreaBuilder.Nearest(seedLots, chosen[i].Centroid)];
        }

        var arterialIndex = new RoadIndex(arterials.Select(a => a.Metric));
        var used = new HashSet<string>(StringComparer.Ordinal);
        var unitsOfStreet = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var result = new List<Compound>(chosen.Count);
        for (var i = 0; i < chosen.Count; i++)
        {
            var lot = chosen[i];
            var street = streetOf[i];
            var community = communityOf[i];
            var (road, number) = NearestRoad(arterials, arterialIndex, lot.Centroid, random);
            var (households, buildings, heated, year) = planner.Size(lot.Footprint, lot.Centroid.Distance(centre));
            var state = planner.State(lot.DistrictCode, street.Code, community?.Code, households, year);
            var name = CompoundName(community, street, road, number, random, used, unitsOfStreet);
            result.Add(new Compound
            {
                Id = i + 1,
                Name = name,
                Address = $"郑州市{districtNames[lot.DistrictCode]}{street.Name}{road}{number}号",
                DistrictCode = lot.DistrictCode,
                StreetCode = street.Code,
                CommunityCode = community?.Code,
                Footprint = MetricFrame.ToWgs84(lot.Footprint),
                Households = households,
                Buildings = buildings,
                HeatedAreaM2 = heated,
                BuiltYear = year,
                HeatingSystem = state.System,
                RetrofitStatus = state.Status,
                ConsentRate = state.ConsentRate,
                Dispute = state.Dispute,
                DisputeNotes = state.DisputeNotes,
                PropertyManagement = state.PropertyManagement,
                FeeStatus = state.FeeStatus,
                SecondaryRetrofitYear = state.RetrofitYear,
            });
        }
        return result;
    }

    /// <summary>
    /// A compound name as old Zhengzhou compounds are named: after the community (…小区, …新村), after the work unit
    /// that built it as staff housing (…家属院, …生活区; each street has a few such units nearby), or by its gate
    /// address (…路N号院). Names are unique: a taken name moves on to the next variant of the same kind.
    /// </summary>
    private static string CompoundName(Community? community, Street street, string road, int number, Random random, HashSet<string> used, Dictionary<string, string[]> unitsOfStreet)
    {
        if (!unitsOfStreet.TryGetValue(street.Code, out var units))
            unitsOfStreet[street.Code] = units = Enumerable.Range(0, 3).Select(_ => NameSource.WorkUnits[random.Next(NameSource.WorkUnits.Length)]).Distinct().ToArray();
        var baseName = community is null ? NameSource.ShortName(street) : NameSource.ShortName(community);
        var u = random.NextDouble();
        var byCommunity = CommunityStyles.Select(x => baseName + x);
        var byUnit = UnitStyles.Select(x => units[random.Next(units.Length)] + x);
        var byAddress = Enumerable.Range(0, 40).Select(i => i == 0 ? $"{road}{number}号院" : $"{road}{1 + random.Next(299)}号院");
        // The drawn kind first; when a busy community or unit has used all its variants, the next kind.
        var variants = u < 0.45 ? byCommunity.Concat(byAddress) : u < 0.75 ? byUnit.Concat(byAddress) : byAddress;
        foreach (var v in variants) if (used.Add(v)) return v;
        for (var n = 300; ; n++) if (used.Add($"{road}{n}号院")) return $"{road}{n}号院";
    }

    private static readonly string[] CommunityStyles =
        ["小区", "新村", "北院", "南院", "东院", "西院", "花园", "家园", "小区二区", "小区三区", "北区", "南区", "东区", "西区",
         "一号院", "二号院", "三号院", "四号院", "五号院", "六号院", "七号院", "八号院", "九号院", "十号院"];
    private static readonly string[] UnitStyles =
        ["家属院", "生活区", "宿舍", "北家属院", "南家属院", "东家属院", "西家属院", "家属院一区", "家属院二区", "家属院三区",
         "一号院", "二号院", "三号院", "四号院", "五号院", "六号院", "七号院", "八号院"];

    private static (string Road, int Number) NearestRoad(IReadOnlyList<Arterial> arterials, RoadIndex index, Coordinate at, Random random) =>
        (arterials[Math.Max(0, index.Nearest(at))].Name, 1 + random.Next(299));

    /// <summary>The polygon with <paramref name="at"/> (a point on its shell) inserted as a vertex of the nearest edge.</summary>
    internal static Polygon WithVertex(Polygon polygon, Coordinate at)
    {
        var ring = polygon.Shell.Coordinates;
        var best = 0;
        var bestD = double.MaxValue;
        for (var k = 0; k + 1 < ring.Length; k++)
        {
            var d = new LineSegment(ring[k], ring[k + 1]).Distance(at);
            if (d < bestD) { bestD = d; best = k; }
        }
        if (ring[best].Distance(at) < 1e-6 || ring[best + 1].Distance(at) < 1e-6) return polygon;
        var shell = ring.Take(best + 1).Append(at.Copy()).Concat(ring.Skip(best + 1)).ToArray();
        return polygon.Factory.CreatePolygon(polygon.Factory.CreateLinearRing(shell), polygon.Holes);
    }

    private static MultiPolygon UnionWgs84(IEnumerable<MultiPolygon> parts)
    {
        var u = DistrictLoader.Repair(UnaryUnionOp.Union(parts.Cast<Geometry>().ToList()));
        var mp = MetricFrame.Wgs84Factory.CreateMultiPolygon(DistrictLoader.Polygons(u).ToArray());
        return mp;
    }
}
