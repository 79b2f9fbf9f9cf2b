using GridMap.Domain.Model;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.Demo;

/// <summary>
/// Staff of the four branches: mostly grid workers (网格员), with a supervisor per ~10 and an engineer per ~8
/// workers; each branch gets staff in proportion to its compounds, based near a compound of that branch.
/// Names are drawn from common surnames (weighted) and given-name characters; phones are 11-digit mobiles.
/// </summary>
internal sealed class StaffGenerator(Random random)
{
    public List<Staff> Generate(IReadOnlyList<(int BranchId, Coordinate Centroid)> compounds, int total)
    {
        var staff = new List<Staff>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var phones = new HashSet<string>(StringComparer.Ordinal);
        var byBranch = compounds.GroupBy(c => c.BranchId).OrderBy(g => g.Key).ToList();
        var surnameTotal = Enumerable.Range(0, NameSource.Surnames.Length).Sum(NameSource.SurnameWeight);
        foreach (var branch in byBranch)
        {
            var list = branch.ToList();
            var count = Math.Max(10, (int)Math.Round(total * (double)list.Count / compounds.Count));
            for (var i = 0; i < count; i++)
            {
                var role = i % 10 == 0 ? StaffRole.Supervisor : i % 10 == 5 && random.NextDouble() < 0.8 ? StaffRole.Engineer : StaffRole.GridWorker;
                string name;
                do name = Name(surnameTotal); while (!names.Add(name));
                string phone;
                do phone = Phone(); while (!phones.Add(phone));
                var home = list[random.Next(list.Count)].Centroid;
                var angle = random.NextDouble() * 2 * Math.PI;
                var r = 30 + 150 * random.NextDouble();
                var at = MetricFrame.ToWgs84Point(new Coordinate(home.X + r * Math.Cos(angle), home.Y + r * Math.Sin(angle)));
                staff.Add(new Staff(staff.Count + 1, name, phone, role, branch.Key, at));
            }
        }
        return staff;
    }

    private string Name(double surnameTotal)
    {
        var r = random.NextDouble() * surnameTotal;
        var k = 0;
        for (; k < NameSource.Surnames.Length - 1; k++)
        {
            r -= NameSource.SurnameWeight(k);
            if (r <= 0) break;
        }
        var given = NameSource.GivenChars[random.Next(NameSource.GivenChars.Length)];
        if (random.NextDouble() < 0.7) given += NameSource.GivenChars[random.Next(NameSource.GivenChars.Length)];
        return NameSource.Surnames[k] + given;
    }

    private static readonly string[] Prefixes = ["130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156", "158", "166", "176", "177", "180", "181", "185", "186", "187", "188", "189", "199"];

    /// <summary>A mobile number written 1xx xxxx xxxx.</summary>
    private string Phone() => $"{Prefixes[random.Next(Prefixes.Length)]} {random.Next(10000):D4} {random.Next(10000):D4}";
}
