namespace GridMap.Domain.Model;

/// <summary>How a compound's flats are heated. Stored and served as lower-case codes.</summary>
public enum HeatingSystem { Series, Parallel, Mixed }

/// <summary>
/// The 串改并 campaign stages, in order: 未启动 → 宣传 → 入户走访 → 签约 → 施工 → 验收 → 完成.
/// Follow-up visits (回访) after completion are recorded separately, not as a stage.
/// </summary>
public enum RetrofitStatus { NotStarted, Publicity, Visiting, Signed, Construction, Acceptance, Completed }

/// <summary>Network level of a pipe: 一次网 primary (source→station), 二次网 secondary (station→compound), 楼内 building.</summary>
public enum NetworkLevel { Primary, Secondary, Building }

/// <summary>Supply (供水) or return (回水) line.</summary>
public enum FlowDirection { Supply, Return }

/// <summary>Operational state of a pipe or valve.</summary>
public enum OpenState { Open, Closed }

/// <summary>Road class: arterial (主干道, a grid-cell barrier) or local (支路).</summary>
public enum RoadKind { Arterial, Local }

/// <summary>Staff roles in grid governance.</summary>
public enum StaffRole { GridWorker, Supervisor, Engineer }

/// <summary>Lower-case string codes used in storage, APIs and files; Chinese labels for the UI.</summary>
public static class Codes
{
    public static string ToCode(this RetrofitStatus s) => s switch
    {
        RetrofitStatus.NotStarted => "not_started",
        RetrofitStatus.Publicity => "publicity",
        RetrofitStatus.Visiting => "visiting",
        RetrofitStatus.Signed => "signed",
        RetrofitStatus.Construction => "construction",
        RetrofitStatus.Acceptance => "acceptance",
        RetrofitStatus.Completed => "completed",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    public static string ToLabel(this RetrofitStatus s) => s switch
    {
        RetrofitStatus.NotStarted => "未启动",
        RetrofitStatus.Publicity => "宣传",
        RetrofitStatus.Visiting => "入户走访",
        RetrofitStatus.Signed => "签约",
        RetrofitStatus.Construction => "施工",
        RetrofitStatus.Acceptance => "验收",
        RetrofitStatus.Completed => "完成",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    public static RetrofitStatus ParseRetrofitStatus(string code) =>
        Enum.GetValues<RetrofitStatus>().FirstOrDefault(s => s.ToCode() == code || s.ToLabel() == code, (RetrofitStatus)(-1)) is var r && (int)r >= 0
            ? r : throw new ArgumentException($"Unknown retrofit status '{code}'. Expected one of: {string.Join(", ", Enum.GetValues<RetrofitStatus>().Select(s => $"{s.ToCode()} ({s.ToLabel()})"))}.");

    public static string ToCode(this HeatingSystem h) => h.ToString().ToLowerInvariant();
    public static string ToCode(this NetworkLevel l) => l.ToString().ToLowerInvariant();
    public static string ToCode(this FlowDirection f) => f.ToString().ToLowerInvariant();
    public static string ToCode(this OpenState s) => s.ToString().ToLowerInvariant();
    public static string ToCode(this RoadKind k) => k.ToString().ToLowerInvariant();
    public static string ToCode(this StaffRole r) => r switch
    {
        StaffRole.GridWorker => "grid_worker",
        StaffRole.Supervisor => "supervisor",
        StaffRole.Engineer => "engineer",
        _ => throw new ArgumentOutOfRangeException(nameof(r)),
    };

    /// <summary>Parses a lower-case code of any enum above (case-insensitive, '_' ignored); clear error otherwise.</summary>
    public static T Parse<T>(string code) where T : struct, Enum =>
        Enum.TryParse<T>(code.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var v) && Enum.IsDefined(v)
            ? v : throw new ArgumentException($"Unknown {typeof(T).Name} '{code}'. Expected one of: {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");
}
