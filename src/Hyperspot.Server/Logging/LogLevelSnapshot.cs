using Serilog.Events;

namespace Hyperspot.Server.Logging;

/// <summary>One set of levels of <see cref="LiveLogLevels"/>: the console's, the file's, and what either of them takes.</summary>
public sealed class LogLevelSnapshot
{
    public LogLevelSnapshot(CategoryLevels console, CategoryLevels file, bool writeFile)
    {
        (Console, File, WriteFile) = (console, file, writeFile);
        var lowest = Gate(null);
        foreach (var prefix in console.Prefixes.Union(writeFile ? file.Prefixes : [], StringComparer.OrdinalIgnoreCase))
        {
            var level = Gate(prefix);
            lowest = level < lowest ? level : lowest;
        }

        Lowest = lowest > LogEventLevel.Fatal ? LogEventLevel.Fatal : lowest;
    }

    public CategoryLevels Console { get; }

    public CategoryLevels File { get; }

    public bool WriteFile { get; }

    /// <summary>The lowest level of any category, for the pipeline's minimum (at most <c>Fatal</c>).</summary>
    public LogEventLevel Lowest { get; }

    /// <summary>The level an event of <paramref name="category"/> must reach to be written anywhere.</summary>
    public LogEventLevel Gate(string? category)
    {
        var console = Console.For(category);
        if (!WriteFile)
        {
            return console;
        }

        var file = File.For(category);
        return file < console ? file : console;
    }

    public static string? CategoryOf(LogEvent logEvent) =>
        logEvent.Properties.TryGetValue("SourceContext", out var value) && value is ScalarValue { Value: string category } ? category : null;
}
