using GridMap.Domain.Demo;
using GridMap.Domain.Geo;
using GridMap.Domain.Partitioning;
using GridMap.Domain.Tests.Demo;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.Tests.Partitioning;

/// <summary>
/// The faster engine (issue 12 §2) gives the same answers: the indexed T-junction pass of the adjacency equals the
/// pairwise one it replaced, parallel starts give the plan of one-after-another starts, and the search stops at its
/// deadline with a valid plan.
/// </summary>
[Collection(DemoCityCollection.Name)]
public sealed class PartitionSpeedTests(DemoCityFixture demo)
{
    private static (Dictionary<long, double> Indexed, Dictionary<long, double> Pairwise, int Exact) BothPasses(IReadOnlyList<Geometry> footprints)
    {
        var geoms = footprints.ToArray();
        var exact = UnitGraphBuilder.SharedSegments(geoms, out var unmatched);
        var indexed = new Dictionary<long, double>(exact);
        UnitGraphBuilder.AddTJunctions(geoms, indexed, unmatched);
        var pairwise = new Dictionary<long, double>(exact);
        UnitGraphBuilder.AddTJunctionsPairwise(geoms, pairwise);
        return (indexed, pairwise, exact.Count);
    }

    private static void AssertSame(Dictionary<long, double> indexed, Dictionary<long, double> pairwise)
    {
        var missing = pairwise.Keys.Except(indexed.Keys).Select(k => $"{k >> 32}–{k & 0xffffffff}").ToList();
        var extra = indexed.Keys.Except(pairwise.Keys).Select(k => $"{k >> 32}–{k & 0xffffffff}").ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0, $"indexed vs pairwise: missing {string.Join(" ", missing.Take(10))}; extra {string.Join(" ", extra.Take(10))}");
        // Both sum the same segment overlaps (the pairwise build over all boundary segments of the pair, the indexed one over
        // the loose segments near each other), in different orders: equal to the last few bits.
        foreach (var (key, len) in pairwise) Assert.Equal(len, indexed[key], len * 1e-12);
    }

    [Theory]
    [InlineData("iowa")]
    [InlineData("nh")]
    public void IndexedTJunctionPass_OnCensusUnits_EqualsThePairwiseBuild_EdgesAndSharedLengths(string which)
    {
        var (units, _) = PartitionData.Load(which == "iowa" ? PartitionData.IowaShp : PartitionData.NhShp);
        var (indexed, pairwise, exact) = BothPasses(units.Select(u => u.Geometry).ToList());
        AssertSame(indexed, pairwise);
        Assert.True(indexed.Count >= exact && exact > units.Count, $"{which}: {exact} exact-segment pairs, {indexed.Count} in all");
    }

    [Fact]
    public void IndexedTJunctionPass_OnTheDemoCompounds_EqualsThePairwiseBuild_EdgesAndSharedLengths()
    {
        var footprints = demo.City.Compounds.Select(c => Crs.GaussKruger114.FromWgs84(c.Footprint)).ToList();
        Assert.True(footprints.Count > 1000);
        var (indexed, pairwise, _) = BothPasses(footprints);
        AssertSame(indexed, pairwise);
    }

    [Fact]
    public void IndexedTJunctionPass_OnThePrecinctLikeStandIn_EqualsThePairwiseBuild_EdgesAndSharedLengths()
    {
        // The 4,120-unit tiling `bench partition-cli` times (one edge in twelve a T-junction edge), at 600 units.
        var units = GridMap.Bench.PrecinctLikeTiling.Generate(600, 1);
        var (indexed, pairwise, exact) = BothPasses(units.Select(u => u.Geometry).ToList());
        AssertSame(indexed, pairwise);
        Assert.True(indexed.Count > exact, $"{indexed.Count - exact} T-junction edges found");
    }

    /// <summary>The one-core pass SegmentTable replaced (a dictionary of segments, first owner or ~owner once seen again):
    /// the reference its answers must equal to the bit.</summary>
    private static Dictionary<long, double> SharedSegmentsOneCore(IReadOnlyList<Geometry?> geoms, out List<UnitGraphBuilder.LooseSegment> unmatched)
    {
        var owner = new Dictionary<(long, long, long, long), int>();
        var order = new List<(double, double, double, double)>();
        var pairs = new Dictionary<long, double>();
        for (var i = 0; i < geoms.Count; i++)
        {
            if (geoms[i] is not { } g) continue;
            foreach (var ring in UnitGraphBuilder.Rings(g))
            {
                var seq = ring.CoordinateSequence;
                for (var k = 0; k + 1 < seq.Count; k++)
                {
                    double x1 = seq.GetX(k), y1 = seq.GetY(k), x2 = seq.GetX(k + 1), y2 = seq.GetY(k + 1);
                    if (x1 == x2 && y1 == y2) continue;
                    var c = (x1 < x2 || (x1 == x2 && y1 < y2)) ? (x1, y1, x2, y2) : (x2, y2, x1, y1);
                    var key = (BitConverter.DoubleToInt64Bits(c.Item1), BitConverter.DoubleToInt64Bits(c.Item2), BitConverter.DoubleToInt64Bits(c.Item3), BitConverter.DoubleToInt64Bits(c.Item4));
                    if (owner.TryGetValue(key, out var slot))
                    {
                        var j = slot < 0 ? ~slot : slot;
                        if (j != i)
                        {
                            var pk = i < j ? ((long)i << 32) | (uint)j : ((long)j << 32) | (uint)i;
                            pairs[pk] = pairs.GetValueOrDefault(pk) + Math.Sqrt((x2 - x1) * (x2 - x1) + (y2 - y1) * (y2 - y1));
                        }
                        owner[key] = ~j;
                    }
                    else { owner[key] = i; order.Add(c); }
                }
            }
        }
        unmatched = [];
        foreach (var c in order)
        {
            var o = owner[(BitConverter.DoubleToInt64Bits(c.Item1), BitConverter.DoubleToInt64Bits(c.Item2), BitConverter.DoubleToInt64Bits(c.Item3), BitConverter.DoubleToInt64Bits(c.Item4))];
            if (o >= 0) unmatched.Add(new UnitGraphBuilder.LooseSegment(c.Item1, c.Item2, c.Item3, c.Item4, o));
        }
        return pairs;
    }

    [Fact]
    public void SharedSegments_OnAllCores_AreTheOneCorePass_ToTheBit()
    {
        var sets = new List<IReadOnlyList<Geometry?>>
        {
            demo.City.Compounds.Select(c => (Geometry?)Crs.GaussKruger114.FromWgs84(c.Footprint)).ToList(),
            GridMap.Bench.PrecinctLikeTiling.Generate(4120, 1).Select(u => (Geometry?)u.Geometry).ToList(),
            PartitionData.Load(PartitionData.NhShp).Units.Select(u => (Geometry?)u.Geometry).ToList(),
        };
        // Units that repeat a segment of their own, and a missing geometry.
        var f = new GeometryFactory();
        sets.Add([f.CreatePolygon([new(0, 0), new(10, 0), new(10, 10), new(0, 0)]), null,
            f.CreateMultiPolygon([f.CreatePolygon([new(0, 0), new(10, 0), new(10, -10), new(0, 0)]), f.CreatePolygon([new(10, 0), new(0, 0), new(5, -3), new(10, 0)])]),
            f.CreatePolygon([new(10, 10), new(10, 0), new(20, 5), new(10, 10)])]);
        foreach (var geoms in sets)
        {
            var expected = SharedSegmentsOneCore(geoms, out var expectedLoose);
            var actual = UnitGraphBuilder.SharedSegments(geoms, out var actualLoose);
            Assert.Equal(expected.Count, actual.Count);
            foreach (var (key, len) in expected) Assert.Equal(BitConverter.DoubleToInt64Bits(len), BitConverter.DoubleToInt64Bits(actual[key]));
            Assert.Equal(expectedLoose, actualLoose);
        }
    }

    [Fact]
    public void IndexedTJunctionPass_OnBrickBond_FindsEveryNeighbourThatSharesNoVertex()
    {
        // Rows of 200 × 100 m bricks, every other row shifted by 100 m: a brick touches the two below it along 100 m
        // each, without a shared vertex — only the geometric pass can find those edges.
        var f = new GeometryFactory();
        var bricks = new List<Geometry>();
        for (var r = 0; r < 6; r++)
            for (var c = 0; c < 5; c++)
            {
                double x = c * 200 + (r % 2) * 100, y = r * 100;
                bricks.Add(f.CreatePolygon([new(x, y), new(x + 200, y), new(x + 200, y + 100), new(x, y + 100), new(x, y)]));
            }
        var (indexed, pairwise, exact) = BothPasses(bricks);
        AssertSame(indexed, pairwise);
        Assert.Equal(6 * 4, exact); // only the vertical joints inside each row share whole segments
        // Between two rows of five bricks shifted by half a brick: nine contacts of 100 m.
        Assert.Equal(exact + 5 * 9, indexed.Count);
        Assert.All(indexed.Values, len => Assert.Equal(100, len, 9));
    }

    [Fact]
    public void TJunctionLength_IsTheWholeStretch_WhenTheOtherSidesVerticesLieWithinRoundingOfTheLine()
    {
        // Unit A's north side is one slanted segment of 875 m; unit B above it follows it with nine pieces whose vertices are
        // interpolated on it (so within rounding of A's line, not exactly on it) — a pair from the precinct stand-in. The
        // overlay of the two outlines this replaced found no common stretch at all here (0 m: not even neighbours).
        var f = new GeometryFactory();
        double x0 = 0, y0 = 49952.829318606826, x1 = 869.5771374232289, y1 = 49856.42984281838;
        var side = Enumerable.Range(0, 10).Select(k => new Coordinate(x0 + (x1 - x0) * k / 9, y0 + (y1 - y0) * k / 9)).ToArray();
        var a = f.CreatePolygon([new(x0, y0), new(x1, y1), new(x1, y1 - 500), new(x0, y0 - 500), new(x0, y0)]);
        var b = f.CreatePolygon([.. side.Reverse(), new(x0, y0 + 400), new(x1, y1 + 400), new(x1, y1)]);
        Assert.True(a.IsValid && b.IsValid);
        var (indexed, pairwise, exact) = BothPasses([a, b]);
        Assert.Equal(0, exact);
        AssertSame(indexed, pairwise);
        Assert.Equal(Math.Sqrt((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)), indexed[0L << 32 | 1], 1e-6);
    }

    [Fact]
    public void ParallelStarts_GiveTheSamePlanAsStartsRunOneAfterAnother()
    {
        var (units, _) = SyntheticCompounds.Generate(500, 3);
        var g = UnitGraphBuilder.Build(units);
        PartitionResult Run(int parallelism) => CellPartitioner.Partition(g, new PartitionOptions
        {
            Cells = 8, Tolerance = 0.03, Seed = 5, Starts = 4, Parallelism = parallelism, TimeLimit = TimeSpan.FromMinutes(10),
        });
        var one = Run(1);
        var four = Run(4);
        Assert.True(one.IsFeasible, one.Message);
        Assert.False(one.TimeLimitReached);
        Assert.Equal(4, one.Starts);
        Assert.Equal(one.Starts, four.Starts);
        Assert.Equal(one.Assignment, four.Assignment);
    }

    [Theory]
    [InlineData(3_000, 7)]
    [InlineData(500, 3)]
    public void SweepHullDelaunay_GivesTheSameTerritoriesAndAdjacencyAsNtsIncrementalDelaunay(int count, int seed)
    {
        var (units, _) = SyntheticCompounds.Generate(count, seed);
        var sweep = new UnitGraphBuilder().BuildGraph(units);
        var nts = new UnitGraphBuilder { NtsDelaunay = true }.BuildGraph(units);
        Assert.True(sweep.IsTessellated);
        Assert.Equal(nts.Count, sweep.Count);
        for (var u = 0; u < nts.Count; u++)
        {
            Assert.Equal(nts.Areas[u], sweep.Areas[u], nts.Areas[u] * 1e-9);
            Assert.Equal(nts.Perimeters[u], sweep.Perimeters[u], nts.Perimeters[u] * 1e-9);
            var a = nts.Neighbours(u).Select(x => (x.Neighbour, x.SharedLength)).OrderBy(x => x.Neighbour).ToList();
            var b = sweep.Neighbours(u).Select(x => (x.Neighbour, x.SharedLength)).OrderBy(x => x.Neighbour).ToList();
            Assert.Equal(a.Select(x => x.Neighbour), b.Select(x => x.Neighbour));
            for (var i = 0; i < a.Count; i++) Assert.Equal(a[i].SharedLength, b[i].SharedLength, 1e-6);
        }
    }

    [Theory]
    [InlineData(3_000, 7, false)]
    [InlineData(800, 4, true)]
    public void MeasuredTerritories_HaveThePolygonsAreasAndPerimeters_AndTheSameAdjacency(int count, int seed, bool lShapedArea)
    {
        var (units, _) = SyntheticCompounds.Generate(count, seed);
        Geometry? area = null;
        if (lShapedArea)
        {
            // A non-convex area that cuts through the compounds' territories: the clip path is taken for many of them.
            var env = new Envelope();
            foreach (var u in units) env.ExpandToInclude(u.Geometry.EnvelopeInternal);
            double x0 = env.MinX - 30, y0 = env.MinY - 30, x1 = env.MaxX + 30, y1 = env.MaxY + 30, xm = (x0 + x1) / 2, ym = (y0 + y1) / 2;
            area = new GeometryFactory().CreatePolygon([new(x0, y0), new(x1, y0), new(x1, ym), new(xm, ym), new(xm, y1), new(x0, y1), new(x0, y0)]);
        }
        var polygons = new UnitGraphBuilder { Tessellation = TessellationMode.Always, Area = area }.BuildGraph(units);
        var builder = new UnitGraphBuilder { Tessellation = TessellationMode.Always, Area = area, KeepTerritories = false };
        var measured = builder.BuildGraph(units);
        // Most are measured from their edges; along the area's outline (the L's inner corner too) they are chained and clipped.
        Assert.InRange(builder.MeasuredFromEdges, count * 0.6, count - 10);
        Assert.All(measured.Territories, t => Assert.Null(t));
        Assert.NotNull(polygons.Territories[0]);
        Assert.Equal(polygons.Count, measured.Count);
        for (var u = 0; u < polygons.Count; u++)
        {
            Assert.Equal(polygons.Areas[u], measured.Areas[u], polygons.Areas[u] * 1e-9);
            Assert.Equal(polygons.Perimeters[u], measured.Perimeters[u], polygons.Perimeters[u] * 1e-9);
            Assert.Equal(polygons.Neighbours(u).Select(x => (x.Neighbour, x.SharedLength)), measured.Neighbours(u).Select(x => (x.Neighbour, x.SharedLength)));
        }
    }

    [Fact]
    public void BatchedRecombination_AboveTheThreshold_GivesTheSamePlanOnOneOrTwoThreads()
    {
        // 22,500 units, one start: its merge-and-resplit rounds cut disjoint pairs in batches on the free cores, and the
        // power diagram assigns units on them; the plan must not depend on how many cores there are.
        const int side = 150;
        Assert.True(side * side > CellPartitioner.BatchedRecombineAbove);
        var g = TestGrids.Rook(side, side, Enumerable.Range(0, side * side).Select(i => 1.0 + i * 7919 % 13).ToList());
        PartitionResult Run(int parallelism) => CellPartitioner.Partition(g, new PartitionOptions
        {
            Cells = 150, Tolerance = 0.05, Seed = 3, Starts = 1, Parallelism = parallelism, TimeLimit = TimeSpan.FromMinutes(10),
        });
        var one = Run(1);
        var two = Run(2);
        Assert.True(one.IsFeasible, one.Message);
        Assert.False(one.TimeLimitReached);
        Assert.Equal(one.Assignment, two.Assignment);
    }

    [Fact]
    public void ExpiredTimeLimit_OneGroup_RunsOnlyTheObligatoryStart_AndReturnsAValidPlan()
    {
        var (units, _) = SyntheticCompounds.Generate(400, 6);
        var g = UnitGraphBuilder.Build(units);
        var result = CellPartitioner.Partition(g, new PartitionOptions { Cells = 6, Tolerance = 0.05, Starts = 6, TimeLimit = TimeSpan.FromTicks(1) });
        Assert.True(result.TimeLimitReached);
        Assert.Equal(1, result.Starts);
        Assert.Equal(6, result.CellCount);
        Assert.Equal(0, result.Evaluation!.UnassignedUnits);
        Assert.True(result.Evaluation.AllContiguous);
        if (!result.IsFeasible) Assert.Contains("time limit", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpiredTimeLimit_ManyGroups_EachGetsOneStartAndNoMore()
    {
        // Hard road barriers split the compounds into blocks, each a group with its own starts (16 by default). With
        // the deadline already past, every group gets its one obligatory start, as many as a run asked for one start
        // per group, and every unit still ends in a contiguous cell.
        var (units, roads) = SyntheticCompounds.Generate(600, 4);
        var g = UnitGraphBuilder.Build(units, roads);
        PartitionOptions Options(int starts, TimeSpan limit) => new() { MinWeight = 300, MaxWeight = 500, Barriers = BarrierMode.Hard, Starts = starts, TimeLimit = limit };
        var expired = CellPartitioner.Partition(g, Options(0, TimeSpan.FromTicks(1)));
        var oneEach = CellPartitioner.Partition(g, Options(1, TimeSpan.FromMinutes(10)));
        Assert.True(expired.TimeLimitReached);
        Assert.False(oneEach.TimeLimitReached);
        Assert.True(oneEach.Starts > 1, $"{oneEach.Starts} groups with starts");
        Assert.Equal(oneEach.Starts, expired.Starts);
        Assert.Equal(0, expired.Evaluation!.UnassignedUnits);
        Assert.True(expired.Evaluation.AllContiguous);
        Assert.All(expired.Assignment, c => Assert.InRange(c, 0, expired.CellCount - 1));
    }

    [Fact]
    public void ExpiredTimeLimit_WithSoftBarriers_TheHardRetryGetsNoFreshTimeLimit()
    {
        // Soft barriers that find no plan retry with hard barriers; the retry shares the call's clock, so with the
        // deadline past it too runs one start per group, and the call reports the limit reached.
        var (units, roads) = SyntheticCompounds.Generate(600, 9);
        var g = UnitGraphBuilder.Build(units, roads);
        var result = CellPartitioner.Partition(g, new PartitionOptions { MinWeight = 300, MaxWeight = 500, Barriers = BarrierMode.Soft, TimeLimit = TimeSpan.FromTicks(1) });
        Assert.True(result.TimeLimitReached);
        Assert.Equal(0, result.Evaluation!.UnassignedUnits);
        Assert.True(result.Evaluation.AllContiguous);
    }
}

public sealed class PartitionOptionsCopyTests
{
    [Fact]
    public void WithTimeLimit_ChangesTheTimeLimitAndCopiesEveryOtherOption()
    {
        var plan = new Dictionary<string, int> { ["a"] = 0, ["b"] = 1 };
        var original = new PartitionOptions
        {
            MinWeight = 300, MaxWeight = 500, Objective = PartitionObjective.CutEdges, Nest = true, Barriers = BarrierMode.Soft, Seed = 7,
            TimeLimit = TimeSpan.FromSeconds(10), Starts = 3, Parallelism = 2, InitialPlan = plan, LockedCells = new HashSet<int> { 1 },
            WarmStartRepairOnly = false, Tolerance = 0.03,
        };
        var copy = original.WithTimeLimit(TimeSpan.FromSeconds(4));
        Assert.Equal(TimeSpan.FromSeconds(4), copy.TimeLimit);
        // Every settable option, found by reflection so that an option added later cannot be forgotten silently.
        foreach (var p in typeof(PartitionOptions).GetProperties().Where(p => p.CanWrite && p.Name != nameof(PartitionOptions.TimeLimit)))
            Assert.True(Equals(p.GetValue(original), p.GetValue(copy)), $"{p.Name}: {p.GetValue(original)} became {p.GetValue(copy)}");
    }
}
