using System.Diagnostics;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Tests.Telemetry;

/// <summary>What the server span records of a request that carries secrets in its URL, headers or failure.</summary>
public sealed class SpanSecretsTests
{
    private const string Mask = SecretRedactor.Mask;

    private sealed class ActivityFeature(Activity activity) : IHttpActivityFeature
    {
        public Activity Activity { get; set; } = activity;
    }

    private static async Task<Activity> RecordAsync(Action<HttpRequest> request, RequestDelegate? next = null)
    {
        var activity = new Activity("Microsoft.AspNetCore.Hosting.HttpRequestIn")
        {
            ActivityTraceFlags = ActivityTraceFlags.Recorded,
            IsAllDataRequested = true,
        };
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("api.example", 8087);
        context.Request.Path = "/examples/v1/users/6";
        context.Request.Protocol = "HTTP/1.1";
        context.Features.Set<IHttpActivityFeature>(new ActivityFeature(activity));
        request(context.Request);
        var recorder = new HeaderRecorder(new HttpTracingSettings
        {
            RecordHeaders = ["referer", "origin", "x-debug", "x-auth-token", "cookie"],
            RedactHeaders = ["cookie"],
        });
        try
        {
            await new ServerSpanMiddleware(next ?? (_ => Task.CompletedTask), recorder).InvokeAsync(context);
        }
        catch (InvalidOperationException)
        {
        }

        return activity;
    }

    [Fact]
    public async Task A_query_parameter_without_a_value_is_recorded_as_Redacted()
    {
        var activity = await RecordAsync(r => r.QueryString = new QueryString("?S9-token-secret&page=2"));

        Assert.Equal("?Redacted&page=Redacted", activity.GetTagItem("url.query"));
    }

    [Fact]
    public async Task Path_parameters_of_the_path_are_recorded_without_their_values()
    {
        var activity = await RecordAsync(r => r.Path = "/examples/v1/users/6;jsessionid=sid-secret");

        Assert.Equal("/examples/v1/users/6;jsessionid=Redacted", activity.GetTagItem("url.path"));
    }

    [Fact]
    public async Task Recorded_headers_keep_the_urls_in_them_but_not_their_credentials_or_query_values()
    {
        var activity = await RecordAsync(r =>
        {
            r.Headers.Referer = "https://ref:refpass-secret@app.example/page?token=reftoken-secret#state-secret";
            r.Headers.Origin = "http://orig:origpass-secret@[::1]:8080";
            r.Headers["x-debug"] = "Authorization : Bearer debug-secret";
            r.Headers["x-auth-token"] = "token-secret";
        });

        Assert.Equal(new[] { $"https://{Mask}@app.example/page?token={Mask}#{Mask}" }, activity.GetTagItem("http.request.header.referer"));
        Assert.Equal(new[] { $"http://{Mask}@[::1]:8080" }, activity.GetTagItem("http.request.header.origin"));
        Assert.Equal(new[] { $"Authorization : {Mask}" }, activity.GetTagItem("http.request.header.x-debug"));
        // Not in redact_headers, but its name says it is a secret.
        Assert.Equal(new[] { HeaderRecorder.Redacted }, activity.GetTagItem("http.request.header.x-auth-token"));
    }

    [Fact]
    public async Task An_exception_is_recorded_without_the_secrets_its_message_quotes()
    {
        var activity = await RecordAsync(_ => { }, _ => throw new InvalidOperationException("cannot call http://u:exc-pass-secret@upstream/x?api_key=exc-key-secret"));

        var exception = Assert.Single(activity.Events, e => e.Name == "exception");
        var tags = exception.Tags.ToDictionary(t => t.Key, t => t.Value as string);
        Assert.Equal($"cannot call http://{Mask}@upstream/x?api_key={Mask}", tags["exception.message"]);
        Assert.Equal(typeof(InvalidOperationException).FullName, tags["exception.type"]);
        Assert.Contains($"api_key={Mask}", tags["exception.stacktrace"]);
        Assert.DoesNotContain("exc-pass-secret", string.Join(' ', tags.Values));
        Assert.DoesNotContain("exc-key-secret", string.Join(' ', tags.Values));
    }
}
