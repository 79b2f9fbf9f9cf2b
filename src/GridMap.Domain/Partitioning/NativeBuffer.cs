using System.Runtime.InteropServices;

namespace GridMap.Domain.Partitioning;

/// <summary>
/// A fixed-length, zeroed array of <typeparamref name="T"/> outside the garbage-collected heap, for the tessellation's
/// short-lived tables of a million and more entries. An array that large goes to the large-object heap, and allocating it
/// counts against that heap's budget: on 100,000 compounds the 84 MB table of Voronoi edges alone set off a full
/// collection (0.15 s, both cores stopped) that marked every polygon of the input. Indexing is bounds-checked; the
/// memory is freed by <see cref="Dispose"/> (or, if that is forgotten, by the finalizer).
/// </summary>
internal sealed unsafe class NativeBuffer<T> : IDisposable where T : unmanaged
{
    private T* _items;

    public NativeBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        _items = (T*)NativeMemory.AllocZeroed((nuint)Math.Max(length, 1), (nuint)sizeof(T));
    }

    public int Length { get; }

    public ref T this[int i]
    {
        get
        {
            if ((uint)i >= (uint)Length) throw new IndexOutOfRangeException($"index {i} outside 0 … {Length - 1}");
            ObjectDisposedException.ThrowIf(_items is null, this);
            return ref _items[i];
        }
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    ~NativeBuffer() => Free();

    private void Free()
    {
        var p = _items;
        _items = null;
        if (p is not null) NativeMemory.Free(p);
    }
}
