using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text.Json;

namespace GridMap.Domain.IO;

/// <summary>
/// Finds the features of a GeoJSON FeatureCollection by brackets and strings alone: where each element of the root
/// object's "features" array begins and ends, without reading its tokens (no number is parsed, nothing is checked). The
/// forward-only reader took 50–120 ms of one core over the 29 MB of 100,000 compounds to do the same while checking every
/// token; this scan ≈ 25 ms, and each feature is then checked as it is read, on all cores
/// (<see cref="FeatureFile"/>). A GeoJSON file has an object for every feature: any other element (a number, a string…) or
/// anything unusual in the array makes <see cref="Split"/> give up (null), and the reader over the whole text decides.
/// </summary>
internal static class FeatureArraySplit
{
    /// <summary>
    /// The elements of the root object's first "features" array (each element's bytes, not checked) and the text without
    /// them (<c>"features":[]</c>, for the reader to check the rest). Null when the text up to the array is malformed or has
    /// no such array, or the array is not plainly objects and arrays separated by commas.
    /// </summary>
    public static (ReadOnlyMemory<byte> Frame, List<(int Start, int Length)> Features)? Split(ReadOnlyMemory<byte> utf8)
    {
        var text = utf8.Span;
        var open = -1;
        try
        {
            var reader = new Utf8JsonReader(text);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isFeatures = reader.ValueTextEquals("features"u8);
                if (!reader.Read()) return null;
                if (isFeatures)
                {
                    if (reader.TokenType != JsonTokenType.StartArray) return null;
                    open = (int)reader.TokenStartIndex;
                    break;
                }
                reader.Skip();
            }
        }
        catch (JsonException) { return null; }
        if (open < 0) return null;
        var features = new List<(int Start, int Length)>();
        var i = SkipWhitespace(text, open + 1);
        if (i < text.Length && text[i] != ']')
        {
            while (true)
            {
                if (i >= text.Length || text[i] is not ((byte)'{' or (byte)'[')) return null;
                var start = i;
                if (!SkipNested(text, ref i)) return null;
                features.Add((start, i - start));
                i = SkipWhitespace(text, i);
                if (i >= text.Length) return null;
                if (text[i] == ']') break;
                if (text[i] != ',') return null;
                i = SkipWhitespace(text, i + 1);
            }
        }
        if (i >= text.Length) return null;
        // The text with the array emptied: everything up to its '[', then from its ']'.
        var frame = new byte[open + 1 + text.Length - i];
        text[..(open + 1)].CopyTo(frame);
        text[i..].CopyTo(frame.AsSpan(open + 1));
        return (frame, features);
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> text, int i)
    {
        while (i < text.Length && text[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        return i;
    }

    /// <summary>
    /// From an object's or array's opening bracket at <paramref name="i"/> to just after the bracket that closes it,
    /// counting brackets of either kind outside strings (a backslash in a string escapes the byte after it); false when the
    /// text ends first. 32 bytes at a time: a mask of the brackets, quotes and backslashes among them, then its bits.
    /// </summary>
    internal static bool SkipNested(ReadOnlySpan<byte> text, ref int i)
    {
        ref var b = ref MemoryMarshal.GetReference(text);
        var depth = 0;
        var inString = false;
        var pos = i;
        if (Vector256.IsHardwareAccelerated)
        {
            var skipFirst = false; // the block's first byte is escaped (the backslash ended the last block)
            while (pos + 32 <= text.Length)
            {
                var v = Vector256.LoadUnsafe(ref b, (nuint)pos);
                var m = (Vector256.Equals(v, Vector256.Create((byte)'[')) | Vector256.Equals(v, Vector256.Create((byte)']'))
                    | Vector256.Equals(v, Vector256.Create((byte)'{')) | Vector256.Equals(v, Vector256.Create((byte)'}'))
                    | Vector256.Equals(v, Vector256.Create((byte)'"')) | Vector256.Equals(v, Vector256.Create((byte)'\\'))).ExtractMostSignificantBits();
                if (skipFirst)
                {
                    m &= ~1u;
                    skipFirst = false;
                }
                while (m != 0)
                {
                    var k = BitOperations.TrailingZeroCount(m);
                    m &= m - 1;
                    var c = Unsafe.Add(ref b, pos + k);
                    if (inString)
                    {
                        if (c == '"') inString = false;
                        else if (c == '\\')
                        {
                            if (k == 31) skipFirst = true;
                            else m &= ~(1u << (k + 1));
                        }
                        continue;
                    }
                    if (c == '"') inString = true;
                    else if (c is (byte)'[' or (byte)'{') depth++;
                    else if (c is (byte)']' or (byte)'}')
                    {
                        if (--depth == 0)
                        {
                            i = pos + k + 1;
                            return true;
                        }
                    }
                    // A backslash outside a string: malformed, found when the feature is read.
                }
                pos += 32;
            }
            if (skipFirst) pos++;
        }
        for (; pos < text.Length; pos++)
        {
            var c = Unsafe.Add(ref b, pos);
            if (inString)
            {
                if (c == '"') inString = false;
                else if (c == '\\') pos++;
                continue;
            }
            if (c == '"') inString = true;
            else if (c is (byte)'[' or (byte)'{') depth++;
            else if (c is (byte)']' or (byte)'}')
            {
                if (--depth == 0)
                {
                    i = pos + 1;
                    return true;
                }
            }
        }
        return false;
    }
}
