using System.CommandLine;
using System.Globalization;
using System.Text;
using GridMap.Application;
using GridMap.Application.Auth;
using GridMap.Application.Pipeline;
using GridMap.Domain.Rules;
using Microsoft.Extensions.DependencyInjection;

namespace GridMap.Cli.Commands;

/// <summary>
/// `gridmap users add|list|disable|password|demo` — administering who may sign in, through the Application use cases
/// (<see cref="UserAccounts"/>), as the operating-system user (recorded in the audit log as <c>cli:NAME</c>). Passwords are
/// read from standard input only (never an argument: it would sit in the shell history and the process list).
/// </summary>
internal static class UsersCommand
{
    public static Command Create()
    {
        var cmd = new Command("users", "用户与角色：添加、列出、停用、改密码、演示用户 (users: add, list, disable, set password, demo users)");
        cmd.Subcommands.Add(Add());
        cmd.Subcommands.Add(List());
        cmd.Subcommands.Add(Disable());
        cmd.Subcommands.Add(Password());
        cmd.Subcommands.Add(Demo());
        return cmd;
    }

    private static Argument<string> NameArgument() => new("NAME") { Description = "用户名 (user name)" };

    private static Option<bool> PasswordStdin() => new("--password-stdin")
    {
        Description = $"从标准输入读取密码（第一行）(read the password from standard input, first line). {Passwords.Rule}",
    };

    private static Command Add()
    {
        var name = NameArgument();
        var role = new Option<string>("--role")
        {
            Description = $"角色 (role): {string.Join(" | ", Roles.All)}",
            Required = true,
        };
        var branch = new Option<string?>("--branch") { Description = "分公司名称（如 东区分公司）或编号；省略 = 全公司 (branch name such as 东区分公司, or its id; omitted = whole company)" };
        var staff = new Option<string?>("--staff") { Description = "关联的网格员（编号或姓名）：网格员用户只能在其负责的网格内记录 (link to a staff record by id or name: a staff user records in that person's grid cells)" };
        var stdin = PasswordStdin();
        var db = CliSupport.DbOption();
        var add = new Command("add", "添加用户 (add a user): gridmap users add NAME --role ROLE [--branch BRANCH] [--staff ID|NAME] --password-stdin") { name, role, branch, staff, stdin, db };
        add.SetAction((p, ct) => Run(p, db, async accounts =>
        {
            var password = ReadPassword(p.GetValue(stdin));
            var u = await accounts.AddAsync(p.GetValue(name)!, p.GetValue(role)!, p.GetValue(branch), password, ct);
            Console.WriteLine($"已添加用户 {u.Name}：{u.Role}，{u.BranchName ?? "全公司"} (added user {u.Name}: {u.Role}, {(u.BranchName is null ? "whole company" : "branch " + u.BranchId)})");
            if (p.GetValue(staff) is { Length: > 0 } st)
                Console.WriteLine($"已关联网格员 {await accounts.LinkStaffAsync(u.Name, st, ct)} (linked to staff {st})");
            return 0;
        }));
        return add;
    }

