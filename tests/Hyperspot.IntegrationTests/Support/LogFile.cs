namespace Hyperspot.IntegrationTests.Support;

/// <summary>Reads a log file that the server writes in the background (buffered, flushed every second).</summary>
public static class LogFile
{
    public static async Task<string[]> WaitForLinesAsync(string path, Func<string[], bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        string[] lines = [];
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(path))
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                lines = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
                if (until(lines))
                {
                    return lines;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{path} never had the expected lines. It has {lines.Length}:\n{string.Join('\n', lines.TakeLast(30))}");
    }
}
