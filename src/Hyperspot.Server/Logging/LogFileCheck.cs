namespace Hyperspot.Server.Logging;

/// <summary>Finds out at start-up, not at the first line, whether the log file can be written.</summary>
public static class LogFileCheck
{
    /// <summary>Null when the file can be written; otherwise why not (naming the path).</summary>
    public static string? ProblemWith(string path)
    {
        try
        {
            var directory = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return $"logging.default.file: cannot write the log file {path} ({ex.Message})";
        }
    }
}
