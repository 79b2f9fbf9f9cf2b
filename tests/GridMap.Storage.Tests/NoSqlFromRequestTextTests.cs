using System.Text.RegularExpressions;
using GridMap.Tests.Shared;

namespace GridMap.Storage.Tests;

/// <summary>
/// No SQL is built from request text: every command text is a constant or an embedded .sql file with bound parameters.
/// The few places that splice text into SQL splice identifiers GridMap itself owns (a layer catalog view, a table name
/// checked against a fixed list); they are listed here with the reason. Any other interpolated or concatenated string
/// that looks like SQL, anywhere under src/ (C# outside the benchmark and the web client), fails this test — a new one
/// must either bind parameters or be argued into the list.
/// </summary>
public sealed class NoSqlFromRequestTextTests
{
    /// <summary>(file, fragment of the flagged line) → why it is safe.</summary>
    private static readonly (string File, string Fragment, string Why)[] Allowed =
    [
        ("src/GridMap.Storage/BulkLoader.cs", "COPY {target} FROM STDIN", "target is a constant column list written in BulkLoader itself"),
        ("src/GridMap.Storage/ImportStore.cs", "FROM {Kind(table)}", "Kind() lets only compound, pipe or valve through"),
        ("src/GridMap.Storage/Revisions.cs", "FROM {Table(r.Kind)}", "Table() maps a resource kind to a table through the fixed RevisionStore.Tables; an unknown kind throws"),
        ("src/GridMap.Storage/Revisions.cs", "UPDATE {Table(r.Kind)} SET", "as above: the table comes from RevisionStore.Tables"),
        ("src/GridMap.Storage/Layers/LayerStore.cs", ".Replace(\"{view}\", layer.View", "layer.View comes from the catalog entry found by id; an unknown id is a 404 before this"),
        ("src/GridMap.Domain/IO/GeoPackageFile.cs", "SELECT * FROM \\\"{table.Replace(", "SQLite over the uploaded GeoPackage itself: the table name from its gpkg_contents is quoted as an identifier (\"\" doubled), never PostgreSQL"),
    ];

    private static readonly Regex SqlWord = new(@"\b(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|COPY|FROM|WHERE|ORDER\s+BY|VALUES|CREATE|ALTER|DROP|TRUNCATE|GRANT|AND|OR|JOIN)\b", RegexOptions.Compiled);

    /// <summary>Lines that build text into SQL: an interpolated string holding SQL words, a .Replace("{…}") template, or a
    /// command created from a concatenation that is not a bare constant.</summary>
    public static IEnumerable<(int Line, string Text)> Suspicious(string source)
    {
        var lines = source.Split('\n');
        var inInterpolatedRaw = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var l = lines[i];
            var t = l.TrimStart();
            if (t.StartsWith("//", StringComparison.Ordinal) || t.StartsWith("///", StringComparison.Ordinal)) continue;
            if (inInterpolatedRaw)
            {
                if (t.StartsWith("\"\"\"", StringComparison.Ordinal)) inInterpolatedRaw = false;
                else if (l.Contains('{') && SqlWord.IsMatch(l)) yield return (i + 1, l.Trim());
                continue;
            }
            if (Regex.IsMatch(l, @"\$+""""""\s*$")) { inInterpolatedRaw = true; continue; }
            foreach (Match m in Regex.Matches(l, @"\$@?""((?:[^""\\]|\\.)*)""|@\$""((?:[^""]|"""")*)"""))
            {
                var body = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
                if (body.Contains('{') && SqlWord.IsMatch(body) && !IsMessage(l)) { yield return (i + 1, l.Trim()); break; }
            }
            if (Regex.IsMatch(l, @"\.Replace\(""\{\w+\}""")) yield return (i + 1, l.Trim());
            else if (Regex.IsMatch(l, @"(CreateCommand|NpgsqlCommand|BeginBinaryImportAsync|NpgsqlBatchCommand)\([^)]*\+\s*[a-z_]\w*\s*[,)]")
                     || (Regex.IsMatch(l, @"CreateCommand|NpgsqlCommand|CommandText|BeginBinaryImport|NpgsqlBatchCommand") && Regex.IsMatch(l, @"""\s*\+\s*[A-Za-z_(]"))) yield return (i + 1, l.Trim());
        }
    }

    // Messages (exceptions, logs, console text) mention SQL words ("from", "where") in prose.
    private static bool IsMessage(string line) =>
        Regex.IsMatch(line, @"(Exception|RuleViolation|Log\w*|Console\.\w+|Description|Require|Detail|Title)\s*\(|throw |=> new\(|\bmsg\b|Message");

    [Fact]
    public void Source_BuildsNoSqlFromText_ExceptTheListedIdentifiers()
    {
        var src = Path.Combine(RepoPaths.Root, "src");
        var found = new List<string>();
        var used = new HashSet<int>();
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(RepoPaths.Root, file).Replace('\\', '/');
            if (rel.Contains("/bin/", StringComparison.Ordinal) || rel.Contains("/obj/", StringComparison.Ordinal)
                || rel.StartsWith("src/GridMap.Bench/", StringComparison.Ordinal)) continue; // the bench sets up its own throw-away databases
            foreach (var (line, text) in Suspicious(File.ReadAllText(file)))
            {
                var k = Array.FindIndex(Allowed, a => a.File == rel && text.Contains(a.Fragment, StringComparison.Ordinal));
                if (k >= 0) used.Add(k);
                else found.Add($"{rel}:{line}: {text}");
            }
        }
        Assert.True(found.Count == 0, "SQL built from text (bind a parameter, or add the identifier to Allowed with the reason):\n" + string.Join("\n", found));
        // A stale entry would let a future line at that spot slip through unexamined.
        var stale = Allowed.Where((_, i) => !used.Contains(i)).Select(a => $"{a.File}: {a.Fragment}").ToList();
        Assert.True(stale.Count == 0, "allowed entries that no longer match anything (remove them):\n" + string.Join("\n", stale));
    }

    [Theory]
    [InlineData("var cmd = db.CreateCommand($\"SELECT * FROM compound WHERE name = '{name}'\");")]
    [InlineData("await using var cmd = new NpgsqlCommand(\"SELECT * FROM compound WHERE name = '\" + name + \"'\", conn);")]
    [InlineData("var sql = $\"DELETE FROM plan WHERE id = {id}\";")]
    [InlineData("var sql = Sql(\"x\").Replace(\"{where}\", request.Filter);")]
    [InlineData("var cmd = db.CreateCommand(Select + filter);")]
    public void Scanner_FlagsTextSplicedIntoSql(string line) => Assert.NotEmpty(Suspicious(line));

    [Theory]
    [InlineData("var cmd = db.CreateCommand(\"SELECT * FROM compound WHERE id = @id\");")]
    [InlineData("throw new ArgumentException($\"no rows from {table} where expected\");")]
    [InlineData("await using var cmd = db.CreateCommand(Select + \" ORDER BY lower(u.name)\");")]
    [InlineData("var key = $\"plan:{id}\";")]
    public void Scanner_LetsConstantsAndMessagesThrough(string line) => Assert.Empty(Suspicious(line));

    [Fact]
    public void Scanner_FlagsInterpolatedRawSql()
    {
        var src = "var sql = $\"\"\"\n    SELECT id FROM compound\n    WHERE name = '{name}'\n    \"\"\";\n";
        Assert.Single(Suspicious(src));
    }
}
