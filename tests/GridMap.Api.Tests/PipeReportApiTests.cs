using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Application.Auth;
using GridMap.Tests.Shared;
using Npgsql;

namespace GridMap.Api.Tests;

/// <summary>
/// Field records on pipes: a geometry correction (a measured offset or line), a found DN and a missing valve wait for a
/// supervisor's review before they change the network; accept applies the change in the review's transaction, reject
/// keeps the pipe; the pipe's history shows record, review and change. A depth is a plain fact. Photos of valve and
/// pipe records are checked (size 413, type 415), stored once per record and served back to signed-in readers.
/// </summary>
public sealed class PipeReportApiTests(ValveReportFixture app) : IClassFixture<ValveReportFixture>
{
    private static async Task<JsonElement> Json(HttpResponseMessage res, HttpStatusCode expected)
    {
        var body = await res.Content.ReadAsStringAsync();
        Assert.True(expected == res.StatusCode, $"{res.RequestMessage?.Method} {res.RequestMessage?.RequestUri}: expected {expected}, got {res.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement;
    }

    private static async Task AssertRule(HttpResponseMessage res, HttpStatusCode status, string rule)
    {
        var p = await Json(res, status);
        Assert.Equal(rule, p.GetProperty("rule").GetString());
    }

    /// <summary>A long secondary supply pipe (the n-th) lying in exactly one branch, with that branch and another one.</summary>
    private async Task<(long Pipe, int Branch, int Other)> PipeAsync(int n)
    {
        await using var cmd = app.Db.DataSource.CreateCommand("""
            SELECT p.id, min(d.branch_id), (SELECT min(b.id) FROM branch b WHERE b.id <> min(d.branch_id))
            FROM pipe p JOIN district d ON ST_Intersects(d.area, p.geom)
            WHERE p.level = 'secondary' AND p.flow = 'supply' AND ST_Length(p.geom::geography) > 60
            GROUP BY p.id HAVING count(DISTINCT d.branch_id) = 1
            ORDER BY p.id OFFSET @n LIMIT 1
            """);
        cmd.Parameters.AddWithValue("n", n);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync(), "the demo city has long secondary pipes in one branch");
        return (r.GetInt64(0), r.GetInt32(1), r.GetInt32(2));
    }

    private Task<string> GeomAsync(long pipe) => app.ScalarAsync<string>("SELECT ST_AsText(geom) FROM pipe WHERE id = @p", ("p", pipe));

    /// <summary>Hausdorff distance in metres (EPSG:4547) between the pipe's line now and a WKT line.</summary>
    private Task<double> MetresFromAsync(long pipe, string wkt) => app.ScalarAsync<double>(
        "SELECT ST_HausdorffDistance(ST_Transform(geom, 4547), ST_Transform(ST_GeomFromText(@w, 4326), 4547)) FROM pipe WHERE id = @p", ("p", pipe), ("w", wkt));

