using System.Buffers;
using System.Globalization;

namespace Hyperspot.Server.Logging;

/// <summary>
/// A line assembled in one buffer (on the stack while it fits, rented beyond that) so that it reaches the writer in a
/// single call instead of one call per piece.
/// </summary>
internal ref struct LineBuffer
{
    private char[]? _rented;
    private Span<char> _chars;
    private int _length;

    public LineBuffer(Span<char> initial)
    {
        _chars = initial;
        _length = 0;
        _rented = null;
    }

    public readonly ReadOnlySpan<char> Written => _chars[.._length];

    public void Append(char c)
    {
        if (_length == _chars.Length)
        {
            Grow(1);
        }

        _chars[_length++] = c;
    }

    public void Append(ReadOnlySpan<char> text)
    {
        if (_length + text.Length > _chars.Length)
        {
            Grow(text.Length);
        }

        text.CopyTo(_chars[_length..]);
        _length += text.Length;
    }

    /// <summary>Room for exactly <paramref name="length"/> characters, to be filled by the caller.</summary>
    public Span<char> AppendSpan(int length)
    {
        if (_length + length > _chars.Length)
        {
            Grow(length);
        }

        var span = _chars.Slice(_length, length);
        _length += length;
        return span;
    }

    /// <summary>The value as <c>ToString(format, InvariantCulture)</c> would write it (generic, so numbers are not boxed).</summary>
    public void AppendFormatted<T>(T value, string? format)
        where T : ISpanFormattable
    {
        int written;
        while (!value.TryFormat(_chars[_length..], out written, format, CultureInfo.InvariantCulture))
        {
            Grow(Math.Max(64, _chars.Length));
        }

        _length += written;
    }

    public void Dispose()
    {
        if (_rented is { } rented)
        {
            _rented = null;
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private void Grow(int additional)
    {
        var next = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, _length + additional));
        _chars[.._length].CopyTo(next);
        if (_rented is { } old)
        {
            ArrayPool<char>.Shared.Return(old);
        }

        _rented = next;
        _chars = next;
    }
}
