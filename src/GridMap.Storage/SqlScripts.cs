using System.Collections.Concurrent;
using System.Reflection;

namespace GridMap.Storage;

/// <summary>Loads the .sql files embedded in an assembly, by their file name relative to the project
/// ("Queries/compound_details.sql"). SQL lives in .sql files next to the code that runs it.</summary>
public static class SqlScripts
{
    private static readonly ConcurrentDictionary<(Assembly, string), string> Cache = new();

    /// <summary>Text of an embedded script of the calling assembly's project, e.g. "Queries/compound_details.sql".</summary>
    public static string Get(string relativePath, Assembly? assembly = null)
    {
        assembly ??= typeof(SqlScripts).Assembly;
        return Cache.GetOrAdd((assembly, relativePath), key =>
        {
            var (asm, path) = key;
            var suffix = "." + path.Replace('/', '.').Replace('\\', '.');
            var name = asm.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith(suffix, StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"SQL script '{path}' is not embedded in {asm.GetName().Name}.");
            using var s = asm.GetManifestResourceStream(name)!;
            using var r = new StreamReader(s);
            return r.ReadToEnd();
        });
    }

    /// <summary>All embedded scripts under a folder, ordered by name.</summary>
    public static IReadOnlyList<(string Name, string Sql)> All(string folder, Assembly? assembly = null)
    {
        assembly ??= typeof(SqlScripts).Assembly;
        var prefix = "." + folder.Replace('/', '.') + ".";
        return assembly.GetManifestResourceNames()
            .Where(n => n.Contains(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => n[(n.IndexOf(prefix, StringComparison.Ordinal) + prefix.Length)..])
            .Order(StringComparer.Ordinal)
            .Select(n => (n[..^4], Get(folder + "/" + n, assembly)))
            .ToList();
    }
}
