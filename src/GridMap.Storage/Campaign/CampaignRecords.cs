using System.Text.Json.Serialization;

namespace GridMap.Storage.Campaign;

/// <summary>Compounds, households and disputes in one campaign stage (<paramref name="Status"/> code, Chinese <paramref name="Label"/>).</summary>
public sealed record StageCount(string Status, string Label, int Compounds, long Households, int Disputes);

/// <summary>
/// Everything about one compound, with its district/street/community names, station, grid cell and the cell's
/// responsible staff. Areas in m² (footprint on the ellipsoid), consent rate 0–1, centroid a WGS84 point on the
/// footprint. Field names are snake_case on the wire (the detail panels and the crew view read them).
/// </summary>
public sealed record CompoundDetails(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("address")] string? Address,
    [property: JsonPropertyName("district_code")] string DistrictCode,
    [property: JsonPropertyName("district_name")] string DistrictName,
    [property: JsonPropertyName("street_code")] string? StreetCode,
    [property: JsonPropertyName("street_name")] string? StreetName,
    [property: JsonPropertyName("community_code")] string? CommunityCode,
    [property: JsonPropertyName("community_name")] string? CommunityName,
    [property: JsonPropertyName("households")] int Households,
    [property: JsonPropertyName("buildings")] int Buildings,
    [property: JsonPropertyName("heated_area_m2")] double HeatedAreaM2,
    [property: JsonPropertyName("built_year")] int? BuiltYear,
    [property: JsonPropertyName("heating_system")] string HeatingSystem,
    [property: JsonPropertyName("retrofit_status")] string RetrofitStatus,
    [property: JsonPropertyName("retrofit_status_label")] string RetrofitStatusLabel,
    [property: JsonPropertyName("consent_rate")] double ConsentRate,
    [property: JsonPropertyName("dispute")] bool Dispute,
    [property: JsonPropertyName("dispute_notes")] string? DisputeNotes,
    [property: JsonPropertyName("property_management")] bool PropertyManagement,
    [property: JsonPropertyName("fee_status")] string FeeStatus,
    [property: JsonPropertyName("secondary_retrofit_year")] int? SecondaryRetrofitYear,
    [property: JsonPropertyName("station_id")] int? StationId,
    [property: JsonPropertyName("station_name")] string? StationName,
    [property: JsonPropertyName("cell_code")] string? CellCode,
    [property: JsonPropertyName("cell_name")] string? CellName,
    [property: JsonPropertyName("staff_id")] int? StaffId,
    [property: JsonPropertyName("staff_name")] string? StaffName,
    [property: JsonPropertyName("staff_phone")] string? StaffPhone,
    [property: JsonPropertyName("area_m2")] double AreaM2,
    [property: JsonPropertyName("centroid")] double[] Centroid,
    [property: JsonPropertyName("follow_up_visits")] long FollowUpVisits) : IVersioned
{
    /// <summary>Campaign stage (the code of retrofit_status: not_started … completed).</summary>
    [JsonPropertyName("stage")] public string Stage => RetrofitStatus;

    /// <summary>Revision of the compound (bumped by every campaign write); the ETag is built from it.</summary>
    [JsonPropertyName("revision")] public long Revision { get; init; } = 1;

    /// <summary>Both consents: the owners' vote fractions (0–1) and whether the rule is met; units ready and blocked units.</summary>
    [JsonPropertyName("consent")] public GridMap.Domain.Campaign.ConsentSummary? Consent { get; init; }

    /// <summary>Who collects the heat fee (热费代收), null when not recorded.</summary>
    [JsonPropertyName("fee_collector")] public string? FeeCollector { get; init; }

    /// <summary>Grid acceptance result (null: not recorded yet).</summary>
    [JsonPropertyName("acceptance_passed")] public bool? AcceptancePassed { get; init; }

    /// <summary>Households recorded for the compound (户 rows).</summary>
    [JsonPropertyName("households_recorded")] public int HouseholdsRecorded { get; init; }

    /// <summary>The follow-up schedule (completed compounds): next due and overdue.</summary>
    [JsonPropertyName("follow_up")] public FollowUpState? FollowUp { get; init; }

    /// <summary>Strong entity tag of the compound's revision: <c>"compound-ID-rN"</c>.</summary>
    [JsonIgnore] public string ETag => ETags.Format("compound", Id, Revision);
}

/// <summary>One pipe: level (primary/secondary), flow (supply/return), DN in mm, depth in m, length in m on the ellipsoid, and its valves' ids.</summary>
public sealed record PipeDetails(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("level")] string Level,
    [property: JsonPropertyName("flow")] string Flow,
    [property: JsonPropertyName("dn")] int Dn,
    [property: JsonPropertyName("material")] string Material,
    [property: JsonPropertyName("install_year")] int? InstallYear,
    [property: JsonPropertyName("depth_m")] double DepthM,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("station_id")] int? StationId,
    [property: JsonPropertyName("station_name")] string? StationName,
    [property: JsonPropertyName("length_m")] double LengthM,
    [property: JsonPropertyName("valves")] long[] Valves);

/// <summary>A compound found by name or address: WGS84 centroid (a point on the footprint).</summary>
public sealed record CompoundHit(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("address")] string? Address,
    [property: JsonPropertyName("district_code")] string DistrictCode,
    [property: JsonPropertyName("district_name")] string DistrictName,
    [property: JsonPropertyName("retrofit_status")] string RetrofitStatus,
    [property: JsonPropertyName("households")] int Households,
    [property: JsonPropertyName("centroid")] double[] Centroid);

/// <summary>Row counts of the main tables.</summary>
public sealed record TableCounts(long Branches, long Districts, long Compounds, long Stations, long Pipes, long Valves, long Cells, long Staff);
