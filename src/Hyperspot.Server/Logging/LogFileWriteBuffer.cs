using System.Text;
using Serilog.Sinks.File;

namespace Hyperspot.Server.Logging;

/// <summary>
/// Gives the log file a 64 KB write buffer (<see cref="LogFileWriteStream"/>), so that the file system is written once
/// per 64 KB instead of once per 4 KB (about twenty request lines): each write costs a system call and a file time
/// update whatever its size. The same buffer keeps a full disk from failing the server: lines that cannot be written
/// are dropped and reported (<see cref="LogFileLossReporter"/>).
/// The file sink counts the bytes that reach the stream it hands to this hook, so the bytes waiting in the buffer are
/// not yet counted: <see cref="SizeLimitFor"/> lowers the limit given to the sink by the buffer's size, which keeps
/// every file within <c>max_size_mb</c> plus one line. The buffer is flushed with the sink (every second) and when the
/// file is closed, so it holds no more than the sink already did.
/// </summary>
public sealed class LogFileWriteBuffer(LogFileLossReporter? reporter = null) : FileLifecycleHooks
{
    public const int Bytes = 64 * 1024;

    private LogFileLossReporter? _reporter = reporter;

    /// <summary>The buffer over the opened file; a file left ending in the middle of a line (a process killed while writing, a disk that filled up at the stop) gets a line end first, so the next line starts a line of its own.</summary>
    public override Stream OnFileOpened(string path, Stream underlyingStream, Encoding encoding)
    {
        var stream = new LogFileWriteStream(underlyingStream, _reporter ??= new LogFileLossReporter(path));
        if (EndsInsideALine(path))
        {
            stream.WriteByte((byte)'\n');
        }

        return stream;
    }

    private static bool EndsInsideALine(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            if (file.Length == 0)
            {
                return false;
            }

            file.Seek(-1, SeekOrigin.End);
            return file.ReadByte() != '\n';
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The limit for the sink's counted bytes such that a file never exceeds <paramref name="maxFileBytes"/> plus one line.</summary>
    public static long SizeLimitFor(long maxFileBytes) => Math.Max(1, maxFileBytes - Bytes);
}
