using System.Text;
using Serilog.Sinks.File;

namespace Hyperspot.Server.Logging;

/// <summary>
/// Gives the log file a 64 KB write buffer, so that the file system is written once per 64 KB instead of once per
/// 4 KB (about twenty request lines): each write costs a system call and a file time update whatever its size.
/// The file sink counts the bytes that reach the stream it hands to this hook, so the bytes waiting in the buffer are
/// not yet counted: <see cref="SizeLimitFor"/> lowers the limit given to the sink by the buffer's size, which keeps
/// every file within <c>max_size_mb</c> plus one line. The buffer is flushed with the sink (every second) and when the
/// file is closed, so it holds no more than the sink already did.
/// </summary>
public sealed class LogFileWriteBuffer : FileLifecycleHooks
{
    public const int Bytes = 64 * 1024;

    public override Stream OnFileOpened(string path, Stream underlyingStream, Encoding encoding) =>
        new BufferedStream(underlyingStream, Bytes);

    /// <summary>The limit for the sink's counted bytes such that a file never exceeds <paramref name="maxFileBytes"/> plus one line.</summary>
    public static long SizeLimitFor(long maxFileBytes) => Math.Max(1, maxFileBytes - Bytes);
}