    private static Command List()
    {
        var db = CliSupport.DbOption();
        var list = new Command("list", "列出用户 (list users: name, role, branch, state)") { db };
        list.SetAction((p, ct) => Run(p, db, async accounts =>
        {
            var users = await accounts.ListAsync(ct);
            Console.WriteLine("name\trole\tbranch\tstate\tcreated");
            foreach (var u in users)
                Console.WriteLine(string.Join('\t', u.Name, u.Role, u.BranchName ?? "全公司", u.Disabled ? "disabled" : u.Locked ? "locked" : "active",
                    u.CreatedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
            Console.Error.WriteLine($"{users.Count} 个用户 ({users.Count} user(s))");
            return 0;
        }));
        return list;
    }

    private static Command Disable()
    {
        var name = NameArgument();
        var db = CliSupport.DbOption();
        var disable = new Command("disable", "停用用户：不能再登录，已发的令牌失效 (disable a user: no sign-in, issued tokens stop working)") { name, db };
        disable.SetAction((p, ct) => Run(p, db, async accounts =>
        {
            var u = await accounts.DisableAsync(p.GetValue(name)!, ct);
            Console.WriteLine($"已停用用户 {u.Name} (disabled user {u.Name})");
            return 0;
        }));
        return disable;
    }

    private static Command Password()
    {
        var name = NameArgument();
        var stdin = PasswordStdin();
        var db = CliSupport.DbOption();
        var password = new Command("password", "设置新密码（并解除锁定）(set a new password; also clears a lock-out): gridmap users password NAME --password-stdin") { name, stdin, db };
        password.SetAction((p, ct) => Run(p, db, async accounts =>
        {
            await accounts.SetPasswordAsync(p.GetValue(name)!, ReadPassword(p.GetValue(stdin)), ct);
            Console.WriteLine($"已更新 {p.GetValue(name)} 的密码 (password of {p.GetValue(name)} changed)");
            return 0;
        }));
        return password;
    }

    private static Command Demo()
    {
        var output = new Option<FileInfo>("--out") { Description = "写入演示用户及密码的文件（请勿提交）(file the demo users and passwords are written to; keep it out of git)", Required = true };
        var ifMissing = new Option<bool>("--if-missing") { Description = "文件已存在且演示用户都在时跳过 (skip when the file exists and every demo user does)" };
        var db = CliSupport.DbOption();
        var demo = new Command("demo", "每个角色一个演示用户（每个分公司一个规划员），生成密码写入文件 (one demo user per role, a planner per branch; generated passwords written to a file)")
            { output, ifMissing, db };
        demo.SetAction((p, ct) => Run(p, db, async accounts =>
        {
            var file = p.GetValue(output)!;
            if (p.GetValue(ifMissing) && file.Exists && await accounts.DemoUsersExistAsync(ct))
            {
                Console.WriteLine($"演示用户已存在，密码见 {file.FullName} (demo users exist; passwords in {file.FullName})");
                return 0;
            }
            var users = await accounts.CreateDemoUsersAsync(ct);
            var text = new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"# GridMap 演示用户 demo users — {DateTimeOffset.Now:yyyy-MM-dd HH:mm}. 改密码 change: gridmap users password NAME --password-stdin")
                .AppendLine("# user\trole\tbranch\tpassword");
            foreach (var u in users) text.AppendLine(CultureInfo.InvariantCulture, $"{u.Name}\t{u.Role}\t{u.BranchName ?? "全公司"}\t{u.Password}");
            file.Directory?.Create();
            await File.WriteAllTextAsync(file.FullName, text.ToString(), ct);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Console.WriteLine($"已创建 {users.Count} 个演示用户，密码写入 {file.FullName} (created {users.Count} demo users; passwords written to {file.FullName})");
            return 0;
        }));
        return demo;
    }

    /// <summary>The first line of standard input; the option must be given (a password never comes as an argument).</summary>
    private static string ReadPassword(bool fromStdin)
    {
        if (!fromStdin) throw new ArgumentException("请用 --password-stdin 从标准输入提供密码 (give the password on standard input with --password-stdin).");
        var line = Console.In.ReadLine();
        return line?.TrimEnd('\r', '\n') ?? "";
    }

    /// <summary>Runs a users command against the use cases, as the operating-system user; expected refusals are one line on stderr, exit 1.</summary>
    private static Task<int> Run(ParseResult p, Option<string?> db, Func<UserAccounts, Task<int>> body) => CliSupport.Run(async () =>
    {
        await using var ds = CliSupport.OpenDatabase(p, db);
        var services = new ServiceCollection()
            .AddSingleton(ds)
            .AddLogging()
            .AddSingleton<ICallerAccessor>(new FixedCallerAccessor(Caller.OperatingSystemUser()))
            .AddGridMapApplication()
            .AddAuthUseCases();
        await using var sp = services.BuildServiceProvider();
        try
        {
            return await body(sp.GetRequiredService<UserAccounts>());
        }
        catch (Exception e) when (e is RuleViolation or KeyNotFoundException or AccessDenied)
        {
            Console.Error.WriteLine($"gridmap: error: {e.Message}");
            return 1;
        }
    });
}
