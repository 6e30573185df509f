namespace Hyperspot.Server.Telemetry.Diagnosis;

/// <summary>Reads an exception with its inner ones, as .NET reports network failures (HttpRequestException, then the cause).</summary>
public static class ExceptionChain
{
    /// <summary>The messages of an exception and its inner ones, without stack frames or repeats.</summary>
    public static string Messages(Exception error)
    {
        var messages = new List<string>();
        for (var current = error; current is not null && messages.Count < 4; current = current.InnerException)
        {
            var message = current.Message.ReplaceLineEndings(" ").Trim();
            if (message.Length > 0 && !messages.Any(m => m.Contains(message, StringComparison.Ordinal)))
            {
                messages.Add(message);
            }
        }

        return string.Join(" → ", messages);
    }

    public static T? Find<T>(Exception? error)
        where T : Exception
    {
        for (var depth = 0; error is not null && depth < 8; depth++, error = error.InnerException)
        {
            if (error is T found)
            {
                return found;
            }
        }

        return null;
    }
}
