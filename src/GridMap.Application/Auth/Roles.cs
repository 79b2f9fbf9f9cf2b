namespace GridMap.Application.Auth;

/// <summary>
/// The five roles (issue 9 §1): <c>admin</c> (everything, users too), <c>manager</c> (reads the whole city, writes
/// nothing but reports), <c>planner</c> (plans grid cells in their branch), <c>staff</c> (网格员: reads, records for
/// the cells assigned to them), <c>crew</c> (reads the network, records field findings in their branch).
/// </summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Manager = "manager";
    public const string Planner = "planner";
    public const string Staff = "staff";
    public const string Crew = "crew";

    /// <summary>Every role, in the order people are told about them.</summary>
    public static IReadOnlyList<string> All { get; } = [Admin, Manager, Planner, Staff, Crew];

    /// <summary>Chinese name of a role, for messages.</summary>
    public static string ChineseName(string role) => role switch
    {
        Admin => "管理员",
        Manager => "经理",
        Planner => "规划员",
        Staff => "网格员",
        Crew => "抢修班组",
        _ => role,
    };

    /// <summary>The role named <paramref name="text"/> (any case); an unknown role is bad input naming the valid ones.</summary>
    public static string Parse(string? text)
    {
        var role = text?.Trim().ToLowerInvariant();
        return role is not null && All.Contains(role) ? role
            : throw new ArgumentException($"未知角色 '{text}'，可选：{string.Join(", ", All)} (unknown role '{text}'; use one of {string.Join(", ", All)}).");
    }
}
