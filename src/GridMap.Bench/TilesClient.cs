using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GridMap.Bench;

/// <summary>
/// The tiles bench's load generator, run as its own process (<c>GridMap.Bench tiles-client</c>) so its CPU time is measured
/// apart from the server's: N keep-alive HTTP/1.1 connections on raw sockets, one request in flight on each (as pgbench
/// keeps one query in flight per client), precomputed request bytes, one receive buffer per connection, no per-request
/// allocation. Each connection has a thread of its own doing blocking Send/Receive (round 3: as cheap per tile as pgbench;
/// round 2's async sockets on the thread pool paid thread-pool wake-ups on every answer: <c>--async</c> keeps that client
/// for the A/B row, <c>--httpclient</c> the .NET HttpClient). Requests carry <c>Accept-Encoding: gzip</c>, as every browser's do. It checks every answer's status (200 or 204) and reads every body to its Content-Length. Latencies go into
/// a fixed histogram (10 µs buckets). Protocol with the bench: prints "warm" after the warm-up, then one result line
/// <c>count seconds p50 p99 cpu-ms</c> for the measured window (cpu-ms = this process's user + system time in it).
/// The bearer token comes in the environment (<c>GRIDMAP_BENCH_TOKEN</c>), the tile paths one per line on stdin.
/// </summary>
public static class TilesClient
{
    private const int BucketMicros = 10;
    private const int Buckets = 100_000; // up to 1 s; slower answers land in the last bucket

