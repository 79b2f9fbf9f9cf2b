namespace GridMap.Bench;

internal static class TileBench
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("Tile benchmark: not implemented yet");
        return 0;
    }
}
