using GridMap.Storage.Campaign;

namespace GridMap.Application.Campaign;

/// <summary>Totals over every stage: compounds, households, disputes.</summary>
public sealed record StatsTotal(int Compounds, long Households, int Disputes);

/// <summary>Campaign progress city-wide or for one district (with the WGS84 extent of its compounds).</summary>
public sealed record RetrofitStats(string? District, double[]? Extent, StatsTotal Total, IReadOnlyList<StageCount> ByStatus);

/// <summary>Service and database health with the main tables' row counts.</summary>
public sealed record HealthReport(string Status, string Database, TableCounts Counts);

/// <summary>
/// The campaign's read use cases: compound and pipe details, compound search, progress statistics, health.
/// Validates its inputs (400 on bad parameters, 404 on unknown ids) before touching the database.
/// </summary>
public sealed class CampaignQueries(CampaignStore store, CampaignWorkStore work)
{
    public const int MaxSearchLimit = 100;

    public async Task<CompoundDetails> CompoundAsync(int id, CancellationToken ct = default)
    {
        var c = await store.CompoundAsync(id, ct) ?? throw new KeyNotFoundException($"没有 id 为 {id} 的小区 (No compound with id {id}).");
        var k = await work.ConfigAsync(null, ct);
        var consent = GridMap.Domain.Campaign.ConsentCalculator.Compute(await work.ConsentsAsync(id, null, ct),
            new GridMap.Domain.Campaign.VoteRule(k.ParticipationNum, k.ParticipationDen, k.AgreementNum, k.AgreementDen));
        return c with { Consent = consent, FollowUp = await work.FollowUpStateAsync(id, ct) };
    }

    public async Task<PipeDetails> PipeAsync(long id, CancellationToken ct = default) =>
        await store.PipeAsync(id, ct) ?? throw new KeyNotFoundException($"没有 id 为 {id} 的管段 (No pipe with id {id}).");

    /// <summary>Compounds whose name or address contains <paramref name="query"/>; name-prefix matches first; <paramref name="limit"/> 1–100.</summary>
    public Task<IReadOnlyList<CompoundHit>> SearchAsync(string? query, int? limit, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(query)) throw new ArgumentException("请输入搜索内容 (q must not be empty).");
        var n = limit ?? 20;
        if (n is < 1 or > MaxSearchLimit) throw new ArgumentException($"limit {n} 超出范围 1–{MaxSearchLimit} (limit must be between 1 and {MaxSearchLimit}).");
        return store.SearchAsync(query, n, ct);
    }

    /// <summary>Compounds, households and disputes per stage, city-wide or for one district (6-digit code).</summary>
    public async Task<RetrofitStats> RetrofitStatsAsync(string? district, CancellationToken ct = default)
    {
        if (district is not null && !await store.DistrictExistsAsync(district, ct))
            throw new KeyNotFoundException($"没有编码为 '{district}' 的行政区 (No district with code '{district}').");
        var rows = await store.RetrofitStatsAsync(district, ct);
        var extent = district is null ? null : await store.DistrictExtentAsync(district, ct);
        return new RetrofitStats(district, extent, new StatsTotal(rows.Sum(r => r.Compounds), rows.Sum(r => r.Households), rows.Sum(r => r.Disputes)), rows);
    }

    /// <summary>Health with row counts; a database that cannot be reached surfaces as an NpgsqlException for the caller to map.</summary>
    public async Task<HealthReport> HealthAsync(CancellationToken ct = default) => new("ok", "ok", await store.CountsAsync(ct));
}
