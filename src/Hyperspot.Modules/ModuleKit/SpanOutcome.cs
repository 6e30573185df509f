using System.Diagnostics;

namespace Hyperspot.Modules.ModuleKit;

/// <summary>
/// Marks a span as failed or succeeded with the attributes the tracing guide uses
/// (<c>error</c>, <c>error.message</c>, <c>operation.result</c>). Safe to call on a null activity (not sampled, tracing off).
/// </summary>
public static class SpanOutcome
{
    public const string ResultAttribute = "operation.result";

    /// <summary>Status Error, <c>error=true</c>, <c>error.message</c>, <c>operation.result=error</c>, and the exception as an event.</summary>
    public static Activity? MarkFailed(this Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return null;
        }

        activity.AddException(exception);
        return activity.MarkFailed(exception.Message);
    }

    /// <summary>Status Error, <c>error=true</c>, <c>error.message</c>, <c>operation.result=error</c>.</summary>
    public static Activity? MarkFailed(this Activity? activity, string message)
    {
        if (activity is null)
        {
            return null;
        }

        activity.SetStatus(ActivityStatusCode.Error, message);
        activity.SetTag("error", true);
        activity.SetTag("error.message", message);
        activity.SetTag(ResultAttribute, "error");
        return activity;
    }

    /// <summary><c>operation.result=success</c>; the status is left to the caller's span kind (Unset is success).</summary>
    public static Activity? MarkSucceeded(this Activity? activity)
    {
        activity?.SetTag(ResultAttribute, "success");
        return activity;
    }
}
