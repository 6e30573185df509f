using System.Diagnostics;
using System.Text.Json;
using Hyperspot.Server.Pipeline;
using Hyperspot.Server.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;

namespace Hyperspot.Server.Tests.Pipeline;

/// <summary>
/// The request outcome is the same whatever shape the rest of the pipeline has: a handler that completes
/// synchronously (the fast path, no await) or asynchronously writes the same line, and one that throws before
/// returning its task, returns a failed task or fails after an await gets the same error answer and lines.
/// </summary>
public class RequestOutcomeShapeTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    private sealed class Outcome
    {
        public required DefaultHttpContext Context { get; init; }
        public required CollectingSink Lines { get; init; }
        public required ListLogger<RequestOutcomeMiddleware> Exceptions { get; init; }
        public required Activity Span { get; init; }
        public Exception? PassedOn { get; set; }

        public LogEvent Line => Assert.Single(Lines.Events);

        public JsonElement Problem()
        {
            Context.Response.Body.Position = 0;
            return JsonDocument.Parse(Context.Response.Body).RootElement;
        }
    }

    private sealed class StartedResponse : HttpResponseFeature
    {
        public override bool HasStarted => true;
    }

    /// <summary>The handler shapes, each answering 201 or throwing <paramref name="exception"/>.</summary>
    private static RequestDelegate Handler(string shape, Exception? exception = null) => shape switch
    {
        "sync" => context =>
        {
            if (exception is not null)
            {
                throw exception;
            }

            context.Response.StatusCode = 201;
            return Task.CompletedTask;
        },
        "faulted" => context =>
        {
            if (exception is not null)
            {
                return Task.FromException(exception);
            }

            context.Response.StatusCode = 201;
            return Task.CompletedTask;
        },
        "async" => async context =>
        {
            await Task.Yield();
            if (exception is not null)
            {
                throw exception;
            }

            context.Response.StatusCode = 201;
        },
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    private static async Task<Outcome> RunAsync(RequestDelegate next, bool started = false, bool aborted = false)
    {
        var services = new ServiceCollection().AddOptions();
        ProblemAnswers.Register(services);
        var context = new DefaultHttpContext { RequestServices = services.BuildServiceProvider() };
        context.Request.Method = "GET";
        context.Request.Path = "/examples/v1/users/42";
        context.Response.Body = new MemoryStream();
        context.Response.Headers["x-request-id"] = "req-1";
        if (started)
        {
            context.Features.Set<IHttpResponseFeature>(new StartedResponse { Headers = context.Response.Headers, Body = context.Response.Body });
        }

        if (aborted)
        {
            context.RequestAborted = new CancellationToken(canceled: true);
        }

        var lines = new CollectingSink();
        var exceptions = new ListLogger<RequestOutcomeMiddleware>();
        var middleware = new RequestOutcomeMiddleware(next, new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(lines).CreateLogger(), exceptions);
        using var span = new Activity("request").SetParentId(ActivityTraceId.CreateFromString(TraceId), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        span.IsAllDataRequested = true;
        span.Start();
        var outcome = new Outcome { Context = context, Lines = lines, Exceptions = exceptions, Span = span };
        try
        {
            await middleware.InvokeAsync(context);
        }
        catch (Exception ex)
        {
            outcome.PassedOn = ex;
        }

        return outcome;
    }

    [Theory]
    [InlineData("sync")]
    [InlineData("faulted")]
    [InlineData("async")]
    public async Task A_handler_that_completes_writes_one_info_line_with_its_status_whatever_its_shape(string shape)
    {
        var outcome = await RunAsync(Handler(shape));

        Assert.Null(outcome.PassedOn);
        Assert.Equal(201, outcome.Context.Response.StatusCode);
        Assert.Equal(LogEventLevel.Information, outcome.Line.Level);
        Assert.StartsWith("HTTP \"GET\" \"/examples/v1/users/42\" responded 201 in ", outcome.Line.RenderMessage());
        Assert.Null(outcome.Line.Exception);
        Assert.Equal(outcome.Span.TraceId, outcome.Line.TraceId);
        Assert.Empty(outcome.Exceptions.Entries);
    }

    [Theory]
    [InlineData("sync")]
    [InlineData("faulted")]
    [InlineData("async")]
    public async Task A_handler_that_throws_gets_a_500_problem_a_failed_span_and_error_lines_whatever_its_shape(string shape)
    {
        var outcome = await RunAsync(Handler(shape, new InvalidOperationException("cannot reach http://u:pass-X1@upstream/")));

        Assert.Null(outcome.PassedOn);
        Assert.Equal(500, outcome.Context.Response.StatusCode);
        Assert.Equal(ProblemAnswers.ContentType, outcome.Context.Response.ContentType);
        Assert.Equal("req-1", outcome.Context.Response.Headers["x-request-id"]);
        var problem = outcome.Problem();
        Assert.Equal(500, problem.GetProperty("status").GetInt32());
        Assert.Equal(TraceId, problem.GetProperty("trace_id").GetString());
        Assert.DoesNotContain("pass-X1", problem.GetRawText());

        // The line comes after the answer: a 500 at error, without the exception, which the exception line carries.
        Assert.Equal(LogEventLevel.Error, outcome.Line.Level);
        Assert.Equal("500", outcome.Line.Properties["StatusCode"].ToString());
        Assert.Null(outcome.Line.Exception);
        var error = Assert.Single(outcome.Exceptions.Entries);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.IsType<InvalidOperationException>(error.Exception);

        Assert.Equal(ActivityStatusCode.Error, outcome.Span.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, outcome.Span.GetTagItem("error.type"));
        var recorded = Assert.Single(outcome.Span.Events, e => e.Name == "exception");
        Assert.DoesNotContain("pass-X1", recorded.Tags.First(t => t.Key == "exception.message").Value as string);
    }

    [Theory]
    [InlineData("sync")]
    [InlineData("async")]
    public async Task A_refused_request_gets_its_own_status_as_a_problem_and_a_debug_line(string shape)
    {
        var outcome = await RunAsync(Handler(shape, new BadHttpRequestException("Request body too large.", 413)));

        Assert.Null(outcome.PassedOn);
        Assert.Equal(413, outcome.Problem().GetProperty("status").GetInt32());
        Assert.Equal(LogEventLevel.Information, outcome.Line.Level);
        Assert.Equal("413", outcome.Line.Properties["StatusCode"].ToString());
        Assert.Equal(LogLevel.Debug, Assert.Single(outcome.Exceptions.Entries).Level);
        Assert.NotEqual(ActivityStatusCode.Error, outcome.Span.Status);
    }

    [Theory]
    [InlineData("sync")]
    [InlineData("async")]
    public async Task After_the_answer_started_the_exception_is_logged_on_the_line_and_passed_on(string shape)
    {
        var outcome = await RunAsync(Handler(shape, new InvalidOperationException("handler failed")), started: true);

        Assert.IsType<InvalidOperationException>(outcome.PassedOn);
        Assert.Equal(0, outcome.Context.Response.Body.Length);
        Assert.Equal(LogEventLevel.Error, outcome.Line.Level);
        Assert.Equal("500", outcome.Line.Properties["StatusCode"].ToString());
        Assert.Same(outcome.PassedOn, outcome.Line.Exception);
        Assert.Equal(LogLevel.Error, Assert.Single(outcome.Exceptions.Entries).Level);
        Assert.Equal(ActivityStatusCode.Error, outcome.Span.Status);
    }

    [Theory]
    [InlineData("sync")]
    [InlineData("async")]
    public async Task A_client_that_went_away_gets_no_answer_and_no_failed_span(string shape)
    {
        var outcome = await RunAsync(Handler(shape, new OperationCanceledException("client gone")), aborted: true);

        Assert.IsType<OperationCanceledException>(outcome.PassedOn);
        Assert.Equal(0, outcome.Context.Response.Body.Length);
        Assert.Same(outcome.PassedOn, outcome.Line.Exception);
        Assert.Empty(outcome.Exceptions.Entries);
        Assert.NotEqual(ActivityStatusCode.Error, outcome.Span.Status);
    }
}
