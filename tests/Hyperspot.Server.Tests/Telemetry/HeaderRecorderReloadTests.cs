using System.Diagnostics;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Telemetry;
using Microsoft.AspNetCore.Http;

namespace Hyperspot.Server.Tests.Telemetry;

/// <summary>The recorded and redacted headers replaced by a reload: requests after it follow the new lists.</summary>
public sealed class HeaderRecorderReloadTests
{
    private static Activity Record(HeaderRecorder recorder)
    {
        var activity = new Activity("request");
        var context = new DefaultHttpContext();
        context.Request.Headers["x-tenant"] = "blue";
        context.Request.Headers["x-session"] = "abc";
        recorder.Record(activity, context.Request);
        return activity;
    }

    [Fact]
    public void Requests_after_an_update_record_and_redact_the_new_headers()
    {
        var recorder = new HeaderRecorder(new HttpTracingSettings { RecordHeaders = ["x-tenant"] });
        Assert.Equal(["blue"], (string[])Record(recorder).GetTagItem("http.request.header.x-tenant")!);

        recorder.Update(new HttpTracingSettings { RecordHeaders = ["x-session"], RedactHeaders = ["x-session"] });

        var after = Record(recorder);
        Assert.Null(after.GetTagItem("http.request.header.x-tenant"));
        Assert.Equal([HeaderRecorder.Redacted], (string[])after.GetTagItem("http.request.header.x-session")!);

        recorder.Update(new HttpTracingSettings());
        Assert.True(recorder.IsEmpty);
    }
}
