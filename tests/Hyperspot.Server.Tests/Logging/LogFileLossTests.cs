using System.Text;
using Hyperspot.Server.Logging;

namespace Hyperspot.Server.Tests.Logging;

/// <summary>
/// The log file's write buffer over a file system that refuses writes, then takes them again: nothing is thrown,
/// every line is either written or counted as lost, and stderr hears of it at a bounded rate. (The real full disk is
/// in the integration tests.)
/// </summary>
public class LogFileLossTests
{
    private readonly StringWriter _stderr = new();
    private readonly ManualTime _time = new();
    private readonly LogFileLossReporter _reporter;

    public LogFileLossTests() => _reporter = new LogFileLossReporter("/var/log/app.log", _stderr, _time);

    [Fact]
    public void Lines_refused_by_the_file_are_counted_reported_once_per_interval_and_writing_resumes()
    {
        var file = new RefusingStream();
        using var stream = new LogFileWriteStream(file, _reporter, bufferSize: 1024);

        WriteLines(stream, 0, 10);
        stream.Flush();
        Assert.Equal(10, file.Lines);

        file.Refusing = true;
        WriteLines(stream, 10, 30);
        stream.Flush();
        _time.Advance(TimeSpan.FromSeconds(1));
        WriteLines(stream, 30, 35);
        stream.Flush();
        Assert.Equal(25, _reporter.LinesLost);
        var first = Assert.Single(Lines());
        Assert.Equal("warning: cannot write the log file /var/log/app.log (No space left on device): 20 lines lost (20 in all); writing is retried, and this is reported at most every 10 s", first);

        _time.Advance(LogFileLossReporter.Interval);
        WriteLines(stream, 35, 36);
        stream.Flush();
        Assert.Equal("warning: still cannot write the log file /var/log/app.log (No space left on device): 6 more lines lost (26 in all)", Lines()[1]);

        file.Refusing = false;
        WriteLines(stream, 36, 40);
        stream.Flush();
        Assert.Equal("info: the log file /var/log/app.log is written again (26 lines lost in all)", Lines()[2]);
        Assert.Equal(3, Lines().Length);
        Assert.Equal(
            [.. Enumerable.Range(0, 10), .. Enumerable.Range(36, 4)],
            file.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => int.Parse(l[5..])));
    }

    [Fact]
    public void A_block_written_in_part_is_cut_off_so_the_file_holds_whole_lines_only()
    {
        var file = new RefusingStream { PartialBytes = 10 };
        using (var stream = new LogFileWriteStream(file, _reporter, bufferSize: 1024))
        {
            WriteLines(stream, 0, 3);
            stream.Flush();
            file.Refusing = true;
            WriteLines(stream, 3, 6);
            stream.Flush();
            file.Refusing = false;
            WriteLines(stream, 6, 7);
        }

        Assert.Equal("line 0\nline 1\nline 2\nline 6\n", file.Text);
        Assert.Equal(3, _reporter.LinesLost);
    }

    [Fact]
    public void Blocks_end_at_line_ends_so_a_lost_block_never_leaves_part_of_a_line_behind()
    {
        var file = new RefusingStream();
        var longLine = "long " + new string('x', 100);
        using (var stream = new LogFileWriteStream(file, _reporter, bufferSize: 32))
        {
            WriteLines(stream, 0, 10);
            file.Refusing = true;
            WriteLines(stream, 10, 20);
            file.Refusing = false;
            stream.Write(Encoding.UTF8.GetBytes(longLine + "\n"));
            WriteLines(stream, 20, 25);
        }

        var lines = file.Text.Split('\n');
        Assert.Equal("", lines[^1]);
        Assert.All(lines[..^1], l => Assert.Matches(@"^(line \d+|long x{100})$", l));
        Assert.Contains(longLine, lines);
        Assert.Equal(26, lines.Length - 1 + _reporter.LinesLost);
        Assert.True(_reporter.LinesLost >= 8, $"{_reporter.LinesLost} lines lost");
    }

    [Fact]
    public void Lines_lost_at_the_stop_are_reported_and_nothing_is_thrown()
    {
        var file = new RefusingStream { Refusing = true };
        var stream = new LogFileWriteStream(file, _reporter, bufferSize: 1024);
        WriteLines(stream, 0, 4);
        stream.Flush();
        _time.Advance(TimeSpan.FromSeconds(1));
        WriteLines(stream, 4, 6);
        stream.Dispose();
        _reporter.Close();

        Assert.Equal(6, _reporter.LinesLost);
        Assert.Equal(2, Lines().Length);
        Assert.Equal("warning: lines could not be written to the log file /var/log/app.log before the server stopped (No space left on device): 2 more lines lost (6 in all)", Lines()[1]);
    }

    [Fact]
    public void Events_the_sink_could_not_write_at_all_are_counted_too()
    {
        Serilog.Core.ILoggingFailureListener listener = _reporter;
        listener.OnLoggingFailed(this, Serilog.Core.LoggingFailureKind.Permanent, "the target file could not be opened or created", [null!, null!], null);
        listener.OnLoggingFailed(this, Serilog.Core.LoggingFailureKind.Temporary, "could not flush the underlying file to disk", null, new IOException("No space left on device"));

        Assert.Equal(2, _reporter.LinesLost);
        Assert.Equal("warning: cannot write the log file /var/log/app.log (the target file could not be opened or created): 2 lines lost (2 in all); writing is retried, and this is reported at most every 10 s", Assert.Single(Lines()));
    }

    [Fact]
    public void A_disk_that_takes_a_small_block_now_and_then_gets_at_most_two_lines_per_interval()
    {
        var full = new IOException("No space left on device");
        _reporter.Lost(5, full);
        _reporter.Written();
        for (var second = 1; second < 10; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            _reporter.Lost(1, full);
            _reporter.Written();
        }

        Assert.Equal(2, Lines().Length);
        _time.Advance(TimeSpan.FromSeconds(1));
        _reporter.Written();
        Assert.Equal(
            [
                "warning: cannot write the log file /var/log/app.log (No space left on device): 5 lines lost (5 in all); writing is retried, and this is reported at most every 10 s",
                "info: the log file /var/log/app.log is written again (5 lines lost in all)",
                "info: the log file /var/log/app.log is written again, after 9 more lines were lost (No space left on device) (14 in all)",
            ],
            Lines());
        Assert.Equal(14, _reporter.LinesLost);
    }

    private string[] Lines() => _stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static void WriteLines(Stream stream, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            stream.Write(Encoding.UTF8.GetBytes($"line {i}\n"));
        }
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    /// <summary>A seekable file in memory that refuses writes on demand, writing <see cref="PartialBytes"/> of a refused block first, as a file system does when it fills up mid-write.</summary>
    private sealed class RefusingStream : MemoryStream
    {
        public bool Refusing { get; set; }

        public int PartialBytes { get; set; }

        public int Lines => Text.Count(c => c == '\n');

        public string Text => Encoding.UTF8.GetString(ToArray());

        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Refusing)
            {
                var position = Position;
                base.Write(buffer, offset, Math.Min(PartialBytes, count));
                Position = position;
                throw new IOException("No space left on device : '/var/log/app.log'");
            }

            base.Write(buffer, offset, count);
        }
    }
}
