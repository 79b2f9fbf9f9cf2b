using GridMap.Application.Pipeline;

namespace GridMap.Application.Auth;

/// <summary>The authorization decision, in one place: role × permission (<see cref="Permissions"/>), then branch.</summary>
public static class Access
{
    /// <summary>Throws <see cref="AccessDenied"/> unless <paramref name="caller"/> has <paramref name="permission"/> and, when the
    /// target has a <paramref name="branch"/>, belongs to it (or to the whole company).</summary>
    public static void Demand(Caller caller, string permission, BranchScope? branch = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller == Caller.System) return;
        if (caller.Role == Caller.Anonymous.Role)
            throw new AccessDenied(AccessDenied.Unauthenticated, "请先登录 (sign in first).");
        if (!Permissions.Allows(caller.Role, permission))
            throw new AccessDenied(AccessDenied.Forbidden,
                $"{Roles.ChineseName(caller.Role)}（{caller.Role}）没有“{permission}”权限 (role {caller.Role} lacks permission {permission}).");
        if (branch is not null && !branch.Admits(caller.BranchId))
            throw new AccessDenied(AccessDenied.OtherBranch,
                $"该对象属于其他分公司，{caller.Name} 只能操作本分公司的对象 (the target belongs to {branch}, {caller.Name} works for branch {caller.BranchId}).");
    }
}
