using System.Buffers;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Modules.Examples;

/// <summary>
/// Reads an upstream's answer body up to a limit (<c>max_response_bytes</c>), never more. Every <c>/users/{id}</c>
/// request reads one body: the bytes go into a pooled buffer (sized by the declared length when there is one) and
/// leave it as one array of the exact size. A fresh 16 KB buffer and a growing stream per call, as before, were
/// 4% of the server's CPU on that route (allocation and collection), which the stock server does not pay.
/// </summary>
public static class BoundedContent
{
    public const string LimitPath = "modules.examples.config.max_response_bytes";

    private const int InitialBuffer = 4 * 1024;

    /// <summary>The body, or <see cref="ResponseTooLargeException"/> once it passes <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]> ReadAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        var declared = CheckDeclared(response, maxBytes);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        // One byte more than declared, so that the end of the body is seen without growing the buffer.
        var buffer = ArrayPool<byte>.Shared.Rent(declared is long length ? (int)length + 1 : InitialBuffer);
        try
        {
            var filled = 0;
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += read;
                if (filled > maxBytes)
                {
                    throw new ResponseTooLargeException(maxBytes, null);
                }

                if (filled == buffer.Length)
                {
                    buffer = Grow(buffer, filled, maxBytes);
                }
            }

            return buffer.AsSpan(0, filled).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads the body to its end and drops it, or throws <see cref="ResponseTooLargeException"/> past the limit.</summary>
    public static async Task DrainAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        CheckDeclared(response, maxBytes);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        try
        {
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    throw new ResponseTooLargeException(maxBytes, null);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static long? CheckDeclared(HttpResponseMessage response, int maxBytes)
    {
        var declared = response.Content.Headers.ContentLength;
        if (declared > maxBytes)
        {
            throw new ResponseTooLargeException(maxBytes, declared.Value);
        }

        return declared;
    }

    /// <summary>A pooled buffer twice as large (at most one byte past the limit) holding the first <paramref name="filled"/> bytes.</summary>
    private static byte[] Grow(byte[] buffer, int filled, int maxBytes)
    {
        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, (long)maxBytes + 1));
        buffer.AsSpan(0, filled).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }
}

/// <summary>An answer body larger than <c>max_response_bytes</c>: declared so, or read past the limit.</summary>
public sealed class ResponseTooLargeException(int limit, long? declared)
    : Exception(declared is { } length
        ? $"the answer declared {length} bytes, more than {BoundedContent.LimitPath} ({limit} bytes)"
        : $"the answer was longer than {BoundedContent.LimitPath} ({limit} bytes); reading stopped there");
