using GridMap.Domain.Model;
using GridMap.Domain.Network;
using static GridMap.Domain.Tests.Network.Wkt;

namespace GridMap.Domain.Tests.Network;

public class NetworkValidatorTests
{
    private static IReadOnlyList<NetworkFinding> Check(params NetworkPipe[] pipes) =>
        NetworkValidator.Check(NetworkBuilder.Build(new NetworkInput(pipes, Sources: [Tap("S", 0, 0)]), 0.5));

    [Fact]
    public void Check_CleanTJunction_HasNoFindings()
    {
        Assert.Empty(Check(Pipe("a", "LINESTRING(0 0, 10 0)"), Pipe("b", "LINESTRING(10 0, 20 0)"), Pipe("c", "LINESTRING(10 0, 10 10)")));
    }

    [Fact]
    public void Check_EndStoppingShortOfAnotherPipesMiddle_IsADanglingEnd()
    {
        var f = Check(Pipe("a", "LINESTRING(0 0, 20 0)"), Pipe("b", "LINESTRING(10 10, 10 0.3)"));
        var d = Assert.Single(f, x => x.Type == FindingTypes.DanglingEnd);
        Assert.Equal(["b", "a"], d.Ids);
        Assert.Equal((10, 0.3), (d.X, d.Y));
        Assert.Contains(f, x => x.Type == FindingTypes.IslandWithoutSource && x.Ids.SequenceEqual(["b"]));
    }

    [Fact]
    public void Check_PipesCrossingWithoutANode_AreReportedAtTheCrossing()
    {
        var f = Check(Pipe("a", "LINESTRING(0 0, 20 0)"), Pipe("b", "LINESTRING(10 -10, 10 10)"));
        var x = Assert.Single(f, x => x.Type == FindingTypes.CrossingWithoutJunction);
        Assert.Equal(["a", "b"], x.Ids);
        Assert.Equal((10.0, 0.0), (x.X, x.Y));
    }

    [Fact]
    public void Check_DuplicateAndZeroLengthPipes_AreReported()
    {
        var f = Check(Pipe("a", "LINESTRING(0 0, 10 0)"), Pipe("a2", "LINESTRING(10 0, 0 0)"), Pipe("z", "LINESTRING(10 0, 10.1 0)"));
        Assert.Equal(["a", "a2"], Assert.Single(f, x => x.Type == FindingTypes.DuplicatePipe).Ids);
        Assert.Equal(["z"], Assert.Single(f, x => x.Type == FindingTypes.ZeroLength).Ids);
        Assert.DoesNotContain(f, x => x.Type == FindingTypes.CrossingWithoutJunction);
    }

    [Fact]
    public void Check_LoopInTheSecondaryNetwork_IsReportedWithItsPipes_ButALoopInThePrimaryIsNot()
    {
        NetworkPipe[] Ring(NetworkLevel level) =>
        [
            Pipe("n", "LINESTRING(0 0, 10 0)", level: level),
            Pipe("e", "LINESTRING(10 0, 10 10)", level: level),
            Pipe("s", "LINESTRING(10 10, 0 10)", level: level),
            Pipe("w", "LINESTRING(0 10, 0 0)", level: level),
            Pipe("t", "LINESTRING(10 10, 20 20)", level: level),
        ];
        var loop = Assert.Single(Check(Ring(NetworkLevel.Secondary)), x => x.Type == FindingTypes.SecondaryLoop);
        Assert.Equal(["n", "e", "s", "w"], loop.Ids);
        Assert.DoesNotContain(Check(Ring(NetworkLevel.Primary)), x => x.Type == FindingTypes.SecondaryLoop);
    }
}

public class NetworkValidatorTouchTests
{
    [Fact]
    public void Check_LooseEndRestingOnAnotherPipe_IsOneDanglingEnd_NotACrossing()
    {
        var f = NetworkValidator.Check(NetworkBuilder.Build(new NetworkInput(
            [Wkt.Pipe("a", "LINESTRING(0 0, 20 0)"), Wkt.Pipe("b", "LINESTRING(10 10, 10 0)")]), 0.5));
        var only = Assert.Single(f);
        Assert.Equal(FindingTypes.DanglingEnd, only.Type);
        Assert.Equal(["b", "a"], only.Ids);
    }
}
