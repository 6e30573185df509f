using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Modules.Examples;

/// <summary>Reads an upstream's answer body up to a limit (<c>max_response_bytes</c>), never more.</summary>
public static class BoundedContent
{
    public const string LimitPath = "modules.examples.config.max_response_bytes";

    /// <summary>The body, or <see cref="ResponseTooLargeException"/> once it passes <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]> ReadAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        using var kept = new MemoryStream();
        await CopyAsync(response, maxBytes, kept, cancellationToken);
        return kept.ToArray();
    }

    /// <summary>Reads the body to its end and drops it, or throws <see cref="ResponseTooLargeException"/> past the limit.</summary>
    public static Task DrainAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken) =>
        CopyAsync(response, maxBytes, null, cancellationToken);

    private static async Task CopyAsync(HttpResponseMessage response, int maxBytes, Stream? target, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is long declared && declared > maxBytes)
        {
            throw new ResponseTooLargeException(maxBytes, declared);
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                throw new ResponseTooLargeException(maxBytes, null);
            }

            if (target is not null)
            {
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
    }
}

/// <summary>An answer body larger than <c>max_response_bytes</c>: declared so, or read past the limit.</summary>
public sealed class ResponseTooLargeException(int limit, long? declared)
    : Exception(declared is { } length
        ? $"the answer declared {length} bytes, more than {BoundedContent.LimitPath} ({limit} bytes)"
        : $"the answer was longer than {BoundedContent.LimitPath} ({limit} bytes); reading stopped there");
