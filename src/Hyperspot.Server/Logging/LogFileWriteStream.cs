namespace Hyperspot.Server.Logging;

/// <summary>
/// The log file's 64 KB write buffer, which also keeps a failing file system from reaching the server. A block the
/// file system refuses (no space left, an I/O error) is dropped and its lines are counted as lost
/// (<see cref="LogFileLossReporter"/>); nothing is thrown, so neither the request that logged nor the server's stop
/// fails. The next block is tried again, so writing resumes by itself once space returns. Blocks end at the end of a
/// line (a line longer than the buffer grows it for as long as it is held), so a lost block takes whole lines with it,
/// and a block that was written only in part is cut off again: the file holds whole lines only.
/// </summary>
/// <remarks>
/// The file stream below keeps a 4 KB buffer of its own: a block smaller than that is held there, and if it cannot
/// be flushed it stays there ("stuck") and the file stream retries it on its own. While a block is stuck nothing else
/// is handed down (it would be merged into the stuck one), so every line is counted exactly once: written, or lost.
/// </remarks>
public sealed class LogFileWriteStream(Stream file, LogFileLossReporter reporter, int bufferSize = LogFileWriteBuffer.Bytes) : Stream
{
    private byte[] _buffer = new byte[bufferSize];
    private int _count;
    private long _stuckLines;
    private bool _stuck;
    private bool _disposed;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_disposed;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (buffer.Length > 0)
        {
            var taken = Math.Min(buffer.Length, _buffer.Length - _count);
            buffer[..taken].CopyTo(_buffer.AsSpan(_count));
            _count += taken;
            buffer = buffer[taken..];
            if (_count == _buffer.Length)
            {
                WriteOut(wholeBuffer: false);
            }
        }
    }

    public override void Flush()
    {
        if (!_disposed)
        {
            WriteOut(wholeBuffer: true);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            WriteOut(wholeBuffer: true);
            _disposed = true;
            try
            {
                file.Dispose();
            }
            catch (IOException ex)
            {
                if (_stuck)
                {
                    reporter.Lost(_stuckLines, ex);
                }
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Hands the buffered lines to the file: all of them, or (when the buffer is full) up to the last line end, keeping
    /// the line begun after it; a buffer full of one line is grown instead. On failure the block is counted as lost and
    /// dropped.
    /// </summary>
    private void WriteOut(bool wholeBuffer)
    {
        var length = _count;
        if (!wholeBuffer)
        {
            length = _buffer.AsSpan(0, _count).LastIndexOf((byte)'\n') + 1;
            if (length == 0)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
                return;
            }
        }

        if (_stuck && !TryFlush(out var stillStuck))
        {
            Drop(length, stillStuck);
            return;
        }

        if (length == 0)
        {
            return;
        }

        var block = _buffer.AsSpan(0, length);
        var start = PositionOrNull();
        try
        {
            file.Write(block);
        }
        catch (IOException ex)
        {
            CutOff(start);
            Drop(length, ex);
            return;
        }

        var lines = block.Count((byte)'\n');
        Consumed(length);
        try
        {
            file.Flush();
        }
        catch (IOException)
        {
            // Held by the file stream, which retries it: neither written nor lost yet.
            _stuck = true;
            _stuckLines = lines;
            return;
        }

        reporter.Written();
    }

    private bool TryFlush(out IOException? failure)
    {
        try
        {
            file.Flush();
            _stuck = false;
            _stuckLines = 0;
            failure = null;
            return true;
        }
        catch (IOException ex)
        {
            failure = ex;
            return false;
        }
    }

    private void Drop(int length, Exception? cause)
    {
        var lines = _buffer.AsSpan(0, length).Count((byte)'\n');
        Consumed(length);
        reporter.Lost(lines, cause);
    }

    /// <summary>Removes the first <paramref name="length"/> bytes, keeping the line begun after them.</summary>
    private void Consumed(int length)
    {
        var rest = _count - length;
        if (_buffer.Length > bufferSize && rest < bufferSize)
        {
            var normal = new byte[bufferSize];
            _buffer.AsSpan(length, rest).CopyTo(normal);
            _buffer = normal;
        }
        else
        {
            _buffer.AsSpan(length, rest).CopyTo(_buffer);
        }

        _count = rest;
    }

    private long? PositionOrNull()
    {
        try
        {
            return file.CanSeek ? file.Position : null;
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Removes what a failed write left of its block past <paramref name="start"/>, so no partial line stays in the file.</summary>
    private void CutOff(long? start)
    {
        try
        {
            if (start is { } position && file.Length > position)
            {
                file.SetLength(position);
            }
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException or UnauthorizedAccessException)
        {
            // The next successful block overwrites it anyway: the file stream writes at its own position.
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
