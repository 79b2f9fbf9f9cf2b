using System.Text.Json;
using GridMap.Domain.Geo;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.IO;

/// <summary>Writing GeoJSON: whole collections in chunks serialised on all cores and written in order, each feature's
/// polygon copied from the text it was read from when that is what the writer would write.</summary>
public static partial class FeatureFile
{
    /// <summary>
    /// Writes features as a GeoJSON FeatureCollection. Coordinates are written as given; a non-WGS84
    /// <paramref name="crs"/> is declared in a "crs" member so GridMap and QGIS read it back correctly.
    /// </summary>
    public static void WriteGeoJson(string path, IEnumerable<(Geometry? Geometry, IReadOnlyDictionary<string, object?> Properties)> features, Crs crs)
    {
        using var stream = File.Create(path);
        WriteGeoJson(stream, features, crs);
    }

    /// <inheritdoc cref="WriteGeoJson(string, IEnumerable{ValueTuple{Geometry, IReadOnlyDictionary{string, object}}}, Crs)"/>
    public static void WriteGeoJson(Stream stream, IEnumerable<(Geometry? Geometry, IReadOnlyDictionary<string, object?> Properties)> features, Crs crs)
    {
        var list = features as IReadOnlyList<(Geometry? Geometry, IReadOnlyDictionary<string, object?> Properties)> ?? features.ToList();
        WriteCollection(stream, list.Count, (w, i) => WriteFeature(w, list[i].Geometry, default, list[i].Properties), crs);
    }

    /// <summary>
    /// Writes features read by <see cref="Read"/> as a GeoJSON FeatureCollection (see
    /// <see cref="WriteGeoJson(string, IEnumerable{ValueTuple{Geometry, IReadOnlyDictionary{string, object}}}, Crs)"/>): each
    /// record's geometry, with the properties <paramref name="properties"/> gives for it and its position (called on all
    /// cores, in no particular order). A geometry read with keepRawGeometry is written as the text it was read from — the
    /// same meaning, without formatting every coordinate again — when the writer would write it the same: a plain
    /// Polygon/MultiPolygon whose rings are already in RFC 7946's orientation (shells counter-clockwise, holes clockwise);
    /// any other is written the usual way. The records' geometries must not have been changed in place since they were read.
    /// </summary>
    public static void WriteGeoJson(string path, IReadOnlyList<FeatureRecord> features,
        Func<FeatureRecord, int, IReadOnlyDictionary<string, object?>> properties, Crs crs)
    {
        using var stream = File.Create(path);
        WriteGeoJson(stream, features, properties, crs);
    }

