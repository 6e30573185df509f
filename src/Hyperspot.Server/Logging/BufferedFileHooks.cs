using System.Text;
using Serilog.Sinks.File;

namespace Hyperspot.Server.Logging;

/// <summary>
/// Puts a 64 KB buffer between the file sink's writer and the file. With <c>buffered: true</c> the sink already leaves
/// flushing to its one-second timer, but the file stream under it writes every 4 KB: one system call (and file-system
/// work) per twenty-odd request log lines. Lines still reach the file at every timer flush and at shutdown, as before.
/// </summary>
public sealed class BufferedFileHooks : FileLifecycleHooks
{
    public const int BufferSize = 64 * 1024;

    public override Stream OnFileOpened(string path, Stream underlyingStream, Encoding encoding) =>
        new BufferedStream(underlyingStream, BufferSize);
}
