using System.Diagnostics;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Modules.Tests;

/// <summary>The guide's error-handling attributes, and module ActivitySource names.</summary>
[Collection(SpanCollection.Name)]
public sealed class SpanOutcomeTests
{
    [Fact]
    public void Failed_spans_carry_error_status_and_the_guide_attributes()
    {
        using var listener = Listen("Hyperspot.Modules.outcome");
        using var source = new ActivitySource(ModuleActivitySource.NameFor("outcome"));
        using var activity = source.StartActivity("risky_operation")!;

        activity.MarkFailed(new InvalidOperationException("disk full"));

        Assert.Equal(ActivityStatusCode.Error, activity.Status);
        Assert.Equal("disk full", activity.StatusDescription);
        Assert.Equal(true, activity.GetTagItem("error"));
        Assert.Equal("disk full", activity.GetTagItem("error.message"));
        Assert.Equal("error", activity.GetTagItem("operation.result"));
        Assert.Contains(activity.Events, e => e.Name == "exception");
    }

    [Fact]
    public void Succeeded_spans_record_the_result_and_null_spans_are_ignored()
    {
        using var listener = Listen("Hyperspot.Modules.outcome2");
        using var source = new ActivitySource(ModuleActivitySource.NameFor("outcome2"));
        using var activity = source.StartActivity("user_operation")!;

        activity.MarkSucceeded();

        Assert.Equal("success", activity.GetTagItem("operation.result"));
        Assert.Equal(ActivityStatusCode.Unset, activity.Status);
        Activity? none = null;
        Assert.Null(none.MarkFailed("ignored"));
        Assert.Null(none.MarkSucceeded());
    }

    [Fact]
    public void Module_sources_are_named_after_the_module()
    {
        using var source = new ActivitySource(ModuleActivitySource.NameFor("billing"));
        Assert.Equal("Hyperspot.Modules.billing", source.Name);
        Assert.StartsWith(ModuleActivitySource.Prefix, ModuleActivitySource.NameFor("x"));
    }

    private static ActivityListener Listen(string sourceName)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == sourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
