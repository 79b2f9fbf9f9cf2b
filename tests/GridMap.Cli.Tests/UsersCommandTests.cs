using System.Diagnostics;
using GridMap.Storage.Auth;
using GridMap.Application.Auth;
using GridMap.Tests.Shared;

namespace GridMap.Cli.Tests;

/// <summary>`gridmap users add|list|disable|password|demo` against real PostGIS: the contract of issue 9 §1 (names, options,
/// errors naming the rule with exit 1), passwords only on standard input and only ever stored hashed, every change audited.</summary>
public sealed class UsersCommandTests
{
    private const string Branches = """
        INSERT INTO branch VALUES (1, '东区分公司', ST_Multi(ST_GeomFromText('POLYGON((113.6 34.7,113.8 34.7,113.8 34.9,113.6 34.9,113.6 34.7))', 4326)));
        INSERT INTO branch VALUES (2, '西区分公司', ST_Multi(ST_GeomFromText('POLYGON((113.4 34.7,113.6 34.7,113.6 34.9,113.4 34.9,113.4 34.7))', 4326)));
        """;

    private const string GoodPassword = "Heating-2024-ok";

    private static async Task<(TestDatabase Db, Dictionary<string, string> Env)> Setup()
    {
        var db = await TestDatabase.CreateAsync();
        await using (var cmd = db.DataSource.CreateCommand(Branches)) await cmd.ExecuteNonQueryAsync();
        return (db, new Dictionary<string, string> { ["GRIDMAP_DB"] = db.ConnectionString });
    }