    public static int Run(string[] args)
    {
        string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        var port = int.Parse(Arg("--port", "0"), CultureInfo.InvariantCulture);
        var connections = int.Parse(Arg("--connections", "8"), CultureInfo.InvariantCulture);
        var warmup = double.Parse(Arg("--warmup", "1"), CultureInfo.InvariantCulture);
        var seconds = double.Parse(Arg("--seconds", "4"), CultureInfo.InvariantCulture);
        var token = Environment.GetEnvironmentVariable("GRIDMAP_BENCH_TOKEN") ?? "";
        var paths = new List<string>();
        for (var line = Console.In.ReadLine(); line is not null; line = Console.In.ReadLine())
            if (line.Length > 0) paths.Add(line);
        if (port == 0 || paths.Count == 0) { Console.Error.WriteLine("tiles-client: --port and tile paths on stdin are required"); return 2; }
        var requests = paths.Select(p => Encoding.ASCII.GetBytes(
            $"GET {p} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\nAccept-Encoding: gzip\r\n\r\n")).ToArray();
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);
        // --httpclient: the .NET HttpClient instead (the bench's earlier client), to show what the client itself costs.
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections, AutomaticDecompression = DecompressionMethods.None, UseProxy = false, UseCookies = false,
        };
        using var http = args.Contains("--httpclient") ? new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}") } : null;
        if (http is not null)
        {
            http.DefaultRequestHeaders.AcceptEncoding.ParseAdd("gzip");
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        var histograms = new long[connections][];
        var measuring = 0;
        var stop = 0;
        // Default: one blocking thread per connection (synchronous Send/Receive into a reused buffer), as cheap as pgbench's
        // loop: no task machinery, no thread-pool hand-offs. --async: the previous client (async sockets on the thread pool).
        var mode = http is not null ? "httpclient" : args.Contains("--async") ? "async" : "threads";
        void Record(long[] hist, long t0)
        {
            if (Volatile.Read(ref measuring) == 1) hist[Math.Min(Buckets - 1, Stopwatch.GetElapsedTime(t0).Ticks / 10 / BucketMicros)]++;
        }
        // One blocking thread per connection: synchronous Send/Receive into one reused buffer.
        void Blocking(int w)
        {
            var hist = histograms[w] = new long[Buckets];
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            socket.Connect(endpoint);
            var buffer = new byte[256 * 1024];
            var i = w * 37;
            while (Volatile.Read(ref stop) == 0)
            {
                var request = requests[i++ % requests.Length];
                var t0 = Stopwatch.GetTimestamp();
                var sent = 0;
                while (sent < request.Length) sent += socket.Send(request, sent, request.Length - sent, SocketFlags.None);
                ReadResponse(socket, buffer);
                Record(hist, t0);
            }
        }
        // The round-2 client: async sockets on the thread pool.
        async Task Async(int w)
        {
            var hist = histograms[w] = new long[Buckets];
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(endpoint);
            var buffer = new byte[256 * 1024];
            var i = w * 37;
            while (Volatile.Read(ref stop) == 0)
            {
                var request = requests[i++ % requests.Length];
                var t0 = Stopwatch.GetTimestamp();
                await socket.SendAsync(request, SocketFlags.None);
                await ReadResponseAsync(socket, buffer);
                Record(hist, t0);
            }
        }
        async Task HttpClientLoop(int w)
        {
            var hist = histograms[w] = new long[Buckets];
            var n = w * 37;
            while (Volatile.Read(ref stop) == 0)
            {
                var t0 = Stopwatch.GetTimestamp();
                using var res = await http!.GetAsync(paths[n++ % paths.Count], HttpCompletionOption.ResponseContentRead);
                if (res.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.NoContent)) throw new InvalidOperationException($"{res.StatusCode} for a tile");
                Record(hist, t0);
            }
        }
        var workers = Enumerable.Range(0, connections).Select(w => mode switch
        {
            "httpclient" => Task.Run(() => HttpClientLoop(w)),
            "async" => Task.Run(() => Async(w)),
            _ => Task.Factory.StartNew(() => Blocking(w), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default),
        }).ToArray();

        Thread.Sleep(TimeSpan.FromSeconds(warmup));
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        Volatile.Write(ref measuring, 1);
        Console.Out.WriteLine("warm");
        Console.Out.Flush();
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        Volatile.Write(ref measuring, 0);
        var elapsed = sw.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds;
        Volatile.Write(ref stop, 1);
        Task.WaitAll(workers);

        var merged = new long[Buckets];
        foreach (var h in histograms)
            for (var b = 0; b < Buckets; b++) merged[b] += h[b];
        var count = merged.Sum();
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{count} {elapsed:F3} {Percentile(merged, count, 50):F3} {Percentile(merged, count, 99):F3} {cpu:F0}"));
        return 0;
    }

    /// <summary>The upper edge (ms) of the bucket holding the p-th percentile.</summary>
    private static double Percentile(long[] hist, long count, double p)
    {
        var rank = (long)Math.Ceiling(count * p / 100.0);
        long seen = 0;
        for (var b = 0; b < hist.Length; b++)
            if ((seen += hist[b]) >= rank && rank > 0) return (b + 1) * BucketMicros / 1000.0;
        return 0;
    }

    /// <summary>Reads one HTTP/1.1 response with blocking receives (<see cref="ReadResponseAsync"/>'s checks, no tasks).</summary>
    private static void ReadResponse(Socket socket, byte[] buffer)
    {
        var filled = 0;
        int headerEnd;
        while ((headerEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (filled == buffer.Length) throw new InvalidOperationException("response headers too large");
            var n = socket.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
            if (n == 0) throw new InvalidOperationException("server closed the connection");
            filled += n;
        }
        var length = BodyLength(buffer.AsSpan(0, headerEnd));
        var have = filled - (headerEnd + 4);
        while (have < length)
        {
            var n = socket.Receive(buffer, 0, buffer.Length, SocketFlags.None);
            if (n == 0) throw new InvalidOperationException("server closed the connection mid-body");
            have += n;
        }
        if (have != length) throw new InvalidOperationException("more bytes than the answer's Content-Length (one request in flight)");
    }

    /// <summary>The body length a response head announces: its Content-Length for 200, 0 for 204; any other status throws.</summary>
    private static long BodyLength(ReadOnlySpan<byte> head)
    {
        // "HTTP/1.1 200 OK"
        var status = head.Length >= 12 ? (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0') : 0;
        if (status is not (200 or 204))
            throw new InvalidOperationException($"status {status} for a tile: {Encoding.ASCII.GetString(head)}");
        if (status == 204) return 0;
        var at = IndexOfIgnoreCase(head, "\r\ncontent-length:"u8);
        if (at < 0) throw new InvalidOperationException("a tile answer without Content-Length");
        var rest = head[(at + 17)..];
        var end = rest.IndexOf("\r\n"u8);
        var digits = (end < 0 ? rest : rest[..end]).Trim((byte)' ');
        if (!System.Buffers.Text.Utf8Parser.TryParse(digits, out long length, out var used) || used != digits.Length)
            throw new InvalidOperationException("bad Content-Length");
        return length;
    }

    /// <summary>Reads one HTTP/1.1 response: headers, then Content-Length bytes of body (none for 204/304). Status must be 200 or 204.</summary>
    private static async ValueTask ReadResponseAsync(Socket socket, byte[] buffer)
    {
        var filled = 0;
        int headerEnd;
        while ((headerEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (filled == buffer.Length) throw new InvalidOperationException("response headers too large");
            var n = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None);
            if (n == 0) throw new InvalidOperationException("server closed the connection");
            filled += n;
        }
        var length = BodyLength(buffer.AsSpan(0, headerEnd));
        var have = filled - (headerEnd + 4);
        while (have < length)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None);
            if (n == 0) throw new InvalidOperationException("server closed the connection mid-body");
            have += n;
        }
        if (have != length) throw new InvalidOperationException("more bytes than the answer's Content-Length (one request in flight)");
    }

    private static int IndexOfIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> lowerNeedle)
    {
        for (var i = 0; i + lowerNeedle.Length <= text.Length; i++)
        {
            var j = 0;
            while (j < lowerNeedle.Length && Lower(text[i + j]) == lowerNeedle[j]) j++;
            if (j == lowerNeedle.Length) return i;
        }
        return -1;
    }

    private static byte Lower(byte c) => c is >= (byte)'A' and <= (byte)'Z' ? (byte)(c + 32) : c;
}