    [PostgisFact]
    public async Task GeometryCorrection_WaitsForReview_PipeUnchangedUntilAccepted_AndHistoryShowsRecordReviewAndChange()
    {
        var (pipe, branch, other) = await PipeAsync(0);
        using var crew = await app.ClientAs(Roles.Crew, branch);
        using var planner = await app.ClientAs(Roles.Planner, branch);
        using var otherPlanner = await app.ClientAs(Roles.Planner, other);
        using var manager = await app.ClientAs(Roles.Manager);
        var before = await GeomAsync(pipe);

        var rec = await Json(await crew.PostAsJsonAsync($"/api/network/pipes/{pipe}/reports",
            new { kind = "offset", offsetM = 2.0, side = "left", note = "探测仪实测管位偏左 2 米", lon = 113.6, lat = 34.75, accuracyM = 3.0 }), HttpStatusCode.Created);
        var id = rec.GetProperty("id").GetInt64();
        Assert.Equal("pending", rec.GetProperty("status").GetString());
        Assert.Equal("offset", rec.GetProperty("kind").GetString());
        var proposed = rec.GetProperty("proposed").EnumerateArray().Select(c => FormattableString.Invariant($"{c[0].GetDouble()} {c[1].GetDouble()}")).ToArray();
        var proposedWkt = "LINESTRING(" + string.Join(",", proposed) + ")";
        Assert.InRange(await MetresFromAsync(pipe, proposedWkt), 1.9, 2.1);

        // Filed, not applied: the pipe is as it was, for the crew and the planner alike; the record waits in the queue.
        Assert.Equal(before, await GeomAsync(pipe));
        var queue = await Json(await planner.GetAsync("/api/network/reviews"), HttpStatusCode.OK);
        Assert.Contains(id, queue.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
        Assert.DoesNotContain(id, (await Json(await otherPlanner.GetAsync("/api/network/reviews"), HttpStatusCode.OK)).EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));

        // Who may review: not the crew (no network.review), not a manager, not a planner of another branch.
        await Json(await crew.PostAsJsonAsync($"/api/network/reviews/{id}", new { outcome = "accepted" }), HttpStatusCode.Forbidden);
        await Json(await manager.PostAsJsonAsync($"/api/network/reviews/{id}", new { outcome = "accepted" }), HttpStatusCode.Forbidden);
        await Json(await crew.GetAsync("/api/network/reviews"), HttpStatusCode.Forbidden);
        await AssertRule(await otherPlanner.PostAsJsonAsync($"/api/network/reviews/{id}", new { outcome = "accepted" }), HttpStatusCode.Forbidden, "other-branch");
        await AssertRule(await planner.PostAsJsonAsync($"/api/network/reviews/{id}", new { outcome = "maybe" }), HttpStatusCode.BadRequest, "invalid-parameter");
        Assert.Equal(before, await GeomAsync(pipe));

        var version = (await Json(await manager.GetAsync("/api/network/status"), HttpStatusCode.OK)).GetProperty("version").GetInt64();
        var reviewed = await Json(await planner.PostAsJsonAsync($"/api/network/reviews/{id}", new { outcome = "accepted", reason = "与探测记录一致" }), HttpStatusCode.OK);
        Assert.Equal("accepted", reviewed.GetProperty("status").GetString());
        Assert.Equal($"planner-b{branch}", reviewed.GetProperty("review").GetProperty("reviewed_by").GetString());
        Assert.InRange(await MetresFromAsync(pipe, proposedWkt), 0, 0.01); // the response rounds to 1e-7°
        Assert.InRange(await MetresFromAsync(pipe, before), 1.9, 2.1);
        Assert.True((await Json(await manager.GetAsync("/api/network/status"), HttpStatusCode.OK)).GetProperty("version").GetInt64() > version,
            "the moved pipe changes the network the engine builds");

        // Reviewed once: a second review is refused, and the record left the queue.
        await AssertRule(await planner.PostAsJsonAsync($"/api/network/reviews/{id}", new { outcome = "rejected" }), HttpStatusCode.UnprocessableEntity, "review-not-pending");
        Assert.DoesNotContain(id, (await Json(await planner.GetAsync("/api/network/reviews"), HttpStatusCode.OK)).EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));

