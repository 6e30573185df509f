using System.Diagnostics;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Telemetry;

/// <summary>
/// Records an exception on a span as <see cref="Activity.AddException"/> does (an <c>exception</c> event with
/// <c>exception.type</c>, <c>exception.message</c>, <c>exception.stacktrace</c>), with the secrets in its text masked
/// (<see cref="SecretRedactor.RedactText"/>): an exception message may quote a URL with its token or a header line.
/// </summary>
public static class RedactedExceptionEvent
{
    public static Activity AddRedactedException(this Activity activity, Exception exception) =>
        activity.AddException(exception, new TagList
        {
            { "exception.message", SecretRedactor.RedactText(exception.Message) },
            { "exception.stacktrace", SecretRedactor.RedactText(exception.ToString()) },
        });
}
