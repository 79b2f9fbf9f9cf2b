namespace GridMap.Bench;

internal static class PartitionBench
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("Partition benchmark: not implemented yet");
        return 0;
    }
}
