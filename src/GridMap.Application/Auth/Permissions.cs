namespace GridMap.Application.Auth;

/// <summary>
/// What a role may do: the one role × permission table. Route groups (GridMap.Api RouteAccess) and the write pipeline
/// (<see cref="Pipeline.WriteSpec.Permission"/>) both ask <see cref="Allows"/>; nothing else decides by role.
/// </summary>
public static class Permissions
{
    /// <summary>Layers, tiles, compound and pipe details, search, statistics, OGC.</summary>
    public const string MapRead = "map.read";
    /// <summary>Network traces, isolation plans, findings, service areas, offline topology.</summary>
    public const string NetworkRead = "network.read";
    /// <summary>Planning areas, previews, plans, jobs.</summary>
    public const string PlanningRead = "planning.read";
    /// <summary>Partition, edit, staff and publish plans (branch-scoped).</summary>
    public const string PlanningWrite = "planning.write";
    /// <summary>Record campaign progress (visits, consent) for one's cells.</summary>
    public const string CampaignRecord = "campaign.record";
    /// <summary>Record field findings (valve states, leaks) in one's branch.</summary>
    public const string FieldRecord = "field.record";
    /// <summary>Review crews' corrections of the network (a moved pipe, a DN, a missing valve) and confirm inferred connections, in one's branch.</summary>
    public const string NetworkReview = "network.review";
    public const string ReportsRead = "reports.read";
    public const string ReportsWrite = "reports.write";
    /// <summary>The change history of an entity.</summary>
    public const string HistoryRead = "history.read";
    /// <summary>Imports and other data administration.</summary>
    public const string DataAdmin = "data.admin";
    /// <summary>Add, disable users, set passwords.</summary>
    public const string UsersAdmin = "users.admin";

    public static IReadOnlyList<string> All { get; } =
        [MapRead, NetworkRead, PlanningRead, PlanningWrite, CampaignRecord, FieldRecord, NetworkReview, ReportsRead, ReportsWrite, HistoryRead, DataAdmin, UsersAdmin];

    private static readonly Dictionary<string, HashSet<string>> ByRole = new(StringComparer.Ordinal)
    {
        [Roles.Admin] = [.. All],
        [Roles.Manager] = [MapRead, NetworkRead, PlanningRead, ReportsRead, ReportsWrite, HistoryRead],
        [Roles.Planner] = [MapRead, NetworkRead, PlanningRead, PlanningWrite, CampaignRecord, NetworkReview, ReportsRead, HistoryRead],
        [Roles.Staff] = [MapRead, CampaignRecord, HistoryRead],
        [Roles.Crew] = [MapRead, NetworkRead, FieldRecord, HistoryRead],
    };

    /// <summary>True when <paramref name="role"/> has <paramref name="permission"/>. GridMap itself (<c>system</c>) may do everything.</summary>
    public static bool Allows(string role, string permission) =>
        role == Pipeline.Caller.System.Role || (ByRole.TryGetValue(role, out var set) && set.Contains(permission));

    /// <summary>
    /// The permission a write needs when its <see cref="Pipeline.WriteSpec"/> names none, by the use case's family (the part of its
    /// name before the first dot): <c>planning.*</c> → planning.write, <c>campaign.*</c> → campaign.record, <c>field.*</c> →
    /// field.record, <c>reports.*</c> → reports.write, <c>users.*</c> → users.admin, <c>import.*</c> and any other family →
    /// data.admin (secure by default: a new family is for admins until it is listed here).
    /// </summary>
    public static string ForUseCase(string useCase)
    {
        var dot = useCase.IndexOf('.', StringComparison.Ordinal);
        return (dot > 0 ? useCase[..dot] : useCase) switch
        {
            "planning" => PlanningWrite,
            "campaign" => CampaignRecord,
            "field" => FieldRecord,
            "reports" => ReportsWrite,
            "users" => UsersAdmin,
            _ => DataAdmin,
        };
    }

    /// <summary>The permissions of a role (for the client, which hides what the user cannot do).</summary>
    public static IReadOnlyList<string> Of(string role) => All.Where(p => Allows(role, p)).ToList();
}
