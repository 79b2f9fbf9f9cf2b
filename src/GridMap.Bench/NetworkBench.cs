namespace GridMap.Bench;

internal static class NetworkBench
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("Network benchmark: not implemented yet");
        return 0;
    }
}
