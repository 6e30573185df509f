using Hyperspot.Server.Logging;
using Serilog;
using Serilog.Formatting.Display;

namespace Hyperspot.Server.Tests.Logging;

public sealed class LogFileWriteBufferTests : IDisposable
{
    private const long MaxFileBytes = 200 * 1024;
    private readonly string _folder = Directory.CreateTempSubdirectory("hyperspot-logbuffer-").FullName;

    [Fact]
    public void Buffered_files_stay_within_their_size_plus_one_line_and_lose_no_line()
    {
        var path = Path.Combine(_folder, "app.log");
        const int Lines = 12_000;
        using (var logger = new LoggerConfiguration()
            .WriteTo.File(
                new MessageTemplateTextFormatter("{Message}{NewLine}"),
                path,
                fileSizeLimitBytes: LogFileWriteBuffer.SizeLimitFor(MaxFileBytes),
                rollOnFileSizeLimit: true,
                retainedFileCountLimit: null,
                buffered: true,
                hooks: new LogFileWriteBuffer())
            .CreateLogger())
        {
            for (var i = 0; i < Lines; i++)
            {
                // Lines of varying length, some longer than the sink's own character buffer.
                logger.Information("line {Number:D6} {Padding}", i, new string('x', (i * 37) % 1500));
            }
        }

        var files = new DirectoryInfo(_folder).GetFiles("app*.log");
        var lines = files.SelectMany(f => File.ReadLines(f.FullName)).ToList();
        var longestLine = lines.Max(l => l.Length + 1);
        Assert.True(files.Length > 10, $"expected the files to roll, found {files.Length}");
        Assert.All(files, f => Assert.True(f.Length <= MaxFileBytes + longestLine, $"{f.Name} is {f.Length} bytes, bound {MaxFileBytes + longestLine}"));
        Assert.Equal(Lines, lines.Count);
        Assert.Equal(Enumerable.Range(0, Lines).Select(i => $"line {i:D6}"), lines.Select(l => l[..11]).Order());
    }

    [Fact]
    public void Lines_reach_the_file_when_the_sink_flushes_without_waiting_for_the_buffer_to_fill()
    {
        var path = Path.Combine(_folder, "flush.log");
        using var logger = new LoggerConfiguration()
            .WriteTo.File(
                new MessageTemplateTextFormatter("{Message}{NewLine}"),
                path,
                fileSizeLimitBytes: LogFileWriteBuffer.SizeLimitFor(MaxFileBytes),
                buffered: true,
                flushToDiskInterval: TimeSpan.FromMilliseconds(100),
                hooks: new LogFileWriteBuffer())
            .CreateLogger();

        logger.Information("one short line");

        var deadline = DateTime.UtcNow.AddSeconds(10);
        string content;
        do
        {
            Thread.Sleep(50);
            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            content = reader.ReadToEnd();
        }
        while (content.Length == 0 && DateTime.UtcNow < deadline);

        Assert.Equal("one short line" + Environment.NewLine, content);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_file_left_ending_inside_a_line_gets_a_line_end_before_the_next_line()
    {
        var path = Path.Combine(_folder, "cut.log");
        File.WriteAllText(path, "2026-01-01T00:00:00.000+00:00 INF whole\n2026-01-01T00:00:00.000+00:00 INF cut o");
        using (var logger = new LoggerConfiguration()
            .WriteTo.File(new MessageTemplateTextFormatter("{Message}\n"), path, buffered: true, hooks: new LogFileWriteBuffer())
            .CreateLogger())
        {
            logger.Information("next line");
        }

        Assert.Equal("2026-01-01T00:00:00.000+00:00 INF whole\n2026-01-01T00:00:00.000+00:00 INF cut o\nnext line\n", File.ReadAllText(path));
    }
}