    /// <inheritdoc cref="WriteGeoJson(string, IReadOnlyList{FeatureRecord}, Func{FeatureRecord, int, IReadOnlyDictionary{string, object}}, Crs)"/>
    public static void WriteGeoJson(Stream stream, IReadOnlyList<FeatureRecord> features,
        Func<FeatureRecord, int, IReadOnlyDictionary<string, object?>> properties, Crs crs)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(properties);
        WriteCollection(stream, features.Count, (w, i) =>
        {
            var f = features[i];
            WriteFeature(w, f.Geometry, f.RawGeometry, properties(f, i));
        }, crs);
    }

    private static void WriteCollection(Stream stream, int count, Action<Utf8JsonWriter, int> writeFeature, Crs crs)
    {
        var options = new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var w = new Utf8JsonWriter(stream, options))
        {
            w.WriteStartObject();
            w.WriteString("type", "FeatureCollection");
            if (crs != Crs.Wgs84 && !crs.IsLocal && crs.Srid > 0)
            {
                w.WriteStartObject("crs");
                w.WriteString("type", "name");
                w.WriteStartObject("properties");
                w.WriteString("name", $"urn:ogc:def:crs:EPSG::{crs.Srid}");
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteStartArray("features");
            w.Flush();
        }
        // Large collections (a 100,000-unit plan) are serialised in chunks on all cores, each chunk as a JSON array in
        // its own buffer, written in order without its brackets: the same bytes as one writer over the whole list.
        // About eight chunks per core, of 64 to 2,048 features: 4,120 detailed precincts made three chunks of 2,048 (one of
        // them 24 features), so one core wrote half the file alone.
        var chunk = Math.Clamp(count / (8 * Environment.ProcessorCount), 64, 2048);
        var chunks = (count + chunk - 1) / chunk;
        void Serialise(int c, ChunkBuffer buffer)
        {
            using var w = new Utf8JsonWriter(buffer, options);
            w.WriteStartArray();
            for (var i = c * chunk; i < Math.Min(count, (c + 1) * chunk); i++) writeFeature(w, i);
            w.WriteEndArray();
        }
        if (chunks == 1)
        {
            using var buffer = new ChunkBuffer();
            Serialise(0, buffer);
            stream.Write(buffer.Written[1..^1]);
        }
        else if (chunks > 1) WriteChunksInOrder(stream, chunks, Serialise);
        stream.WriteByte((byte)']');
        stream.WriteByte((byte)'}');
        stream.Flush();
    }

    /// <summary>
    /// Chunks serialised on all cores, taken in order, and written to <paramref name="stream"/> in order on this thread as
    /// soon as each is ready — each chunk's buffer (pooled) then serves the next, instead of every chunk growing its own
    /// buffers and all of them waiting for the last (for a 100,000-unit plan ≈ 150 MB of fresh large-object arrays, and
    /// their collections, for a 30 MB file). A chunk that fails fails the whole (the exception Parallel.For throws);
    /// a failed write stops the serialising and is rethrown as it was.
    /// </summary>
    private static void WriteChunksInOrder(Stream stream, int chunks, Action<int, ChunkBuffer> serialise)
    {
        var ready = new ChunkBuffer?[chunks];
        var free = new Stack<ChunkBuffer>();
        var gate = new object();
        var failed = false;
        var stop = 0;
        var next = -1;
        var work = Task.Run(() => Parallel.For(0, Math.Min(Environment.ProcessorCount, chunks), _ =>
        {
            try
            {
                int c;
                while (Volatile.Read(ref stop) == 0 && (c = Interlocked.Increment(ref next)) < chunks)
                {
                    ChunkBuffer buffer;
                    lock (gate) buffer = free.Count > 0 ? free.Pop() : new ChunkBuffer();
                    serialise(c, buffer);
                    lock (gate)
                    {
                        ready[c] = buffer;
                        Monitor.PulseAll(gate);
                    }
                }
            }
            catch
            {
                Volatile.Write(ref stop, 1);
                lock (gate)
                {
                    failed = true;
                    Monitor.PulseAll(gate);
                }
                throw;
            }
        }));
        Exception? writeError = null;
        try
        {
            for (var c = 0; c < chunks; c++)
            {
                ChunkBuffer? buffer;
                lock (gate)
                {
                    while (ready[c] is null && !failed) Monitor.Wait(gate);
                    buffer = ready[c];
                    ready[c] = null;
                }
                if (buffer is null) break; // a chunk failed: its exception is thrown below
                if (c > 0) stream.WriteByte((byte)',');
                stream.Write(buffer.Written[1..^1]);
                buffer.Clear();
                lock (gate) free.Push(buffer);
            }
        }
        catch (Exception e)
        {
            writeError = e;
            Volatile.Write(ref stop, 1);
        }
        try { work.Wait(); }
        catch (AggregateException) { } // thrown below, as Parallel.For threw it (unless the write failed first)
        foreach (var b in free) b.Dispose();
        foreach (var b in ready) b?.Dispose();
        if (writeError is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(writeError).Throw();
        work.GetAwaiter().GetResult();
    }

    /// <summary>A growable byte buffer rented from the shared pool, for one chunk of a collection at a time.</summary>
    private sealed class ChunkBuffer : System.Buffers.IBufferWriter<byte>, IDisposable
    {
        private byte[] _array = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        private int _length;

        public ReadOnlySpan<byte> Written => _array.AsSpan(0, _length);

        public void Clear() => _length = 0;

        public void Advance(int count) => _length += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            var n = Reserve(sizeHint);
            return _array.AsMemory(_length, n);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            var n = Reserve(sizeHint);
            return _array.AsSpan(_length, n);
        }

        private int Reserve(int sizeHint)
        {
            var need = Math.Max(sizeHint, 1);
            if (_array.Length - _length < need)
            {
                var bigger = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, _length + need));
                _array.AsSpan(0, _length).CopyTo(bigger);
                System.Buffers.ArrayPool<byte>.Shared.Return(_array);
                _array = bigger;
            }
            return _array.Length - _length;
        }

        public void Dispose()
        {
            if (_array.Length == 0) return;
            System.Buffers.ArrayPool<byte>.Shared.Return(_array);
            _array = [];
        }
    }

    private static void WriteFeature(Utf8JsonWriter w, Geometry? g, RawGeoJson raw, IReadOnlyDictionary<string, object?> props)
    {
        w.WriteStartObject();
        w.WriteString("type", "Feature");
        w.WritePropertyName("properties");
        w.WriteStartObject();
        foreach (var (k, v) in props)
        {
            w.WritePropertyName(k);
            switch (v)
            {
                // The usual attribute types written directly (the bytes the serializer writes for them), the rest by it.
                case null: w.WriteNullValue(); break;
                case string str: w.WriteStringValue(str); break;
                case long l: w.WriteNumberValue(l); break;
                case int n: w.WriteNumberValue(n); break;
                case double d when double.IsFinite(d): w.WriteNumberValue(d); break;
                case bool b: w.WriteBooleanValue(b); break;
                default: JsonSerializer.Serialize(w, v, v.GetType()); break;
            }
        }
        w.WriteEndObject();
        w.WritePropertyName("geometry");
        if (g is null) w.WriteNullValue();
        // The text it was read from (valid JSON, checked when it was read): when it is this geometry's and would be written
        // with the same rings in the same order.
        else if (ReferenceEquals(raw.Geometry, g) && GeoJsonPolygons.WrittenAsIs(g)) w.WriteRawValue(raw.Utf8.Span, skipInputValidation: true);
        else if (!GeoJsonPolygons.TryWrite(w, g)) JsonSerializer.Serialize(w, g, GeoJsonOptions);
        w.WriteEndObject();
    }
}
