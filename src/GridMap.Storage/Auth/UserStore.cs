using Npgsql;

namespace GridMap.Storage.Auth;

/// <summary>A user as stored (table app_user). <see cref="BranchId"/> null = the whole company. <see cref="PasswordHash"/> is the
/// PasswordHasher output, never the password; <see cref="SecurityStamp"/> changes when the password changes or the user is disabled.</summary>
public sealed record UserRow(int Id, string Name, string Role, int? BranchId, string? BranchName, string PasswordHash, bool Disabled,
    int FailedAttempts, DateTimeOffset? LockedUntil, int SecurityStamp, DateTimeOffset CreatedAt);

/// <summary>
/// Users of GridMap in PostgreSQL. Names are unique ignoring case. Writes that change who may do what take the write's
/// <see cref="DbSession"/>; the sign-in bookkeeping (failed attempts, lock-out) is one statement each, outside any use case.
/// </summary>
public sealed class UserStore(NpgsqlDataSource db)
{
    private const string Select = """
        SELECT u.id, u.name, u.role, u.branch_id, b.name, u.password_hash, u.disabled, u.failed_attempts, u.locked_until,
               u.security_stamp, u.created_at
        FROM app_user u LEFT JOIN branch b ON b.id = u.branch_id
        """;

    /// <summary>The user called <paramref name="name"/> (ignoring case), or null.</summary>
    public async Task<UserRow?> FindAsync(string name, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(Select + " WHERE lower(u.name) = lower(@name)");
        cmd.Parameters.AddWithValue("name", name);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r) : null;
    }

    /// <summary>Every user, by name.</summary>
    public async Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(Select + " ORDER BY lower(u.name)");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<UserRow>();
        while (await r.ReadAsync(ct)) list.Add(Read(r));
        return list;
    }

    /// <summary>Adds a user; a name already taken (ignoring case) is a unique violation on app_user_name_key.</summary>
    public async Task<int> InsertAsync(DbSession s, string name, string role, int? branchId, string passwordHash, CancellationToken ct = default)
    {
        await using var cmd = s.Command("INSERT INTO app_user (name, role, branch_id, password_hash) VALUES (@name, @role, @branch, @hash) RETURNING id");
        cmd.Parameters.AddWithValue("name", name);
        cmd.Parameters.AddWithValue("role", role);
        cmd.Parameters.AddWithValue("branch", (object?)branchId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("hash", passwordHash);
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Disables or enables a user (tokens issued before stop working); false when there is no such user.</summary>
    public async Task<bool> SetDisabledAsync(DbSession s, string name, bool disabled, CancellationToken ct = default) =>
        await s.ExecuteAsync("""
            UPDATE app_user SET disabled = @disabled, security_stamp = security_stamp + 1, updated_at = now()
            WHERE lower(name) = lower(@name)
            """, ct, ("name", name), ("disabled", disabled)) == 1;

    /// <summary>Sets a new password hash, clears failed attempts and any lock; false when there is no such user.</summary>
    public async Task<bool> SetPasswordAsync(DbSession s, string name, string passwordHash, CancellationToken ct = default) =>
        await s.ExecuteAsync("""
            UPDATE app_user SET password_hash = @hash, failed_attempts = 0, locked_until = NULL, security_stamp = security_stamp + 1, updated_at = now()
            WHERE lower(name) = lower(@name)
            """, ct, ("name", name), ("hash", passwordHash)) == 1;

    /// <summary>Counts a failed sign-in; the <paramref name="lockAfter"/>-th in a row locks the user for <paramref name="lockFor"/>
    /// (and starts the count again). Returns the lock's end when this failure locked the user.</summary>
    public async Task<DateTimeOffset?> RecordFailureAsync(int id, int lockAfter, TimeSpan lockFor, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("""
            UPDATE app_user SET
              locked_until = CASE WHEN failed_attempts + 1 >= @max THEN now() + @lock ELSE locked_until END,
              failed_attempts = CASE WHEN failed_attempts + 1 >= @max THEN 0 ELSE failed_attempts + 1 END
            WHERE id = @id
            RETURNING CASE WHEN failed_attempts = 0 THEN locked_until END
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("max", lockAfter);
        cmd.Parameters.AddWithValue("lock", lockFor);
        return await cmd.ExecuteScalarAsync(ct) is DateTime t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
    }

    /// <summary>A successful sign-in: clears failed attempts and an expired lock; stores a re-hashed password when given.</summary>
    public async Task RecordSuccessAsync(int id, string? newHash, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("""
            UPDATE app_user SET failed_attempts = 0, locked_until = NULL, password_hash = coalesce(@hash, password_hash)
            WHERE id = @id AND (failed_attempts > 0 OR locked_until IS NOT NULL OR @hash IS NOT NULL)
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.Add(new NpgsqlParameter("hash", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)newHash ?? DBNull.Value });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A staff record by id or exact name: (id, name, branch), or null.</summary>
    public async Task<(int Id, string Name, int BranchId)?> FindStaffAsync(string text, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT id, name, branch_id FROM staff WHERE id::text = @t OR name = @t ORDER BY (id::text = @t) DESC, id LIMIT 1");
        cmd.Parameters.AddWithValue("t", text.Trim());
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (r.GetInt32(0), r.GetString(1), r.GetInt32(2)) : null;
    }

    /// <summary>The staff member of <paramref name="branchId"/> (any branch when null) responsible for the most grid cells, or null.</summary>
    public async Task<int?> BusiestStaffAsync(int? branchId, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("""
            SELECT g.staff_id FROM grid_cell g JOIN staff s ON s.id = g.staff_id
            WHERE @b::int IS NULL OR s.branch_id = @b::int GROUP BY g.staff_id ORDER BY count(*) DESC, g.staff_id LIMIT 1
            """);
        cmd.Parameters.Add(new NpgsqlParameter("b", NpgsqlTypes.NpgsqlDbType.Integer) { Value = (object?)branchId ?? DBNull.Value });
        return await cmd.ExecuteScalarAsync(ct) as int?;
    }

    /// <summary>Links a user to a staff record (null: unlinks): a staff user records in that staff member's cells.</summary>
    public Task SetStaffAsync(DbSession s, string name, int? staffId, CancellationToken ct = default) =>
        s.ExecuteAsync("UPDATE app_user SET staff_id = @s, updated_at = now() WHERE lower(name) = lower(@n)", ct,
            ("s", (object?)staffId ?? DBNull.Value), ("n", name));

    private static UserRow Read(NpgsqlDataReader r) => new(
        r.GetInt32(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetInt32(3), r.IsDBNull(4) ? null : r.GetString(4),
        r.GetString(5), r.GetBoolean(6), r.GetInt32(7), r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8), r.GetInt32(9),
        r.GetFieldValue<DateTimeOffset>(10));
}
