using System.Security.Cryptography;
using Npgsql;

namespace GridMap.Storage.Auth;

/// <summary>
/// The key sign-in tokens are signed with, kept in table auth_signing_key: the first instance that needs it generates
/// 64 random bytes, every other instance (and every restart) reads the same, so tokens work behind a load balancer
/// with nothing to configure.
/// </summary>
public sealed class SigningKeyStore(NpgsqlDataSource db)
{
    /// <summary>The stored key, created when there is none yet.</summary>
    public async Task<byte[]> GetOrCreateAsync(CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var cmd = db.CreateCommand("""
                WITH ins AS (INSERT INTO auth_signing_key (id, key) VALUES (1, @key) ON CONFLICT (id) DO NOTHING RETURNING key)
                SELECT key FROM ins UNION ALL SELECT key FROM auth_signing_key WHERE id = 1 LIMIT 1
                """);
            cmd.Parameters.AddWithValue("key", RandomNumberGenerator.GetBytes(64));
            // Null only when another instance inserted its key in the same instant (not yet visible): read again.
            if (await cmd.ExecuteScalarAsync(ct) is byte[] key) return key;
            if (attempt >= 3) throw new InvalidOperationException("auth_signing_key: no key could be created or read.");
        }
    }
}