    /// <summary>Runs gridmap with <paramref name="stdin"/> on standard input (closed after).</summary>
    private static async Task<CliRunner.Result> Gridmap(IDictionary<string, string> env, string? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gridmap.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null) await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await p.WaitForExitAsync(cts.Token);
        return new CliRunner.Result(p.ExitCode, await stdout, await stderr);
    }

    private static async Task<UserRow?> Find(TestDatabase db, string name) => await new UserStore(db.DataSource).FindAsync(name);

    [PostgisFact]
    public async Task Add_WithBranchNameOrId_StoresAHash_ListsThem_AndAuditsIt()
    {
        var (db, env) = await Setup();
        await using var owned = db;
        var r = await Gridmap(env, GoodPassword + "\n", "users", "add", "zhang.wei", "--role", "planner", "--branch", "东区分公司", "--password-stdin");
        Assert.True(r.ExitCode == 0, r.Stderr);
        r = await Gridmap(env, GoodPassword + "\n", "users", "add", "li.na", "--role", "crew", "--branch", "2", "--password-stdin");
        Assert.True(r.ExitCode == 0, r.Stderr);
        r = await Gridmap(env, GoodPassword, "users", "add", "boss", "--role", "MANAGER", "--password-stdin");
        Assert.True(r.ExitCode == 0, r.Stderr);

        var zhang = await Find(db, "zhang.wei");
        Assert.NotNull(zhang);
        Assert.Equal("planner", zhang.Role);
        Assert.Equal(1, zhang.BranchId);
        Assert.DoesNotContain(GoodPassword, zhang.PasswordHash, StringComparison.Ordinal);
        Assert.True(Passwords.Verify(zhang.PasswordHash, GoodPassword, out _));
        Assert.Equal(2, (await Find(db, "li.na"))!.BranchId);
        Assert.Null((await Find(db, "boss"))!.BranchId);

        var list = await Gridmap(env, null, "users", "list");
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Contains("zhang.wei\tplanner\t东区分公司\tactive", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("li.na\tcrew\t西区分公司\tactive", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("boss\tmanager\t全公司\tactive", list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(GoodPassword, list.Stdout + list.Stderr, StringComparison.Ordinal);

        await using var cmd = db.DataSource.CreateCommand("SELECT actor, actor_role, action, after::text FROM audit_log WHERE entity = 'user' AND entity_id = 'zhang.wei'");
        await using var row = await cmd.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        Assert.StartsWith("cli:", row.GetString(0), StringComparison.Ordinal);
        Assert.Equal("admin", row.GetString(1));
        Assert.Equal("users.add", row.GetString(2));
        Assert.DoesNotContain(GoodPassword, row.GetString(3), StringComparison.Ordinal);
    }

    [PostgisTheory]
    [InlineData("--role", "wizard", "未知角色")]
    [InlineData("--branch", "北区分公司", "未知分公司")]
    [InlineData("--branch", "99", "unknown branch")]
    public async Task Add_UnknownRoleOrBranch_Exits1NamingIt(string option, string value, string expected)
    {
        var (db, env) = await Setup();
        await using var owned = db;
        string[] args = option == "--role" ? ["users", "add", "x.y", "--role", value, "--password-stdin"] : ["users", "add", "x.y", "--role", "planner", option, value, "--password-stdin"];
        var r = await Gridmap(env, GoodPassword, args);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(expected, r.Stderr, StringComparison.Ordinal);
        Assert.Null(await Find(db, "x.y"));
    }

    [PostgisTheory]
    [InlineData("", "密码不能为空")]
    [InlineData("short1", "至少 10 个字符")]
    [InlineData("onlyletterslong", "至少 10 个字符")]
    [InlineData("wang.fang2024x", "不能包含用户名")]
    public async Task Add_EmptyOrWeakPassword_Exits1StatingTheRule(string password, string expected)
    {
        var (db, env) = await Setup();
        await using var owned = db;
        var r = await Gridmap(env, password + "\n", "users", "add", "wang.fang", "--role", "staff", "--branch", "1", "--password-stdin");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(expected, r.Stderr, StringComparison.Ordinal);
        Assert.Null(await Find(db, "wang.fang"));
    }

    [PostgisFact]
    public async Task Add_WithoutPasswordStdin_OrDuplicateName_Exits1()
    {
        var (db, env) = await Setup();
        await using var owned = db;
        var r = await Gridmap(env, GoodPassword, "users", "add", "dup", "--role", "staff");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--password-stdin", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, (await Gridmap(env, GoodPassword, "users", "add", "dup", "--role", "staff", "--password-stdin")).ExitCode);
        r = await Gridmap(env, GoodPassword, "users", "add", "DUP", "--role", "crew", "--password-stdin");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("已存在", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("already exists", r.Stderr, StringComparison.Ordinal);
    }

    [PostgisFact]
    public async Task DisableAndPassword_ChangeTheUser_UnknownUserExits1()
    {
        var (db, env) = await Setup();
        await using var owned = db;
        Assert.Equal(0, (await Gridmap(env, GoodPassword, "users", "add", "chen", "--role", "crew", "--branch", "1", "--password-stdin")).ExitCode);
        var stamp = (await Find(db, "chen"))!.SecurityStamp;

        var r = await Gridmap(env, "Another-passw0rd\n", "users", "password", "chen", "--password-stdin");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var changed = (await Find(db, "chen"))!;
        Assert.True(Passwords.Verify(changed.PasswordHash, "Another-passw0rd", out _));
        Assert.False(Passwords.Verify(changed.PasswordHash, GoodPassword, out _));
        Assert.True(changed.SecurityStamp > stamp);

        Assert.Equal(1, (await Gridmap(env, "weak", "users", "password", "chen", "--password-stdin")).ExitCode);

        r = await Gridmap(env, null, "users", "disable", "chen");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.True((await Find(db, "chen"))!.Disabled);
        Assert.Contains("chen\tcrew\t东区分公司\tdisabled", (await Gridmap(env, null, "users", "list")).Stdout, StringComparison.Ordinal);

        foreach (var args in new[] { new[] { "users", "disable", "ghost" }, ["users", "password", "ghost", "--password-stdin"] })
        {
            r = await Gridmap(env, GoodPassword, args);
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("没有用户 'ghost'", r.Stderr, StringComparison.Ordinal);
        }
    }

    [PostgisFact]
    public async Task Demo_CreatesOneUserPerRoleAndAPlannerPerBranch_WritesThePasswordsOnce()
    {
        var (db, env) = await Setup();
        await using var owned = db;
        var file = Path.Combine(Path.GetTempPath(), $"gm-demo-users-{Guid.NewGuid():N}.txt");
        try
        {
            var r = await Gridmap(env, null, "users", "demo", "--out", file, "--if-missing");
            Assert.True(r.ExitCode == 0, r.Stderr);
            var lines = File.ReadAllLines(file).Where(l => !l.StartsWith('#')).Select(l => l.Split('\t')).ToList();
            Assert.Equal(new[] { "demo-admin", "demo-manager", "demo-planner-1", "demo-planner-2", "demo-staff", "demo-crew" }, lines.Select(l => l[0]));
            Assert.Equal(new[] { "admin", "manager", "planner", "planner", "staff", "crew" }, lines.Select(l => l[1]));
            Assert.Equal("西区分公司", lines[3][2]);
            foreach (var l in lines) Assert.True(Passwords.Verify((await Find(db, l[0]))!.PasswordHash, l[3], out _), l[0]);
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

            var before = File.ReadAllText(file);
            r = await Gridmap(env, null, "users", "demo", "--out", file, "--if-missing");
            Assert.True(r.ExitCode == 0, r.Stderr);
            Assert.Equal(before, File.ReadAllText(file));
            Assert.True(Passwords.Verify((await Find(db, "demo-admin"))!.PasswordHash, lines[0][3], out _));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("add")]
    [InlineData("list")]
    [InlineData("disable")]
    [InlineData("password")]
    [InlineData("demo")]
    public async Task Help_DescribesEachCommand(string command)
    {
        var r = await CliRunner.RunAsync(["users", command, "--help"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Usage:", r.Stdout, StringComparison.Ordinal);
        Assert.Contains(command, r.Stdout, StringComparison.Ordinal);
    }
}
