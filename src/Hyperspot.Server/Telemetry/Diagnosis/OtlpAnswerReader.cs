using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Hyperspot.Server.Telemetry.Diagnosis;

/// <summary>
/// Reads the few fields of a backend's answer that say what happened to an export: the partial success of an
/// <c>Export*ServiceResponse</c> (field 1: <c>rejected_*</c> = 1, <c>error_message</c> = 2) and the message of a
/// <c>google.rpc.Status</c> (field 2). Answers are untrusted: every read is bounded, and anything malformed reads
/// as "nothing found" rather than an error.
/// </summary>
public static class OtlpAnswerReader
{
    /// <summary>The most a gRPC answer is inflated to when the backend compressed it.</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>The longest text kept from a message or body.</summary>
    public const int MaxTextLength = 1000;

    /// <summary>The partial success of an export response: how many items were rejected, and why.</summary>
    public static (long Rejected, string? Message) ReadPartialSuccess(ReadOnlySpan<byte> response)
    {
        if (!TryFindField(response, 1, out var partial))
        {
            return (0, null);
        }

        var rejected = TryFindVarint(partial, 1, out var count) ? (long)count : 0;
        var message = TryFindField(partial, 2, out var text) ? Text(text) : null;
        return (Math.Max(0, rejected), string.IsNullOrWhiteSpace(message) ? null : message);
    }

    /// <summary>The message of a <c>google.rpc.Status</c>, as OTLP/HTTP backends send with a failure; null when absent.</summary>
    public static string? ReadStatusMessage(ReadOnlySpan<byte> status) =>
        TryFindField(status, 2, out var text) && Text(text) is { Length: > 0 } message ? message : null;

    /// <summary>
    /// The message in a gRPC answer's body: its first length-prefixed frame, inflated when flagged compressed with
    /// gzip. Empty when there is no complete frame or it cannot be read within <see cref="MaxMessageBytes"/>.
    /// </summary>
    public static ReadOnlySpan<byte> GrpcMessage(ReadOnlySpan<byte> body, string? encoding)
    {
        if (body.Length < 5)
        {
            return [];
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(body[1..5]);
        if (length > (uint)(body.Length - 5))
        {
            return [];
        }

        var message = body.Slice(5, (int)length);
        if (body[0] == 0)
        {
            return message;
        }

        if (body[0] != 1 || !string.Equals(encoding?.Trim(), "gzip", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        try
        {
            using var input = new MemoryStream(message.ToArray());
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            var buffer = new byte[MaxMessageBytes + 1];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = gzip.Read(buffer, read, buffer.Length - read)) > 0)
            {
                read += n;
            }

            return read > MaxMessageBytes ? [] : buffer.AsSpan(0, read);
        }
        catch (InvalidDataException)
        {
            return [];
        }
    }

    /// <summary>Text for display: at most <see cref="MaxTextLength"/> characters, invalid UTF-8 replaced.</summary>
    public static string Text(ReadOnlySpan<byte> utf8)
    {
        var text = Encoding.UTF8.GetString(utf8.Length > MaxTextLength * 4 ? utf8[..(MaxTextLength * 4)] : utf8).Trim();
        return text.Length > MaxTextLength ? text[..MaxTextLength] + "…" : text;
    }

    private static bool TryFindField(ReadOnlySpan<byte> message, int number, out ReadOnlySpan<byte> value)
    {
        value = default;
        var reader = new Reader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (wireType == 2)
            {
                if (!reader.TryReadBytes(out var bytes))
                {
                    return false;
                }

                if (field == number)
                {
                    value = bytes;
                    return true;
                }
            }
            else if (!reader.TrySkip(wireType))
            {
                return false;
            }
        }

        return false;
    }

    private static bool TryFindVarint(ReadOnlySpan<byte> message, int number, out ulong value)
    {
        value = 0;
        var reader = new Reader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (wireType == 0 && field == number)
            {
                return reader.TryReadVarint(out value);
            }

            if (!reader.TrySkip(wireType))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>A forward-only protobuf reader over a span; every method returns false on malformed input.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public bool TryReadTag(out int field, out int wireType)
        {
            field = 0;
            wireType = 0;
            if (_position >= _data.Length || !TryReadVarint(out var tag) || tag > int.MaxValue)
            {
                return false;
            }

            field = (int)(tag >> 3);
            wireType = (int)(tag & 7);
            return field > 0;
        }

        public bool TryReadVarint(out ulong value)
        {
            value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (_position >= _data.Length)
                {
                    return false;
                }

                var b = _data[_position++];
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return true;
                }
            }

            return false;
        }

        public bool TryReadBytes(out ReadOnlySpan<byte> bytes)
        {
            bytes = default;
            if (!TryReadVarint(out var length) || length > (ulong)(_data.Length - _position))
            {
                return false;
            }

            bytes = _data.Slice(_position, (int)length);
            _position += (int)length;
            return true;
        }

        public bool TrySkip(int wireType)
        {
            switch (wireType)
            {
                case 0:
                    return TryReadVarint(out _);
                case 1:
                    return Advance(8);
                case 2:
                    return TryReadBytes(out _);
                case 5:
                    return Advance(4);
                default:
                    return false; // groups (3, 4) and unknown wire types are not read
            }
        }

        private bool Advance(int count)
        {
            if (_data.Length - _position < count)
            {
                return false;
            }

            _position += count;
            return true;
        }
    }
}
