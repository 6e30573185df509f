using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// Reads the configuration file's text within <see cref="ConfigurationLimits"/>: only a regular file (symbolic links
/// followed), no larger than the limit, read once with a deadline, strictly UTF-8 and free of control characters.
/// Every refusal names the file and what is wrong with it.
/// </summary>
internal static class ConfigurationFile
{
    private const string EmptyHint = "write at least one section, e.g. 'server:', or run without --config for the defaults";

    public static string ReadText(string shownPath)
    {
        var fullPath = FullPath(shownPath);
        if (Directory.Exists(fullPath))
        {
            throw Error(shownPath, "is a directory, not a file");
        }

        if (!File.Exists(fullPath))
        {
            throw Error(shownPath, $"not found (looked at {ShownValue.EscapeControls(fullPath)})");
        }

        var size = SizeOfRegularFile(shownPath, fullPath);
        if (size > ConfigurationLimits.MaxFileBytes)
        {
            throw TooLarge(shownPath, $"is too large ({ConfigurationLimits.Format(size)} bytes)");
        }

        if (size == 0)
        {
            throw Error(shownPath, $"is empty (0 bytes; {EmptyHint})");
        }

        return Decode(shownPath, ReadWithDeadline(shownPath, fullPath));
    }

    /// <summary>The message for a file with nothing but comments, blank lines or empty documents.</summary>
    public static ConfigurationException Empty(string shownPath) => Error(shownPath, $"is empty ({EmptyHint})");

    private static string FullPath(string shownPath)
    {
        if (shownPath.Length == 0)
        {
            throw Error(shownPath, "the path is empty");
        }

        try
        {
            return Path.GetFullPath(shownPath);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw Error(shownPath, "is not a valid path");
        }
    }

    /// <summary>The size the system reports; anything but a regular file (after links) is refused before it is opened.</summary>
    private static long SizeOfRegularFile(string shownPath, string fullPath)
    {
        var target = LinkTarget(fullPath);
        if (UnixFileStatus.TryGet(fullPath) is { } status)
        {
            if (status.Kind != UnixFileStatus.Kind.Regular)
            {
                var via = target is null ? "" : $" (it links to {ShownValue.EscapeControls(target)})";
                throw Error(shownPath, $"is {UnixFileStatus.Describe(status.Kind)}{via}, not a regular file; configuration is read only from regular files");
            }

            return status.Size;
        }

        try
        {
            return new FileInfo(fullPath).Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Error(shownPath, $"cannot be read ({OneLine(ex.Message)})");
        }
    }

    private static string? LinkTarget(string fullPath)
    {
        try
        {
            return File.ResolveLinkTarget(fullPath, returnFinalTarget: true)?.FullName;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads at most one byte more than the limit. The file was checked to be regular, but it may have been replaced
    /// since (or the system could not tell): a read that does not finish in time is abandoned with an error.
    /// </summary>
    private static byte[] ReadWithDeadline(string shownPath, string fullPath)
    {
        var read = Task.Run(() => ReadCapped(fullPath));
        try
        {
            if (!read.Wait(ConfigurationLimits.ReadTimeout))
            {
                throw Error(shownPath, $"reading it did not finish within {ConfigurationLimits.ReadTimeout.TotalSeconds:0} s (a pipe or a device?); configuration is read only from regular files");
            }
        }
        catch (AggregateException ex) when (ex.InnerException is IOException or UnauthorizedAccessException)
        {
            throw Error(shownPath, $"cannot be read ({OneLine(ex.InnerException.Message)})");
        }

        var bytes = read.Result;
        if (bytes.Length > ConfigurationLimits.MaxFileBytes)
        {
            throw TooLarge(shownPath, "is too large (it grew while it was read)");
        }

        return bytes;
    }

    private static byte[] ReadCapped(string fullPath)
    {
        using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        while (buffer.WrittenCount <= ConfigurationLimits.MaxFileBytes)
        {
            var read = stream.Read(buffer.GetSpan(64 * 1024)[..(64 * 1024)]);
            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Strict UTF-8 (a leading byte order mark is allowed); other encodings and YAML's forbidden characters are refused.</summary>
    internal static string Decode(string shownPath, ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }
        else if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || bytes.StartsWith((ReadOnlySpan<byte>)[0, 0, 0xFE, 0xFF]))
        {
            throw Error(shownPath, "is UTF-16 or UTF-32 encoded (it starts with that byte order mark); save it as UTF-8");
        }

        var chars = new char[bytes.Length];
        var status = Utf8.ToUtf16(bytes, chars, out var bytesRead, out var written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            var (line, column) = Position(bytes[..bytesRead]);
            throw Error(shownPath, line, column, $"is not valid UTF-8 (byte 0x{bytes[bytesRead]:X2}); save the file as UTF-8");
        }

        var text = new string(chars, 0, written);
        var bad = text.AsSpan().IndexOfAnyExcept(Printable);
        if (bad >= 0)
        {
            var (line, column) = Position(text.AsSpan(0, bad));
            var hint = text[bad] == '\0' ? "; is the file UTF-16 encoded? save it as UTF-8" : "; write it as an escape (\"\\u0007\") inside double quotes";
            throw Error(shownPath, line, column, $"contains the control character U+{(int)text[bad]:X4}, which YAML does not allow{hint}");
        }

        return text;
    }

    /// <summary>
    /// YAML's printable characters: tab, line breaks, and everything but the C0 and C1 controls, DEL, U+FFFE and
    /// U+FFFF. Surrogates are let through: the strict decoder only produces them in valid pairs.
    /// </summary>
    private static readonly SearchValues<char> Printable = SearchValues.Create(PrintableCharacters());

    private static string PrintableCharacters()
    {
        var set = new StringBuilder("\t\n\r\u0085");
        for (var c = 0x20; c <= 0xFFFD; c++)
        {
            if (c is not (>= 0x7F and <= 0x9F))
            {
                set.Append((char)c);
            }
        }

        return set.ToString();
    }

    /// <summary>The 1-based line and column of what follows <paramref name="before"/>.</summary>
    private static (int Line, int Column) Position(ReadOnlySpan<byte> before) =>
        (before.Count((byte)'\n') + 1, before.Length - before.LastIndexOf((byte)'\n'));

    private static (int Line, int Column) Position(ReadOnlySpan<char> before) =>
        (before.Count('\n') + 1, before.Length - before.LastIndexOf('\n'));

    private static ConfigurationException TooLarge(string shownPath, string what) =>
        Error(shownPath, $"{what}: the limit is {ConfigurationLimits.Format(ConfigurationLimits.MaxFileBytes)} bytes (4 MiB)");

    /// <remarks>The path is the user's, escaped: a file name may hold a line break or an escape sequence.</remarks>
    internal static ConfigurationException Error(string shownPath, string message) =>
        new([$"config file {ShownValue.EscapeControls(shownPath)}: {message}"]);

    internal static ConfigurationException Error(string shownPath, int line, int column, string message) =>
        new([$"config file {ShownValue.EscapeControls(shownPath)}:{line}:{column}: {message}"]);

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