        // The pipe's history: the crew's record, the planner's review, and the change of the line — newest first.
        var items = (await Json(await manager.GetAsync($"/api/history?entity=pipe&id={pipe}"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToArray();
        var record = Assert.Single(items, i => i.GetProperty("action").GetString() == "field.pipe-report");
        Assert.Equal($"crew-b{branch}", record.GetProperty("user").GetString());
        Assert.Equal("pending", record.GetProperty("after").GetProperty("status").GetString());
        var reviews = items.Where(i => i.GetProperty("action").GetString() == "network.review-pipe-report").ToArray();
        Assert.Equal(2, reviews.Length);
        Assert.All(reviews, r => Assert.Equal($"planner-b{branch}", r.GetProperty("user").GetString()));
        Assert.Contains(reviews, r => r.GetProperty("after").TryGetProperty("status", out var s) && s.GetString() == "accepted");
        var change = Assert.Single(reviews, r => r.GetProperty("after").TryGetProperty("geometry", out _));
        Assert.NotEqual(change.GetProperty("before").GetProperty("geometry").ToString(), change.GetProperty("after").GetProperty("geometry").ToString());
    }

    [PostgisFact]
    public async Task RejectedCorrection_KeepsThePipe_AcceptedDn_SetsIt_AndAcceptedMissingValve_AddsAValveOnThePipe()
    {
        var (pipe, branch, _) = await PipeAsync(1);
        using var crew = await app.ClientAs(Roles.Crew, branch);
        using var admin = await app.ClientAs(Roles.Admin);
        var before = await GeomAsync(pipe);
        var dnBefore = await app.ScalarAsync<int>("SELECT dn FROM pipe WHERE id = @p", ("p", pipe));
        var start = await app.ScalarAsync<string>("SELECT ST_AsText(ST_StartPoint(geom)) FROM pipe WHERE id = @p", ("p", pipe));
        var mid = await app.ScalarAsync<string>("SELECT ST_X(ST_LineInterpolatePoint(geom, 0.5)) || ' ' || ST_Y(ST_LineInterpolatePoint(geom, 0.5)) FROM pipe WHERE id = @p", ("p", pipe));
        var (mx, my) = (double.Parse(mid.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture), double.Parse(mid.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));

        // A measured line (start to a point 5 m off the middle): rejected, the pipe stays.
        var line = await Json(await crew.PostAsJsonAsync($"/api/network/pipes/{pipe}/reports",
            new { kind = "geometry", coordinates = new[] { new[] { double.Parse(start[6..^1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture), double.Parse(start[6..^1].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) }, new[] { mx + 5e-5, my } } }),
            HttpStatusCode.Created);
        var rejected = await Json(await admin.PostAsJsonAsync($"/api/network/reviews/{line.GetProperty("id").GetInt64()}", new { outcome = "rejected", reason = "与竣工图不符" }), HttpStatusCode.OK);
        Assert.Equal("rejected", rejected.GetProperty("status").GetString());
        Assert.Equal(before, await GeomAsync(pipe));

        var newDn = dnBefore == 150 ? 200 : 150;
        var dn = await Json(await crew.PostAsJsonAsync($"/api/network/pipes/{pipe}/reports", new { kind = "wrong_dn", foundDn = newDn }), HttpStatusCode.Created);
        Assert.Equal("pending", dn.GetProperty("status").GetString());
        Assert.Equal(dnBefore, await app.ScalarAsync<int>("SELECT dn FROM pipe WHERE id = @p", ("p", pipe)));
        await Json(await admin.PostAsJsonAsync($"/api/network/reviews/{dn.GetProperty("id").GetInt64()}", new { outcome = "accepted" }), HttpStatusCode.OK);
        Assert.Equal(newDn, await app.ScalarAsync<int>("SELECT dn FROM pipe WHERE id = @p", ("p", pipe)));

        var valvesBefore = await app.ScalarAsync<long>("SELECT count(*) FROM valve WHERE pipe_id = @p", ("p", pipe));
        var mv = await Json(await crew.PostAsJsonAsync($"/api/network/pipes/{pipe}/reports", new { kind = "missing_valve", valveLon = mx + 1e-5, valveLat = my }), HttpStatusCode.Created);
        Assert.Equal(valvesBefore, await app.ScalarAsync<long>("SELECT count(*) FROM valve WHERE pipe_id = @p", ("p", pipe)));
        await Json(await admin.PostAsJsonAsync($"/api/network/reviews/{mv.GetProperty("id").GetInt64()}", new { outcome = "accepted" }), HttpStatusCode.OK);
        Assert.Equal(valvesBefore + 1, await app.ScalarAsync<long>("SELECT count(*) FROM valve WHERE pipe_id = @p", ("p", pipe)));
        Assert.True(await app.ScalarAsync<bool>("SELECT bool_and(ST_Distance(v.geom::geography, p.geom::geography) < 0.01) FROM valve v JOIN pipe p ON p.id = v.pipe_id WHERE p.id = @p", ("p", pipe)));

        var list = await Json(await crew.GetAsync($"/api/network/pipes/{pipe}/reports"), HttpStatusCode.OK);
        Assert.Equal(["accepted", "accepted", "rejected"], list.EnumerateArray().Take(3).Select(r => r.GetProperty("status").GetString()));
    }

    [PostgisFact]
    public async Task Depth_IsAPlainFact_NotReviewed_AndBadRecordsAre400sNamingTheMember()
    {
        var (pipe, branch, other) = await PipeAsync(2);
        using var crew = await app.ClientAs(Roles.Crew, branch);
        using var otherCrew = await app.ClientAs(Roles.Crew, other);
        using var planner = await app.ClientAs(Roles.Planner, branch);
        var depth = await Json(await crew.PostAsJsonAsync($"/api/network/pipes/{pipe}/reports", new { kind = "depth", depthM = 1.85 }), HttpStatusCode.Created);
        Assert.Equal("recorded", depth.GetProperty("status").GetString());
        Assert.Equal(1.85, depth.GetProperty("depth_m").GetDouble());
        var id = depth.GetProperty("id").GetInt64();
        Assert.DoesNotContain(id, (await Json(await planner.GetAsync("/api/network/reviews"), HttpStatusCode.OK)).EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
        await AssertRule(await planner.PostAsJsonAsync($"/api/network/reviews/{id}", new { outcome = "accepted" }), HttpStatusCode.UnprocessableEntity, "review-not-pending");

        foreach (var (body, member) in new (object, string)[]
        {
            (new { kind = "leak" }, "kind"),
            (new { kind = "depth", depthM = 12.0 }, "depthM"),
            (new { kind = "wrong_dn", foundDn = 7 }, "foundDn"),
            (new { kind = "offset", offsetM = 2.0 }, "side"),
            (new { kind = "offset", offsetM = 0.0, side = "left" }, "offsetM"),
            (new { kind = "missing_valve" }, "valveLon"),
            (new { kind = "geometry", coordinates = new[] { new[] { 113.6, 34.7 } } }, "coordinates"),
            (new { kind = "depth", depthM = 1.0, lon = 113.6 }, "lat"),
        })
        {
            var p = await Json(await crew.PostAsJsonAsync($"/api/network/pipes/{pipe}/reports", body), HttpStatusCode.BadRequest);
            Assert.Contains(member, p.GetProperty("detail").GetString());
        }
        await AssertRule(await otherCrew.PostAsJsonAsync($"/api/network/pipes/{pipe}/reports", new { kind = "depth", depthM = 1.0 }), HttpStatusCode.Forbidden, "other-branch");
        await Json(await crew.PostAsJsonAsync("/api/network/pipes/999999999/reports", new { kind = "depth", depthM = 1.0 }), HttpStatusCode.NotFound);
    }

    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0xFF, 0xD9];
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, (byte)'I', (byte)'H', (byte)'D', (byte)'R'];

    private static ByteArrayContent Image(byte[] bytes, string type)
    {
        var c = new ByteArrayContent(bytes);
        c.Headers.ContentType = new MediaTypeHeaderValue(type);
        return c;
    }

    [PostgisFact]
    public async Task Photos_OfValveAndPipeRecords_AreCheckedStoredOnceAndServedBack()
    {
        var (pipe, branch, other) = await PipeAsync(3);
        var valve = await app.ScalarAsync<long>("""
            SELECT v.id FROM valve v JOIN district d ON ST_Intersects(d.area, v.geom)
            GROUP BY v.id HAVING min(d.branch_id) = @b AND max(d.branch_id) = @b ORDER BY v.id LIMIT 1
            """, ("b", branch));
        using var crew = await app.ClientAs(Roles.Crew, branch);
        using var otherCrew = await app.ClientAs(Roles.Crew, other);
        using var manager = await app.ClientAs(Roles.Manager);
        using var staff = await app.ClientAs(Roles.Staff, branch);

        var vr = await Json(await crew.PostAsJsonAsync($"/api/network/valves/{valve}/reports", new { condition = "buried", note = "井盖被压" }), HttpStatusCode.Created);
        var vrId = vr.GetProperty("id").GetInt64();
        var url = $"/api/network/valves/{valve}/reports/{vrId}/photo";

        await AssertRule(await crew.PostAsync(url, Image(new byte[(8 << 20) + 1], "image/jpeg")), HttpStatusCode.RequestEntityTooLarge, "photo-too-large");
        await AssertRule(await crew.PostAsync(url, Image("not a picture"u8.ToArray(), "image/png")), HttpStatusCode.UnsupportedMediaType, "photo-type");
        await AssertRule(await crew.PostAsync(url, Image(Png, "image/jpeg")), HttpStatusCode.UnsupportedMediaType, "photo-type");
        await AssertRule(await otherCrew.PostAsync(url, Image(Jpeg, "image/jpeg")), HttpStatusCode.Forbidden, "other-branch");
        await Json(await manager.GetAsync(url), HttpStatusCode.NotFound);

        var photo = await Json(await crew.PostAsync(url, Image(Jpeg, "image/jpeg")), HttpStatusCode.Created);
        Assert.Equal(url, photo.GetProperty("url").GetString());
        Assert.Equal(Jpeg.Length, photo.GetProperty("bytes").GetInt32());
        await Json(await crew.PostAsync(url, Image(Jpeg, "image/jpeg")), HttpStatusCode.Conflict);

        // Served back to another signed-in reader, bytes and type as uploaded; not to a role without network.read.
        var got = await manager.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, got.StatusCode);
        Assert.Equal("image/jpeg", got.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Jpeg, await got.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync(url)).StatusCode);
        var listed = (await Json(await manager.GetAsync($"/api/network/valves/{valve}/reports"), HttpStatusCode.OK)).EnumerateArray().First(r => r.GetProperty("id").GetInt64() == vrId);
        Assert.Equal(url, listed.GetProperty("photo_url").GetString());

        // A pipe record's photo (PNG), and a record of another pipe is not found under this one.
        var pr = await Json(await crew.PostAsJsonAsync($"/api/network/pipes/{pipe}/reports", new { kind = "depth", depthM = 0.9 }), HttpStatusCode.Created);
        var prUrl = $"/api/network/pipes/{pipe}/reports/{pr.GetProperty("id").GetInt64()}/photo";
        await Json(await crew.PostAsync(prUrl, Image(Png, "image/png")), HttpStatusCode.Created);
        Assert.Equal(Png, await (await manager.GetAsync(prUrl)).Content.ReadAsByteArrayAsync());
        Assert.Equal(prUrl, (await Json(await manager.GetAsync($"/api/network/pipes/{pipe}/reports"), HttpStatusCode.OK))[0].GetProperty("photo_url").GetString());
        await Json(await crew.PostAsync($"/api/network/pipes/{pipe + 1}/reports/{pr.GetProperty("id").GetInt64()}/photo", Image(Png, "image/png")), HttpStatusCode.NotFound);

        // Audited on the valve; the photo table is append-only for the app.
        var history = await Json(await manager.GetAsync($"/api/history?entity=valve&id={valve}"), HttpStatusCode.OK);
        Assert.Equal("field.valve-photo", history.GetProperty("items")[0].GetProperty("action").GetString());
    }

    [PostgisFact]
    public async Task FieldEvidence_RecordsReviewsAndPhotos_AreAppendOnlyForTheAppRole()
    {
        await using var conn = new NpgsqlConnection(app.AppConnectionString);
        await conn.OpenAsync();
        foreach (var table in new[] { "pipe_report", "pipe_report_review", "field_photo", "valve_report" })
        {
            await using var cmd = new NpgsqlCommand("""
                SELECT has_table_privilege(@t, 'SELECT') AND has_table_privilege(@t, 'INSERT')
                   AND NOT (has_table_privilege(@t, 'UPDATE') OR has_table_privilege(@t, 'DELETE') OR has_table_privilege(@t, 'TRUNCATE'))
                """, conn);
            cmd.Parameters.AddWithValue("t", table);
            Assert.True((bool)(await cmd.ExecuteScalarAsync())!, table);
        }
    }
}
