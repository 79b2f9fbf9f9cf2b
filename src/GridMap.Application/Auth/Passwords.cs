using Microsoft.AspNetCore.Identity;

namespace GridMap.Application.Auth;

/// <summary>
/// Password hashing (ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>: PBKDF2-HMAC-SHA512, salted, 100,000
/// iterations) and the password rule. Passwords are never stored, logged or echoed.
/// </summary>
public static class Passwords
{
    public const int MinLength = 10;

    /// <summary>The rule, for messages.</summary>
    public const string Rule = "至少 10 个字符，须同时包含字母和数字，且不能包含用户名 (at least 10 characters, with both letters and digits, not containing the user name)";

    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object Nobody = new();

    /// <summary>A hash of a password no one knows: verified against when the user does not exist, so that answer takes as long as a wrong password.</summary>
    private static readonly string DecoyHash = Hasher.HashPassword(Nobody, Guid.NewGuid().ToString("N"));

    public static string Hash(string password) => Hasher.HashPassword(Nobody, password);

    /// <summary>True when <paramref name="password"/> matches <paramref name="hash"/>; <paramref name="rehash"/> says the hash should be renewed (older parameters).</summary>
    public static bool Verify(string? hash, string password, out bool rehash)
    {
        var r = Hasher.VerifyHashedPassword(Nobody, hash ?? DecoyHash, password);
        rehash = r == PasswordVerificationResult.SuccessRehashNeeded;
        return hash is not null && r != PasswordVerificationResult.Failed;
    }

    /// <summary>Throws <see cref="ArgumentException"/> stating the rule unless <paramref name="password"/> follows it.</summary>
    public static void Check(string userName, string? password)
    {
        if (string.IsNullOrEmpty(password))
            throw new ArgumentException($"密码不能为空：{Rule} (the password is empty).");
        if (password.Length < MinLength || !password.Any(char.IsLetter) || !password.Any(char.IsDigit)
            || (userName.Length > 0 && password.Contains(userName, StringComparison.OrdinalIgnoreCase)))
            throw new ArgumentException($"密码太弱：{Rule} (the password is too weak).");
        if (password.Length > 256) throw new ArgumentException("密码过长，最多 256 个字符 (the password is longer than 256 characters).");
    }

    /// <summary>A random password that follows the rule (demo users): 16 letters and digits without look-alikes.</summary>
    public static string Generate()
    {
        const string letters = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ", digits = "23456789";
        const string all = letters + digits;
        while (true)
        {
            var p = System.Security.Cryptography.RandomNumberGenerator.GetString(all, 16);
            if (p.Any(char.IsLetter) && p.Any(char.IsDigit)) return p;
        }
    }
}
