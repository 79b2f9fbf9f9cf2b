using GridMap.Application.Audit;
using GridMap.Application.Pipeline;
using GridMap.Domain.Rules;
using GridMap.Storage.Auth;
using Npgsql;

namespace GridMap.Application.Auth;

/// <summary>A user as administrators see it (never the password or its hash).</summary>
public sealed record UserInfo(string Name, string Role, int? BranchId, string? BranchName, bool Disabled, bool Locked, DateTimeOffset CreatedAt);

/// <summary>A demo user and the password generated for it (shown once).</summary>
public sealed record DemoUser(string Name, string Role, string? BranchName, string Password);

/// <summary>
/// Administering users (<c>gridmap users …</c>): add, list, disable, set a password, and the demo users. Every change
/// goes through the <see cref="WritePipeline"/> (permission <see cref="Permissions.UsersAdmin"/>, audited as entity
/// <c>user</c>; never with the password or hash). Bad input is an <see cref="ArgumentException"/> naming the rule,
/// an unknown user a <see cref="KeyNotFoundException"/>, a taken name the rule <c>user-exists</c>.
/// </summary>
public sealed class UserAccounts(UserStore users, BranchStore branches, UserDirectory directory, WritePipeline writes, TimeProvider time)
{
    public const string UserExists = "user-exists";

    public async Task<UserInfo> AddAsync(string name, string role, string? branch, string? password, CancellationToken ct = default)
    {
        name = CheckName(name);
        role = Roles.Parse(role);
        var b = string.IsNullOrWhiteSpace(branch) ? null : await FindBranchAsync(branch, ct);
        Passwords.Check(name, password);
        var hash = Passwords.Hash(password!);
        try
        {
            await writes.RunAsync(new WriteSpec("users.add", "user:" + name) { Permission = Permissions.UsersAdmin }, async s =>
            {
                await users.InsertAsync(s, name, role, b?.Id, hash, ct);
                s.Changed("user", name, null, new { role, branch = b?.Name });
            }, ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new RuleViolation(UserExists, $"用户 '{name}' 已存在 (a user named '{name}' already exists).");
        }
        directory.Invalidate(name);
        return await GetAsync(name, ct);
    }

    /// <summary>Links user <paramref name="name"/> to the staff record <paramref name="staff"/> (id or name): a staff user (网格员)
    /// records in the grid cells assigned to that staff member.</summary>
    public async Task<int> LinkStaffAsync(string name, string staff, CancellationToken ct = default)
    {
        var u = await users.FindAsync(name, ct) ?? throw new KeyNotFoundException($"没有用户 '{name}' (no user '{name}').");
        var st = await users.FindStaffAsync(staff, ct) ?? throw new ArgumentException($"没有编号或姓名为 '{staff}' 的网格员 (no staff record '{staff}').");
        await writes.RunAsync(new WriteSpec("users.link-staff", "user:" + u.Name) { Permission = Permissions.UsersAdmin }, async s =>
        {
            await users.SetStaffAsync(s, u.Name, st.Id, ct);
            s.Changed("user", u.Name, null, new { staff_id = st.Id, staff = st.Name });
        }, ct);
        directory.Invalidate(u.Name);
        return st.Id;
    }

    public async Task<IReadOnlyList<UserInfo>> ListAsync(CancellationToken ct = default)
    {
        Access.Demand(writes.Caller, Permissions.UsersAdmin);
        return (await users.ListAsync(ct)).Select(Info).ToList();
    }

    public async Task<UserInfo> GetAsync(string name, CancellationToken ct = default) =>
        Info(await users.FindAsync(name.Trim(), ct) ?? throw UnknownUser(name));

    /// <summary>Disables a user: they cannot sign in, and tokens issued before stop working.</summary>
    public async Task<UserInfo> DisableAsync(string name, CancellationToken ct = default)
    {
        var before = await GetAsync(name, ct);
        await writes.RunAsync(new WriteSpec("users.disable", "user:" + before.Name) { Permission = Permissions.UsersAdmin }, async s =>
        {
            if (!await users.SetDisabledAsync(s, before.Name, true, ct)) throw UnknownUser(name);
            s.Changed("user", before.Name, new { disabled = before.Disabled }, new { disabled = true });
        }, ct);
        directory.Invalidate(before.Name);
        return await GetAsync(before.Name, ct);
    }

    /// <summary>Sets a new password (following <see cref="Passwords.Rule"/>); clears a lock-out; tokens issued before stop working.</summary>
    public async Task SetPasswordAsync(string name, string? password, CancellationToken ct = default)
    {
        var user = await GetAsync(name, ct);
        Passwords.Check(user.Name, password);
        var hash = Passwords.Hash(password!);
        await writes.RunAsync(new WriteSpec("users.password", "user:" + user.Name) { Permission = Permissions.UsersAdmin }, async s =>
        {
            if (!await users.SetPasswordAsync(s, user.Name, hash, ct)) throw UnknownUser(name);
            s.Changed("user", user.Name, null, new { password = "changed" });
        }, ct);
        directory.Invalidate(user.Name);
    }

    /// <summary>
    /// One demo user per role — <c>demo-admin</c>, <c>demo-manager</c> (whole company), <c>demo-planner-N</c> for every branch N,
    /// <c>demo-staff</c> and <c>demo-crew</c> (first branch) — each with a new generated password (an existing demo user gets a
    /// new one). Returns them with their passwords: the only time they are shown.
    /// </summary>
    public async Task<IReadOnlyList<DemoUser>> CreateDemoUsersAsync(CancellationToken ct = default)
    {
        var all = await branches.ListAsync(ct);
        var first = all.Count > 0 ? all[0] : null;
        var wanted = new List<(string Name, string Role, BranchRow? Branch)>
        {
            ("demo-admin", Roles.Admin, null),
            ("demo-manager", Roles.Manager, null),
        };
        wanted.AddRange(all.Select(b => ($"demo-planner-{b.Id}", Roles.Planner, (BranchRow?)b)));
        if (all.Count == 0) wanted.Add(("demo-planner", Roles.Planner, null));
        wanted.Add(("demo-staff", Roles.Staff, first));
        wanted.Add(("demo-crew", Roles.Crew, first));
        var result = new List<DemoUser>();
        foreach (var (name, role, branch) in wanted)
        {
            var password = Passwords.Generate();
            if (await users.FindAsync(name, ct) is null) await AddAsync(name, role, branch?.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), password, ct);
            else await SetPasswordAsync(name, password, ct);
            // The demo staff user is the staff member with the most cells of its branch: "my cells" are real demo cells.
            if (role == Roles.Staff && await users.BusiestStaffAsync(branch?.Id, ct) is { } staffId)
                await LinkStaffAsync(name, staffId.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
            result.Add(new DemoUser(name, role, branch?.Name, password));
        }
        return result;
    }

    /// <summary>True when every demo user <see cref="CreateDemoUsersAsync"/> makes exists and is enabled.</summary>
    public async Task<bool> DemoUsersExistAsync(CancellationToken ct = default)
    {
        var names = (await users.ListAsync(ct)).Where(u => !u.Disabled).Select(u => u.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var all = await branches.ListAsync(ct);
        string[] fixedNames = ["demo-admin", "demo-manager", "demo-staff", "demo-crew"];
        return fixedNames.All(names.Contains) && (all.Count == 0 ? names.Contains("demo-planner") : all.All(b => names.Contains($"demo-planner-{b.Id}")));
    }

    /// <summary>A branch by name (e.g. 东区分公司) or id.</summary>
    public async Task<BranchRow> FindBranchAsync(string text, CancellationToken ct = default)
    {
        var t = text.Trim();
        var all = await branches.ListAsync(ct);
        return all.FirstOrDefault(b => b.Name == t || b.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == t)
            ?? throw new ArgumentException($"未知分公司 '{text}'，可选：{(all.Count == 0 ? "（无）" : string.Join(", ", all.Select(b => $"{b.Name} ({b.Id})")))} (unknown branch '{text}').");
    }

    private UserInfo Info(UserRow u) => new(u.Name, u.Role, u.BranchId, u.BranchName, u.Disabled, u.LockedUntil > time.GetUtcNow(), u.CreatedAt);

    private static string CheckName(string? name)
    {
        var n = name?.Trim() ?? "";
        if (n.Length is 0 or > 64 || n.Any(char.IsControl) || n.Any(char.IsWhiteSpace))
            throw new ArgumentException($"用户名须为 1–64 个字符且不含空白 (the user name must be 1–64 characters without spaces): '{name}'.");
        return n;
    }

    private static KeyNotFoundException UnknownUser(string name) => new($"没有用户 '{name}' (no user named '{name}').");
}
